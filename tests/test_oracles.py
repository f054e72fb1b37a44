"""Gradient oracles: closed forms and bounds from the papers that the hand backward must meet."""

import numpy as np
import pytest
import torch

from explainer.cells import CellParams, params_to_torch, sigmoid
from explainer.gradients import (
    clip_by_norm,
    clip_elementwise,
    cosine,
    forget_gate_products,
    jacobian_norms,
    pascanu_bound,
    regime,
    singular_values,
)
from explainer.initializers import init_params
from explainer.unroll import unroll


@pytest.mark.parametrize("rho", [0.5, 0.9, 1.0, 1.1, 1.5])
@pytest.mark.parametrize("H", [1, 8, 64])
def test_linear_rnn_with_scaled_orthogonal_weights_gives_rho_to_the_k(rho, H):
    T = 60
    p = init_params("rnn", 3, H, nonlinearity="linear", init="orthogonal", rho=rho, seed=H)
    x = np.random.default_rng(0).standard_normal((T, 3))
    expected = rho ** np.arange(T, -1, -1, dtype=float)
    np.testing.assert_allclose(jacobian_norms(p, x), expected, rtol=1e-9)


@pytest.mark.parametrize("act,gamma", [("tanh", 1.0), ("relu", 1.0), ("sigmoid", 0.25)])
@pytest.mark.parametrize("rho", [0.5, 1.0, 2.0, 4.0])
def test_norms_stay_under_pascanu_bound(act, gamma, rho):
    T, H = 80, 16
    for seed in range(3):
        p = init_params("rnn", 2, H, nonlinearity=act, init="gaussian", rho=rho, seed=seed)
        x = np.random.default_rng(seed).standard_normal((T, 2))
        bound = pascanu_bound(p, T)
        eta = gamma * singular_values(p.W_hh)[0]
        np.testing.assert_allclose(bound, eta ** np.arange(T, -1, -1.0))
        assert np.all(jacobian_norms(p, x) <= bound * (1 + 1e-9))


def test_sufficient_is_not_necessary_saturated_tanh_vanishes_above_one():
    """sigma_max = 1.5 > 1, so Pascanu's bound allows growth, yet driven tanh units saturate
    (tanh' near 0) and the gradient still vanishes."""
    p = init_params("rnn", 8, 64, init="orthogonal", rho=1.5, seed=0)
    x = 10 * np.random.default_rng(0).standard_normal((100, 8))
    norms = jacobian_norms(p, x)
    assert singular_values(p.W_hh)[0] == pytest.approx(1.5)
    assert pascanu_bound(p, 100)[0] > 1e17
    assert norms[0] < 1e-6
    assert regime(norms) == "vanishing"


def test_lstm_cell_path_is_the_product_of_forget_gates():
    """With the h-paths detached, dc_T/dc_t = diag(f_{t+1} ... f_T), checked by autograd."""
    T, D, H = 12, 3, 5
    p = init_params("lstm", D, H, init="gaussian", rho=1.0, forget_bias=1.0, seed=3)
    x = np.random.default_rng(1).standard_normal((T, D))
    ours = forget_gate_products(unroll(p, x))
    cell = params_to_torch(p)
    for t in (0, 4, T - 1, T):
        with torch.no_grad():
            h, c = torch.zeros(1, H, dtype=torch.float64), torch.zeros(1, H, dtype=torch.float64)
            for k in range(t):
                h, c = cell(torch.tensor(x[k])[None], (h, c))

        def c_T(c_t, h=h, t=t):
            hh, cc = h, c_t[None]
            for k in range(t, T):
                hh, cc = cell(torch.tensor(x[k])[None], (hh.detach(), cc))
            return cc[0]

        J = torch.autograd.functional.jacobian(c_T, c[0].clone()).numpy()
        np.testing.assert_allclose(J, np.diag(ours[t]), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("b_f,after_50", [(0.0, 9e-16), (1.0, 1.6e-7), (5.0, 0.72)])
def test_forget_bias_memory_after_50_steps_matches_field_notes(b_f, after_50):
    """At initialisation f = sigmoid(b_f): the cell path keeps sigmoid(b_f)^k (Jozefowicz 2015)."""
    H = 4
    p = init_params("lstm", 2, H, init="orthogonal", rho=0.0, forget_bias=b_f, seed=0)
    p = CellParams("lstm", np.zeros_like(p.W_ih), p.W_hh, p.b_ih, p.b_hh)
    products = forget_gate_products(unroll(p, np.ones((50, 2))))
    np.testing.assert_allclose(products[0], sigmoid(np.array(b_f)) ** 50, rtol=1e-12)
    assert products[0, 0] == pytest.approx(after_50, rel=0.05)


def test_norm_clipping_keeps_direction_and_elementwise_turns_it():
    g = np.array([30.0, 0.4, -0.2])
    clipped = clip_by_norm(g, 1.0)
    assert np.linalg.norm(clipped) == pytest.approx(1.0)
    assert cosine(g, clipped) == pytest.approx(1.0)
    np.testing.assert_array_equal(clip_by_norm(g * 1e-3, 1.0), g * 1e-3)
    turned = clip_elementwise(g, 0.5)
    np.testing.assert_array_equal(turned, [0.5, 0.4, -0.2])
    assert cosine(g, turned) < 0.8
    for bad in (0.0, -1.0):
        with pytest.raises(ValueError):
            clip_by_norm(g, bad)
        with pytest.raises(ValueError):
            clip_elementwise(g, bad)


def test_clipping_survives_gradients_near_the_float_limit():
    g = np.array([3e200, -4e200, 1.0])
    clipped = clip_by_norm(g, 1.0)
    np.testing.assert_allclose(clipped, [0.6, -0.8, 2e-201], rtol=1e-12)
    assert cosine(g, clipped) == pytest.approx(1.0)
    assert cosine(g, clip_elementwise(g, 5.0)) == pytest.approx(cosine(g, [5.0, -5.0, 1.0]))


@pytest.mark.parametrize("rho,label", [(0.5, "vanishing"), (1.0, "stable"), (1.5, "exploding")])
def test_regime_of_linear_rnn(rho, label):
    p = init_params("rnn", 1, 8, nonlinearity="linear", init="orthogonal", rho=rho, seed=0)
    assert regime(jacobian_norms(p, np.ones((40, 1)))) == label


def test_overflow_is_recorded_not_raised():
    p = init_params("rnn", 1, 4, nonlinearity="linear", init="identity", rho=4.0, seed=0)
    x = np.full((600, 1), 1e6)
    with np.errstate(all="raise"):  # the library must silence its own overflow
        tr = unroll(p, x)
        norms = jacobian_norms(p, x, trace=tr)
    assert tr.first_nonfinite_step() is not None
    assert not np.isfinite(norms).all()
    assert regime(norms) == "overflow"


def test_same_seed_same_weights_other_seed_other_weights():
    for init in ("pytorch", "gaussian", "orthogonal"):
        a, b = (init_params("gru", 3, 6, init=init, seed=9) for _ in range(2))
        c = init_params("gru", 3, 6, init=init, seed=10)
        np.testing.assert_array_equal(a.W_hh, b.W_hh)
        assert not np.array_equal(a.W_hh, c.W_hh)
