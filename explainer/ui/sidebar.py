"""The one shared sidebar: input, cell, sizes, seed (and page extras), bound to the URL.

Every control has a key equal to its ``RunConfig`` field and ``bind="query-params"``, so the
address bar is always a deep link to the scene; ``persist_state="session"`` and
``links.keep`` keep the values across page switches. Link values a control cannot take as
written are replaced before the controls bind (``links.clean``, one rule for every control),
with a notice in the page naming the value used.
"""

from __future__ import annotations

import math

import streamlit as st

from explainer import pretrained
from explainer.cells import ACTIVATIONS, KINDS
from explainer.config import LIMITS, MAX_TEXT, LinkField, RunConfig, read_link
from explainer.initializers import INITS
from explainer.ui import links

DEFAULT = RunConfig()
BOUND = dict(bind="query-params", persist_state="session")
# bound radios and selects write their displayed option into the URL, so the options are the
# RunConfig values themselves and the plain-words names go in captions and help
SOURCE_NAMES = {
    "text": "your text, one character per step",
    "numbers": "your numbers, one per step",
    "sine": "a noisy sine wave",
    "adding": "adding problem: sum the two marked values",
    "copy": "copy task: recall 10 symbols after a delay",
}
CELL_NAMES_LONG = {
    "rnn": "vanilla (Elman) RNN",
    "lstm": "long short-term memory",
    "gru": "gated recurrent unit",
}
INIT_HELP = (
    "pytorch: PyTorch's default uniform draw (ignores ρ). gaussian: entries N(0, ρ²/H). "
    "orthogonal: ρ Q with Q orthogonal. identity: ρ I (IRNN, Le et al. 2015)."
)
FORGET_BIASES = ["random"] + [f"{b:g}" for b in range(-5, 6)]
CLIPS = ["off", "0.1", "0.5", "1", "2", "5", "10"]
EXTRAS = ("activation", "init", "rho", "forget_bias", "clip", "sampling")
# what each control is called where the sidebar says it does not apply to trained weights
UNUSED_NAMES = {
    "seed": "the seed",
    "activation": "the activation",
    "init": "the initialisation",
    "rho": "ρ",
    "forget_bias": "the forget bias",
}


# the controls' ranges (also what a link may ask for)
H_RANGE = (1, LIMITS["hidden_size"][1])
T_RANGE = (2, LIMITS["seq_len"][1])
RHO_RANGE = (0.0, 4.0)
CURSOR_DEFAULT = 5  # the step a page opens at (view.time_cursor), when T allows


def link_fields(cell: str | None, extras: tuple[str, ...]) -> dict[str, LinkField]:
    """What each control of this sidebar accepts from a link."""
    fields = {
        "source": LinkField(DEFAULT.source, choices=tuple(SOURCE_NAMES)),
        "text": LinkField(DEFAULT.text, max_len=MAX_TEXT),
        "seq_len": LinkField(DEFAULT.seq_len, *T_RANGE, whole=True),
        "hidden_size": LinkField(DEFAULT.hidden_size, *H_RANGE, whole=True),
        "seed": LinkField(DEFAULT.seed, *LIMITS["seed"], whole=True),
        # no upper end here: view._bounded moves t and unit into the run's range, and says so
        "t": LinkField(CURSOR_DEFAULT, 1, math.inf, whole=True),
        "unit": LinkField(0, 0, math.inf, whole=True),
    }
    if cell is None:
        fields["cell"] = LinkField(DEFAULT.cell, choices=KINDS)
    choices = {
        "activation": LinkField(DEFAULT.activation, choices=ACTIVATIONS),
        "init": LinkField(DEFAULT.init, choices=INITS),
        "rho": LinkField(DEFAULT.rho, *RHO_RANGE),
        "forget_bias": LinkField("random", choices=tuple(FORGET_BIASES)),
        "clip": LinkField("off", choices=tuple(CLIPS)),
    }
    return fields | {k: choices[k] for k in extras if k in choices}


