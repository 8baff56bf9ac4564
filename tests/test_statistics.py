"""Rank correlations and AUC against scipy and known cases."""

import numpy as np
import pytest
from scipy import stats

from glassbox.experiments.statistics import (_kendall_rows, _spearman_rows, auc_with_interval, rank_correlations,
                                             roc_auc)


def test_vectorised_rank_correlations_equal_scipy_with_ties():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, (50, 12)).astype(float)
    y = x + rng.integers(0, 3, (50, 12))
    for row, (rho, tau) in enumerate(zip(_spearman_rows(x, y), _kendall_rows(x, y))):
        assert rho == pytest.approx(stats.spearmanr(x[row], y[row])[0], abs=1e-12)
        assert tau == pytest.approx(stats.kendalltau(x[row], y[row])[0], abs=1e-12)


def test_bootstrap_interval_covers_a_strong_monotone_relation():
    rng = np.random.default_rng(1)
    x = rng.normal(size=40)
    out = rank_correlations(x, np.exp(x) + 0.1 * rng.normal(size=40), n_boot=500)
    assert out["spearman"] > 0.9 and out["spearman_lo"] < out["spearman"] <= out["spearman_hi"] <= 1
    assert out["kendall_lo"] < out["kendall"] <= out["kendall_hi"]
    assert np.isnan(rank_correlations([1, 2], [3, 4])["spearman"])


def test_auc_known_values():
    assert roc_auc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]) == 1.0
    assert roc_auc([0.1, 0.2, 0.9, 0.8], [1, 1, 0, 0]) == 0.0
    assert roc_auc([0.5, 0.5], [1, 0]) == 0.5
    rng = np.random.default_rng(2)
    scores, labels = rng.normal(size=400), rng.integers(0, 2, 400).astype(bool)
    out = auc_with_interval(scores + labels, labels, n_boot=300)
    assert out["auc_lo"] < out["auc"] < out["auc_hi"]
    # the Mann-Whitney identity
    u = stats.mannwhitneyu(scores[labels] + 1, scores[~labels]).statistic
    assert out["auc"] == pytest.approx(u / (labels.sum() * (~labels).sum()))
