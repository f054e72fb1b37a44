"""Scoring a character model with the NumPy cells: cross-entropy with the hidden state carried
through a text or restarted from h_0 = 0 every window, in bits per character and perplexity;
what the sampling temperature does to the next-character guess; text written free-running.

References: Williams & Peng 1990 (truncated BPTT); Bengio et al. 2015, arXiv:1506.03099
(teacher forcing, exposure bias); Graves 2013, arXiv:1308.0850 (bits per character);
Hinton, Vinyals & Dean 2015 (softmax temperature).
"""

from __future__ import annotations

import math

import numpy as np

from explainer.cells import STEPS, CellParams
from explainer.trace import Readout
from explainer.unroll import unroll


def bits_per_char(ce: float) -> float:
    """Cross-entropy in nats per character as bits per character: CE / ln 2."""
    return ce / math.log(2)


def perplexity(ce: float) -> float:
    """exp(CE): the number of equally likely characters that would be as surprising."""
    return math.exp(ce) if ce < 700 else math.inf


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """softmax(logits / temperature) along the last axis; rows with inf/NaN come out NaN
    instead of raising."""
    z = np.asarray(logits, dtype=np.float64) / max(temperature, 1e-3)
    with np.errstate(invalid="ignore", over="ignore"):
        z = np.exp(z - z.max(axis=-1, keepdims=True))
        return z / z.sum(axis=-1, keepdims=True)


def xent(logits: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Cross-entropy (nats) of each target id under each row of logits."""
    z = logits - logits.max(axis=1, keepdims=True)
    return np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(ids)), ids]


def logits(p: CellParams, ro: Readout, x: np.ndarray, window: int | None = None) -> np.ndarray:
    """The guesses for characters 2..T of one-hot text ``x`` (T, V): read in one pass, the state
    carried along (``window`` None), or in windows of ``window`` steps that each start from
    h_0 = 0. Either way every character after the first is guessed exactly once."""
    if window is None:
        return unroll(p, x[:-1], readout=ro).y
    n = len(x) - 1  # the last character is only a target
    return np.concatenate(
        [unroll(p, x[k : min(k + window, n)], readout=ro).y for k in range(0, n, window)]
    )


def score(
    p: CellParams, ro: Readout, x: np.ndarray, ids: np.ndarray, window: int | None = None
) -> dict[str, float]:
    """Mean cross-entropy (nats) and top-1 accuracy of the next-character guesses (see
    ``logits``)."""
    out = logits(p, ro, x, window)
    return {
        "loss": float(xent(out, ids[1:]).mean()),
        "accuracy": float(np.mean(out.argmax(axis=1) == ids[1:])),
    }


def temperature_effect(logits: np.ndarray, temperature: float) -> dict[str, float]:
    """What sampling at ``temperature`` does, averaged over the steps: the entropy of the
    next-character distribution (bits) and the probability of its top guess."""
    q = softmax(logits, temperature)
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = -np.where(q > 0, q * np.log2(q), 0.0).sum(axis=-1)
    return {"entropy_bits": float(ent.mean()), "top_p": float(q.max(axis=-1).mean())}


def free_run(
    p: CellParams, ro: Readout, prime: np.ndarray, n: int, temperature: float, seed: int
) -> np.ndarray:
    """Ids of ``n`` characters the model writes after the one-hot ``prime`` (P, V), each fed
    back as the next input; temperature 0 takes the top guess every time (greedy)."""
    V, step = ro.W_hy.shape[0], STEPS[p.kind]
    rng = np.random.default_rng(seed)
    h, c = np.zeros(p.hidden_size), np.zeros(p.hidden_size)
    out = []
    x = list(prime)
    for t in range(len(prime) + n - 1):
        rec = step(p, x[t], h, c) if p.kind == "lstm" else step(p, x[t], h)
        h, c = rec["h"], rec.get("c", c)
        if t < len(prime) - 1:
            continue  # still reading the prime (teacher forced)
        y = h @ ro.W_hy.T + ro.b_y
        k = int(y.argmax()) if temperature <= 0 else int(rng.choice(V, p=softmax(y, temperature)))
        out.append(k)
        x.append(np.eye(V)[k])
    return np.array(out, dtype=int)
