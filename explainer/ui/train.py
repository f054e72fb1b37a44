"""Controls and the training loop of the train-and-compare page: settings bound to the URL, the
data (shipped or uploaded, checked), and Train / +1 epoch / Stop / Start over with a progress
bar. Results are drawn by ``explainer.ui.train_results``.

Runs live in one bounded store shared by every session (``st.cache_resource``), keyed on the
frozen ``TrainConfig``: a configuration trained once is there for everyone, and a click trains
for at most ``STEPS_PER_CLICK`` steps or ``SECONDS_PER_CLICK`` seconds.
"""

from __future__ import annotations

import hashlib
import time

import streamlit as st

from explainer import datasets, runs, train, trainsets
from explainer.figures import training as figures
from explainer.ui.cache import by_repr
from explainer.ui.panels import show_figure

STEPS_PER_CLICK = 500
SECONDS_PER_CLICK = 30.0
BOUND = dict(bind="query-params", persist_state="session")
# (low, high, default) of T per task, each under its own URL key
T_RANGE = {
    "adding": (10, 200, 50),
    "copy": (5, 100, 10),
    "chars": (16, 128, 64),
    "series": (10, 60, 30),
}
T_LABEL = {
    "adding": "Sequence length T",
    "copy": "Blank steps T to wait",
    "chars": "Window L (characters per training sequence)",
    "series": "Window (years per training sequence)",
}
T_HELP = {
    "chars": "Each training sequence is L + 1 characters cut at random from the text, read from "
    "h₀ = 0: L is both how far back backprop goes and all the context the network gets. This is "
    "not truncated BPTT, which would carry h from one window into the next.",
}
LRS = ["0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1"]
CLIPS = ["off", "0.1", "0.5", "1", "5", "10"]
HIDDEN = [8, 16, 32, 64]
TASKS = {
    "adding problem": "adding",
    "copy task": "copy",
    "character model": "chars",
    "forecasting": "series",
    "sentiment": "reviews",
}
OPTIMIZERS = {"Adam": "adam", "plain SGD": "sgd"}


@st.cache_resource(show_spinner=False)
def store() -> runs.RunStore:
    """Every session's runs (at most 8) and training slots (2 at once)."""
    return runs.RunStore(max_runs=8, max_training=2)


BY_REPR = by_repr(train.TrainConfig)


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=BY_REPR)
def task_data(cfg: train.TrainConfig, _payload=None) -> trainsets.TaskData:
    """Batches, validation set and baseline for ``cfg`` (the payload is keyed by ``cfg.data``)."""
    return train.task_data(cfg, _payload)


def settings() -> dict:
    """The sidebar's training settings (URL keys start with ``tr_``)."""
    with st.sidebar:
        st.header("Training")
        # the URL holds what the widget shows, so the options are readable words
        label = st.selectbox("Task", list(TASKS), key="tr_task", **BOUND)
        task = TASKS[label]
        st.caption(trainsets.TASKS[task].capitalize() + ".")
        values = {"task": task, "seq_len": 0}
        if task in T_RANGE:
            lo, hi, default = T_RANGE[task]
            values["seq_len"] = st.slider(
                T_LABEL[task],
                lo,
                hi,
                default,
                key=f"tr_T_{task}",
                help=T_HELP.get(task),
                **BOUND,
            )
        values["hidden_size"] = st.select_slider(
            "Hidden units H", HIDDEN, value=32, key="tr_hidden", **BOUND
        )
        lr = st.select_slider("Learning rate", LRS, value="0.01", key="tr_lr", **BOUND)
        clip = st.select_slider(
            "Clip gradient norm at θ",
            CLIPS,
            value="1",
            key="tr_clip",
            help="Pascanu et al. 2013: if ‖g‖ ≥ θ, rescale g to length θ.",
            **BOUND,
        )
        opt = st.radio("Optimiser", list(OPTIMIZERS), horizontal=True, key="tr_opt", **BOUND)
        values["optimizer"] = OPTIMIZERS[opt]
        values["seed"] = st.number_input(
            "Seed", 0, 9999, 0, key="tr_seed", help="Same seed: same weights and batches.", **BOUND
        )
        st.caption("All three cells start from this seed and see the same batches of 64.")
    values["lr"] = float(lr)
    values["clip"] = None if clip == "off" else float(clip)
    return values


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _own_text() -> tuple[str, str] | None:
    up = st.file_uploader(
        "…or upload a .txt file (UTF-8, up to 200 kB)",
        type=["txt"],
        key="tr_text_file",
        max_upload_size=1,
    )
    typed = st.text_area(
        "Paste or type a text to learn (at least 200 characters)", key="tr_text", height=150
    )
    raw = up.getvalue() if up is not None else typed
    if not raw:
        st.info("Paste a text or upload a file to train on it.")
        return None
    try:
        text = datasets.check_corpus(raw)
    except ValueError as err:
        st.error(f"That text cannot be used: {err}.")
        return None
    st.caption(f"{len(text):,} characters, {len(set(text))} different ones.")
    return f"own:{_digest(text)}", text


