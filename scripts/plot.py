"""Snakemake script of rule plot: see glassbox.plotting and glassbox.experiments.figures."""

from pathlib import Path

import pandas as pd

from glassbox import plotting, workflow
from glassbox.experiments import figures

with workflow.job(snakemake):
    tables = {name: pd.read_csv(path) for name, path in snakemake.input.items()}
    folder = Path(snakemake.output[0]).parent
    colour_by = snakemake.params.plots["colour_by"]
    curves, networks = tables["curves"], tables["networks"]
    plotting.plot_q_curves(curves, networks, folder / "q_curves", colour_by)
    plotting.plot_overlap_distributions(
        tables["overlap_distributions"], networks, folder / "overlap_distributions",
        snakemake.params.plots["pq_temperatures"], colour_by,
    )
    plotting.plot_correlations(networks, folder / "correlations", colour_by)
    figures.training_dynamics(curves, tables["training"], networks, folder / "training_dynamics")
    figures.capacity(networks, folder / "capacity")
    figures.robustness(networks, snakemake.params.epsilons, folder / "robustness")
    figures.backdoor(networks, tables["backdoor"], curves, folder / "backdoor")
    figures.far_from_equilibrium(curves, tables["ensemble_curves"], networks, folder / "far_from_equilibrium")
    figures.baselines(tables["statistics"], folder / "baselines")
