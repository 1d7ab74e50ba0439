// Allocation-free kernels over flat row-major Float64Arrays. The scoring hot path runs these
// instead of ml-matrix objects (arrays of row arrays) because at d ≈ 16–100 the cost is
// dominated by allocation and indirection, not arithmetic. Math's functions are module constants
// because under jest (a vm context) every lookup of the global `Math` costs ~100× a local read.
const { max, sqrt } = Math;

/** A dense vector; plain arrays are accepted wherever the kernel only reads. */
export type Vector = Float64Array | readonly number[];

/**
 * out = M·x for a d×d row-major matrix M.
 *
 * @example
 * matVec(aInv, d, x, out);
 */
export function matVec(m: Float64Array, d: number, x: Vector, out: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) out[i] = rowDot(m, i * d, x, d);
  return out;
}

/**
 * out[outOffset …] = M·x[xOffset …] for a d×d matrix: `matVec` on slices of flat arrays. Taking
 * `subarray` views instead costs more than the arithmetic at d ≈ 16.
 *
 * @example
 * matVecAt(aInv, d, g, i * d, w, i * d); // w_i = A⁻¹g_i
 */
export function matVecAt(m: Float64Array, d: number, x: Float64Array, xOffset: number, out: Float64Array, outOffset: number): void {
  for (let i = 0; i < d; i++) out[outOffset + i] = dotAt(m, i * d, x, xOffset, d);
}

/**
 * a·b over the first n entries.
 *
 * @example
 * dot(theta, x, d); // predicted reward
 */
export function dot(a: Vector, b: Vector, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  // Four independent sums: a single running sum waits on each add's latency in turn.
  for (; i + 3 < n; i += 4) {
    s0 += (a[i] as number) * (b[i] as number);
    s1 += (a[i + 1] as number) * (b[i + 1] as number);
    s2 += (a[i + 2] as number) * (b[i + 2] as number);
    s3 += (a[i + 3] as number) * (b[i + 3] as number);
  }
  for (; i < n; i++) s0 += (a[i] as number) * (b[i] as number);
  return s0 + s1 + (s2 + s3);
}

/**
 * a[aOffset … aOffset+n)·b[bOffset … bOffset+n) — `dot` over slices of flat arrays without
 * allocating subarray views (which showed up as GC pressure when taken n² times per request).
 *
 * @example
 * dotAt(z, i * k, xs, j * k, k);
 */
export function dotAt(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += (a[aOffset + i] as number) * (b[bOffset + i] as number);
    s1 += (a[aOffset + i + 1] as number) * (b[bOffset + i + 1] as number);
    s2 += (a[aOffset + i + 2] as number) * (b[bOffset + i + 2] as number);
    s3 += (a[aOffset + i + 3] as number) * (b[bOffset + i + 3] as number);
  }
  for (; i < n; i++) s0 += (a[aOffset + i] as number) * (b[bOffset + i] as number);
  return s0 + s1 + (s2 + s3);
}

/** m[offset … offset+n)·x, unrolled like `dot`. */
function rowDot(m: Float64Array, offset: number, x: Vector, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += (m[offset + j] as number) * (x[j] as number);
    s1 += (m[offset + j + 1] as number) * (x[j + 1] as number);
    s2 += (m[offset + j + 2] as number) * (x[j + 2] as number);
    s3 += (m[offset + j + 3] as number) * (x[j + 3] as number);
  }
  for (; j < n; j++) s0 += (m[offset + j] as number) * (x[j] as number);
  return s0 + s1 + (s2 + s3);
}

/**
 * A += w·x·xᵀ, touching only what symmetry needs and mirroring, so A stays exactly symmetric.
 *
 * @example
 * addOuter(a, d, x, 1);
 */
export function addOuter(a: Float64Array, d: number, x: Vector, w: number): void {
  for (let i = 0; i < d; i++) {
    const xi = w * (x[i] as number);
    if (xi === 0) continue;
    const row = i * d;
    for (let j = i; j < d; j++) a[row + j] = (a[row + j] as number) + xi * (x[j] as number);
  }
  mirrorUpper(a, d);
}

/**
 * Sherman–Morrison: given A⁻¹, turns it into (A + x·xᵀ)⁻¹ in O(d²). `scratch` (length d) receives
 * A⁻¹x. Returns 1 + xᵀA⁻¹x, which is ≥ 1 for a positive definite A — the reason the rank-one
 * step is numerically safe for ridge models.
 *
 * @example
 * const scratch = new Float64Array(d);
 * shermanMorrison(aInv, d, x, scratch);
 */
export function shermanMorrison(aInv: Float64Array, d: number, x: Vector, scratch: Float64Array): number {
  const u = matVec(aInv, d, x, scratch);
  const denom = 1 + dot(x, u, d);
  for (let i = 0; i < d; i++) {
    const ui = (u[i] as number) / denom;
    if (ui === 0) continue;
    const row = i * d;
    for (let j = i; j < d; j++) aInv[row + j] = (aInv[row + j] as number) - ui * (u[j] as number);
  }
  mirrorUpper(aInv, d);
  return denom;
}

/** Copies the upper triangle onto the lower one. */
export function mirrorUpper(a: Float64Array, d: number): void {
  for (let i = 1; i < d; i++) {
    for (let j = 0; j < i; j++) a[i * d + j] = a[j * d + i] as number;
  }
}

/**
 * λ·I as a flat d×d matrix.
 *
 * @example
 * const a = scaledIdentity(16, 1);
 */
export function scaledIdentity(d: number, lambda: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = lambda;
  return m;
}

/** A lower-triangular factor L (n×rank, row-major) with L·Lᵀ = C for a PSD matrix C. */
export interface PsdFactor {
  readonly n: number;
  readonly rank: number;
  readonly factor: Float64Array;
}

/**
 * Cholesky factor of a symmetric positive semidefinite n×n matrix, dropping null directions.
 * Score covariances of many candidates over few features are rank-deficient (rank ≤ d), and
 * sampling through an n×rank factor costs n·rank per draw instead of failing or costing n².
 *
 * @example
 * const { factor, rank } = psdCholesky(cov, n);
 */
export function psdCholesky(c: Float64Array, n: number): PsdFactor {
  const full = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = max(maxDiag, c[i * n + i] as number);
  const tol = max(maxDiag * 1e-12, 1e-300);
  const kept: number[] = [];
  for (let j = 0; j < n; j++) {
    let diag = c[j * n + j] as number;
    for (const k of kept) diag -= (full[j * n + k] as number) ** 2;
    if (diag <= tol) continue;
    const pivot = sqrt(diag);
    full[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let sum = c[i * n + j] as number;
      for (const k of kept) sum -= (full[i * n + k] as number) * (full[j * n + k] as number);
      full[i * n + j] = sum / pivot;
    }
    kept.push(j);
  }
  const rank = kept.length;
  const factor = new Float64Array(n * rank);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rank; r++) factor[i * rank + r] = full[i * n + (kept[r] as number)] as number;
  }
  return { n, rank, factor };
}
