"""Snakemake script of rule validate_transition: see glassbox.validation.transition_check."""

from glassbox import validation, workflow
from glassbox.aggregate import write_csv

with workflow.job(snakemake):
    curves, summary, _ = validation.transition_check(inits=(snakemake.wildcards.init,), progress=print)
    write_csv(curves, snakemake.output.curves)
    write_csv(summary, snakemake.output.summary)
