"""Page 1: one recurrent cell applied at every step, drawn as a chain, with its memory h_t."""

import streamlit as st

from explainer import ui
from explainer.ui import chars, learn, unrolled

INTRO = (
    "A recurrent network reads a sequence **one step at a time**. Unrolling draws its loop as "
    "a chain: **the same cell, with the same weights, applied at every step**. Press ▶ Play "
    "and watch what it remembers."
)

EXPLAIN = """
**Reading the chain.** At step *t* the cell takes the input $x_t$ (below it) and the
previous hidden state $h_{t-1}$ (the arrow from the left) and computes $h_t$
(above it). **$h_t$ is the network's memory**: H numbers, all it keeps of everything it
has read. The readout turns $h_t$ into a guess about the next input.

**Reading the heatmap.** One row per hidden unit, one column per step: the whole memory over
time. The yellow column is step *t*; its values are the bars on the right, and the highlighted
bar is unit *j*, whose numbers are printed on the chain and in the equations.
"""

TRY = [
    "Type your name as the text and follow unit *j*: which letters push it up, which down?",
    "Set **H = 1**: the memory is one number. Step through and read the whole recurrence "
    "in the equations.",
    chars.trained_tip(),
    "Switch the cell to **LSTM**: a second, yellow line runs along the top of the chain, the "
    "cell state $c_t$, a memory the gates can keep for longer.",
    "Keep the vanilla RNN, pick init **orthogonal** and set **ρ = 0**: the cell forgets the "
    "past at once, so every repeat of a letter gives the same column in the heatmap.",
    "Pick the **sine** input with T = 500 and press ▶ Play: the chain scrolls, and the memory "
    "swings with the wave.",
    "Pick activation **relu**, init **identity** and **ρ = 1.5**: every step multiplies the "
    "memory again, and it explodes.",
]

ui.page_header("Unrolled RNN")
cfg = ui.sidebar_config(extras=("activation", "init", "rho", "forget_bias", "sampling"))
scene = ui.scene_or_stop(cfg)
unrolled.run_notices(scene)

step_col, unit_col = st.columns([5, 2], gap="large")
with step_col:
    t = ui.time_cursor(scene.trace.T)
with unit_col:
    j = ui.unit_picker(scene.trace.H)
unrolled.unrolled_chart(scene, t, j, learn.marks_on_figure("unrolled", scene=scene, t=t, j=j))
ui.explain(INTRO)
learn.checks_for("unrolled", scene=scene, t=t, j=j)

equations_col, words_col = st.columns([3, 2], gap="large")
with equations_col:
    ui.live_equations(scene.params, scene.trace, t, j)
    ui.conventions(scene.cfg.cell)
with words_col:
    ui.explain(EXPLAIN)
    ui.what_to_try(TRY)
chars.trained_char_model(scene)
ui.scene_link()
