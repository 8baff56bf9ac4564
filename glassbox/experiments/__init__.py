"""The paper's experiments (DESIGN section 4): random ensembles, statistics with baselines, figures."""
