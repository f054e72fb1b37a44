"""Misconception checks: every claim is answered by numbers the core computes, and each number
is recomputed independently with torch (autograd, torch's clipping, torch's GRU and parameter
counts)."""

from pathlib import Path

import numpy as np
import pytest
import torch

from explainer.cells import CellParams, params_to_torch
from explainer.initializers import init_params
from explainer.learn import misconceptions as mc
from explainer.scenarios import Scenario
from tests.torch_ref import jacobian_norm

BY_ID = {m.id: m for m in mc.MISCONCEPTIONS}
REPO = Path(__file__).resolve().parents[1]


def test_the_five_claims_are_there_false_with_live_evidence_and_a_scene():
    assert set(BY_ID) == {"clipping", "lstm", "gru-z", "copies", "bigger"}
    for m in mc.MISCONCEPTIONS:
        ev = m.evidence()
        assert not m.true and ev.numbers
        assert any(ch.isdigit() for ch in ev.text)
        assert (REPO / m.page).is_file()
        Scenario(m.id, m.page, "", m.params).config()  # values the pages accept


def dh_T_dh_0(p, x) -> torch.Tensor:
    """dh_T/dh_0 by torch autograd (the tanh/relu/LSTM cells of torch)."""
    cell = params_to_torch(p)
    H = p.hidden_size

    def run(h0):
        h, c = h0[None], torch.zeros(1, H, dtype=torch.float64)
        for t in range(x.shape[0]):
            xt = torch.tensor(x[t])[None]
            h, c = cell(xt, (h, c)) if p.kind == "lstm" else (cell(xt, h), c)
        return h[0]

    return torch.autograd.functional.jacobian(run, torch.zeros(H, dtype=torch.float64))


def test_clipping_leaves_the_vanishing_gradient_and_rescales_the_exploding_one():
    ev = mc.clipping().numbers
    x = mc.sine(mc.T) + 1.5
    small = init_params("rnn", 1, 16, init="orthogonal", rho=0.5, seed=0)
    big = init_params("rnn", 1, 16, nonlinearity="relu", init="identity", rho=1.5, seed=0)
    for p, name in ((small, "vanishing"), (big, "exploding")):
        g = dh_T_dh_0(p, x).clone().requires_grad_(False)
        w = torch.nn.Parameter(torch.zeros_like(g))
        w.grad = g.clone()
        torch.nn.utils.clip_grad_norm_([w], max_norm=mc.THETA)
        assert ev[name] == pytest.approx(float(g.norm()), rel=1e-9)
        assert ev[f"{name}_clipped"] == pytest.approx(float(w.grad.norm()), rel=1e-9)
    assert ev["vanishing"] < 1e-10 and ev["vanishing_clipped"] == ev["vanishing"]
    assert ev["exploding"] > 1e3 and ev["exploding_clipped"] == pytest.approx(mc.THETA)


def test_an_lstm_with_forget_bias_minus_3_vanishes_by_torch():
    ev = mc.lstm_vanishing().numbers
    p = init_params("lstm", 1, 16, forget_bias=-3.0, seed=0)
    assert ev["gain"] == pytest.approx(jacobian_norm(p, mc.sine(mc.T), 0), rel=1e-6)
    assert ev["gain"] < 1e-20 and ev["f_mean"] < 0.1


def test_torchs_gru_keeps_the_state_when_z_is_one_and_the_swapped_form_does_not():
    ev = mc.gru_convention().numbers
    p = init_params("gru", 1, 8, seed=0)
    b_ih = p.b_ih.copy()
    b_ih[p.block("z")] = 8.0
    cell = params_to_torch(CellParams("gru", p.W_ih, p.W_hh, b_ih, p.b_hh))
    h_prev = torch.tensor(np.random.default_rng(0).uniform(-1, 1, 8))[None]
    with torch.no_grad():
        h = cell(torch.tensor([[1.0]], dtype=torch.float64), h_prev)
    assert ev["torch_change"] == pytest.approx(float((h - h_prev).norm()), rel=1e-9)
    assert ev["torch_change"] < 0.01 < 1.0 < ev["swapped_change"] and ev["z_mean"] > 0.99


def test_the_parameter_count_and_the_weight_gradient_do_not_grow_with_T():
    ev = mc.weight_sharing().numbers
    m = torch.nn.RNN(4, 8)
    assert ev["params"] == ev["formula"] == sum(w.numel() for w in m.parameters())
    # autograd: dh_T/dW_hh summed over steps is one 8 x 8 matrix at any length
    for steps in (10, 1000):
        out, _ = m(torch.sin(torch.arange(steps, dtype=torch.float32))[:, None].repeat(1, 4))
        out[-1].sum().backward()
        assert m.weight_hh_l0.grad.numel() == ev[f"grad_W_hh_{steps}"] == 64
        m.zero_grad()


def test_a_bigger_state_does_not_remember_longer():
    ev = mc.bigger_state().numbers
    for H in (8, 128):
        # torch's RNN cell forwards; dh_T/dh_0 as the ordered product diag(1 - h_k^2) W_hh
        p = init_params("rnn", 1, H, init="orthogonal", rho=0.9, seed=0)
        cell = params_to_torch(p)
        h, J = torch.zeros(1, H, dtype=torch.float64), torch.eye(H, dtype=torch.float64)
        with torch.no_grad():
            for x in mc.sine(50):
                h = cell(torch.tensor(x)[None], h)
                J = ((1 - h[0] ** 2)[:, None] * cell.weight_hh) @ J
        assert ev[f"H{H}"] == pytest.approx(float(torch.linalg.matrix_norm(J, ord=2)), rel=1e-6)
        assert ev[f"H{H}"] <= 0.9**50 * (1 + 1e-9)
