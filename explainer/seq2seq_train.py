"""Training the digit-reversal encoder-decoder in torch (teacher forcing), in seconds on 2 cores.

Every batch holds strings of one length, drawn uniformly from 1..``max_len``, so no padding or
masking is needed. The test strings (``reversal.held_out``) of length >= ``HOLD_OUT_FROM`` are
never trained on; shorter lengths have too few strings to keep any apart. The weights are
copied into the NumPy ``Seq2Seq`` (``explainer.cells.params_from_torch``), which runs the page.

References: Sutskever, Vinyals & Le 2014, arXiv:1409.3215; Williams & Zipser 1989 (teacher
forcing); PyTorch docs for torch.nn.GRU/LSTM/RNN.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from explainer import reversal
from explainer.cells import params_from_torch
from explainer.seq2seq import Seq2Seq
from explainer.trace import Readout
from explainer.train import TORCH_THREADS

TEST_SEED = 2024
TEST_PER_LENGTH = 100
HOLD_OUT_FROM = 4  # 10^4 strings and more: the test strings can be kept out of training
# what the default protocol promises (a slow test retrains and checks it): with teacher forcing,
# this fraction of the output tokens right on held-out strings of these lengths
STATED = {"lengths": (4, 6), "teacher": 0.95}


@dataclass(frozen=True)
class Seq2SeqConfig:
    """Everything that decides a training run (hashable: a cache key and the page's URL)."""

    cell: str = "gru"
    hidden_size: int = 32
    max_len: int = 7  # trains on lengths 1..max_len
    steps: int = 2000
    batch_size: int = 64
    lr: float = 0.01
    clip: float = 1.0
    seed: int = 0

    def test_lengths(self) -> range:
        """Lengths the page scores: the trained ones and four beyond."""
        return range(1, self.max_len + 5)


@dataclass(eq=False)
class Net:
    """Encoder, decoder (same kind of torch module, batch_first) and the decoder's readout."""

    enc: object
    dec: object
    head: object

    def parameters(self) -> list:
        return [*self.enc.parameters(), *self.dec.parameters(), *self.head.parameters()]

    def __call__(self, src, dec_in):
        """Logits (B, S, N_OUT) under teacher forcing for one-hot ``src`` (B, n, 10) and
        ``dec_in`` (B, S, 11)."""
        _, state = self.enc(src)
        out, _ = self.dec(dec_in, state)  # the context: the encoder's last (h, c)
        return self.head(out)


def _torch():
    import torch

    if torch.get_num_threads() != TORCH_THREADS:
        torch.set_num_threads(TORCH_THREADS)
    return torch


def make_net(cfg: Seq2SeqConfig, dtype=None) -> Net:
    """PyTorch's default U(-1/sqrt(H), 1/sqrt(H)) drawn from a generator seeded by ``cfg.seed``
    (the global RNG is left as it was); readout bias zero."""
    torch = _torch()
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cfg.cell]
    H = cfg.hidden_size
    with torch.random.fork_rng(devices=[]):
        enc = cls(reversal.N_IN, H, batch_first=True)
        dec = cls(reversal.N_DEC_IN, H, batch_first=True)
        head = torch.nn.Linear(H, reversal.N_OUT)
    g = torch.Generator().manual_seed(cfg.seed)
    k = 1.0 / math.sqrt(H)
    with torch.no_grad():
        for p in [*enc.parameters(), *dec.parameters(), head.weight]:
            p.uniform_(-k, k, generator=g)
        head.bias.zero_()
    net = Net(enc, dec, head)
    if dtype is not None:
        for mod in (enc, dec, head):
            mod.to(dtype)
    return net


def to_numpy(net: Net) -> Seq2Seq:
    """The torch weights copied into the NumPy encoder-decoder (float64)."""
    W = net.head.weight.detach().double().numpy().copy()
    b = net.head.bias.detach().double().numpy().copy()
    return Seq2Seq(params_from_torch(net.enc), params_from_torch(net.dec), Readout(W, b))


def tensors(digits: np.ndarray, dtype=None) -> tuple:
    """One-hot encoder inputs, teacher-forced decoder inputs and target ids for a (B, n) batch."""
    torch = _torch()
    digits = np.asarray(digits, dtype=int)
    B, n = digits.shape
    tgt = np.concatenate([digits[:, ::-1], np.full((B, 1), reversal.END)], axis=1)  # (B, n+1)
    fed = np.concatenate([np.full((B, 1), reversal.START), tgt[:, :-1]], axis=1)
    dtype = dtype or torch.float32
    src = torch.nn.functional.one_hot(torch.from_numpy(digits), reversal.N_IN).to(dtype)
    dec_in = torch.nn.functional.one_hot(torch.from_numpy(fed), reversal.N_DEC_IN).to(dtype)
    return src, dec_in, torch.from_numpy(tgt)


