"""Figures of the descriptor and its relation to the networks' properties (seaborn).

Every figure is written as PNG and PDF, atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from scipy import stats  # noqa: E402

from . import io  # noqa: E402

DESCRIPTOR_SUMMARIES = {"Q_area": "mean Q over log T", "T_half": "T where Q = 1/2"}
TARGETS = {
    "generalization_gap": "generalization gap (train - test acc.)",
    "test_accuracy": "test accuracy",
    "pgd_accuracy_mean": "PGD accuracy (mean over eps)",
}


def save_figure(fig: plt.Figure, stem: str | Path) -> list[str]:
    """Write ``stem.png`` and ``stem.pdf`` atomically; return both paths."""
    paths = []
    for ext in ("png", "pdf"):
        path = f"{stem}.{ext}"
        with io.atomic_path(path, suffix=f".{ext}") as tmp:
            fig.savefig(tmp, dpi=130, bbox_inches="tight", format=ext)
        paths.append(path)
    plt.close(fig)
    return paths


def spearman_label(x: np.ndarray, y: np.ndarray) -> str:
    """'Spearman rho = r (p = p), n = n' over the finite pairs."""
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
        return f"Spearman rho undefined (n = {int(ok.sum())})"
    rho, p = stats.spearmanr(x[ok], y[ok])
    return f"Spearman rho = {rho:.2f} (p = {p:.2g}), n = {int(ok.sum())}"


def scatter_with_spearman(ax, data: pd.DataFrame, x: str, y: str, xlabel: str, ylabel: str, **style) -> None:
    """Scatter of column ``y`` against ``x``, titled with their Spearman rho (see :func:`spearman_label`)."""
    sns.scatterplot(data=data, x=x, y=y, ax=ax, **style)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(spearman_label(data[x].to_numpy(float), data[y].to_numpy(float)), fontsize=8)


def plot_q_curves(curves: pd.DataFrame, networks: pd.DataFrame, stem: str, colour_by: str = "group") -> list[str]:
    """Q(T) of every checkpoint, coloured by the experimental factor; T_sg marked per network."""
    data = curves.merge(networks[["network", "epoch", "model", colour_by]], on=["network", "epoch"])
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    trained = data[data["epoch"] > 0]
    for ax, subset, title in ((axes[0], trained, "trained checkpoints"), (axes[1], data, "all checkpoints, by epoch")):
        hue = colour_by if ax is axes[0] else "epoch"
        sns.lineplot(data=subset, x="temperature", y="Q", hue=hue, units="model", estimator=None, marker="o",
                     markersize=3, ax=ax, palette="viridis" if hue == "epoch" else "tab10")
        ax.set_xscale("log")
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("temperature T")
        ax.set_ylabel("Q(T) = <|q_ab|>")
        ax.set_title(title)
    fig.suptitle("Replica overlap descriptor Q(T)")
    return save_figure(fig, stem)


def plot_overlap_distributions(pq: pd.DataFrame, networks: pd.DataFrame, stem: str,
                               temperatures: Sequence[float], colour_by: str = "group") -> list[str]:
    """P(q) at the grid temperatures nearest to ``temperatures`` for every trained checkpoint."""
    grid = np.sort(pq["temperature"].unique())
    chosen = sorted({float(grid[np.argmin(np.abs(np.log(grid / t)))]) for t in temperatures})
    data = pq[pq["temperature"].isin(chosen)].merge(networks[["network", "epoch", "model", colour_by]],
                                                    on=["network", "epoch"])
    data = data.assign(T=data["temperature"].map(lambda t: f"T = {t:.3g}"))
    grid_plot = sns.relplot(data=data, x="q", y="density", hue=colour_by, units="model", estimator=None,
                            col="T", kind="line", height=3.2, aspect=1.1, facet_kws={"sharey": False})
    grid_plot.set_axis_labels("overlap q", "P(q)")
    grid_plot.figure.suptitle("Overlap distributions P(q)", y=1.03)
    return save_figure(grid_plot.figure, stem)


def plot_correlations(networks: pd.DataFrame, stem: str, colour_by: str = "group",
                      summaries: dict | None = None, targets: dict | None = None) -> list[str]:
    """Descriptor summaries against generalization and robustness, with Spearman rho on each panel.

    Only trained checkpoints (epoch > 0) enter, since a random initialisation
    has no meaningful generalization gap.
    """
    summaries = summaries or DESCRIPTOR_SUMMARIES
    targets = {k: v for k, v in (targets or TARGETS).items() if k in networks}
    data = networks[networks["epoch"] > 0]
    fig, axes = plt.subplots(len(summaries), len(targets), figsize=(4.2 * len(targets), 3.6 * len(summaries)),
                             squeeze=False)
    for i, (s_key, s_label) in enumerate(summaries.items()):
        for j, (t_key, t_label) in enumerate(targets.items()):
            scatter_with_spearman(axes[i, j], data, s_key, t_key, s_label, t_label, hue=colour_by,
                                  legend=(i == 0 and j == 0), s=40)
    fig.suptitle("Descriptor against generalization and robustness (trained checkpoints)")
    fig.tight_layout()
    return save_figure(fig, stem)
