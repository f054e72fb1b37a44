r"""A tagging task that needs the future: under every character, say whether a closing
bracket ``)`` comes later in the string. A left-to-right reader can only guess what it has
not read; a bidirectional one has read it.

Strings of letters and spaces; half of them hold one ``)`` at a uniform position. The label
of step t is 1 when a ``)`` sits at some step s > t. The best any left-to-right reader can do
is to say "no" until it has seen the bracket (a bracket not yet seen is ahead with probability
(T-t)/(2T-t) < 1/2), which is right with probability

.. math::
    a^*_t = 1 - P(\text{")" after } t) = 1 - \frac{T - t}{2T}

Tagger: a one-layer cell (one or two directions) and a logistic readout at every step,
:math:`p_t = \sigma(w^\top o_t + b)`, run by the NumPy cells; ``bitrain`` trains it in torch.

References: Schuster & Paliwal 1997 (bidirectional RNNs); Graves & Schmidhuber 2005.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from explainer import bidirectional
from explainer.bidirectional import bi_unroll
from explainer.cells import BiParams, CellParams, sigmoid
from explainer.unroll import unroll

ALPHABET = tuple("abcdefghijklmnopqrstuvwxyz )")
MARK = ")"
V = len(ALPHABET)
T_TRAIN = 20  # length of the training strings
MAX_LEN = 60  # characters a typed string may have
SPACE_RATE = 0.15
DEFAULT_TEXT = "my answer is b) for sure"
# a folder of their own: assets/models/*.json are the cards of the sidebar's models
MODELS = Path(__file__).resolve().parent.parent / "assets" / "models" / "bidirectional"


def sequences(n: int, T: int, seed: int) -> np.ndarray:
    """(n, T) character ids: letters with ~15% spaces; half the rows get one ``)``."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, 26, size=(n, T))
    ids[rng.random((n, T)) < SPACE_RATE] = ALPHABET.index(" ")
    rows = np.flatnonzero(rng.random(n) < 0.5)
    ids[rows, rng.integers(0, T, size=len(rows))] = ALPHABET.index(MARK)
    return ids


def labels(ids: np.ndarray) -> np.ndarray:
    """(..., T) 1.0 where a ``)`` comes at a later step, else 0.0."""
    mark = ids == ALPHABET.index(MARK)
    # marks at s >= t, counted from the right, then shifted one step: strictly later
    later = np.flip(np.cumsum(np.flip(mark, -1), -1), -1)
    ahead = np.zeros(ids.shape, dtype=bool)
    ahead[..., :-1] = later[..., 1:] > 0
    return ahead.astype(np.float64)


def best_left_to_right(T: int) -> np.ndarray:
    """(T,) the best accuracy any left-to-right reader can reach at t = 1..T (see above)."""
    t = np.arange(1, T + 1)
    return 1.0 - (T - t) / (2.0 * T)


def one_hot(ids: np.ndarray) -> np.ndarray:
    """(..., T, V) float64 one-hot rows."""
    return np.eye(V)[ids]


def encode(text: str) -> tuple[np.ndarray, list[str]]:
    """A typed string as ids, with notes on what was changed; ValueError if nothing is left.

    Upper case is lowered, other characters are dropped and the string is cut to MAX_LEN."""
    notes = []
    low = text.lower()
    dropped = sorted({c for c in low if c not in ALPHABET})
    if dropped:
        shown = " ".join(repr(c) for c in dropped[:8])
        notes.append(f"dropped characters the models do not read: {shown}")
    kept = "".join(c for c in low if c in ALPHABET)
    if len(kept) > MAX_LEN:
        notes.append(f"cut the string to its first {MAX_LEN} characters (it had {len(kept)})")
        kept = kept[:MAX_LEN]
    if not kept.strip():
        raise ValueError("the string holds no letter and no ')': type a few words")
    return np.array([ALPHABET.index(c) for c in kept]), notes


@dataclass(frozen=True, eq=False)
class Tagger:
    """A recurrent layer (one or two directions) and a logistic readout at every step."""

    params: CellParams | BiParams
    w: np.ndarray  # (O,) with O = H or 2H
    b: float

    @property
    def bidirectional(self) -> bool:
        return isinstance(self.params, BiParams)

    @property
    def kind(self) -> str:
        return self.params.kind

    @property
    def hidden_size(self) -> int:
        p = self.params.fwd if self.bidirectional else self.params
        return p.hidden_size


def states(m: Tagger, ids: np.ndarray):
    """The run (a ``BiTrace`` or a ``Trace``) and its outputs o_t (T, O)."""
    x = one_hot(ids)
    if m.bidirectional:
        bt = bi_unroll(m.params, x)
        return bt, bt.out
    tr = unroll(m.params, x)
    return tr, tr.h[1:]


def probabilities(m: Tagger, ids: np.ndarray) -> np.ndarray:
    """(T,) p_t = sigmoid(w . o_t + b): the model's belief that a ``)`` is ahead."""
    return sigmoid(states(m, ids)[1] @ m.w + m.b)


def accuracy_by_position(m: Tagger, ids: np.ndarray) -> np.ndarray:
    """(T,) share of rows of ``ids`` (n, T) tagged right at each step (threshold 1/2)."""
    right = [(probabilities(m, row) > 0.5) == (labels(row) > 0.5) for row in ids]
    return np.mean(right, axis=0)


def model_name(kind: str, bidirectional: bool) -> str:
    return f"future-{kind}-{'bi' if bidirectional else 'uni'}"


def _direction(f: dict, kind: str, prefix: str) -> CellParams:
    return CellParams(kind, *(f[prefix + n] for n in ("W_ih", "W_hh", "b_ih", "b_hh")))


@lru_cache(maxsize=8)
def shipped(kind: str, bidirectional: bool) -> tuple[Tagger, dict]:
    """The pretrained tagger shipped in assets/models, and its card (safetensors, no pickle)."""
    from safetensors.numpy import load_file

    name = model_name(kind, bidirectional)
    f = {k: v.astype(np.float64) for k, v in load_file(MODELS / f"{name}.safetensors").items()}
    fwd = _direction(f, kind, "fwd.")
    params = BiParams(fwd, _direction(f, kind, "bwd.")) if bidirectional else fwd
    card = json.loads((MODELS / f"{name}.json").read_text())
    return Tagger(params, f["w"], float(f["b"][0])), card


@dataclass(frozen=True, eq=False)
class Reading:
    """What both taggers make of one string: beliefs, states and reach, in the input's order."""

    chars: list[str]
    ids: np.ndarray  # (T,)
    truth: np.ndarray  # (T,) 1.0 where a ')' comes later
    runs: dict  # {"uni": Trace, "bi": BiTrace}
    beliefs: dict  # {"uni": (T,), "bi": (T,)} P(a ')' comes later)
    reach: dict  # {"uni": (T, T), "bi": (T, T)} ||do_t/dx_s||, row t-1, column s-1


def read(taggers: dict, ids: np.ndarray) -> Reading:
    """Run the one-way and the bidirectional tagger over ``ids`` and record everything."""
    runs, beliefs, reach = {}, {}, {}
    for k in ("uni", "bi"):
        m = taggers[k]
        runs[k], out = states(m, ids)
        beliefs[k] = sigmoid(out @ m.w + m.b)
        if m.bidirectional:
            J = bidirectional.bi_input_jacobians(m.params, runs[k])
        else:
            J = bidirectional.input_jacobians(m.params, runs[k])
        reach[k] = bidirectional.reach(J)
    chars = [ALPHABET[k] for k in ids]
    return Reading(chars, ids, labels(ids), runs, beliefs, reach)
