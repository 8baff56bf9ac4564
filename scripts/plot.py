"""Snakemake script of rule plot: see glassbox.plotting."""

from pathlib import Path

import pandas as pd

from glassbox import plotting, workflow

with workflow.job(snakemake):
    curves = pd.read_csv(snakemake.input.curves)
    networks = pd.read_csv(snakemake.input.networks)
    distributions = pd.read_csv(snakemake.input.overlap_distributions)
    folder = Path(snakemake.output[0]).parent
    colour_by = snakemake.params.plots["colour_by"]
    plotting.plot_q_curves(curves, networks, folder / "q_curves", colour_by)
    plotting.plot_overlap_distributions(
        distributions, networks, folder / "overlap_distributions",
        snakemake.params.plots["pq_temperatures"], colour_by,
    )
    plotting.plot_correlations(networks, folder / "correlations", colour_by)
