"""Atomic file output and readable errors for files the workflow consumes.

Every file glassbox writes goes through :func:`atomic_path`: the content is
written to a temporary name in the same folder and renamed into place only
once it is complete, so a killed job never leaves a truncated output behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

import numpy as np


class InputFileError(RuntimeError):
    """A file the workflow needs is missing or unreadable; the message names it."""


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` on success.

    On any exception the temporary file is removed and ``path`` is untouched.
    ``suffix`` defaults to the target's own suffix, so libraries that infer a
    format from the file name (matplotlib, numpy) still do.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=suffix if suffix is not None else target.suffix,
        dir=target.parent,
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json(path: str | os.PathLike, obj: Any) -> None:
    """Write ``obj`` as indented JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=False, default=_json_default) + "\n")


def read_json(path: str | os.PathLike) -> Any:
    """Read a JSON file, with an error that names the file when it is missing or corrupt."""
    path = Path(path)
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise InputFileError(f"missing file: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InputFileError(f"corrupt JSON file {path}: {err}") from None


def save_npz(path: str | os.PathLike, **arrays: Any) -> None:
    """``np.savez_compressed`` to a temporary name, then rename."""
    with atomic_path(path, suffix=".npz") as tmp:
        np.savez_compressed(tmp, **arrays)


def save_npy(path: str | os.PathLike, array: np.ndarray) -> None:
    """``np.save`` to a temporary name, then rename."""
    with atomic_path(path, suffix=".npy") as tmp:
        np.save(tmp, array)


def load_npy(path: str | os.PathLike) -> np.ndarray:
    """``np.load`` of a plain array, with an error naming the file."""
    path = Path(path)
    try:
        return np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise InputFileError(f"missing file: {path}") from None
    except (ValueError, OSError, EOFError) as err:
        raise InputFileError(f"corrupt array file {path}: {err}") from None


def load_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Load every array of an ``.npz`` file into memory, with an error naming the file."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except FileNotFoundError:
        raise InputFileError(f"missing file: {path}") from None
    except (ValueError, OSError, EOFError, KeyError) as err:
        raise InputFileError(f"corrupt array file {path}: {err}") from None


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")