def _own_reviews() -> tuple[str, datasets.Labelled] | None:
    up = st.file_uploader(
        "Upload a CSV with a header row `text,label` (UTF-8, up to 1 MB, 20 to 2,000 rows)",
        type=["csv", "txt"],
        key="tr_csv_file",
        max_upload_size=2,
    )
    if up is None:
        st.info("Upload a file to train on your own labelled texts.")
        return None
    return checked_csv(up.getvalue())


def checked_csv(data: bytes) -> tuple[str, datasets.Labelled] | None:
    """An uploaded CSV, or a clear message and None."""
    try:
        rows = datasets.parse_labelled_csv(data)
    except ValueError as err:
        st.error(f"That file cannot be used: {err}.")
        return None
    counts = ", ".join(f"{c} ({int((rows.labels == k).sum())})" for k, c in enumerate(rows.classes))
    st.caption(f"{len(rows.texts)} rows; labels: {counts}.")
    return f"upload:{_digest(repr((rows.texts, rows.classes)))}", rows


# per task, what the radio shows: (name in the config, caption)
DATA_CHOICES = {
    "chars": {
        "Unrolled's notes": ("notes", datasets.CORPORA["notes"]),
        "Zen of Python": ("zen", datasets.CORPORA["zen"]),
        "your own text": ("own", "paste it, or upload a .txt file"),
    },
    "series": {
        "sunspots": ("sunspots", datasets.SUNSPOTS_SOURCE),
        "sine wave": ("sine", "a noisy sine wave with a random phase, generated"),
    },
    "reviews": {
        "hand-made reviews": ("builtin", datasets.REVIEWS_SOURCE),
        "your own CSV": ("own", "upload rows of text,label"),
    },
}
ABOUT = {
    "adding": "Each sequence holds T random numbers in [0, 1]; two of them are marked. At the "
    "last step the network must output **their sum**. Guessing 1 every time scores MSE 0.167.",
    "copy": "Ten symbols, then T blank steps and a go signal: the network must repeat the ten "
    "symbols. Outputting blanks and guessing scores 10 ln 8 / (T + 20). The hardest task here: "
    "expect a long plateau on that baseline (press ▶ Train several times) before a gated cell "
    "starts to recall; Arjovsky et al. (2016) saw the LSTM stuck there for T ≥ 100.",
}


def data_choice(task: str) -> tuple[str, object] | None:
    """Which data to train on: (name for the config, payload or None); None if unusable."""
    choices = DATA_CHOICES.get(task)
    if choices is None:
        st.markdown(ABOUT[task])
        return "default", None
    label = st.radio(
        "Data",
        list(choices),
        captions=[caption for _, caption in choices.values()],
        key=f"tr_data_{task}",
        **BOUND,
    )
    pick = choices[label][0]
    if pick == "own":
        return _own_text() if task == "chars" else _own_reviews()
    return pick, None


