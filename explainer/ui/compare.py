"""Panels of the compare page: three cells on the same input and seed, and their caches.

The three configs differ only in ``cell`` (and, for trained weights, in the model: each cell
its own, trained on the same task); fields a cell ignores are reset to their defaults
(activation for LSTM/GRU, forget bias for RNN/GRU) so the cache shares runs with other pages.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from explainer import pretrained
from explainer.cells import BLOCKS, KINDS, n_params
from explainer.config import RunConfig
from explainer.figures import compare as figs
from explainer.figures import theme
from explainer.figures.screens import main_figure_height
from explainer.scene import Scene
from explainer.ui import screen
from explainer.ui.cache import cached_scene
from explainer.ui.gradients import cached_jacobian_norms
from explainer.ui.panels import show_animated, show_figure
from explainer.ui.view import scene_or_stop

DEFAULT = RunConfig()


def sibling_weights(weights: str, kind: str) -> str:
    """The pretrained model of cell ``kind`` trained like ``weights`` (same task), else random."""
    card = pretrained.cards().get(weights)
    if card is None:
        return "random"
    same = [c for c in pretrained.available(kind=kind, source=card.source) if c.task == card.task]
    return same[0].name if same else "random"


def cell_config(cfg: RunConfig, kind: str) -> RunConfig:
    """``cfg`` for cell ``kind``, with the fields that cell does not use at their defaults and,
    for trained weights, that cell's own model trained on the same task."""
    return cfg.with_(
        cell=kind,
        activation=cfg.activation if kind == "rnn" else DEFAULT.activation,
        forget_bias=cfg.forget_bias if kind == "lstm" else None,
        clip=None,
        weights=cfg.weights if cfg.weights == "random" else sibling_weights(cfg.weights, kind),
    )


def compare_scenes(cfg: RunConfig) -> dict[str, Scene]:
    """The scene of every cell (cached); bad input stops the page with a message."""
    return {k: scene_or_stop(cell_config(cfg, k)) for k in KINDS}


def compare_norms(cfg: RunConfig) -> dict[str, np.ndarray]:
    """(T+1,) ``||dh_T/dh_t||`` of every cell (cached per cell config)."""
    return {k: cached_jacobian_norms(cell_config(cfg, k)) for k in KINDS}


def weights_note(cfg: RunConfig, scenes: dict[str, Scene]) -> None:
    """Which trained model each cell runs, when the weights are not random."""
    if cfg.weights == "random":
        return
    names = ", ".join(f"{theme.CELL_NAMES[k]}: {s.cfg.weights}" for k, s in scenes.items())
    st.info(f"Trained weights, one model per cell ({names}).", icon=":material/school:")


def norms_chart(norms: dict[str, np.ndarray], t: int, marks: tuple[dict, ...] = ()) -> None:
    """The three Jacobian-norm curves on one log plot, step t marked."""
    height = main_figure_height(screen.current(), 520)
    fig, alt = figs.jacobian_comparison(norms, t), figs.jacobian_comparison_alt(norms, t)
    if marks:  # a revealed check's rings, on top
        fig = {**fig, "data": [*fig["data"], *marks]}
    show_figure(fig, key="cmp_norms", height=height, alt=alt)


def heatmaps_figure(cfg: RunConfig, t: int) -> dict:
    """The three cells' hidden-state heatmaps opening at step t."""
    states = {k: cached_scene(cell_config(cfg, k)).trace.h[1:] for k in KINDS}
    return figs.state_heatmaps(states, t)


def heatmaps_chart(cfg: RunConfig, t: int) -> None:
    """The three hidden-state heatmaps on one time axis and colour scale, t highlighted: built
    once per config, then aimed at t (about a millisecond)."""
    states = {k: cached_scene(cell_config(cfg, k)).trace.h[1:] for k in KINDS}
    alt = figs.state_heatmaps_alt(states, t)
    show_animated(("cmp_states", cfg), lambda s: heatmaps_figure(cfg, s), t, "cmp_states", alt=alt)


def overflow_notice(scenes: dict[str, Scene], norms: dict[str, np.ndarray]) -> None:
    """Name the cells whose run overflowed to inf/NaN (the page keeps working)."""
    bad = [
        theme.CELL_NAMES[k]
        for k, s in scenes.items()
        if s.trace.first_nonfinite_step() is not None or not np.isfinite(norms[k]).all()
    ]
    if bad:
        st.error(
            f"**Overflow** in the {' and '.join(bad)}: some numbers became inf/NaN (gaps in the "
            "heatmap, an X on the plot). Lower ρ or pick tanh.",
            icon=":material/error:",
        )


def param_counts(scenes: dict[str, Scene]) -> None:
    """Parameter count of each cell for its D and H, and the formula."""
    cols = st.columns(len(scenes))
    for col, (kind, scene) in zip(cols, scenes.items(), strict=True):
        p, G = scene.params, len(BLOCKS[kind])
        col.metric(
            f"{theme.CELL_NAMES[kind]} (G = {G})",
            f"{n_params(kind, p.input_size, p.hidden_size):,}",
            help=f"{G} block(s) of rows: " + ", ".join(BLOCKS[kind]),
        )
    sizes = {(s.params.hidden_size, s.params.input_size) for s in scenes.values()}
    # the numbers go in the formula when every cell has the same H and D
    H, D = next(iter(sizes)) if len(sizes) == 1 else ("H", "D")
    # two lines, so the formula fits a projector's width
    st.latex(
        r"\begin{gathered}\#\text{params} = G\,(H D + H^2 + 2H)"
        rf"\quad H = {H},\ D = {D} \\"
        r"G = 1\ \text{(RNN)},\ 4\ \text{(LSTM)},\ 3\ \text{(GRU)}\end{gathered}"
    )


def choice_words(scenes: dict[str, Scene]) -> str:
    """LSTM or GRU: what the comparisons found, the parameter ratio of this run, the forget
    gate's history."""
    counts = {k: n_params(k, s.params.input_size, s.params.hidden_size) for k, s in scenes.items()}
    return (
        "**LSTM or GRU?** In the large comparisons, Chung et al. (2014, arXiv:1412.3555) and "
        "Jozefowicz, Zaremba & Sutskever (2015), neither gated cell won across tasks; both beat "
        "the vanilla RNN on long dependencies, and the LSTM with a forget-gate bias of 1 closed "
        f"most of the gaps. The GRU is cheaper: here {counts['gru']:,} against "
        f"{counts['lstm']:,} parameters, {counts['gru'] / counts['lstm']:.2f} of the LSTM's "
        "(3 blocks instead of 4). Try both when it matters; take the GRU when memory or speed "
        "is tight.\n\n"
        "The LSTM's **forget gate** is not in the original LSTM (Hochreiter & Schmidhuber 1997), "
        "whose cell state could only add; Gers, Schmidhuber & Cummins (2000), *Learning to "
        "forget*, added it, and every LSTM you meet today, PyTorch's included, has it."
    )
