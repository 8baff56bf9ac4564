"""Snakemake script of rule aggregate: see glassbox.aggregate."""

import pandas as pd

from glassbox import workflow
from glassbox.aggregate import aggregate, training_table, write_csv
from glassbox.experiments.ensembles import z_scores

with workflow.job(snakemake):
    n_t = snakemake.params.n_temperatures
    samples = list(snakemake.input.samples)
    curves, networks, distributions = aggregate(
        models=snakemake.params.models,
        specs=snakemake.params.specs,
        sample_files=[samples[i : i + n_t] for i in range(0, len(samples), n_t)],
        evaluation_files=snakemake.input.evaluation,
        manifest_files=snakemake.input.manifests,
    )
    ensembles = [pd.read_csv(p) for p in snakemake.input.ensembles]
    networks = z_scores(networks, pd.concat(ensembles) if ensembles else pd.DataFrame())
    ensemble_curves = [pd.read_csv(p) for p in snakemake.input.ensemble_curves]
    write_csv(curves, snakemake.output.curves)
    write_csv(networks, snakemake.output.networks)
    write_csv(distributions, snakemake.output.overlap_distributions)
    write_csv(training_table(snakemake.input.metrics), snakemake.output.training)
    write_csv(pd.concat(ensemble_curves) if ensemble_curves else pd.DataFrame(columns=["ensemble", "temperature", "Q"]),
              snakemake.output.ensemble_curves)
