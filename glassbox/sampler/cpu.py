"""CPU backend: exact block heat-bath sweeps over many chains at once.

A sweep updates the even layers given the odd ones, then the odd layers given
the even ones. Per layer this is one or two float32 matrix products over a
block of chains (spins stored as +-1 floats, fed straight to BLAS) and the
fused Philox/heat-bath pass of :func:`glassbox.sampler.philox.heat_bath_row`.

The chains are split into one contiguous block per thread, and one compiled
call (:func:`_sweep_blocks`, numba ``prange`` over the blocks) runs a whole
sweep of every block: each block's matrix products use single-threaded BLAS,
so the two thread pools never compete. (Letting OpenBLAS and numba each run
their own pool instead made a sweep of the default network about 70x slower
on 2 cores.) Every random number is keyed by (seed, chain, sweep, spin), so
the numbers do not depend on the thread count.
"""

from __future__ import annotations

import os

import numba
import numpy as np
import scipy.linalg.cython_blas  # noqa: F401  (loaded before BLAS threads are limited)
from numba import njit, prange
from numba.typed import List
from threadpoolctl import threadpool_limits

from ..spin_model import SpinModel
from . import philox


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@njit(parallel=True, nogil=True, cache=True)
def _sweep_blocks(spins, local, scratch, couplings, couplings_t, n_blocks_coupled, fields, offsets, two_beta,
                  sweep, k0, k1, energy, words, mantissa, exponent):
    """One sweep of every chain block; ``spins[k]`` etc. have shape (blocks, chains per block, n_k).

    ``couplings`` holds ``n_blocks_coupled`` coupling blocks (a model of one layer has
    none; its typed list then holds a placeholder that is never read).

    Leaves in ``energy`` (blocks, chains per block) the energy
    ``E = -sum_odd s . h_odd - sum_even b . s``: every coupling joins an odd
    and an even layer, and the odd local fields were computed from the
    current even spins.
    """
    n_blocks, per_block = two_beta.shape
    n_layers = len(spins)
    for b in prange(n_blocks):
        for parity in range(2):
            for k in range(parity, n_layers, 2):
                out = local[k][b]
                if k > 0:
                    np.dot(spins[k - 1][b], couplings_t[k - 1], out)
                else:
                    out[:, :] = 0.0
                if k < n_blocks_coupled:
                    tmp = scratch[k][b]
                    np.dot(spins[k + 1][b], couplings[k], tmp)
                    out += tmp
                h = fields[k]
                layer = spins[k][b]
                for c in range(per_block):
                    row = out[c]
                    for i in range(row.shape[0]):
                        row[i] += h[i]
                    philox.heat_bath_row(layer[c], row, two_beta[b, c], offsets[k], sweep, b * per_block + c,
                                         philox.STREAM_HEAT_BATH, k0, k1, words[b], mantissa[b], exponent[b])
        for c in range(per_block):
            e = 0.0
            for k in range(1, n_layers, 2):
                s = spins[k][b][c]
                f = local[k][b][c]
                for i in range(s.shape[0]):
                    e -= np.float64(s[i]) * np.float64(f[i])
            for k in range(0, n_layers, 2):
                s = spins[k][b][c]
                h = fields[k]
                for i in range(s.shape[0]):
                    e -= np.float64(s[i]) * np.float64(h[i])
            energy[b, c] = e


