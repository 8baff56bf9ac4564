"""Snakemake script of rule evaluate: see glassbox.workflow.evaluate."""

from pathlib import Path

from glassbox import workflow

with workflow.job(snakemake):
    workflow.evaluate(
        checkpoint=str(Path(snakemake.input.checkpoints) / f"epoch{snakemake.wildcards.epoch}.pt"),
        spec=snakemake.params.spec,
        data_config=snakemake.params.data,
        evaluation=snakemake.params.evaluation,
        output=snakemake.output[0],
    )
