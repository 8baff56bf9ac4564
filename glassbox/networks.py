"""MLPs, their checkpoints, and the Linear-layer stack a spin model is built from.

A checkpoint is a plain dict of tensors and primitives, loadable with
``torch.load(weights_only=True)`` and without the workflow config::

    {"format": "glassbox-mlp/1", "architecture": {...}, "state_dict": {...}, "epoch": int, ...}
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from .io import InputFileError, atomic_path

CHECKPOINT_FORMAT = "glassbox-mlp/1"
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}
PARAMETER_FREE = (nn.Flatten, nn.Dropout, nn.Identity, *ACTIVATIONS.values(), nn.LeakyReLU, nn.ELU,
                  nn.SiLU, nn.Softplus, nn.Softmax, nn.LogSoftmax, nn.Hardtanh)


class UnsupportedLayerError(ValueError):
    """The network has a layer that has no place in the layered spin model; names it."""


def build_mlp(n_inputs: int, hidden: list[int], n_outputs: int, activation: str = "relu") -> nn.Sequential:
    """``Flatten, Linear, act, ..., Linear`` with PyTorch's default initialisation."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
    layers: list[nn.Module] = [nn.Flatten()]
    widths = [n_inputs, *hidden, n_outputs]
    for k in range(len(widths) - 1):
        layers.append(nn.Linear(widths[k], widths[k + 1]))
        if k < len(widths) - 2:
            layers.append(ACTIVATIONS[activation]())
    return nn.Sequential(*layers)


def save_checkpoint(path: str | Path, model: nn.Sequential, architecture: dict, **info) -> None:
    """Write a checkpoint atomically (see the module docstring for its contents)."""
    payload = {
        "format": CHECKPOINT_FORMAT,
        "architecture": dict(architecture),
        "state_dict": {k: v.detach().clone() for k, v in model.state_dict().items()},
        **info,
    }
    with atomic_path(path, suffix=".pt") as tmp:
        torch.save(payload, tmp)


def load_checkpoint(path: str | Path) -> tuple[nn.Sequential, dict]:
    """Rebuild the network of a glassbox checkpoint; errors name the file."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"missing checkpoint: {path}")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises many types for a corrupt file
        raise InputFileError(f"corrupt or unreadable checkpoint {path}: {err}") from None
    return checkpoint_from_payload(payload, path)


def checkpoint_from_payload(payload, path: str | Path) -> tuple[nn.Sequential, dict]:
    """The network and info of a checkpoint's already-loaded contents; errors name ``path``."""
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise InputFileError(f"{path} is not a glassbox checkpoint (format {CHECKPOINT_FORMAT})")
    arch = payload["architecture"]
    model = build_mlp(arch["n_inputs"], list(arch["hidden"]), arch["n_outputs"], arch["activation"])
    try:
        model.load_state_dict(payload["state_dict"])
    except RuntimeError as err:
        raise InputFileError(f"checkpoint {path} does not match its architecture: {err}") from None
    model.eval()
    info = {k: v for k, v in payload.items() if k != "state_dict"}
    return model, info


def linear_stack(model: nn.Module) -> tuple[list[np.ndarray], list[np.ndarray | None], list[str]]:
    """Weights, biases and names of the Linear layers of a feedforward stack, in order.

    Parameter-free layers (Flatten, activations, Dropout) are skipped. A
    BatchNorm1d right after a Linear layer is folded into it (eval-mode
    statistics): ``W' = diag(g / sqrt(v + eps)) W``, ``b' = g (b - mu) / sqrt(v + eps) + beta``.
    Any other layer with parameters raises :class:`UnsupportedLayerError`
    naming it and its position.
    """
    if isinstance(model, nn.Sequential):
        modules = list(model)
    else:
        modules = list(model.children()) or [model]
    weights, biases, names = [], [], []
    folded = False
    for position, (name, module) in enumerate(_flatten_modules(modules)):
        if isinstance(module, nn.Linear):
            weights.append(module.weight.detach().cpu().double().numpy())
            biases.append(None if module.bias is None else module.bias.detach().cpu().double().numpy())
            names.append(f"{name} (Linear {module.in_features}->{module.out_features})")
            folded = False
        elif isinstance(module, nn.BatchNorm1d):
            if not weights or folded:
                raise UnsupportedLayerError(f"layer {name} at position {position} is a BatchNorm1d that does not "
                                            "follow a Linear layer, so it cannot be folded")
            fold_batchnorm(weights, biases, module.running_mean.double().numpy(),
                           module.running_var.double().numpy(),
                           None if module.weight is None else module.weight.detach().double().numpy(),
                           None if module.bias is None else module.bias.detach().double().numpy(), module.eps)
            folded = True
        elif isinstance(module, PARAMETER_FREE) or not any(True for _ in module.parameters(recurse=False)):
            continue
        else:
            raise UnsupportedLayerError(
                f"layer {name} at position {position} is {type(module).__name__}, which has no place in "
                "the layered spin model (only Linear layers, optionally with BatchNorm1d, between "
                "parameter-free layers)"
            )
    if not weights:
        raise UnsupportedLayerError("the network has no Linear layer")
    return weights, biases, names


def fold_batchnorm(weights, biases, mean, var, gamma, beta, eps) -> None:
    """Fold a BatchNorm after the last Linear layer of ``weights``/``biases`` into it, in place."""
    scale = (gamma if gamma is not None else 1.0) / np.sqrt(var + eps)
    bias = biases[-1] if biases[-1] is not None else np.zeros(weights[-1].shape[0])
    weights[-1] = weights[-1] * scale[:, None]
    biases[-1] = scale * (bias - mean) + (beta if beta is not None else 0.0)


def _flatten_modules(modules, prefix=""):
    for i, module in enumerate(modules):
        name = f"{prefix}{i}"
        if isinstance(module, nn.Sequential):
            yield from _flatten_modules(list(module), prefix=f"{name}.")
        else:
            yield name, module
