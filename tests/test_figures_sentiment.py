"""The sentiment page's figures at every screen: which words are named and how, where the
projection's labels go, and the phone's stacked layouts (the browser layout test checks the
drawn result; these check the rules, fast)."""

import numpy as np
import pytest

from explainer.figures import sentiment as fig

WORDS = ["i", "loved", "this", "film", "the", "acting", "was", "brilliant"]


def test_words_are_level_where_neighbours_fit_and_else_upright_and_thinned():
    assert fig.word_ticks(WORDS, 120.0) == (tuple(range(8)), 0)
    shown, angle = fig.word_ticks(WORDS, 40.0)  # "was brilliant" needs ~54 px level
    assert angle == -90 and shown == tuple(range(8))
    shown, angle = fig.word_ticks(WORDS * 5, 8.0)  # 40 words on a narrow chart
    assert angle == -90 and shown[0] == 0
    assert all(8.0 * (b - a) >= fig.LINE_PX for a, b in zip(shown, shown[1:], strict=False))


@pytest.mark.parametrize("width", [150, 400, 900])
def test_projection_labels_meet_no_other_label_or_ringed_marker(width):
    rng = np.random.default_rng(3)
    xy = rng.normal(size=(8, 2))
    xy[5] = xy[4] + [0.3, 0.0]  # two words side by side, as 'loved' and 'brilliant'
    span = fig.projection_span(xy)
    size = (width, 360)
    places = fig.label_places(xy, WORDS, span, size)
    boxes = [_box(p, w, at, span, size) for p, w, at in zip(xy, WORDS, places, strict=True)]
    markers = [_point(p, span, size) for p in xy]
    clashes = [
        (WORDS[i], WORDS[j]) for i, a in enumerate(boxes) for j, b in enumerate(boxes)
        if i < j and fig._meet(a, b)
    ] + [
        (WORDS[i], f"marker {j}") for i, a in enumerate(boxes) for j, (x, y) in enumerate(markers)
        if i != j and fig._meet(a, (x - 9, y - 9, x + 9, y + 9))
    ]  # fmt: skip
    if width >= 400:  # room for every word: no two labels meet
        assert clashes == []
    assert not fig._meet(boxes[4], boxes[5])  # the pair side by side: always apart


def _point(xy, span, size):
    (x0, x1), (y0, y1) = span
    return (xy[0] - x0) / (x1 - x0) * size[0], (y1 - xy[1]) / (y1 - y0) * size[1]


def _box(xy, word, place, span, size):
    """The label's box as plotly draws it: beside or above/below the marker, 12 px off."""
    x, y = _point(xy, span, size)
    w, h = fig.LETTER_PX * len(word), fig.LINE_PX
    dx = {"middle right": 12 + w / 2, "middle left": -12 - w / 2}.get(place, 0)
    dy = {"top center": -12 - h / 2, "bottom center": 12 + h / 2}.get(place, 0)
    return (x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2)


def test_a_phone_stacks_the_two_contribution_panels_with_room_for_a_title_between():
    occ, gxi = np.linspace(-0.02, 0.02, 8), np.linspace(0.1, -0.1, 8)
    wide = fig.contributions_figure(WORDS, occ, gxi)
    tall = fig.contributions_figure(WORDS, occ, gxi, stacked=True)
    assert wide["layout"]["xaxis"]["domain"][1] < wide["layout"]["xaxis2"]["domain"][0]
    lay = tall["layout"]
    plot = lay["height"] - lay["margin"]["t"] - lay["margin"]["b"]
    gap_px = (lay["yaxis"]["domain"][0] - lay["yaxis2"]["domain"][1]) * plot
    assert gap_px >= 100  # the upper panel's axis title sits in the gap
    assert [d["yaxis"] for d in tall["data"]] == ["y", "y2"]


def test_a_phone_reads_the_words_down_and_the_verdict_across():
    p = np.linspace(0.4, 0.9, 12)
    h = np.zeros((12, 4))
    spec = fig.verdict_figure(WORDS + ["·pad"] * 4, p, p, h, 8, 3, stacked=True)
    dot = spec["data"][2]
    assert list(dot["y"]) == [3] and float(dot["x"][0]) == pytest.approx(p[2])
    assert spec["layout"]["yaxis"]["ticktext"] == WORDS  # the pads are one band, not 4 ticks
    assert spec["layout"]["annotations"][0]["text"] == "4 pads"
    assert [float(f["data"][0]["x"][0]) for f in spec["frames"]] == pytest.approx(p[:8])
