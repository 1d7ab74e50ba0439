import { zigguratNormal } from './ziggurat-normal';

// Math's functions as module constants: under jest (a vm context) every lookup of the global
// `Math` goes through an interceptor and costs ~100× a local read.
const { floor, imul } = Math;

/** A seed: a 32-bit integer, or any string (a decision id, a user id…), hashed to 128 bits. */
export type Seed = number | string;

/** The serialisable state of a generator: four 32-bit words. */
export type RngState = readonly [number, number, number, number];

const TWO_POW_32 = 4294967296;

/**
 * xoshiro128** (Blackman & Vigna): 128 bits of state, period 2^128 − 1, fast on 32-bit integer
 * arithmetic, which is all JavaScript does quickly without BigInt.
 *
 * @example
 * const rng = createRng('decision-7f3a');
 * rng.float();   // uniform in [0, 1)
 * rng.normal();  // standard normal
 * rng.int(20);   // uniform integer in [0, 20)
 */
export class SeededRng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: RngState) {
    [this.s0, this.s1, this.s2, this.s3] = state;
    // An all-zero state is the one fixed point of xoshiro; nudge it away.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
  }

  /** Next raw 32-bit output as an unsigned integer. */
  uint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const result = imul(rotl(imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution — plenty for sampling and bootstraps. */
  float(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n); n up to 2^32. */
  int(n: number): number {
    return floor(this.float() * n);
  }

  /** Standard normal (ziggurat; see ziggurat-normal.ts). */
  normal(): number {
    return zigguratNormal(this);
  }

  /** Fills `out` with independent standard normals; returns it. */
  normals(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /** The current state, to persist a stream and resume it exactly. */
  state(): RngState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** An exact copy: both continue with the same numbers. */
  clone(): SeededRng {
    return new SeededRng([this.s0, this.s1, this.s2, this.s3]);
  }

  /** An independent child stream, derived deterministically from this one and a label. */
  fork(label: Seed): SeededRng {
    const base = hashSeed(label);
    return new SeededRng([
      (base[0] ^ this.uint32()) >>> 0,
      (base[1] ^ this.uint32()) >>> 0,
      (base[2] ^ this.uint32()) >>> 0,
      (base[3] ^ this.uint32()) >>> 0,
    ]);
  }
}

/**
 * Creates a generator from a number or string seed; the same seed always gives the same stream.
 *
 * @example
 * createRng(42).float() === createRng(42).float(); // true
 */
export function createRng(seed: Seed): SeededRng {
  return new SeededRng(hashSeed(seed));
}

/**
 * Expands a seed into 128 bits of well-mixed state (splitmix32 over the seed's hash), so that
 * nearby seeds such as 1 and 2 or two UUIDs sharing a prefix give unrelated streams.
 *
 * @example
 * hashSeed('user-1'); // [w0, w1, w2, w3]
 */
export function hashSeed(seed: Seed): RngState {
  let h = typeof seed === 'number' ? mixNumber(seed) : hashString(seed);
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    h = (h + 0x9e3779b9) | 0;
    words.push(splitmix32(h));
  }
  return [words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0];
}

/**
 * 32-bit hash of a string (FNV-1a over UTF-16 code units, then a murmur3 finaliser).
 *
 * @example
 * hashString('abc').toString(16);
 */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return fmix32(h);
}

function mixNumber(seed: number): number {
  // Fold the high part of non-32-bit numbers in so that 2^32 + 1 and 1 differ.
  const low = seed | 0;
  const high = floor(seed / TWO_POW_32) | 0;
  return fmix32(low ^ imul(high, 0x85ebca6b));
}

function splitmix32(x: number): number {
  let z = x | 0;
  z = imul(z ^ (z >>> 16), 0x85ebca6b);
  z = imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
