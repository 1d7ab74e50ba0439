import { chunkBytes } from './user-export';

const join = (chunks: Uint8Array[]) => Buffer.concat(chunks.map((c) => Buffer.from(c)));

describe('chunkBytes', () => {
  it('cuts a document into slices of at most the limit that join back to it', () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ tasks: Array.from({ length: 500 }, (_, i) => ({ title: `task ${i} ✓` })) }));
    const chunks = chunkBytes(bytes, 1000);
    expect(chunks.length).toBe(Math.ceil(bytes.length / 1000));
    expect(chunks.every((c) => c.length <= 1000)).toBe(true);
    expect(join(chunks).equals(Buffer.from(bytes))).toBe(true);
  });

  it('sends one slice for a document that fits, and one empty slice for none', () => {
    expect(chunkBytes(new Uint8Array(10), 10).map((c) => c.length)).toEqual([10]);
    expect(chunkBytes(new Uint8Array(11), 10).map((c) => c.length)).toEqual([10, 1]);
    expect(chunkBytes(new Uint8Array(0), 10).map((c) => c.length)).toEqual([0]);
  });

  it('refuses a limit that could never make progress', () => {
    expect(() => chunkBytes(new Uint8Array(3), 0)).toThrow(RangeError);
    expect(() => chunkBytes(new Uint8Array(3), 1.5)).toThrow(RangeError);
  });
});
