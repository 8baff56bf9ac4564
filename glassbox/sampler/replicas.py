"""Replicas of a spin model at a grid of temperatures, with optional parallel tempering.

``R`` replica sets each hold one chain per temperature of the grid, so there
are ``R x n_T`` chains. With ``method="independent"`` every chain stays at its
temperature. With ``method="tempering"`` each replica set is a parallel-
tempering ladder: every ``swap_every`` sweeps, neighbouring temperatures
``T_i, T_j`` of one set exchange their chains with probability

    min(1, exp((1/T_i - 1/T_j) (E_i - E_j)))

(alternating even and odd neighbour pairs). Temperatures, not states, are
exchanged, so the states never move in memory.

After ``burnin_sweeps`` sweeps, every ``measure_every`` sweeps the overlap of
every pair of replicas a < b at the same temperature is recorded,

    q_ab = (1/N) sum_i s_i^a s_i^b,

together with the overlap restricted to each layer and the energy per spin.
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np

from ..spin_model import SpinModel

METHODS = ("independent", "tempering")
BACKENDS = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class SamplerSettings:
    """How to sample; every field is recorded beside the samples."""

    replicas: int = 8
    burnin_sweeps: int = 1000
    measure_sweeps: int = 2000
    measure_every: int = 4
    method: str = "tempering"
    swap_every: int = 1
    seed: int = 0
    backend: str = "auto"

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"sampler.method must be one of {METHODS}, got {self.method!r}")
        if self.backend not in BACKENDS:
            raise ValueError(f"sampler.backend must be one of {BACKENDS}, got {self.backend!r}")
        if self.replicas < 2:
            raise ValueError(f"sampler.replicas must be at least 2 to form overlaps, got {self.replicas}")
        for key in ("burnin_sweeps", "measure_sweeps", "measure_every", "swap_every"):
            if getattr(self, key) < (0 if key == "burnin_sweeps" else 1):
                raise ValueError(f"sampler.{key} must be positive, got {getattr(self, key)}")
        if self.measure_sweeps < self.measure_every:
            raise ValueError("sampler.measure_sweeps must be at least sampler.measure_every")

    @property
    def n_measurements(self) -> int:
        return self.measure_sweeps // self.measure_every


@dataclass
class TemperatureSamples:
    """Everything measured at one temperature."""

    temperature: float
    overlaps: np.ndarray  # (n_measurements, n_pairs) float32, q_ab
    layer_overlaps: np.ndarray  # (n_measurements, n_pairs, n_layers) float32
    energy_per_spin: np.ndarray  # (n_measurements, replicas) float64
    pairs: np.ndarray  # (n_pairs, 2) replica indices a < b


@dataclass
class SamplingRun:
    """The outcome of :func:`sample_replicas`."""

    temperatures: np.ndarray
    samples: list[TemperatureSamples]
    settings: SamplerSettings
    backend: str
    swap_acceptance: np.ndarray  # (n_T - 1,) accepted / attempted per neighbour pair; NaN if none
    round_trips: float  # completed T_min -> T_max -> T_min trips, summed over walkers
    seconds: float
    sweeps_per_second: float
    extra: dict = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "temperatures": self.temperatures.tolist(),
            "settings": asdict(self.settings),
            "backend": self.backend,
            "swap_acceptance": [None if np.isnan(a) else float(a) for a in self.swap_acceptance],
            "round_trips": float(self.round_trips),
            "seconds": float(self.seconds),
            "sweeps_per_second": float(self.sweeps_per_second),
            **self.extra,
        }


def make_backend(name: str, model: SpinModel, n_chains: int, seed: int, threads: int | None = None):
    """The sampler backend called ``name``; ``auto`` picks CUDA when CuPy sees a GPU, else the CPU."""
    from . import cuda

    if name in ("auto", "cuda"):
        reason = cuda.unavailable_reason()
        if reason is None:
            return cuda.CUDABackend(model, n_chains, seed)
        if name == "cuda":
            raise RuntimeError(f"sampler.backend is 'cuda' but {reason}")
    from .cpu import CPUBackend

    return CPUBackend(model, n_chains, seed, threads=threads)


def sample_replicas(
    model: SpinModel,
    temperatures: np.ndarray,
    settings: SamplerSettings,
    progress: Callable[[int, int, float], None] | bool | None = None,
    threads: int | None = None,
    initial_state: list[np.ndarray] | None = None,
) -> SamplingRun:
    """Sample ``settings.replicas`` replicas at every temperature; see the module docstring.

    ``threads`` is the number of CPU worker threads (default: all usable cores);
    it changes the speed, never the numbers. ``initial_state`` (one +-1 vector
    per layer) starts every chain from that configuration instead of at random.
    """
    temperatures = np.asarray(temperatures, dtype=np.float64)
    if temperatures.ndim != 1 or temperatures.size == 0 or np.any(temperatures <= 0):
        raise ValueError(f"temperatures must be a non-empty list of positive numbers, got {temperatures}")
    if settings.method == "tempering" and np.any(np.diff(temperatures) <= 0):
        raise ValueError("parallel tempering needs strictly increasing temperatures")
    if progress is True:
        progress = _print_progress
    n_t, n_r = temperatures.size, settings.replicas
    n_chains = n_r * n_t
    backend = make_backend(settings.backend, model, n_chains, settings.seed, threads)
    if initial_state is not None:
        backend.set_states(initial_state)
    swap_rng = np.random.Generator(np.random.Philox(key=settings.seed & (2**64 - 1)))

    betas = 1.0 / temperatures
    chain_at = np.arange(n_chains).reshape(n_r, n_t)  # chain holding (replica set r, temperature t)
    beta_of_chain = np.tile(betas, n_r)
    direction = np.zeros(n_chains, dtype=np.int8)  # +1 last at T_min, -1 last at T_max
    one_way_trips = 0
    attempts = np.zeros(max(n_t - 1, 0))
    accepts = np.zeros(max(n_t - 1, 0))

    pairs = np.array([(a, b) for a in range(n_r) for b in range(a + 1, n_r)], dtype=np.int32)
    sizes = np.array(model.layer_sizes, dtype=np.float64)
    n_meas = settings.n_measurements
    overlaps = np.empty((n_meas, n_t, len(pairs)), dtype=np.float32)
    layer_overlaps = np.empty((n_meas, n_t, len(pairs), len(sizes)), dtype=np.float32)
    energy = np.empty((n_meas, n_t, n_r), dtype=np.float64)

    total = settings.burnin_sweeps + n_meas * settings.measure_every
    start = time.perf_counter()
    measured = 0
    report_every = max(total // 10, 1)
    for sweep in range(total):
        energies = backend.sweep(beta_of_chain, sweep)
        if settings.method == "tempering" and n_t > 1 and (sweep + 1) % settings.swap_every == 0:
            first = (sweep // settings.swap_every) % 2
            for t in range(first, n_t - 1, 2):
                lo, hi = chain_at[:, t].copy(), chain_at[:, t + 1].copy()
                log_ratio = (betas[t] - betas[t + 1]) * (energies[lo] - energies[hi])
                accept = np.log(swap_rng.random(n_r)) < log_ratio
                attempts[t] += n_r
                accepts[t] += accept.sum()
                chain_at[accept, t], chain_at[accept, t + 1] = hi[accept], lo[accept]
            beta_of_chain[chain_at] = betas[np.newaxis, :]
            bottom, top = chain_at[:, 0], chain_at[:, -1]
            one_way_trips += int(np.sum(direction[bottom] == -1) + np.sum(direction[top] == 1))
            direction[bottom] = 1
            direction[top] = -1
        done = sweep + 1
        if done > settings.burnin_sweeps and (done - settings.burnin_sweeps) % settings.measure_every == 0:
            _measure(backend, chain_at, pairs, sizes, overlaps[measured], layer_overlaps[measured])
            energy[measured] = (energies[chain_at] / sizes.sum()).T
            measured += 1
        if progress and (done % report_every == 0 or done == total):
            progress(done, total, time.perf_counter() - start)
    seconds = time.perf_counter() - start
    if hasattr(backend, "close"):
        backend.close()

    samples = [
        TemperatureSamples(
            temperature=float(temperatures[t]),
            overlaps=overlaps[:, t],
            layer_overlaps=layer_overlaps[:, t],
            energy_per_spin=energy[:, t],
            pairs=pairs,
        )
        for t in range(n_t)
    ]
    with np.errstate(invalid="ignore", divide="ignore"):
        acceptance = accepts / attempts
    return SamplingRun(
        temperatures=temperatures,
        samples=samples,
        settings=settings,
        backend=backend.name,
        swap_acceptance=acceptance,
        round_trips=one_way_trips / 2.0,
        seconds=seconds,
        sweeps_per_second=total / seconds if seconds > 0 else float("inf"),
    )


def _measure(backend, chain_at, pairs, sizes, out_q, out_layers) -> None:
    """Overlaps of all replica pairs at every temperature, in total and per layer."""
    sums = backend.layer_overlap_sums(chain_at, pairs)  # (temperatures, pairs, layers)
    out_layers[...] = sums / sizes
    out_q[...] = sums.sum(axis=-1) / sizes.sum()


def _print_progress(done: int, total: int, seconds: float) -> None:
    rate = done / seconds if seconds > 0 else float("inf")
    print(f"  sweep {done}/{total} ({100 * done / total:.0f}%), {rate:.0f} sweeps/s", file=sys.stderr, flush=True)
