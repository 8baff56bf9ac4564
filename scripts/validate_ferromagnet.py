"""Snakemake script of rule validate_ferromagnet: see glassbox.validation.ferromagnet_check."""

from glassbox import validation, workflow
from glassbox.aggregate import write_csv

with workflow.job(snakemake):
    table, _ = validation.ferromagnet_check()
    write_csv(table, snakemake.output[0])
