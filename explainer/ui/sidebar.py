"""The one shared sidebar: input, cell, sizes, seed (and page extras), bound to the URL.

Every control has a key equal to its ``RunConfig`` field and ``bind="query-params"``, so the
address bar is always a deep link to the scene; ``persist_state="session"`` keeps the values
across page switches. Junk values in the URL are removed before the widgets bind, with a
notice in the page saying what was ignored.
"""

from __future__ import annotations

import streamlit as st

from explainer import pretrained
from explainer.cells import ACTIVATIONS, KINDS
from explainer.config import LIMITS, RunConfig
from explainer.initializers import INITS

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
EXTRAS = ("activation", "init", "rho", "forget_bias", "clip")


def _drop_junk_query_params() -> None:
    """Read the URL once per page run, before any widget binds to it; note and drop junk."""
    _, notices = RunConfig.from_query(st.query_params.to_dict())
    fixes = {
        "forget_bias": lambda v: v in FORGET_BIASES or v == "none",
        "clip": lambda v: v in CLIPS or v == "none",
    }
    for key, ok in fixes.items():
        raw = st.query_params.get(key)
        if raw is not None and key not in notices and not ok(raw):
            notices[key] = f"{key}={raw!r} is not one of the offered values; using the default"
    for key, message in notices.items():
        try:
            del st.query_params[key]
        except Exception:  # already bound by an earlier run: streamlit drops it itself
            pass
        st.session_state.setdefault("_url_notices", {})[key] = message


def _input_controls() -> dict:
    source = st.radio(
        "Input sequence",
        list(SOURCE_NAMES),
        captions=list(SOURCE_NAMES.values()),
        key="source",
        **BOUND,
    )
    values = {"source": source}
    if source == "text":
        values["text"] = st.text_area(
            "Text to read, one character per step",
            value=DEFAULT.text,
            max_chars=500,
            key="text",
            help="Any characters, emoji too; each step reads one character.",
            **BOUND,
        )
    elif source == "numbers":
        values["numbers"] = st.text_input(
            "Numbers, one per step", value=DEFAULT.numbers, key="numbers", **BOUND
        )
    else:
        values["seq_len"] = st.slider(
            "Sequence length T", 2, LIMITS["seq_len"][1], DEFAULT.seq_len, key="seq_len", **BOUND
        )
    return values


def _extra_controls(extras: tuple[str, ...], cell: str) -> dict:
    values = {}
    if "activation" in extras and cell == "rnn":
        values["activation"] = st.radio(
            "Activation act", ACTIVATIONS, horizontal=True, key="activation", **BOUND
        )
    if "init" in extras:
        values["init"] = st.selectbox(
            "Initialisation of W_hh", INITS, key="init", help=INIT_HELP, **BOUND
        )
    if "rho" in extras:
        values["rho"] = st.slider(
            "Spectral scale ρ of W_hh",
            0.0,
            4.0,
            DEFAULT.rho,
            0.05,
            key="rho",
            help="Orthogonal and identity: every singular value is ρ. "
            "Gaussian: spectral radius close to ρ, but the largest singular value σ_max, which "
            "the gradient thresholds are about, is near 2ρ (the gradients page shows both for "
            "this run). PyTorch default ignores ρ.",
            **BOUND,
        )
    if "forget_bias" in extras and cell == "lstm":
        fb = st.select_slider(
            "Forget-gate bias b_f",
            FORGET_BIASES,
            value="random",
            key="forget_bias",
            help="'random' keeps PyTorch's draw; 1 is Jozefowicz et al.'s advice.",
            **BOUND,
        )
        values["forget_bias"] = None if fb == "random" else float(fb)
    if "clip" in extras:
        clip = st.select_slider("Clip threshold θ", CLIPS, value="off", key="clip", **BOUND)
        values["clip"] = None if clip == "off" else float(clip)
    return values


def _weights_control(source: str, cell: str, default: str) -> str:
    """The weights select: random, or a pretrained model that reads this input with this cell
    (the model then sets the hidden size, the readout and the vocabulary)."""
    models = {c.name: c for c in pretrained.available(kind=cell, source=source)}
    options = ["random", *models]
    weights = st.selectbox(
        "Weights",
        options,
        index=options.index(default) if default in options else 0,
        key="weights",
        help="Trained models come from `python -m explainer.pretrain` (assets/models).",
        **BOUND,
    )
    if weights != "random":
        card = models[weights]
        st.caption(
            f"{card.title}. Hidden size set by the trained model: H = {card.hidden_size}; "
            "initialisation controls are ignored."
        )
    elif not models:
        st.caption("Trained models read typed text or the adding problem.")
    return weights


def sidebar_config(
    cell: str | None = None, extras: tuple[str, ...] = (), weights_default: str = "random"
) -> RunConfig:
    """Render the shared sidebar and return the scene's config.

    ``cell`` fixes the cell type (the gate pages); otherwise the sidebar offers it.
    ``extras`` names page-specific controls from ``EXTRAS``; ``weights_default`` names the
    pretrained model a page shows first (when it reads the chosen input), else "random".
    """
    _drop_junk_query_params()
    with st.sidebar:
        st.header("Scene")
        values = _input_controls()
        if cell is None:
            cell = st.radio(
                "Cell", KINDS, captions=[CELL_NAMES_LONG[k] for k in KINDS], key="cell", **BOUND
            )
        values["cell"] = cell
        values["weights"] = _weights_control(values["source"], cell, weights_default)
        values["hidden_size"] = st.slider(
            "Hidden units H",
            1,
            LIMITS["hidden_size"][1],
            DEFAULT.hidden_size,
            key="hidden_size",
            disabled=values["weights"] != "random",
            **BOUND,
        )
        values["seed"] = st.number_input(
            "Seed",
            0,
            LIMITS["seed"][1],
            DEFAULT.seed,
            key="seed",
            help="Same seed, same weights and data: a scene is reproducible.",
            **BOUND,
        )
        values.update(_extra_controls(extras, cell))
    for message in st.session_state.pop("_url_notices", {}).values():
        st.warning(f"Ignored a value in the link: {message}.", icon=":material/link_off:")
    return RunConfig(**values)
