r"""The Hopfield-type Ising model of a feedforward network (DESIGN section 1).

Every neuron is a spin :math:`s_i \in \{-1, +1\}`; layer 0 holds the inputs and
layer K the outputs. Couplings are the weights and fields are the biases:

.. math::

    E(s) = -\sum_{k=1}^{K} s_k \cdot W_k s_{k-1} - \sum_{k} h_k \cdot s_k

which is the Hopfield form :math:`E = -\tfrac12 s J s - h \cdot s` with a
block-tridiagonal symmetric :math:`J` (:math:`J_{k,k-1} = W_k`). Because only
adjacent layers couple, the even layers are conditionally independent given
the odd ones: the basis of the exact block heat-bath sampler.

Two mean-field temperatures come with every model:

* ``T_sg = sqrt(rho(J o J))``, the spectral radius of the element-wise square,
  where the paramagnet becomes unstable toward a spin glass;
* ``T_m = lambda_max(J)``, the naive mean-field temperature of a condensed
  state (meaningful when the top eigenvalue is an outlier of the bulk).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import scipy.sparse.linalg as sla

from . import io

FIELD_MODES = ("bias", "none")
COUPLING_SCALES = ("none",)
MANIFEST = "manifest.json"


class SpinModelError(ValueError):
    """Layer shapes or values cannot form a spin model; the message names the layer."""


@dataclass(frozen=True)
class SpinModel:
    """A layered Ising model.

    Attributes
    ----------
    couplings:
        ``couplings[k]`` has shape ``(n_{k+1}, n_k)`` and couples spin layer
        ``k+1`` to layer ``k`` (the weight of the Linear layer feeding k+1).
    fields:
        ``fields[k]`` has shape ``(n_k,)``: the external field on layer ``k``.
    options:
        How the model was built (``include_input``, ``fields``,
        ``coupling_scale``); recorded in the manifest.
    """

    couplings: tuple[np.ndarray, ...]
    fields: tuple[np.ndarray, ...]
    options: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.fields) != len(self.couplings) + 1:
            raise SpinModelError(
                f"{len(self.couplings)} coupling blocks need {len(self.couplings) + 1} "
                f"field vectors, got {len(self.fields)}"
            )
        for k, w in enumerate(self.couplings):
            if w.ndim != 2:
                raise SpinModelError(f"coupling block {k} is not a matrix (shape {w.shape})")
            if w.shape != (self.fields[k + 1].shape[0], self.fields[k].shape[0]):
                raise SpinModelError(
                    f"coupling block {k} has shape {w.shape}, but spin layers {k} and {k + 1} "
                    f"have sizes {self.fields[k].shape[0]} and {self.fields[k + 1].shape[0]}"
                )
        for k, a in enumerate((*self.couplings, *self.fields)):
            if not np.all(np.isfinite(a)):
                raise SpinModelError(f"array {k} of the spin model holds NaN or infinite values")

    # ------------------------------------------------------------------ shape
    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return tuple(int(f.shape[0]) for f in self.fields)

    @property
    def n_spins(self) -> int:
        return int(sum(self.layer_sizes))

    @property
    def n_couplings(self) -> int:
        return int(sum(w.size for w in self.couplings))

    @property
    def layer_offsets(self) -> tuple[int, ...]:
        """Index of each layer's first spin in the flat spin vector."""
        return tuple(int(x) for x in np.concatenate([[0], np.cumsum(self.layer_sizes)[:-1]]))

    # ---------------------------------------------------------------- physics
    def energy(self, spins: Sequence[np.ndarray]) -> np.ndarray:
        r"""Energy of each configuration, :math:`E = -\sum_k s_k W_k s_{k-1} - \sum_k h_k s_k`.

        ``spins[k]`` has shape ``(..., n_k)``; returns shape ``(...)``.
        """
        energy = -sum(
            np.einsum("...i,...i->...", spins[k + 1], spins[k] @ w.T.astype(spins[k].dtype))
            for k, w in enumerate(self.couplings)
        )
        energy = energy - sum(s @ h.astype(s.dtype) for s, h in zip(spins, self.fields))
        return np.asarray(energy, dtype=np.float64)

    def local_fields(self, spins: Sequence[np.ndarray], layer: int) -> np.ndarray:
        r"""Local field on ``layer``: :math:`W_k s_{k-1} + W_{k+1}^T s_{k+1} + h_k`."""
        h = np.broadcast_to(self.fields[layer], spins[layer].shape).astype(np.float64)
        if layer > 0:
            h = h + spins[layer - 1] @ self.couplings[layer - 1].T
        if layer < len(self.couplings):
            h = h + spins[layer + 1] @ self.couplings[layer]
        return h

    def dense_couplings(self) -> np.ndarray:
        """The full symmetric coupling matrix J (n_spins x n_spins); for small models."""
        offsets, sizes = self.layer_offsets, self.layer_sizes
        j = np.zeros((self.n_spins, self.n_spins))
        for k, w in enumerate(self.couplings):
            rows = slice(offsets[k + 1], offsets[k + 1] + sizes[k + 1])
            cols = slice(offsets[k], offsets[k] + sizes[k])
            j[rows, cols] = w
            j[cols, rows] = w.T
        return j

    def flat_fields(self) -> np.ndarray:
        return np.concatenate([np.asarray(f, dtype=np.float64) for f in self.fields])

    def T_sg(self) -> float:
        """Spin-glass temperature ``sqrt(rho(J o J))`` (spectral radius of the squared couplings)."""
        squared = [np.asarray(w, dtype=np.float64) ** 2 for w in self.couplings]
        return float(np.sqrt(max(_top_eigenvalue(squared, self.layer_sizes), 0.0)))

    def T_m(self) -> float:
        """Mean-field condensation temperature ``lambda_max(J)``."""
        blocks = [np.asarray(w, dtype=np.float64) for w in self.couplings]
        return float(_top_eigenvalue(blocks, self.layer_sizes))

    # -------------------------------------------------------------------- I/O
    def save(self, folder: str | Path, extra: dict | None = None) -> Path:
        """Write ``couplings_<k>.npy``, ``fields_<k>.npy`` and ``manifest.json``.

        The manifest is written last, so its presence means the export is complete.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for k, w in enumerate(self.couplings):
            io.save_npy(folder / f"couplings_{k}.npy", np.asarray(w, dtype=np.float32))
        for k, h in enumerate(self.fields):
            io.save_npy(folder / f"fields_{k}.npy", np.asarray(h, dtype=np.float32))
        manifest = {
            "layer_sizes": list(self.layer_sizes),
            "n_spins": self.n_spins,
            "n_couplings": self.n_couplings,
            "couplings": [f"couplings_{k}.npy" for k in range(len(self.couplings))],
            "fields": [f"fields_{k}.npy" for k in range(len(self.fields))],
            "options": dict(self.options),
            "T_sg": self.T_sg(),
            "T_m": self.T_m(),
            **(extra or {}),
        }
        io.write_json(folder / MANIFEST, manifest)
        return folder / MANIFEST

    @classmethod
    def load(cls, manifest_path: str | Path) -> "SpinModel":
        """Read a model written by :meth:`save`; errors name the missing or corrupt file."""
        manifest_path = Path(manifest_path)
        manifest = io.read_json(manifest_path)
        folder = manifest_path.parent
        try:
            couplings = tuple(io.load_npy(folder / name) for name in manifest["couplings"])
            fields = tuple(io.load_npy(folder / name) for name in manifest["fields"])
        except KeyError as err:
            raise io.InputFileError(f"manifest {manifest_path} lacks the key {err}") from None
        try:
            return cls(couplings, fields, dict(manifest.get("options", {})))
        except SpinModelError as err:
            raise io.InputFileError(f"spin model in {folder} is broken: {err}") from None


def from_layers(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray | None],
    include_input: bool = True,
    fields: str = "bias",
    coupling_scale: str = "none",
    layer_names: Sequence[str] | None = None,
) -> SpinModel:
    """Build the spin model of a stack of Linear layers.

    ``weights[k]`` has shape ``(out_k, in_k)`` as in ``torch.nn.Linear``;
    ``biases[k]`` is its bias or ``None``. With ``include_input=False`` the
    input neurons are not spins: the first weight matrix is dropped and the
    first hidden layer keeps only its bias as field.
    """
    if fields not in FIELD_MODES:
        raise SpinModelError(f"fields must be one of {FIELD_MODES}, got {fields!r}")
    if coupling_scale not in COUPLING_SCALES:
        raise SpinModelError(f"coupling_scale must be one of {COUPLING_SCALES}, got {coupling_scale!r}")
    if len(weights) == 0:
        raise SpinModelError("the network has no Linear layer")
    names = list(layer_names) if layer_names is not None else [f"layer {k}" for k in range(len(weights))]
    weights = [np.asarray(w, dtype=np.float64) for w in weights]
    for k, w in enumerate(weights):
        if w.ndim != 2:
            raise SpinModelError(f"{names[k]}: weight is not a matrix (shape {w.shape})")
        if not np.all(np.isfinite(w)):
            raise SpinModelError(f"{names[k]}: weight holds NaN or infinite values")
        if k > 0 and w.shape[1] != weights[k - 1].shape[0]:
            raise SpinModelError(
                f"{names[k]}: takes {w.shape[1]} inputs but {names[k - 1]} gives {weights[k - 1].shape[0]}"
            )
    layer_fields = []
    for k, (w, b) in enumerate(zip(weights, biases)):
        if b is None or fields == "none":
            layer_fields.append(np.zeros(w.shape[0]))
            continue
        b = np.asarray(b, dtype=np.float64)
        if b.shape != (w.shape[0],):
            raise SpinModelError(f"{names[k]}: bias shape {b.shape} does not match {w.shape[0]} outputs")
        if not np.all(np.isfinite(b)):
            raise SpinModelError(f"{names[k]}: bias holds NaN or infinite values")
        layer_fields.append(b)
    options = {"include_input": bool(include_input), "fields": fields, "coupling_scale": coupling_scale}
    if include_input:
        return SpinModel(tuple(weights), (np.zeros(weights[0].shape[1]), *layer_fields), options)
    return SpinModel(tuple(weights[1:]), tuple(layer_fields), options)


def _top_eigenvalue(blocks: Sequence[np.ndarray], sizes: Sequence[int]) -> float:
    """Largest algebraic eigenvalue of the symmetric block-tridiagonal matrix built from ``blocks``."""
    n = int(sum(sizes))
    offsets = np.concatenate([[0], np.cumsum(sizes)])

    def matvec(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x).ravel()
        y = np.zeros(n)
        for k, w in enumerate(blocks):
            lo, mid, hi = offsets[k], offsets[k + 1], offsets[k + 2]
            y[mid:hi] += w @ x[lo:mid]
            y[lo:mid] += w.T @ x[mid:hi]
        return y

    if n <= 600:
        dense = np.zeros((n, n))
        eye = np.eye(n)
        for i in range(n):
            dense[:, i] = matvec(eye[i])
        return float(np.linalg.eigvalsh(dense)[-1])
    op = sla.LinearOperator((n, n), matvec=matvec, dtype=np.float64)
    v0 = np.ones(n) / np.sqrt(n)
    return float(sla.eigsh(op, k=1, which="LA", v0=v0, tol=1e-8, maxiter=20 * n)[0][0])
