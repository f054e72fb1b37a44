"""Train and compare: a vanilla RNN, an LSTM and a GRU learn the same task side by side."""

import streamlit as st

from explainer import train
from explainer.ui import page_header, scene_link, what_to_try
from explainer.ui import train as panel
from explainer.ui import train_results as results

page_header(
    "Train and compare",
    "Random weights only show what a cell *could* do. Here three networks, a **vanilla RNN**, "
    "an **LSTM** and a **GRU**, start from the same seed and learn the same task from the same "
    "batches. Watch whose loss drops below the **baselines** (each named on its chart: what a "
    "simple guess scores, and where it differs, a network without memory), and whose gradients "
    "vanish or explode on the way.",
)
values = panel.settings()

st.header("1. Choose the data")
choice = panel.data_choice(values["task"], values["seq_len"])
# unusable data has its message above; the rest of the page stays
if choice is not None:
    name, payload = choice
    cfg = train.TrainConfig(data=name, **values)
    data = panel.task_data(cfg, payload)

    st.header("2. Train")
    run, note = panel.training(cfg, data)

    st.header("3. Results")
    results.results(cfg, data, run, note)

st.header("4. How far back can each cell remember?")
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
