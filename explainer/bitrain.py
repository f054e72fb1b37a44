"""Train a unidirectional and a bidirectional tagger side by side on the bracket-ahead task
(``explainer.future``), in torch on one thread, same batches, same seed; then copy the weights
into the NumPy cells. ``python -m explainer.bitrain`` writes the shipped models and cards.

References: PyTorch docs for torch.nn.RNN/LSTM/GRU (``bidirectional=True``) and
torch.nn.BCEWithLogitsLoss; Kingma & Ba 2015 (Adam).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass

import numpy as np

from explainer import future
from explainer.cells import KINDS, params_from_torch
from explainer.train import _torch

EVAL_SEED = 10_000  # held-out strings, never drawn in training
EVAL_ROWS = 2000


@dataclass(frozen=True)
class FutureConfig:
    """Everything that decides a run of the side-by-side training (a cache key)."""

    cell: str = "gru"
    hidden_size: int = 12
    steps: int = 100
    batch_size: int = 32
    lr: float = 0.04
    seed: int = 0

    def __post_init__(self) -> None:
        if self.cell not in KINDS:
            raise ValueError(f"cell must be one of {KINDS}")
        if not (1 <= self.hidden_size <= 64 and 1 <= self.steps <= 2000):
            raise ValueError("hidden_size must be in 1..64 and steps in 1..2000")


def _net(cfg: FutureConfig, bidirectional: bool):
    torch = _torch()
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cfg.cell]
    # a seeded draw for both models, away from torch's global generator
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.seed)
        rnn = cls(future.V, cfg.hidden_size, batch_first=True, bidirectional=bidirectional)
        head = torch.nn.Linear(cfg.hidden_size * (2 if bidirectional else 1), 1)
    return rnn, head


def _logits(rnn, head, x):
    return head(rnn(x)[0])[..., 0]  # (B, T)


def train_pair(cfg: FutureConfig, on_step=None, stopping=None) -> dict:
    """Train both models; returns ``{"uni": ..., "bi": ...}`` each with the NumPy ``tagger``,
    its ``loss`` history, ``accuracy`` by position on held-out strings and ``seconds``.
    ``on_step(k)`` hears of each step; ``stopping()`` true ends the run early."""
    torch = _torch()
    nets = {"uni": _net(cfg, False), "bi": _net(cfg, True)}
    opts = {
        k: torch.optim.Adam([*r.parameters(), *h.parameters()], lr=cfg.lr)
        for k, (r, h) in nets.items()
    }
    losses = {k: [] for k in nets}
    seconds = dict.fromkeys(nets, 0.0)
    bce = torch.nn.BCEWithLogitsLoss()
    for step in range(cfg.steps):
        ids = future.sequences(cfg.batch_size, future.T_TRAIN, seed=cfg.seed * 100_003 + step)
        x = torch.from_numpy(future.one_hot(ids).astype(np.float32))
        y = torch.from_numpy(future.labels(ids).astype(np.float32))
        for k, (rnn, head) in nets.items():
            start = time.perf_counter()
            opts[k].zero_grad()
            loss = bce(_logits(rnn, head, x), y)
            loss.backward()
            opts[k].step()
            seconds[k] += time.perf_counter() - start
            losses[k].append(float(loss.detach()))
        if on_step is not None:
            on_step(step)
        if stopping is not None and stopping():
            break
    ids = future.sequences(EVAL_ROWS, future.T_TRAIN, EVAL_SEED)
    x = torch.from_numpy(future.one_hot(ids).astype(np.float32))
    out = {}
    for k, (rnn, head) in nets.items():
        with torch.no_grad():
            right = (_logits(rnn, head, x).numpy() > 0) == (future.labels(ids) > 0.5)
        params = params_from_torch(rnn.double())
        w = head.weight.detach().double().numpy()[0].copy()
        tagger = future.Tagger(params, w, float(head.bias.detach().double()[0]))
        out[k] = dict(tagger=tagger, loss=np.array(losses[k]), seconds=seconds[k],
                      accuracy=right.mean(axis=0))  # fmt: skip
    return out


def _tensors(t: future.Tagger) -> dict[str, np.ndarray]:
    dirs = {"fwd.": t.params.fwd, "bwd.": t.params.bwd} if t.bidirectional else {"fwd.": t.params}
    f = {
        pre + n: getattr(p, n) for pre, p in dirs.items() for n in ("W_ih", "W_hh", "b_ih", "b_hh")
    }
    return {**f, "w": t.w, "b": np.array([t.b])}


def write_shipped(cfg: FutureConfig) -> None:
    """Train cfg's pair and write both models (float64 safetensors) and their cards."""
    from safetensors.numpy import save_file

    runs = train_pair(cfg)
    for k, r in runs.items():
        name = future.model_name(cfg.cell, k == "bi")
        save_file(_tensors(r["tagger"]), str(future.MODELS / f"{name}.safetensors"))
        card = dict(
            name=name, title=f"{'bi' if k == 'bi' else 'uni'}directional {cfg.cell} tagger",
            task="a ')' ahead? tag every character", train=asdict(cfg),
            seconds=round(r["seconds"], 2), eval=dict(seed=EVAL_SEED, rows=EVAL_ROWS,
                                                     T=future.T_TRAIN),
            accuracy_by_position=[round(float(a), 4) for a in r["accuracy"]],
            final_loss=round(float(r["loss"][-20:].mean()), 4),
        )  # fmt: skip
        (future.MODELS / f"{name}.json").write_text(json.dumps(card, indent=1) + "\n")
        print(name, card["seconds"], "s", card["final_loss"], file=sys.stderr)


if __name__ == "__main__":
    for kind in KINDS:
        write_shipped(FutureConfig(cell=kind))
