"""Parity: the NumPy bidirectional layer equals torch.nn.RNN/LSTM/GRU(bidirectional=True) with
copied weights, forward, input Jacobians and weight gradients (float64, 1e-10)."""

import numpy as np
import pytest
import torch

from explainer.bidirectional import (
    bi_backward,
    bi_input_gradient,
    bi_input_jacobians,
    bi_unroll,
    input_jacobians,
    reach,
)
from explainer.cells import BiParams, CellParams, params_from_torch

SHAPES = [(1, 1, 1), (2, 3, 4), (7, 3, 5), (25, 2, 3)]
CELLS = [("rnn", "tanh"), ("rnn", "relu"), ("lstm", "tanh"), ("gru", "tanh")]


def bi_module(kind, D, H, seed, act="tanh"):
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    kwargs = {"nonlinearity": act} if kind == "rnn" else {}
    m = cls(D, H, bidirectional=True, **kwargs).double()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for w in m.parameters():
            w.copy_((torch.rand(w.shape, generator=g, dtype=torch.float64) * 2 - 1) * 0.7)
    return m


def torch_out(m, x):
    return m(x[:, None, :])[0][:, 0]  # (T, 2H)


@pytest.mark.parametrize("kind,act", CELLS)
@pytest.mark.parametrize("T,D,H", SHAPES)
def test_bidirectional_forward_matches_torch(kind, act, T, D, H):
    m = bi_module(kind, D, H, seed=T + 10 * H, act=act)
    x = np.random.default_rng(T).standard_normal((T, D))
    bp = params_from_torch(m)
    assert isinstance(bp, BiParams) and bp.kind == kind and bp.fwd.nonlinearity == act
    with torch.no_grad():
        ref = torch_out(m, torch.tensor(x)).numpy()
    np.testing.assert_allclose(bi_unroll(bp, x).out, ref, rtol=0, atol=1e-10)


@pytest.mark.parametrize("kind,act", CELLS)
@pytest.mark.parametrize("T,D,H", SHAPES)
def test_bidirectional_input_jacobians_match_autograd(kind, act, T, D, H):
    m = bi_module(kind, D, H, seed=3 * T + H, act=act)
    x = np.random.default_rng(T + 1).standard_normal((T, D))
    ref = torch.autograd.functional.jacobian(lambda v: torch_out(m, v), torch.tensor(x))
    ref = ref.numpy().transpose(0, 2, 1, 3)  # (T, 2H, T, D) -> (T, T, 2H, D)
    bp = params_from_torch(m)
    J = bi_input_jacobians(bp, bi_unroll(bp, x))
    np.testing.assert_allclose(J, ref, rtol=0, atol=1e-10)
    norms = reach(J)
    for t, s in [(0, 0), (T - 1, 0), (0, T - 1)]:
        assert norms[t, s] == pytest.approx(np.linalg.norm(ref[t, s], 2), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_one_direction_reaches_only_the_past(kind):
    m = bi_module(kind, 2, 3, seed=5)
    bp = params_from_torch(m)
    bt = bi_unroll(bp, np.random.default_rng(0).standard_normal((6, 2)))
    past = reach(input_jacobians(bp.fwd, bt.fwd))
    both = reach(bi_input_jacobians(bp, bt))
    assert np.all(np.triu(past, 1) == 0) and np.all(past[np.tril_indices(6)] > 0)
    assert np.all(both > 0)


@pytest.mark.parametrize("kind,act", CELLS)
def test_bidirectional_weight_gradients_match_autograd(kind, act):
    T, D, H = 9, 3, 4
    m = bi_module(kind, D, H, seed=11, act=act)
    rng = np.random.default_rng(2)
    x, R = rng.standard_normal((T, D)), rng.standard_normal((T, 2 * H))
    xt = torch.tensor(x, requires_grad=True)
    # a loss that touches every output: sum_t R_t . o_t
    (torch_out(m, xt) * torch.tensor(R)).sum().backward()
    bp = params_from_torch(m)
    g_f, g_b = bi_backward(bp, bi_unroll(bp, x), R)
    for g, suffix in ((g_f, "_l0"), (g_b, "_l0_reverse")):
        for name in ("W_ih", "W_hh", "b_ih", "b_hh"):
            torch_name = {"W": "weight", "b": "bias"}[name[0]] + name[1:] + suffix
            ref = getattr(m, torch_name).grad.numpy()
            np.testing.assert_allclose(getattr(g, name), ref, rtol=0, atol=1e-10)
    np.testing.assert_allclose(bi_input_gradient(g_f, g_b), xt.grad.numpy(), rtol=0, atol=1e-10)


def test_params_from_torch_reads_both_directions_and_refuses_mixed_pairs():
    m = bi_module("gru", 2, 3, seed=1)
    bp = params_from_torch(m)
    np.testing.assert_array_equal(bp.bwd.W_hh, m.weight_hh_l0_reverse.detach().numpy())
    np.testing.assert_array_equal(bp.fwd.W_hh, m.weight_hh_l0.detach().numpy())
    with pytest.raises(ValueError, match="same kind"):
        BiParams(bp.fwd, CellParams("gru", *(np.zeros(s) for s in [(12, 2), (12, 4)]),
                                    np.zeros(12), np.zeros(12)))  # fmt: skip
    with pytest.raises(ValueError, match="d_out must have shape"):
        bi_backward(bp, bi_unroll(bp, np.zeros((4, 2))), np.zeros((4, 3)))
