"""Figures of the sequence-to-sequence page, without streamlit: the unrolled figure's frames
(reading first, then writing, only what moves), the teacher/free rows, the length chart."""

import json

import numpy as np
import pytest

from explainer import reversal, seq2seq_models, seq2seq_story
from explainer.figures import seq2seq as figures
from explainer.figures import theme

MODEL = seq2seq_models.load().model


def built(typed: str, k: int = 1):
    digits = reversal.parse(typed)
    tf, free = seq2seq_story.decodings(MODEL, digits)
    return digits, tf, free, figures.unrolled_figure(free, digits, k)


def test_frames_read_then_write_and_carry_only_what_moves():
    digits, _, free, fig = built("4071935")
    n, S = len(digits), len(free.written)
    assert [f["name"] for f in fig["frames"]] == [str(k) for k in range(1, n + S + 1)]
    animated = len(fig["data"]) - 4
    for k, frame in enumerate(fig["frames"], 1):
        assert frame["traces"] == list(range(animated, animated + 4))
        written = [s for s in frame["data"][1]["text"] if s]
        assert len(written) == max(0, k - n)  # nothing written while the encoder reads
        box = [v for v in frame["data"][0]["x"] if v is not None]
        assert (min(box) + max(box)) / 2 == pytest.approx(figures.column(k, n))


def test_columns_skip_the_context_and_heatmaps_hold_every_state():
    digits, _, free, fig = built("12345")
    n, S = len(digits), len(free.written)
    assert [figures.column(k, n) for k in (n, n + 1)] == [n, n + 2]
    states = next(d for d in fig["data"] if d.get("type") == "heatmap")
    z = np.asarray(states["z"])
    assert z.shape == (MODEL.H, n + 1 + S)
    np.testing.assert_allclose(z[:, n], free.enc.h[-1], atol=1e-6)  # the context column
    np.testing.assert_allclose(z[:, n - 1], z[:, n])  # is the encoder's last state


def test_figure_size_grows_linearly_with_the_digits():
    sizes = []
    for n in (4, 8, 12, 16):
        _, _, _, fig = built("7" * n)
        sizes.append(len(json.dumps(theme.pack(fig))))
    steps = np.diff(sizes)
    assert steps.max() < 1.5 * steps.min()  # linear, not quadratic


def test_teacher_and_free_rows_mark_right_and_wrong():
    digits = reversal.parse("4071935286")
    tf, free = seq2seq_story.decodings(MODEL, digits)
    fig = figures.teacher_free_figure(tf, free, digits, 3)
    text = fig["data"][0]["text"]
    tgt = reversal.target(digits)
    for row, run in enumerate((tf, free)):
        for s, k in enumerate(run.written):
            assert text[row][s].endswith("✓" if k == tgt[s] else "✗")
    assert fig["data"][1]["x"][0] == pytest.approx(2.5)  # the cursor's decoder step 3


def test_length_chart_shades_the_trained_lengths():
    card = seq2seq_models.load().card
    fig = figures.length_figure(card["metrics"], 7, 10)
    assert [d["name"] for d in fig["data"]][0].startswith("whole string")
    assert fig["layout"]["shapes"][0]["x1"] == 7.5 and fig["layout"]["shapes"][1]["x0"] == 10