def _live(slot, run: train.Run, count: list[int]) -> None:
    """The loss so far in ``slot``, replacing the last picture (each under a new key)."""
    count[0] += 1
    fig = figures.loss_curves(
        {k: c.history for k, c in run.cells.items()},
        run.data.baseline,
        run.data.baseline_label,
        log_y=run.data.loss == "mse",
        title="live: loss while training",
    )
    with slot:
        show_figure(fig, key=f"tr_live_{count[0]}", height=420)


MESSAGES = {
    "steps": "Done: trained {done} steps.",
    "target": "Done: reached the target.",
    "time": "Paused after {secs:.0f} s, the time limit of one click (the server is shared). "
    "Press ▶ Train to go on.",
    "limit": f"This run has trained {train.MAX_TOTAL_STEPS} steps, the most one run may. "
    "Press ↺ Start over or change a setting.",
    "diverged": "Every network diverged: its weights overflowed. Lower the learning rate or "
    "turn clipping on, then press ↺ Start over.",
}


def _train(run: train.Run, steps: int, bar) -> None:
    """Train with a progress bar and a live loss chart; a click anywhere stops it."""
    slots = store().slots
    if not run.lock.acquire(blocking=False):
        bar.empty()
        st.info(
            "Someone is training this exact configuration right now; press ▶ Train again "
            "in a moment to see their progress."
        )
        return
    if not slots.acquire(blocking=False):
        run.lock.release()
        bar.empty()
        st.warning(
            "The server is busy training for two other people. Try again in a moment; "
            "the results below need no training."
        )
        return
    try:
        slot, count, t0, last = st.empty(), [0], time.perf_counter(), [0.0]

        def on_progress(r: train.Run, done: int) -> None:
            secs = time.perf_counter() - t0
            text = f"Training: step {r.step} ({done} of {steps} this click, {secs:.0f} s)"
            bar.progress(min(done / steps, 1.0), text=text)
            if time.perf_counter() - last[0] > 2.0:
                last[0] = time.perf_counter()
                _live(slot, r, count)

        reason = train.train(run, steps, SECONDS_PER_CLICK, on_progress)
        slot.empty()
        bar.progress(1.0, text=MESSAGES[reason].format(done=steps, secs=time.perf_counter() - t0))
    finally:
        slots.release()
        run.lock.release()


def training(cfg: train.TrainConfig, data: trainsets.TaskData) -> train.Run | None:
    """The buttons, and training on ``data`` when one was pressed; returns the run for ``cfg``
    if any."""
    run = store().peek(cfg)
    go, epoch, stop, over = st.columns(4)
    clicked_train = go.button(
        "▶ Train",
        type="primary",
        key="tr_go",
        width="stretch",
        help=f"Up to {STEPS_PER_CLICK} steps or {SECONDS_PER_CLICK:.0f} s.",
    )
    n = data.steps_per_epoch
    clicked_epoch = epoch.button(
        f"+1 epoch ({n} step{'s' * (n > 1)})",
        key="tr_epoch",
        width="stretch",
        help="One more pass over the data.",
    )
    stop.button(
        "■ Stop",
        key="tr_stop",
        width="stretch",
        help="Stops training at the next progress update; nothing is lost.",
    )
    clicked_over = over.button(
        "↺ Start over", key="tr_reset", width="stretch", help="Fresh networks, same seed."
    )
    if clicked_over and run is not None and run.lock.acquire(blocking=False):
        try:
            runs.reset(run)
        finally:
            run.lock.release()
    if clicked_train or clicked_epoch:
        bar = st.progress(0.0, text="Starting (the first run loads torch)…")
        run = store().get(cfg, data)
        _train(run, STEPS_PER_CLICK if clicked_train else n, bar)
    elif run is not None and run.step:
        st.caption(
            f"This configuration has trained {run.step} steps ({run.seconds:.0f} s of computing)."
        )
    return run
