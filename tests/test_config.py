"""Bad configs stop before any job runs, with a message naming the key."""

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from glassbox import config as glassbox_config

REPO = Path(__file__).resolve().parents[1]
TINY = yaml.safe_load((REPO / "tests" / "tiny_config.yaml").read_text())

BAD_CONFIGS = {
    "unknown key": (lambda c: c["sampler"].update(sweeps=10), "sweeps"),
    "negative temperature": (lambda c: c["temperatures"].update(min=-1.0), "temperatures.min"),
    "empty suite": (lambda c: c.update(suite={}), "suite"),
    "zero width": (lambda c: c["suite"]["small"].update(hidden=[0]), "suite.small.hidden.0"),
    "checkpoint after training": (lambda c: c["suite"]["small"].update(checkpoints=[5]), "suite.small.checkpoints"),
    "inverted grid": (lambda c: c["temperatures"].update(min=9.0), "temperatures.min"),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_library_validation_names_the_key(case):
    mutate, key = BAD_CONFIGS[case]
    config = copy.deepcopy(TINY)
    mutate(config)
    with pytest.raises(glassbox_config.ConfigError, match=key.replace(".", r"\.")):
        glassbox_config.validate(config)


def test_valid_config_gets_defaults():
    config = glassbox_config.validate(copy.deepcopy(TINY))
    assert config["spin_model"] == {"include_input": True, "fields": "bias", "coupling_scale": "none"}
    spec = glassbox_config.network_spec(config, "noisy")
    assert spec["label_noise"] == 0.5 and spec["hidden"] == [12] and spec["checkpoints"] == [2]


@pytest.mark.parametrize("case", ["unknown key", "negative temperature", "empty suite", "zero width"])
def test_snakemake_stops_before_any_job(case, tmp_path):
    mutate, key = BAD_CONFIGS[case]
    config = copy.deepcopy(TINY)
    mutate(config)
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1", "-s", str(REPO / "Snakefile"), "-d", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    leaf = key.split(".")[-1]
    assert leaf in result.stdout + result.stderr
    assert not (tmp_path / "results").exists(), "no job may run on a bad config"


def test_temperature_grid():
    grid = glassbox_config.temperature_grid({"min": 0.5, "max": 8.0, "count": 5, "spacing": "log"})
    assert grid[0] == pytest.approx(0.5) and grid[-1] == pytest.approx(8.0)
    assert grid[1] / grid[0] == pytest.approx(2.0)
    relative = glassbox_config.temperature_grid({"min": 0.5, "max": 2.0, "count": 3, "units": "T_m"}, T_m=4.0)
    assert relative.tolist() == pytest.approx([2.0, 4.0, 8.0])


def test_shipped_configs_validate():
    for path in (REPO / "config.yaml", REPO / "configs" / "paper.yaml"):
        config = glassbox_config.load(path)
        assert glassbox_config.checkpoint_list(config)


def test_seeds_expand_into_named_networks():
    config = copy.deepcopy(TINY)
    config["suite"]["noisy"]["seeds"] = [3, 4]
    config = glassbox_config.validate(config)
    names = list(glassbox_config.expand_suite(config))
    assert names == ["small", "noisy_s3", "noisy_s4"]
    assert glassbox_config.network_spec(config, "noisy_s4")["seed"] == 4
