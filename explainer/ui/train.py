"""Controls and the training flow of the train-and-compare page: settings bound to the URL, the
data (shipped or uploaded, checked), and Train / +1 epoch / Stop / Start over with a progress
bar. Results are drawn by ``explainer.ui.train_results``.

A run belongs to the student who started it (their session state); a click queues a job on the
server's training queue (``explainer.jobs``: a few runs at once, the rest in line with their
place and an estimated wait), and a fragment redraws the progress every ``TICK`` seconds while
it trains (``WAIT_TICK`` while it waits). Identical runs finished from their seed come from a
shared read-only store.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import streamlit as st

from explainer import datasets, jobs, runs, tasks, train, trainsets
from explainer.config import LinkField
from explainer.figures import training as figures
from explainer.ui import links, screen
from explainer.ui.cache import by_repr
from explainer.ui.panels import show_figure

# one click trains the lesson's 1000 steps (the recorded runs'); the bound, in seconds of the
# training thread's own computing, covers that with room to spare (about 60 s at the defaults
# on a 2-core server, 230 s at T = 200)
STEPS_PER_CLICK = 1000
SECONDS_PER_CLICK = 300.0
TICK = 1.0  # seconds between progress redraws while a run trains
WAIT_TICK = 3.0  # and between checks of its place in line
RUNS_KEPT = 4  # a student's own runs (one per setting) kept in their session
RUNS, JOB = "tr_my_runs", "tr_job"
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
    "copy": "Delay T (steps from the last symbol to the delimiter)",
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
SEEDS = (0, 9999)
TASKS = {
    "adding problem": "adding",
    "copy task": "copy",
    "character model": "chars",
    "forecasting": "series",
    "sentiment": "reviews",
}
OPTIMIZERS = {"Adam": "adam", "plain SGD": "sgd"}


@st.cache_resource(show_spinner=False)
def queue() -> jobs.TrainQueue:
    """The server's one training queue (``jobs.SLOTS`` at once, ``jobs.MAX_WAITING`` in line)."""
    return jobs.TrainQueue(jobs.SLOTS, jobs.MAX_WAITING)


@st.cache_resource(show_spinner=False)
def finished() -> runs.FinishedRuns:
    """Runs trained from their seed for a whole click, shared read-only by every session."""
    return runs.FinishedRuns(max_runs=8)


BY_REPR = by_repr(train.TrainConfig)


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=BY_REPR)
def task_data(cfg: train.TrainConfig, _payload=None) -> trainsets.TaskData:
    """Batches, validation set and baseline for ``cfg`` (the payload is keyed by ``cfg.data``)."""
    return train.task_data(cfg, _payload)


def link_fields() -> dict[str, LinkField]:
    """What each training control accepts from a link (``read_link``'s rule)."""
    fields = {
        "tr_task": LinkField(list(TASKS)[0], choices=tuple(TASKS)),
        "tr_hidden": LinkField(32, choices=tuple(map(str, HIDDEN)), cast=int),
        "tr_lr": LinkField("0.01", choices=tuple(LRS)),
        "tr_clip": LinkField("1", choices=tuple(CLIPS)),
        "tr_opt": LinkField(list(OPTIMIZERS)[0], choices=tuple(OPTIMIZERS)),
        "tr_seed": LinkField(0, *SEEDS, whole=True),
    }
    for task, (lo, hi, default) in T_RANGE.items():
        fields[f"tr_T_{task}"] = LinkField(default, lo, hi, whole=True)
    for task, choices in DATA_CHOICES.items():
        fields[f"tr_data_{task}"] = LinkField(list(choices)[0], choices=tuple(choices))
    return fields


