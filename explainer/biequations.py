r"""Live equations of the bidirectional tagger: each direction's cell at step t with the
arrow of its reading order, and the readout on the joined state.

.. math::
    p_t = \sigma\big(w^\top [\overrightarrow{h}_t ; \overleftarrow{h}_t] + b\big)
"""

from __future__ import annotations

import re

from explainer.bidirectional import BiTrace
from explainer.cells import CellParams, sigmoid
from explainer.equations import live_equations, num, par

ARROWS = {"fwd": r"\overrightarrow", "bwd": r"\overleftarrow"}


def _arrowed(line: str, arrow: str) -> str:
    # the states carry the direction's arrow: h_ -> \overrightarrow{h}_
    return re.sub(r"\b([hc])_", lambda m: arrow + "{" + m.group(1) + "}_", line)


def direction(p: CellParams, tr, t: int, j: int, reverse: bool) -> list[str]:
    """The cell's equations for unit j at input step t (1..T) in the input's numbering: the
    backward cell's previous state is that of step t+1."""
    T = tr.T
    k = T + 1 - t if reverse else t  # the step in the cell's own reading order
    prev = t + 1 if reverse else t - 1
    lines = []
    for line in live_equations(p, tr, k, j):
        lhs, sym, numbers = line.split(" = ", 2)
        eq = f"{lhs} = {sym}"
        # through a placeholder, so that renumbering k-1 cannot collide with k
        eq = eq.replace(f"_{{{k - 1}}}", "_{PREV}").replace(f"_{{{k}}}", f"_{{{t}}}")
        eq = _arrowed(eq.replace("_{PREV}", f"_{{{prev}}}"), ARROWS["bwd" if reverse else "fwd"])
        lines.append(f"{eq} = {numbers}")
    return lines


def readout(w, b: float, bt: BiTrace, t: int) -> str:
    """p_t = sigma(w . [h_fwd_t ; h_bwd_t] + b) with this run's numbers."""
    H = bt.fwd.H
    a, c = float(w[:H] @ bt.h_fwd[t - 1]), float(w[H:] @ bt.h_bwd[t - 1])
    z = a + c + b
    p = float(sigmoid(z))
    sym = (
        rf"p_{{{t}}} = \sigma\big(w_{{\rightarrow}}^\top \overrightarrow{{h}}_{{{t}}} + "
        rf"w_{{\leftarrow}}^\top \overleftarrow{{h}}_{{{t}}} + b\big)"
    )
    return f"{sym} = \\sigma({num(a)} + {par(c)} + {par(b)}) = \\sigma({num(z)}) = {num(p)}"
