"""Snakemake script of rule aggregate: see glassbox.aggregate."""

from glassbox import workflow
from glassbox.aggregate import aggregate, write_csv

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
    write_csv(curves, snakemake.output.curves)
    write_csv(networks, snakemake.output.networks)
    write_csv(distributions, snakemake.output.overlap_distributions)