def take_link(query: dict) -> None:
    """A lecture arrived at a scene: every control takes the link's value, or its default where
    the link has none (the session's values, kept across page switches, would win otherwise),
    and t and the unit are read from the link again (``view._bounded``)."""
    fields = link_fields(None, EXTRAS)
    for key in ("t", "unit"):
        fields.pop(key)
        st.session_state.pop(key, None)
    fields["numbers"] = LinkField(DEFAULT.numbers, max_len=MAX_TEXT)
    for key, spec in fields.items():
        raw = query.get(key)
        value = spec.default if raw is None else read_link(str(raw), spec)[0]
        st.session_state[key] = spec.cast(value) if spec.cast else value
    if "weights" in query:  # checked by the weights control against this page's models
        st.session_state["weights"] = str(query["weights"])
    else:  # the page's own default
        st.session_state.pop("weights", None)


def _bound(key: str, default) -> dict:
    """A control's key and URL binding, with the session's value handed over after a page
    switch (``links.keep``)."""
    links.keep(key, default)
    return dict(key=key, **BOUND)


def _cut_text() -> None:
    """A text typed or pasted past the limit is cut to it, with a note (never kept silently
    at its old value)."""
    text = st.session_state.get("text") or ""
    if len(text) > MAX_TEXT:
        st.session_state["text"] = text[:MAX_TEXT]
        st.session_state["_text_cut"] = (
            f"Your text has {len(text)} characters and a page reads at most {MAX_TEXT}: it was "
            f"cut to its first {MAX_TEXT}, which end in “{text[MAX_TEXT - 12 : MAX_TEXT]}”"
        )


def _input_controls() -> dict:
    source = st.radio(
        "Input sequence",
        list(SOURCE_NAMES),
        captions=list(SOURCE_NAMES.values()),
        **_bound("source", DEFAULT.source),
    )
    values = {"source": source}
    if source == "text":
        # no max_chars: the browser would refuse a longer paste without a word; it is cut
        text = st.text_area(
            "Text to read, one character per step",
            value=DEFAULT.text,
            help=f"Any characters, emoji too; each step reads one character. Up to {MAX_TEXT} "
            "characters: a longer text is cut, with a note.",
            on_change=_cut_text,
            **_bound("text", DEFAULT.text),
        )
        values["text"] = text[:MAX_TEXT]
    elif source == "numbers":
        values["numbers"] = st.text_input(
            "Numbers, one per step", value=DEFAULT.numbers, **_bound("numbers", DEFAULT.numbers)
        )
    else:
        values["seq_len"] = st.slider(
            "Sequence length T", *T_RANGE, DEFAULT.seq_len, **_bound("seq_len", DEFAULT.seq_len)
        )
    return values


def _extra_controls(extras: tuple[str, ...], cell: str) -> dict:
    values = {}
    if "activation" in extras and cell == "rnn":
        values["activation"] = st.radio(
            "Activation act", ACTIVATIONS, horizontal=True, **_bound("activation", "tanh")
        )
    if "init" in extras:
        values["init"] = st.selectbox(
            "Initialisation of W_hh", INITS, help=INIT_HELP, **_bound("init", DEFAULT.init)
        )
    if "rho" in extras:
        values["rho"] = st.slider(
            "Spectral scale ρ of W_hh",
            *RHO_RANGE,
            DEFAULT.rho,
            0.05,
            help="Orthogonal and identity: every singular value is ρ. "
            "Gaussian: spectral radius close to ρ, but the largest singular value σ_max, which "
            "the gradient thresholds are about, is near 2ρ (the gradients page shows both for "
            "this run). PyTorch default ignores ρ.",
            **_bound("rho", DEFAULT.rho),
        )
    if "forget_bias" in extras and cell == "lstm":
        fb = st.select_slider(
            "Forget-gate bias b_f",
            FORGET_BIASES,
            value="random",
            help="'random' keeps PyTorch's draw; 1 is Jozefowicz et al.'s advice.",
            **_bound("forget_bias", "random"),
        )
        values["forget_bias"] = None if fb == "random" else float(fb)
    if "clip" in extras:
        clip = st.select_slider("Clip threshold θ", CLIPS, value="off", **_bound("clip", "off"))
        values["clip"] = None if clip == "off" else float(clip)
    return values


