// Model vectors travel through Postgres as bytea: 8 bytes per dimension, little-endian, exact.
// (float8[] costs ~0.3 ms per read through pg's array parser; JSON loses nothing but is 2–3× larger.)

/**
 * Encodes a model vector.
 *
 * @example
 * await trx.insertInto('learned_observations').values({ features: encodeVector(x), … });
 */
export function encodeVector(x: ArrayLike<number>): Buffer {
  const out = Buffer.allocUnsafe(x.length * 8);
  for (let i = 0; i < x.length; i++) out.writeDoubleLE(x[i] as number, i * 8);
  return out;
}

/**
 * Decodes a vector written by `encodeVector`.
 *
 * @example
 * const x = decodeVector(row.features);
 */
export function decodeVector(bytes: Uint8Array): Float64Array {
  if (bytes.length % 8 !== 0) throw new RangeError(`a vector needs a multiple of 8 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const x = new Float64Array(bytes.length / 8);
  for (let i = 0; i < x.length; i++) x[i] = view.getFloat64(i * 8, true);
  return x;
}
