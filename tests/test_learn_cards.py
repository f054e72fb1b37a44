"""Flashcards: every glossary term, gate and equation has a card (from the app's own sources),
the seeded shuffle, the spaced order of a session, and the mini-figures' numbers recomputed
independently (torch, or the closed form)."""

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.cells import GATES, params_to_torch
from explainer.equations import equations
from explainer.figures import cards as figs
from explainer.initializers import init_params
from explainer.learn import cards
from explainer.learn.glossary import GLOSSARY

ALL = cards.all_cards()


def test_every_glossary_term_gate_and_equation_has_a_card():
    backs = {c.back_latex for c in ALL}
    for term, words, eq in GLOSSARY:
        assert any(term in c.front and c.back == words for c in ALL), term
        assert eq in backs
    for kind in ("lstm", "gru"):
        for gate in GATES[kind]:
            assert f"gate-{kind}-{gate}" in {c.id for c in ALL}
    for kind in ("rnn", "lstm", "gru"):
        for line in equations(kind):
            card = next(c for c in ALL if c.kind == "equation" and c.back_latex == line)
            assert cards.BLANK in card.front_latex and card.front_latex != line
    assert {"mnemonic-fio", "mnemonic-hide"} <= {c.id for c in ALL}
    fio, hide = (c.back.replace("*", "") for c in ALL[-2:])
    assert fio.startswith("Forget, Input, Output")
    assert all(w in hide for w in ("Hidden state", "Input", "Output", "upDate"))
    assert len({c.id for c in ALL}) == len(ALL)


def test_a_blank_hides_every_copy_of_its_symbol():
    line = equations("gru")[-1]
    shown = cards.blanked(line, "z_t")
    assert "z_t" not in shown and shown.count(cards.BLANK) == 2
    with pytest.raises(ValueError, match="not in"):
        cards.blanked(line, "q_t")


def test_every_card_figure_exists_and_is_valid_plotly():
    names = {c.figure for c in ALL}
    assert names <= set(figs.FIGURES) and None not in names
    for name in figs.FIGURES:
        fig, alt = figs.FIGURES[name]()
        go.Figure(fig)
        assert any(ch.isdigit() for ch in alt.text)


def test_the_deck_is_a_seeded_shuffle():
    ids = sorted(c.id for c in ALL)
    decks = {seed: cards.deck(seed) for seed in range(5)}
    for seed, d in decks.items():
        assert sorted(d) == ids and cards.deck(seed) == d
    assert len(set(decks.values())) == 5


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 30), st.lists(st.sampled_from(cards.VERDICTS), max_size=80))
def test_again_comes_back_after_the_gap_and_good_retires(n, verdicts):
    queue = tuple(f"c{k}" for k in range(n))
    retired = []
    for v in verdicts:
        if not queue:
            break
        head, new = queue[0], cards.after(queue, v)
        if v == "good":
            assert new == queue[1:]
            retired.append(head)
        else:
            assert new.index(head) == min(cards.AGAIN_GAP, len(queue) - 1)
            assert sorted(new) == sorted(queue)
        queue = new
    assert sorted(retired + list(queue)) == sorted(f"c{k}" for k in range(n))


def test_marks_are_checked():
    with pytest.raises(ValueError, match="verdict"):
        cards.after(("a",), "maybe")
    assert cards.after((), "good") == ()


def test_sigmoid_bands_sit_where_torch_crosses_the_thresholds():
    fig, _ = figs.sigmoid_curve()
    lo, hi = (s["x1"] for s in fig["layout"]["shapes"][:1]), fig["layout"]["shapes"][1]["x0"]
    lo = next(lo)
    assert float(torch.sigmoid(torch.tensor(lo))) == pytest.approx(0.1)
    assert float(torch.sigmoid(torch.tensor(hi))) == pytest.approx(0.9)
    a = torch.tensor(fig["data"][0]["x"])
    np.testing.assert_allclose(fig["data"][0]["y"], torch.sigmoid(a).numpy(), atol=1e-12)


def test_tanh_slope_is_autograds():
    fig, _ = figs.tanh_curve()
    a = torch.tensor(fig["data"][0]["x"], requires_grad=True)
    torch.tanh(a).sum().backward()
    np.testing.assert_allclose(fig["data"][1]["y"], a.grad.numpy(), atol=1e-12)


def test_chain_is_torchs_rnn_cell_step_by_step():
    fig, alt = figs.chain()
    cell = params_to_torch(init_params("rnn", 1, 1, seed=figs.CHAIN_SEED))
    h, hs = torch.zeros(1, 1, dtype=torch.float64), [0.0]
    with torch.no_grad():
        for x in figs.CHAIN_X:
            h = cell(torch.tensor([[x]], dtype=torch.float64), h)
            hs.append(float(h))
    np.testing.assert_allclose(fig["data"][0]["y"], hs, atol=1e-12)
    assert f"{cell.weight_hh.item():.2f}" in fig["layout"]["title"]["text"]


def test_decay_is_rho_to_the_steps_left_and_forget_products_follow_sigmoid_of_the_bias():
    fig, _ = figs.decay()
    for trace, rho in zip(fig["data"], figs.DECAY_RHOS, strict=True):
        t = np.asarray(trace["x"])
        np.testing.assert_allclose(trace["y"], rho ** (figs.DECAY_T - t), rtol=1e-9)
    fig, alt = figs.forget()
    for trace, bias in zip(fig["data"], figs.FORGET_BIASES, strict=True):
        kept = float(trace["y"][-1])  # f_1 ... f_50 with tiny weights: about sigmoid(b)^50
        want = float(torch.sigmoid(torch.tensor(bias))) ** figs.FORGET_T
        assert np.log10(kept) == pytest.approx(np.log10(want), abs=0.6 + 0.05 * abs(np.log10(want)))
