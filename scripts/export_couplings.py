"""Snakemake script of rule export_couplings: see glassbox.workflow.export_couplings."""

from pathlib import Path

from glassbox import workflow

with workflow.job(snakemake):
    workflow.export_couplings(
        checkpoint=str(Path(snakemake.input.checkpoints) / f"epoch{snakemake.wildcards.epoch}.pt"),
        spin_model=snakemake.params.spin_model,
        manifest=snakemake.output[0],
    )
