import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { BanditError } from '../errors/bandit-error';

/**
 * Inverse of a symmetric positive definite d×d matrix (flat, row-major) through ml-matrix's
 * Cholesky decomposition. O(d³): used off the hot path — after a layout migration, when state
 * is loaded without its inverse, and periodically to wash out Sherman–Morrison round-off.
 *
 * @example
 * const aInv = invertSpd(a, d);
 */
export function invertSpd(a: Float64Array, d: number): Float64Array {
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) rows.push(Array.from(a.subarray(i * d, (i + 1) * d)));
  let decomposition: CholeskyDecomposition;
  try {
    decomposition = new CholeskyDecomposition(new Matrix(rows));
  } catch (cause) {
    throw new BanditError('BANDIT_NOT_POSITIVE_DEFINITE', 'matrix is not symmetric', { cause });
  }
  if (!decomposition.isPositiveDefinite()) {
    throw new BanditError('BANDIT_NOT_POSITIVE_DEFINITE', 'matrix is not positive definite');
  }
  const inverse = decomposition.solve(Matrix.eye(d));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      // Average the two triangles so the stored inverse is exactly symmetric.
      const v = (inverse.get(i, j) + inverse.get(j, i)) / 2;
      out[i * d + j] = v;
      out[j * d + i] = v;
    }
  }
  return out;
}
