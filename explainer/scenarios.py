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
        "σ_max(W_hh) = 1 only caps each step's gain at 1; tanh' < 1 away from 0 makes it fade.",
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


GRADIENTS_PAGE = "pages/4_Gradients_through_time.py"


@dataclass(frozen=True)
class Setting:
    """One button of a "what to try" item: the settings it switches to (every other control at
    the page's default) and the regime it shows there, checked by the tests."""

    label: str
    params: dict[str, str]
    regime: str | None = None

    def config(self) -> RunConfig:
        """The run of this setting: the page's defaults, then ``params``."""
        return Scenario(self.label, GRADIENTS_PAGE, "", self.params).config()


def _rnn(**params: str) -> dict[str, str]:
    return {"source": "sine", **params}


# the gradients page's experiments, by name; the page holds the words, these the settings
GRADIENT_TIPS: dict[str, tuple[Setting, ...]] = {
    "slope": tuple(
        Setting(f"ρ = {rho}", _rnn(activation="linear", init="orthogonal", rho=rho), regime)
        for rho, regime in (("0.9", "vanishing"), ("1.0", "stable"), ("1.1", "exploding"))
    ),
    "not_tight": (
        Setting("orthogonal, ρ = 1.5", _rnn(init="orthogonal", rho="1.5"), "exploding"),
        Setting("identity, ρ = 1.5", _rnn(init="identity", rho="1.5"), "vanishing"),
    ),
    "sigmoid": (
        Setting(
            "sigmoid, ρ = 3", _rnn(activation="sigmoid", init="orthogonal", rho="3.0"), "vanishing"
        ),
    ),
    "remedy": (
        Setting("PyTorch's init", _rnn(), "vanishing"),
        Setting("identity, ρ = 1 (IRNN)", _rnn(init="identity", rho="1.0"), "stable"),
        Setting(
            "orthogonal, ρ = 1, linear",
            _rnn(activation="linear", init="orthogonal", rho="1.0"),
            "stable",
        ),
    ),
    "forget_bias": tuple(
        Setting(f"b_f = {b}", _rnn(cell="lstm", forget_bias=b, seq_len="200"), regime)
        for b, regime in (("0", "vanishing"), ("5", "stable"))
    ),
    "overflow": (
        Setting(
            "linear, identity, ρ = 4, T = 500",
            _rnn(activation="linear", init="identity", rho="4.0", seq_len="500"),
            "overflow",
        ),
    ),
    "clipping": (
        Setting(
            "ρ = 2.5, T = 100, θ = 1",
            _rnn(init="orthogonal", rho="2.5", seq_len="100", clip="1"),
            "exploding",
        ),
    ),
}
