"""The descriptor and its error analysis against known answers."""

import numpy as np
import pytest

from glassbox.descriptor import (
    binder_cumulant,
    curve_summaries,
    integrated_autocorrelation_time,
    log_binning_check,
    overlap_histogram,
    temperature_observables,
)


def ar1(phi, n, seed):
    rng = np.random.default_rng(seed)
    x = np.empty(n)
    x[0] = rng.normal() / np.sqrt(1 - phi**2)
    noise = rng.normal(size=n)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + noise[t]
    return x


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.9])
def test_autocorrelation_time_of_ar1(phi):
    expected = (1 + phi) / (1 - phi)
    estimates = [integrated_autocorrelation_time(ar1(phi, 50_000, seed)) for seed in range(4)]
    assert np.mean(estimates) == pytest.approx(expected, rel=0.1)


def test_binder_cumulant_limits():
    rng = np.random.default_rng(0)
    gaussian = rng.normal(size=1_000_000)
    assert binder_cumulant(np.mean(gaussian**2), np.mean(gaussian**4)) == pytest.approx(0.0, abs=0.01)
    assert binder_cumulant(1.0, 1.0) == 1.0


def test_log_binning_flags_drift_and_passes_stationary_noise():
    """A 3-sigma check: stationary series pass nearly always, a decaying drift never does."""
    passed = drift_passed = 0
    for seed in range(20):
        stationary = ar1(0.5, 4000, seed=seed)
        passed += log_binning_check(stationary)["equilibrated"]
        drift_passed += log_binning_check(stationary + 3.0 * np.exp(-np.arange(4000) / 1500))["equilibrated"]
    assert passed >= 18
    assert drift_passed == 0


def test_observables_of_paramagnetic_overlaps():
    """Independent random spins: E|q| = sqrt(2/(pi N)) and N<q^2> = 1 for large N."""
    rng = np.random.default_rng(3)
    n, pairs, meas = 400, 28, 2000
    q = (2 * rng.binomial(n, 0.5, size=(meas, pairs)) - n) / n
    energy = rng.normal(-0.1, 0.01, size=(meas, 8))
    obs = temperature_observables(q, energy, temperature=10.0, n_spins=n)
    assert obs["Q"] == pytest.approx(np.sqrt(2 / (np.pi * n)), rel=0.02)
    assert obs["chi_sg"] == pytest.approx(1.0, rel=0.03)
    assert obs["binder"] == pytest.approx(0.0, abs=0.05)
    assert obs["equilibrated"]
    assert obs["specific_heat"] == pytest.approx(n * 0.01**2 / 100, rel=0.1)


def test_overlap_histogram_is_a_density():
    q = np.random.default_rng(4).uniform(-1, 1, size=5000)
    centres, density = overlap_histogram(q, n_spins=100, bins=20)
    assert np.sum(density) * (centres[1] - centres[0]) == pytest.approx(1.0)


def test_curve_summaries_of_a_known_curve():
    t = np.geomspace(0.1, 10, 201)
    q = 1 / (1 + (t / 2.0) ** 4)  # crosses 1/2 at T = 2, symmetric in log T about 2... over [0.1, 10]
    s = curve_summaries(t, q)
    assert s["T_half"] == pytest.approx(2.0, rel=1e-3)
    # integral over log T of the logistic in log T: ln(2/0.1)/ln(100) minus small tails
    assert s["Q_area"] == pytest.approx(np.log(20) / np.log(100), abs=0.01)
    assert np.isnan(curve_summaries(t, 0.3 * np.ones_like(t))["T_half"])
