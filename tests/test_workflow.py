"""The workflow end to end on a tiny config in a temporary directory."""

import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from glassbox.io import InputFileError, atomic_path
from glassbox.networks import load_checkpoint

from conftest import REPO, TINY, copy_run, planned_jobs, snakemake  # noqa: F401

pytestmark = pytest.mark.slow


def test_every_output_exists_and_is_sane(finished_run):
    results = finished_run / "results"
    curves = pd.read_csv(results / "tables" / "curves.csv")
    networks = pd.read_csv(results / "tables" / "networks.csv")
    pq = pd.read_csv(results / "tables" / "overlap_distributions.csv")
    assert sorted(networks["model"]) == ["noisy@2", "small@0", "small@2"]
    assert len(curves) == 3 * 4
    assert curves["Q"].between(0, 1).all()
    # Q(T) falls from the lowest to the highest temperature for every checkpoint
    for _, curve in curves.groupby(["network", "epoch"]):
        curve = curve.sort_values("temperature")
        assert curve["Q"].iloc[0] > curve["Q"].iloc[-1]
    assert (networks["T_m"] > 0).all() and (networks["T_sg"] > 0).all()
    assert networks["test_accuracy"].between(0, 1).all()
    assert {"pgd_accuracy_eps0.1", "fgsm_accuracy_eps0.1", "noise_accuracy_sigma0.2"} <= set(networks.columns)
    assert set(pq["temperature"].round(6)) == set(curves["temperature"].round(6))
    assert np.isfinite(networks["z_Q_area"]).all()  # every checkpoint has its random ensemble
    statistics = pd.read_csv(results / "tables" / "statistics.csv")
    assert {"descriptor", "baseline"} <= set(statistics["kind"])
    assert {"spearman_lo", "spearman_hi", "kendall", "kendall_lo"} <= set(statistics.columns)
    assert {"ww_alpha", "memorised_fraction", "n_inputs"} <= set(networks.columns)
    for figure in ("q_curves", "overlap_distributions", "correlations", "training_dynamics", "capacity",
                   "robustness", "backdoor", "far_from_equilibrium", "baselines"):
        for ext in ("png", "pdf"):
            assert (results / "plots" / f"{figure}.{ext}").stat().st_size > 5000
    sample = np.load(results / "samples" / "small" / "epoch2" / "T00.npz")
    assert sample["overlaps"].shape == (100, 3)  # 200 sweeps / 2, 3 replica pairs
    assert sample["layer_overlaps"].shape == (100, 3, 3)
    manifest = yaml.safe_load((results / "spin_models" / "small" / "epoch2" / "manifest.json").read_text())
    assert manifest["layer_sizes"] == [64, 12, 10]
    assert len(list((results / "logs").rglob("*.log"))) >= 10


def test_same_config_same_numbers(finished_run, tmp_path):
    shutil.copy(TINY, tmp_path / "config.yaml")
    target = "results/samples/small/epoch2/T00.npz"
    result = snakemake(tmp_path, "--cores", "1", target)
    assert result.returncode == 0, result.stderr[-2000:]
    a = np.load(finished_run / target)
    b = np.load(tmp_path / target)
    np.testing.assert_array_equal(a["overlaps"], b["overlaps"])


def test_nothing_to_do_after_a_run(finished_run):
    assert planned_jobs(finished_run) == {}


def test_changing_one_network_reruns_only_its_chain(finished_run, tmp_path):
    workdir = copy_run(finished_run, tmp_path / "copy")
    config = yaml.safe_load(TINY.read_text())
    config["suite"]["noisy"]["learning_rate"] = 0.02
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    jobs = planned_jobs(workdir)
    # noisy has one checkpoint: train, evaluate, export and sample it once; then aggregate and plot
    assert jobs == {"train": 1, "evaluate": 1, "export_couplings": 1, "sample": 1, "aggregate": 1, "statistics": 1,
                    "plot": 1, "all": 1}


def test_changing_the_temperature_grid_reruns_only_sampling_onward(finished_run, tmp_path):
    workdir = copy_run(finished_run, tmp_path / "copy")
    config = yaml.safe_load(TINY.read_text())
    config["temperatures"]["max"] = 9.0
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    assert planned_jobs(workdir) == {"sample": 3, "sample_ensemble": 1, "aggregate": 1, "statistics": 1, "plot": 1,
                                     "all": 1}


def test_corrupt_checkpoint_fails_with_its_name(finished_run, tmp_path):
    workdir = copy_run(finished_run, tmp_path / "copy")
    checkpoint = workdir / "results" / "models" / "small" / "checkpoints" / "epoch2.pt"
    checkpoint.write_bytes(b"\x00garbage")
    manifest = "results/spin_models/small/epoch2/manifest.json"
    result = snakemake(workdir, "--cores", "1", "--forcerun", "export_couplings", manifest)
    assert result.returncode != 0
    assert "epoch2.pt" in result.stdout + result.stderr
    assert not (workdir / manifest).exists(), "a failed job leaves no output behind"
    with pytest.raises(InputFileError, match="epoch2.pt"):
        load_checkpoint(checkpoint)
    with pytest.raises(InputFileError, match="missing checkpoint"):
        load_checkpoint(workdir / "nothing.pt")


def test_html_report_has_every_figure(finished_run, tmp_path):
    workdir = copy_run(finished_run, tmp_path / "copy")
    result = snakemake(workdir, "--report", "report.html")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (workdir / "report.html").stat().st_size > 100_000


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "table.csv"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half a tab")
            raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []
