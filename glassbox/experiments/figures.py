"""One figure per experiment (seaborn), PNG and PDF, from the aggregate tables."""

from __future__ import annotations

import pandas as pd

from ..plotting import plt, save_figure, scatter_with_spearman, sns
from .analysis import select


def _empty(ax, message):
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, fontsize=9)
    ax.set_axis_off()


def training_dynamics(curves: pd.DataFrame, training: pd.DataFrame, networks: pd.DataFrame, stem) -> list[str]:
    """Q(T) over epochs (heatmap) beside train/test loss and accuracy, for the most-checkpointed network."""
    counts = networks.groupby("network")["epoch"].count()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    if counts.empty or counts.max() < 2:
        _empty(axes[0], "no network with several checkpoints")
        _empty(axes[1], "")
        return save_figure(fig, stem)
    name = counts.idxmax()
    data = curves[curves["network"] == name]
    heat = data.pivot_table(index="epoch", columns="temperature", values="Q")
    sns.heatmap(heat, ax=axes[0], cmap="viridis", vmin=0, vmax=1, cbar_kws={"label": "Q(T)"},
                xticklabels=[f"{t:.2g}" for t in heat.columns])
    axes[0].set_xlabel("temperature T")
    axes[0].set_title(f"{name}: Q(T) at each kept epoch")
    history = training[training["network"] == name]
    ax = axes[1]
    ax.plot(history["epoch"], history["train_accuracy"], label="train accuracy")
    ax.plot(history["epoch"], history["test_accuracy"], label="test accuracy")
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    twin = ax.twinx()
    twin.plot(history["epoch"], history["train_loss"], "k--", label="train loss")
    twin.set_ylabel("train loss")
    kept = networks[networks["network"] == name].sort_values("epoch")
    ax.scatter(kept["epoch"], kept["Q_area"], color="C3", zorder=5, label="mean Q over log T")
    ax.legend(loc="center right", fontsize=8)
    ax.set_title("training curve, and the descriptor at the kept epochs")
    fig.tight_layout()
    return save_figure(fig, stem)


def capacity(networks: pd.DataFrame, stem) -> list[str]:
    """Memorised fraction of noisy labels against the descriptor, over label noise x width."""
    data = select(networks, "capacity")
    trained = networks[(networks["epoch"] > 0) & (networks["training"] == "standard")
                       & (networks["backdoor_rate"].fillna(0) == 0)]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    dodge = 0.2 if trained["width"].nunique() > 1 else False  # seaborn divides by (levels - 1)
    sns.pointplot(data=trained, x="label_noise", y="Q_area", hue="width", ax=axes[0], errorbar="sd", dodge=dodge)
    axes[0].set_title("descriptor over the label-noise x width grid (mean +- sd over seeds)")
    axes[0].set_ylabel("mean Q over log T")
    if data.empty:
        _empty(axes[1], "no network with noisy labels")
    else:
        scatter_with_spearman(axes[1], data, "Q_area", "memorised_fraction", "mean Q over log T",
                              "fraction of noisy labels memorised", hue="label_noise", style="width", s=60,
                              palette="flare")
    fig.tight_layout()
    return save_figure(fig, stem)


def robustness(networks: pd.DataFrame, epsilons: list[float], stem) -> list[str]:
    """FGSM and PGD accuracy over eps by training kind, and the descriptor against PGD accuracy."""
    data = select(networks, "robustness")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    for ax, attack in zip(axes[:2], ("fgsm", "pgd")):
        rows = [{"eps": eps, "accuracy": row[f"{attack}_accuracy_eps{eps:g}"], "training": row["training"],
                 "model": row["model"]} for _, row in data.iterrows() for eps in epsilons
                if f"{attack}_accuracy_eps{eps:g}" in row]
        if rows:
            sns.lineplot(data=pd.DataFrame(rows), x="eps", y="accuracy", hue="training", ax=ax, marker="o",
                         errorbar="sd")
        ax.set_title(f"{attack.upper()} accuracy (L-inf), mean +- sd over networks")
        ax.set_ylim(0, 1)
    if data.empty:
        _empty(axes[2], "no trained clean networks")
    else:
        scatter_with_spearman(axes[2], data, "Q_area", "pgd_accuracy_mean", "mean Q over log T",
                              "PGD accuracy, mean over eps", hue="training", style="width", s=60)
    fig.tight_layout()
    return save_figure(fig, stem)


