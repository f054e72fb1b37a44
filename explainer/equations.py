r"""LaTeX of each cell's equations, read from the cells' own docstrings, and the same equations
with the run's numbers substituted for one unit at one step (like CNN Explainer's maths view).

What the app shows is what the code runs: the symbolic lines are the ``.. math::`` blocks of
``cells.rnn_step``, ``cells.lstm_step`` and ``cells.gru_step``; the numbers come from the trace.
"""

from __future__ import annotations

import re

import numpy as np

from explainer.cells import STEPS, CellParams
from explainer.trace import Trace

ACT_LATEX = {
    "tanh": r"\tanh",
    "relu": r"\operatorname{ReLU}",
    "sigmoid": r"\sigma",
    "linear": r"\operatorname{id}",
}


def equations(kind: str, nonlinearity: str = "tanh") -> list[str]:
    """The cell's equations, one LaTeX string per line, straight from its docstring."""
    block = STEPS[kind].__doc__.split(".. math::", 1)[1]
    lines = []
    for raw in block.strip().splitlines():
        line = raw.strip().removesuffix(r"\\").strip()
        if not line:
            break
        lines.append(line.replace(r"\operatorname{act}", ACT_LATEX[nonlinearity]))
    return lines


def at_step(line: str, t: int) -> str:
    """Replace the symbolic step by the number: ``h_{t-1}`` -> ``h_{4}``, ``x_t`` -> ``x_{5}``."""
    line = line.replace("_{t-1}", "_{" + str(t - 1) + "}")
    return re.sub(r"_t\b|_\{t\}", "_{" + str(t) + "}", line)


def num(v: float) -> str:
    """A number for an equation: 3 significant digits, negatives in brackets after a plus."""
    if not np.isfinite(v):
        return r"\infty" if v > 0 else (r"-\infty" if v < 0 else r"\text{NaN}")
    s = f"{v:.3g}"
    return s.replace("e", r"\times 10^{") + "}" if "e" in s else s


def par(v: float) -> str:
    """A factor in a product: negatives in brackets."""
    return f"({num(v)})" if v < 0 else num(v)


def _sum(*terms: float) -> str:
    out = num(terms[0])
    for v in terms[1:]:
        out += f" + ({num(v)})" if v < 0 else f" + {num(v)}"
    return out


def _block_terms(p: CellParams, tr: Trace, t: int, j: int, block: str) -> tuple[float, ...]:
    """(W_i x_t)_j, b_i_j, (W_h h_{t-1})_j, b_h_j for one gate block and unit j."""
    row = p.block(block).start + j
    x, h_prev = tr.x[t - 1], tr.h[t - 1]
    return (
        float(p.W_ih[row] @ x),
        float(p.b_ih[row]),
        float(p.W_hh[row] @ h_prev),
        float(p.b_hh[row]),
    )


def live_equations(p: CellParams, tr: Trace, t: int, j: int) -> list[str]:
    """Each equation for unit ``j`` at step ``t`` (1..T) followed by its numbers and result."""
    if not 1 <= t <= tr.T or not 0 <= j < tr.H:
        raise ValueError(f"step t must be in 1..{tr.T} and unit j in 0..{tr.H - 1}")
    lines = [at_step(line, t) for line in equations(p.kind, p.nonlinearity)]
    numbers = {"rnn": _rnn_numbers, "lstm": _lstm_numbers, "gru": _gru_numbers}[p.kind](p, tr, t, j)
    return [f"{line} = {rhs}" for line, rhs in zip(lines, numbers, strict=True)]


def _gate(name: str, fn: str, p, tr, t, j) -> str:
    terms = _block_terms(p, tr, t, j, name)
    value = tr.gates[name][t - 1, j] if name in tr.gates else tr.h[t, j]
    return f"{fn}({_sum(*terms)}) = {fn}({num(sum(terms))}) = {num(value)}"


def _rnn_numbers(p, tr, t, j) -> list[str]:
    return [_gate("a", ACT_LATEX[p.nonlinearity], p, tr, t, j)]


def _lstm_numbers(p, tr, t, j) -> list[str]:
    i, f, g, o = (tr.gates[k][t - 1, j] for k in "ifgo")
    c_prev, c, h = tr.c[t - 1, j], tr.c[t, j], tr.h[t, j]
    fns = {"i": r"\sigma", "f": r"\sigma", "g": r"\tanh", "o": r"\sigma"}
    return [_gate(k, fns[k], p, tr, t, j) for k in "ifgo"] + [
        rf"{par(f)} \cdot {par(c_prev)} + {par(i)} \cdot {par(g)} = {num(c)}",
        rf"{par(o)} \cdot \tanh({num(c)}) = {num(h)}",
    ]


def _gru_numbers(p, tr, t, j) -> list[str]:
    r, z, n = (tr.gates[k][t - 1, j] for k in "rzn")
    wx, bi, wh, bh = _block_terms(p, tr, t, j, "n")
    h_prev, h = tr.h[t - 1, j], tr.h[t, j]
    return [
        _gate("r", r"\sigma", p, tr, t, j),
        _gate("z", r"\sigma", p, tr, t, j),
        rf"\tanh({_sum(wx, bi)} + {par(r)} \cdot ({_sum(wh, bh)})) = {num(n)}",
        rf"(1 - {num(z)}) \cdot {par(n)} + {par(z)} \cdot {par(h_prev)} = {num(h)}",
    ]
