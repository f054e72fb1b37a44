"""The equations shown are the cells' docstrings, and their numbers are the run's numbers."""

import re

import numpy as np
import pytest

from explainer.cells import STEPS
from explainer.equations import at_step, equations, live_equations, num
from explainer.initializers import init_params
from explainer.unroll import unroll

LAST_NUMBER = re.compile(r"= (\(?-?[0-9.]+(?:\\times 10\^\{-?\d+\})?\)?)$")


def value_of(latex: str) -> float:
    """The result at the end of a substituted line, back as a float."""
    s = LAST_NUMBER.search(latex).group(1).strip("()")
    if r"\times" in s:
        mant, exp = s.split(r"\times 10^{")
        return float(mant) * 10 ** int(exp.rstrip("}"))
    return float(s)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_symbolic_lines_are_the_docstring_math_block(kind):
    lines = equations(kind)
    doc = STEPS[kind].__doc__
    assert lines and all(line.split(" = ")[0] in doc for line in lines)
    assert len(lines) == {"rnn": 1, "lstm": 6, "gru": 4}[kind]


@pytest.mark.parametrize(
    "act,symbol", [("tanh", r"\tanh"), ("relu", "ReLU"), ("sigmoid", r"\sigma")]
)
def test_activation_is_named_in_the_rnn_equation(act, symbol):
    assert symbol in equations("rnn", act)[0]


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("t,j", [(1, 0), (4, 2), (9, 5)])
def test_substituted_results_equal_the_trace(kind, t, j):
    p = init_params(kind, 3, 6, init="gaussian", rho=1.1, seed=t)
    tr = unroll(p, np.random.default_rng(j).standard_normal((9, 3)))
    lines = live_equations(p, tr, t, j)
    gates = [tr.gates[k][t - 1, j] for k in tr.gates]
    cell = [tr.c[t, j]] if kind == "lstm" else []
    expected = gates + cell + [tr.h[t, j]]
    for line, want in zip(lines, expected, strict=True):
        assert value_of(line) == pytest.approx(want, rel=5e-3, abs=5e-4), line
        assert f"_{{{t}}}" in line and "_t" not in line.split(" = ")[0]


def test_bad_step_or_unit_is_refused():
    p = init_params("rnn", 1, 2)
    tr = unroll(p, np.zeros((3, 1)))
    for t, j in [(0, 0), (4, 0), (1, 2)]:
        with pytest.raises(ValueError):
            live_equations(p, tr, t, j)


def test_numbers_and_steps_render():
    assert num(-0.000123) == r"-0.000123" and num(1.5e-7) == r"1.5\times 10^{-07}"
    assert num(float("inf")) == r"\infty" and num(float("nan")) == r"\text{NaN}"
    assert at_step(r"h_t = f(h_{t-1}, x_t)", 7) == r"h_{7} = f(h_{6}, x_{7})"
