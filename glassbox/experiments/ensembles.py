"""Random networks of one architecture: the reference for "far from equilibrium" z-scores.

Each member has PyTorch's default Linear initialisation (seeded), is exported
with the workflow's spin-model options and sampled with its sampler settings
on its temperature grid, exactly like a trained network.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

from ..config import derived_seed, temperature_grid
from ..inspection import describe, random_ensemble
from ..sampler import SamplerSettings
from ..spin_model import from_layers

SUMMARY_KEYS = ("Q_area", "T_half", "Q_low", "T_sg", "T_m", "tau_q_max_sweeps")


def sample_ensemble(widths: list[int], members: int, spin_model: dict, temperatures: dict, sampler: dict,
                    name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-temperature curves and per-member summaries of ``members`` random networks of ``widths``."""
    curves, summaries = [], []
    for member, stack in enumerate(random_ensemble(widths, members, seed=derived_seed("ensemble", name) % 2**31)):
        spin = from_layers(stack.weights, stack.biases, **spin_model)
        grid = temperature_grid(temperatures, spin.T_m())
        settings = SamplerSettings(**{**sampler, "seed": derived_seed(sampler.get("seed", 0), name, member)})
        result = describe(spin, grid, settings)
        curves += [{"ensemble": name, "member": member, **row} for row in result["curve"]]
        summaries.append({"ensemble": name, "member": member, "widths": str(widths), **result["summary"]})
        print(f"  member {member + 1}/{members}: Q_area {result['summary']['Q_area']:.3f}, "
              f"T_sg {result['summary']['T_sg']:.3f}", file=sys.stderr, flush=True)
    return pd.DataFrame(curves), pd.DataFrame(summaries)


def z_scores(networks: pd.DataFrame, ensembles: pd.DataFrame) -> pd.DataFrame:
    """Add ``z_<key>`` columns: each network against the ensemble of its own widths (NaN if none)."""
    networks = networks.copy()
    widths_of = networks["n_inputs"].astype(int).astype(str) + ":" + networks["hidden"].astype(str) + ":" + \
        networks["n_outputs"].astype(int).astype(str)
    for key in SUMMARY_KEYS:
        networks[f"z_{key}"] = np.nan
    if ensembles.empty:
        return networks
    for widths, members in ensembles.groupby("widths"):
        parts = json.loads(widths)  # "[64, 128, 128, 10]", as written by sample_ensemble
        match = f"{parts[0]}:{parts[1:-1]}:{parts[-1]}"
        rows = widths_of == match
        for key in SUMMARY_KEYS:
            values = members[key].to_numpy(float)
            values = values[np.isfinite(values)]
            if values.size > 1 and values.std(ddof=1) > 0:
                networks.loc[rows, f"z_{key}"] = (networks.loc[rows, key] - values.mean()) / values.std(ddof=1)
    return networks
