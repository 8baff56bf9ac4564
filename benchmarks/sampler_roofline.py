"""CPU sampler against the machine's float32 GEMM rate, measured in one run.

    .venv/bin/python benchmarks/sampler_roofline.py            # full table (a few minutes)
    .venv/bin/python benchmarks/sampler_roofline.py --quick    # fewer repeats

Per sweep, every chain costs 4 flops per coupling (two matrix products, one
per half-sweep) plus per-spin work (a random number, a sigmoid, a store).
The roofline is the rate of numpy's float32 matmul on this machine at the
sampler's own shapes, using every core; the sampler's "fraction of roofline"
is its achieved flop rate (4 x couplings x chains x sweeps/s) over it.
Timings on shared machines are noisy: only ratios measured in the same run
are reported, with the best of several repeats.

Writes ``benchmarks/results/roofline.md`` and ``.csv``.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from glassbox.sampler import SamplerSettings, sample_replicas
from glassbox.sampler.cpu import CPUBackend, usable_cores
from glassbox.spin_model import SpinModel, from_layers

SIZES = {"default digits 64-128-128-10": [64, 128, 128, 10], "production 784-256-256-10": [784, 256, 256, 10]}


def make_model(sizes, seed=0) -> SpinModel:
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 1 / np.sqrt(sizes[k]), (sizes[k + 1], sizes[k])) for k in range(len(sizes) - 1)]
    biases = [rng.normal(0, 0.1, sizes[k + 1]) for k in range(len(sizes) - 1)]
    return from_layers(weights, biases)


def best_time(fn, repeats, min_seconds=0.2):
    """Best time per call over ``repeats`` timed batches."""
    fn()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed > min_seconds / 4 or calls > 1 << 16:
            break
        calls *= 2
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def gemm_rate(model: SpinModel, chains: int, repeats: int) -> float:
    """float32 flop/s of exactly the matrix products of one sweep, BLAS on every core."""
    rng = np.random.default_rng(1)
    couplings = [np.asarray(w, dtype=np.float32) for w in model.couplings]
    spins = [np.sign(rng.normal(size=(chains, n))).astype(np.float32) for n in model.layer_sizes]
    outs = [np.empty((chains, n), dtype=np.float32) for n in model.layer_sizes]

    def products():
        for k, w in enumerate(couplings):
            np.matmul(spins[k], w.T, out=outs[k + 1])  # forward: layer k -> k+1
            np.matmul(spins[k + 1], w, out=outs[k])  # backward: layer k+1 -> k

    seconds = best_time(products, repeats)
    return 4.0 * model.n_couplings * chains / seconds


class ReferenceSampler:
    """The plain implementation: numpy matmul, ``rng.random`` and ``np.exp`` per half-sweep."""

    def __init__(self, model: SpinModel, chains: int, seed: int = 0):
        self.rng = np.random.default_rng(seed)
        self.w = [np.asarray(w, dtype=np.float32) for w in model.couplings]
        self.h = [np.asarray(h, dtype=np.float32) for h in model.fields]
        self.s = [np.where(self.rng.random((chains, n)) < 0.5, 1.0, -1.0).astype(np.float32)
                  for n in model.layer_sizes]
        self.beta = np.ones((chains, 1), dtype=np.float32)

    def sweep(self):
        n = len(self.s)
        for parity in (0, 1):
            for k in range(parity, n, 2):
                field = np.broadcast_to(self.h[k], self.s[k].shape).copy()
                if k > 0:
                    field += self.s[k - 1] @ self.w[k - 1].T
                if k < n - 1:
                    field += self.s[k + 1] @ self.w[k]
                p = 1.0 / (1.0 + np.exp(-2.0 * self.beta * field))
                self.s[k] = np.where(self.rng.random(p.shape, dtype=np.float32) < p, 1.0, -1.0).astype(np.float32)


def sampler_rates(model: SpinModel, chains: int, repeats: int, threads: int) -> dict:
    backend = CPUBackend(model, chains, seed=0, threads=threads)
    beta = np.ones(chains)
    counter = iter(range(10**9))
    glassbox_s = best_time(lambda: backend.sweep(beta, next(counter)), repeats)
    backend.close()
    reference = ReferenceSampler(model, chains)
    with threadpool_limits(limits=threads, user_api="blas"):
        reference_s = best_time(reference.sweep, repeats)
    return {"glassbox_sweep_s": glassbox_s, "reference_sweep_s": reference_s}


def peak_memory(model: SpinModel, chains_per_t: int, temperatures: int) -> dict:
    """Peak traced allocation of a short sampling run against couplings + states + samples."""
    settings = SamplerSettings(replicas=chains_per_t, burnin_sweeps=20, measure_sweeps=200, measure_every=2,
                               method="tempering", seed=0, backend="cpu")
    tracemalloc.start()
    sample_replicas(model, np.geomspace(0.5, 5, temperatures), settings)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n_pairs = chains_per_t * (chains_per_t - 1) // 2
    n_meas, n_layers = settings.n_measurements, len(model.layer_sizes)
    chains = chains_per_t * temperatures
    budget = (
        4 * model.n_couplings * 2  # float32 couplings and their transposes
        + 4 * model.n_spins * chains * 2  # spins and local fields
        + n_meas * temperatures * (4 * n_pairs * (1 + n_layers) + 8 * chains_per_t)  # stored samples
    )
    return {"peak_bytes": peak, "budget_bytes": budget, "peak_over_budget": peak / budget}


def markdown(table: pd.DataFrame) -> str:
    """A pipe table with 3 significant digits (no tabulate dependency)."""
    def cell(v):
        return f"{v:.3g}" if isinstance(v, (float, np.floating)) else str(v)

    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, fewer scaling points")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    threads = usable_cores()
    rows = []

    def measure(label, sizes, chains):
        model = make_model(sizes)
        gemm = gemm_rate(model, chains, repeats)
        rates = sampler_rates(model, chains, repeats, threads)
        flops = 4.0 * model.n_couplings * chains
        spins = model.n_spins * chains
        row = {
            "network": label, "chains": chains, "spins": model.n_spins, "couplings": model.n_couplings,
            "gemm_gflops": gemm / 1e9,
            "glassbox_sweeps_per_s": 1 / rates["glassbox_sweep_s"],
            "glassbox_spin_updates_per_ns": spins / rates["glassbox_sweep_s"] / 1e9,
            "glassbox_roofline_fraction": flops / rates["glassbox_sweep_s"] / gemm,
            "reference_sweeps_per_s": 1 / rates["reference_sweep_s"],
            "reference_roofline_fraction": flops / rates["reference_sweep_s"] / gemm,
            "speedup_over_reference": rates["reference_sweep_s"] / rates["glassbox_sweep_s"],
        }
        rows.append(row)
        print(f"{label:34s} chains {chains:5d}: GEMM {row['gemm_gflops']:6.1f} GFLOP/s, glassbox "
              f"{row['glassbox_sweeps_per_s']:8.1f} sweeps/s = {row['glassbox_roofline_fraction']:.0%} of roofline, "
              f"{row['glassbox_spin_updates_per_ns']:.3f} spins/ns; reference "
              f"{row['reference_roofline_fraction']:.0%}; speedup x{row['speedup_over_reference']:.1f}", flush=True)

    for label, sizes in SIZES.items():
        measure(label, sizes, 256)
    for chains in ([16, 256, 1024] if args.quick else [16, 64, 256, 1024]):
        if chains != 256:
            measure("default digits 64-128-128-10", SIZES["default digits 64-128-128-10"], chains)
    for width in ([64, 512] if args.quick else [64, 256, 512, 1024]):
        measure(f"width scan 64-{width}-{width}-10", [64, width, width, 10], 256)

    memory = [
        {"network": label, **peak_memory(make_model(sizes), 8, 32)} for label, sizes in SIZES.items()
    ]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame(rows)
    table.to_csv(out / "roofline.csv", index=False)
    mem = pd.DataFrame(memory)
    with open(out / "roofline.md", "w") as f:
        f.write(f"Measured with {threads} threads; best of {repeats} repeats.\n\n")
        f.write(markdown(table))
        f.write("\n\nPeak traced memory of a 256-chain tempering run (8 replicas x 32 temperatures):\n\n")
        f.write(markdown(mem))
        f.write("\n")
    print((out / "roofline.md").read_text())


if __name__ == "__main__":
    main()
