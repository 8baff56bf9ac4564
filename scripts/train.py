"""Snakemake script of rule train: see glassbox.workflow.train."""

from pathlib import Path

from glassbox import workflow

with workflow.job(snakemake):
    folder = Path(snakemake.output.checkpoints)
    spec = snakemake.params.spec
    workflow.train(
        spec=spec,
        data_config=snakemake.params.data,
        checkpoints={epoch: str(folder / f"epoch{epoch}.pt") for epoch in spec["checkpoints"]},
        metrics_path=snakemake.output.metrics,
    )
