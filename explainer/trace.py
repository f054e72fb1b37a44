"""The record of one run: every hidden state, cell state, gate and readout (time on axis 0).

Compute once, record everything, then draw: every figure is a pure function of a ``Trace``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class Readout:
    """Linear readout ``y_t = W_hy h_t + b_y``."""

    W_hy: np.ndarray  # (O, H)
    b_y: np.ndarray  # (O,)


@dataclass(frozen=True, eq=False)
class Trace:
    """What the unrolled network computed for one input sequence.

    ``h[0]`` is ``h_0`` and ``h[t]`` is ``h_t`` for t = 1..T; gates and pre-activations are
    indexed from step 1, so ``gates["f"][t - 1]`` is ``f_t``.
    """

    kind: str
    x: np.ndarray  # (T, D)
    h: np.ndarray  # (T+1, H)
    c: np.ndarray | None  # (T+1, H), LSTM only
    gates: dict[str, np.ndarray]  # each (T, H)
    pre: np.ndarray  # (T, G*H) pre-activations entering each block's nonlinearity
    hn: np.ndarray | None = None  # (T, H) GRU's W_hn h_{t-1} + b_hn, before the reset gate
    y: np.ndarray | None = None  # (T, O) readout, when a readout was given
    extra: dict = field(default_factory=dict)

    @property
    def T(self) -> int:
        return self.x.shape[0]

    @property
    def H(self) -> int:
        return self.h.shape[1]

    def first_nonfinite_step(self) -> int | None:
        """The first step t whose hidden (or cell) state overflowed to inf/NaN, or None."""
        states = self.h if self.c is None else np.concatenate([self.h, self.c], axis=1)
        bad = ~np.isfinite(states).all(axis=1)
        return int(np.argmax(bad)) if bad.any() else None
