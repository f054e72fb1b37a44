"""Train and compare: a vanilla RNN, an LSTM and a GRU learn the same task side by side."""

import streamlit as st

from explainer import train
from explainer.ui import explain, page_header, scene_link, what_to_try
from explainer.ui import train as panel
from explainer.ui import train_results as results

INTRO = (
    "Random weights only show what a cell *could* do. Here three networks, a **vanilla RNN**, "
    "an **LSTM** and a **GRU**, start from the same seed and learn the same task from the same "
    "batches. Watch whose loss drops below the **baselines** (each named on its chart: what a "
    "simple guess scores, and where it differs, a network without memory), and whose gradients "
    "vanish or explode on the way."
)
page_header("Train and compare")  # the results first: the loss chart fits a projector
values = panel.settings()
top = st.container()  # training and results, filled once the data below is chosen
explain(INTRO)

st.header("Choose the data")
choice = panel.data_choice(values["task"], values["seq_len"])
# unusable data has its message above; the rest of the page stays
if choice is not None:
    name, payload = choice
    cfg = train.TrainConfig(data=name, **values)
    data = panel.task_data(cfg, payload)
    with top:
        run, note = panel.training(cfg, data)
        results.results(cfg, data, run, note)

st.header("How far back can each cell remember?")
results.sweep()

what_to_try(
    [
        "Adding problem, T = 50: press **▶ Train**. The LSTM and the GRU drop far below the "
        "dashed baseline within a few hundred steps; the vanilla RNN stays at or above it.",
        "Lower T to **10**: now the vanilla RNN learns too, given a few clicks: "
        + results.sweep_tip("rnn", 10)
        + ". Raise it to 100 or 200: the gated cells need more steps; "
        + results.sweep_tip("lstm", 200)
        + ".",
        "Set the learning rate to **1**, clipping **off**, optimiser **plain SGD**: watch the "
        "gradient norms jump (▲) and runs blow up (✖). Turn clipping to 1 and start over.",
        results.chars_tip(),
        "Sentiment: the hand-made reviews include negations (*not boring*, *not funny*) that "
        "only word order can tell apart. Which cell reads them best? Then upload your own CSV.",
    ]
)
scene_link()
