"""Results of the train-and-compare page: a scoreboard, loss against the baseline, the metric,
gradient norms around clipping, teaching moments, what each model writes or forecasts, and
the adding-problem sweep from assets.

The figures are built once per config and training state (and the sweep once) and shared by
every session (``st.cache_resource``): a rerun with nothing trained rebuilds nothing.
"""

from __future__ import annotations

import math

import streamlit as st

from explainer import charmodel, datasets, pretrained, runs, sweeps, train, trainsets
from explainer.figures import training as figures
from explainer.figures.screens import main_figure_height
from explainer.figures.theme import CELL_NAMES
from explainer.trainsets import TaskData
from explainer.ui import screen
from explainer.ui.panels import explain, show_figure
from explainer.ui.train import BY_REPR

EVENT_WORDS = {
    "spike": "gradient spike",
    "nan": "step with an inf/NaN loss or gradient (update skipped)",
    "diverged": "diverged: the weights overflowed, training stopped",
}


LOSS_HEIGHT = 480  # px of the loss chart on a laptop (a projector's is squeezed to fit)
SKILL = " Skill = 1 − MSE / MSE of predicting 'same as the last value': 1 is perfect, 0 no better."


def _fmt(value: float, name: str) -> str:
    if not math.isfinite(value):
        return "NaN"
    return f"{value:.0%}" if name.endswith("right") or name.startswith("solved") else f"{value:.2f}"


def _histories(cfg: train.TrainConfig, run: train.Run | None) -> tuple[dict, str]:
    if run is not None and run.step:
        return {k: c.history for k, c in run.cells.items()}, "live"
    recorded = runs.recorded(cfg)
    return recorded, "recorded" if recorded else ""


def _state(run: train.Run | None, kind: str) -> tuple:
    """What the histories of ``kind`` depend on besides the config: nothing for the recorded
    ones; for a student's run, which run it is and its steps and seconds (both grow as it
    trains)."""
    return (kind, id(run), run.step, run.seconds) if kind == "live" else (kind,)


@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs=BY_REPR)
def _figures(cfg: train.TrainConfig, state: tuple, _histories: dict, _data: TaskData) -> dict:
    """The loss, metric and gradient figures of ``_histories``, built once per config and
    training ``state`` (see ``_state``) and shared by every session: never change them."""
    return dict(
        loss=figures.loss_curves(
            _histories,
            _data.baseline,
            _data.baseline_label,
            log_y=_data.loss == "mse",
            memoryless=_data.memoryless,
            memoryless_label=_data.memoryless_label,
        ),
        metric=figures.metric_curves(
            _histories, _data.metric_name, _data.chance, _data.chance_label
        ),
        grads=figures.grad_norms(_histories, cfg.clip),
    )


def trend(values: list[float], name: str) -> str | None:
    """The change of a metric since its first finite check, for st.metric's delta (the metric
    chart below draws the curve: streamlit's sparkline has no accessible name)."""
    finite = [v for v in values if math.isfinite(v)]
    if len(finite) < 2 or not math.isfinite(values[-1]):
        return None
    change = values[-1] - finite[0]
    if name.endswith("right") or name.startswith("solved"):
        return f"{100 * change:+.0f} points"
    return f"{change:+.2f}"


def scoreboard(histories: dict, data) -> None:
    """One big number per cell: the metric on held-out data, and its change since the first
    check."""
    for col, (kind, h) in zip(st.columns(len(histories)), histories.items(), strict=True):
        last = h.val_metric[-1] if h.val_metric else math.nan
        loss = h.val_loss[-1] if h.val_loss else math.nan
        col.metric(
            f"{CELL_NAMES[kind]}: {data.metric_name}",
            _fmt(last, data.metric_name),
            trend(h.val_metric, data.metric_name),
            border=True,
            # the arrow's meaning goes in the help: a description beside it is cut at 1280 px
            help=f"The arrow: the change since the first check. Validation loss {loss:.4g}; "
            f"the baseline ({data.baseline_label}) scores {data.baseline:.4g}."
            + SKILL * data.metric_name.startswith("skill")
            + (f" {_in_bits(loss)}" if data.task == "chars" else ""),
        )


