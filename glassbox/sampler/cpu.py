"""CPU backend: exact block heat-bath sweeps over many chains at once.

A sweep updates the even layers given the odd ones, then the odd layers given
the even ones. Each half-sweep is, per layer, one or two BLAS matrix products
over a block of chains (float32, spins stored as +-1 floats) followed by the
fused Philox/heat-bath pass of :mod:`glassbox.sampler.philox`.

Chains do not interact within a sweep, so the chains are split into one
contiguous block per worker thread; each worker runs whole sweeps of its
block with single-threaded BLAS and the GIL-free numba update. (Letting
OpenBLAS and numba each run their own thread pool instead made a sweep of the
default network about 70x slower on 2 cores: the pools spin against each other.)
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from ..spin_model import SpinModel
from . import philox


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class CPUBackend:
    """Spin states of ``n_chains`` chains of one :class:`SpinModel`, on the CPU.

    Chain ``c`` runs at inverse temperature ``beta[c]``, given per sweep so that
    parallel tempering can exchange temperatures between chains. Results do not
    depend on ``threads``: every random number is keyed by (seed, chain, sweep, spin).
    """

    name = "cpu"

    def __init__(self, model: SpinModel, n_chains: int, seed: int, threads: int | None = None) -> None:
        self.model = model
        self.n_chains = int(n_chains)
        self.key = philox.split_seed(seed)
        self.couplings = [np.ascontiguousarray(w, dtype=np.float32) for w in model.couplings]
        self.couplings_t = [np.ascontiguousarray(w.T) for w in self.couplings]
        self.fields = [np.asarray(h, dtype=np.float32) for h in model.fields]
        self.offsets = model.layer_offsets
        n_layers = len(self.fields)
        self.parity_classes = (list(range(0, n_layers, 2)), list(range(1, n_layers, 2)))
        self.spins = [np.empty((self.n_chains, n), dtype=np.float32) for n in model.layer_sizes]
        self._local = [np.empty((self.n_chains, n), dtype=np.float32) for n in model.layer_sizes]
        self._energy = np.zeros(self.n_chains, dtype=np.float64)
        threads = max(1, min(int(threads or usable_cores()), self.n_chains))
        edges = np.linspace(0, self.n_chains, threads + 1).astype(int)
        self.blocks = [slice(lo, hi) for lo, hi in zip(edges[:-1], edges[1:]) if hi > lo]
        self._pool = ThreadPoolExecutor(len(self.blocks)) if len(self.blocks) > 1 else None
        self._blas = threadpool_limits(limits=1, user_api="blas")
        zero = np.zeros(self.n_chains, dtype=np.float32)
        for k, s in enumerate(self.spins):
            philox.heat_bath_update(s, np.zeros_like(s), zero, self.offsets[k], 0, philox.STREAM_INIT, *self.key)

    def close(self) -> None:
        """Stop the worker threads and restore the BLAS thread count."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        self._blas.restore_original_limits()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def _layer_fields(self, k: int, rows: slice) -> np.ndarray:
        """Local fields of layer k for chains ``rows``: s_{k-1} W_{k-1}^T + s_{k+1} W_k + h_k."""
        out = self._local[k][rows]
        below, above = k > 0, k < len(self.couplings)
        if below:
            np.matmul(self.spins[k - 1][rows], self.couplings_t[k - 1], out=out)
        if above:
            if below:
                out += self.spins[k + 1][rows] @ self.couplings[k]
            else:
                np.matmul(self.spins[k + 1][rows], self.couplings[k], out=out)
        if not (below or above):
            out.fill(0.0)
        out += self.fields[k]
        return out

    def _sweep_block(self, rows: slice, two_beta: np.ndarray, sweep_index: int) -> None:
        for parity in (0, 1):
            for k in self.parity_classes[parity]:
                h = self._layer_fields(k, rows)
                philox.heat_bath_update(
                    self.spins[k][rows], h, two_beta[rows], self.offsets[k], sweep_index,
                    philox.STREAM_HEAT_BATH, *self.key, rows.start,
                )
        # E = -sum_odd s . h_odd - sum_even b . s: every coupling joins an odd and an even
        # layer, and the odd fields were computed from the current even spins.
        energy = self._energy[rows]
        energy.fill(0.0)
        for k in self.parity_classes[1]:
            energy -= np.einsum("ci,ci->c", self.spins[k][rows], self._local[k][rows], dtype=np.float64)
        for k in self.parity_classes[0]:
            energy -= self.spins[k][rows] @ self.fields[k].astype(np.float64)

    def sweep(self, beta: np.ndarray, sweep_index: int) -> np.ndarray:
        """One full sweep at inverse temperatures ``beta`` (per chain); returns the energies."""
        two_beta = (2.0 * np.asarray(beta, dtype=np.float64)).astype(np.float32)
        if self._pool is None:
            self._sweep_block(self.blocks[0], two_beta, sweep_index)
        else:
            list(self._pool.map(lambda rows: self._sweep_block(rows, two_beta, sweep_index), self.blocks))
        return self._energy.copy()

    def energies(self) -> np.ndarray:
        """Energies of the current states, from scratch."""
        return self.model.energy([s.astype(np.float64) for s in self.spins])

    def set_states(self, states: list[np.ndarray]) -> None:
        """Set every chain to the given configuration (one +-1 array per layer, broadcast over chains)."""
        for k, s in enumerate(states):
            self.spins[k][...] = np.where(np.asarray(s) > 0, 1.0, -1.0).astype(np.float32)

    def layer_states(self) -> list[np.ndarray]:
        """Current spins, one (chains, n_k) float32 array per layer (do not modify)."""
        return self.spins
