"""CUDA backend: the same sweeps as the CPU backend, on an NVIDIA GPU through CuPy.

Local fields come from cuBLAS matrix products (``cupy.matmul``) over all
chains (``fields_kernel="cublas"``, the default) or from a tiled kernel fused
with the update (``"fused"``; ``benchmarks/gpu_sampler.py`` times both); the
per-spin heat-bath update, the energy and the replica overlaps are raw kernels
in ``kernels/heat_bath.cu``, compiled by NVRTC without FMA
contraction. The update draws the same Philox4x32-10 numbers with the same
counter layout and the same float32 arithmetic as the CPU backend, so given
identical local fields the two backends set identical spins (the tests check
this on the host through a compiled shim of the same device functions).
Trajectories of the two backends still part after a while, because cuBLAS and
OpenBLAS sum the fields in different orders; they agree statistically.

Install with ``pip install 'glassbox[gpu]'`` (CuPy for CUDA 12).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..spin_model import SpinModel
from . import philox

KERNELS = Path(__file__).parent / "kernels"
_THREADS = 256


def unavailable_reason() -> str | None:
    """Why the CUDA backend cannot run here, or None when it can."""
    try:
        import cupy
    except ImportError:
        return "CuPy is not installed (pip install 'glassbox[gpu]')"
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as err:  # no driver, no device
        return f"CuPy sees no CUDA device ({type(err).__name__}: {err})"
    if count < 1:
        return "CuPy sees no CUDA device"
    return None


def available() -> bool:
    return unavailable_reason() is None


def _module():
    import cupy

    source = (KERNELS / "heat_bath.cu").read_text()
    return cupy.RawModule(code=source, options=("--std=c++17", "--fmad=false", f"-I{KERNELS}"))


class CUDABackend:
    """Spin states of ``n_chains`` chains of one :class:`SpinModel` on the current GPU."""

    name = "cuda"

    def __init__(self, model: SpinModel, n_chains: int, seed: int, threads: int | None = None,
                 fields_kernel: str = "cublas") -> None:
        import cupy

        if fields_kernel not in ("cublas", "fused"):
            raise ValueError(f"fields_kernel must be 'cublas' or 'fused', got {fields_kernel!r}")
        self.fields_kernel = fields_kernel
        self.cp = cupy
        self.model = model
        self.n_chains = int(n_chains)
        self.key = philox.split_seed(seed)
        module = _module()
        self._update = module.get_function("heat_bath_update")
        self._energy_kernel = module.get_function("energy_accumulate")
        self._overlap_kernel = module.get_function("replica_overlaps")
        self._fused = module.get_function("fused_fields_update")
        self.couplings = [cupy.asarray(w, dtype=cupy.float32) for w in model.couplings]
        self.couplings_t = [cupy.ascontiguousarray(w.T) for w in self.couplings]
        self.fields = [cupy.asarray(h, dtype=cupy.float32) for h in model.fields]
        self.offsets = model.layer_offsets
        n_layers = len(self.fields)
        self.parity_classes = (list(range(0, n_layers, 2)), list(range(1, n_layers, 2)))
        self.spins = [cupy.empty((self.n_chains, n), dtype=cupy.float32) for n in model.layer_sizes]
        self._local = [cupy.empty((self.n_chains, n), dtype=cupy.float32) for n in model.layer_sizes]
        zero = cupy.zeros(self.n_chains, dtype=cupy.float32)
        for k, s in enumerate(self.spins):
            self._launch_update(s, cupy.zeros_like(s), zero, k, 0, philox.STREAM_INIT)

    def _launch_update(self, spins, fields, two_beta, k, sweep, stream):
        n = spins.shape[1]
        offset = self.offsets[k]
        n_blocks = (offset + n - 1) // 4 - offset // 4 + 1
        total = self.n_chains * n_blocks
        grid = ((total + _THREADS - 1) // _THREADS,)
        self._update(grid, (_THREADS,), (spins, fields, two_beta, np.int32(self.n_chains), np.int32(n),
                                         np.int64(offset), np.uint32(sweep), np.uint32(stream),
                                         np.uint32(self.key[0]), np.uint32(self.key[1])))

    def _launch_fused(self, k: int, two_beta, sweep: int) -> None:
        tile = 16
        n = self.spins[k].shape[1]
        below, above = k > 0, k < len(self.couplings)
        prev_s = self.spins[k - 1] if below else self.spins[k]
        prev_w = self.couplings[k - 1] if below else self.fields[k]
        next_s = self.spins[k + 1] if above else self.spins[k]
        next_w = self.couplings[k] if above else self.fields[k]
        grid = ((n + tile - 1) // tile, (self.n_chains + tile - 1) // tile)
        self._fused(grid, (tile, tile), (
            self.spins[k], self._local[k], prev_s, prev_w, np.int32(prev_s.shape[1] if below else 0),
            next_s, next_w, np.int32(next_s.shape[1] if above else 0), self.fields[k], two_beta,
            np.int32(self.n_chains), np.int32(n), np.int64(self.offsets[k]), np.uint32(sweep),
            np.uint32(philox.STREAM_HEAT_BATH), np.uint32(self.key[0]), np.uint32(self.key[1])))

    def _layer_fields(self, k: int):
        cp = self.cp
        out = self._local[k]
        below, above = k > 0, k < len(self.couplings)
        if below:
            cp.matmul(self.spins[k - 1], self.couplings_t[k - 1], out=out)
        if above:
            if below:
                out += cp.matmul(self.spins[k + 1], self.couplings[k])
            else:
                cp.matmul(self.spins[k + 1], self.couplings[k], out=out)
        if not (below or above):
            out.fill(0.0)
        out += self.fields[k]
        return out

    def sweep(self, beta: np.ndarray, sweep_index: int) -> np.ndarray:
        """One full sweep at inverse temperatures ``beta``; returns the energies (host array)."""
        cp = self.cp
        two_beta = cp.asarray(2.0 * np.asarray(beta, dtype=np.float64), dtype=cp.float32)
        for parity in (0, 1):
            for k in self.parity_classes[parity]:
                if self.fields_kernel == "fused":
                    self._launch_fused(k, two_beta, sweep_index)
                    continue
                h = self._layer_fields(k)
                self._launch_update(self.spins[k], h, two_beta, k, sweep_index, philox.STREAM_HEAT_BATH)
        energy = cp.zeros(self.n_chains, dtype=cp.float64)
        for k in range(len(self.spins)):
            odd = k % 2 == 1
            weights = self._local[k] if odd else self.fields[k]
            n = self.spins[k].shape[1]
            self._energy_kernel((self.n_chains,), (_THREADS,),
                                (energy, self.spins[k], weights, np.int32(self.n_chains), np.int32(n),
                                 np.int32(1 if odd else 0)), shared_mem=8 * _THREADS)
        return cp.asnumpy(energy)

    def layer_overlap_sums(self, chain_at: np.ndarray, pairs: np.ndarray) -> np.ndarray:
        """sum_i s_i^a s_i^b per layer, temperature and pair: shape (temperatures, pairs, layers)."""
        cp = self.cp
        n_r, n_t = chain_at.shape
        at = cp.asarray(np.ascontiguousarray(chain_at, dtype=np.int32))
        a = cp.asarray(pairs[:, 0].astype(np.int32))
        b = cp.asarray(pairs[:, 1].astype(np.int32))
        out = cp.empty((len(self.spins), n_t, len(pairs)), dtype=cp.float32)
        for k, s in enumerate(self.spins):
            self._overlap_kernel((n_t * len(pairs),), (_THREADS,),
                                 (out[k], s, at, a, b, np.int32(n_t), np.int32(len(pairs)), np.int32(s.shape[1])),
                                 shared_mem=4 * _THREADS)
        return np.moveaxis(cp.asnumpy(out), 0, -1)

    def energies(self) -> np.ndarray:
        return self.model.energy([self.cp.asnumpy(s).astype(np.float64) for s in self.spins])

    def set_states(self, states: list[np.ndarray]) -> None:
        for k, s in enumerate(states):
            self.spins[k][...] = self.cp.asarray(np.where(np.asarray(s) > 0, 1.0, -1.0), dtype=self.cp.float32)

    def layer_states(self) -> list[np.ndarray]:
        """Host copies of the current spins, one (chains, n_k) array per layer."""
        return [self.cp.asnumpy(s) for s in self.spins]

    def close(self) -> None:
        pass
