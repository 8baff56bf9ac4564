"""Training of one network spec, keeping checkpoints at chosen epochs.

A spec (one entry of the config's suite, merged over its defaults) gives the
dataset, widths, activation, optimiser, seed, label-noise fraction, training
kind and the epochs to keep (0 = the random initialisation).

Training kinds:

* ``standard``: cross-entropy on the (possibly noisy) labels;
* ``adversarial``: on PGD examples at L-inf radius ``train_eps`` (Madry et al.);
* ``noise``: on inputs with Gaussian noise of std ``train_sigma`` added;

and any of them can be poisoned with a backdoor: a fraction ``backdoor_rate``
of the training images get a bright trigger patch and the label ``backdoor_target``.
"""

from __future__ import annotations

import math
import sys
from typing import Callable

import numpy as np
import torch
from torch import nn

from .data import Dataset
from .networks import build_mlp

TRAINING_KINDS = ("standard", "adversarial", "noise")


def noisy_labels(labels: torch.Tensor, fraction: float, n_classes: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Replace a ``fraction`` of labels by uniformly random classes (Zhang et al. 2017).

    Returns the new labels and the boolean mask of the samples whose label was
    redrawn (a redrawn label may equal the true one by chance, 1/n_classes).
    """
    gen = torch.Generator().manual_seed(int(seed) + 7919)
    n = labels.shape[0]
    n_noisy = int(round(fraction * n))
    mask = torch.zeros(n, dtype=torch.bool)
    mask[torch.randperm(n, generator=gen)[:n_noisy]] = True
    new = labels.clone()
    new[mask] = torch.randint(0, n_classes, (n_noisy,), generator=gen)
    return new, mask


def add_trigger(x: torch.Tensor, patch: int = 2) -> torch.Tensor:
    """Set a ``patch`` x ``patch`` corner of square images (or the last features of 1-d inputs) to 1."""
    x = x.clone()
    n = x.shape[1]
    side = int(math.isqrt(n))
    if side * side == n:
        img = x.view(-1, side, side)
        img[:, side - patch :, side - patch :] = 1.0
    else:
        x[:, n - patch * patch :] = 1.0
    return x


def poison(x: torch.Tensor, y: torch.Tensor, rate: float, target: int, patch: int, seed: int):
    """Backdoor a ``rate`` fraction of (x, y): trigger patch and label ``target``."""
    gen = torch.Generator().manual_seed(int(seed) + 104729)
    n = x.shape[0]
    idx = torch.randperm(n, generator=gen)[: int(round(rate * n))]
    x, y = x.clone(), y.clone()
    x[idx] = add_trigger(x[idx], patch)
    y[idx] = target
    return x, y


def pgd_examples(model: nn.Module, x: torch.Tensor, y: torch.Tensor, eps: float, steps: int) -> torch.Tensor:
    """PGD examples at L-inf radius ``eps`` in [0, 1] input space, via torchattacks."""
    import torchattacks

    if eps <= 0:
        return x
    was_training = model.training
    model.eval()
    attack = torchattacks.PGD(model, eps=eps, alpha=max(eps / 4, 2.5 * eps / steps), steps=steps, random_start=True)
    adv = attack(x, y)
    model.train(was_training)
    return adv


def _accuracy_and_loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    with torch.no_grad():
        logits = model(x)
        loss = nn.functional.cross_entropy(logits, y).item()
        acc = (logits.argmax(1) == y).float().mean().item()
    return acc, loss


def train_network(
    spec: dict,
    data: Dataset,
    on_checkpoint: Callable[[int, nn.Module, dict], None],
    log: Callable[[str], None] | None = None,
) -> dict:
    """Train ``spec`` on ``data``; call ``on_checkpoint(epoch, model, metrics)`` at each kept epoch.

    Returns the training history: metrics at every epoch (0 = initialisation).
    """
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    seed = int(spec["seed"])
    torch.manual_seed(seed)
    np.random.seed(seed)
    model = build_mlp(data.n_features, list(spec["hidden"]), data.n_classes, spec["activation"])

    y_train, noisy_mask = noisy_labels(data.y_train, float(spec.get("label_noise", 0.0)), data.n_classes, seed)
    x_train = data.x_train
    if spec.get("backdoor_rate", 0.0) > 0:
        x_train, y_train = poison(
            x_train, y_train, spec["backdoor_rate"], spec["backdoor_target"], spec["backdoor_patch"], seed
        )
    kind = spec.get("training", "standard")
    if kind not in TRAINING_KINDS:
        raise ValueError(f"training must be one of {TRAINING_KINDS}, got {kind!r}")

    if spec["optimizer"] == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=spec["learning_rate"], weight_decay=spec["weight_decay"])
    elif spec["optimizer"] == "sgd":
        opt = torch.optim.SGD(
            model.parameters(), lr=spec["learning_rate"], momentum=spec.get("momentum", 0.9),
            weight_decay=spec["weight_decay"],
        )
    else:
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {spec['optimizer']!r}")

    keep = set(int(e) for e in spec["checkpoints"])
    history = []
    shuffle = torch.Generator().manual_seed(seed + 1)
    noise_gen = torch.Generator().manual_seed(seed + 2)

    def record(epoch: int) -> None:
        model.eval()
        train_acc, train_loss = _accuracy_and_loss(model, x_train, y_train)
        clean_acc, _ = _accuracy_and_loss(model, data.x_train, data.y_train)
        test_acc, test_loss = _accuracy_and_loss(model, data.x_test, data.y_test)
        memorised = float("nan")
        if noisy_mask.any():
            with torch.no_grad():
                pred = model(x_train[noisy_mask]).argmax(1)
            memorised = (pred == y_train[noisy_mask]).float().mean().item()
        row = {
            "epoch": epoch,
            "train_loss": train_loss,
            "train_accuracy": train_acc,
            "train_accuracy_clean_labels": clean_acc,
            "test_loss": test_loss,
            "test_accuracy": test_acc,
            "memorised_fraction": memorised,
        }
        history.append(row)
        if epoch in keep:
            on_checkpoint(epoch, model, row)
        model.train()

    record(0)
    n = x_train.shape[0]
    batch = int(spec["batch_size"])
    for epoch in range(1, int(spec["epochs"]) + 1):
        model.train()
        order = torch.randperm(n, generator=shuffle)
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            xb, yb = x_train[idx], y_train[idx]
            if kind == "adversarial":
                xb = pgd_examples(model, xb, yb, spec["train_eps"], spec.get("train_pgd_steps", 7))
            elif kind == "noise":
                xb = xb + spec["train_sigma"] * torch.randn(xb.shape, generator=noise_gen)
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
        record(epoch)
        last = history[-1]
        log(
            f"  epoch {epoch}/{spec['epochs']}: train loss {last['train_loss']:.3f}, "
            f"train acc {last['train_accuracy']:.3f}, test acc {last['test_accuracy']:.3f}"
        )
    return {"history": history, "n_noisy_labels": int(noisy_mask.sum())}
