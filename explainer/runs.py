"""Runs shared across sessions, and what the page reads off them: a bounded store of runs by
config, recorded histories of the shipped models, text a char model writes, forecasts.

torch is imported only where a network is run.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import asdict

import numpy as np

from explainer import pretrained, train
from explainer.trainsets import TaskData


class RunStore:
    """At most ``max_runs`` runs (least recently used dropped first), shared by every session,
    and at most ``max_training`` of them training at once, so a class pressing Train together
    cannot starve the pages of CPU."""

    def __init__(self, max_runs: int = 16, max_training: int = 2) -> None:
        self._runs: OrderedDict[train.TrainConfig, train.Run] = OrderedDict()
        self._lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(max_training)
        self.max_runs = max_runs

    def peek(self, cfg: train.TrainConfig) -> train.Run | None:
        """The run for ``cfg`` if one exists (never builds networks, never imports torch)."""
        with self._lock:
            run = self._runs.get(cfg)
            if run is not None:
                self._runs.move_to_end(cfg)
            return run

    def get(self, cfg: train.TrainConfig, data: TaskData) -> train.Run:
        """The run for ``cfg``, created (untrained) if needed."""
        with self._lock:
            if cfg not in self._runs:
                self._runs[cfg] = train.new_run(cfg, data)
                while len(self._runs) > self.max_runs:
                    self._runs.popitem(last=False)
            self._runs.move_to_end(cfg)
            return self._runs[cfg]


def reset(run: train.Run) -> None:
    """Start a run over: fresh networks from the same seed, empty histories."""
    fresh = train.new_run(run.cfg, run.data)
    run.cells, run.step, run.seconds = fresh.cells, 0, 0.0


def history_from_dict(d: dict) -> train.History:
    """A card's (thinned) history as a ``History``."""
    h = train.History(**{k: list(v) for k, v in d.items() if k != "events"})
    h.events = [train.Event(**e) for e in d.get("events", [])]
    return h


def recorded(cfg: train.TrainConfig) -> dict[str, train.History]:
    """Histories of the shipped models trained with exactly ``cfg`` (one per cell), or {}."""
    want = asdict(cfg)
    found = {}
    for card in pretrained.available():
        settings = {k: v for k, v in card.train.items() if k in want}
        settings["cells"] = tuple(want["cells"])
        if settings == want and card.kind in cfg.cells:
            found[card.kind] = history_from_dict(card.history)
    return {k: found[k] for k in cfg.cells} if set(found) == set(cfg.cells) else {}


def sample_text(
    c: train.CellRun, data: TaskData, n: int = 200, prime: str = "the ", seed: int = 0,
    temperature: float = 0.8,
) -> str:  # fmt: skip
    """Let a character model write ``n`` characters after ``prime`` (seeded sampling from
    ``softmax(logits / temperature)``)."""
    torch = train._torch()
    index = {ch: k for k, ch in enumerate(data.vocab)}
    prime = "".join(ch for ch in prime if ch in index) or data.vocab[0]
    rng = np.random.default_rng(seed)
    eye = torch.eye(len(data.vocab))
    text = []
    with torch.no_grad():
        out, state = c.net.rnn(eye[[index[ch] for ch in prime]][None], None)
        for _ in range(n):
            logits = c.net.head(out[0, -1]).double().numpy() / max(temperature, 1e-3)
            p = np.exp(logits - logits.max())
            k = int(rng.choice(len(p), p=p / p.sum()))
            text.append(data.vocab[k])
            out, state = c.net.rnn(eye[k][None, None], state)
    return prime + "".join(text)


def forecasts(run: train.Run) -> dict[str, np.ndarray]:
    """Each live cell's one-step forecasts over the whole validation series, in the data's
    original units (sunspots)."""
    info = run.data.info
    out = {}
    for kind, c in run.cells.items():
        pred = train.outputs(c, run.data.val, run.data.where)[0]
        out[kind] = pred * info["std"] + info["mean"]
    return out
