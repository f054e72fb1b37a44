"""Seeded inputs and tasks: baselines from the papers, structure, and messages for bad input."""

import math

import numpy as np
import pytest

from explainer import tasks


def test_adding_problem_baseline_is_one_sixth():
    x, y = tasks.adding(50, batch=20000, seed=0)
    assert x.shape == (20000, 50, 2)
    np.testing.assert_array_equal(x[..., 1].sum(axis=1), 2)
    marked = (x[..., 0] * x[..., 1]).sum(axis=1)
    np.testing.assert_allclose(marked, y)
    assert np.mean((y - 1.0) ** 2) == pytest.approx(tasks.ADDING_BASELINE_MSE, abs=0.005)
    assert tasks.ADDING_BASELINE_MSE == pytest.approx(0.167, abs=5e-4)


def test_adding_marks_one_position_in_each_half():
    x, _ = tasks.adding(10, batch=500, seed=1)
    marks = x[..., 1]
    assert (marks[:, :5].sum(axis=1) == 1).all() and (marks[:, 5:].sum(axis=1) == 1).all()


def test_copy_task_layout_and_baseline():
    T = 30
    x, y = tasks.copy_task(T, batch=4, seed=2)
    assert x.shape == y.shape == (4, T + 20)
    np.testing.assert_array_equal(y[:, -10:], x[:, :10])
    assert ((x[:, :10] >= 1) & (x[:, :10] <= 8)).all()
    assert (x[:, 10 + T - 1] == tasks.COPY_DELIM).all()
    assert (y[:, : T + 10] == tasks.COPY_BLANK).all()
    assert tasks.copy_baseline(T) == pytest.approx(10 * math.log(8) / (T + 20))


def test_same_seed_same_data():
    for make in (tasks.adding, tasks.copy_task):
        a, b, c = make(12, 3, 5), make(12, 3, 5), make(12, 3, 6)
        np.testing.assert_array_equal(a[0], b[0])
        assert not np.array_equal(a[0], c[0])
    np.testing.assert_array_equal(tasks.sine(20, 1), tasks.sine(20, 1))


def test_text_encoding_is_one_hot_over_sorted_vocabulary():
    enc = tasks.encode_text("abca 😀")
    assert enc.vocab == tuple(sorted(set("abca 😀")))
    np.testing.assert_array_equal(enc.x.sum(axis=1), 1)
    assert "".join(enc.vocab[i] for i in enc.ids) == "abca 😀"


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "at least two"),
        ("a", "at least two"),
        ("ab\x00cd", "binary"),
        ("\x01\x02\x03abc", "binary"),
    ],
)
def test_bad_text_gets_a_readable_message(text, message):
    with pytest.raises(ValueError, match=message):
        tasks.encode_text(text)


def test_huge_text_is_truncated_and_says_so():
    enc = tasks.encode_text("ab" * 10_000)
    assert enc.truncated and len(enc.text) == tasks.MAX_TEXT_CHARS


@pytest.mark.parametrize(
    "raw,message",
    [("", "type a few"), ("1, two", "not a number"), ("1, inf", "finite"), ("1e9", "between")],
)
def test_bad_numbers_get_a_readable_message(raw, message):
    with pytest.raises(ValueError, match=message):
        tasks.parse_numbers(raw)


def test_numbers_accept_commas_spaces_and_semicolons():
    np.testing.assert_array_equal(tasks.parse_numbers("1, 2;3  -4.5")[:, 0], [1, 2, 3, -4.5])
