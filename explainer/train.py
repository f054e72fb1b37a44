r"""Train a vanilla RNN, an LSTM and a GRU side by side with torch, on the same batches from
the same seed, recording everything the page draws: loss, validation metric, gradient norm
before and after clipping, and NaN/explosion events (torch is imported lazily).

Gradient norm clipping (Pascanu, Mikolov & Bengio 2013, Alg. 1):

.. math::
    \text{if } \lVert g \rVert \ge \theta: \quad g \leftarrow \frac{\theta}{\lVert g \rVert} g

References: Pascanu et al. 2013, arXiv:1211.5063; Kingma & Ba 2015 (Adam);
PyTorch docs for torch.nn.RNN/LSTM/GRU and torch.nn.utils.clip_grad_norm_.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from explainer import datasets, trainsets
from explainer.cells import KINDS
from explainer.optim import Optimizer
from explainer.trainsets import Batch, TaskData

# two cores serve every session: one thread per training run leaves a core for the pages
# (and is also the fastest setting for these small matrices)
TORCH_THREADS = 1
OPTIMIZERS = ("adam", "sgd")
MAX_TOTAL_STEPS = 5000  # per run, so a run cannot grow without bound
SPIKE_FACTOR = 10.0  # a gradient norm this many times the recent median is marked
NAN_PATIENCE = 5  # non-finite steps in a row before a cell is declared diverged


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a training run (a cache key; ``data`` names the dataset:
    a shipped one, or ``upload:<digest>`` for a person's own file)."""

    task: str = "adding"
    seq_len: int = 50  # T (adding, copy); the BPTT window (chars, series)
    data: str = "default"
    hidden_size: int = 32
    lr: float = 0.01
    clip: float | None = 1.0
    optimizer: str = "adam"
    batch_size: int = 64
    seed: int = 0
    cells: tuple[str, ...] = KINDS

    def __post_init__(self) -> None:
        if self.task not in trainsets.TASKS:
            raise ValueError(f"unknown task {self.task!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}")
        if not set(self.cells) <= set(KINDS) or not self.cells:
            raise ValueError(f"cells must be a non-empty subset of {KINDS}")
        if not (0 < self.lr <= 10 and 1 <= self.hidden_size <= 256 and self.batch_size >= 1):
            raise ValueError("lr must be in (0, 10], hidden_size in 1..256, batch_size >= 1")
        if self.clip is not None and not self.clip > 0:
            raise ValueError("clip must be positive or None")


def task_data(cfg: TrainConfig, payload: str | datasets.Labelled | None = None) -> TaskData:
    """The task's data; ``payload`` is the uploaded text (chars) or labelled rows (reviews)."""
    B, T, s = cfg.batch_size, cfg.seq_len, cfg.seed
    if cfg.task == "adding":
        return trainsets.adding(T, s, B)
    if cfg.task == "copy":
        return trainsets.copy(T, s, B)
    if cfg.task == "chars":
        text = payload if isinstance(payload, str) else datasets.corpus(_named(cfg, "notes"))
        return trainsets.chars(text, T, s, B)
    if cfg.task == "series":
        return trainsets.series(_named(cfg, "sunspots"), T, s, B)
    rows = payload if isinstance(payload, datasets.Labelled) else datasets.reviews()
    return trainsets.reviews(rows, s, B)


def _named(cfg: TrainConfig, default: str) -> str:
    return default if cfg.data == "default" else cfg.data


def _torch():
    import torch

    if torch.get_num_threads() != TORCH_THREADS:
        torch.set_num_threads(TORCH_THREADS)
    return torch


@dataclass(eq=False)
class Net:
    """A one-layer recurrent module and its linear readout ``y_t = W_hy h_t + b_y``."""

    rnn: object  # torch.nn.RNN | LSTM | GRU, batch_first
    head: object  # torch.nn.Linear

    def parameters(self) -> list:
        return [*self.rnn.parameters(), *self.head.parameters()]

    def __call__(self, x, where: str):
        out, _ = self.rnn(x)  # (B, T, H)
        return self.head(out[:, -1] if where == "last" else out)


