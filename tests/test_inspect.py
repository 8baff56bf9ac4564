"""`glassbox inspect` on real models built here, and each bad input's clear error."""

import subprocess
import sys

import joblib
import numpy as np
import pytest
import torch
from sklearn.neural_network import MLPClassifier, MLPRegressor

from glassbox.cli import main
from glassbox.inspection import ModelFileError, load_network
from glassbox.networks import UnsupportedLayerError
from glassbox.spin_model import SpinModelError, from_layers

FAST = ["--ensemble", "2", "--replicas", "3", "--burnin-sweeps", "50", "--measure-sweeps", "200",
        "--measure-every", "2", "--temperatures", "0.3", "6", "6"]


def mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 8), torch.nn.Tanh(), torch.nn.Dropout(0.2),
                               torch.nn.Linear(8, 3))


def assert_same_layers(stack, model):
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    assert len(stack.weights) == len(linears)
    for w, b, layer in zip(stack.weights, stack.biases, linears):
        np.testing.assert_allclose(w, layer.weight.detach().numpy(), rtol=1e-6)
        np.testing.assert_allclose(b, layer.bias.detach().numpy(), rtol=1e-6)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_state_dict_torchscript_and_module(tmp_path):
    model = mlp()
    torch.save(model.state_dict(), tmp_path / "sd.pt")
    torch.jit.save(torch.jit.script(model), tmp_path / "ts.pt")
    torch.save(model, tmp_path / "module.pt")
    assert_same_layers(load_network(tmp_path / "sd.pt"), model)
    assert_same_layers(load_network(tmp_path / "ts.pt"), model)
    with pytest.raises(ModelFileError, match="--allow-pickle"):
        load_network(tmp_path / "module.pt")
    assert_same_layers(load_network(tmp_path / "module.pt", allow_pickle=True), model)


def test_sklearn_classifier_and_regressor(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(60, 5)), rng.integers(0, 3, 60)
    for estimator, target in ((MLPClassifier(hidden_layer_sizes=(7, 4), max_iter=500), y),
                              (MLPRegressor(hidden_layer_sizes=(6,), max_iter=500), x[:, 0])):
        estimator.fit(x, target)
        path = tmp_path / f"{type(estimator).__name__}.joblib"
        joblib.dump(estimator, path)
        with pytest.raises(ModelFileError, match="--allow-pickle"):
            load_network(path)
        stack = load_network(path, allow_pickle=True)
        for w, coef in zip(stack.weights, estimator.coefs_):
            np.testing.assert_array_equal(w, coef.T)


def test_batchnorm_is_folded_into_the_linear_layer(tmp_path):
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.BatchNorm1d(5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
    model.train()
    for _ in range(5):
        model(torch.randn(32, 6))  # move the running statistics away from 0 and 1
    model.eval()
    torch.save(model.state_dict(), tmp_path / "bn.pt")
    for stack in (load_network(tmp_path / "bn.pt"), _module_stack(model)):
        x = torch.randn(10, 6).double()
        folded = x.numpy() @ stack.weights[0].T + stack.biases[0]
        with torch.no_grad():
            expected = model[1].double()(model[0].double()(x)).numpy()
        np.testing.assert_allclose(folded, expected, rtol=1e-6, atol=1e-8)


def _module_stack(model):
    from glassbox.inspection import _stack_from_module

    return _stack_from_module(model, "module")


@pytest.mark.parametrize("layer,name", [
    (torch.nn.Conv2d(1, 2, 3), "Conv2d"),
    (torch.nn.LSTM(4, 4), "LSTM"),
    (torch.nn.MultiheadAttention(4, 2), "MultiheadAttention"),
])
def test_unsupported_layer_is_named_with_its_position(tmp_path, layer, name):
    model = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.ReLU(), layer)
    with pytest.raises(UnsupportedLayerError, match=rf"layer 2 at position 2 is {name}"):
        _module_stack(model)
    torch.save(model.state_dict(), tmp_path / "bad.pt")
    with pytest.raises(UnsupportedLayerError, match="layer 2 at position"):
        load_network(tmp_path / "bad.pt")


def test_nan_weights_and_shapes_that_do_not_chain(tmp_path):
    model = mlp()
    with torch.no_grad():
        model[1].weight[0, 0] = float("nan")
    stack = load_network(_save(tmp_path / "nan.pt", model.state_dict()))
    with pytest.raises(SpinModelError, match="NaN"):
        from_layers(stack.weights, stack.biases, layer_names=stack.names)
    broken = {"0.weight": torch.ones(8, 12), "0.bias": torch.ones(8), "2.weight": torch.ones(3, 9)}
    stack = load_network(_save(tmp_path / "chain.pt", broken))
    with pytest.raises(SpinModelError, match=r"2 \(Linear 9->3\): takes 9 inputs but 0 \(Linear 12->8\) gives 8"):
        from_layers(stack.weights, stack.biases, layer_names=stack.names)


def _save(path, obj):
    torch.save(obj, path)
    return path


def test_files_that_are_not_models(tmp_path):
    (tmp_path / "text.pt").write_text("not a model")
    with pytest.raises(ModelFileError, match="text.pt"):
        load_network(tmp_path / "text.pt")
    with pytest.raises(ModelFileError, match="no such file"):
        load_network(tmp_path / "missing.pt")
    torch.save([1, 2, 3], tmp_path / "list.pt")
    with pytest.raises(ModelFileError, match="not a network"):
        load_network(tmp_path / "list.pt")


def test_cli_inspects_and_writes_outputs(tmp_path, capsys):
    torch.save(mlp().state_dict(), tmp_path / "net.pt")
    assert main(["inspect", str(tmp_path / "net.pt"), "--out", str(tmp_path / "out"), *FAST]) == 0
    report = capsys.readouterr().out
    assert "T_sg" in report and "z =" in report
    for name in ("descriptor.json", "curve.csv", "q_curve.png"):
        assert (tmp_path / "out" / name).stat().st_size > 100


def test_cli_bad_input_exits_non_zero(tmp_path):
    model = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Conv1d(1, 1, 2))
    torch.save(model, tmp_path / "conv.pt")
    result = subprocess.run([sys.executable, "-m", "glassbox.cli", "inspect", str(tmp_path / "conv.pt"),
                             "--allow-pickle", *FAST], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "layer 1 at position 1 is Conv1d" in result.stderr


def test_workflow_inspects_external_networks(tmp_path):
    import yaml

    from conftest import REPO, TINY, snakemake

    torch.save(mlp().state_dict(), tmp_path / "net.pt")
    config = yaml.safe_load(TINY.read_text())
    config["inspect"] = {"mine": {"path": str(tmp_path / "net.pt"), "ensemble": 2}}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(tmp_path, "--cores", "1", "results/inspect/mine/descriptor.json")
    assert result.returncode == 0, result.stderr[-2000:]
    descriptor = yaml.safe_load((tmp_path / "results" / "inspect" / "mine" / "descriptor.json").read_text())
    assert descriptor["layer_widths"] == [12, 8, 3]
    assert set(descriptor["z_scores"]) >= {"Q_area", "T_sg", "T_m"}
    assert str(REPO)  # the workflow ran from the repository's Snakefile
