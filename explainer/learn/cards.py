"""Flashcards: every glossary term, every gate, every cell equation (with a blank) and the
course's mnemonics, shuffled by a seed, and the spaced order of one study session.

The terms come from ``learn.glossary`` (Home's glossary) and the equations from the cells'
own docstrings (``equations.equations``), so a card says what the app shows and the code runs.
An "again" card comes back after ``AGAIN_GAP`` other cards (a Leitner box within one session).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explainer.cells import GATES
from explainer.equations import equations
from explainer.figures.theme import CELL_NAMES, GATE_NAMES
from explainer.learn.glossary import GLOSSARY

AGAIN_GAP = 3  # an "again" card returns after this many other cards
VERDICTS = ("again", "good")
BLANK = r"\boxed{\;?\;}"


@dataclass(frozen=True)
class Card:
    """One flashcard: ``front`` and ``back`` in markdown, each with an optional LaTeX line;
    ``figure`` names a live mini-figure of ``figures.cards`` shown on the back."""

    id: str
    kind: str  # term, gate, equation or mnemonic
    front: str
    back: str
    front_latex: str | None = None
    back_latex: str | None = None
    figure: str | None = None


# the mini-figure that helps each glossary term (by term)
TERM_FIGURES = {
    "Hidden state": "chain",
    "Unrolling": "chain",
    "Backprop through time (BPTT)": "decay",
    "Gates": "sigmoid",
    "Vanishing / exploding gradients": "decay",
}

GATE_JOBS = {
    "i": "how much of the candidate g to **write** into the cell state (0 = write nothing).",
    "f": "how much of the old cell state $c_{t-1}$ to **keep** (0 = forget it all).",
    "g": "the **candidate**: new content in (−1, 1), proposed for the cell state (not a gate).",
    "o": "how much of tanh($c_{t}$) to **show** as the hidden state $h_{t}$.",
    "r": "how much of the old state the candidate n may **see** (0 = ignore $h_{t-1}$).",
    "z": "in PyTorch's convention, how much of the old state to **keep** (1 − z: take n).",
    "n": "the **candidate** state in (−1, 1), built from $x_{t}$ and the reset old state.",
}

# the symbol each equation card hides, by (cell, left-hand side), and why it is there
BLANKS = {
    ("rnn", "h_t"): (r"\tanh", "tanh squashes the sum into (−1, 1), so h stays bounded."),
    ("lstm", "i_t"): (r"\sigma", "σ keeps every gate in (0, 1): a fraction, not a value."),
    ("lstm", "f_t"): (r"\sigma", "σ keeps every gate in (0, 1): a fraction, not a value."),
    ("lstm", "g_t"): (r"\tanh", "tanh: the candidate is signed content in (−1, 1)."),
    ("lstm", "o_t"): (r"\sigma", "σ keeps every gate in (0, 1): a fraction, not a value."),
    ("lstm", "c_t"): ("f_t", "the forget gate scales what the cell keeps of $c_{t-1}$."),
    ("lstm", "h_t"): ("o_t", "the output gate decides how much of the cell state shows."),
    ("gru", "r_t"): (r"\sigma", "σ keeps every gate in (0, 1): a fraction, not a value."),
    ("gru", "z_t"): (r"\sigma", "σ keeps every gate in (0, 1): a fraction, not a value."),
    ("gru", "n_t"): ("r_t", "the reset gate scales the old state's share of the candidate."),
    ("gru", "h_t"): ("z_t", "z keeps the old state, 1 − z takes the candidate (PyTorch)."),
}

MNEMONICS = (
    Card(
        "mnemonic-fio",
        "mnemonic",
        "**FIO**: which three gates does an LSTM have?",
        "**F**orget, **I**nput, **O**utput: the LSTM's three sigmoid gates, in the order a "
        "step uses them (keep old memory, write new, show some). The candidate g is not a gate; "
        "PyTorch stacks the rows i, f, g, o.",
        figure="sigmoid",
    ),
    Card(
        "mnemonic-hide",
        "mnemonic",
        "**HIDE**: the four parts of one recurrent step?",
        "**H**idden state $h_{t-1}$ (the memory so far), **I**nput $x_{t}$, "
        "**O**utput $y_{t}$ (read from $h_{t}$), state up**D**ate "
        "$h_{t}$ = f($h_{t-1}$, $x_{t}$) with the same weights at every "
        "step.",
        back_latex=r"h_t = f(h_{t-1}, x_t), \qquad y_t = W_{hy} h_t + b_y",
        figure="chain",
    ),
)


def term_cards() -> list[Card]:
    """A card per glossary term: the term on the front, its words and equation behind."""
    return [
        Card(
            f"term-{k}",
            "term",
            f"**{term}**: what is it?",
            words,
            back_latex=eq,
            figure=TERM_FIGURES.get(term),
        )  # fmt: skip
        for k, (term, words, eq) in enumerate(GLOSSARY)
    ]


def gate_cards() -> list[Card]:
    """A card per LSTM and GRU gate (and candidate): what it does, with its equation."""
    out = []
    for kind in ("lstm", "gru"):
        lines = {line.split(" = ", 1)[0]: line for line in equations(kind)}
        for gate in GATES[kind]:
            squash = "tanh" if gate in ("g", "n") else "sigmoid"
            out.append(
                Card(
                    f"gate-{kind}-{gate}",
                    "gate",
                    f"**{CELL_NAMES[kind]}: the {GATE_NAMES[gate]}**. What does it decide?",
                    f"It decides {GATE_JOBS[gate]}",
                    back_latex=lines[f"{gate}_t"],
                    figure=squash,
                )  # fmt: skip
            )
    return out


def blanked(line: str, symbol: str) -> str:
    """The equation's right-hand side with every ``symbol`` replaced by a box."""
    lhs, rhs = line.split(" = ", 1)
    if symbol not in rhs:
        raise ValueError(f"{symbol!r} is not in {line!r}")
    return f"{lhs} = {rhs.replace(symbol, BLANK)}"


def equation_cards() -> list[Card]:
    """A card per line of every cell's equations, one symbol hidden on the front."""
    out = []
    for kind in ("rnn", "lstm", "gru"):
        for line in equations(kind):
            lhs = line.split(" = ", 1)[0]
            symbol, why = BLANKS[(kind, lhs)]
            figure = {r"\tanh": "tanh", "f_t": "forget"}.get(symbol, "sigmoid")
            out.append(
                Card(
                    f"eq-{kind}-{lhs}",
                    "equation",
                    f"**{CELL_NAMES[kind]}**: what goes in the box?",
                    f"${symbol}$: {why}",
                    front_latex=blanked(line, symbol),
                    back_latex=line,
                    figure=figure,
                )  # fmt: skip
            )
    return out


def all_cards() -> list[Card]:
    """Every card, in a fixed order: terms, gates, equations, mnemonics."""
    return [*term_cards(), *gate_cards(), *equation_cards(), *MNEMONICS]


def deck(seed: int) -> tuple[str, ...]:
    """The card ids in the order seed ``seed`` shuffles them."""
    ids = [c.id for c in all_cards()]
    order = np.random.default_rng(seed).permutation(len(ids))
    return tuple(ids[k] for k in order)


def after(queue: tuple[str, ...], verdict: str, gap: int = AGAIN_GAP) -> tuple[str, ...]:
    """The queue once its first card is marked: "good" retires it, "again" puts it back
    after ``gap`` other cards (at the end if fewer are left)."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}, not {verdict!r}")
    if not queue:
        return queue
    head, rest = queue[0], queue[1:]
    return rest if verdict == "good" else (*rest[:gap], head, *rest[gap:])