def make_net(kind: str, D: int, H: int, n_out: int, seed: int) -> Net:
    """PyTorch's default draw U(-1/sqrt(H), 1/sqrt(H)) from a seeded torch.Generator; readout
    bias zero. torch's constructors draw a first init from its global RNG: ``fork_rng`` puts
    that state back, and every weight is then redrawn from the seeded generator."""
    torch = _torch()
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    with torch.random.fork_rng(devices=[]):
        rnn, head = cls(D, H, batch_first=True), torch.nn.Linear(H, n_out)
    g = torch.Generator().manual_seed(seed)
    k = 1.0 / math.sqrt(H)
    with torch.no_grad():
        for p in [*rnn.parameters(), head.weight]:
            p.uniform_(-k, k, generator=g)
        head.bias.zero_()
    return Net(rnn, head)


@dataclass(eq=False)
class Event:
    """A teaching moment: a gradient spike, a non-finite step, or a run that diverged."""

    step: int
    cell: str
    kind: str  # "spike", "nan" or "diverged"
    value: float
    detail: str


@dataclass(eq=False)
class History:
    """Per-step records of one cell (lists, appended as it trains)."""

    step: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    grad_before: list[float] = field(default_factory=list)
    grad_after: list[float] = field(default_factory=list)
    val_step: list[int] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_metric: list[float] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


@dataclass(eq=False)
class CellRun:
    """One cell's network, optimiser and history."""

    kind: str
    net: Net
    opt: Optimizer
    history: History = field(default_factory=History)
    diverged: bool = False
    bad_in_a_row: int = 0


@dataclass(eq=False)
class Run:
    """The three cells training on one config; ``train`` holds ``lock`` during each step, so
    another thread can read a consistent ``snapshot``."""

    cfg: TrainConfig
    data: TaskData
    cells: dict[str, CellRun]
    step: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def new_run(cfg: TrainConfig, data: TaskData | None = None) -> Run:
    """Fresh networks (same seed for every cell) and optimisers for ``cfg``."""
    data = data or task_data(cfg)
    cells = {}
    for kind in cfg.cells:
        net = make_net(kind, data.input_size, cfg.hidden_size, data.output_size, cfg.seed)
        cells[kind] = CellRun(kind, net, Optimizer(net.parameters(), cfg.optimizer, cfg.lr))
    return Run(cfg, data, cells)


def clone_run(run: Run) -> Run:
    """An independent copy of ``run`` (networks, optimiser state, histories; the read-only
    data is shared)."""
    with run.lock:
        cells = {k: copy.deepcopy(c) for k, c in run.cells.items()}
        return Run(run.cfg, run.data, cells, run.step, run.seconds)


def snapshot(run: Run) -> dict[str, History]:
    """Copies of every cell's history, consistent even while another thread trains ``run``."""
    with run.lock:
        return {k: copy.deepcopy(c.history) for k, c in run.cells.items()}


def warm_up() -> None:
    """Import torch and take one step of each cell on a tiny batch, so the first real run pays
    neither (the page starts this in the background when the server starts)."""
    run = new_run(TrainConfig(seq_len=5, hidden_size=2, batch_size=2))
    train(run, 1)


def _tensors(b: Batch) -> tuple:
    torch = _torch()
    w = None if b.weight is None else torch.from_numpy(b.weight)
    return torch.from_numpy(b.x), torch.from_numpy(b.y), w


def _loss(out, y, w, data: TaskData):
    torch = _torch()
    if data.loss == "mse":
        err = (out.squeeze(-1) - y) ** 2
    else:
        flat = torch.nn.functional.cross_entropy(
            out.reshape(-1, out.shape[-1]), y.reshape(-1), reduction="none"
        )
        err = flat.reshape(y.shape)
    return err.mean() if w is None else (err * w).sum() / w.sum()


def _spike(h: History, norm: float) -> bool:
    recent = h.grad_before[-51:-1]
    return len(recent) >= 20 and norm > SPIKE_FACTOR * float(np.median(recent)) > 0


