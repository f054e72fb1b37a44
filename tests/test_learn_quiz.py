"""The quiz: the data file loads and is checked (clear errors naming the question and field;
junk files raise nothing else), the seeded draw, grading, and every live answer recomputed
independently (torch, or the formula by hand) for several seeds."""

import json
import math
import tomllib

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from explainer.cells import sigmoid
from explainer.initializers import init_params
from explainer.learn import quiz
from explainer.learn.quiz_live import (
    GRAD_H,
    LIVE,
    LIVE_VALUES,
    REGIME_OPTIONS,
    REGIME_T,
    SATURATION_OPTIONS,
    SATURATION_T,
)
from tests.torch_ref import jacobian_norm

SEEDS = (0, 1, 7, 42, 2024)
GOOD = quiz.FILE.read_text(encoding="utf-8")


def test_the_app_file_loads_with_unique_ids_and_both_kinds():
    bank = quiz.bank()
    assert len({q.id for q in bank}) == len(bank) >= quiz.DRAW
    assert {q.live for q in bank if q.kind == "live"} == set(LIVE)
    assert sum(q.kind == "choice" for q in bank) >= quiz.DRAW - len(LIVE)


# --- validation: each broken field is named with its question ---------------------------------


def with_first(**changes) -> str:
    """The app's file with the first question's fields changed (None removes a field)."""
    data = tomllib.loads(GOOD)
    q = data["question"][0]
    for k, v in changes.items():
        if v is None:
            q.pop(k, None)
        else:
            q[k] = v
    return dump(data)


def dump(data: dict) -> str:
    """A tiny TOML writer for the quiz's shapes (tomllib cannot write)."""
    out = []
    for q in data["question"]:
        out.append("[[question]]")
        for k, v in q.items():
            out.append(f"{k} = {toml_value(v)}")
    return "\n".join(out) + "\n"


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        # JSON's escapes are TOML's; TOML also wants DEL escaped
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{ " + ", ".join(f"{toml_value(k)} = {toml_value(x)}" for k, x in v.items()) + " }"


def test_the_writer_round_trips_the_app_file():
    assert quiz.load(dump(tomllib.loads(GOOD))) == quiz.bank()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"prompt": None}, "prompt"),
        ({"why": ""}, "why"),
        ({"hint": 3}, "hint"),
        ({"kind": "essay"}, "kind"),
        ({"options": ["only one"]}, "options"),
        ({"options": ["a", 2]}, "options"),
        ({"answer": 9}, "answer"),
        ({"answer": True}, "answer"),
        ({"answer": "0"}, "answer"),
        ({"scene": {"page": "pages/99_Nope.py"}}, "scene.page"),
        ({"scene": "pages/1_Unrolled_RNN.py"}, "scene"),
        ({"scene": {"page": "pages/1_Unrolled_RNN.py", "params": {"t": 7}}}, "scene.params"),
        ({"prompt": "x" * 601}, "prompt"),
        ({"prompt": "A {missing} value"}, "prompt"),
        ({"prompt": "A { brace"}, "prompt"),
        ({"kind": "live", "live": "astrology"}, "live"),
        ({"kind": "live", "live": "grad_order", "tolerance": -1}, "tolerance"),
    ],
)
def test_a_broken_field_is_named_with_its_question(changes, field):
    with pytest.raises(quiz.QuizFileError) as e:
        quiz.load(with_first(**changes))
    message = str(e.value)
    assert message.startswith("question 1 ('same-weights')") or "prompt" not in changes, message
    assert f"field '{field}'" in message, message


def test_file_level_errors_are_clear():
    with pytest.raises(quiz.QuizFileError, match="not valid TOML"):
        quiz.load("[[question]\nid = ")
    with pytest.raises(quiz.QuizFileError, match=r"no \[\[question\]\] tables"):
        quiz.load('title = "empty"')
    twice = GOOD + GOOD.split("[[question]]", 2)[1].join(["[[question]]", ""])
    with pytest.raises(quiz.QuizFileError, match="used twice: same-weights"):
        quiz.load(twice)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_junk_text_raises_only_quiz_file_errors(text):
    try:
        quiz.load(text)
    except quiz.QuizFileError as e:
        assert str(e)


toml_scalars = st.one_of(st.text(max_size=30), st.integers(-5, 20), st.floats(), st.booleans())
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),  # fmt: skip
    max_leaves=5,
)
FIELDS = ["id", "kind", "prompt", "options", "answer", "why", "hint", "scene", "live", "tolerance"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(FIELDS), toml_values, max_size=10), max_size=4))
def test_junk_questions_raise_only_quiz_file_errors(questions):
    try:
        quiz.load(dump({"question": questions}))
    except quiz.QuizFileError as e:
        assert str(e)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(16)), st.sampled_from(FIELDS), toml_values)