class CPUBackend:
    """Spin states of ``n_chains`` chains of one :class:`SpinModel`, on the CPU.

    Chain ``c`` runs at inverse temperature ``beta[c]``, given per sweep so that
    parallel tempering can exchange temperatures between chains.
    """

    name = "cpu"

    def __init__(self, model: SpinModel, n_chains: int, seed: int, threads: int | None = None) -> None:
        self.model = model
        self.n_chains = int(n_chains)
        self.key = philox.split_seed(seed)
        threads = max(1, min(int(threads or usable_cores()), self.n_chains, numba.config.NUMBA_NUM_THREADS))
        self.n_blocks = threads
        self.per_block = -(-self.n_chains // threads)
        padded = self.n_blocks * self.per_block
        sizes = model.layer_sizes
        shape = lambda n: (self.n_blocks, self.per_block, n)  # noqa: E731
        self._spins = List([np.empty(shape(n), dtype=np.float32) for n in sizes])
        self._local = List([np.zeros(shape(n), dtype=np.float32) for n in sizes])
        self._scratch = List([np.zeros(shape(n), dtype=np.float32) for n in sizes])
        self._couplings = List([np.ascontiguousarray(w, dtype=np.float32) for w in model.couplings] or
                               [np.zeros((1, 1), dtype=np.float32)])
        self._couplings_t = List([np.ascontiguousarray(np.asarray(w, dtype=np.float32).T) for w in model.couplings]
                                 or [np.zeros((1, 1), dtype=np.float32)])
        self._n_coupling_blocks = len(model.couplings)
        self._fields = List([np.asarray(h, dtype=np.float32) for h in model.fields])
        self._offsets = np.asarray(model.layer_offsets, dtype=np.int64)
        self._energy = np.zeros((self.n_blocks, self.per_block), dtype=np.float64)
        widest = max(sizes)
        self._words = np.empty((self.n_blocks, widest + 8), dtype=np.uint32)
        self._mantissa = np.empty((self.n_blocks, widest), dtype=np.float32)
        self._exponent = np.empty((self.n_blocks, widest), dtype=np.int32)
        self._threads = threads
        self._blas = threadpool_limits(limits=1, user_api="blas")
        # views (padded chains, n) and (n_chains, n) of the blocked arrays
        self.spins = [s.reshape(padded, -1)[: self.n_chains] for s in self._spins]
        zero = np.zeros(padded, dtype=np.float32)
        for k, s in enumerate(self._spins):
            flat = s.reshape(padded, -1)
            philox.heat_bath_update(flat, np.zeros_like(flat), zero, self._offsets[k], 0, philox.STREAM_INIT,
                                    *self.key)

    def close(self) -> None:
        """Restore the BLAS thread count."""
        if self._blas is not None:
            self._blas.restore_original_limits()
            self._blas = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def sweep(self, beta: np.ndarray, sweep_index: int) -> np.ndarray:
        """One full sweep at inverse temperatures ``beta`` (per chain); returns the energies."""
        two_beta = np.zeros(self.n_blocks * self.per_block, dtype=np.float32)
        two_beta[: self.n_chains] = 2.0 * np.asarray(beta, dtype=np.float64)
        numba.set_num_threads(self._threads)
        _sweep_blocks(self._spins, self._local, self._scratch, self._couplings, self._couplings_t,
                      self._n_coupling_blocks, self._fields,
                      self._offsets, two_beta.reshape(self.n_blocks, self.per_block), sweep_index, *self.key,
                      self._energy, self._words, self._mantissa, self._exponent)
        return self._energy.reshape(-1)[: self.n_chains].copy()

    def energies(self) -> np.ndarray:
        """Energies of the current states, from scratch."""
        return self.model.energy([s.astype(np.float64) for s in self.spins])

    def set_states(self, states: list[np.ndarray]) -> None:
        """Set every chain to the given configuration (one +-1 array per layer, broadcast over chains)."""
        for k, s in enumerate(states):
            self.spins[k][...] = np.where(np.asarray(s) > 0, 1.0, -1.0).astype(np.float32)

    def layer_overlap_sums(self, chain_at: np.ndarray, pairs: np.ndarray) -> np.ndarray:
        """sum_i s_i^a s_i^b per layer, temperature and pair: shape (temperatures, pairs, layers)."""
        a, b = pairs[:, 0], pairs[:, 1]
        out = np.empty((chain_at.shape[1], len(pairs), len(self.spins)))
        for k, spins in enumerate(self.spins):
            grouped = spins[chain_at]  # (replicas, temperatures, n_k)
            out[..., k] = np.einsum("atn,btn->tab", grouped, grouped, dtype=np.float64)[:, a, b]
        return out

    def layer_states(self) -> list[np.ndarray]:
        """Current spins, one (chains, n_k) float32 array per layer (do not modify)."""
        return self.spins