def _codes(rows: np.ndarray) -> np.ndarray:
    return rows @ (10 ** np.arange(rows.shape[1], dtype=np.int64))


@dataclass(eq=False)
class Run:
    """A training run in progress: its net, optimiser, data stream and record."""

    cfg: Seq2SeqConfig
    net: Net
    opt: object
    rng: np.random.Generator
    test: dict[int, np.ndarray]
    step: int = 0
    seconds: float = 0.0
    history: dict = field(default_factory=lambda: {"step": [], "loss": []})

    def batch(self) -> np.ndarray:
        """A batch of one random length, the test strings of that length redrawn."""
        n = int(self.rng.integers(1, self.cfg.max_len + 1))
        rows = reversal.sample(n, self.cfg.batch_size, self.rng)
        if n >= HOLD_OUT_FROM and n in self.test:
            banned = _codes(self.test[n])
            clash = np.isin(_codes(rows), banned)
            while clash.any():
                rows[clash] = reversal.sample(n, int(clash.sum()), self.rng)
                clash = np.isin(_codes(rows), banned)
        return rows


def new_run(cfg: Seq2SeqConfig) -> Run:
    """Fresh weights and data stream, both from ``cfg.seed``."""
    torch = _torch()
    net = make_net(cfg)
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    rng = np.random.default_rng([cfg.seed, 1])
    test = reversal.held_out(cfg.test_lengths(), TEST_PER_LENGTH, TEST_SEED)
    return Run(cfg, net, opt, rng, test)


def train(run: Run, steps: int, on_step=None, stopping=None) -> str:
    """Train ``steps`` more steps (Adam, norm clipping); ``on_step(k)`` after the k-th,
    ``stopping()`` checked between steps. Returns why it ended: "steps" or "stopped"."""
    torch = _torch()
    loss_fn = torch.nn.CrossEntropyLoss()
    params = run.net.parameters()
    start = time.perf_counter()
    reason = "steps"
    for k in range(1, steps + 1):
        if stopping is not None and stopping():
            reason = "stopped"
            break
        src, dec_in, tgt = tensors(run.batch())
        logits = run.net(src, dec_in)
        loss = loss_fn(logits.reshape(-1, reversal.N_OUT), tgt.reshape(-1))
        run.opt.zero_grad()
        loss.backward()
        if run.cfg.clip:
            torch.nn.utils.clip_grad_norm_(params, run.cfg.clip)
        run.opt.step()
        run.step += 1
        run.history["step"].append(run.step)
        run.history["loss"].append(float(loss.detach()))
        if on_step is not None:
            on_step(k)
    run.seconds += time.perf_counter() - start
    return reason


def decode_batch(net: Net, digits: np.ndarray) -> dict[str, np.ndarray]:
    """Teacher-forced argmax and greedy free-running output (n + 1 steps) for a (B, n) batch of
    one length, in torch: the fast path that scores a freshly trained run. ``free`` keeps
    writing after ``END`` (scoring stops at the first ``END``, as ``seq2seq.greedy`` does)."""
    torch = _torch()
    dtype = net.head.weight.dtype
    src, dec_in, tgt = tensors(digits, dtype)
    B, S = tgt.shape
    with torch.no_grad():
        teacher = net(src, dec_in).argmax(-1)
        _, state = net.enc(src)
        token = torch.full((B,), reversal.START)
        free = []
        for _ in range(S):
            u = torch.nn.functional.one_hot(token, reversal.N_DEC_IN).to(dtype)[:, None]
            out, state = net.dec(u, state)
            token = net.head(out[:, 0]).argmax(-1)
            free.append(token)
    return {"target": tgt.numpy(), "teacher": teacher.numpy(), "free": torch.stack(free, 1).numpy()}


def score_batch(net: Net, test: dict[int, np.ndarray]) -> dict[str, list]:
    """``seq2seq_eval.by_length`` computed in torch (same definitions, same numbers)."""
    out: dict[str, list] = {"length": [], "exact": [], "teacher": [], "free": [], "count": []}
    for n, rows in sorted(test.items()):
        d = decode_batch(net, rows)
        tgt, free = d["target"], d["free"]
        # a token after the first END was never written: it counts as wrong
        ended = np.cumsum(free == reversal.END, axis=1) - (free == reversal.END) > 0
        right = (free == tgt) & ~ended
        out["length"].append(int(n))
        out["count"].append(len(rows))
        out["exact"].append(float(right.all(axis=1).mean()))
        out["teacher"].append(float((d["teacher"] == tgt).mean()))
        out["free"].append(float(right.mean()))
    return out
