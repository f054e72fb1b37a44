"""The guided path: the lessons in order, each stop a scene (a page and its query parameters,
``lectures.Scene``) with a short card: what to look at, what to do, one question.

A stop's position is in the URL as ``?learn=k`` (1-based), like a lecture's ``scene=k``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explainer import lectures

UNROLLED = "pages/1_Unrolled_RNN.py"
LSTM = "pages/2_LSTM_gates.py"
GRU = "pages/3_GRU_gates.py"
GRADIENTS = "pages/4_Gradients_through_time.py"
COMPARE = "pages/5_Compare_cells.py"
TRAIN = "pages/6_Train_and_compare.py"
# pages whose sidebar is a RunConfig: a stop there sets every field, so nothing of the stop
# before leaks in through the sidebar's session state
CONFIG_PAGES = (UNROLLED, LSTM, GRU, GRADIENTS, COMPARE)
# the checks each concept page carries (explainer.learn.checks), by page
PAGE_CHECKS = {UNROLLED: "unrolled", LSTM: "lstm", GRU: "gru", GRADIENTS: "gradients",
               COMPARE: "compare"}  # fmt: skip


@dataclass(frozen=True)
class Stop:
    """One stop of the path: its scene and its card."""

    scene: lectures.Scene
    look: str  # what to look at
    do: str  # what to do
    question: str  # one question to answer before moving on

    @property
    def title(self) -> str:
        return self.scene.title

    @property
    def page(self) -> str:
        return self.scene.page

    def query(self) -> dict[str, str]:
        """The query parameters that open this stop (without ``learn=``)."""
        if self.page not in CONFIG_PAGES:
            return dict(self.scene.params)
        view = {k: v for k, v in self.scene.params.items() if k in lectures.VIEW_PARAMS}
        return {**self.scene.config().to_query(), **view}


def _stop(title: str, page: str, params: dict, look: str, do: str, question: str) -> Stop:
    return Stop(lectures.Scene(title, page, {k: str(v) for k, v in params.items()}),
                look, do, question)  # fmt: skip


HELLO = {"text": "hello hello", "hidden_size": 8}

PATH: tuple[Stop, ...] = (
    _stop(
        "Why sequences need memory",
        UNROLLED,
        {**HELLO, "t": 4},
        "Steps 3 and 4 both read the letter l. After the first l comes another l, after the "
        "second an o: the input alone cannot tell them apart.",
        "Move the step t between 3 and 4 and compare the two columns of the heatmap.",
        "Both columns read the same input: what makes them differ?",
    ),
    _stop(
        "The hidden state and unrolling",
        UNROLLED,
        {**HELLO, "t": 7},
        "The chain: one copy of the cell per step, h_t passed to the right.",
        "Press Play, then pick a unit j and follow its row in the heatmap.",
        "Which earlier input pushed unit j furthest? Answer the check below the chain.",
    ),
    _stop(
        "Weight sharing and the parameter count",
        UNROLLED,
        {**HELLO, "t": 10},
        "Every copy of the cell in the chain uses the same W_ih, W_hh and biases.",
        "Change the text's length, then change H: which one changes the count?",
        "How many parameters does this cell have? Answer the check with the formula.",
    ),
    _stop(
        "Vanishing and exploding gradients",
        GRADIENTS,
        {
            "activation": "linear",
            "init": "orthogonal",
            "rho": "0.9",
            "source": "sine",
            "seq_len": "100",
        },  # fmt: skip
        "The coloured curve: how much a nudge to h_t still moves h_T, on a log scale.",
        "Predict first, then move ρ to 1.1 and back to 0.9.",
        "Will ‖∂h_T/∂h_1‖ be above or below 1e-3 here?",
    ),
    _stop(
        "LSTM gates and the cell state",
        LSTM,
        {"weights": "char-lstm", "t": 10},
        "The forget gate f of each unit in the heatmaps, and the conveyor belt c_t of unit j.",
        "Find the unit whose forget gate stays above 0.9 longest, then follow its belt.",
        "Which unit is the best integrator?",
    ),
    _stop(
        "GRU gates",
        GRU,
        {"weights": "char-gru", "t": 10},
        "The update gate z: near 1 keeps the old state, near 0 takes the candidate n.",
        "Press Play and watch which bars stay high.",
        "At step t, which unit keeps most of its old state?",
    ),
    _stop(
        "LSTM vs GRU",
        COMPARE,
        {"source": "sine", "seq_len": "300", "hidden_size": "32"},
        "The three gradient curves and the parameter counts below them.",
        "Try ρ = 1 with init orthogonal, then ρ = 0: which curve survives?",
        "Which cell reaches furthest back, and what does it cost in parameters?",
    ),
    _stop(
        "Training: what the three cells can learn",
        TRAIN,
        {},
        "The loss curves of the three cells against the dashed baseline.",
        "Pick the adding problem and press Train.",
        "Which cells beat the baseline, and at which T does the vanilla RNN stop?",
    ),
)


def page_file(page: str) -> str:
    """``pages/N_Name.py`` for a page given as a path or a file name."""
    return f"pages/{Path(page).name}"


def stops_on(page: str) -> list[int]:
    """The stops (1-based) that open ``page``."""
    name = Path(page).name
    return [k for k, s in enumerate(PATH, 1) if Path(s.page).name == name]
