"""Live quiz questions: each draws its settings from the quiz's seeded generator and computes
the right answer with the app's own core, so a different seed asks about a different model.

Each function returns a ``Live``: the values that fill the question's prompt, the answer (a
number, or the index of the right option), the options of a choice, and the scene's link
parameters. References: PyTorch's parameter counts (G (HD + H^2 + 2H)); Pascanu et al. 2013
(thresholds 1 for tanh/linear, 4 for sigmoid); Karpathy et al. 2015 (saturation 0.1 / 0.9).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from explainer.cells import n_params
from explainer.figures.alt import fmt
from explainer.figures.gates import LEFT, RIGHT
from explainer.figures.theme import CELL_NAMES
from explainer.gradients import jacobian_norms, regime
from explainer.initializers import init_params
from explainer.learn.misconceptions import sine
from explainer.unroll import unroll

PAGES = {"rnn": "pages/1_Unrolled_RNN.py", "lstm": "pages/2_LSTM_gates.py",
         "gru": "pages/3_GRU_gates.py"}  # fmt: skip
GRADIENTS = "pages/4_Gradients_through_time.py"
GRAD_H = 16
SATURATION_T = 40
SATURATION_OPTIONS = (f"mostly open (above {RIGHT})", f"mostly shut (below {LEFT})", "neither")
REGIME_OPTIONS = ("vanishing", "stable", "exploding")
REGIME_T = 100
# (activation, rho) pairs whose regime a student can reason out from Pascanu's thresholds
REGIME_CASES = (("linear", 0.9), ("linear", 1.0), ("linear", 1.1), ("tanh", 0.8),
                ("sigmoid", 3.0), ("linear", 1.2))  # fmt: skip


@dataclass(frozen=True)
class Live:
    values: dict[str, object]  # fills the prompt's {names}
    answer: float  # the number, or the index of the right option
    page: str
    params: dict[str, str]
    options: tuple[str, ...] = ()
    detail: str = ""  # the computed numbers, shown at the reveal
    extra: dict = field(default_factory=dict)  # what the tests recompute independently


def param_count(rng: np.random.Generator) -> Live:
    """How many parameters does this cell have?"""
    kind = str(rng.choice(("rnn", "lstm", "gru")))
    D, H = int(rng.integers(2, 31)), int(rng.integers(4, 65))
    count = n_params(kind, D, H)
    blocks = {"rnn": 1, "lstm": 4, "gru": 3}[kind]
    detail = f"{blocks} × ({H}·{D} + {H}² + 2·{H}) = {count:,}"
    return Live({"cell": CELL_NAMES[kind], "D": D, "H": H}, count, PAGES[kind],
                {"weights": "random", "hidden_size": str(H)}, detail=detail,
                extra={"kind": kind, "D": D, "H": H})  # fmt: skip


def grad_order(rng: np.random.Generator) -> Live:
    """The power of ten of ||dh_T/dh_0|| in a linear RNN with W_hh = rho Q."""
    rho = float(rng.choice((0.5, 0.6, 0.7, 0.8, 0.9)))
    T = int(rng.choice((20, 40, 60, 80, 100)))
    seed = int(rng.integers(0, 1000))
    p = init_params("rnn", 1, GRAD_H, nonlinearity="linear", init="orthogonal", rho=rho, seed=seed)
    gain = float(jacobian_norms(p, sine(T))[0])
    power = int(np.round(np.log10(gain)))
    detail = f"||∂h_T/∂h_0|| = {fmt(gain)} = ρ^T = {rho}^{T}, about 10^{power}"
    params = {"activation": "linear", "init": "orthogonal", "rho": f"{rho:g}", "source": "sine",
              "seq_len": str(T), "hidden_size": str(GRAD_H), "seed": str(seed)}  # fmt: skip
    return Live({"rho": rho, "T": T, "H": GRAD_H}, power, GRADIENTS, params, detail=detail,
                extra={"rho": rho, "T": T, "seed": seed, "gain": gain})  # fmt: skip


def gate_saturation(rng: np.random.Generator) -> Live:
    """Where does the forget gate of an LSTM with this forget bias sit?"""
    bias = int(rng.choice((-5, -4, 0, 4, 5)))
    seed = int(rng.integers(0, 1000))
    p = init_params("lstm", 1, 16, forget_bias=float(bias), seed=seed)
    f = unroll(p, sine(SATURATION_T)).gates["f"]
    shares = (float((f > RIGHT).mean()), float((f < LEFT).mean()))
    answer = 0 if shares[0] > 0.5 else 1 if shares[1] > 0.5 else 2
    detail = (f"σ({bias}) = {fmt(1 / (1 + np.exp(-bias)))}; {shares[0]:.0%} of the f values are "
              f"above {RIGHT}, {shares[1]:.0%} below {LEFT}")  # fmt: skip
    params = {"weights": "random", "forget_bias": str(bias), "source": "sine",
              "seq_len": str(SATURATION_T), "seed": str(seed)}  # fmt: skip
    return Live({"bias": bias}, answer, PAGES["lstm"], params, SATURATION_OPTIONS, detail,
                extra={"bias": bias, "seed": seed})  # fmt: skip


def gradient_regime(rng: np.random.Generator) -> Live:
    """Vanishing, stable or exploding: a vanilla RNN with W_hh = rho Q and this activation."""
    act, rho = REGIME_CASES[int(rng.integers(len(REGIME_CASES)))]
    seed = int(rng.integers(0, 1000))
    p = init_params("rnn", 1, GRAD_H, nonlinearity=act, init="orthogonal", rho=rho, seed=seed)
    norms = jacobian_norms(p, sine(REGIME_T))
    name = regime(norms)
    detail = f"||∂h_T/∂h_0|| = {fmt(norms[0])} over T = {REGIME_T} steps: {name}"
    params = {"activation": act, "init": "orthogonal", "rho": f"{rho:g}", "source": "sine",
              "seq_len": str(REGIME_T), "hidden_size": str(GRAD_H), "seed": str(seed)}  # fmt: skip
    return Live({"activation": act, "rho": rho, "T": REGIME_T}, REGIME_OPTIONS.index(name),
                GRADIENTS, params, REGIME_OPTIONS, detail,
                extra={"activation": act, "rho": rho, "seed": seed})  # fmt: skip


LIVE = {
    "param_count": param_count,
    "grad_order": grad_order,
    "gate_saturation": gate_saturation,
    "gradient_regime": gradient_regime,
}
# the names each one fills in a prompt (checked at load without computing anything)
LIVE_VALUES = {
    "param_count": ("cell", "D", "H"),
    "grad_order": ("rho", "T", "H"),
    "gate_saturation": ("bias",),
    "gradient_regime": ("activation", "rho", "T"),
}
