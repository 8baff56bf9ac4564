"""Rank correlations and ROC AUC with bootstrap 95% confidence intervals.

Percentile bootstrap over networks (resampling rows with replacement); the
point estimate is the statistic on the full sample.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def _finite(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    return x[ok], y[ok]


def _spearman_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman rho of each row pair (ties: average ranks): Pearson correlation of the ranks."""
    rx = stats.rankdata(x, axis=1)
    ry = stats.rankdata(y, axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rx * ry).sum(axis=1) / np.sqrt((rx**2).sum(axis=1) * (ry**2).sum(axis=1))


def _kendall_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Kendall tau-b of each row pair: sum sgn(dx) sgn(dy) / sqrt(sum sgn(dx)^2 sum sgn(dy)^2)."""
    sx = np.sign(x[:, :, None] - x[:, None, :])
    sy = np.sign(y[:, :, None] - y[:, None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        return (sx * sy).sum(axis=(1, 2)) / np.sqrt((sx**2).sum(axis=(1, 2)) * (sy**2).sum(axis=(1, 2)))


def rank_correlations(x, y, n_boot: int = 2000, seed: int = 0) -> dict:
    """Spearman rho and Kendall tau-b of (x, y), with p-values and bootstrap 95% intervals."""
    x, y = _finite(x, y)
    out = {"n": int(x.size)}
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        for name in ("spearman", "kendall"):
            out.update({name: np.nan, f"{name}_p": np.nan, f"{name}_lo": np.nan, f"{name}_hi": np.nan})
        return out
    rng = np.random.default_rng(seed)
    rho, p_rho = stats.spearmanr(x, y)
    tau, p_tau = stats.kendalltau(x, y)
    idx = rng.integers(0, x.size, (n_boot, x.size))
    boots = {"spearman": _spearman_rows(x[idx], y[idx]), "kendall": _kendall_rows(x[idx], y[idx])}
    for name, value, p in (("spearman", rho, p_rho), ("kendall", tau, p_tau)):
        values = boots[name][np.isfinite(boots[name])]  # resamples with a constant column are undefined
        lo, hi = (np.percentile(values, [2.5, 97.5]) if values.size else (np.nan, np.nan))
        out.update({name: float(value), f"{name}_p": float(p), f"{name}_lo": float(lo), f"{name}_hi": float(hi)})
    return out


def roc_auc(scores, labels) -> float:
    """P(score of a positive > score of a negative), ties counting 1/2 (Mann-Whitney)."""
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=bool)
    ok = np.isfinite(scores)
    scores, labels = scores[ok], labels[ok]
    pos, neg = scores[labels], scores[~labels]
    if pos.size == 0 or neg.size == 0:
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (pos.size * neg.size))


def auc_with_interval(scores, labels, n_boot: int = 2000, seed: int = 0) -> dict:
    """ROC AUC (higher score = positive) with a stratified bootstrap 95% interval."""
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=bool)
    auc = roc_auc(scores, labels)
    rng = np.random.default_rng(seed)
    pos, neg = np.flatnonzero(labels), np.flatnonzero(~labels)
    boots = []
    if pos.size and neg.size:
        for _ in range(n_boot):
            idx = np.concatenate([rng.choice(pos, pos.size), rng.choice(neg, neg.size)])
            boots.append(roc_auc(scores[idx], labels[idx]))
    boots = np.asarray([b for b in boots if np.isfinite(b)])
    lo, hi = np.percentile(boots, [2.5, 97.5]) if boots.size else (np.nan, np.nan)
    return {"auc": auc, "auc_lo": float(lo), "auc_hi": float(hi), "n_positive": int(pos.size),
            "n_negative": int(neg.size)}
