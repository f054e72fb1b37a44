r"""Backpropagation through an encoder-decoder by hand: the loss reaches the encoder only through
the context vector, so every gradient the encoder gets passes through that one vector.

.. math::
    \frac{\partial L}{\partial h^{e}_n} = \frac{\partial L}{\partial h^{d}_0}, \qquad
    \frac{\partial L}{\partial h^{e}_s} = \frac{\partial L}{\partial h^{e}_n}
    \prod_{k=s+1}^{n} \frac{\partial h^{e}_k}{\partial h^{e}_{k-1}}

References: Sutskever, Vinyals & Le 2014, arXiv:1409.3215; Werbos 1990 (BPTT).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explainer import reversal
from explainer.gradients import Grads, backward
from explainer.seq2seq import Decoded, Seq2Seq, teacher_forced


@dataclass(frozen=True, eq=False)
class Seq2SeqGrads:
    """Gradients of the mean cross-entropy under teacher forcing."""

    loss: float
    encoder: Grads
    decoder: Grads  # with W_hy and b_y of the readout
    run: Decoded

    @property
    def context(self) -> np.ndarray:
        """dL/d(context): all the encoder ever hears from the loss."""
        return self.encoder.dh[-1]  # (H,)


def loss_gradients(m: Seq2Seq, digits: np.ndarray, tgt: np.ndarray | None = None) -> Seq2SeqGrads:
    """Teacher-forced forward, mean cross-entropy over the decoder's steps, and the full
    hand-written backward: readout, decoder, then the encoder from the context's gradient."""
    tgt = reversal.target(digits) if tgt is None else np.asarray(tgt, dtype=int)
    d = teacher_forced(m, digits, tgt)
    S = len(tgt)
    # softmax cross-entropy: dL/dy = (p - onehot(target)) / S
    dy = d.probs.copy()
    dy[np.arange(S), tgt] -= 1.0
    dy /= S
    loss = float(-np.log(d.probs[np.arange(S), tgt]).mean())
    dh_dec = np.zeros_like(d.dec.h)
    dh_dec[1:] = dy @ m.readout.W_hy
    g_dec = backward(m.decoder, d.dec, dh_dec)
    g_dec = Grads(**{**g_dec.__dict__, "W_hy": dy.T @ d.dec.h[1:], "b_y": dy.sum(axis=0)})
    # the decoder's h_0 (and c_0) is the encoder's last state
    dh_enc = np.zeros_like(d.enc.h)
    dh_enc[-1] = g_dec.dh[0]
    dc = g_dec.dc[0] if g_dec.dc is not None else None
    g_enc = backward(m.encoder, d.enc, dh_enc, dc)
    return Seq2SeqGrads(loss, g_enc, g_dec, d)
