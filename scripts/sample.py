"""Snakemake script of rule sample: see glassbox.workflow.sample."""

from pathlib import Path

from glassbox import workflow

with workflow.job(snakemake):
    # every output is .../T<index>.npz; the index picks the grid temperature
    indices = [int(Path(path).stem[1:]) for path in snakemake.output]
    workflow.sample(
        manifest=snakemake.input[0],
        temperatures=snakemake.params.temperatures,
        sampler=snakemake.params.sampler,
        indices=indices,
        outputs=list(snakemake.output),
        seed_parts=[snakemake.wildcards.network, snakemake.wildcards.epoch]
        + ([indices[0]] if len(indices) == 1 else []),
        threads=snakemake.threads,
    )
