"""RNN, LSTM and GRU side by side: same input, same seed, same step t."""

import streamlit as st

from explainer import ui
from explainer.ui import compare as cmp
from explainer.ui import learn

INTRO = (
    "The same input and the same seed, read by three cells: a vanilla RNN, an LSTM and a GRU. "
    "Compare how far back each one's last state still depends on the past, how busy its "
    "hidden units are, and what the gates cost in parameters."
)
NORMS = (
    "Each curve is $\\|\\partial h_T / \\partial h_t\\|$: how much a nudge to the state at "
    "step t still moves the last state. A steeper fall means a shorter memory for gradients. "
    "The gated cells add paths that skip $W_{hh}$: the LSTM's $c_t = f_t \\odot c_{t-1} + "
    "\\dots$ and the GRU's $z_t \\odot h_{t-1}$; how much they carry depends on the gates."
)
STATES = (
    "One row per hidden unit, time left to right, the same colours for all three cells "
    "(blue −1, dark 0, orange +1). The LSTM shows $h_t = o_t \\odot \\tanh(c_t)$: the output "
    "gate, about ½ at initialisation, halves what the cell state shows. The GRU blends the old "
    "state and a candidate, so its rows tend to change more slowly."
)
TRY = [
    "**Make T long:** input *sine*, T = 300. Which curve falls fastest? Read the gains in the "
    "legend.",
    "**Same seed, same text:** why do the LSTM's units look calmer than the RNN's? "
    "(hint: $h_t = o_t \\odot \\tanh(c_t)$ with $o_t \\approx 0.5$).",
    "**Orthogonal init, ρ = 1:** now the RNN reaches back furthest. The gated cells start with "
    "zero biases, so their forget and update gates sit near ½: memory shrinks at every step.",
    "**ρ = 0** (orthogonal): $W_{hh} = 0$. Only the GRU curve survives: its $z_t \\odot "
    "h_{t-1}$ carries the state with no matrix at all.",
    "**Hidden units H = 8, then 128:** the counts grow like H²; the LSTM always has 4× the "
    "RNN's weights and the GRU 3×.",
]

ui.page_header("Compare cells")
cfg = ui.sidebar_config(cell="rnn", extras=("activation", "init", "rho"))
st.sidebar.caption("All three cells run here; the activation applies to the RNN only.")
scenes = cmp.compare_scenes(cfg)
norms = cmp.compare_norms(cfg)

cmp.weights_note(cfg, scenes)
cmp.overflow_notice(scenes, norms)
t = ui.time_cursor(scenes["rnn"].trace.T, "Step t (highlighted in every panel)")
chart, side = st.columns([3, 1], gap="large")
with chart:
    cmp.norms_chart(norms, t, learn.marks_on_figure("compare", scenes=scenes, norms=norms))
with side:
    ui.explain(NORMS)
ui.explain(INTRO)
learn.checks_for("compare", scenes=scenes, norms=norms)
cmp.heatmaps_chart(cfg, t)
ui.explain(STATES)

st.header("Parameters")
cmp.param_counts(scenes)
ui.explain(cmp.choice_words(scenes))
ui.what_to_try(TRY)
ui.scene_link()
