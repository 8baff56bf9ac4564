import numpy as np
import pytest

from glassbox.spin_model import from_layers


def random_network(sizes, seed, field_scale=0.3, weight_scale=1.0):
    """A layered network with Gaussian couplings of variance weight_scale^2 / fan-in."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, weight_scale / np.sqrt(sizes[k]), (sizes[k + 1], sizes[k])) for k in range(len(sizes) - 1)]
    biases = [rng.normal(0, field_scale, sizes[k + 1]) for k in range(len(sizes) - 1)]
    return weights, biases


@pytest.fixture
def small_model():
    weights, biases = random_network([4, 6, 6], seed=1)
    return from_layers(weights, biases)
