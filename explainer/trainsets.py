"""Training data for the train-and-compare page: seeded batches, a fixed validation set, the
memoryless baseline to beat and the metric of each task (NumPy only).

Every batch is a pure function of (seed, step), so the three cells see the same sequences and
a run can be resumed or repeated exactly.

References: Hochreiter & Schmidhuber 1997 (adding problem; a sequence is solved when
|error| < 0.04); Arjovsky, Shah & Bengio 2016, arXiv:1511.06464 (adding and copy tasks);
Karpathy 2015, "The unreasonable effectiveness of recurrent neural networks" (char models).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from explainer import datasets, tasks

TASKS = {
    "adding": "adding problem (remember two marked numbers)",
    "copy": "copy task (recall 10 symbols after a delay)",
    "chars": "character language model (guess the next character)",
    "series": "forecasting (next value of a time series)",
    "reviews": "sentiment of short reviews (many-to-one)",
}
DEFAULT_T = {"adding": 50, "copy": 10, "chars": 64, "series": 30, "reviews": 0}
# H&S 1997 count a sequence solved when |error| < 0.04 on their target 0.5 + (X1 + X2) / 4 with
# X ~ U(-1, 1); here X ~ U(0, 1) and the target is X1 + X2. The same test in units of the
# target's spread (its standard deviation) scales the tolerance by the ratio of the two spreads.
HS_TOL = 0.04
HS_TARGET_SD = math.sqrt(2 / 3) / 4  # sd of (X1 + X2) / 4, each X of variance 1/3
ADDING_TARGET_SD = math.sqrt(2 / 12)  # sd of X1 + X2, each X of variance 1/12
SOLVED_TOL = round(HS_TOL * ADDING_TARGET_SD / HS_TARGET_SD, 12)


def adding_chance(tol: float = SOLVED_TOL) -> float:
    """P(|X1 + X2 - 1| < tol) for X ~ U(0, 1): how often always guessing the mean "solves" a
    sequence (the sum is triangular on [0, 2]; tol <= 1)."""
    return 1 - (1 - tol) ** 2


@dataclass(frozen=True, eq=False)
class Batch:
    """Inputs and targets; ``weight`` (B, T) marks the steps a per-step loss counts."""

    x: np.ndarray  # (B, T, D) float32
    y: np.ndarray  # (B,) or (B, T): values (mse) or class ids (xent)
    weight: np.ndarray | None = None  # (B, T)


@dataclass(frozen=True, eq=False)
class TaskData:
    """Everything a training run needs to know about its task."""

    task: str
    input_size: int
    output_size: int
    loss: str  # "mse" or "xent"
    where: str  # "last" (many-to-one) or "every" step
    baseline: float  # validation loss of a simple guess, named by ``baseline_label``
    baseline_label: str
    metric_name: str
    chance: float  # the metric of the guess named by ``chance_label``
    batch: Callable[[int], Batch]  # step -> batch
    val: Batch
    steps_per_epoch: int
    metric: Callable[[np.ndarray, Batch], float]  # (outputs, batch) -> metric
    vocab: tuple[str, ...] = ()
    info: dict = field(default_factory=dict)
    eval_every: int = 25  # steps between validations
    # the loss of the best network without memory (it sees only x_t), where it is not the
    # baseline: below the baseline alone does not show that a network uses the past
    memoryless: float | None = None
    memoryless_label: str = ""
    chance_label: str = "memoryless guess"


def subseed(*keys: int) -> int:
    """An independent 32-bit seed for each tuple of keys (seed, stream, step ...)."""
    return int(np.random.SeedSequence([int(k) for k in keys]).generate_state(1)[0])


def _f32(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def _xent_batch(ids: np.ndarray, y: np.ndarray, n: int) -> Batch:
    return Batch(_f32(tasks.one_hot(ids, n)), y.astype(np.int64))


def adding(T: int, seed: int, batch: int) -> TaskData:
    """The adding problem; the metric is the fraction of sequences solved."""

    def metric(out: np.ndarray, b: Batch) -> float:
        return float(np.mean(np.abs(out - b.y) < SOLVED_TOL))

    def make(step: int) -> Batch:
        x, y = tasks.adding(T, batch, subseed(seed, 0, step))
        return Batch(_f32(x), _f32(y))

    x, y = tasks.adding(T, 500, subseed(seed, 1))
    return TaskData(
        task="adding", input_size=2, output_size=1, loss="mse", where="last",
        baseline=tasks.ADDING_BASELINE_MSE, baseline_label="always guess 1",
        metric_name=f"solved (|error| < {SOLVED_TOL:g})", chance=adding_chance(),
        chance_label="always guess 1", memoryless=tasks.adding_memoryless_mse(T),
        memoryless_label="no memory: last step only",
        batch=make, val=Batch(_f32(x), _f32(y)), steps_per_epoch=100, metric=metric,
    )  # fmt: skip


def copy(T: int, seed: int, batch: int) -> TaskData:
    """The copy task; the metric is the accuracy on the 10 recalled symbols."""
    n = tasks.COPY_VOCAB

    def metric(out: np.ndarray, b: Batch) -> float:
        k = tasks.COPY_SYMBOLS
        return float(np.mean(out[:, -k:].argmax(-1) == b.y[:, -k:]))

    def make(step: int) -> Batch:
        x, y = tasks.copy_task(T, batch, subseed(seed, 0, step))
        return _xent_batch(x, y, n)

    x, y = tasks.copy_task(T, 500, subseed(seed, 1))
    return TaskData(
        task="copy", input_size=n, output_size=n, loss="xent", where="every",
        baseline=tasks.copy_baseline(T),
        baseline_label="recall timing only",
        metric_name="recalled symbols right", chance=1 / tasks.COPY_CATEGORIES,
        chance_label="guessing", memoryless=tasks.copy_memoryless(T),
        memoryless_label="no memory: sees only x_t",
        batch=make, val=_xent_batch(x, y, n), steps_per_epoch=100, metric=metric,
    )  # fmt: skip


def unigram_entropy(text: str) -> float:
    """Entropy (nats) of the character frequencies: the loss of a model without memory."""
    counts = np.array(list(Counter(text).values()), dtype=float)
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


# a character corpus in three parts, no character in two: train (the first 80 %), validation
# (the next 10 %: training curves, and the checkpoint a model card keeps) and test (the last 10 %:
# the score a card reports, on text that chose nothing)
CHAR_SPLITS = {"train": 0.8, "validation": 0.9, "test": 1.0}


def char_splits(n: int) -> dict[str, tuple[int, int]]:
    """(start, stop) of each part of a text of ``n`` characters (see ``CHAR_SPLITS``)."""
    stops = [int(n * f) for f in CHAR_SPLITS.values()]
    return dict(zip(CHAR_SPLITS, zip([0, *stops[:-1]], stops, strict=True), strict=True))


def chars(text: str, L: int, seed: int, batch: int) -> TaskData:
    """Next-character prediction on ``text``: random windows of L+1 characters from the train
    part, validated on the validation part (the test part is never read here)."""
    vocab = (
        datasets.CHAR_ALPHABET
        if set(text) <= set(datasets.CHAR_ALPHABET)
        else datasets.char_vocab(text)
    )
    index = {c: k for k, c in enumerate(vocab)}
    ids = np.array([index[c] for c in text])
    parts = char_splits(len(ids))
    train, held = (ids[slice(*parts[k])] for k in ("train", "validation"))
    L = max(2, min(L, len(train) - 1))
    V = len(vocab)

    def make(step: int) -> Batch:
        starts = np.random.default_rng(subseed(seed, 0, step)).integers(0, len(train) - L, batch)
        win = train[starts[:, None] + np.arange(L + 1)]
        return _xent_batch(win[:, :-1], win[:, 1:], V)

    # the validation text in whole windows (or one shorter window), each from h_0 = 0
    Lv = min(L, len(held) - 1)
    win = np.stack([held[k : k + Lv + 1] for k in range(0, len(held) - Lv, Lv)])
    top = Counter(text).most_common(1)[0][1] / len(text)
    return TaskData(
        task="chars", input_size=V, output_size=V, loss="xent", where="every",
        baseline=unigram_entropy(text), baseline_label="letter frequencies only (unigram)",
        metric_name="next character right", chance=top, chance_label="most common character",
        batch=make, val=_xent_batch(win[:, :-1], win[:, 1:], V),
        steps_per_epoch=max(1, math.ceil(len(train) / (batch * L))),
        metric=lambda out, b: float(np.mean(out.argmax(-1) == b.y)),
        vocab=vocab, info={"text": text, "splits": parts},
    )  # fmt: skip


def _skill(out: np.ndarray, b: Batch, persistence: float) -> float:
    w = b.weight if b.weight is not None else np.ones_like(b.y)
    mse = float(np.sum(w * (out - b.y) ** 2) / np.sum(w))
    return 1.0 - mse / persistence


def series(name: str, L: int, seed: int, batch: int) -> TaskData:
    """One-step forecasting. Sunspots: standardised with the first 80 % (training years),
    scored on the last 20 % while the network reads the whole series. Sine: fresh noisy
    sine windows with random phases."""
    if name == "sunspots":
        years, raw = datasets.sunspots()
        cut = int(len(raw) * 0.8)
        mu, sd = raw[:cut].mean(), raw[:cut].std()
        v = (raw - mu) / sd

        def make(step: int) -> Batch:
            rng = np.random.default_rng(subseed(seed, 0, step))
            win = v[rng.integers(0, cut - L - 1, batch)[:, None] + np.arange(L + 1)]
            return Batch(_f32(win[:, :-1, None]), _f32(win[:, 1:]))

        w = (np.arange(1, len(v)) >= cut).astype(np.float32)[None]
        val = Batch(_f32(v[None, :-1, None]), _f32(v[None, 1:]), w)
        info = {"years": years, "values": raw, "mean": mu, "std": sd, "cut": cut}
    elif name == "sine":

        def windows(key: tuple[int, ...], n: int, T: int) -> np.ndarray:
            return np.stack([tasks.sine(T, subseed(*key, k))[:, 0] for k in range(n)])

        def make(step: int) -> Batch:
            win = windows((seed, 0, step), batch, L)
            return Batch(_f32(win[:, :-1, None]), _f32(win[:, 1:]))

        win = windows((seed, 1), 128, 100)
        val = Batch(_f32(win[:, :-1, None]), _f32(win[:, 1:]))
        info = {}
    else:
        raise ValueError(f"unknown series {name!r}; choose sunspots or sine")
    w = val.weight if val.weight is not None else np.ones_like(val.y)
    persistence = float(np.sum(w * (val.x[..., 0] - val.y) ** 2) / np.sum(w))
    if name == "sunspots":  # the training years' pairs (x_t, x_t+1)
        fit = Batch(val.x, val.y, (1 - w).astype(np.float32))
    else:  # a fixed sample of training windows
        sample = [make(step) for step in range(8)]
        fit = Batch(np.concatenate([b.x for b in sample]), np.concatenate([b.y for b in sample]))
    return TaskData(
        task="series", input_size=1, output_size=1, loss="mse", where="every",
        baseline=persistence, baseline_label="repeat the last value",
        metric_name="skill vs persistence", chance=0.0, chance_label="persistence",
        batch=make, val=val, steps_per_epoch=100,
        metric=lambda out, b: _skill(out, b, persistence), info=info,
        memoryless=affine_memoryless(fit, val),
        memoryless_label="no memory: best a·x_t + b",
    )  # fmt: skip


def _weighted(b: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x_t, x_t+1 and the weight of every step, flat (float64)."""
    w = b.weight if b.weight is not None else np.ones_like(b.y)
    return (np.ravel(b.x[..., 0]).astype(float), np.ravel(b.y).astype(float),
            np.ravel(w).astype(float))  # fmt: skip


