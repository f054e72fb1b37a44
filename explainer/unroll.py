"""Run a from-scratch cell over a sequence and record everything in a ``Trace``.

.. math::
    h_t = \\text{cell}(x_t, h_{t-1}) \\quad t = 1 .. T, \\qquad y_t = W_{hy} h_t + b_y
"""

from __future__ import annotations

import numpy as np

from explainer.cells import GATES, STEPS, CellParams
from explainer.trace import Readout, Trace


def check_sequence(p: CellParams, x: np.ndarray) -> np.ndarray:
    """Validate an input sequence of shape (T, D) and return it as float64."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (T, D); got {x.shape}")
    if x.shape[0] == 0:
        raise ValueError("the input sequence is empty: it needs at least one step")
    if x.shape[1] != p.input_size:
        raise ValueError(f"x has {x.shape[1]} features per step; the cell expects {p.input_size}")
    if not np.isfinite(x).all():
        raise ValueError("the input sequence holds NaN or inf values")
    return x


def _initial(p: CellParams, v: np.ndarray | None, name: str) -> np.ndarray:
    if v is None:
        return np.zeros(p.hidden_size)
    v = np.asarray(v, dtype=np.float64)
    if v.shape != (p.hidden_size,):
        raise ValueError(f"{name} must have shape ({p.hidden_size},); got {v.shape}")
    return v


def unroll(
    p: CellParams,
    x: np.ndarray,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
    readout: Readout | None = None,
) -> Trace:
    """Run cell ``p`` over ``x`` (T, D) from ``h0`` (and ``c0`` for an LSTM); never raises on
    overflow: an exploding run records inf/NaN (see ``Trace.first_nonfinite_step``)."""
    x = check_sequence(p, x)
    T, H = x.shape[0], p.hidden_size
    step = STEPS[p.kind]
    h = np.empty((T + 1, H))
    h[0] = _initial(p, h0, "h0")
    c = None
    if p.kind == "lstm":
        c = np.empty((T + 1, H))
        c[0] = _initial(p, c0, "c0")
    gates = {g: np.empty((T, H)) for g in GATES[p.kind]}
    pre = np.empty((T, p.W_hh.shape[0]))
    hn = np.empty((T, H)) if p.kind == "gru" else None
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T):
            rec = step(p, x[t], h[t], c[t]) if c is not None else step(p, x[t], h[t])
            h[t + 1], pre[t] = rec["h"], rec["pre"]
            for g in gates:
                gates[g][t] = rec[g]
            if c is not None:
                c[t + 1] = rec["c"]
            if hn is not None:
                hn[t] = rec["hn"]
        y = None if readout is None else h[1:] @ readout.W_hy.T + readout.b_y
    return Trace(p.kind, x, h, c, gates, pre, hn, y)
