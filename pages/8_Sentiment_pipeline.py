"""Page 8: the classic LSTM sentiment classifier, stage by stage, reading a review word by word."""

import streamlit as st

from explainer import ui
from explainer.ui import sentiment as sent

INTRO = (
    "The classic first LSTM project: read a movie review and say whether it is positive. "
    "Follow one review through every stage: **tokenise → ids → pad → embed → LSTM → "
    "sigmoid**, and watch the verdict form **word by word**. Type your own review (in the "
    "sidebar; on a phone, under the chart)."
)
MASKING = """
**Why a mask.** Reviews have different lengths, but a batch needs one length L: short reviews
are **padded** with id 0 after their words, long ones are **cut**. The padding is not part of
the review, so a padded step must **not update the state**: $h_t = h_{t-1}$ where the mask is
0 (torch does this with packed sequences). Without the mask the LSTM reads the pads like words,
its state keeps moving, and the verdict drifts: the dashed line in the chart above.
"""
EMBED = """
**Embedding.** Each id picks one row of a learned matrix $E$: a short vector per word. After
training, words that push the verdict the same way end up close together: in the 2-D picture,
colour is the verdict on that word read alone.
"""
TRY = [
    "Type *not boring at all*: where does the verdict turn? Then *boring*: the same word, "
    "the other way.",
    "Set **L = 4** for a long review: the cut words never reach the model.",
    "Raise **L** to 40 for a short review and compare the dashed line: a long tail of pads "
    "read without a mask.",
    "Type words the model never saw (*magnificent*, *dreadful*): they all become `<unk>`.",
    "Press **▶ Play** on the time cursor and watch $h_t$ change with each word.",
    "Train with another seed: do the six reviews stay right? Does the held-out accuracy move?",
]

ui.page_header("Sentiment pipeline, word by word")  # the introduction goes under the figure
model, about = sent.model()
figure = st.container()  # first on the screen, drawn once the review is read
text, length = sent.review_input()  # in the sidebar; on a phone, under the figure
review = sent.read_review(model, about, text, length)

with figure:
    step_col, unit_col = st.columns([5, 2], gap="large")
    with step_col:
        t = ui.time_cursor(review.n, "Word t")
    with unit_col:
        j = ui.unit_picker(model.lstm.hidden_size)
    sent.verdict_chart(review, about, t)
sent.verdict_line(review)
ui.explain(INTRO)
sent.step_equations(model, review, t, j)

st.header("1. Tokenise, look up, pad")
sent.tokens_table(model, review)
ui.explain(MASKING)

st.header("2. Embed")
ui.explain(EMBED)
sent.embedding_charts(model, about, review)

st.header("3. Which words mattered")
sent.contributions_chart(review)

st.header("The six reviews, and training")
sent.six_table(model, about)
sent.train_panel(about)
ui.what_to_try(TRY)
ui.scene_link()
