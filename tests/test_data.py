"""Datasets: the embedded digits split and the IDX reader for local MNIST files."""

import gzip
import struct

import numpy as np
import pytest

from glassbox.data import DatasetError, load_dataset, read_idx


def test_digits_split_is_fixed_and_scaled():
    a = load_dataset("digits", split_seed=0)
    b = load_dataset("digits", split_seed=0)
    assert a.x_train.shape == (1437, 64) and a.x_test.shape == (360, 64)
    assert float(a.x_train.min()) >= 0 and float(a.x_train.max()) <= 1
    assert (a.x_test == b.x_test).all() and (a.y_train == b.y_train).all()
    assert a.n_classes == 10


def _write_idx(path, array, gz=False):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    opener = gzip.open if gz else open
    with opener(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def test_mnist_reader_on_small_idx_files(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 28, 28))
    labels = rng.integers(0, 10, size=5)
    _write_idx(tmp_path / "train-images-idx3-ubyte.gz", images, gz=True)
    _write_idx(tmp_path / "train-labels-idx1-ubyte", labels)
    _write_idx(tmp_path / "t10k-images-idx3-ubyte", images[:2])
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels[:2])
    np.testing.assert_array_equal(read_idx(tmp_path / "train-images-idx3-ubyte.gz"), images)
    data = load_dataset("mnist", paths={"mnist": str(tmp_path)})
    assert data.x_train.shape == (5, 784) and data.x_test.shape == (2, 784)
    np.testing.assert_allclose(data.x_train.numpy(), images.reshape(5, -1) / 255.0, rtol=1e-6)


def test_missing_mnist_folder_names_the_path(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(DatasetError, match=str(missing)):
        load_dataset("mnist", paths={"mnist": str(missing)})
    with pytest.raises(DatasetError, match="data.paths.mnist"):
        load_dataset("mnist")


def test_corrupt_idx_is_named(tmp_path):
    bad = tmp_path / "train-images-idx3-ubyte"
    bad.write_bytes(b"not an idx file")
    with pytest.raises(DatasetError, match="not an unsigned-byte IDX"):
        read_idx(bad)


def test_mnist1d_is_generated_without_download():
    data = load_dataset("mnist1d", split_seed=0)
    assert data.n_features == 40 and data.n_classes == 10
    assert float(data.x_train.min()) >= 0 and float(data.x_train.max()) <= 1
