"""Philox4x32-10 counter-based random numbers and the fused heat-bath spin update.

The same generator, with the same counter layout, is used by the CUDA kernel
(``glassbox/sampler/kernels/heat_bath.cu``), so the two backends draw identical
random numbers for the same seed, chain, sweep and spin, whatever the launch
shape or thread count.

Counter layout for one spin update (Salmon et al. 2011, Random123):

* key   = (seed & 0xffffffff, seed >> 32)
* ctr   = (global_spin // 4, sweep, chain, stream)
* the spin uses 32-bit word ``global_spin % 4`` of the output;
* ``u = (word >> 8) * 2**-24`` is an exact float32 in [0, 1).

Heat-bath rule: ``s = +1 if u < 1 / (1 + exp(-2 h / T)) else -1``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

MASK32 = np.uint64(0xFFFFFFFF)
_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = np.uint64(0x9E3779B9)
_W1 = np.uint64(0xBB67AE85)
_U24 = np.float32(1.0 / (1 << 24))

STREAM_HEAT_BATH = 0
STREAM_INIT = 1


@njit(inline="always", cache=True)
def philox4x32_10(c0, c1, c2, c3, k0, k1):
    """One Philox4x32-10 block: four uint32 words (held in uint64) from counter and key."""
    for _ in range(10):
        p0 = _M0 * c0
        p1 = _M1 * c2
        c0, c1, c2, c3 = (
            (p1 >> np.uint64(32)) ^ c1 ^ k0,
            p1 & MASK32,
            (p0 >> np.uint64(32)) ^ c3 ^ k1,
            p0 & MASK32,
        )
        k0 = (k0 + _W0) & MASK32
        k1 = (k1 + _W1) & MASK32
    return c0, c1, c2, c3


@njit(cache=True)
def philox_block(counter, key):
    """Array form of :func:`philox4x32_10`, for tests against published vectors."""
    out = np.empty(4, dtype=np.uint32)
    r = philox4x32_10(
        np.uint64(counter[0]), np.uint64(counter[1]), np.uint64(counter[2]), np.uint64(counter[3]),
        np.uint64(key[0]), np.uint64(key[1]),
    )
    for i in range(4):
        out[i] = np.uint32(r[i])
    return out


@njit(cache=True)
def uniforms(n_chains, n_spins, offset, sweep, stream, k0, k1):
    """The uniforms the heat-bath update draws, as an array (chains, spins); for tests."""
    out = np.empty((n_chains, n_spins), dtype=np.float32)
    for c in range(n_chains):
        for i in range(n_spins):
            g = np.uint64(offset + i)
            r = philox4x32_10(g >> np.uint64(2), np.uint64(sweep), np.uint64(c), np.uint64(stream),
                              np.uint64(k0), np.uint64(k1))
            lane = offset + i - 4 * ((offset + i) // 4)
            word = r[0] if lane == 0 else r[1] if lane == 1 else r[2] if lane == 2 else r[3]
            out[c, i] = np.float32(word >> np.uint64(8)) * _U24
    return out


@njit(nogil=True, cache=True, fastmath=False)
def heat_bath_update(spins, fields, two_beta, offset, sweep, stream, k0, k1, chain_offset=0):
    """Set every spin of one layer from its local field, in place.

    ``spins`` and ``fields`` have shape (chains, n); ``two_beta[c] = 2 / T_c``;
    ``offset`` is the layer's first global spin index and ``chain_offset`` the
    global index of the first chain (both enter the Philox counter, so a block
    of chains draws the same numbers as the whole). Spins are float32 +-1.
    Runs without the GIL, so blocks of chains can be updated by parallel threads.
    """
    n_chains, n = spins.shape
    key0 = np.uint64(k0)
    key1 = np.uint64(k1)
    sweep64 = np.uint64(sweep)
    stream64 = np.uint64(stream)
    first_block = offset // 4
    last_block = (offset + n - 1) // 4
    for c in range(n_chains):
        tb = two_beta[c]
        chain = np.uint64(chain_offset + c)
        for block in range(first_block, last_block + 1):
            r0, r1, r2, r3 = philox4x32_10(np.uint64(block), sweep64, chain, stream64, key0, key1)
            base = 4 * block - offset
            for lane in range(4):
                i = base + lane
                if i < 0 or i >= n:
                    continue
                word = r0 if lane == 0 else r1 if lane == 1 else r2 if lane == 2 else r3
                u = np.float32(word >> np.uint64(8)) * _U24
                x = tb * fields[c, i]
                p = np.float32(1.0) / (np.float32(1.0) + np.exp(-x))
                spins[c, i] = np.float32(1.0) if u < p else np.float32(-1.0)


def split_seed(seed: int) -> tuple[int, int]:
    """The Philox key words of a 64-bit seed."""
    seed = int(seed) & 0xFFFFFFFFFFFFFFFF
    return seed & 0xFFFFFFFF, seed >> 32
