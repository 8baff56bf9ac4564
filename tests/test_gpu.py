"""On a real GPU: the CUDA backend against exact enumeration and against the CPU backend.

Skipped where CuPy sees no device. Run on a GPU machine with
``.venv/bin/python -m pytest tests/test_gpu.py`` (after ``pip install '.[gpu]'``).
"""

import numpy as np
import pytest

from glassbox.descriptor import mean_and_error
from glassbox.sampler import SamplerSettings, sample_replicas
from glassbox.sampler import cuda
from glassbox.sampler.exact import exact_observables
from glassbox.spin_model import from_layers

from conftest import random_network

pytestmark = [pytest.mark.gpu, pytest.mark.skipif(not cuda.available(), reason=str(cuda.unavailable_reason()))]


@pytest.mark.parametrize("fields_kernel", ["cublas", "fused"])
def test_cuda_matches_exact_enumeration(fields_kernel, monkeypatch):
    original = cuda.CUDABackend.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **{**kwargs, "fields_kernel": fields_kernel})

    monkeypatch.setattr(cuda.CUDABackend, "__init__", init)
    weights, biases = random_network([5, 6, 5], seed=21, weight_scale=1.5)
    model = from_layers(weights, biases)
    temperatures = np.geomspace(0.3, 3.0, 10) * model.T_sg()
    settings = SamplerSettings(replicas=8, burnin_sweeps=500, measure_sweeps=6000, measure_every=2,
                               method="tempering", seed=5, backend="cuda")
    run = sample_replicas(model, temperatures, settings)
    assert run.backend == "cuda"
    for samples in run.samples:
        exact = exact_observables(model, samples.temperature)
        for name, series in {"energy_per_spin": samples.energy_per_spin.mean(axis=1),
                             "Q": np.abs(samples.overlaps).mean(axis=1)}.items():
            mean, err, _ = mean_and_error(series)
            assert abs(mean - exact[name]) < 5 * err + 1e-3, (samples.temperature, name, mean, err, exact[name])


def test_cuda_agrees_with_cpu_statistically():
    weights, biases = random_network([64, 128, 128, 10], seed=3)
    model = from_layers(weights, biases)
    temperatures = np.geomspace(0.5, 8, 12)
    runs = {}
    for backend in ("cpu", "cuda"):
        settings = SamplerSettings(replicas=8, burnin_sweeps=1000, measure_sweeps=4000, measure_every=4,
                                   method="tempering", seed=1, backend=backend)
        runs[backend] = sample_replicas(model, temperatures, settings)
    for a, b in zip(runs["cpu"].samples, runs["cuda"].samples):
        qa, ea, _ = mean_and_error(np.abs(a.overlaps).mean(axis=1))
        qb, eb, _ = mean_and_error(np.abs(b.overlaps).mean(axis=1))
        assert abs(qa - qb) < 5 * np.hypot(ea, eb) + 2e-3, (a.temperature, qa, qb)


def test_same_first_sweep_as_cpu():
    """Same seed, same initial spins (Philox stream shared by both backends)."""
    from glassbox.sampler.cpu import CPUBackend

    weights, biases = random_network([8, 12, 4], seed=2)
    model = from_layers(weights, biases)
    cpu_backend, gpu_backend = CPUBackend(model, 16, seed=9), cuda.CUDABackend(model, 16, seed=9)
    for a, b in zip(cpu_backend.layer_states(), gpu_backend.layer_states()):
        np.testing.assert_array_equal(a, b)
