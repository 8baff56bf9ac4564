"""The workflow on a real one-node SLURM cluster, through snakemake-executor-plugin-slurm.

The cluster is started by tools/slurm/local-cluster.sh (root, Debian packages
slurm-wlm and munge) and stopped by PID afterwards. Skips, with the reason,
where SLURM cannot be installed or started. Every snakemake call is bounded
in time and stopped with SIGINT (a hung snakemake ignores SIGTERM).
"""

import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import CLUSTER, REPO, TINY, parse_job_stats, slurm_cluster_up

SLURM_ARGS = [
    "--workflow-profile", str(REPO / "profiles" / "slurm"),
    "--slurm-status-command", "squeue",  # no accounting database on the test cluster
    "--slurm-init-seconds-before-status-checks", "1",  # polls then back off by +10 s
    "--slurm-keep-successful-logs",
    "--cores", "2", "--resources", "mem_mb=16000",  # one test node: 2 CPUs
]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster(slurm_cluster):
    """The session's cluster (conftest), or one installed and started here; skips where impossible."""
    if slurm_cluster_up():
        yield "running"
        return
    if os.geteuid() != 0:
        pytest.skip("starting a SLURM cluster needs root")
    if not shutil.which("slurmctld"):
        install = subprocess.run([str(CLUSTER), "install"], capture_output=True, text=True, timeout=600)
        if install.returncode != 0:
            pytest.skip(f"SLURM cannot be installed here: {install.stderr.strip()[-300:]}")
    start = subprocess.run([str(CLUSTER), "start"], capture_output=True, text=True, timeout=180)
    if start.returncode != 0:
        pytest.skip(f"SLURM did not start: {start.stderr.strip()[-500:]}")
    try:
        yield "started"
    finally:
        subprocess.run([str(CLUSTER), "stop"], capture_output=True, text=True, timeout=120)


def slurm_snakemake(workdir, *args, limit=420):
    command = ["timeout", "-s", "INT", "-k", "30", str(limit), sys.executable, "-m", "snakemake",
               "-s", str(REPO / "Snakefile"), "-d", str(workdir), *SLURM_ARGS, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=limit + 60)


def test_workflow_on_slurm_matches_local_run(cluster, finished_run, tmp_path):
    workdir = tmp_path / "slurm"
    workdir.mkdir()
    shutil.copy(TINY, workdir / "config.yaml")
    result = slurm_snakemake(workdir)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]

    # the jobs really ran under SLURM: job ids in the plugin's logs and in our rule logs
    job_ids = set(re.findall(r"submitted with SLURM jobid (\d+)", output))
    assert len(job_ids) >= 6, output[-2000:]
    slurm_logs = list((workdir / ".snakemake" / "slurm_logs").rglob("*.log"))
    assert {p.stem for p in slurm_logs} <= job_ids and len(slurm_logs) == len(job_ids)
    rule_log = (workdir / "results" / "logs" / "train" / "small.log").read_text()
    assert re.search(r"running as SLURM job (\d+)", rule_log).group(1) in job_ids
    assert "group_sampling_sample" in {p.parent.name for p in slurm_logs}  # sampling went as a group job

    # the same numbers as the local run of the same config
    for table in ("curves", "networks"):
        local = pd.read_csv(finished_run / "results" / "tables" / f"{table}.csv")
        remote = pd.read_csv(workdir / "results" / "tables" / f"{table}.csv")
        assert list(local.columns) == list(remote.columns)
        numeric = local.select_dtypes("number").columns.drop(["seconds"], errors="ignore")
        np.testing.assert_allclose(remote[numeric].to_numpy(float), local[numeric].to_numpy(float),
                                   rtol=1e-6, atol=1e-9, equal_nan=True)
    for sample in ("small/epoch0/T00.npz", "noisy/epoch2/T03.npz"):
        a = np.load(finished_run / "results" / "samples" / sample)
        b = np.load(workdir / "results" / "samples" / sample)
        np.testing.assert_array_equal(a["overlaps"], b["overlaps"])

    # a failing job: broken couplings make the run fail and show the job's log path
    couplings = workdir / "results" / "spin_models" / "noisy" / "epoch2" / "couplings_0.npy"
    backup = tmp_path / "couplings_0.npy"
    shutil.copy2(couplings, backup)
    couplings.write_bytes(b"\x93NUMPY broken")
    for stale in ("samples/noisy", "tables", "plots"):  # as in a first run that reaches this job
        shutil.rmtree(workdir / "results" / stale)
    failed = slurm_snakemake(workdir, "--retries", "0")
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0
    slurm_log = re.search(r"log: (\S+/slurm_logs/group_sampling_sample/\d+\.log)", output)
    assert slurm_log, output[-3000:]
    assert "results/logs/sample/noisy_epoch2.log" in output
    for log in (slurm_log.group(1), workdir / "results" / "logs" / "sample" / "noisy_epoch2.log"):
        text = open(log).read()
        assert "corrupt array file results/spin_models/noisy/epoch2/couplings_0.npy" in text, text[-2000:]

    # after the fix, the rerun does only what is missing
    shutil.copy2(backup, couplings)
    rerun = slurm_snakemake(workdir)
    output = rerun.stdout + rerun.stderr
    assert rerun.returncode == 0, output[-4000:]
    assert parse_job_stats(output) == {"sample": 1, "aggregate": 1, "statistics": 1, "plot": 1, "all": 1}
