"""Train the sentiment pipeline (embedding, LSTM, sigmoid) in torch on the app's hand-written
reviews, then copy it into the NumPy ``sentiment.Model``. ``python -m explainer.senttrain``
writes the shipped model and its card.

Reviews are padded after their words; the loss reads the state at each review's last real
word, which is what masking gives (padded steps never reach it).

References: PyTorch docs for torch.nn.Embedding (``padding_idx``), torch.nn.LSTM and
torch.nn.BCEWithLogitsLoss; Kingma & Ba 2015 (Adam).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from explainer import datasets, sentiment, trainsets
from explainer.cells import CellParams, params_from_torch
from explainer.train import _torch

MODELS = Path(__file__).resolve().parent.parent / "assets" / "models" / "sentiment"
NAME = "sentiment-lstm"


@dataclass(frozen=True)
class SentimentConfig:
    """Everything that decides a training run (a cache key)."""

    embed: int = 8
    hidden_size: int = 16
    epochs: int = 40
    lr: float = 0.02
    seed: int = 0

    def __post_init__(self) -> None:
        if not (1 <= self.embed <= 64 and 1 <= self.hidden_size <= 64 and 1 <= self.epochs <= 500):
            raise ValueError("embed and hidden_size must be in 1..64, epochs in 1..500")


def split(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the app's reviews for training and held out (80/20, by class, seeded)."""
    tr, va = trainsets.stratified(datasets.reviews(), np.random.default_rng(seed))
    return np.sort(tr), np.sort(va)


def labelled() -> tuple[tuple[str, ...], np.ndarray]:
    """The reviews and labels as 1 = positive, 0 = negative."""
    data = datasets.reviews()
    return data.texts, (data.labels == data.classes.index("positive")).astype(np.float64)


def _batch(texts, vocab) -> tuple[np.ndarray, np.ndarray]:
    rows = [sentiment.to_ids(sentiment.tokens(t), vocab) for t in texts]
    L = max(len(r) for r in rows)
    ids = np.array([sentiment.pad(r, L)[0] for r in rows])
    return ids, np.array([len(r) for r in rows])


def accuracy(m: sentiment.Model, texts, y) -> float:
    """Share of ``texts`` whose verdict (> 1/2 positive) matches ``y``, by the NumPy model."""
    right = []
    for text, label in zip(texts, y, strict=True):
        ids = sentiment.to_ids(sentiment.tokens(text), m.vocab)
        right.append((sentiment.read(m, ids, np.ones(len(ids), dtype=bool)).verdict > 0.5) == label)
    return float(np.mean(right))


def train(cfg: SentimentConfig, on_step=None, stopping=None) -> dict:
    """Full-batch Adam on the training reviews; returns the NumPy ``model``, the ``loss``
    history, held-out and six-review accuracy and the ``seconds`` it took."""
    torch = _torch()
    texts, y = labelled()
    tr, va = split(cfg.seed)
    vocab = sentiment.build_vocab([texts[k] for k in tr])
    ids, lengths = _batch([texts[k] for k in tr], vocab)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.seed)
        emb = torch.nn.Embedding(len(vocab), cfg.embed, padding_idx=0)
        lstm = torch.nn.LSTM(cfg.embed, cfg.hidden_size, batch_first=True)
        head = torch.nn.Linear(cfg.hidden_size, 1)
    params = [*emb.parameters(), *lstm.parameters(), *head.parameters()]
    opt = torch.optim.Adam(params, lr=cfg.lr)
    x, n, target = torch.from_numpy(ids), torch.from_numpy(lengths), torch.tensor(y[tr]).float()
    losses, start = [], time.perf_counter()
    for epoch in range(cfg.epochs):
        opt.zero_grad()
        out = lstm(emb(x))[0]
        # the state at each review's last real word: the padding never reaches the verdict
        last = out[torch.arange(len(n)), n - 1]
        loss = torch.nn.functional.binary_cross_entropy_with_logits(head(last)[:, 0], target)
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
        if on_step is not None:
            on_step(epoch)
        if stopping is not None and stopping():
            break
    seconds = time.perf_counter() - start
    m = sentiment.Model(vocab, emb.weight.detach().double().numpy().copy(),
                        params_from_torch(lstm.double()),
                        head.weight.detach().double().numpy()[0].copy(),
                        float(head.bias.detach()[0]))  # fmt: skip
    six_texts, six_y = zip(*sentiment.SIX, strict=True)
    return dict(model=m, loss=np.array(losses), seconds=seconds,
                held_out=accuracy(m, [texts[k] for k in va], y[va]),
                six=accuracy(m, six_texts, np.array(six_y)))  # fmt: skip


@lru_cache(maxsize=1)
def shipped() -> tuple[sentiment.Model, dict]:
    """The shipped model (safetensors, no pickle) and its card."""
    from safetensors.numpy import load_file

    f = load_file(MODELS / f"{NAME}.safetensors")
    card = json.loads((MODELS / f"{NAME}.json").read_text())
    lstm = CellParams("lstm", *(f[k].astype(np.float64) for k in ("W_ih", "W_hh", "b_ih", "b_hh")))
    m = sentiment.Model(tuple(card["vocab"]), f["E"].astype(np.float64), lstm,
                        f["w"].astype(np.float64), float(f["b"][0]))  # fmt: skip
    return m, card


def write_shipped(cfg: SentimentConfig) -> None:
    from safetensors.numpy import save_file

    r = train(cfg)
    m = r["model"]
    tensors = {"E": m.E, "W_ih": m.lstm.W_ih, "W_hh": m.lstm.W_hh, "b_ih": m.lstm.b_ih,
               "b_hh": m.lstm.b_hh, "w": m.w, "b": np.array([m.b])}  # fmt: skip
    MODELS.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(MODELS / f"{NAME}.safetensors"))
    card = dict(
        name=NAME, title="LSTM sentiment classifier (embedding, LSTM, sigmoid)",
        data=datasets.REVIEWS_SOURCE, train=asdict(cfg), seconds=round(r["seconds"], 2),
        held_out_accuracy=round(r["held_out"], 4), six_accuracy=round(r["six"], 4),
        final_loss=round(float(r["loss"][-1]), 4), vocab=list(m.vocab),
    )  # fmt: skip
    (MODELS / f"{NAME}.json").write_text(json.dumps(card, indent=1) + "\n")
    scores = f"held-out {card['held_out_accuracy']}, six {card['six_accuracy']}"
    print(NAME, card["seconds"], "s", scores, file=sys.stderr)


if __name__ == "__main__":
    write_shipped(SentimentConfig())