def train_step(c: CellRun, batch: tuple, data: TaskData, clip: float | None, step: int) -> None:
    """One update: loss, backprop, norm clipping; a non-finite loss or gradient is recorded
    as an event and the update skipped, so the run keeps going."""
    torch = _torch()
    x, y, w = batch
    loss = _loss(c.net(x, data.where), y, w, data)
    c.opt.zero_grad()
    loss.backward()
    params = c.net.parameters()
    before = float(torch.nn.utils.clip_grad_norm_(params, clip if clip else math.inf))
    value, h = loss.item(), c.history
    finite = math.isfinite(value) and math.isfinite(before)
    # torch rescales by theta / (norm + 1e-6), capped at 1
    after = before * min(1.0, clip / (before + 1e-6)) if clip and finite else before
    h.step.append(step)
    h.loss.append(value)
    h.grad_before.append(before)
    h.grad_after.append(after)
    if not finite:
        c.bad_in_a_row += 1
        h.events.append(Event(step, c.kind, "nan", before, "loss or gradient is inf/NaN"))
        if c.bad_in_a_row >= NAN_PATIENCE:
            c.diverged = True
            h.events.append(Event(step, c.kind, "diverged", before, "stopped: weights blew up"))
        return
    c.bad_in_a_row = 0
    if _spike(h, before):
        h.events.append(Event(step, c.kind, "spike", before, f"gradient norm {before:.3g}"))
    c.opt.step()
    if not all(bool(torch.isfinite(p).all()) for p in params):
        c.diverged = True
        h.events.append(Event(step, c.kind, "diverged", before, "weights overflowed to inf"))


def outputs(c: CellRun, b: Batch, where: str) -> np.ndarray:
    """The network's outputs on a batch: values (mse) or logits (xent), as NumPy."""
    torch = _torch()
    with torch.no_grad():
        out = c.net(torch.from_numpy(b.x), where).numpy().astype(np.float64)
    return out[..., 0] if out.shape[-1] == 1 else out


def evaluate(c: CellRun, data: TaskData, step: int) -> None:
    """Append validation loss and metric (NaN when the outputs are not finite)."""
    torch = _torch()
    x, y, w = _tensors(data.val)
    with torch.no_grad():
        raw = c.net(x, data.where)
        loss = float(_loss(raw, y, w, data))
    out = raw.numpy().astype(np.float64)
    out = out[..., 0] if out.shape[-1] == 1 else out
    ok = math.isfinite(loss) and bool(np.isfinite(out).all())
    h = c.history
    h.val_step.append(step)
    h.val_loss.append(loss if ok else math.nan)
    h.val_metric.append(data.metric(out, data.val) if ok else math.nan)


def train(
    run: Run,
    max_steps: int,
    max_seconds: float = 30.0,
    on_progress: Callable[[Run, int], None] | None = None,
    every_seconds: float = 0.5,
    until: Callable[[Run], bool] | None = None,
    stop: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> str:
    """Train every live cell for up to ``max_steps`` steps or ``max_seconds``, whichever comes
    first; returns why it stopped: "steps", "time", "limit", "diverged", "target" or "stopped".
    ``max_seconds`` and ``run.seconds`` are read off ``clock`` (wall time by default;
    ``time.thread_time`` counts only this thread's computing, however busy the machine).

    ``on_progress(run, steps_done)`` runs at most every ``every_seconds`` between steps (it may
    raise to stop training: the run stays consistent); ``until(run)`` is checked after each
    evaluation; ``stop()`` before each step. Each step holds ``run.lock``.
    """
    t0, last = clock(), time.perf_counter()
    done, reason = 0, "steps"
    try:
        with run.lock:
            if run.step == 0 and not any(c.history.val_step for c in run.cells.values()):
                for c in run.cells.values():
                    evaluate(c, run.data, 0)
        while done < max_steps:
            if stop is not None and stop():
                reason = "stopped"
                break
            live = [c for c in run.cells.values() if not c.diverged]
            if run.step >= MAX_TOTAL_STEPS or not live:
                reason = "limit" if live else "diverged"
                break
            with run.lock:
                batch = _tensors(run.data.batch(run.step))
                for c in live:
                    train_step(c, batch, run.data, run.cfg.clip, run.step + 1)
                run.step += 1
                done += 1
                evaluated = run.step % run.data.eval_every == 0
                if evaluated:
                    for c in live:
                        evaluate(c, run.data, run.step)
            if evaluated and until is not None and until(run):
                reason = "target"
                break
            if clock() - t0 > max_seconds:
                reason = "time"
                break
            now = time.perf_counter()
            if on_progress is not None and now - last >= every_seconds:
                last = now
                on_progress(run, done)
    finally:
        run.seconds += clock() - t0
    with run.lock:
        for c in run.cells.values():
            if c.history.val_step and c.history.val_step[-1] != run.step and not c.diverged:
                evaluate(c, run.data, run.step)
    return reason