def backdoor(networks: pd.DataFrame, auc: pd.DataFrame, curves: pd.DataFrame, stem) -> list[str]:
    """Q(T) of clean and backdoored networks, and the AUC of every predictor with its interval."""
    data = select(networks, "backdoor")
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    if data.empty or auc.empty:
        _empty(axes[0], "no backdoored networks in the suite")
        _empty(axes[1], "")
        return save_figure(fig, stem)
    merged = curves.merge(data[["network", "epoch", "model", "backdoor_rate"]], on=["network", "epoch"])
    merged["poisoning"] = merged["backdoor_rate"].fillna(0).map(lambda r: f"rate {r:g}" if r > 0 else "clean")
    sns.lineplot(data=merged, x="temperature", y="Q", hue="poisoning", units="model", estimator=None, ax=axes[0],
                 lw=1)
    axes[0].set_xscale("log")
    axes[0].set_title("Q(T) of clean and backdoored networks")
    ordered = auc.sort_values("auc")
    colors = ["C0" if k == "descriptor" else "C7" for k in ordered["kind"]]
    axes[1].barh(ordered["predictor"], ordered["auc"], color=colors,
                 xerr=[ordered["auc"] - ordered["auc_lo"], ordered["auc_hi"] - ordered["auc"]])
    axes[1].axvline(0.5, color="k", lw=1, ls="--")
    axes[1].set_xlim(0, 1)
    n_pos, n_neg = int(ordered["n_positive"].iloc[0]), int(ordered["n_negative"].iloc[0])
    axes[1].set_title(f"ROC AUC, backdoored ({n_pos}) vs clean ({n_neg}), bootstrap 95%\n"
                      "blue: descriptor, grey: conventional baselines", fontsize=9)
    fig.tight_layout()
    return save_figure(fig, stem)


def far_from_equilibrium(curves: pd.DataFrame, ensemble_curves: pd.DataFrame, networks: pd.DataFrame,
                         stem) -> list[str]:
    """Trained networks' Q(T) against the band of random networks of their architecture, and z-scores."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    if ensemble_curves.empty:
        _empty(axes[0], "no random ensembles configured")
        _empty(axes[1], "")
        return save_figure(fig, stem)
    ax = axes[0]
    for name, group in ensemble_curves.groupby("ensemble"):
        band = group.groupby("temperature")["Q"].agg(["mean", "std"]).reset_index()
        ax.fill_between(band["temperature"], band["mean"] - 2 * band["std"], band["mean"] + 2 * band["std"],
                        alpha=0.3, label=f"random {name} (mean +- 2 sd)")
    trained = networks[(networks["epoch"] > 0) & (networks["backdoor_rate"].fillna(0) == 0)]
    merged = curves.merge(trained[["network", "epoch", "model", "width"]], on=["network", "epoch"])
    sns.lineplot(data=merged, x="temperature", y="Q", hue="width", units="model", estimator=None, ax=ax, lw=0.8,
                 palette="dark")
    ax.set_xscale("log")
    ax.set_title("trained networks against random initialisations")
    ax.legend(fontsize=7)
    z = networks[networks["epoch"] > 0].dropna(subset=["z_Q_area"])
    if z.empty:
        _empty(axes[1], "no ensemble matches a trained architecture")
    else:
        sns.stripplot(data=z, x="z_Q_area", y="group", ax=axes[1], size=6)
        axes[1].axvline(0, color="k", lw=1)
        axes[1].set_xlabel("z-score of mean Q over log T against the random ensemble")
        axes[1].set_ylabel("")
        axes[1].set_title("far from equilibrium: z-scores", fontsize=9)
    fig.tight_layout()
    return save_figure(fig, stem)


def baselines(statistics: pd.DataFrame, stem) -> list[str]:
    """|Spearman rho| of every predictor for every experiment target, descriptor beside baselines."""
    fig, ax = plt.subplots(figsize=(10, 5))
    if statistics.empty:
        _empty(ax, "no statistics")
        return save_figure(fig, stem)
    table = statistics.assign(target=statistics["experiment"] + ": " + statistics["target"])
    heat = table.pivot_table(index="predictor", columns="target", values="spearman")
    order = [p for p in statistics.drop_duplicates("predictor").sort_values("kind", ascending=False)["predictor"]]
    heat = heat.reindex([p for p in order if p in heat.index])
    sns.heatmap(heat, annot=True, fmt=".2f", cmap="vlag", vmin=-1, vmax=1, ax=ax, annot_kws={"fontsize": 7})
    n_descriptor = int((statistics.drop_duplicates("predictor")["kind"] == "descriptor").sum())
    ax.axhline(n_descriptor, color="k", lw=2)
    ax.set_title("Spearman rho: descriptor (top) and conventional baselines (bottom)", fontsize=10)
    fig.tight_layout()
    return save_figure(fig, stem)
