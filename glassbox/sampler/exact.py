"""Exact equilibrium answers for small spin models, by enumerating all 2^N states.

Used as the independent reference that the samplers are tested against.
States are indexed by integers x; bit i set means s_i = -1.

The overlap distribution of two independent replicas follows from the XOR
autocorrelation of the Boltzmann weights, ``A(z) = sum_x p(x) p(x ^ z)``,
computed with a fast Walsh-Hadamard transform: ``q = 1 - 2 popcount(z) / N``.
"""

from __future__ import annotations

import numpy as np

from ..spin_model import SpinModel

MAX_SPINS = 22


def all_states(n: int) -> np.ndarray:
    """Every configuration of n spins, shape (2^n, n), entries +-1 (bit i set -> s_i = -1)."""
    x = np.arange(2**n, dtype=np.int64)[:, None]
    bits = (x >> np.arange(n)) & 1
    return (1 - 2 * bits).astype(np.float64)


def boltzmann_weights(model: SpinModel, temperature: float) -> tuple[np.ndarray, np.ndarray]:
    """Normalised probabilities p(x) and energies E(x) of every state."""
    n = model.n_spins
    if n > MAX_SPINS:
        raise ValueError(f"exact enumeration is limited to {MAX_SPINS} spins, the model has {n}")
    states = all_states(n)
    j, h = model.dense_couplings(), model.flat_fields()
    energy = -0.5 * np.einsum("xi,ij,xj->x", states, j, states) - states @ h
    log_w = -energy / temperature
    log_w -= log_w.max()
    p = np.exp(log_w)
    return p / p.sum(), energy


def _walsh_hadamard(a: np.ndarray) -> np.ndarray:
    a = a.copy()
    h = 1
    n = a.size
    while h < n:
        a = a.reshape(-1, 2, h)
        a = np.stack([a[:, 0] + a[:, 1], a[:, 0] - a[:, 1]], axis=1)
        h *= 2
    return a.reshape(n)


def overlap_distribution(p: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """P(q) of two independent replicas: the values q_k = 1 - 2k/N and their probabilities."""
    spectrum = _walsh_hadamard(p)
    autocorrelation = _walsh_hadamard(spectrum**2) / p.size
    distance = np.array([bin(z).count("1") for z in range(p.size)])
    probs = np.bincount(distance, weights=autocorrelation, minlength=n + 1)
    return 1.0 - 2.0 * np.arange(n + 1) / n, np.clip(probs, 0.0, None)


def exact_observables(model: SpinModel, temperature: float) -> dict:
    """Exact <E>/N, <|q|>, <q^2>, <q^4>, the Binder cumulant and specific heat at ``temperature``."""
    n = model.n_spins
    p, energy = boltzmann_weights(model, temperature)
    q, pq = overlap_distribution(p, n)
    mean_e = float(p @ energy)
    var_e = float(p @ (energy - mean_e) ** 2)
    q2 = float(pq @ q**2)
    q4 = float(pq @ q**4)
    return {
        "temperature": float(temperature),
        "energy_per_spin": mean_e / n,
        "specific_heat_per_spin": var_e / temperature**2 / n,
        "Q": float(pq @ np.abs(q)),
        "q2": q2,
        "q4": q4,
        "binder": 0.5 * (3.0 - q4 / q2**2),
        "q_values": q,
        "q_probabilities": pq,
    }
