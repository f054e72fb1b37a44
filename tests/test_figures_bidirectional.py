"""Figures of the bidirectional page: what they draw, frames per step, size linear in T*H."""

import json

import numpy as np
import pytest

from explainer import future
from explainer.figures import bidirectional as fig
from explainer.figures import theme
from tests.app_utils import array, sent


def reading(text: str, kind: str = "gru") -> future.Reading:
    models = {k: future.shipped(kind, k == "bi")[0] for k in ("uni", "bi")}
    return future.read(models, future.encode(text)[0])


def chains(r: future.Reading, t: int) -> dict:
    bt = r.runs["bi"]
    return fig.two_chains(r.chars, bt.h_fwd, bt.h_bwd, r.beliefs, r.truth, t)


def test_two_chains_frames_carry_o_t_and_move_the_outlines():
    r = reading("ab) cdef")
    spec = sent(chains(r, 2))
    assert len(spec["frames"]) == 8
    for s in (1, 5, 8):
        frame = spec["frames"][s - 1]
        np.testing.assert_allclose(array(frame["data"][0]["x"]), r.runs["bi"].out[s - 1],
                                   atol=1e-6)  # fmt: skip
        assert frame["layout"]["shapes"][0]["x0"] == s - 0.5
    ticks = spec["layout"]["xaxis3"]["ticktext"]
    assert ticks == ["a", "b", ")", "␣", "c", "d", "e", "f"]


def test_reach_figure_has_no_one_way_path_to_the_future():
    r = reading("ab) cdef")
    spec = sent(fig.reach_figure(r.reach, r.chars, 3))
    uni = array(spec["data"][0]["y"])
    assert np.isnan(uni[3:]).all() and np.isfinite(uni[:3]).all()
    assert np.isfinite(array(spec["data"][1]["y"])).all()


def test_accuracy_figure_draws_the_bound():
    bound = future.best_left_to_right(20)
    acc = {"uni": bound - 0.01, "bi": np.ones(20)}
    spec = sent(fig.accuracy_by_position(acc, bound))
    np.testing.assert_allclose(array(spec["data"][0]["y"]), bound)


@pytest.mark.parametrize("T", [15, 30, 60])
def test_chains_figure_size_grows_linearly_in_T(T):
    small = len(json.dumps(sent(chains(reading("a" * 15), 1))))
    size = len(json.dumps(sent(chains(reading("a" * T), 1))))
    # a frame carries 2H bars: bytes per step stay about the same as T grows
    assert size / T < 1.3 * small / 15


@pytest.mark.parametrize(
    "T, plot_px, every", [(24, 900, 1), (40, 600, 2), (24, 268, 2), (60, 268, 4)]
)
def test_narrow_steps_label_every_kth_character_each_with_room(T, plot_px, every):
    assert fig.char_stride(T, plot_px) == every
    assert plot_px / T * every >= fig.CHAR_PX  # each label's room along the axis
    r = reading("ab" * (T // 2))
    bt = r.runs["bi"]
    spec = fig.two_chains(r.chars, bt.h_fwd, bt.h_bwd, r.beliefs, r.truth, 1, every=every)
    assert len(theme.pack(spec)["layout"]["xaxis3"]["ticktext"]) == -(-T // every)


def test_a_phone_draws_o_t_across_the_width_under_the_chains():
    r = reading("ab) cdef")
    bt = r.runs["bi"]
    spec = fig.two_chains(r.chars, bt.h_fwd, bt.h_bwd, r.beliefs, r.truth, 3, stacked=True)
    lay = spec["layout"]
    assert lay["xaxis"]["domain"] == [0.0, 1.0] and lay["xaxis4"]["domain"] == [0.0, 1.0]
    assert lay["yaxis4"]["domain"][1] < lay["yaxis3"]["domain"][0]  # the bars' row is lowest
    bars = spec["data"][5]
    assert bars["orientation"] == "v"
    np.testing.assert_allclose(array(bars["y"]), np.r_[bt.h_fwd[2], bt.h_bwd[2]], atol=1e-6)
