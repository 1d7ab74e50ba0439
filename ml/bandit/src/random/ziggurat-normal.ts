// Standard normals by the ziggurat method (Marsaglia & Tsang 2000, 128 layers). About 99 % of
// draws cost two integer draws, a compare and a multiply — no log or sqrt — which matters
// because Thompson sampling spends most of its time drawing normals. Following Doornik (2005),
// the layer index comes from a second draw rather than the low bits of the first, which would
// tie the layer to the magnitude. Math's functions are module constants for speed under jest's
// vm context (see dense-kernels.ts).
const { abs, exp, floor, log, sqrt } = Math;

const LAYERS = 128;
const R = 3.442619855899; // start of the tail
const V = 9.91256303526217e-3; // area of each layer
const M1 = 2147483648; // 2^31: draws are signed 32-bit integers

const kn = new Int32Array(LAYERS);
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
{
  let dn = R;
  let tn = dn;
  const q = V / exp(-0.5 * dn * dn);
  kn[0] = floor((dn / q) * M1);
  kn[1] = 0;
  wn[0] = q / M1;
  wn[LAYERS - 1] = dn / M1;
  fn[0] = 1;
  fn[LAYERS - 1] = exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = sqrt(-2 * log(V / dn + exp(-0.5 * dn * dn)));
    kn[i + 1] = floor((dn / tn) * M1);
    tn = dn;
    fn[i] = exp(-0.5 * dn * dn);
    wn[i] = dn / M1;
  }
}

/** What the ziggurat needs from a generator. */
export interface UniformSource {
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform in [0, 1). */
  float(): number;
}

/**
 * One standard normal draw.
 *
 * @example
 * const z = zigguratNormal(createRng(1));
 */
export function zigguratNormal(rng: UniformSource): number {
  for (;;) {
    const hz = rng.uint32() | 0;
    const iz = rng.uint32() & (LAYERS - 1);
    if (abs(hz) < (kn[iz] as number)) return hz * (wn[iz] as number);
    const x = hz * (wn[iz] as number);
    if (iz === 0) return tail(rng, hz > 0);
    // Between the layer's rectangle and the curve: accept under the density.
    const f0 = fn[iz] as number;
    const f1 = fn[iz - 1] as number;
    if (f0 + rng.float() * (f1 - f0) < exp(-0.5 * x * x)) return x;
  }
}

function tail(rng: UniformSource, positive: boolean): number {
  let x = 0;
  let y = 0;
  do {
    x = -log(1 - rng.float()) / R;
    y = -log(1 - rng.float());
  } while (y + y < x * x);
  return positive ? R + x : -R - x;
}
