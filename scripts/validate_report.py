"""Snakemake script of rule validate: see glassbox.validation.report."""

import pandas as pd

from glassbox import validation, workflow

with workflow.job(snakemake):
    verdict = validation.report(
        exact=pd.read_csv(snakemake.input.exact),
        transition=pd.concat(pd.read_csv(p) for p in snakemake.input.transition),
        transition_summary=pd.concat(pd.read_csv(p) for p in snakemake.input.transition_summary),
        ferromagnet=pd.read_csv(snakemake.input.ferromagnet),
        verdict_path=snakemake.output.verdict,
        figure_stem=snakemake.output.figure[0].removesuffix(".png"),
    )
    print(verdict)
    if not verdict["passed"]:
        raise RuntimeError(f"validation failed: {verdict}")
