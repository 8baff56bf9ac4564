"""Inspect a network the user brings: load it, build its spin model, sample, compare to random.

Accepted files:

* a glassbox checkpoint or a PyTorch ``state_dict`` (``torch.save(model.state_dict())``),
  read with ``torch.load(weights_only=True)``: no code runs;
* a TorchScript file (``torch.jit.save``): loaded by TorchScript's own reader, no pickle;
* a whole pickled ``nn.Module`` (``torch.save(model)``) or a scikit-learn
  ``MLPClassifier`` / ``MLPRegressor`` saved with joblib or pickle: these need a
  full unpickle, which can run arbitrary code, so they load only with
  ``allow_pickle=True`` (``--allow-pickle`` on the command line) for files you trust.

Parameter-free layers (Flatten, activations, Dropout) are skipped. A BatchNorm1d
in eval mode right after a Linear layer is folded into it:
``W' = diag(g / sqrt(v + eps)) W`` and ``b' = g (b - mu) / sqrt(v + eps) + beta``.
Any other layer with parameters (Conv2d, attention, recurrent) is an error that
names the layer and its position.
"""

from __future__ import annotations

import re
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import io
from .config import temperature_grid
from .descriptor import curve_summaries, temperature_observables
from .sampler import SamplerSettings, sample_replicas
from .spin_model import SpinModel, from_layers


class ModelFileError(ValueError):
    """The file is not a network glassbox can read; the message names the file and the problem."""


@dataclass
class LinearStack:
    weights: list[np.ndarray]
    biases: list[np.ndarray | None]
    names: list[str]
    source: str


# ----------------------------------------------------------------------------- loading
def load_network(path: str | Path, allow_pickle: bool = False) -> LinearStack:
    """The Linear layers of the network in ``path`` (see the module docstring for formats)."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such file")
    if path.suffix in (".joblib", ".pkl", ".pickle"):
        return _load_sklearn(path, allow_pickle)
    import torch

    if zipfile.is_zipfile(path) and _is_torchscript(path):
        try:
            module = torch.jit.load(str(path), map_location="cpu")
        except Exception as err:
            raise ModelFileError(f"{path}: unreadable TorchScript file: {err}") from None
        return _stack_from_state_dict({k: v for k, v in module.state_dict().items()}, f"TorchScript {path.name}",
                                      module=module)
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:
        if "weights_only" in str(err) or "Unsupported global" in str(err):
            if not allow_pickle:
                raise ModelFileError(
                    f"{path} holds a pickled Python object (a whole module?), and unpickling runs code. "
                    "Save model.state_dict() instead, or pass --allow-pickle if you trust the file."
                ) from None
            try:
                payload = torch.load(path, map_location="cpu", weights_only=False)
            except Exception as err2:
                raise ModelFileError(f"{path}: not a PyTorch file: {err2}") from None
        else:
            raise ModelFileError(f"{path}: not a PyTorch model file ({type(err).__name__}: {err})") from None
    if isinstance(payload, torch.nn.Module):
        return _stack_from_module(payload, f"module {path.name}")
    if isinstance(payload, dict) and payload.get("format", "").startswith("glassbox-mlp"):
        from .networks import checkpoint_from_payload

        model, _ = checkpoint_from_payload(payload, path)
        return _stack_from_module(model, f"glassbox checkpoint {path.name}")
    if isinstance(payload, dict) and all(isinstance(v, torch.Tensor) for v in payload.values()) and payload:
        return _stack_from_state_dict(payload, f"state_dict {path.name}")
    raise ModelFileError(f"{path}: holds a {type(payload).__name__}, not a network or a state_dict")


def _is_torchscript(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        return any(name.endswith("constants.pkl") or "/code/" in name for name in z.namelist())


def _load_sklearn(path: Path, allow_pickle: bool) -> LinearStack:
    if not allow_pickle:
        raise ModelFileError(
            f"{path} is a pickle (scikit-learn models are saved that way) and unpickling runs code: "
            "pass --allow-pickle if you trust the file"
        )
    try:
        import joblib

        model = joblib.load(path)
    except Exception as err:
        raise ModelFileError(f"{path}: cannot be unpickled: {type(err).__name__}: {err}") from None
    if not (hasattr(model, "coefs_") and hasattr(model, "intercepts_")):
        raise ModelFileError(f"{path}: holds a {type(model).__name__}, not a fitted MLPClassifier or MLPRegressor")
    weights = [np.asarray(c, dtype=np.float64).T for c in model.coefs_]
    biases = [np.asarray(b, dtype=np.float64) for b in model.intercepts_]
    names = [f"coefs_[{k}] (Linear {w.shape[1]}->{w.shape[0]})" for k, w in enumerate(weights)]
    return LinearStack(weights, biases, names, f"{type(model).__name__} {path.name}")


def _stack_from_module(module, source: str) -> LinearStack:
    from .networks import linear_stack

    weights, biases, names = linear_stack(module)
    return LinearStack(weights, biases, names, source)


def _natural_key(prefix: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", prefix)]


def _stack_from_state_dict(state: dict, source: str, module=None) -> LinearStack:
    """Linear layers from parameter names: every 2-d ``<prefix>.weight``, ordered by prefix."""
    from .networks import UnsupportedLayerError, fold_batchnorm

    prefixes = sorted({k.rsplit(".", 1)[0] for k in state if "." in k}, key=_natural_key)
    weights, biases, names = [], [], []
    for position, prefix in enumerate(prefixes):
        w = state.get(f"{prefix}.weight")
        if f"{prefix}.running_mean" in state:  # BatchNorm
            if not weights:
                raise UnsupportedLayerError(f"layer {prefix} at position {position} is a BatchNorm before any "
                                            "Linear layer, so it cannot be folded")
            get = lambda key: None if state.get(f"{prefix}.{key}") is None else state[f"{prefix}.{key}"].double().numpy()  # noqa: E731
            fold_batchnorm(weights, biases, get("running_mean"), get("running_var"), get("weight"), get("bias"), 1e-5)
            continue
        if w is None:
            kinds = ", ".join(sorted(k.rsplit(".", 1)[1] for k in state if k.startswith(prefix + ".")))
            raise UnsupportedLayerError(f"layer {prefix} at position {position} has parameters ({kinds}) "
                                        "that are not a Linear layer's")
        if w.ndim != 2:
            raise UnsupportedLayerError(f"layer {prefix} at position {position} has a {w.ndim}-d weight "
                                        f"{tuple(w.shape)} (a convolution?); only Linear layers are supported")
        extra = [k for k in state if k.startswith(prefix + ".") and k.rsplit(".", 1)[1] not in ("weight", "bias")]
        if extra:
            raise UnsupportedLayerError(f"layer {prefix} at position {position} has parameters {extra} "
                                        "that are not a Linear layer's")
        weights.append(w.detach().double().numpy())
        b = state.get(f"{prefix}.bias")
        biases.append(None if b is None else b.detach().double().numpy())
        names.append(f"{prefix} (Linear {w.shape[1]}->{w.shape[0]})")
    if not weights:
        raise ModelFileError(f"{source}: no Linear layer found")
    return LinearStack(weights, biases, names, source)


# --------------------------------------------------------------------------- inspecting
def random_ensemble(layer_widths: list[int], n_members: int, seed: int = 0) -> list[LinearStack]:
    """Networks of the same widths with PyTorch's default Linear initialisation."""
    import torch

    members = []
    for member in range(n_members):
        torch.manual_seed(seed + member)
        layers = [torch.nn.Linear(layer_widths[k], layer_widths[k + 1]) for k in range(len(layer_widths) - 1)]
        members.append(_stack_from_module(torch.nn.Sequential(*layers), f"random init {member}"))
    return members