@example(12, "live", [])  # an unhashable 'live' once raised TypeError (CI, stop 9)
@example(0, "kind", {})
def test_one_junk_field_in_the_real_file_raises_only_quiz_file_errors(k, field, value):
    data = tomllib.loads(GOOD)
    data["question"][k][field] = value
    try:
        quiz.load(dump(data))
    except quiz.QuizFileError as e:
        assert str(e).startswith(f"question {k + 1}") or "unique" in str(e)


# --- the draw -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def draws():
    bank = quiz.bank()
    return {seed: quiz.draw(bank, seed) for seed in SEEDS}


def test_a_draw_has_10_to_15_questions_every_live_one_and_is_seeded(draws):
    for seed, d in draws.items():
        assert 10 <= len(d) <= 15 and len({q.id for q in d}) == len(d)
        assert {q.id for q in d} >= {"param-count", "grad-order", "gate-saturation",
                                     "gradient-regime"}  # fmt: skip
        assert quiz.draw(quiz.bank(), seed) == d  # the same seed, the same quiz
    orders = {tuple(q.id for q in d) for d in draws.values()}
    assert len(orders) == len(SEEDS)  # another seed, another quiz
    lives = {tuple(q.prompt for q in d if q.id in ("param-count", "grad-order")) for d in
             draws.values()}  # fmt: skip
    assert len(lives) == len(SEEDS)


def test_choice_answers_point_at_the_file_answer_after_shuffling(draws):
    bank = {q.id: q for q in quiz.bank()}
    for d in draws.values():
        for q in d:
            if bank[q.id].kind == "choice":
                assert sorted(q.options) == sorted(bank[q.id].options)
                assert q.options[q.answer] == bank[q.id].options[bank[q.id].answer]


def test_scene_links_of_live_questions_name_their_settings(draws):
    for d in draws.values():
        q = next(q for q in d if q.id == "grad-order")
        assert q.page.endswith("4_Gradients_through_time.py")
        assert {"rho", "seq_len", "init", "activation"} <= set(q.params)
        assert f"W_hh = {float(q.params['rho'])} Q" in q.prompt


# --- every live answer against an independent computation -----------------------------------


def test_each_live_question_fills_the_names_the_loader_allows():
    for name, fn in LIVE.items():
        assert set(fn(np.random.default_rng(0)).values) == set(LIVE_VALUES[name])


def live(name: str, seed: int):
    return LIVE[name](np.random.default_rng(seed))


@pytest.mark.parametrize("seed", SEEDS)
def test_param_count_equals_torch(seed):
    got = live("param_count", seed)
    e = got.extra
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[e["kind"]]
    assert got.answer == sum(w.numel() for w in cls(e["D"], e["H"]).parameters())


def torch_rnn_gain(act: str, rho: float, seed: int, T: int) -> float:
    """||dh_T/dh_0|| by torch autograd for a vanilla RNN of any activation (torch's own RNN
    offers tanh and relu only), weights copied from the app's init."""
    p = init_params("rnn", 1, GRAD_H, nonlinearity=act, init="orthogonal", rho=rho, seed=seed)
    W_ih, W_hh = torch.tensor(p.W_ih), torch.tensor(p.W_hh)
    b = torch.tensor(p.b_ih + p.b_hh)
    f = {"linear": lambda a: a, "tanh": torch.tanh, "sigmoid": torch.sigmoid}[act]
    x = torch.sin(torch.arange(T, dtype=torch.float64))[:, None]

    def run(h):
        for t in range(T):
            h = f(W_ih @ x[t] + W_hh @ h + b)
        return h

    J = torch.autograd.functional.jacobian(run, torch.zeros(GRAD_H, dtype=torch.float64))
    return float(torch.linalg.matrix_norm(J, ord=2))


@pytest.mark.parametrize("seed", SEEDS)
def test_grad_order_equals_torch_and_rho_to_the_T(seed):
    got = live("grad_order", seed)
    e = got.extra
    gain = torch_rnn_gain("linear", e["rho"], e["seed"], e["T"])
    assert gain == pytest.approx(e["rho"] ** e["T"], rel=1e-8)
    assert got.answer == round(math.log10(gain))


