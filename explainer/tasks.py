"""Seeded inputs and classic sequence tasks: typed text, numbers, noisy sine, adding, copy.

Every random draw goes through ``np.random.default_rng(seed)``.

References: Hochreiter & Schmidhuber 1997 (adding problem, long time lags);
Arjovsky, Shah & Bengio 2016, arXiv:1511.06464 (adding and copy tasks in their modern form).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import numpy as np

MAX_TEXT_CHARS = 500  # the explainer shows at most this many steps of typed text
MAX_NUMBERS = 500


@dataclass(frozen=True, eq=False)
class TextEncoding:
    """Characters of a text as one-hot vectors over its own vocabulary (sorted characters)."""

    text: str
    vocab: tuple[str, ...]
    ids: np.ndarray  # (T,)
    x: np.ndarray  # (T, V) one-hot
    truncated: bool = False


def clean_text(text: str, max_chars: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """Check typed or uploaded text; returns (text, truncated) or raises ValueError with a
    message a student can act on (empty, binary, unprintable)."""
    if not isinstance(text, str):
        raise ValueError("the text must be a string")
    if "\x00" in text:
        raise ValueError("that looks like a binary file, not text: it contains NUL bytes")
    # tabs and newlines are fine; other control characters are a sign of binary data
    controls = sum(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in text)
    if text and controls / len(text) > 0.05:
        raise ValueError("that looks like binary data, not text: too many control characters")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in "\t\n")
    if len(text) < 2:
        raise ValueError("type at least two characters: the network needs a sequence to read")
    return (text[:max_chars], True) if len(text) > max_chars else (text, False)


def encode_text(
    text: str, max_chars: int = MAX_TEXT_CHARS, vocab: tuple[str, ...] | None = None
) -> TextEncoding:
    """One-hot encode the characters of ``text`` (x_t is the t-th character)."""
    text, truncated = clean_text(text, max_chars)
    vocab = tuple(sorted(set(text))) if vocab is None else tuple(vocab)
    index = {ch: k for k, ch in enumerate(vocab)}
    unknown = sorted(set(text) - set(index))
    if unknown:
        raise ValueError(f"characters outside the model's vocabulary: {''.join(unknown)[:20]!r}")
    ids = np.array([index[ch] for ch in text])
    return TextEncoding(text, vocab, ids, np.eye(len(vocab))[ids], truncated)


def parse_numbers(text: str, max_len: int = MAX_NUMBERS) -> np.ndarray:
    """Parse numbers separated by commas, spaces or semicolons into a (T, 1) sequence."""
    tokens = [tok for tok in text.replace(";", " ").replace(",", " ").split() if tok]
    if not tokens:
        raise ValueError("type a few numbers separated by commas, e.g. 1, 0.5, -2")
    try:
        values = np.array([float(tok) for tok in tokens[:max_len]])
    except ValueError as err:
        raise ValueError(f"not a number: {err.args[0].split(': ')[-1]}") from None
    if not np.isfinite(values).all():
        raise ValueError("numbers must be finite (no inf or nan)")
    if np.abs(values).max() > 1e6:
        raise ValueError("numbers must lie between -1e6 and 1e6")
    return values[:, None]


def sine(T: int, seed: int = 0, period: float = 20.0, noise: float = 0.1) -> np.ndarray:
    """(T+1, 1) noisy sine ``sin(2 pi t / period + phase) + noise * eps``, random phase per seed.

    Step t's input is value t and its forecasting target is value t+1.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(T + 1)
    phase = rng.uniform(0, 2 * np.pi)
    return (np.sin(2 * np.pi * t / period + phase) + noise * rng.standard_normal(T + 1))[:, None]


def adding(T: int, batch: int = 1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem: x (B, T, 2) with values U(0,1) and a 0/1 marker channel marking one
    position in each half; target y (B,) the sum of the two marked values.

    Predicting 1 always gives MSE Var(X1 + X2) = 2/12 = 0.167, the baseline to beat.
    """
    if T < 2:
        raise ValueError("the adding problem needs T >= 2")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 1, (batch, T))
    marks = np.zeros((batch, T))
    half = T // 2
    first = rng.integers(0, half, batch)
    second = rng.integers(half, T, batch)
    rows = np.arange(batch)
    marks[rows, first] = marks[rows, second] = 1.0
    y = values[rows, first] + values[rows, second]
    return np.stack([values, marks], axis=-1), y


ADDING_BASELINE_MSE = 1.0 / 6.0


def adding_memoryless_mse(T: int) -> float:
    """MSE of the best network that sees only the last step: when the last step is marked (the
    second mark falls there with probability 1 / (T - T // 2)) it outputs that value + 0.5, an
    error of variance 1/12; otherwise it guesses 1 (variance 1/6)."""
    p_last = 1.0 / (T - T // 2)
    return ADDING_BASELINE_MSE - p_last / 12.0


COPY_SYMBOLS, COPY_CATEGORIES = 10, 8
COPY_BLANK, COPY_DELIM = 0, COPY_CATEGORIES + 1
COPY_VOCAB = COPY_CATEGORIES + 2  # blank, 8 symbols, delimiter


def copy_task(T: int, batch: int = 1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The copy (memory) task: ids x, y of shape (B, T + 20).

    Input: 10 symbols from 1..8, then T - 1 blanks, the delimiter 9, then 10 blanks
    (``copy_layout``). Target: T + 10 blanks, then the 10 symbols again.
    """
    if T < 1:
        raise ValueError("the copy task needs T >= 1")
    rng = np.random.default_rng(seed)
    n = COPY_SYMBOLS
    symbols = rng.integers(1, COPY_CATEGORIES + 1, (batch, n))
    x = np.full((batch, T + 2 * n), COPY_BLANK)
    y = np.full((batch, T + 2 * n), COPY_BLANK)
    x[:, :n] = symbols
    x[:, n + T - 1] = COPY_DELIM
    y[:, -n:] = symbols
    return x, y


def copy_layout(T: int) -> dict[str, int]:
    """How many steps of each kind a copy-task input holds, in order."""
    n = COPY_SYMBOLS
    return {"symbols": n, "blanks": T - 1, "delimiter": 1, "recall": n}


def copy_baseline(T: int) -> float:
    """Cross-entropy of a network that knows when the symbols are due but remembers none of
    them: blanks until the delimiter, then uniform guesses over the 8 symbols. Knowing when
    takes memory (a count of the steps, or of the delimiter)."""
    return COPY_SYMBOLS * math.log(COPY_CATEGORIES) / (T + 2 * COPY_SYMBOLS)


def copy_memoryless(T: int) -> float:
    """Cross-entropy of the best network without memory: it sees only x_t. A symbol or the
    delimiter in x_t means a blank target; a blank in x_t (T - 1 + 10 steps) hides a symbol to
    recall 10 times out of T + 9, so it can only spread its guess by those odds."""
    n, blank_in = COPY_SYMBOLS, T - 1 + COPY_SYMBOLS
    p_blank = (T - 1) / blank_in
    p_symbol = n / blank_in / COPY_CATEGORIES
    nats = n * -math.log(p_symbol) + ((T - 1) * -math.log(p_blank) if T > 1 else 0.0)
    return nats / (T + 2 * n)


def one_hot(ids: np.ndarray, n: int) -> np.ndarray:
    """One-hot vectors along a new last axis."""
    return np.eye(n)[np.asarray(ids)]
