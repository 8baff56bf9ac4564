"""Snakemake script of rule sample_ensemble: see glassbox.experiments.ensembles."""

from glassbox import workflow
from glassbox.aggregate import write_csv
from glassbox.data import load_configured
from glassbox.experiments.ensembles import sample_ensemble

with workflow.job(snakemake):
    entry = snakemake.params.ensemble
    data = load_configured(entry["dataset"], snakemake.params.data)
    curves, summaries = sample_ensemble(
        widths=[data.n_features, *entry["hidden"], data.n_classes],
        members=entry["members"],
        spin_model=snakemake.params.spin_model,
        temperatures=snakemake.params.temperatures,
        sampler=snakemake.params.sampler,
        name=snakemake.wildcards.ensemble,
    )
    write_csv(curves, snakemake.output.curves)
    write_csv(summaries, snakemake.output.summaries)
