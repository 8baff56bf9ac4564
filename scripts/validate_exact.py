"""Snakemake script of rule validate_exact: see glassbox.validation.exact_check."""

from glassbox import validation, workflow
from glassbox.aggregate import write_csv

with workflow.job(snakemake):
    table, _ = validation.exact_check(progress=print)
    write_csv(table, snakemake.output[0])
