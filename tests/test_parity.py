"""Parity: the from-scratch NumPy cells equal torch.nn.RNN/LSTM/GRU, forward and backward."""

import numpy as np
import pytest
import torch

from explainer.cells import CellParams, params_from_torch, params_to_torch
from explainer.gradients import jacobian_norms, loss_gradients
from explainer.initializers import init_params
from explainer.trace import Readout
from explainer.unroll import unroll
from tests.torch_ref import jacobian_norm, run_cells, seeded_module

SHAPES = [(1, 1, 1), (1, 3, 4), (6, 1, 1), (7, 3, 5), (40, 4, 8), (300, 2, 3)]
CELLS = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")]


@pytest.mark.parametrize("kind,act", CELLS)
@pytest.mark.parametrize("T,D,H", SHAPES)
def test_forward_matches_torch_module(kind, act, T, D, H):
    m = seeded_module(kind, D, H, seed=T * 100 + H, nonlinearity=act, scale=0.6)
    rng = np.random.default_rng(T)
    x, h0, c0 = rng.standard_normal((T, D)), rng.standard_normal(H), rng.standard_normal(H)
    state = torch.tensor(h0)[None, None]
    if kind == "lstm":
        state = (state, torch.tensor(c0)[None, None])
    with torch.no_grad():
        out, last = m(torch.tensor(x)[:, None, :], state)
    tr = unroll(params_from_torch(m), x, h0, c0)
    np.testing.assert_allclose(tr.h[0], h0)
    np.testing.assert_allclose(tr.h[1:], out[:, 0].numpy(), rtol=0, atol=1e-10)
    if kind == "lstm":
        np.testing.assert_allclose(tr.c[-1], last[1][0, 0].numpy(), rtol=0, atol=1e-10)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_params_round_trip_through_torch_cells(kind):
    p = init_params(kind, 3, 5, init="gaussian", rho=1.3, seed=4)
    q = params_from_torch(params_to_torch(p))
    for name in ("W_ih", "W_hh", "b_ih", "b_hh"):
        np.testing.assert_array_equal(getattr(p, name), getattr(q, name))
    assert q.kind == kind


def test_params_from_torch_reads_nonlinearity_and_missing_bias():
    m = torch.nn.RNN(2, 3, nonlinearity="relu", bias=False).double()
    p = params_from_torch(m)
    assert p.nonlinearity == "relu" and not p.b_ih.any() and not p.b_hh.any()


def test_params_from_torch_refuses_what_it_cannot_represent():
    with pytest.raises(ValueError, match="one-layer"):
        params_from_torch(torch.nn.LSTM(2, 3, num_layers=2))
    with pytest.raises(ValueError, match="cannot read"):
        params_from_torch(torch.nn.Linear(2, 3))
    with pytest.raises(ValueError, match="tanh and relu"):
        params_to_torch(init_params("rnn", 2, 3, nonlinearity="sigmoid"))


def torch_loss(kind, cell_out, readout_t, target, loss, where):
    hs = torch.cat(cell_out[1:])  # (T, H)
    y = readout_t(hs if where == "every" else hs[-1:])
    if loss == "mse":
        return torch.nn.functional.mse_loss(y, torch.tensor(target).reshape(y.shape))
    return torch.nn.functional.cross_entropy(y, torch.tensor(target).reshape(-1).long())


@pytest.mark.parametrize("kind,act", CELLS)
@pytest.mark.parametrize(
    "loss,where", [("mse", "last"), ("mse", "every"), ("xent", "every"), ("xent", "last")]
)
@pytest.mark.parametrize("T,D,H", [(1, 1, 1), (5, 2, 3), (30, 3, 6)])
def test_hand_backward_matches_autograd(kind, act, loss, where, T, D, H):
    rng = np.random.default_rng(7 * T + H)
    p = init_params(kind, D, H, nonlinearity=act, init="gaussian", rho=0.9, seed=T)
    n_out = 3
    readout = Readout(rng.standard_normal((n_out, H)), rng.standard_normal(n_out))
    x, h0 = rng.standard_normal((T, D)), rng.standard_normal(H) * 0.5
    steps = T if where == "every" else 1
    target = (
        rng.integers(0, n_out, steps) if loss == "xent" else rng.standard_normal((steps, n_out))
    )
    L, g, _ = loss_gradients(p, x, readout, target, loss, where, h0)

    cell, hs, cs = run_cells(p, x, h0)
    lin = torch.nn.Linear(H, n_out).double()
    with torch.no_grad():
        lin.weight.copy_(torch.tensor(readout.W_hy))
        lin.bias.copy_(torch.tensor(readout.b_y))
    Lt = torch_loss(kind, hs, lin, target, loss, where)
    Lt.backward()
    assert L == pytest.approx(Lt.item(), abs=1e-12)
    pairs = {
        "W_ih": cell.weight_ih,
        "W_hh": cell.weight_hh,
        "b_ih": cell.bias_ih,
        "b_hh": cell.bias_hh,
        "W_hy": lin.weight,
        "b_y": lin.bias,
    }
    for name, w in pairs.items():
        np.testing.assert_allclose(
            getattr(g, name), w.grad.numpy(), rtol=0, atol=1e-10, err_msg=name
        )
    dh_torch = np.stack([h.grad[0].numpy() for h in hs])
    np.testing.assert_allclose(g.dh, dh_torch, rtol=0, atol=1e-10)
    if kind == "lstm":
        np.testing.assert_allclose(
            g.dc, np.stack([c.grad[0].numpy() for c in cs]), rtol=0, atol=1e-10
        )


@pytest.mark.parametrize("act", ["sigmoid", "linear"])
def test_backward_of_activations_torch_lacks_matches_finite_differences(act):
    """torch's RNN has no sigmoid or linear activation: check against central differences."""
    T, D, H = 12, 2, 4
    rng = np.random.default_rng(5)
    p = init_params("rnn", D, H, nonlinearity=act, init="gaussian", rho=0.8, seed=2)
    readout = Readout(rng.standard_normal((1, H)), np.zeros(1))
    x, target = rng.standard_normal((T, D)), np.array([0.3])
    _, g, _ = loss_gradients(p, x, readout, target, "mse", "last")
    eps = 1e-6
    for name in ("W_ih", "W_hh", "b_hh"):
        for idx in np.ndindex(getattr(p, name).shape):
            moved = []
            for sign in (1, -1):
                w = getattr(p, name).copy()
                w[idx] += sign * eps
                q = CellParams(**{**p.__dict__, name: w})
                moved.append(loss_gradients(q, x, readout, target, "mse", "last")[0])
            assert getattr(g, name)[idx] == pytest.approx(
                (moved[0] - moved[1]) / (2 * eps), abs=1e-8
            )


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_jacobian_norms_match_autograd(kind):
    T, D, H = 8, 2, 4
    p = init_params(kind, D, H, init="gaussian", rho=1.2, seed=11)
    x = np.random.default_rng(3).standard_normal((T, D))
    ours = jacobian_norms(p, x)
    assert ours[T] == pytest.approx(1.0)
    for t in range(T):
        assert ours[t] == pytest.approx(jacobian_norm(p, x, t), rel=1e-9), t
