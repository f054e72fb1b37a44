"""Page 7: a forward and a backward cell over the same string, joined at every step."""

import streamlit as st

from explainer import ui
from explainer.ui import bidirectional as bidi

INTRO = (
    "A one-way RNN at step t has read only $x_1 \\dots x_t$. A **bidirectional** RNN runs a "
    "second cell (its own weights) from the end backwards, and joins the two states: "
    "$o_t = [\\overrightarrow{h}_t ; \\overleftarrow{h}_t]$ knows the past *and* the future. "
    "Here two taggers mark, under every character, whether a **')' comes later**."
)
EXPLAIN = """
**Reading the figure.** The top row is each tagger's belief that a ')' is still to come,
against the truth (×). Below, one row per hidden unit: the **forward** cell's states, read left
to right, and the **backward** cell's, read right to left. The yellow column is step *t*; the
bars beside them (under them on a phone) are the joined state $o_t$ the readout sees.

**Why the one-way tagger fails.** Before it reaches the ')', nothing it has read says whether
one is coming, so its best guess is "no". The backward cell has already passed the ')' when it
reaches step *t*: one unit that flips at the bracket is enough.
"""
REACH = (
    "Each curve is $\\|\\partial o_t / \\partial x_s\\|$: how much the output at step *t* moves "
    "when input *s* changes. The one-way output has **no path** to any $s > t$ (the curve stops "
    "at *t*); the bidirectional one reaches both sides, through $\\overrightarrow{h}$ to the "
    "left and $\\overleftarrow{h}$ to the right."
)
TRY = [
    "Move *t* along the default string: where does the one-way belief jump? (at the ')', "
    "not before it).",
    "Delete the ')' from the string: both taggers should say *no* everywhere.",
    "Type a list, `a) red b) green c) blue`: after the first ')' the one-way tagger says *no*, "
    "though two more brackets are coming; the training strings held at most one.",
    "Put the ')' at the very end, after a long sentence: the one-way tagger is wrong at every "
    "step but the last.",
    "Press ▶ Play on the time cursor: on the reach chart the one-way curve grows from the left, "
    "the bidirectional one always spans the whole string.",
    "Switch the cell to **vanilla RNN** and train both with a new seed: does the backward cell "
    "still carry the bracket over a long string?",
]

ui.page_header("Bidirectional RNN")  # the introduction goes under the figure
figure = st.container()  # first on the screen, drawn once the string is read
cell, ids = bidi.controls()  # in the sidebar; on a phone, the string under the figure
models, about = bidi.taggers(cell)
reading = bidi.reading(cell, ids, models, about)

with figure:
    step_col, unit_col = st.columns([5, 2], gap="large")
    with step_col:
        t = ui.time_cursor(len(ids))
    with unit_col:
        j = ui.unit_picker(models["bi"].hidden_size)
    bidi.chains_chart(reading, about, t)
ui.explain(INTRO)
ui.explain(EXPLAIN)
bidi.equations(models, reading, t, j)
ui.conventions(cell)

st.header("Why it helps: a task that needs the future")
chart_col, train_col = st.columns([3, 2], gap="large")
with chart_col:
    bidi.accuracy_chart(about)
with train_col:
    bidi.train_panel(cell)

st.header("Gradient connectivity: who can reach whom")
reach_col, reach_words = st.columns([3, 2], gap="large")
with reach_col:
    bidi.reach_chart(reading, about, t)
with reach_words:
    ui.explain(REACH)
ui.what_to_try(TRY)
ui.scene_link()