def _in_bits(ce: float) -> str:
    """A character cross-entropy as bits per character and perplexity."""
    if not math.isfinite(ce):
        return ""
    s = charmodel.in_words(ce)
    return f"{ce:.3f} nats = {s['bpc']:.2f} bits per character, perplexity {s['perplexity']:.1f}."


def chars_words(histories: dict, data: TaskData) -> None:
    """The character task's validation loss in bits and perplexity, and what the window is."""
    lines = [
        f"- **{CELL_NAMES[k]}**: {_in_bits(h.val_loss[-1])}"
        for k, h in histories.items()
        if h.val_loss
    ]
    (a, b), (c, d), (e, f) = data.info["splits"].values()
    explain(
        "**Validation loss** (cross-entropy, CE, in nats; bits per character = CE / ln 2, "
        "perplexity = exp(CE)), latest:\n"
        + "\n".join(lines)
        + f"\n- letter frequencies only: {_in_bits(data.baseline)}\n\n"
        f"Training reads random windows from the first {b - a:,} characters, **each window from "
        f"h₀ = 0**; validation reads the next {d - c:,} the same way; the last {f - e:,} are kept "
        "for testing. Restarting every window is not truncated BPTT, which carries h from one "
        "window into the next: the Unrolled page, with trained weights, compares the two."
    )


def chars_tip() -> str:
    """The page's tip about the character model, with the size of the notes' train part."""
    a, b = trainsets.char_splits(len(datasets.corpus("notes")))["train"]
    return (
        "Character model: press **▶ Train** a few times and read what each network writes. "
        "The validation loss falls below the baseline, then rises again: it memorises the "
        f"{b - a:,} characters it trains on (overfitting)."
    )


def moments(histories: dict, clip: float | None) -> None:
    """Gradient spikes, skipped NaN steps and divergence, counted per cell and kind."""
    lines = []
    for cell, h in histories.items():
        for kind, words in EVENT_WORDS.items():
            found = [e for e in h.events if e.kind == kind]
            if not found:
                continue
            first, last = found[0].step, found[-1].step
            where = f"step {first}" if first == last else f"steps {first}–{last}"
            count = f"{len(found)} × " if len(found) > 1 else ""
            detail = ""
            if kind == "spike":
                top = max(e.value for e in found)
                detail = f", largest ‖g‖ = {top:.3g}"
                detail += f", clipped to θ = {clip:g}" if clip and top > clip else ""
            lines.append(f"- **{CELL_NAMES[cell]}**: {count}{words} ({where}{detail})")
    if not lines:
        hint = "turn clipping off and raise the learning rate" if clip else "raise the lr"
        st.caption(f"No gradient explosions so far. To provoke one, {hint} (plain SGD helps).")
        return
    st.markdown(
        f"**Teaching moments** (▲ a gradient norm over {train.SPIKE_FACTOR:g}× its recent "
        "median, ✖ an overflow)\n" + "\n".join(lines)
    )


@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs=BY_REPR)
def _written(cfg: train.TrainConfig, state: tuple, _run: train.Run, _data: TaskData) -> dict:
    """What each character model writes (160 characters, seeded by the step), sampled once per
    config and training ``state``: ~60 ms a cell, on every rerun otherwise."""
    return {kind: runs.sample_text(c, _data, 160, seed=_run.step) for kind, c in _run.cells.items()}


