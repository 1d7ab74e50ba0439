import { inverse, Matrix } from 'ml-matrix';
import { createRng } from '../random/seeded-rng';
import { addOuter, dot, matVec, psdCholesky, scaledIdentity, shermanMorrison } from './dense-kernels';
import { invertSpd } from './spd-inverse';

const toMatrix = (flat: Float64Array, d: number) =>
  new Matrix(Array.from({ length: d }, (_, i) => Array.from(flat.subarray(i * d, (i + 1) * d))));

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('dense kernels', () => {
  it('keeps A⁻¹ equal to a direct inverse through many Sherman–Morrison steps', () => {
    const d = 16;
    const rng = createRng('sm');
    const a = scaledIdentity(d, 1);
    const aInv = scaledIdentity(d, 1);
    const scratch = new Float64Array(d);
    for (let t = 0; t < 2000; t++) {
      const x = Float64Array.from({ length: d }, () => (rng.float() < 0.3 ? 0 : rng.normal()));
      addOuter(a, d, x, 1);
      shermanMorrison(aInv, d, x, scratch);
    }
    const direct = inverse(toMatrix(a, d));
    const flatDirect = direct.to1DArray();
    const scale = Math.max(...flatDirect.map(Math.abs));
    expect(maxAbsDiff(aInv, flatDirect) / scale).toBeLessThan(1e-10);
    // And A·A⁻¹ = I.
    const product = toMatrix(a, d).mmul(toMatrix(aInv, d));
    expect(maxAbsDiff(product.to1DArray(), Matrix.eye(d).to1DArray())).toBeLessThan(1e-9);
  });

  it('inverts a symmetric positive definite matrix through ml-matrix', () => {
    const d = 5;
    const a = scaledIdentity(d, 2);
    addOuter(a, d, [1, 2, 3, 4, 5], 1);
    const product = toMatrix(a, d).mmul(toMatrix(invertSpd(a, d), d));
    expect(maxAbsDiff(product.to1DArray(), Matrix.eye(d).to1DArray())).toBeLessThan(1e-12);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => invertSpd(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(expect.objectContaining({ code: 'BANDIT_NOT_POSITIVE_DEFINITE' }));
  });

  it('computes matrix-vector products and dot products', () => {
    const m = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(matVec(m, 3, [1, 0, -1], new Float64Array(3)))).toEqual([-2, -2, -2]);
    expect(dot([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], 5)).toBe(35);
  });

  it('factors a rank-deficient covariance into n×rank with L·Lᵀ = C', () => {
    // C = B·Bᵀ with B 6×2: rank 2.
    const rng = createRng('psd');
    const n = 6;
    const b = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
    const c = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[i * n + j] = dot(b[i] as number[], b[j] as number[], 2);
    const { rank, factor } = psdCholesky(c, n);
    expect(rank).toBe(2);
    const rebuilt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) rebuilt[i * n + j] = dot(factor.subarray(i * rank, (i + 1) * rank), factor.subarray(j * rank, (j + 1) * rank), rank);
    }
    expect(maxAbsDiff(rebuilt, c)).toBeLessThan(1e-9);
  });
});
