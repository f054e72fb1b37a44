"""Runs and what the page reads off them: training jobs for the queue, a bounded read-only store
of finished runs, recorded histories of the shipped models, text a char model writes, forecasts.

torch is imported only where a network is run.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import asdict

import numpy as np

from explainer import jobs, pretrained, train
from explainer.trainsets import TaskData


class FinishedRuns:
    """Runs trained from their seed for a whole click's budget without a stop, shared by every
    session and read-only: at most ``max_runs`` (least recently used dropped first), and each
    ``get`` hands out a private copy. Training on one thread is deterministic, so a student
    served from here gets exactly the run they would have trained."""

    def __init__(self, max_runs: int = 8) -> None:
        self._runs: OrderedDict[tuple, train.Run] = OrderedDict()
        self._lock = threading.Lock()
        self.max_runs = max_runs

    def put(self, run: train.Run, steps: int) -> None:
        copy = train.clone_run(run)
        with self._lock:
            self._runs[(run.cfg, steps)] = copy
            self._runs.move_to_end((run.cfg, steps))
            while len(self._runs) > self.max_runs:
                self._runs.popitem(last=False)

    def get(self, cfg: train.TrainConfig, steps: int) -> train.Run | None:
        with self._lock:
            run = self._runs.get((cfg, steps))
            if run is not None:
                self._runs.move_to_end((cfg, steps))
        return None if run is None else train.clone_run(run)

    def __len__(self) -> int:
        return len(self._runs)


def rate_key(cfg: train.TrainConfig) -> tuple:
    """What the time of a step depends on (not the seed, learning rate or optimiser)."""
    return (cfg.task, cfg.data, cfg.seq_len, cfg.hidden_size, cfg.batch_size, cfg.cells)


class TrainingJob(jobs.Job):
    """A queue job that trains ``run`` in place from ``first_step`` up to ``target``."""

    def __init__(self, run: train.Run, steps: int, max_seconds: float, finished: FinishedRuns):
        self.run, self.first_step, self.target = run, run.step, run.step + steps
        self.finished_runs = finished
        fresh = (run.cfg, steps) if run.step == 0 else None
        super().__init__(self._train, steps, rate_key(run.cfg), fresh, max_seconds)

    def serve_finished(self) -> bool:
        """From the seed, copy an identical run that trained every step, without queueing (the
        job ends as "cached"); False if there is none."""
        if not self._copy_finished():
            return False
        self._end("cached")
        return True

    def _copy_finished(self) -> bool:
        hit = self.finished_runs.get(self.run.cfg, self.steps) if self.same_as else None
        if hit is not None:
            with self.run.lock:
                self.run.cells, self.run.step, self.run.seconds = hit.cells, hit.step, hit.seconds
        return hit is not None

    def _train(self, job: jobs.Job) -> str:
        """An identical finished run if one appeared while this job waited; otherwise train, and
        keep a run from its seed that trained every step for others."""
        if self._copy_finished():
            return "cached"
        run, steps = self.run, self.steps
        # the bound counts this thread's computing: a busy server slows a run, never cuts it
        reason = train.train(
            run,
            steps,
            self.max_seconds,
            lambda r, n: self.progress(n),
            0.2,
            stop=self.stopping,
            clock=time.thread_time,
        )
        self.progress(run.step - self.first_step)
        if self.same_as and reason == "steps":
            self.finished_runs.put(run, steps)
        return reason


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
