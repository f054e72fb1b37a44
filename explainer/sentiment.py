r"""The classic LSTM sentiment classifier, one stage at a time, in NumPy: tokenise, look words
up in a vocabulary, pad or truncate to a length (with a mask), embed, run an LSTM, and read a
verdict through a sigmoid after every word.

.. math::
    e_t = E[\text{id}_t], \qquad h_t = \text{LSTM}(e_t, h_{t-1}), \qquad
    p_t = \sigma(w^\top h_t + b)

Masking: a padded step must not update the state, :math:`h_t = m_t\,\text{LSTM}(e_t, h_{t-1})
+ (1 - m_t)\,h_{t-1}`; unmasked, the padding is read like words and moves the verdict.

Word contributions: occlusion (the verdict without the word minus the verdict with it, negated)
and gradient x input, :math:`\sum_k e_{t,k}\,\partial z / \partial e_{t,k}` on the logit
:math:`z = w^\top h_T + b` (Shrikumar et al. 2016; Zeiler & Fergus 2014 for occlusion).

References: Hochreiter & Schmidhuber 1997; PyTorch docs for torch.nn.Embedding
(``padding_idx``), torch.nn.LSTM and torch.nn.utils.rnn.pad_sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from explainer.cells import CellParams, sigmoid
from explainer.gradients import backward
from explainer.trace import Trace
from explainer.unroll import unroll

PAD, UNK = "<pad>", "<unk>"
MAX_CHARS = 50_000  # a pasted essay is read up to here
# the six short reviews this page opens on, in the style of the textbook cheat sheet
SIX = (
    ("I loved this film, the acting was brilliant.", 1),
    ("What a boring film, the plot was terrible.", 0),
    ("A wonderful story with great music.", 1),
    ("The jokes are stupid and the ending is awful.", 0),
    ("The best film I have seen this year.", 1),
    ("I hated it, the cast was weak and dull.", 0),
)


def tokens(text: str) -> list[str]:
    """Lower-case words (letters, digits, apostrophes); punctuation is dropped."""
    return re.findall(r"[a-z0-9']+", text[:MAX_CHARS].lower())


def build_vocab(texts, min_count: int = 2) -> tuple[str, ...]:
    """``<pad>`` (id 0), ``<unk>`` (id 1), then the words of ``texts`` seen at least
    ``min_count`` times, most frequent first (rarer ones train ``<unk>``)."""
    counts: dict[str, int] = {}
    for t in texts:
        for w in tokens(t):
            counts[w] = counts.get(w, 0) + 1
    kept = [w for w in counts if counts[w] >= min_count]
    return (PAD, UNK, *sorted(kept, key=lambda w: (-counts[w], w)))


def to_ids(words: list[str], vocab: tuple[str, ...]) -> np.ndarray:
    """(n,) ids; a word outside the vocabulary becomes ``<unk>`` (1)."""
    index = {w: k for k, w in enumerate(vocab)}
    return np.array([index.get(w, 1) for w in words], dtype=np.int64)


def pad(ids: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut to the first ``length`` ids, or pad with 0 after them; returns (ids, mask) (L,)."""
    kept = ids[:length]
    out = np.zeros(length, dtype=np.int64)
    out[: len(kept)] = kept
    mask = np.arange(length) < len(kept)
    return out, mask


@dataclass(frozen=True, eq=False)
class Model:
    """Embedding (V, E) with row 0 for ``<pad>``, one LSTM layer, a logistic readout."""

    vocab: tuple[str, ...]
    E: np.ndarray  # (V, E)
    lstm: CellParams
    w: np.ndarray  # (H,)
    b: float


@dataclass(frozen=True, eq=False)
class Read:
    """One padded review read by the model: the run and the verdict after every step."""

    ids: np.ndarray  # (L,)
    mask: np.ndarray  # (L,)
    trace: Trace  # over the steps the model read (the real ones when masked, all L if not)
    p: np.ndarray  # (L,) p_t; a masked model's verdict stays put on padded steps

    @property
    def verdict(self) -> float:
        return float(self.p[-1])


def read(m: Model, ids: np.ndarray, mask: np.ndarray, masked: bool = True) -> Read:
    """Run the model over a padded review; masked, the padded steps leave the state alone."""
    n = int(mask.sum()) if masked else len(ids)
    if n == 0:
        raise ValueError("the review has no words to read")
    tr = unroll(m.lstm, m.E[ids[:n]])
    p_read = sigmoid(tr.h[1:] @ m.w + m.b)
    # a padded step copies the state, so the verdict stays where the last word left it
    p = np.concatenate([p_read, np.full(len(ids) - n, p_read[-1])])
    return Read(ids, mask, tr, p)


def logit_gradient(m: Model, tr: Trace) -> np.ndarray:
    """(T, E) dz/de_t of the last logit z = w . h_T + b, by the hand-written BPTT."""
    dh = np.zeros_like(tr.h)
    dh[-1] = m.w
    return backward(m.lstm, tr, dh).dx


def loss_gradients(m: Model, ids: np.ndarray, y: float) -> dict[str, np.ndarray]:
    """Gradients of the binary cross-entropy of the verdict on the real words ``ids`` (n,):
    the embedding (V, E), the LSTM's weights, w and b (what torch's autograd gives)."""
    tr = unroll(m.lstm, m.E[ids])
    p = float(sigmoid(tr.h[-1] @ m.w + m.b))
    dz = p - y  # d BCE / d logit
    dh = np.zeros_like(tr.h)
    dh[-1] = dz * m.w
    g = backward(m.lstm, tr, dh)
    dE = np.zeros_like(m.E)
    np.add.at(dE, ids, g.dx)
    return {"E": dE, "W_ih": g.W_ih, "W_hh": g.W_hh, "b_ih": g.b_ih, "b_hh": g.b_hh,
            "w": dz * tr.h[-1], "b": np.array(dz)}  # fmt: skip


def contributions(m: Model, ids: np.ndarray) -> dict[str, np.ndarray]:
    """(n,) per real word: ``occlusion`` = verdict with the word minus verdict without it, and
    ``grad_x_input`` = e_t . dz/de_t on the logit."""
    full = read(m, ids, np.ones(len(ids), dtype=bool))
    without = []
    for k in range(len(ids)):
        rest = np.delete(ids, k)
        without.append(full.verdict if len(rest) == 0 else
                       read(m, rest, np.ones(len(rest), dtype=bool)).verdict)  # fmt: skip
    occ = full.verdict - np.array(without)
    if len(ids) == 1:  # nothing left without the only word: compare with the bias alone
        occ = np.array([full.verdict - float(sigmoid(m.b))])
    gxi = (logit_gradient(m, full.trace) * m.E[ids]).sum(axis=1)
    return {"occlusion": occ, "grad_x_input": gxi}


def projection(m: Model) -> tuple[np.ndarray, np.ndarray]:
    """2-D coordinates of every word's embedding (rows 2.. of E: no pad, no unk) on its top
    two principal components, and the share of variance each explains."""
    X = m.E[2:] - m.E[2:].mean(axis=0)
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    coords = X @ Vt[:2].T
    # a fixed sign, so the picture does not flip between runs
    coords *= np.sign(coords[np.argmax(np.abs(coords), axis=0), [0, 1]])
    return coords, (S[:2] ** 2) / (S**2).sum()


def word_verdicts(m: Model) -> np.ndarray:
    """(V-2,) the verdict on each word read alone (rows 2.. of the vocabulary)."""
    out = []
    for k in range(2, len(m.vocab)):
        out.append(read(m, np.array([k]), np.array([True])).verdict)
    return np.array(out)
