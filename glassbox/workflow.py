"""The workflow's stages as plain functions of paths and settings.

Each Snakemake script in ``scripts/`` reads its inputs, outputs and params and
calls one function here inside :func:`job`, which sends the job's output to
its log file and turns a failure into a one-line error naming the cause and a
non-zero exit.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from . import io
from .config import derived_seed, temperature_grid


@contextlib.contextmanager
def job(snakemake) -> Iterator[None]:
    """Run a Snakemake script body: log to ``log[0]``, set thread counts, exit 1 on error."""
    threads = str(getattr(snakemake, "threads", 1) or 1)
    os.environ.setdefault("NUMBA_NUM_THREADS", threads)
    log_path = snakemake.log[0] if len(snakemake.log) else None
    stream = open(log_path, "w", buffering=1) if log_path else None
    saved = sys.stdout, sys.stderr
    if stream:
        sys.stdout = sys.stderr = stream
    try:
        for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # torch reads these when imported
            os.environ[variable] = threads
        if "SLURM_JOB_ID" in os.environ:
            print(f"running as SLURM job {os.environ['SLURM_JOB_ID']} on {os.uname().nodename}", flush=True)
        yield
    except Exception as err:  # report and exit non-zero; Snakemake removes the outputs
        message = f"glassbox {snakemake.rule} failed: {type(err).__name__}: {err}"
        if stream:
            traceback.print_exc(file=stream)
            print(message, file=stream)
        sys.stdout, sys.stderr = saved
        print(message + (f"\n  (log: {log_path})" if log_path else ""), file=sys.stderr)
        sys.exit(1)
    finally:
        sys.stdout, sys.stderr = saved
        if stream:
            stream.close()


def train(spec: dict, data_config: dict, checkpoints: dict[int, str], metrics_path: str) -> None:
    """Train one network spec; write a checkpoint per kept epoch and the metrics JSON."""
    from .data import load_configured
    from .networks import save_checkpoint
    from .training import train_network

    data = load_configured(spec["dataset"], data_config)
    architecture = {
        "n_inputs": data.n_features,
        "hidden": list(spec["hidden"]),
        "n_outputs": data.n_classes,
        "activation": spec["activation"],
    }
    print(f"training {spec['name']}: {architecture} on {data.name} ({data.x_train.shape[0]} train, "
          f"{data.x_test.shape[0]} test)", file=sys.stderr)

    def keep(epoch: int, model, metrics: dict) -> None:
        save_checkpoint(checkpoints[epoch], model, architecture, epoch=epoch, network=spec["name"],
                        spec=_plain(spec), metrics=_plain(metrics))

    start = time.perf_counter()
    result = train_network(spec, data, keep)
    kept = [row for row in result["history"] if row["epoch"] in checkpoints]
    io.write_json(metrics_path, {
        "network": spec["name"],
        "spec": spec,
        "kept_epochs": kept,
        "history": result["history"],
        "n_noisy_labels": result["n_noisy_labels"],
        "seconds": time.perf_counter() - start,
    })


def evaluate(checkpoint: str, spec: dict, data_config: dict, evaluation: dict, output: str) -> None:
    """Conventional metrics of one checkpoint, written as JSON."""
    from .data import load_configured
    from .evaluation import evaluate_network
    from .networks import load_checkpoint

    model, info = load_checkpoint(checkpoint)
    data = load_configured(spec["dataset"], data_config)
    metrics = evaluate_network(
        model, data, evaluation["epsilons"], evaluation["noise_sigmas"], evaluation["pgd_steps"],
        seed=spec["seed"],
        backdoor_target=spec["backdoor_target"] if spec.get("backdoor_rate", 0) > 0 else None,
        backdoor_patch=spec["backdoor_patch"],
        max_examples=evaluation.get("max_examples"),
    )
    metrics["n_inputs"] = info["architecture"]["n_inputs"]
    metrics["n_outputs"] = info["architecture"]["n_outputs"]
    training = info.get("metrics", {})
    metrics["memorised_fraction"] = training.get("memorised_fraction", float("nan"))
    metrics["train_accuracy_training_labels"] = training.get("train_accuracy", float("nan"))
    io.write_json(output, {"network": spec["name"], "epoch": info["epoch"], **metrics})


def export_couplings(checkpoint: str, spin_model: dict, manifest: str) -> None:
    """The spin model of one checkpoint: .npy couplings and fields plus the manifest."""
    from .networks import linear_stack, load_checkpoint
    from .spin_model import from_layers

    model, info = load_checkpoint(checkpoint)
    weights, biases, names = linear_stack(model)
    spins = from_layers(weights, biases, layer_names=names, **spin_model)
    spins.save(Path(manifest).parent, extra={"network": info.get("network"), "epoch": info.get("epoch"),
                                             "checkpoint": str(checkpoint), "layer_names": names})
    print(f"exported {spins.n_spins} spins, {spins.n_couplings} couplings; "
          f"T_sg = {spins.T_sg():.3f}, T_m = {spins.T_m():.3f}", file=sys.stderr)


def sample(manifest: str, temperatures: dict, sampler: dict, indices: Sequence[int], outputs: Sequence[str],
           seed_parts: Sequence, threads: int = 1) -> None:
    """Sample replicas at the grid temperatures ``indices``; one .npz per temperature.

    With ``sampler.method: tempering`` all temperatures of the grid go in one
    parallel-tempering run; with ``independent``, ``indices`` is usually one.
    """
    from .sampler import SamplerSettings, sample_replicas
    from .spin_model import SpinModel

    model = SpinModel.load(manifest)
    info = io.read_json(manifest)
    grid = temperature_grid(temperatures, info.get("T_m"))
    chosen = np.asarray(grid)[list(indices)]
    settings = SamplerSettings(**{**sampler, "seed": derived_seed(sampler.get("seed", 0), *seed_parts)})
    print(f"sampling {model.n_spins} spins at {len(chosen)} temperature(s) "
          f"{np.round(chosen, 4).tolist()} with {settings.method}, {settings.replicas} replicas", file=sys.stderr)
    run = sample_replicas(model, chosen, settings, progress=True, threads=threads)
    summary = run.summary()
    summary.update(layer_sizes=list(model.layer_sizes), n_spins=model.n_spins, T_sg=info.get("T_sg"),
                   T_m=info.get("T_m"), temperature_units=temperatures.get("units", "absolute"))
    print(f"done in {run.seconds:.1f} s ({run.sweeps_per_second:.0f} sweeps/s); swap acceptance "
          f"{np.round(run.swap_acceptance, 2).tolist()}, round trips {run.round_trips}", file=sys.stderr)
    for index, samples, output in zip(indices, run.samples, outputs):
        io.save_npz(
            output,
            temperature=np.float64(samples.temperature),
            temperature_index=np.int64(index),
            overlaps=samples.overlaps,
            layer_overlaps=samples.layer_overlaps,
            energy_per_spin=samples.energy_per_spin,
            pairs=samples.pairs,
            layer_sizes=np.asarray(model.layer_sizes),
            run=np.array(json.dumps(summary)),
        )


def _plain(obj):
    """JSON-safe copy (NaN stays a float) for storing in checkpoints."""
    return json.loads(json.dumps(obj, default=io._json_default))
