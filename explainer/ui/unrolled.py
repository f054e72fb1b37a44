"""Panels of the "Unrolled RNN" page: the animated chain, and what the run says about itself."""

from __future__ import annotations

import numpy as np
import streamlit as st

from explainer.figures.screens import unrolled_fit
from explainer.figures.unrolled import unrolled_alt, unrolled_figure
from explainer.scene import Scene
from explainer.ui import screen
from explainer.ui.panels import show_animated

EXPLODING = 1e3  # |h| beyond this is no longer a squashed memory but a blow-up


def run_notices(scene: Scene) -> None:
    """An exploding run shown as an event, not a crash."""
    h = scene.trace.h
    bad = scene.trace.first_nonfinite_step()
    if bad is not None:
        st.warning(
            f"The hidden state overflowed at step {bad}: from there on it is ±∞ or NaN, drawn "
            "as gaps. Lower ρ or pick another activation to tame it.",
            icon=":material/warning:",
        )
    elif np.abs(h).max() > EXPLODING:
        step = int(np.argmax(np.abs(h).max(axis=1) > EXPLODING))
        st.warning(
            f"The memory is exploding: |h| passes {EXPLODING:g} at step {step} and reaches "
            f"{np.abs(h).max():.1e}. Each step multiplies it again; values beyond 3e38 are "
            "drawn as gaps.",
            icon=":material/warning:",
        )


def unrolled_chart(scene: Scene, t: int, j: int, marks: tuple[dict, ...] = ()) -> None:
    """The chain, the readout, the memory heatmap and h_t, all moved by the time cursor."""
    fit = unrolled_fit(screen.current())
    build = lambda s: unrolled_figure(scene, s, j, fit)  # noqa: E731
    alt = unrolled_alt(scene, t, j)
    show_animated(("unrolled", scene.cfg, j, fit), build, t, "unrolled_chart", alt=alt, extra=marks)
    trained = scene.cfg.weights != "random"
    st.caption(
        "The time cursor above moves every panel (▶ Play, or the arrow keys); when it stops, the "
        "equations below follow. "
        + (
            f"The weights are trained ({scene.cfg.weights}): the guesses mean something."
            if trained
            else "The weights are random (untrained), so the guesses are too."
        )
    )
