"""Build the run a ``RunConfig`` describes: input sequence, weights, readout and ``Trace``.

Each input source comes with the target a readout is scored against, so the gradient pages
can show ``dL/dh_t`` for a real loss: next character (text), next value (numbers, sine), the
sum of the two marked values (adding), the recalled symbols (copy).

With ``cfg.weights`` naming a pretrained model (assets/models), the model decides the cell,
the hidden size, the readout and how typed text is encoded (its own vocabulary).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from explainer import pretrained, tasks
from explainer.cells import CellParams
from explainer.config import RunConfig
from explainer.initializers import init_params
from explainer.trace import Readout, Trace
from explainer.unroll import unroll


@dataclass(frozen=True, eq=False)
class Sequence:
    """An input sequence with its per-step labels and the readout's target."""

    x: np.ndarray  # (T, D)
    labels: tuple[str, ...]  # what x_t shows, one per step
    target: np.ndarray  # (T,) ids, (T, 1) values, or (1,) for a last-step target
    loss: str  # "xent" or "mse"
    where: str  # "every" or "last"
    output_labels: tuple[str, ...]  # one per readout output
    notices: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Scene:
    """Everything one page shows, computed once from a config."""

    cfg: RunConfig
    seq: Sequence
    params: CellParams
    readout: Readout
    trace: Trace


VISIBLE = {" ": "␣", "\n": "⏎", "\t": "⇥"}
# invisible characters: controls, formats (zero-width joiner ...), private use, unassigned
HIDDEN = frozenset({"Cc", "Cf", "Co", "Cn", "Zl", "Zp"})


def show_char(ch: str) -> str:
    """How a chart label (and every other place that prints the sequence) shows character
    ``ch``: whitespace as a visible symbol; a character outside Unicode's Basic Multilingual
    Plane (emoji: a projector laptop without an emoji font draws an empty box), a variation
    selector or an invisible character as its code point, "U+1F600"."""
    if ch in VISIBLE:
        return VISIBLE[ch]
    code = ord(ch)
    if code > 0xFFFF or 0xFE00 <= code <= 0xFE0F or unicodedata.category(ch) in HIDDEN:
        return f"U+{code:04X}"
    return ch


def make_sequence(cfg: RunConfig) -> Sequence:
    """The input for ``cfg.source``; raises ValueError with a readable message on bad input."""
    if cfg.source == "text":
        return text_sequence(tasks.encode_text(cfg.text))
    if cfg.source in ("numbers", "sine"):
        if cfg.source == "numbers":
            v = tasks.parse_numbers(cfg.numbers)
        else:
            v = tasks.sine(cfg.seq_len, cfg.seed)
        if len(v) < 2:
            raise ValueError("type at least two numbers: each step predicts the next one")
        labels = tuple(f"{a:.2g}" for a in v[:-1, 0])
        return Sequence(v[:-1], labels, v[1:], "mse", "every", ("next value",))
    if cfg.source == "adding":
        x, y = tasks.adding(max(cfg.seq_len, 2), 1, cfg.seed)
        labels = tuple(f"{v:.2f}" + ("*" if m else "") for v, m in x[0])
        return Sequence(x[0], labels, y, "mse", "last", ("sum",))
    if cfg.source == "copy":
        ids, target = tasks.copy_task(cfg.seq_len, 1, cfg.seed)
        names = ("·",) + tuple(str(k) for k in range(1, tasks.COPY_CATEGORIES + 1)) + (":",)
        labels = tuple(names[k] for k in ids[0])
        return Sequence(
            tasks.one_hot(ids[0], tasks.COPY_VOCAB), labels, target[0], "xent", "every", names
        )
    raise ValueError(f"unknown input source {cfg.source!r}")


def text_sequence(enc: tasks.TextEncoding) -> Sequence:
    """Read characters 1..T-1 of an encoded text; each step's target is the next character."""
    notes = (f"the text was cut to its first {len(enc.text)} characters",) if enc.truncated else ()
    vocab = tuple(show_char(ch) for ch in enc.vocab)
    labels = tuple(show_char(ch) for ch in enc.text[:-1])
    return Sequence(enc.x[:-1], labels, enc.ids[1:], "xent", "every", vocab, notes)


def make_params(cfg: RunConfig, input_size: int) -> CellParams:
    """Random weights as ``cfg`` asks (trained weights come from ``pretrained_scene``)."""
    return init_params(
        cfg.cell,
        input_size,
        cfg.hidden_size,
        nonlinearity=cfg.activation,
        init=cfg.init,
        rho=cfg.rho,
        forget_bias=cfg.forget_bias,
        seed=cfg.seed,
    )


def make_readout(hidden_size: int, n_out: int, seed: int) -> Readout:
    """A random readout, drawn like ``torch.nn.Linear``'s default (bias zero)."""
    rng = np.random.default_rng([seed, 1])
    k = 1.0 / np.sqrt(hidden_size)
    return Readout(rng.uniform(-k, k, (n_out, hidden_size)), np.zeros(n_out))


def make_scene(
    cfg: RunConfig, params: CellParams | None = None, readout: Readout | None = None
) -> Scene:
    """Input, weights, readout and the unrolled trace for one config."""
    if cfg.weights != "random" and params is None:
        return pretrained_scene(cfg)
    seq = make_sequence(cfg)
    params = params if params is not None else make_params(cfg, seq.x.shape[1])
    if readout is None:
        readout = make_readout(params.hidden_size, len(seq.output_labels), cfg.seed)
    return Scene(cfg, seq, params, readout, unroll(params, seq.x, readout=readout))


SOURCE_WORDS = {"text": "typed text", "adding": "the adding problem"}


def pretrained_scene(cfg: RunConfig) -> Scene:
    """The scene for a trained model: its weights, its readout, and the input it was trained
    to read (typed text in its own vocabulary, or an adding sequence of ``cfg.seq_len``)."""
    model = pretrained.load(cfg.weights)
    card = model.card
    if cfg.source != card.source:
        raise ValueError(
            f"the trained model {card.name} reads {SOURCE_WORDS.get(card.source, card.source)}; "
            "choose that input sequence or random weights"
        )
    seq = text_sequence(pretrained.encode(model, cfg.text)) if card.task == "chars" else None
    seq = seq or make_sequence(cfg)
    # the model decides the cell and its size
    cfg = cfg.with_(cell=card.kind, hidden_size=card.hidden_size, activation="tanh")
    trace = unroll(model.params, seq.x, readout=model.readout)
    return Scene(cfg, seq, model.params, model.readout, trace)
