"""Named lecture scenes: a page and the query parameters that recreate one teaching moment.

Each scene is a deep link (``RunConfig`` fields plus the step ``t`` and unit ``unit``), so a
lecturer can put it on a slide and land on exactly that picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from explainer.config import RunConfig


@dataclass(frozen=True)
class Scenario:
    """One scene: what it shows, on which page, with which settings."""

    title: str
    page: str  # file under pages/
    lesson: str  # one sentence: what to see
    params: dict[str, str] = field(default_factory=dict)
    regime: str | None = None  # what gradients.regime says of this run, checked by the tests

    def config(self) -> RunConfig:
        """The run this scene shows (raises if a parameter is junk)."""
        cfg, notices = RunConfig.from_query(self.params)
        if notices:
            raise ValueError(f"scene {self.title!r}: {'; '.join(notices.values())}")
        fixed = {"2_LSTM_gates.py": "lstm", "3_GRU_gates.py": "gru"}.get(self.page.split("/")[-1])
        return cfg.with_(cell=fixed) if fixed else cfg


SCENARIOS = (
    Scenario(
        "One character at a time",
        "pages/1_Unrolled_RNN.py",
        "The same cell and the same weights at every step; h_t carries what came before.",
        {"text": "hello hello", "hidden_size": "8", "t": "7"},
    ),
    Scenario(
        "Exactly ρ^(T−t): a linear RNN",
        "pages/4_Gradients_through_time.py",
        "With W_hh = ρQ the gradient norm is a straight line on a log scale, slope log ρ.",
        {
            "activation": "linear",
            "init": "orthogonal",
            "rho": "0.9",
            "source": "sine",
            "seq_len": "100",
        },
        regime="vanishing",
    ),
    Scenario(
        "Vanishing in a tanh RNN",
        "pages/4_Gradients_through_time.py",
        "σ_max(W_hh) = 1 and tanh' ≤ 1: the signal from early steps fades away.",
        {"init": "orthogonal", "rho": "1.0", "source": "sine", "seq_len": "200"},
        regime="vanishing",
    ),
    Scenario(
        "Sigmoid: ρ = 3 still vanishes",
        "pages/4_Gradients_through_time.py",
        "sigmoid' ≤ 1/4, so exploding needs σ_max above 4 (Pascanu et al. 2013).",
        {
            "activation": "sigmoid",
            "init": "orthogonal",
            "rho": "3.0",
            "source": "sine",
            "seq_len": "100",
        },
        regime="vanishing",
    ),
    Scenario(
        "Exploding: ReLU with ρ = 1.5",
        "pages/4_Gradients_through_time.py",
        "Above the threshold the product of Jacobians grows; clipping rescues the update.",
        {
            "activation": "relu",
            "init": "identity",
            "rho": "1.5",
            "source": "sine",
            "seq_len": "200",
            "clip": "1",
        },
        regime="exploding",
    ),
    Scenario(
        "Overflow as an event",
        "pages/4_Gradients_through_time.py",
        "A linear RNN with ρ = 4 over 520 steps leaves the range of floating point numbers.",
        {
            "activation": "linear",
            "init": "identity",
            "rho": "4.0",
            "source": "copy",
            "seq_len": "500",
        },
        regime="overflow",
    ),
    Scenario(
        "Forget bias 0: memory fades",
        "pages/2_LSTM_gates.py",
        "f ≈ σ(0) = 0.5: the cell path keeps about 0.5^k, around 1e-15 after 50 steps.",
        {"weights": "random", "forget_bias": "0", "source": "sine", "seq_len": "60"},
    ),
    Scenario(
        "Forget bias 5: an integrator",
        "pages/2_LSTM_gates.py",
        "f ≈ σ(5) = 0.993: the cell path still keeps about 0.7 after 50 steps.",
        {"weights": "random", "forget_bias": "5", "source": "sine", "seq_len": "60"},
    ),
    Scenario(
        "Three cells, one long input",
        "pages/5_Compare_cells.py",
        "Same input, same seed: which gradient curve falls fastest?",
        {"source": "sine", "seq_len": "300", "hidden_size": "32"},
    ),
)
