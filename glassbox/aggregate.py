"""Tidy tables from the per-temperature samples and per-network metrics.

* ``curves``: one row per network checkpoint x temperature: Q(T) with errors,
  <q^2>, Binder cumulant, chi_SG, energy, specific heat, relaxation times,
  overlaps per layer, swap acceptance and the equilibration flag;
* ``networks``: one row per network checkpoint: spec, T_sg and T_m, scalar
  summaries of its Q(T) curve, relaxation times, and every conventional metric;
* ``overlap_distributions``: P(q) histograms per checkpoint and temperature.
"""

from __future__ import annotations

import json
from typing import Sequence

import numpy as np
import pandas as pd

from . import io
from .descriptor import curve_summaries, overlap_histogram, temperature_observables

SPEC_COLUMNS = ("group", "dataset", "hidden", "activation", "epochs", "label_noise", "training", "seed",
                "backdoor_rate", "train_eps", "train_sigma")


def curve_rows(network: str, epoch: int, sample_files: Sequence[str]) -> tuple[list[dict], list[dict], dict]:
    """Observables per temperature, P(q) rows, and the sampling run summary of one checkpoint."""
    rows, pq_rows = [], []
    run = {}
    for path in sample_files:
        data = io.load_npz(path)
        run = json.loads(str(data["run"]))
        sizes = data["layer_sizes"]
        n_spins = int(sizes.sum())
        obs = temperature_observables(
            data["overlaps"], data["energy_per_spin"], float(data["temperature"]), n_spins,
            measure_every=run["settings"]["measure_every"], layer_overlaps=data["layer_overlaps"],
        )
        index = int(data["temperature_index"])
        acceptance = run["swap_acceptance"]
        obs.update(network=network, epoch=epoch, temperature_index=index, n_spins=n_spins,
                   swap_acceptance=acceptance[index] if index < len(acceptance) else None)
        rows.append(obs)
        centres, density = overlap_histogram(data["overlaps"], n_spins)
        pq_rows += [{"network": network, "epoch": epoch, "temperature": obs["temperature"], "q": c, "density": d}
                    for c, d in zip(centres, density)]
    return rows, pq_rows, run


def aggregate(
    models: Sequence[tuple[str, int]],
    specs: dict[str, dict],
    sample_files: Sequence[Sequence[str]],
    evaluation_files: Sequence[str],
    manifest_files: Sequence[str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Build the three tables; ``sample_files[i]`` are the temperature files of ``models[i]``."""
    curve_table, pq_table, network_table = [], [], []
    for (network, epoch), samples, evaluation, manifest in zip(models, sample_files, evaluation_files,
                                                               manifest_files):
        rows, pq_rows, run = curve_rows(network, epoch, samples)
        spin = io.read_json(manifest)
        metrics = io.read_json(evaluation)
        rows.sort(key=lambda r: r["temperature"])
        for row in rows:
            row.update(T_sg=spin["T_sg"], T_m=spin["T_m"])
        curve_table += rows
        pq_table += pq_rows
        temps = np.array([r["temperature"] for r in rows])
        Q = np.array([r["Q"] for r in rows])
        spec = specs[network]
        summary = {
            "network": network,
            "epoch": epoch,
            "model": f"{network}@{epoch}",
            **{key: (str(spec[key]) if key == "hidden" else spec.get(key)) for key in SPEC_COLUMNS},
            "width": int(max(spec["hidden"])) if spec["hidden"] else 0,
            "n_spins": spin["n_spins"],
            "T_sg": spin["T_sg"],
            "T_m": spin["T_m"],
            **curve_summaries(temps, Q),
            "tau_q_max_sweeps": float(max(r["tau_q_sweeps"] for r in rows)),
            "tau_q_lowest_T_sweeps": float(rows[0]["tau_q_sweeps"]),
            "tau_energy_max_sweeps": float(max(r["tau_energy_sweeps"] for r in rows)),
            "binder_low": float(rows[0]["binder"]),
            "n_temperatures": len(rows),
            "n_not_equilibrated": int(sum(not r["equilibrated"] for r in rows)),
            "round_trips": run.get("round_trips"),
            "sampler_method": run.get("settings", {}).get("method"),
            **{k: v for k, v in metrics.items() if k not in ("network", "epoch")},
        }
        network_table.append(summary)
    curves = pd.DataFrame(curve_table)
    front = ["network", "epoch", "temperature_index", "temperature"]
    curves = curves[front + [c for c in curves.columns if c not in front]]
    return curves, pd.DataFrame(network_table), pd.DataFrame(pq_table)


def training_table(metrics_files: Sequence[str]) -> pd.DataFrame:
    """Train/test loss and accuracy at every epoch of every network (from ``metrics.json``)."""
    rows = []
    for path in metrics_files:
        metrics = io.read_json(path)
        rows += [{"network": metrics["network"], **row} for row in metrics["history"]]
    return pd.DataFrame(rows)


def write_csv(table: pd.DataFrame, path: str) -> None:
    with io.atomic_path(path, suffix=".csv") as tmp:
        table.to_csv(tmp, index=False)