def describe(spin: SpinModel, temperatures: np.ndarray, settings: SamplerSettings) -> dict:
    """Q(T) and every per-temperature observable, plus curve summaries, of one spin model."""
    run = sample_replicas(spin, temperatures, settings)
    rows = [
        temperature_observables(s.overlaps, s.energy_per_spin, s.temperature, spin.n_spins,
                                settings.measure_every, s.layer_overlaps)
        for s in run.samples
    ]
    summary = curve_summaries(temperatures, np.array([r["Q"] for r in rows]))
    summary.update(T_sg=spin.T_sg(), T_m=spin.T_m(),
                   tau_q_max_sweeps=max(r["tau_q_sweeps"] for r in rows),
                   tau_energy_max_sweeps=max(r["tau_energy_sweeps"] for r in rows),
                   n_not_equilibrated=sum(not r["equilibrated"] for r in rows))
    return {"curve": rows, "summary": summary, "swap_acceptance": run.summary()["swap_acceptance"]}


def inspect_network(
    path: str | Path,
    out_dir: str | Path,
    allow_pickle: bool = False,
    include_input: bool = True,
    fields: str = "bias",
    temperatures: dict | None = None,
    settings: SamplerSettings | None = None,
    ensemble: int = 10,
    log=None,
) -> dict:
    """The full inspection: descriptor, mean-field temperatures, z-scores against random networks.

    The temperature grid defaults to log spacing from half the smaller of the
    network's and a random network's ``T_sg`` to 1.5 times its ``T_m``, so it
    reaches the paramagnet of both. Writes ``descriptor.json``, ``curve.csv``
    and ``q_curve.png``/``.pdf`` into ``out_dir``; returns the descriptor.
    """
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    start = time.perf_counter()
    stack = load_network(path, allow_pickle)
    spin = from_layers(stack.weights, stack.biases, include_input=include_input, fields=fields,
                       layer_names=stack.names)
    widths = [stack.weights[0].shape[1]] + [w.shape[0] for w in stack.weights]
    log(f"{stack.source}: layers {widths}, {spin.n_spins} spins, {spin.n_couplings} couplings; "
        f"T_sg = {spin.T_sg():.3f}, T_m = {spin.T_m():.3f}")
    members = random_ensemble(widths, ensemble)
    member_spins = [from_layers(m.weights, m.biases, include_input=include_input, fields=fields) for m in members]
    if temperatures is None:
        low = 0.5 * min([spin.T_sg()] + [m.T_sg() for m in member_spins])
        high = 1.5 * max([spin.T_m()] + [m.T_m() for m in member_spins])
        temperatures = {"spacing": "log", "min": low, "max": high, "count": 20}
    grid = temperature_grid(temperatures)
    settings = settings or SamplerSettings(replicas=6, burnin_sweeps=1000, measure_sweeps=2000, measure_every=4,
                                           method="tempering", backend="auto")
    log(f"sampling the network at {len(grid)} temperatures from {grid[0]:.3g} to {grid[-1]:.3g}")
    network = describe(spin, grid, settings)
    ensemble_summaries = []
    for i, member in enumerate(member_spins):
        log(f"random ensemble: member {i + 1}/{len(member_spins)}")
        ensemble_summaries.append(describe(member, grid, settings)["summary"])
    z_scores = {}
    for key in ("Q_area", "T_half", "T_sg", "T_m", "tau_q_max_sweeps"):
        values = np.array([s[key] for s in ensemble_summaries], dtype=float)
        values = values[np.isfinite(values)]
        value = network["summary"][key]
        spread = values.std(ddof=1) if values.size > 1 else float("nan")
        z_scores[key] = {
            "network": value,
            "ensemble_mean": float(values.mean()) if values.size else float("nan"),
            "ensemble_std": float(spread),
            "z": float((value - values.mean()) / spread) if values.size > 1 and spread > 0 else float("nan"),
        }
    result = {
        "file": str(path),
        "source": stack.source,
        "layers": stack.names,
        "layer_widths": widths,
        "spin_model": spin.options,
        "temperatures": grid.tolist(),
        "settings": {k: getattr(settings, k) for k in settings.__dataclass_fields__},
        **network,
        "ensemble_size": len(member_spins),
        "z_scores": z_scores,
        "seconds": time.perf_counter() - start,
    }
    out_dir = Path(out_dir)
    io.write_json(out_dir / "descriptor.json", result)
    _write_outputs(result, ensemble_summaries, out_dir)
    return result


