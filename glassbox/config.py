"""The workflow configuration: schema validation, network specs, temperature grid.

The JSON schema lives in ``glassbox/schemas/config.schema.yaml``; the
Snakefile validates against it with ``snakemake.utils.validate`` and this
module adds the checks a schema cannot express (checkpoints within the
training epochs, an ordered temperature range). Every error names its key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import yaml

SCHEMA_PATH = Path(__file__).parent / "schemas" / "config.schema.yaml"

NETWORK_DEFAULTS = {
    "dataset": "digits",
    "hidden": [128, 128],
    "activation": "relu",
    "epochs": 30,
    "batch_size": 64,
    "optimizer": "adam",
    "learning_rate": 1e-3,
    "momentum": 0.9,
    "weight_decay": 0.0,
    "seed": 0,
    "label_noise": 0.0,
    "training": "standard",
    "train_eps": 0.1,
    "train_pgd_steps": 7,
    "train_sigma": 0.2,
    "backdoor_rate": 0.0,
    "backdoor_target": 0,
    "backdoor_patch": 2,
}


class ConfigError(ValueError):
    """The config is invalid; the message names the offending key."""


def load_schema() -> dict:
    return yaml.safe_load(SCHEMA_PATH.read_text())


def validate(config: dict) -> dict:
    """Validate against the schema (filling defaults), then the semantic checks; returns config."""
    import jsonschema

    schema = load_schema()
    validator_cls = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_cls(schema).iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        key = ".".join(str(p) for p in err.absolute_path) or "(top level)"
        raise ConfigError(f"config key {key}: {err.message}")
    _fill_defaults(config, schema)
    check(config)
    return config


def _fill_defaults(config: dict, schema: dict) -> None:
    for key, sub in schema.get("properties", {}).items():
        if key not in config and "default" in sub:
            config[key] = yaml.safe_load(yaml.safe_dump(sub["default"]))
        if isinstance(config.get(key), dict) and sub.get("type") == "object":
            _fill_defaults(config[key], sub)


def check(config: dict) -> None:
    """Checks beyond the schema; raises :class:`ConfigError` naming the key."""
    temps = config.get("temperatures", {})
    if temps.get("count", 24) > 1 and temps.get("min", 0.3) >= temps.get("max", 10.0):
        raise ConfigError(
            f"config key temperatures.min ({temps.get('min')}) must be below temperatures.max ({temps.get('max')})"
        )
    if config.get("sampler", {}).get("method") == "tempering" and temps.get("count", 24) < 2:
        raise ConfigError("config key temperatures.count must be at least 2 for sampler.method: tempering")
    sampler = config.get("sampler", {})
    if sampler.get("measure_sweeps", 1) < sampler.get("measure_every", 1):
        raise ConfigError("config key sampler.measure_sweeps must be at least sampler.measure_every")
    for name in expand_suite(config):
        spec = network_spec(config, name)
        for epoch in spec["checkpoints"]:
            if epoch > spec["epochs"]:
                raise ConfigError(
                    f"config key suite.{name}.checkpoints: epoch {epoch} is beyond the {spec['epochs']} training epochs"
                )
        if spec["dataset"] in ("mnist", "fashion_mnist") and spec["dataset"] not in config.get("data", {}).get(
            "paths", {}
        ):
            raise ConfigError(
                f"config key suite.{name}.dataset: '{spec['dataset']}' is read from disk; set data.paths.{spec['dataset']}"
            )


def expand_suite(config: dict) -> dict:
    """The suite with every entry that lists ``seeds`` expanded into ``<name>_s<seed>`` networks."""
    suite = {}
    for name, entry in config["suite"].items():
        entry = dict(entry or {})
        seeds = entry.pop("seeds", None)
        if seeds is None:
            suite[name] = entry
            continue
        for seed in seeds:
            suite[f"{name}_s{seed}"] = {**entry, "seed": seed, "group": entry.get("group", name)}
    return suite


def network_spec(config: dict, name: str) -> dict:
    """The full spec of network ``name``: built-in defaults, then ``defaults``, then its own keys."""
    suite = expand_suite(config)
    if name not in suite:
        raise ConfigError(f"config key suite.{name} does not exist")
    spec = {**NETWORK_DEFAULTS, **(config.get("defaults") or {}), **suite[name]}
    spec.setdefault("checkpoints", [spec["epochs"]])
    spec["checkpoints"] = sorted(set(int(e) for e in spec["checkpoints"]))
    spec.setdefault("group", name)
    spec["name"] = name
    return canonical(spec)


def checkpoint_list(config: dict) -> list[tuple[str, int]]:
    """Every (network, epoch) whose checkpoint the workflow keeps, in suite order."""
    return [(name, epoch) for name in expand_suite(config) for epoch in network_spec(config, name)["checkpoints"]]


def temperature_grid(temperatures: dict, T_m: float | None = None) -> np.ndarray:
    """The temperature grid: ``count`` points from ``min`` to ``max``, log or linear spaced.

    With ``units: T_m`` the grid is in multiples of the network's own ``T_m``.
    """
    lo, hi, n = float(temperatures.get("min", 0.3)), float(temperatures.get("max", 10.0)), int(
        temperatures.get("count", 24)
    )
    if n == 1:
        grid = np.array([lo])
    elif temperatures.get("spacing", "log") == "log":
        grid = np.geomspace(lo, hi, n)
    else:
        grid = np.linspace(lo, hi, n)
    if temperatures.get("units", "absolute") == "T_m":
        if T_m is None or not T_m > 0:
            raise ConfigError("temperatures.units is 'T_m' but the network's T_m is not positive")
        grid = grid * T_m
    return grid


def canonical(obj):
    """A copy with every mapping's keys sorted, recursively.

    Snakemake compares rule params as written, key order included; passing
    params in canonical order means that reordering or re-serialising a config
    with the same values reruns nothing.
    """
    if isinstance(obj, dict):
        return {key: canonical(obj[key]) for key in sorted(obj)}
    if isinstance(obj, (list, tuple)):
        return [canonical(x) for x in obj]
    return obj


def derived_seed(*parts) -> int:
    """A 64-bit seed from any printable parts (config seed, network, epoch, temperature index)."""
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "little")


def load(path: str | Path) -> dict:
    """Read and validate a config file."""
    path = Path(path)
    try:
        config = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except yaml.YAMLError as err:
        raise ConfigError(f"config file {path} is not valid YAML: {err}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"config file {path} must hold a mapping")
    return validate(config)
