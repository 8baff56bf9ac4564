"""Snakemake script of rule inspect_external: see glassbox.inspection.inspect_network."""

from pathlib import Path

from glassbox import workflow
from glassbox.inspection import format_report, inspect_network
from glassbox.sampler import SamplerSettings

with workflow.job(snakemake):
    entry = snakemake.params.entry
    sampler = {**snakemake.params.sampler, "method": "tempering"}
    result = inspect_network(
        snakemake.input[0],
        Path(snakemake.output.descriptor).parent,
        allow_pickle=entry["allow_pickle"],
        include_input=snakemake.params.spin_model["include_input"],
        fields=snakemake.params.spin_model["fields"],
        settings=SamplerSettings(**sampler),
        ensemble=entry["ensemble"],
    )
    print(format_report(result))
