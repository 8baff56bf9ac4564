"""The CUDA kernels without a GPU: nvcc compile check, and the device functions
compiled as host code, bit for bit against the CPU backend."""

import ctypes
import shutil
import subprocess

import numpy as np
import pytest

from glassbox.sampler import philox
from glassbox.sampler.cuda import KERNELS

from test_sampler import PHILOX_KAT


@pytest.mark.skipif(shutil.which("nvcc") is None, reason="nvcc is not installed")
def test_kernels_compile_for_sm90_without_warnings(tmp_path):
    result = subprocess.run(
        ["nvcc", "-arch=sm_90", "--std=c++17", "-Werror", "all-warnings", "--fmad=false", f"-I{KERNELS}",
         "-ptx", str(KERNELS / "heat_bath.cu"), "-o", str(tmp_path / "heat_bath.ptx")],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    ptx = (tmp_path / "heat_bath.ptx").read_text()
    for kernel in ("heat_bath_update", "energy_accumulate", "replica_overlaps", "fused_fields_update"):
        assert f".entry {kernel}" in ptx


@pytest.fixture(scope="module")
def shim(tmp_path_factory):
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler for the host shim")
    lib = tmp_path_factory.mktemp("shim") / "shim.so"
    subprocess.run([compiler, "-O2", "-ffp-contract=off", "-Wall", "-Werror", "-shared", "-fPIC",
                    f"-I{KERNELS}", str(KERNELS / "shim.c"), "-o", str(lib), "-lm"], check=True)
    return ctypes.CDLL(str(lib))


def _ptr(a, ctype):
    return a.ctypes.data_as(ctypes.POINTER(ctype))


@pytest.mark.parametrize("counter,key,expected", PHILOX_KAT)
def test_device_philox_known_answers(shim, counter, key, expected):
    c = np.array(counter, dtype=np.uint32)
    shim.shim_philox(_ptr(c, ctypes.c_uint), ctypes.c_uint(key[0]), ctypes.c_uint(key[1]))
    assert tuple(int(x) for x in c) == expected


def test_device_exp_equals_cpu_exp_bitwise(shim):
    x = np.concatenate([np.linspace(-100, 100, 200_001, dtype=np.float32),
                        np.random.default_rng(0).normal(0, 20, 100_000).astype(np.float32)])
    out = np.empty_like(x)
    shim.shim_exp(_ptr(x, ctypes.c_float), _ptr(out, ctypes.c_float), ctypes.c_int(x.size))
    np.testing.assert_array_equal(out.view(np.uint32), philox.exp_cephes(x).view(np.uint32))


@pytest.mark.parametrize("offset", [0, 3, 66])
def test_device_update_equals_cpu_update_bitwise(shim, offset):
    rng = np.random.default_rng(offset)
    n_chains, n = 37, 53
    fields = rng.normal(0, 3, (n_chains, n)).astype(np.float32)
    two_beta = rng.uniform(0.05, 5, n_chains).astype(np.float32)
    for sweep in (0, 1, 12345):
        cpu = np.zeros((n_chains, n), dtype=np.float32)
        philox.heat_bath_update(cpu, fields, two_beta, offset, sweep, 0, 0xDEADBEEF, 0x01234567)
        device = np.zeros_like(cpu)
        shim.shim_heat_bath_update(_ptr(device, ctypes.c_float), _ptr(fields, ctypes.c_float),
                                   _ptr(two_beta, ctypes.c_float), ctypes.c_int(n_chains), ctypes.c_int(n),
                                   ctypes.c_longlong(offset), ctypes.c_uint(sweep), ctypes.c_uint(0),
                                   ctypes.c_uint(0xDEADBEEF), ctypes.c_uint(0x01234567))
        np.testing.assert_array_equal(device, cpu)
        assert 0.2 < (cpu > 0).mean() < 0.8  # a real mix of both signs


def test_heat_bath_probability_is_the_sigmoid():
    """P(s = +1) = 1 / (1 + exp(-2 beta h)) for the shared update rule."""
    n_sweeps, n = 4000, 64
    fields = np.linspace(-2, 2, n, dtype=np.float32)[None, :]
    two_beta = np.array([1.5], dtype=np.float32)
    ups = np.zeros(n)
    spins = np.zeros((1, n), dtype=np.float32)
    for sweep in range(n_sweeps):
        philox.heat_bath_update(spins, fields, two_beta, 5, sweep, 0, 1, 2)
        ups += spins[0] > 0
    p = 1 / (1 + np.exp(-1.5 * fields[0].astype(np.float64)))
    z = (ups / n_sweeps - p) / np.sqrt(p * (1 - p) / n_sweeps)
    assert np.max(np.abs(z)) < 4.5


def test_backend_auto_selection_without_a_gpu(small_model, monkeypatch):
    from glassbox.sampler import cuda as cuda_module
    from glassbox.sampler import make_backend

    monkeypatch.setattr(cuda_module, "unavailable_reason", lambda: "CuPy sees no CUDA device")
    assert make_backend("auto", small_model, 4, seed=1).name == "cpu"
    assert make_backend("cpu", small_model, 4, seed=1).name == "cpu"
    with pytest.raises(RuntimeError, match="sampler.backend is 'cuda' but CuPy sees no CUDA device"):
        make_backend("cuda", small_model, 4, seed=1)


def test_backend_auto_selection_picks_cuda_when_available(small_model, monkeypatch):
    from glassbox.sampler import cuda as cuda_module
    from glassbox.sampler import make_backend

    class FakeCUDABackend:
        name = "cuda"

        def __init__(self, model, n_chains, seed):
            self.args = (model, n_chains, seed)

    monkeypatch.setattr(cuda_module, "unavailable_reason", lambda: None)
    monkeypatch.setattr(cuda_module, "CUDABackend", FakeCUDABackend)
    backend = make_backend("auto", small_model, 4, seed=1)
    assert backend.name == "cuda" and backend.args[1:] == (4, 1)