def affine_memoryless(fit: Batch, val: Batch) -> float:
    """Validation MSE of the least-squares map x_t+1 ~ a x_t + b fit on ``fit``: a forecast
    without memory that can beat persistence (it shrinks towards the mean)."""
    x, y, w = _weighted(fit)
    A = np.stack([x, np.ones_like(x)], axis=1) * np.sqrt(w)[:, None]
    a, b = np.linalg.lstsq(A, y * np.sqrt(w), rcond=None)[0]
    x, y, w = _weighted(val)
    return float(np.sum(w * (a * x + b - y) ** 2) / np.sum(w))


def _encode_words(texts: tuple[str, ...], vocab: tuple[str, ...]) -> np.ndarray:
    """Word ids, front-padded with -1 to a common length (the last step is the last word)."""
    index = {w: k for k, w in enumerate(vocab)}
    unk = len(vocab) - 1
    rows = [[index.get(w, unk) for w in datasets.words(t)] or [unk] for t in texts]
    T = max(len(r) for r in rows)
    return np.array([[-1] * (T - len(r)) + r for r in rows])


def _one_hot_padded(ids: np.ndarray, n: int) -> np.ndarray:
    # padding (-1) becomes an all-zero input
    return np.eye(n + 1, n, dtype=np.float32)[np.where(ids < 0, n, ids)]


