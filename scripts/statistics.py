"""Snakemake script of rule statistics: see glassbox.experiments.analysis."""

import pandas as pd

from glassbox import workflow
from glassbox.aggregate import write_csv
from glassbox.experiments.analysis import backdoor_table, correlation_table

with workflow.job(snakemake):
    networks = pd.read_csv(snakemake.input.networks)
    settings = snakemake.params.statistics
    write_csv(correlation_table(networks, settings["bootstrap"], settings["seed"]), snakemake.output.correlations)
    write_csv(backdoor_table(networks, settings["bootstrap"], settings["seed"]), snakemake.output.backdoor)
