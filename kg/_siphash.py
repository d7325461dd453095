"""SipHash-2-4 with a 128-bit output and keys 0, 0, compiled by numba (cached like kg/learn/_kernels.py).

It is the hash Oxigraph keys its strings with (Rust's `siphasher::sip128::SipHasher24::new()`,
fed the string's UTF-8 bytes), so kg can put triples in the order Oxigraph's store writes them
(kg/turtle.py). Imported when a document's graph.ttl pieces are made.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, inline="always")
def _rotl(x, bits):  # pragma: no cover - compiled
    return (x << np.uint64(bits)) | (x >> np.uint64(64 - bits))


@njit(cache=True, nogil=True, inline="always")
def _rounds(v0, v1, v2, v3, times):  # pragma: no cover - compiled
    for _ in range(times):
        v0 += v1
        v1 = _rotl(v1, 13)
        v1 ^= v0
        v0 = _rotl(v0, 32)
        v2 += v3
        v3 = _rotl(v3, 16)
        v3 ^= v2
        v0 += v3
        v3 = _rotl(v3, 21)
        v3 ^= v0
        v2 += v1
        v1 = _rotl(v1, 17)
        v1 ^= v2
        v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


@njit(cache=True, nogil=True)
def siphash128(data, starts, ends):  # pragma: no cover - compiled
    """The hash of each message data[starts[i]:ends[i]] (uint8), as 16 big-endian bytes a row."""
    out = np.empty((starts.shape[0], 16), dtype=np.uint8)
    for i in range(starts.shape[0]):
        start, end = starts[i], ends[i]
        v0 = np.uint64(0x736F6D6570736575)
        v1 = np.uint64(0x646F72616E646F6D ^ 0xEE)
        v2 = np.uint64(0x6C7967656E657261)
        v3 = np.uint64(0x7465646279746573)
        whole = start + (end - start) // 8 * 8
        at = start
        while at < whole:
            m = np.uint64(0)
            for b in range(8):
                m |= np.uint64(data[at + b]) << np.uint64(8 * b)
            v3 ^= m
            v0, v1, v2, v3 = _rounds(v0, v1, v2, v3, 2)
            v0 ^= m
            at += 8
        last = np.uint64((end - start) & 0xFF) << np.uint64(56)
        for b in range(end - whole):
            last |= np.uint64(data[whole + b]) << np.uint64(8 * b)
        v3 ^= last
        v0, v1, v2, v3 = _rounds(v0, v1, v2, v3, 2)
        v0 ^= last
        v2 ^= np.uint64(0xEE)
        v0, v1, v2, v3 = _rounds(v0, v1, v2, v3, 4)
        low = v0 ^ v1 ^ v2 ^ v3
        v1 ^= np.uint64(0xDD)
        v0, v1, v2, v3 = _rounds(v0, v1, v2, v3, 4)
        high = v0 ^ v1 ^ v2 ^ v3
        for b in range(8):
            out[i, b] = np.uint8((high >> np.uint64(56 - 8 * b)) & np.uint64(0xFF))
            out[i, 8 + b] = np.uint8((low >> np.uint64(56 - 8 * b)) & np.uint64(0xFF))
    return out
