import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from glassbox.spin_model import from_layers


def random_network(sizes, seed, field_scale=0.3, weight_scale=1.0):
    """A layered network with Gaussian couplings of variance weight_scale^2 / fan-in."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, weight_scale / np.sqrt(sizes[k]), (sizes[k + 1], sizes[k])) for k in range(len(sizes) - 1)]
    biases = [rng.normal(0, field_scale, sizes[k + 1]) for k in range(len(sizes) - 1)]
    return weights, biases


@pytest.fixture
def small_model():
    weights, biases = random_network([4, 6, 6], seed=1)
    return from_layers(weights, biases)


REPO = Path(__file__).resolve().parents[1]
TINY = REPO / "tests" / "tiny_config.yaml"


def snakemake(workdir, *args, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d", str(workdir), *args],
        capture_output=True, text=True, timeout=timeout,
    )


def copy_run(source, target):
    """Copy a finished run keeping every timestamp (``cp -a``), as a user's rsync would."""
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)
    return target


def parse_job_stats(output):
    """Rule -> job count from the 'Job stats' table snakemake prints."""
    counts = {}
    block = output.split("Job stats:")
    for line in (block[1].splitlines()[3:] if len(block) > 1 else []):
        match = re.match(r"^(\w+)\s+(\d+)$", line.strip())
        if not match:
            break
        counts[match.group(1)] = int(match.group(2))
    counts.pop("total", None)
    return counts


def planned_jobs(workdir):
    """Rule -> job count of a dry run."""
    result = snakemake(workdir, "--cores", "1", "-n")
    assert result.returncode == 0, result.stdout + result.stderr
    return parse_job_stats(result.stdout + result.stderr)


CLUSTER = REPO / "tools" / "slurm" / "local-cluster.sh"


def slurm_cluster_up() -> bool:
    if not shutil.which("sinfo"):
        return False
    result = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, timeout=30)
    return result.returncode == 0 and ("idle" in result.stdout or "mix" in result.stdout)


@pytest.fixture(scope="session", autouse=True)
def slurm_cluster():
    """Where SLURM is installed and we are root, run the local test cluster for the whole session.

    Besides serving tests/test_slurm.py, a running controller keeps every snakemake call
    fast: snakemake-executor-plugin-slurm 2.8.0 runs `scontrol show config` (10 s timeout)
    when it is imported, whenever `sinfo` is on PATH, and without a controller that call
    waits the full timeout.
    """
    import os

    if slurm_cluster_up():
        yield "running"
        return
    if not (shutil.which("slurmctld") and os.geteuid() == 0):
        yield None
        return
    started = subprocess.run([str(CLUSTER), "start"], capture_output=True, text=True, timeout=180)
    try:
        yield "started" if started.returncode == 0 else None
    finally:
        if started.returncode == 0:
            subprocess.run([str(CLUSTER), "stop"], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("workflow")
    shutil.copy(TINY, workdir / "config.yaml")
    result = snakemake(workdir, "--cores", "2")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return workdir
