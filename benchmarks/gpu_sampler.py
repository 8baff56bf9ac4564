"""GPU sampler benchmark: spin updates per ns and the fraction of the device's cuBLAS GEMM rate.

    .venv/bin/python benchmarks/gpu_sampler.py      # a minute or two on one GPU

Prints a table and writes benchmarks/results/gpu.md. Needs CuPy and a device.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from sampler_roofline import SIZES, make_model  # noqa: E402

from glassbox.sampler import cuda  # noqa: E402


def main():
    reason = cuda.unavailable_reason()
    if reason:
        sys.exit(f"no GPU benchmark: {reason}")
    import cupy as cp

    rows = ["| network | chains | fields | cuBLAS GEMM TFLOP/s | sweeps/s | spin updates/ns | GEMM time / sweep time |",
            "|---|---|---|---|---|---|---|"]
    for label, sizes in SIZES.items():
        model = make_model(sizes)
        for chains in (256, 4096, 32768):
            backend = cuda.CUDABackend(model, chains, seed=0)
            spins = [cp.sign(cp.random.standard_normal((chains, n), dtype=cp.float32)) for n in model.layer_sizes]
            out = [cp.empty((chains, n), dtype=cp.float32) for n in model.layer_sizes]

            def products():
                for k, w in enumerate(backend.couplings):
                    cp.matmul(spins[k], backend.couplings_t[k], out=out[k + 1])
                    cp.matmul(spins[k + 1], w, out=out[k])

            def timed(fn, reps):
                fn()
                cp.cuda.Device().synchronize()
                start = time.perf_counter()
                for i in range(reps):
                    fn(i) if fn.__code__.co_argcount else fn()
                cp.cuda.Device().synchronize()
                return (time.perf_counter() - start) / reps

            gemm_s = timed(products, 50)
            beta = np.ones(chains)
            flops = 4.0 * model.n_couplings * chains
            for fields_kernel in ("cublas", "fused"):  # which local-field path is faster, measured
                backend.fields_kernel = fields_kernel
                sweep_s = timed(lambda i=0: backend.sweep(beta, i), 50)
                rows.append(f"| {label} | {chains} | {fields_kernel} | {flops / gemm_s / 1e12:.2f} | "
                            f"{1 / sweep_s:.0f} | {model.n_spins * chains / sweep_s / 1e9:.2f} | "
                            f"{gemm_s / sweep_s:.2f} |")
                print(rows[-1], flush=True)
    out_dir = Path(__file__).parent / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "gpu.md").write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