def _weights_control(source: str, cell: str, default: str) -> str:
    """The weights select: random, or a pretrained model that reads this input with this cell
    (the model then sets the hidden size, the readout and the vocabulary)."""
    models = {c.name: c for c in pretrained.available(kind=cell, source=source)}
    options = ["random", *models]
    first = default if default in options else "random"
    raw = st.query_params.get("weights")
    if raw is not None and raw not in options:  # streamlit drops it and shows the first
        trained = ", ".join(models) or "none"
        links.note(
            "weights",
            f"weights={raw[:40]!r} is not a trained {cell.upper()} for this input (those are: "
            f"{trained}); using {first}",
        )
    # a trained model chosen before carries over where it reads this input; "random" never
    # replaces a page's own trained default
    if st.session_state.get("weights") in models:
        links.keep("weights", first)
    weights = st.selectbox(
        "Weights",
        options,
        index=options.index(first),
        key="weights",
        help="Trained models come from `python -m explainer.pretrain` (assets/models).",
        **BOUND,
    )
    if weights == "random" and not models:
        st.caption("Trained models read typed text or the adding problem.")
    return weights


def _unused(card, source: str, cell: str, extras: tuple[str, ...]) -> list[str]:
    """Controls that cannot change a run with these trained weights: everything that only
    shapes random weights, and the seed unless it draws the input (generated sequences) or the
    page's samples (``"sampling"``)."""
    unused = [] if source != "text" or "sampling" in extras else ["seed"]
    unused += [k for k in ("init", "rho") if k in extras]
    if cell == "rnn" and "activation" in extras:
        unused.append("activation")
    if cell == "lstm" and "forget_bias" in extras:
        unused.append("forget_bias")
    return unused


def _hold(keys: list[str]) -> None:
    """Link values of controls a page does not show (they do not apply here) are kept in the
    session, for the next page where they do (``links.clean`` checked them)."""
    fields = link_fields(None, EXTRAS)
    for key in keys:
        raw = st.query_params.get(key)
        if raw is not None and key not in st.session_state:
            st.session_state[key] = read_link(raw, fields[key])[0]


def _trained_settings(card, unused: list[str]) -> None:
    """The model's own H on a disabled slider, and one line on what does not apply."""
    st.slider("Hidden units H", *H_RANGE, card.hidden_size, disabled=True, key="trained_H",
              help="Set by the trained model: its weights were learned at this size.")  # fmt: skip
    names = [UNUSED_NAMES[k] for k in unused]
    hidden = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
    st.caption(
        f"{card.title}: trained at H = {card.hidden_size}."
        + (
            f" {hidden.capitalize()} only shape{'s' * (len(names) == 1)} random weights: "
            "hidden here."
            if names
            else ""
        )  # fmt: skip
    )


def sidebar_config(
    cell: str | None = None, extras: tuple[str, ...] = (), weights_default: str = "random"
) -> RunConfig:
    """Render the shared sidebar and return the scene's config.

    ``cell`` fixes the cell type (the gate pages); otherwise the sidebar offers it.
    ``extras`` names page-specific controls from ``EXTRAS``; ``weights_default`` names the
    pretrained model a page shows first (when it reads the chosen input), else "random".
    """
    links.clean(link_fields(cell, extras))
    with st.sidebar:
        st.header("Scene")
        values = _input_controls()
        if cell is None:
            cell = st.radio(
                "Cell",
                KINDS,
                captions=[CELL_NAMES_LONG[k] for k in KINDS],
                **_bound("cell", DEFAULT.cell),
            )
        values["cell"] = cell
        values["weights"] = _weights_control(values["source"], cell, weights_default)
        card = pretrained.cards().get(values["weights"])
        unused = _unused(card, values["source"], cell, extras) if card else []
        if card:
            _hold(["hidden_size", *unused])
            _trained_settings(card, unused)
            values["hidden_size"] = card.hidden_size
        else:
            values["hidden_size"] = st.slider(
                "Hidden units H",
                *H_RANGE,
                DEFAULT.hidden_size,
                **_bound("hidden_size", DEFAULT.hidden_size),
            )
        if "seed" in unused:  # kept for the next page, where it may apply
            values["seed"] = int(st.session_state.get("seed", DEFAULT.seed))
        else:
            values["seed"] = st.number_input(
                "Seed",
                *LIMITS["seed"],
                DEFAULT.seed,
                help="Same seed, same weights and data: a scene is reproducible."
                + (" With trained weights it draws the input or the sampled text." if card else ""),
                **_bound("seed", DEFAULT.seed),
            )
        values.update(_extra_controls(tuple(e for e in extras if e not in unused), cell))
    links.show_notices()
    cut = links.kept_for_a_screen_report("_text_cut")
    if cut:
        st.info(f"Note: {cut}.", icon=":material/content_cut:")
    return RunConfig(**values)
