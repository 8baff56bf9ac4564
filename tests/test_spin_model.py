"""The export of a network into its spin model (DESIGN section 1)."""

import numpy as np
import pytest
import torch

from glassbox.networks import build_mlp, linear_stack
from glassbox.spin_model import SpinModel, SpinModelError, from_layers
from glassbox.sampler.exact import all_states

from conftest import random_network


def test_couplings_and_fields_equal_weights_and_biases(tmp_path):
    torch.manual_seed(0)
    net = build_mlp(5, [7, 4], 3)
    weights, biases, names = linear_stack(net)
    model = from_layers(weights, biases)
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    assert model.layer_sizes == (5, 7, 4, 3)
    for w, layer in zip(model.couplings, linears):
        np.testing.assert_array_equal(w, layer.weight.detach().double().numpy())
    np.testing.assert_array_equal(model.fields[0], np.zeros(5))
    for h, layer in zip(model.fields[1:], linears):
        np.testing.assert_array_equal(h, layer.bias.detach().double().numpy())
    # round trip through the .npy export, float32 on disk
    model.save(tmp_path)
    loaded = SpinModel.load(tmp_path / "manifest.json")
    for a, b in zip(loaded.couplings, model.couplings):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert sorted(p.name for p in tmp_path.glob("*.npy")) == [
        "couplings_0.npy", "couplings_1.npy", "couplings_2.npy",
        "fields_0.npy", "fields_1.npy", "fields_2.npy", "fields_3.npy",
    ]


def test_block_structure_of_dense_couplings():
    weights, biases = random_network([3, 4, 2, 5], seed=2)
    model = from_layers(weights, biases)
    j = model.dense_couplings()
    np.testing.assert_array_equal(j, j.T)
    off = np.cumsum([0, 3, 4, 2, 5])
    for a in range(4):
        for b in range(4):
            block = j[off[a]:off[a + 1], off[b]:off[b + 1]]
            if b == a - 1:
                np.testing.assert_array_equal(block, weights[b])
            elif abs(a - b) != 1:
                assert not block.any(), f"layers {a} and {b} must not couple"


def test_energy_is_the_hopfield_form():
    weights, biases = random_network([3, 4, 3], seed=3)
    model = from_layers(weights, biases)
    states = all_states(model.n_spins)
    j, h = model.dense_couplings(), model.flat_fields()
    expected = -0.5 * np.einsum("xi,ij,xj->x", states, j, states) - states @ h
    split = np.split(states, np.cumsum(model.layer_sizes)[:-1], axis=1)
    np.testing.assert_allclose(model.energy(split), expected, atol=1e-12)


def test_options_include_input_and_fields():
    weights, biases = random_network([3, 4, 2], seed=4)
    no_input = from_layers(weights, biases, include_input=False)
    assert no_input.layer_sizes == (4, 2)
    np.testing.assert_array_equal(no_input.couplings[0], weights[1])
    np.testing.assert_array_equal(no_input.fields[0], biases[0])
    no_fields = from_layers(weights, biases, fields="none")
    assert all(not f.any() for f in no_fields.fields)
    assert no_fields.options == {"include_input": True, "fields": "none", "coupling_scale": "none"}


def test_bad_layers_are_named():
    w = [np.ones((4, 3)), np.ones((2, 5))]
    with pytest.raises(SpinModelError, match="layer 1: takes 5 inputs but layer 0 gives 4"):
        from_layers(w, [None, None])
    with pytest.raises(SpinModelError, match="NaN"):
        from_layers([np.full((2, 2), np.nan)], [None])


def test_mean_field_temperatures_against_dense_spectrum():
    weights, biases = random_network([6, 9, 5], seed=5)
    model = from_layers(weights, biases)
    j = model.dense_couplings()
    assert model.T_m() == pytest.approx(np.linalg.eigvalsh(j)[-1], rel=1e-9)
    assert model.T_sg() == pytest.approx(np.sqrt(np.linalg.eigvalsh(j**2)[-1]), rel=1e-9)


@pytest.mark.parametrize("n_blocks", [1, 2, 3])
def test_T_sg_of_identical_random_layers_matches_closed_form(n_blocks):
    """Chain of L+1 layers of width N, couplings of variance C/N: T_sg -> sqrt(2 C cos(pi/(L+2)))."""
    n, variance = 1500, 1.7
    rng = np.random.default_rng(n_blocks)
    weights = [rng.normal(0, np.sqrt(variance / n), (n, n)) for _ in range(n_blocks)]
    model = from_layers(weights, [None] * n_blocks, fields="none")
    predicted = np.sqrt(2 * variance * np.cos(np.pi / (n_blocks + 2)))
    assert model.T_sg() == pytest.approx(predicted, rel=0.01)
