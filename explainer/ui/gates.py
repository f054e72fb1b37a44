"""Panels of the gate pages (LSTM and GRU): each draws one figure with its formula and source;
the page's own words come in as ``note`` or through ``beside``, so a presenter view can reuse
the figures without them.

References: Karpathy, Johnson & Fei-Fei 2015 (gate saturation); Jozefowicz, Zaremba &
Sutskever 2015 (forget-gate bias 1); PyTorch docs for torch.nn.LSTM and torch.nn.GRU.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import streamlit as st

from explainer import gradients
from explainer.cells import BLOCKS, n_params, sigmoid
from explainer.config import MAX_TEXT
from explainer.figures import gates, gru, lstm
from explainer.figures.screens import main_figure_height, side_by_side
from explainer.scene import Scene
from explainer.ui import screen
from explainer.ui.cache import cached_scene
from explainer.ui.panels import explain, show_animated, show_figure
from explainer.ui.view import time_cursor, unit_picker

# the cell path alone, and what a forget bias b_f alone gives after 50 steps (f = sigma(b_f))
MEMORY_BIASES, MEMORY_STEPS = (0.0, 1.0, 5.0), 50


def memory_latex(biases=MEMORY_BIASES, k: int = MEMORY_STEPS) -> str:
    """The cell-path product, then sigma(b_f)^k for a few biases, computed."""

    def power_of_ten(v: float) -> str:
        exponent = int(np.floor(np.log10(v)))
        if -2 <= exponent <= 0:
            return f"{v:.2g}"
        return rf"{v / 10.0**exponent:.2g} \times 10^{{{exponent}}}"

    rows = [
        rf" \sigma({b:g})^{{{k}}} \approx {sigmoid(np.float64(b)):.4g}^{{{k}}}"
        rf" \approx {power_of_ten(sigmoid(np.float64(b)) ** k)}"
        for b in biases
    ]
    return (
        r"\begin{gathered}\frac{\partial c_T}{\partial c_{T-k}}\Big|_{\text{cell path}}"
        r" = \prod_{s=T-k+1}^{T} f_s \\[4pt]" + r" \\".join(rows) + r"\end{gathered}"
    )


@contextmanager
def beside(markdown: str, ratio: tuple[int, int] = (3, 1)) -> Iterator[None]:
    """A figure (the body of the ``with``) with its explanation in a narrower column, or
    under it where the main column is too narrow for both (a phone, a small projector)."""
    if not side_by_side(screen.current()):
        yield
        explain(markdown)
        return
    left, right = st.columns(ratio, gap="large")
    with right:
        explain(markdown)
    with left:
        yield


def pair() -> list:
    """Two equal columns, for two figures side by side."""
    return st.columns(2, gap="large")


def step_and_unit(scene: Scene) -> tuple[int, int]:
    """The step t and unit j that drive every panel below."""
    left, right = st.columns([5, 2], gap="large")
    with left:
        t = time_cursor(scene.trace.T)
    with right:
        j = unit_picker(scene.trace.H)
    return t, j


def gate_heatmaps(scene: Scene, t: int, marks: tuple[dict, ...] = ()) -> None:
    """Every gate, then c_t and h_t, as units x time; step t highlighted and animated."""
    tr, labels = scene.trace, scene.seq.labels
    height = main_figure_height(screen.current(), gates.natural_height(tr))
    build = lambda s: gates.gate_heatmaps(tr, labels, s, height)  # noqa: E731
    alt = gates.gate_heatmaps_alt(tr, labels, t)
    show_animated(
        ("gate_heatmaps", scene.cfg, height), build, t, "gates_heatmaps", alt=alt, extra=marks
    )


def cell_belt(scene: Scene, t: int, j: int) -> None:
    """The LSTM cell state of unit j: what is kept, what is written, what is read."""
    tr, labels = scene.trace, scene.seq.labels
    build = lambda s: lstm.cell_belt(tr, labels, s, j)  # noqa: E731
    alt = lstm.cell_belt_alt(tr, labels, t, j)
    show_animated(("cell_belt", scene.cfg, j), build, t, "gates_belt", alt=alt)


def saturation(scene: Scene, j: int, note: str = "") -> None:
    """Karpathy et al.'s saturation plot for this run's gates (``note``: words under it)."""
    fig, alt = gates.saturation_figure(scene.trace, j), gates.saturation_alt(scene.trace, j)
    show_figure(fig, key="gates_saturation", alt=alt)
    if note:
        explain(note)
    st.caption(
        "Saturation thresholds 0.1 and 0.9 as in Karpathy, Johnson & Fei-Fei (2015), "
        "*Visualizing and Understanding Recurrent Networks*, arXiv:1506.02078."
    )


def forget_memory(scene: Scene, j: int, note: str = "") -> None:
    """Cell-path memory of unit j next to the forget-bias reference curves."""
    products = gradients.forget_gate_products(scene.trace)  # (T+1, H)
    b_f = lstm.forget_bias_of(scene.params, j)
    alt = lstm.memory_alt(products, b_f, j)
    show_figure(lstm.memory_figure(products, b_f, j), key="gates_memory", alt=alt)
    if note:
        explain(note)
    st.latex(memory_latex())
    st.caption(
        "Jozefowicz, Zaremba & Sutskever (2015), *An Empirical Exploration of Recurrent Network "
        "Architectures*, advise a forget-gate bias of 1. PyTorch draws it like every other "
        "bias (b_ih and b_hh each uniform in ±1/√H), so f starts near 0.5."
    )


def keep_bars(scene: Scene, t: int, j: int, marks: tuple[dict, ...] = ()) -> None:
    """GRU: how much of h_{t-1} each unit keeps at step t, with the convention spelled out."""
    st.latex(r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1} \qquad \text{(PyTorch)}")
    tr, labels = scene.trace, scene.seq.labels
    build = lambda s: gru.keep_bars(tr, labels, s, j)  # noqa: E731
    alt = gru.keep_bars_alt(tr, labels, t, j)
    show_animated(("keep_bars", scene.cfg, j), build, t, "gates_keep", alt=alt, extra=marks)
    st.caption(
        "$z$ near 1 keeps the old state, $z$ near 0 takes the new candidate $n_t$. d2l and Cho "
        "et al. (2014, v3) apply the reset gate before the matmul, $W_{hn} (r_t \\odot h_{t-1})$; "
        "some texts swap $z$ and $1 - z$."
    )


def param_counts(scene: Scene, note: str = "") -> None:
    """Parameters of RNN, GRU and LSTM for this input size D and hidden size H."""
    D, H = scene.params.input_size, scene.params.hidden_size
    show_figure(gru.param_counts(D, H), key="gates_params", alt=gru.param_counts_alt(D, H))
    if note:
        explain(note)
    st.latex(param_latex(D, H))


def param_latex(D: int, H: int) -> str:
    """G (HD + H^2 + 2H) with this run's numbers, then the count of each cell (one per line,
    so it fits a half-width column)."""
    per_block = H * D + H * H + 2 * H

    def n(v: int) -> str:  # 12{,}345: no space after the thousands comma in maths
        return f"{v:,}".replace(",", "{,}")

    rows = [
        r"\text{params} &= G\,(HD + H^2 + 2H)",
        rf"&= G\,({H} \cdot {D} + {H}^2 + 2 \cdot {H}) = G \cdot {n(per_block)}",
    ] + [
        rf"\text{{{k.upper()}}} &= {len(BLOCKS[k])} \cdot {n(per_block)} = {n(n_params(k, D, H))}"
        for k in ("rnn", "gru", "lstm")
    ]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def never_saturated_share(scene: Scene) -> float:
    """Share of this run's (gate, unit) pairs that are never below 0.1 nor above 0.9: the
    bottom-left corner of the saturation plot."""
    tr = scene.trace
    shares = gates.saturation(tr.gates, gates.SATURATING[tr.kind]).values()
    corner = [(left == 0) & (right == 0) for left, right in shares]
    return float(np.mean(np.concatenate(corner)))


def corner_words(scene: Scene) -> str:
    """What the bottom-left corner means, with this run's share and the random-weight share."""
    here = never_saturated_share(scene)
    words = (
        "A gate in the **bottom-left corner** is never shut and never wide open. That alone "
        "does not say it follows the input: a gate that hovers near 0.5 whatever comes in sits "
        f"there too. Here {here:.0%} of the gates are in that corner"
    )
    if scene.cfg.weights != "random":
        blank = cached_scene(scene.cfg.with_(weights="random"))
        words += f"; with random weights (same input and seed) {never_saturated_share(blank):.0%}"
    return words + ". To see which gates react to the input, follow a row in the heatmaps."


def random_weights(**settings) -> dict:
    """Sidebar settings for a tip that needs random weights (its forget bias or H)."""
    return {"weights": "random", **settings}


def new_char_settings(scene: Scene, char: str = "!") -> dict:
    """Random weights and the text with one character it does not have yet."""
    text = scene.cfg.text if char in scene.cfg.text else scene.cfg.text[: MAX_TEXT - 1] + char
    return random_weights(source="text", text=text)


def growth_words(scene: Scene) -> str:
    """How much each count grows when the input gains one character (D -> D + 1)."""
    D, H = scene.params.input_size, scene.params.hidden_size
    grow = {k: n_params(k, D + 1, H) - n_params(k, D, H) for k in ("rnn", "gru", "lstm")}
    return (
        "D grows by one and every block gains one input column of H weights, so each count "
        f"grows by G · H: {grow['rnn']:,} / {grow['gru']:,} / {grow['lstm']:,} "
        f"(RNN / GRU / LSTM) at this H = {H}."
    )
