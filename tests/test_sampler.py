"""The samplers against exact enumeration (DESIGN section 5)."""

import numpy as np
import pytest

from glassbox.descriptor import mean_and_error
from glassbox.sampler import SamplerSettings, sample_replicas
from glassbox.sampler.cpu import CPUBackend
from glassbox.sampler.exact import exact_observables
from glassbox.sampler.philox import philox_block, uniforms
from glassbox.spin_model import from_layers

from conftest import random_network

N_SIGMA = 5.0  # tolerance in autocorrelation-corrected standard errors

# Random123's published known-answer vectors for Philox4x32-10
PHILOX_KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


@pytest.mark.parametrize("counter,key,expected", PHILOX_KAT)
def test_philox_known_answers(counter, key, expected):
    out = philox_block(np.array(counter, dtype=np.uint32), np.array(key, dtype=np.uint32))
    assert tuple(int(x) for x in out) == expected


def test_uniforms_are_uniform():
    u = uniforms(64, 1000, 3, 7, 0, 12345, 678).ravel()
    assert u.min() >= 0 and u.max() < 1
    # Kolmogorov-Smirnov distance of 64000 uniforms
    u.sort()
    ks = np.max(np.abs(u - np.arange(1, u.size + 1) / u.size))
    assert ks < 1.63 / np.sqrt(u.size)  # 1% level


def _check_against_exact(model, run, temperatures):
    n = model.n_spins
    for samples, temperature in zip(run.samples, temperatures):
        exact = exact_observables(model, temperature)
        checks = {
            "energy_per_spin": samples.energy_per_spin.mean(axis=1),
            "Q": np.abs(samples.overlaps).mean(axis=1),
            "q2": (samples.overlaps ** 2).mean(axis=1),
        }
        for name, series in checks.items():
            mean, err, _ = mean_and_error(series)
            assert abs(mean - exact[name]) < N_SIGMA * err + 1e-3 / n, (
                f"T={temperature}: {name} sampled {mean:.4f} +- {err:.4f}, exact {exact[name]:.4f}"
            )


@pytest.mark.parametrize("seed", [11, 12])
def test_independent_chains_match_exact_enumeration(seed):
    weights, biases = random_network([4, 6, 6], seed=seed)
    model = from_layers(weights, biases)
    t_sg = model.T_sg()
    temperatures = np.array([0.6, 1.0, 2.0]) * t_sg  # below and above T_sg
    settings = SamplerSettings(replicas=12, burnin_sweeps=300, measure_sweeps=6000, measure_every=2,
                               method="independent", seed=seed, backend="cpu")
    run = sample_replicas(model, temperatures, settings)
    _check_against_exact(model, run, temperatures)


def test_parallel_tempering_matches_exact_enumeration():
    weights, biases = random_network([5, 6, 5], seed=21, weight_scale=1.5)
    model = from_layers(weights, biases)
    temperatures = np.geomspace(0.3, 3.0, 10) * model.T_sg()
    settings = SamplerSettings(replicas=8, burnin_sweeps=500, measure_sweeps=6000, measure_every=2,
                               method="tempering", seed=5, backend="cpu")
    run = sample_replicas(model, temperatures, settings)
    assert np.all(run.swap_acceptance > 0.05)
    assert run.round_trips > 10
    _check_against_exact(model, run, temperatures)


def _bipartite_ferromagnet(n, coupling, field):
    """Two layers of n spins, W = coupling/n everywhere, a small field favouring +1."""
    return from_layers([np.full((n, n), coupling / n)], [np.full(n, field)], include_input=True)


def test_tempering_escapes_a_metastable_state_that_traps_independent_chains():
    model = _bipartite_ferromagnet(8, coupling=2.0, field=0.05)
    # include_input gives the input layer no field; add it by hand so both layers feel it
    model = type(model)(model.couplings, (np.full(8, 0.05), model.fields[1]), model.options)
    low = 0.4
    exact = exact_observables(model, low)["energy_per_spin"]
    minus = [-np.ones(8), -np.ones(8)]  # the metastable state, energy +0.1 per spin above the ground state
    temperatures = np.geomspace(low, 6.0, 12)
    settings = dict(replicas=6, burnin_sweeps=500, measure_sweeps=3000, measure_every=2, seed=9, backend="cpu")
    stuck = sample_replicas(model, temperatures, SamplerSettings(method="independent", **settings),
                            initial_state=minus)
    tempered = sample_replicas(model, temperatures, SamplerSettings(method="tempering", **settings),
                               initial_state=minus)
    stuck_e, stuck_err, _ = mean_and_error(stuck.samples[0].energy_per_spin.mean(axis=1))
    pt_e, pt_err, _ = mean_and_error(tempered.samples[0].energy_per_spin.mean(axis=1))
    assert stuck_e - exact > 0.05, "independent chains should stay in the metastable state"
    assert abs(pt_e - exact) < N_SIGMA * pt_err + 2e-3


def test_numbers_do_not_depend_on_thread_count():
    weights, biases = random_network([7, 9, 5], seed=3)
    model = from_layers(weights, biases)
    beta = np.linspace(0.2, 2.0, 10)
    results = []
    for threads in (1, 2, 3):
        backend = CPUBackend(model, 10, seed=77, threads=threads)
        energies = [backend.sweep(beta, s) for s in range(20)]
        results.append((np.stack(energies), [s.copy() for s in backend.layer_states()]))
        backend.close()
    for energies, spins in results[1:]:
        np.testing.assert_array_equal(energies, results[0][0])
        for a, b in zip(spins, results[0][1]):
            np.testing.assert_array_equal(a, b)


def test_sweep_energy_equals_recomputed_energy():
    weights, biases = random_network([6, 8, 7, 3], seed=8)
    backend = CPUBackend(from_layers(weights, biases), 5, seed=1, threads=2)
    for s in range(5):
        e = backend.sweep(np.full(5, 0.7), s)
        np.testing.assert_allclose(e, backend.energies(), atol=1e-4)
    backend.close()


def test_same_seed_same_numbers():
    weights, biases = random_network([4, 5, 3], seed=4)
    model = from_layers(weights, biases)
    settings = SamplerSettings(replicas=3, burnin_sweeps=10, measure_sweeps=40, measure_every=2, seed=3,
                               backend="cpu")
    a = sample_replicas(model, [0.5, 1.0, 2.0], settings)
    b = sample_replicas(model, [0.5, 1.0, 2.0], settings)
    for x, y in zip(a.samples, b.samples):
        np.testing.assert_array_equal(x.overlaps, y.overlaps)
        np.testing.assert_array_equal(x.energy_per_spin, y.energy_per_spin)
