"""The sequence-to-sequence task: reverse a short string of digits ("4071" -> "1704").

Tokens: the ten digits, plus ``START`` (the decoder's first input) and ``END`` (the decoder's
last output, so it says when it is done). Encoder inputs are one-hot digits (D = 10); decoder
inputs are one-hot over the digits and ``START`` (11); the decoder's outputs range over the
digits and ``END`` (11 classes). Reversal is the order Sutskever et al. found easiest (the last
digit read is the first written), so what fails on long strings is the memory, not the order.

References: Sutskever, Vinyals & Le 2014, arXiv:1409.3215 (reversing the source helps);
Zaremba & Sutskever 2014, arXiv:1410.4615 (learning to execute: digit tasks).
"""

from __future__ import annotations

import numpy as np

DIGITS = "0123456789"
START = len(DIGITS)  # decoder input id of the start token
END = len(DIGITS)  # decoder output id of the end token
N_IN, N_DEC_IN, N_OUT = len(DIGITS), len(DIGITS) + 1, len(DIGITS) + 1
OUT_LABELS = (*DIGITS, "end")
DEC_IN_LABELS = (*DIGITS, "start")
MAX_TYPED = 16  # longest string a student may type


def one_hot(ids, n: int) -> np.ndarray:
    """(len(ids), n) float64 rows with a single 1 each."""
    ids = np.asarray(ids, dtype=int)
    out = np.zeros((len(ids), n))
    out[np.arange(len(ids)), ids] = 1.0
    return out


def target(digits: np.ndarray) -> np.ndarray:
    """What the decoder must write: the digits reversed, then ``END`` (n + 1 ids)."""
    return np.concatenate([np.asarray(digits, dtype=int)[::-1], [END]])


def teacher_inputs(tgt: np.ndarray) -> np.ndarray:
    """Decoder inputs under teacher forcing: ``START``, then the true previous outputs."""
    return np.concatenate([[START], np.asarray(tgt, dtype=int)[:-1]])


def parse(text: str) -> np.ndarray:
    """A typed string of digits as ids; a ValueError says exactly what is wrong with it."""
    s = "".join(str(text).split())
    if not s:
        raise ValueError("the input is empty: type a few digits, e.g. 4071")
    bad = sorted(set(s) - set(DIGITS))
    if bad:
        shown = " ".join(repr(ch) for ch in bad[:8])
        raise ValueError(f"only the digits 0-9 can be reversed; the input holds {shown}")
    if len(s) > MAX_TYPED:
        raise ValueError(f"the input has {len(s)} digits; at most {MAX_TYPED} are accepted")
    return np.array([DIGITS.index(ch) for ch in s])


def text(ids) -> str:
    """Output ids as text: digits as they are, ``END`` as nothing further."""
    out = []
    for k in np.asarray(ids, dtype=int).tolist():
        if k == END:
            break
        out.append(DIGITS[k])
    return "".join(out)


def sample(n: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` random digit strings of length n, (count, n) ids."""
    return rng.integers(0, len(DIGITS), size=(count, n))


def held_out(lengths, per_length: int, seed: int) -> dict[int, np.ndarray]:
    """A fixed evaluation set: ``per_length`` random strings of each length, from ``seed``."""
    rng = np.random.default_rng(seed)
    return {int(n): sample(int(n), per_length, rng) for n in lengths}
