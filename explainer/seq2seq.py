r"""An encoder-decoder (sequence to sequence) in NumPy: the encoder RNN reads the input, its last
state is the context vector, the decoder RNN writes the output one token at a time.

.. math::
    h^{e}_s = \operatorname{cell}_{e}(x_s, h^{e}_{s-1}),\ s = 1..n \qquad
    h^{d}_0 = h^{e}_n \ \text{(the context)} \\
    h^{d}_t = \operatorname{cell}_{d}(u_t, h^{d}_{t-1}) \qquad
    p(y_t \mid y_{<t}, x) = \operatorname{softmax}(W_{hy} h^{d}_t + b_y)

``u_t`` is the previous token: the true one under teacher forcing, the decoder's own guess when
it runs free. An LSTM hands over its cell state too (``c^d_0 = c^e_n``).

References: Sutskever, Vinyals & Le 2014, arXiv:1409.3215; Cho et al. 2014, arXiv:1406.1078;
Bengio et al. 2015, arXiv:1506.03099 (exposure bias); Bahdanau, Cho & Bengio 2015,
arXiv:1409.0473 (attention: the fix for the fixed-size context).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explainer import reversal
from explainer.cells import STEPS, CellParams
from explainer.chareval import softmax
from explainer.trace import Readout, Trace
from explainer.unroll import unroll


@dataclass(frozen=True, eq=False)
class Seq2Seq:
    """Weights of an encoder-decoder: two cells of the same kind and the decoder's readout."""

    encoder: CellParams
    decoder: CellParams
    readout: Readout

    def __post_init__(self) -> None:
        if self.encoder.kind != self.decoder.kind:
            raise ValueError("the encoder and the decoder must be the same kind of cell")
        if self.encoder.hidden_size != self.decoder.hidden_size:
            raise ValueError("the decoder starts from the encoder's state: same H needed")

    @property
    def kind(self) -> str:
        return self.encoder.kind

    @property
    def H(self) -> int:
        return self.encoder.hidden_size


@dataclass(frozen=True, eq=False)
class Decoded:
    """One decoding: the encoder's run, the decoder's run and what it wrote.

    ``probs[t - 1]`` is the output distribution at decoder step t; ``fed[t - 1]`` the token it
    read at step t; ``written`` the argmax at each step (greedy) or the beam's choice.
    """

    enc: Trace
    dec: Trace
    fed: np.ndarray  # (S,) decoder input ids
    probs: np.ndarray  # (S, N_OUT)
    written: np.ndarray  # (S,) output ids

    @property
    def context(self) -> np.ndarray:
        return self.enc.h[-1]  # (H,)


def encode(m: Seq2Seq, digits: np.ndarray) -> Trace:
    """The encoder's run over one-hot ``digits``; its last state is the context."""
    return unroll(m.encoder, reversal.one_hot(digits, reversal.N_IN))


def _start(enc: Trace) -> tuple[np.ndarray, np.ndarray | None]:
    return enc.h[-1], (enc.c[-1] if enc.c is not None else None)


def teacher_forced(m: Seq2Seq, digits: np.ndarray, tgt: np.ndarray | None = None) -> Decoded:
    """Decoder fed the true previous token at every step (how it is trained)."""
    tgt = reversal.target(digits) if tgt is None else np.asarray(tgt, dtype=int)
    enc = encode(m, digits)
    fed = reversal.teacher_inputs(tgt)
    h0, c0 = _start(enc)
    dec = unroll(m.decoder, reversal.one_hot(fed, reversal.N_DEC_IN), h0, c0, m.readout)
    probs = softmax(dec.y)
    return Decoded(enc, dec, fed, probs, probs.argmax(axis=1))


def _step(m: Seq2Seq, token: int, h: np.ndarray, c: np.ndarray | None) -> dict:
    u = reversal.one_hot([token], reversal.N_DEC_IN)[0]
    step = STEPS[m.kind]
    return step(m.decoder, u, h, c) if c is not None else step(m.decoder, u, h)


def logprobs(m: Seq2Seq, h: np.ndarray) -> np.ndarray:
    """log softmax(W_hy h + b_y)."""
    y = m.readout.W_hy @ h + m.readout.b_y
    z = y - y.max()
    return z - np.log(np.exp(z).sum())


def greedy(m: Seq2Seq, digits: np.ndarray, max_steps: int | None = None) -> Decoded:
    """Free running: the decoder reads its own previous guess (the argmax) and stops after
    writing ``END`` or ``max_steps`` tokens (default n + 1, the length of a right answer)."""
    enc = encode(m, digits)
    S = len(digits) + 1 if max_steps is None else max_steps
    h, c = _start(enc)
    fed, token = [], reversal.START
    for _ in range(S):
        fed.append(token)
        rec = _step(m, token, h, c)
        h, c = rec["h"], rec.get("c")
        token = int(logprobs(m, h).argmax())
        if token == reversal.END:
            break
    # one more pass with the tokens it fed itself records every state for the figures
    dec = _replay(m, enc, fed)
    probs = softmax(dec.y)
    return Decoded(enc, dec, np.array(fed), probs, probs.argmax(axis=1))


def _replay(m: Seq2Seq, enc: Trace, fed: list[int]) -> Trace:
    h0, c0 = _start(enc)
    return unroll(m.decoder, reversal.one_hot(fed, reversal.N_DEC_IN), h0, c0, m.readout)


def beam(m: Seq2Seq, digits: np.ndarray, width: int = 3, max_steps: int | None = None):
    """Beam search: keep the ``width`` most likely partial outputs (sum of log-probabilities)
    at every step; a beam that writes ``END`` is finished. Returns the best finished output
    as a ``Decoded`` (replayed with its tokens fed) and the final beams [(tokens, logp)]."""
    enc = encode(m, digits)
    S = len(digits) + 1 if max_steps is None else max_steps
    h0, c0 = _start(enc)
    live = [((), 0.0, h0, c0)]
    done: list[tuple[tuple[int, ...], float]] = []
    for _ in range(S):
        grown = []
        for toks, lp, h, c in live:
            rec = _step(m, toks[-1] if toks else reversal.START, h, c)
            step_lp = logprobs(m, rec["h"])
            for k in np.argsort(-step_lp, kind="stable")[:width].tolist():
                grown.append((toks + (k,), lp + float(step_lp[k]), rec["h"], rec.get("c")))
        grown.sort(key=lambda b: -b[1])
        live = []
        for toks, lp, h, c in grown[:width]:
            # a beam that wrote END is finished; it keeps its place among the best
            if toks[-1] == reversal.END:
                done.append((toks, lp))
            else:
                live.append((toks, lp, h, c))
        if not live:
            break
    done += [(toks, lp) for toks, lp, _, _ in live]  # out of steps without END
    done.sort(key=lambda b: -b[1])
    best = np.array(done[0][0])
    fed = np.concatenate([[reversal.START], best[:-1]])
    dec = _replay(m, enc, fed.tolist())
    probs = softmax(dec.y)
    return Decoded(enc, dec, fed, probs, best), done[:width]


def loss(d: Decoded, tgt: np.ndarray) -> float:
    """Mean cross-entropy (nats) of the target tokens, as torch's CrossEntropyLoss averages."""
    tgt = np.asarray(tgt, dtype=int)
    with np.errstate(divide="ignore"):
        return float(-np.log(d.probs[np.arange(len(tgt)), tgt]).mean())
