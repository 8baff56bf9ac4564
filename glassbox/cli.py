"""The ``glassbox`` command line.

    glassbox inspect model.pt [--out DIR] [--allow-pickle] [--ensemble 10] ...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _inspect(args: argparse.Namespace) -> int:
    from .inspection import ModelFileError, format_report, inspect_network
    from .io import InputFileError
    from .networks import UnsupportedLayerError
    from .sampler import SamplerSettings
    from .spin_model import SpinModelError

    settings = SamplerSettings(replicas=args.replicas, burnin_sweeps=args.burnin_sweeps,
                               measure_sweeps=args.measure_sweeps, measure_every=args.measure_every,
                               method="tempering", seed=args.seed, backend=args.backend)
    temperatures = None
    if args.temperatures:
        low, high, count = args.temperatures
        temperatures = {"spacing": "log", "min": float(low), "max": float(high), "count": int(count)}
    out = Path(args.out) if args.out else Path("results") / "inspect" / Path(args.model).stem
    try:
        result = inspect_network(args.model, out, allow_pickle=args.allow_pickle,
                                 include_input=not args.no_input, fields=args.fields, temperatures=temperatures,
                                 settings=settings, ensemble=args.ensemble)
    except (ModelFileError, UnsupportedLayerError, SpinModelError, InputFileError) as err:
        print(f"glassbox inspect: {err}", file=sys.stderr)
        return 2
    print(format_report(result))
    print(f"wrote {out}/descriptor.json, curve.csv, q_curve.png")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="glassbox", description="Characterise neural networks as spin glasses.")
    sub = parser.add_subparsers(dest="command", required=True)
    inspect = sub.add_parser(
        "inspect",
        help="descriptor of a network you bring (PyTorch or scikit-learn MLP)",
        description="Load an MLP, build its spin model, sample Q(T) with parallel tempering, and compare it "
                    "with random networks of the same widths. PyTorch state_dicts, glassbox checkpoints and "
                    "TorchScript load without running code; whole pickled modules and scikit-learn models need "
                    "--allow-pickle (unpickling runs code: only for files you trust).",
    )
    inspect.add_argument("model", help="a .pt/.pth file (state_dict, TorchScript, checkpoint, module) or a "
                                       ".joblib/.pkl scikit-learn MLPClassifier/MLPRegressor")
    inspect.add_argument("--out", help="output folder (default results/inspect/<file stem>)")
    inspect.add_argument("--allow-pickle", action="store_true", help="allow a full unpickle (runs code)")
    inspect.add_argument("--no-input", action="store_true", help="leave the input neurons out of the spin model")
    inspect.add_argument("--fields", choices=["bias", "none"], default="bias")
    inspect.add_argument("--temperatures", nargs=3, metavar=("MIN", "MAX", "COUNT"),
                         help="log-spaced grid (default: 0.5 T_sg to 1.5 T_m, 20 points)")
    inspect.add_argument("--ensemble", type=int, default=10, help="random networks to compare with (default 10)")
    inspect.add_argument("--replicas", type=int, default=6)
    inspect.add_argument("--burnin-sweeps", type=int, default=1000)
    inspect.add_argument("--measure-sweeps", type=int, default=2000)
    inspect.add_argument("--measure-every", type=int, default=4)
    inspect.add_argument("--seed", type=int, default=0)
    inspect.add_argument("--backend", choices=["auto", "cpu", "cuda"], default="auto")
    inspect.set_defaults(func=_inspect)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