def _extras(run: train.Run | None, data) -> None:
    """What the trained networks do: write text, forecast, classify."""
    if run is None or not run.step:
        return
    if data.task == "chars":
        st.markdown("**What each model writes after “the ”** (sampled, temperature 0.8)")
        for kind, text in _written(run.cfg, _state(run, "live"), run, data).items():
            st.caption(CELL_NAMES[kind])
            st.code(text, language=None, wrap_lines=True)
    elif data.task == "series" and "years" in data.info:
        info = data.info
        shown = (info["years"], info["values"], runs.forecasts(run), info["cut"])
        alt = figures.forecast_alt(*shown)
        show_figure(figures.forecast(*shown), key="tr_forecast", height=430, alt=alt)
    elif data.task == "reviews":
        texts = data.info["val_texts"][:8]
        rows = {"review": texts, "label": [data.info["classes"][k] for k in data.val.y[:8]]}
        for kind, c in run.cells.items():
            guess = train.outputs(c, data.val, data.where)[:8].argmax(-1)
            rows[CELL_NAMES[kind]] = [data.info["classes"][k] for k in guess]
        st.markdown("**Held-out reviews and each network's guess**")
        st.dataframe(rows, hide_index=True)


def baseline_meaning(data: TaskData) -> str:
    """What going below the baseline shows, per task, with the loss of the best network without
    memory where that is a different number."""
    m = f"{data.memoryless:.3g}" if data.memoryless is not None else ""
    return {
        "adding": "It ignores the input. A network without memory, which sees only the last "
        "step, can do a little better when that step is the marked one (its value + 0.5): "
        f"{m} at this T. Only below that has a network used the past.",
        "copy": "That is 10 ln 8 / (T + 20): what a network scores when it knows when the ten "
        "symbols are due (it has "
        "counted the steps: memory already) but remembers none of them. A network with no "
        f"memory at all, which sees only x_t, scores {m} (dotted). Below the dotted line a "
        "network uses the past (at least to time the recall); only below the dashed one does "
        "it recall symbols.",
        "chars": "The letter frequencies are the best a network without memory can do: below "
        "them it uses the characters before.",
        "series": "That persistence has no memory, yet it is not the best memoryless forecast: "
        f"a·x_t + b fit on the training data scores {m} (dotted). Only below that does a "
        "network show it uses earlier values.",
        "reviews": "Class frequencies ignore the text: below them a network reads the words "
        "(not necessarily their order).",
    }[data.task]


def _say(note: tuple[str, str]) -> None:
    """A run's state in a box of its level (info, warning, error)."""
    level, words = note
    {"info": st.info, "warning": st.warning, "error": st.error}[level](words)


def results(
    cfg: train.TrainConfig, data: TaskData, run: train.Run | None, note: tuple | None = None
) -> None:
    """The student's own run, else the recorded run of the shipped models for these settings;
    ``note`` (level, text) says what the run is (stopped, partly trained, training)."""
    histories, kind = _histories(cfg, run)
    if not histories:
        if note is not None:
            _say(note)
        else:
            st.info(
                "Nothing trained yet with these settings. Press **▶ Train**: the vanilla RNN, "
                "the LSTM and the GRU start from the same seed and see the same batches.",
            )
        return
    figs = _figures(cfg, _state(run, kind), histories, data)
    # the loss chart first, what the run is and its scores beside it (under it on a phone):
    # the chart is the first thing on a projector's screen
    left, right = st.columns([3, 2], gap="large")
    with left:
        alt = figures.loss_curves_alt(histories, data.baseline, data.baseline_label)
        height = main_figure_height(screen.current(), LOSS_HEIGHT)
        show_figure(figs["loss"], key="tr_loss", height=height, alt=alt)
    with right:
        if note is not None:
            _say(note)
        if kind == "recorded":
            steps = max(h.val_step[-1] for h in histories.values())
            st.info(
                f"Recorded when the app's trained models were made (`python -m "
                f"explainer.pretrain`): {steps} steps with exactly these settings. Press "
                "**▶ Train** to watch it live.",
            )
        scoreboard(histories, data)
        if data.task == "chars":
            chars_words(histories, data)
    explain(
        "**Loss on held-out data** (thick) and while training (faint), against the "
        f"**baseline** (dashed, {data.baseline:.3g}): {data.baseline_label}. "
        + baseline_meaning(data)
    )
    moments(histories, cfg.clip)
    left, right = st.columns(2, gap="large")
    with left:
        alt = figures.metric_curves_alt(histories, data.metric_name, data.chance)
        show_figure(figs["metric"], key="tr_metric", height=600, alt=alt)
    with right:
        alt = figures.grad_norms_alt(histories, cfg.clip)
        show_figure(figs["grads"], key="tr_grads", height=600, alt=alt)
    explain(
        "**Left:** the task's score on held-out data. **Right:** the length of the gradient "
        "‖g‖ at every step, before (grey) and after (colour) norm clipping at θ (pink dashed). "
        "Clipping tames explosions; it cannot revive a gradient that vanished."
    )
    _extras(run, data)