@pytest.mark.parametrize("seed", SEEDS)
def test_gate_saturation_equals_torch_lstm(seed):
    got = live("gate_saturation", seed)
    e = got.extra
    p = init_params("lstm", 1, 16, forget_bias=float(e["bias"]), seed=e["seed"])
    from explainer.cells import params_to_torch

    cell = params_to_torch(p)
    h = c = torch.zeros(1, 16, dtype=torch.float64)
    fs = []
    with torch.no_grad():
        for t in range(SATURATION_T):
            x = torch.tensor([[math.sin(t)]], dtype=torch.float64)
            pre = x @ cell.weight_ih.T + cell.bias_ih + h @ cell.weight_hh.T + cell.bias_hh
            fs.append(torch.sigmoid(pre[0, 16:32]))  # rows i, f, g, o: f is the second block
            h, c = cell(x, (h, c))
    f = torch.stack(fs)
    open_, shut = float((f > 0.9).double().mean()), float((f < 0.1).double().mean())
    want = 0 if open_ > 0.5 else 1 if shut > 0.5 else 2
    assert got.answer == want and got.options == SATURATION_OPTIONS
    # and what a student reasons from: f is about sigmoid(bias) at initialisation
    s = float(sigmoid(np.array(float(e["bias"]))))
    assert want == (0 if s > 0.9 else 1 if s < 0.1 else 2)


@pytest.mark.parametrize("seed", SEEDS + (3, 5, 11))
def test_gradient_regime_equals_torch(seed):
    got = live("gradient_regime", seed)
    e = got.extra
    gain = torch_rnn_gain(e["activation"], e["rho"], e["seed"], REGIME_T)
    rate = gain ** (1 / REGIME_T)
    want = "vanishing" if rate < 100 ** (-1 / 100) else "exploding" if rate > 100 ** 0.01 else (
        "stable")  # fmt: skip
    assert REGIME_OPTIONS[got.answer] == want
    # Pascanu's reasoning agrees: gamma * rho against 1 (sigmoid gamma = 1/4)
    gamma_rho = e["rho"] * (0.25 if e["activation"] == "sigmoid" else 1.0)
    if gamma_rho < 1:
        assert want == "vanishing"


def test_the_torch_oracle_agrees_with_the_suites_own_reference():
    p = init_params("rnn", 1, GRAD_H, nonlinearity="tanh", init="orthogonal", rho=0.8, seed=3)
    x = np.sin(np.arange(30.0))[:, None]
    assert torch_rnn_gain("tanh", 0.8, 3, 30) == pytest.approx(jacobian_norm(p, x, 0), rel=1e-9)


# --- grading and seeds ----------------------------------------------------------------------


def number_question(answer=140.0, tolerance=0.0) -> quiz.Drawn:
    return quiz.Drawn("n", "How many?", "why", "look here", "pages/1_Unrolled_RNN.py", {}, (),
                      answer, tolerance)  # fmt: skip


def test_right_wrong_and_unreadable_answers_get_different_feedback():
    q = number_question()
    right, wrong = quiz.grade(q, " 1,40 "), quiz.grade(q, "141")
    assert right.verdict == "right" and right.message.startswith("Right: 140")
    assert wrong.verdict == "wrong" and "the answer is 140" in wrong.message
    assert "look here" in wrong.message and "look here" not in right.message
    for junk in ("", "abc", "1e999", "nan", "💥", "12 apples", None, 3):
        fb = quiz.grade(q, junk)
        assert fb.verdict == "unreadable" and "not a number" in fb.message


def test_tolerance_and_choices():
    q = number_question(-3, tolerance=1)
    assert [quiz.grade(q, s).verdict for s in ("-4", "−2", "-5", "3")] == [
        "right", "right", "wrong", "wrong"]  # fmt: skip
    c = quiz.Drawn("c", "?", "w", "h", "pages/1_Unrolled_RNN.py", {}, ("a", "b"), 1)
    assert quiz.grade(c, "b").verdict == "right" and quiz.grade(c, "a").verdict == "wrong"
    assert quiz.grade(c, None).verdict == quiz.grade(c, "zz").verdict == "unreadable"


def test_score_counts_rights_and_lists_the_rest_in_order(draws):
    d = draws[0]
    verdicts = {q.id: "right" for q in d[::2]} | {q.id: "wrong" for q in d[1::3]}
    right, missed = quiz.score(d, verdicts)
    assert right == len({q.id for q in d[::2]} - {q.id for q in d[1::3]})
    assert [q.id for q in missed] == [q.id for q in d if verdicts.get(q.id) != "right"]


@pytest.mark.parametrize(
    ("raw", "seed", "said"),
    [
        (None, 0, None),
        ("17", 17, None),
        ("abc", 0, "is not a number"),
        ("2.5", 3, "is not a whole number"),
        ("-4", 0, "is outside 0 to 2147483647"),
        ("1e30", 2**31 - 1, "is outside"),
        ("", 0, "is not a number"),
    ],  # fmt: skip
)
def test_junk_seeds_give_a_clear_notice(raw, seed, said):
    got, notice = quiz.read_seed(raw)
    assert got == seed
    assert (notice is None) if said is None else (said in notice and f"using {seed}" in notice)
