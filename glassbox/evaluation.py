"""Conventional metrics of one trained network: accuracy, loss, robustness, backdoor success.

Adversarial accuracy uses torchattacks' FGSM and PGD (L-inf, inputs in [0, 1]);
noise accuracy adds Gaussian noise of each std to the test inputs (clipped to
[0, 1]). Weight statistics (Frobenius and spectral norms) are the
conventional parameter-only baselines placed beside the descriptor.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .data import Dataset
from .training import add_trigger


def _accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def _loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return nn.functional.cross_entropy(model(x), y).item()


def adversarial_accuracy(model: nn.Module, x, y, eps: float, attack: str, pgd_steps: int = 10) -> float:
    """Accuracy on FGSM or PGD examples of L-inf radius ``eps`` (torchattacks)."""
    import torchattacks

    if eps <= 0:
        return _accuracy(model, x, y)
    if attack == "fgsm":
        atk = torchattacks.FGSM(model, eps=eps)
    elif attack == "pgd":
        atk = torchattacks.PGD(model, eps=eps, alpha=max(eps / 4, 2.5 * eps / pgd_steps), steps=pgd_steps,
                               random_start=True)
    else:
        raise ValueError(f"unknown attack {attack!r}")
    return _accuracy(model, atk(x, y), y)


def weight_statistics(model: nn.Module) -> dict:
    """Frobenius and spectral norms of the Linear weights (sum over layers and product of spectral)."""
    from .networks import linear_stack

    weights, _, _ = linear_stack(model)
    frob = [float(np.linalg.norm(w)) for w in weights]
    spectral = [float(np.linalg.norm(w, 2)) for w in weights]
    return {
        "weight_frobenius_norm": float(np.sqrt(np.sum(np.square(frob)))),
        "spectral_norm_product": float(np.prod(spectral)),
        "spectral_norm_max": float(np.max(spectral)),
    }


def weightwatcher_metrics(model: nn.Module) -> dict:
    """WeightWatcher's data-free layer diagnostics (Martin & Mahoney): mean alpha, alpha-hat, log norm.

    alpha is the power-law exponent fitted to each weight matrix's empirical
    spectral density; smaller alpha is read as better-trained layers.
    """
    import contextlib
    import io as _io
    import logging

    import weightwatcher as ww

    logging.getLogger("weightwatcher").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(_io.StringIO()), contextlib.redirect_stderr(_io.StringIO()):
        watcher = ww.WeightWatcher(model=model)
        details = watcher.analyze(min_evals=1)
        summary = watcher.get_summary(details)
    return {
        "ww_alpha": float(summary["alpha"]),
        "ww_alpha_weighted": float(summary["alpha_weighted"]),
        "ww_log_norm": float(summary["log_norm"]),
    }


def evaluate_network(
    model: nn.Module,
    data: Dataset,
    epsilons: list[float],
    noise_sigmas: list[float],
    pgd_steps: int = 10,
    seed: int = 0,
    backdoor_target: int | None = None,
    backdoor_patch: int = 2,
    max_examples: int | None = None,
) -> dict:
    """All conventional metrics of ``model`` (in eval mode) as a flat dict.

    Keys: ``train_accuracy``, ``test_accuracy``, losses, ``generalization_gap``
    (train minus test accuracy on the clean labels), ``fgsm_accuracy_eps<e>``,
    ``pgd_accuracy_eps<e>``, their means over the non-zero eps grid
    (``fgsm_accuracy_mean``, ``pgd_accuracy_mean``), ``noise_accuracy_sigma<s>``,
    ``noise_accuracy_mean``, weight norms, and ``backdoor_success`` when a
    target is given.
    """
    model.eval()
    torch.manual_seed(seed)
    x_test, y_test = data.x_test, data.y_test
    if max_examples is not None and x_test.shape[0] > max_examples:
        x_test, y_test = x_test[:max_examples], y_test[:max_examples]
    out = {
        "train_accuracy": _accuracy(model, data.x_train, data.y_train),
        "test_accuracy": _accuracy(model, data.x_test, data.y_test),
        "train_loss": _loss(model, data.x_train, data.y_train),
        "test_loss": _loss(model, data.x_test, data.y_test),
    }
    out["generalization_gap"] = out["train_accuracy"] - out["test_accuracy"]
    out["loss_gap"] = out["test_loss"] - out["train_loss"]
    for attack in ("fgsm", "pgd"):
        values = []
        for eps in epsilons:
            acc = adversarial_accuracy(model, x_test, y_test, eps, attack, pgd_steps)
            out[f"{attack}_accuracy_eps{eps:g}"] = acc
            if eps > 0:
                values.append(acc)
        out[f"{attack}_accuracy_mean"] = float(np.mean(values)) if values else float("nan")
    gen = torch.Generator().manual_seed(seed + 11)
    values = []
    for sigma in noise_sigmas:
        noisy = (x_test + sigma * torch.randn(x_test.shape, generator=gen)).clamp(0.0, 1.0)
        acc = _accuracy(model, noisy, y_test)
        out[f"noise_accuracy_sigma{sigma:g}"] = acc
        if sigma > 0:
            values.append(acc)
    out["noise_accuracy_mean"] = float(np.mean(values)) if values else float("nan")
    if backdoor_target is not None:
        keep = data.y_test != backdoor_target
        triggered = add_trigger(data.x_test[keep], backdoor_patch)
        target = torch.full((int(keep.sum()),), backdoor_target, dtype=torch.long)
        out["backdoor_success"] = _accuracy(model, triggered, target)
    out.update(weight_statistics(model))
    out.update(weightwatcher_metrics(model))
    return out
