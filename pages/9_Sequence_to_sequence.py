"""Page 9: an encoder RNN reads digits, its last state (the context) is all a decoder RNN gets
to write them reversed; teacher forcing against free running; accuracy against length."""

import streamlit as st

from explainer import ui
from explainer.ui import seq2seq

INTRO = (
    "An **encoder** RNN reads digits; its last state, the **context**, is all a **decoder** RNN "
    "gets to write them **reversed**, one token at a time. ▶ Play: first it reads, then it writes."
)

EXPLAIN = """
**Reading the figure.** Top: the encoder's cells (blue) read one digit each; the yellow box is
the context, the encoder's last state $h_n$, handed to the decoder (green) as its $h_0$. Each
decoder cell reads the previous token (▶ is *start*) and writes one (⏹ is *end*): green when
right, vermillion when wrong. Middle: every hidden state, one column per step (outlined in
yellow: the context). Bottom: the decoder's whole output distribution at each step; circles
mark the right token.

**Training and using it differ.** It is trained with **teacher forcing**: at every step it
reads the *true* previous token. When it is used, nobody knows the true tokens: it reads its
**own guesses** (free running), greedily the likeliest, or the best of a few candidates kept at
once (**beam search**).
"""

TRY = [
    "Type a string longer than any it trained on, e.g. **4071935286**: where does it go wrong, "
    "and what does free running do after its first mistake?",
    "Switch the decoding (sidebar) to **beam search** on a long string: does keeping 3 "
    "candidates fix a greedy mistake?",
    "Step to the context column and compare it for two strings that differ only in the first "
    "digit: how much of that digit is left?",
    "Choose **train my own**, set **H = 8** and press ▶ Train: how long a string can 8 numbers "
    "hold?",
    "Train your own with the longest training string at **3**: what happens at length 5?",
]

ui.page_header("Sequence to sequence")  # the introduction goes under the figure
src, cfg = seq2seq.settings()
model = seq2seq.model(src, cfg)
digits, tf, free, t, j = seq2seq.controls(model)
seq2seq.unrolled(model, digits, free, t)
ui.explain(INTRO)

equations_col, words_col = st.columns([3, 2], gap="large")
with equations_col:
    seq2seq.step_equations(model, free, digits, t, j, ui.live_equations)
    ui.conventions(model.cfg.cell)
with words_col:
    ui.explain(EXPLAIN)
    ui.what_to_try(TRY)

st.header("Teacher forcing and free running")
seq2seq.teacher_vs_free(tf, free, digits, t)
st.header("The bottleneck: accuracy against length")
length_col, sweep_col = st.columns(2, gap="large")
with length_col:
    seq2seq.bottleneck(model, digits)
with sweep_col:
    seq2seq.hidden_sweep()
seq2seq.card(model)
ui.scene_link()