def stratified(data: datasets.Labelled, rng: np.random.Generator, share: float = 0.8):
    """Row numbers for training and held out, split class by class (each class shuffled, its
    first ``share`` for training), so both halves hold the classes in the same proportions."""
    tr, va = [], []
    for k in range(len(data.classes)):
        rows = rng.permutation(np.flatnonzero(data.labels == k))
        cut = int(round(len(rows) * share))
        tr.append(rows[:cut])
        va.append(rows[cut:])
    return np.concatenate(tr), np.concatenate(va)


def reviews(data: datasets.Labelled, seed: int, batch: int) -> TaskData:
    """Many-to-one classification of short texts read word by word; 80/20 seeded split."""
    tr, va = stratified(data, np.random.default_rng(subseed(seed, 3)))
    vocab = datasets.word_vocab([data.texts[k] for k in tr])
    V, C = len(vocab), len(data.classes)
    batch = min(batch, len(tr))
    per_epoch = math.ceil(len(tr) / batch)

    def encode(rows: np.ndarray) -> Batch:
        ids = _encode_words(tuple(data.texts[k] for k in rows), vocab)
        return Batch(_one_hot_padded(ids, V), data.labels[rows].astype(np.int64))

    def make(step: int) -> Batch:
        epoch, k = divmod(step, per_epoch)
        perm = np.random.default_rng(subseed(seed, 0, epoch)).permutation(tr)
        return encode(perm[k * batch : (k + 1) * batch])

    prior = np.bincount(data.labels[tr], minlength=C) / len(tr)
    entropy = float(-(prior[prior > 0] * np.log(prior[prior > 0])).sum())
    majority = float(np.mean(data.labels[va] == prior.argmax()))
    return TaskData(
        task="reviews", input_size=V, output_size=C, loss="xent", where="last",
        baseline=entropy, baseline_label="class frequencies only (ignores the text)",
        metric_name="held-out reviews right", chance=majority, chance_label="majority class",
        batch=make, val=encode(va), steps_per_epoch=per_epoch,
        metric=lambda out, b: float(np.mean(out.argmax(-1) == b.y)),
        vocab=vocab, info={"classes": data.classes, "val_texts": [data.texts[k] for k in va]},
        eval_every=5,
    )  # fmt: skip