@st.cache_resource(show_spinner=False)
def _sweep() -> tuple[dict, dict, dict]:
    """The stored sweep and its figures, read and built once (a missing file is not cached)."""
    s = pretrained.sweep()
    return (
        s,
        figures.sweep(s["results"], s["T"], s["chance"]),
        figures.sweep_steps(s["results"], s["T"], s["protocol"]["max_steps"]),
    )


def protocol(s: dict) -> str:
    """How the sweep trained and scored every point, from the protocol stored with it."""
    p = s["protocol"]
    hs_sd, sd = trainsets.HS_TARGET_SD, trainsets.ADDING_TARGET_SD
    return (
        f"**Protocol.** Each point trains a fresh network (H = {p['hidden_size']}, "
        f"{p['optimizer'].capitalize()} at {p['lr']:g}, clipping at {p['clip']:g}, batches of "
        f"{p['batch_size']}) on the adding problem with sequences of length T, seeds "
        f"{', '.join(map(str, p['seeds']))}, for {sweeps.budget_text(s)}. Every "
        f"{p['eval_every']} steps it is checked on {p['validation_sequences']} fixed "
        f"validation sequences and stops early once {p['solved_fraction']:.0%} of them are "
        f"solved: that step is its **steps to solve**. Then it is scored on "
        f"{p['test_sequences']:,} new test sequences (first chart; the second shows each "
        "seed's steps to solve).\n\n"
        f"A sequence is **solved** when |prediction − (X₁ + X₂)| < {p['tolerance']:g}: the "
        f"|error| < {p['hs_tolerance']:g} of Hochreiter & Schmidhuber (1997) in units of the "
        f"target's spread. Their target 0.5 + (X₁ + X₂)/4 with X ∈ U(−1, 1) has standard "
        f"deviation {hs_sd:.3f}; the sum here, with X ∈ U(0, 1), has {sd:.3f}, so "
        f"{p['hs_tolerance']:g} × {sd:.3f} / {hs_sd:.3f} = {p['tolerance']:g}. Always "
        f"guessing 1 solves {s['chance']:.1%} (dashed), as guessing the mean does in theirs.\n\n"
        "× marks a seed that did not solve within its budget: more steps might. "
        "Computed offline by `python -m explainer.pretrain sweep`, not on this page."
    )


def sweep() -> None:
    """Success rate and steps to solve against T on the adding problem, from the sweep stored
    in assets, with its protocol."""
    try:
        s, fig, steps = _sweep()
    except FileNotFoundError:
        st.info("The sweep results are missing: run `python -m explainer.pretrain sweep`.")
        return
    st.markdown(sweeps.story(s))
    left, right = st.columns(2, gap="large")
    with left:
        alt = figures.sweep_alt(s["results"], s["T"], s["chance"])
        show_figure(fig, key="tr_sweep", height=480, alt=alt)
    with right:
        alt = figures.sweep_steps_alt(s["results"], s["T"])
        show_figure(steps, key="tr_sweep_steps", height=480, alt=alt)
    explain(protocol(s))


def sweep_tip(kind: str = "lstm", T: int = 200) -> str:
    """What the stored sweep says about ``kind`` at ``T``, for the page's "what to try"."""
    try:
        s, _, _ = _sweep()
    except FileNotFoundError:
        return "the sweep of section 4 shows how many steps each cell needs"
    return f"in the sweep of section 4, {sweeps.unsolved_text(s, kind, T)}"