def settings() -> dict:
    """The sidebar's training settings (URL keys start with ``tr_``); link values a control
    cannot take are replaced first, with a notice naming what is used."""
    links.clean(link_fields())
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
            "Seed", *SEEDS, 0, key="tr_seed", help="Same seed: same weights and batches.", **BOUND
        )
        st.caption("All three cells start from this seed and see the same batches of 64.")
    links.show_notices()
    values["lr"] = float(lr)
    values["clip"] = None if clip == "off" else float(clip)
    return values


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _own_text() -> tuple[str, str] | None:
    up = st.file_uploader(
        f"…or upload a .txt file (UTF-8, up to {datasets.size_label(datasets.MAX_TEXT_BYTES)})",
        type=["txt"],
        key="tr_text_file",
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
        "Upload a CSV with a header row `text,label` (UTF-8, up to "
        f"{datasets.size_label(datasets.MAX_CSV_BYTES)}, {datasets.MIN_ROWS:,} to "
        f"{datasets.MAX_ROWS:,} rows)",
        type=["csv", "txt"],
        key="tr_csv_file",
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


def about(task: str, T: int) -> str:
    """What a generated task's sequences hold at length ``T`` (counts from the generator's
    layout, scores from the task's formulas)."""
    if task == "adding":
        return (
            f"Each sequence holds T = {T} random numbers in [0, 1]; two of them are marked, one "
            "in each half. At the last step the network must output **their sum**. Guessing 1 "
            f"every time scores MSE {tasks.ADDING_BASELINE_MSE:.3f}."
        )
    n = tasks.copy_layout(T)
    return (
        f"Each sequence: {n['symbols']} symbols (each one of {tasks.COPY_CATEGORIES}), then "
        f"{n['blanks']} blanks and a delimiter (T = {T} steps after the last symbol), then "
        f"{n['recall']} more blanks in which the network must repeat the {n['symbols']} symbols "
        "(Arjovsky et al. 2016). A network that knows when to recall but remembers no symbol "
        f"scores 10 ln 8 / (T + 20) = {tasks.copy_baseline(T):.3f}; one with no memory at all "
        f"{tasks.copy_memoryless(T):.3f}. The hardest task here: expect a long plateau (press "
        "▶ Train several times) before a gated cell starts to recall; Arjovsky et al. saw the "
        "LSTM stuck there for T ≥ 100."
    )


def data_choice(task: str, T: int = 0) -> tuple[str, object] | None:
    """Which data to train on: (name for the config, payload or None); None if unusable."""
    choices = DATA_CHOICES.get(task)
    if choices is None:
        st.markdown(about(task, T))
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


def _my_runs() -> OrderedDict:
    """This student's runs by config (the latest ``RUNS_KEPT``), in their session only."""
    return st.session_state.setdefault(RUNS, OrderedDict())


def _keep(cfg: train.TrainConfig, run: train.Run) -> None:
    mine = _my_runs()
    mine[cfg] = run
    mine.move_to_end(cfg)
    while len(mine) > RUNS_KEPT:
        mine.popitem(last=False)


def _active() -> runs.TrainingJob | None:
    """This student's job while it waits or trains."""
    job = st.session_state.get(JOB)
    return job if job is not None and not job.finished else None


def _duration(secs: float) -> str:
    secs = max(round(secs), 1)
    if secs < 60:
        return f"{secs} s"
    return f"{secs // 60} min" + (f" {secs % 60:02d} s" if secs % 60 else "")


FULL = (
    "The training queue is full: {waiting} runs are waiting for this server's {slots} training "
    "slot{s}. Nothing was started: press ▶ Train again in a minute or two. The recorded results "
    "below need no training."
)


def _on_train(cfg: train.TrainConfig, data: trainsets.TaskData, steps: int) -> None:
    """Button callback: a job for this student's run of ``cfg`` (a fresh one if none), served at
    once from the finished runs if an identical one is there, else queued."""
    if _active() is not None:
        return
    run = _my_runs().get(cfg) or train.new_run(cfg, data)
    job = runs.TrainingJob(run, steps, SECONDS_PER_CLICK, finished())
    if job.serve_finished() or queue().submit(job):
        _keep(cfg, run)
        st.session_state[JOB] = job
        return
    _, waiting = queue().counts()
    slots = queue().slots
    st.session_state["tr_notice"] = FULL.format(waiting=waiting, slots=slots, s="s" * (slots > 1))


def _on_stop() -> None:
    job = _active()
    if job is not None:
        queue().cancel(job)


def _on_over(cfg: train.TrainConfig) -> None:
    if _active() is None:
        run = _my_runs().pop(cfg, None)
        if run is not None and getattr(st.session_state.get(JOB), "run", None) is run:
            del st.session_state[JOB]


def _waiting(job: runs.TrainingJob, place: int) -> None:
    q = queue()
    eta = q.estimate(job)
    when = (
        f"Estimated start in about {_duration(eta)} (from the measured step times)."
        if eta is not None
        else "The wait is estimated once the first run ahead has been timed."
    )
    st.progress(0.0, text=f"Waiting for a training slot: you are number {place} in line.")
    st.caption(
        f"This server trains {q.slots} run{'s' * (q.slots > 1)} at a time and the others wait "
        f"their turn ({place - 1} ahead of you). {when} ■ Stop takes your run out of the line."
    )


def _running(job: runs.TrainingJob) -> None:
    done, rate = job.done_steps, job.seconds_per_step()
    left = f", about {_duration((job.steps - done) * rate)} left" if rate else ""
    st.progress(
        min(done / job.steps, 1.0),
        text=f"Training: step {job.first_step + done} of {job.target} "
        f"({_duration(job.elapsed())}{left})",
    )
    if done:
        histories = train.snapshot(job.run)
        fig = figures.loss_curves(
            histories,
            job.run.data.baseline,
            job.run.data.baseline_label,
            log_y=job.run.data.loss == "mse",
            title="live: loss while training",
            memoryless=job.run.data.memoryless,
            memoryless_label=job.run.data.memoryless_label,
        )
        data = job.run.data
        alt = figures.loss_curves_alt(histories, data.baseline, data.baseline_label)
        show_figure(fig, key="tr_live", height=420, alt=alt)


@st.fragment(run_every=TICK)
def _training() -> None:
    """This student's job training: progress and loss so far; when it ends, the whole page
    redraws with its results."""
    job = st.session_state.get(JOB)
    if job is None:
        return
    if job.finished:
        st.rerun()
    _running(job)


@st.fragment(run_every=WAIT_TICK)
def _in_line() -> None:
    """This student's job waiting: its place in line (checked less often); when it starts or
    ends, the whole page redraws."""
    job = st.session_state.get(JOB)
    if job is None:
        return
    place = queue().position(job)
    if job.finished or not place:
        st.rerun()
    _waiting(job, place)


def _outcome(cfg: train.TrainConfig, run: train.Run | None) -> tuple[str, str] | None:
    """What the student's run of ``cfg`` is, said plainly: (level, text), or None."""
    if run is None or not run.step:
        return None
    job = st.session_state.get(JOB)
    job = job if job is not None and job.run is run else None
    reason = job.reason if job is not None else "steps"
    partly = "these numbers are from a partly trained network, not the lesson's result."
    if reason == "stopped":
        return "warning", (
            f"Stopped at step {run.step} of {job.target}: {partly} Press ▶ Train to go on from "
            f"step {run.step}, or ↺ Start over to forget this run."
        )
    if reason == "time":
        return "warning", (
            f"Paused at step {run.step} of {job.target}: one click trains for at most "
            f"{_duration(SECONDS_PER_CLICK)} of computing on this shared server, so {partly} "
            "Press ▶ Train to go on."
        )
    if reason == "cached":
        return "info", (
            f"Your run: {run.step} steps. This exact run (same settings, same seed) had already "
            "been trained on this server, so it was copied for you: training is deterministic, "
            "so it is exactly the run you would have trained."
        )
    if reason == "error":
        return "error", f"Training failed ({job.error}); your run stopped at step {run.step}."
    if reason in MESSAGES:
        return "error", MESSAGES[reason]
    if run.step < STEPS_PER_CLICK:
        return "warning", (
            f"Your run after {run.step} step{'s' * (run.step > 1)}: {partly} One ▶ Train click "
            f"trains {STEPS_PER_CLICK} steps."
        )
    return "info", f"Your run: trained {run.step} steps ({run.seconds:.0f} s of computing)."


MESSAGES = {
    "limit": f"This run has trained {train.MAX_TOTAL_STEPS} steps, the most one run may. "
    "Press ↺ Start over or change a setting.",
    "diverged": "Every network diverged: its weights overflowed. Lower the learning rate or "
    "turn clipping on, then press ↺ Start over.",
}
BUSY = "Your run with these settings is training (progress above); its results will appear here."


def _button_row() -> tuple:
    """Where the four buttons go and how wide they are: four columns, or on a phone (where
    columns stack, four rows above the chart) one row that wraps."""
    if screen.current().size_class == "phone":
        row = st.container(horizontal=True, gap="small")
        return row, row, row, row, "content"
    return *st.columns([1, 1.4, 1, 1.1]), "stretch"


def training(
    cfg: train.TrainConfig, data: trainsets.TaskData
) -> tuple[train.Run | None, tuple[str, str] | None]:
    """The buttons and this student's job; returns their run of ``cfg`` to show (None while it
    trains) and what it is, said plainly (level, text)."""
    # the epoch label is the longest: room for it beside a sidebar at 1280 px
    go, epoch, stop, over, width = _button_row()
    job = _active()
    n = data.steps_per_epoch
    go.button(
        "▶ Train",
        type="primary",
        key="tr_go",
        width=width,
        disabled=job is not None,
        on_click=_on_train,
        args=(cfg, data, STEPS_PER_CLICK),
        help=f"Trains your own three networks for {STEPS_PER_CLICK} steps (at most "
        f"{_duration(SECONDS_PER_CLICK)} of computing); when the server is busy, your run waits "
        "its turn.",
    )
    epoch.button(
        f"+1 epoch ({n} step{'s' * (n > 1)})",
        key="tr_epoch",
        width=width,
        disabled=job is not None,
        on_click=_on_train,
        args=(cfg, data, n),
        help="One more pass over the data.",
    )
    stop.button(
        "■ Stop",
        key="tr_stop",
        width=width,
        disabled=job is None,
        on_click=_on_stop,
        help="Stops your run after the step it is on (what it learned stays), or takes it out "
        "of the line.",
    )
    over.button(
        "↺ Start over",
        key="tr_reset",
        width=width,
        disabled=job is not None or cfg not in _my_runs(),
        on_click=_on_over,
        args=(cfg,),
        help="Forget your run with these settings: fresh networks, same seed.",
    )
    notice = st.session_state.pop("tr_notice", None)
    if notice:
        st.warning(notice)
    run = _my_runs().get(cfg)
    if job is not None:
        if queue().position(job):
            _in_line()
        else:
            _training()
        if job.run is run:
            return None, ("info", BUSY)
    return run, _outcome(cfg, run)
