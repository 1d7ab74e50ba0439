"""The bandit library's seeded generator (ml/bandit/src/random/seeded-rng.ts), bit for bit.

The OPE bootstrap draws its resamples from it, so recomputing the intervals in Python needs the
same stream of numbers: xoshiro128** seeded through splitmix32 over a 32-bit hash of the seed.
"""

from __future__ import annotations

import math

_MASK = 0xFFFFFFFF
_TWO_POW_32 = 4294967296.0
_GOLDEN = 0x9E3779B9


def _imul(a: int, b: int) -> int:
    return (a * b) & _MASK


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & _MASK


def _fmix32(h: int) -> int:
    h &= _MASK
    h ^= h >> 16
    h = _imul(h, 0x85EBCA6B)
    h ^= h >> 13
    h = _imul(h, 0xC2B2AE35)
    h ^= h >> 16
    return h


def _splitmix32(x: int) -> int:
    z = x & _MASK
    z = _imul(z ^ (z >> 16), 0x85EBCA6B)
    z = _imul(z ^ (z >> 13), 0xC2B2AE35)
    return z ^ (z >> 16)


def _to_int32_bits(value: float) -> int:
    """JavaScript's `value | 0`, kept as the unsigned 32-bit pattern."""
    if not math.isfinite(value):
        return 0
    return int(math.trunc(value)) & _MASK


def hash_string(text: str, basis: int = 0x811C9DC5) -> int:
    """FNV-1a over UTF-16 code units, then a murmur3 finaliser (as `hashString`)."""
    h = basis & _MASK
    units = text.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = _imul(h, 0x01000193)
    return _fmix32(h)


def hash_seed(seed: int | float | str) -> tuple[int, int, int, int]:
    """Expands a number or string seed into four 32-bit words (as `hashSeed`)."""
    if isinstance(seed, str):
        h = hash_string(seed)
    else:
        low = _to_int32_bits(seed)
        high = _to_int32_bits(math.floor(seed / _TWO_POW_32))
        h = _fmix32(low ^ _imul(high, 0x85EBCA6B))
    words = []
    for _ in range(4):
        h = (h + _GOLDEN) & _MASK
        words.append(_splitmix32(h))
    return (words[0], words[1], words[2], words[3])


class SeededRng:
    """xoshiro128**: the same outputs as `createRng(seed)` in @oo/bandit for the same seed."""

    def __init__(self, state: tuple[int, int, int, int]):
        self._s0, self._s1, self._s2, self._s3 = (w & _MASK for w in state)
        # An all-zero state is xoshiro's one fixed point; the TypeScript nudges it the same way.
        if (self._s0 | self._s1 | self._s2 | self._s3) == 0:
            self._s0 = _GOLDEN

    def uint32(self) -> int:
        s0, s1 = self._s0, self._s1
        result = _imul(_rotl(_imul(s1, 5), 7), 9)
        t = (s1 << 9) & _MASK
        self._s2 ^= s0
        self._s3 ^= s1
        self._s1 ^= self._s2
        self._s0 ^= self._s3
        self._s2 ^= t
        self._s3 = _rotl(self._s3, 11)
        return result

    def float(self) -> float:
        return self.uint32() / _TWO_POW_32

    def int(self, n: int) -> int:
        return math.floor(self.float() * n)


def create_rng(seed: int | float | str) -> SeededRng:
    """`createRng(seed)`: the same seed gives the same stream as in TypeScript."""
    return SeededRng(hash_seed(seed))