def _write_outputs(result: dict, ensemble_summaries: list[dict], out_dir: Path) -> None:
    import pandas as pd

    from .aggregate import write_csv
    from .plotting import save_figure

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curve = pd.DataFrame(result["curve"])
    write_csv(curve, str(out_dir / "curve.csv"))
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.errorbar(curve["temperature"], curve["Q"], yerr=curve["Q_err"], marker="o", ms=3, label="this network")
    z = result["z_scores"]["Q_area"]
    ax.set_xscale("log")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("temperature T")
    ax.set_ylabel("Q(T)")
    ax.axvline(result["summary"]["T_sg"], ls=":", color="grey", label="T_sg")
    ax.axvline(result["summary"]["T_m"], ls="--", color="grey", label="T_m")
    ax.set_title(f"{result['source']}\nmean Q over log T: {z['network']:.3f} "
                 f"(random init {z['ensemble_mean']:.3f} +- {z['ensemble_std']:.3f}, z = {z['z']:.1f})", fontsize=9)
    ax.legend(fontsize=8)
    save_figure(fig, out_dir / "q_curve")


def format_report(result: dict) -> str:
    """A short human-readable summary of :func:`inspect_network`'s result."""
    s = result["summary"]
    lines = [
        f"{result['source']}: widths {result['layer_widths']}",
        f"  T_sg = {s['T_sg']:.3f}   T_m = {s['T_m']:.3f}   mean Q over log T = {s['Q_area']:.3f}   "
        f"T(Q = 1/2) = {s['T_half']:.3g}",
        f"  relaxation time (|q|, max over T): {s['tau_q_max_sweeps']:.1f} sweeps; "
        f"{s['n_not_equilibrated']} of {len(result['curve'])} temperatures flagged not equilibrated",
        f"  against {result['ensemble_size']} random networks of the same widths:",
    ]
    for key, z in result["z_scores"].items():
        lines.append(f"    {key:18s} {z['network']:9.4g}  random {z['ensemble_mean']:9.4g} +- "
                     f"{z['ensemble_std']:.3g}   z = {z['z']:+.1f}")
    lines.append("  Q(T):  " + "  ".join(f"{r['temperature']:.3g}:{r['Q']:.3f}" for r in result["curve"]))
    return "\n".join(lines)
