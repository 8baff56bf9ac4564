"""Every experiment's statistic for the descriptor and, side by side, for the baselines.

Experiments select networks from the ``networks`` table (one row per checkpoint):

* ``data_fitting``: all checkpoints of networks kept at several epochs, against
  train loss and accuracy (how the descriptor follows training);
* ``capacity``: trained networks with noisy labels, against the memorised fraction;
* ``generalization``: trained, standard-training, clean networks, against test
  accuracy and the train-test gap;
* ``robustness``: all trained networks without a backdoor, against FGSM, PGD and
  Gaussian-noise accuracy;
* ``backdoor``: clean against backdoored networks (ROC AUC, backdoored positive);
* ``far_from_equilibrium``: the z-scores themselves (in the networks table).

Predictors: the descriptor's summaries and, as baselines, the conventional
metrics (train loss, weight norms, spectral norms) and WeightWatcher's alpha.
"""

from __future__ import annotations

import pandas as pd

from .statistics import auc_with_interval, rank_correlations

DESCRIPTOR = ("Q_area", "T_half", "Q_low", "T_sg", "T_m", "tau_q_max_sweeps", "z_Q_area")
BASELINES = ("train_loss", "weight_frobenius_norm", "spectral_norm_product", "spectral_norm_max", "ww_alpha",
             "ww_alpha_weighted", "ww_log_norm")
EXPERIMENTS = {
    "data_fitting": ("train_accuracy", "train_loss"),
    "capacity": ("memorised_fraction",),
    "generalization": ("test_accuracy", "generalization_gap"),
    "robustness": ("pgd_accuracy_mean", "fgsm_accuracy_mean", "noise_accuracy_mean"),
}


def select(networks: pd.DataFrame, experiment: str) -> pd.DataFrame:
    """The networks an experiment is measured on."""
    trained = (networks["epoch"] > 0) & (networks["epoch"] == networks["epochs"])  # final checkpoints
    clean = networks["backdoor_rate"].fillna(0) == 0
    if experiment == "data_fitting":
        counts = networks.groupby("network")["epoch"].transform("count")
        return networks[counts >= 3]
    if experiment == "capacity":
        return networks[trained & clean & (networks["label_noise"] > 0)]
    if experiment == "generalization":
        return networks[trained & clean & (networks["training"] == "standard")]
    if experiment == "robustness":
        return networks[trained & clean & (networks["label_noise"] == 0)]
    if experiment == "backdoor":
        standard = trained & (networks["training"] == "standard") & (networks["label_noise"] == 0)
        backdoored = networks["backdoor_rate"].fillna(0) > 0
        widths = set(networks.loc[standard & backdoored, "hidden"])
        return networks[standard & networks["hidden"].isin(widths)]
    raise ValueError(f"unknown experiment {experiment!r}")


def correlation_table(networks: pd.DataFrame, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Spearman and Kendall with bootstrap intervals: every experiment x target x predictor."""
    rows = []
    for experiment, targets in EXPERIMENTS.items():
        data = select(networks, experiment)
        for target in targets:
            if target not in data:
                continue
            for kind, predictors in (("descriptor", DESCRIPTOR), ("baseline", BASELINES)):
                for predictor in predictors:
                    if predictor not in data or predictor == target:
                        continue
                    stats = rank_correlations(data[predictor], data[target], n_boot, seed)
                    rows.append({"experiment": experiment, "target": target, "predictor": predictor,
                                 "kind": kind, **stats})
    columns = ["experiment", "target", "predictor", "kind", "n"] + [
        f"{name}{suffix}" for name in ("spearman", "kendall") for suffix in ("", "_p", "_lo", "_hi")]
    return pd.DataFrame(rows, columns=columns)


def backdoor_table(networks: pd.DataFrame, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """ROC AUC of every predictor for telling backdoored from clean networks of equal architecture."""
    data = select(networks, "backdoor")
    labels = data["backdoor_rate"].fillna(0).to_numpy() > 0
    rows = []
    if labels.any() and (~labels).any():
        for kind, predictors in (("descriptor", DESCRIPTOR), ("baseline", BASELINES + ("test_accuracy",))):
            for predictor in predictors:
                if predictor in data:
                    rows.append({"predictor": predictor, "kind": kind,
                                 **auc_with_interval(data[predictor].to_numpy(float), labels, n_boot, seed)})
    return pd.DataFrame(rows, columns=["predictor", "kind", "auc", "auc_lo", "auc_hi", "n_positive", "n_negative"])
