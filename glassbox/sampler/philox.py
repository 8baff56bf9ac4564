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

Heat-bath rule, in float32: ``s = +1 if u * (1 + e) < 1 else -1`` with
``e = exp(-2 h / T)``, i.e. ``P(s = +1) = 1 / (1 + exp(-2 h / T))``. ``exp`` is
the Cephes single-precision polynomial of :func:`exp_cephes` (relative error
below 1e-7), written in plain float32 arithmetic and integer bit operations so
that it vectorises here and is reproduced bit for bit by the CUDA kernel.
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


_LOG2E = np.float32(1.4426950408889634)
_LN2_HI = np.float32(0.693359375)
_LN2_LO = np.float32(-2.12194440e-4)
_EXP_POLY = (np.float32(1.9875691500e-4), np.float32(1.3981999507e-3), np.float32(8.3334519073e-3),
             np.float32(4.1665795894e-2), np.float32(1.6666665459e-1), np.float32(5.0000001201e-1))
_EXP_MIN = np.float32(-87.0)
_EXP_MAX = np.float32(88.0)


@njit(inline="always", cache=True)
def _exp_parts(x):
    """exp(x) = mantissa * 2**m for x clamped to [-87, 88] (Cephes expf); returns (mantissa, m)."""
    x = min(max(x, _EXP_MIN), _EXP_MAX)
    m = np.floor(x * _LOG2E + np.float32(0.5))
    r = x - m * _LN2_HI
    r = r - m * _LN2_LO
    p0, p1, p2, p3, p4, p5 = _EXP_POLY
    poly = ((((p0 * r + p1) * r + p2) * r + p3) * r + p4) * r + p5
    return poly * (r * r) + r + np.float32(1.0), np.int32(m)


@njit(cache=True)
def exp_cephes(x):
    """The sampler's float32 exp, elementwise over a float32 array (for tests)."""
    out = np.empty_like(x)
    bits = np.empty(x.size, dtype=np.int32)
    for i in range(x.size):
        mantissa, m = _exp_parts(x[i])
        out[i] = mantissa
        bits[i] = (m + np.int32(127)) << np.int32(23)
    return out * bits.view(np.float32)


@njit(nogil=True, cache=True, fastmath=False)
def heat_bath_row(spins, fields, two_beta, offset, sweep, chain, stream, k0, k1, words, mantissa, exponent):
    """Heat-bath update of one chain's layer in place; ``words``, ``mantissa`` and ``exponent`` are scratch.

    Three branch-free loops that the compiler vectorises: Philox blocks, the
    exp of ``-2 beta h``, and the threshold.
    """
    n = spins.shape[0]
    first = offset // 4
    n_blocks = (offset + n - 1) // 4 - first + 1
    sweep64 = np.uint64(sweep)
    chain64 = np.uint64(chain)
    stream64 = np.uint64(stream)
    key0 = np.uint64(k0)
    key1 = np.uint64(k1)
    for j in range(n_blocks):
        r0, r1, r2, r3 = philox4x32_10(np.uint64(first + j), sweep64, chain64, stream64, key0, key1)
        words[4 * j] = np.uint32(r0)
        words[4 * j + 1] = np.uint32(r1)
        words[4 * j + 2] = np.uint32(r2)
        words[4 * j + 3] = np.uint32(r3)
    for i in range(n):
        mant, m = _exp_parts(-two_beta * fields[i])
        mantissa[i] = mant
        exponent[i] = (m + np.int32(127)) << np.int32(23)
    scale = exponent[:n].view(np.float32)
    shift = offset - 4 * first
    for i in range(n):
        u = np.float32(words[shift + i] >> np.uint32(8)) * _U24
        e = mantissa[i] * scale[i]
        spins[i] = np.float32(1.0) if u * (np.float32(1.0) + e) < np.float32(1.0) else np.float32(-1.0)


@njit(nogil=True, cache=True)
def heat_bath_update(spins, fields, two_beta, offset, sweep, stream, k0, k1, chain_offset=0):
    """Set every spin of one layer from its local field, in place.

    ``spins`` and ``fields`` have shape (chains, n); ``two_beta[c] = 2 / T_c``;
    ``offset`` is the layer's first global spin index and ``chain_offset`` the
    global index of the first chain (both enter the Philox counter, so a block
    of chains draws the same numbers as the whole). Spins are float32 +-1.
    """
    n_chains, n = spins.shape
    words = np.empty(n + 8, dtype=np.uint32)
    mantissa = np.empty(n, dtype=np.float32)
    exponent = np.empty(n, dtype=np.int32)
    for c in range(n_chains):
        heat_bath_row(spins[c], fields[c], two_beta[c], offset, sweep, chain_offset + c, stream, k0, k1,
                      words, mantissa, exponent)


def split_seed(seed: int) -> tuple[int, int]:
    """The Philox key words of a 64-bit seed."""
    seed = int(seed) & 0xFFFFFFFFFFFFFFFF
    return seed & 0xFFFFFFFF, seed >> 32
