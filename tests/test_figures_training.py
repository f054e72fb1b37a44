"""Figures of the train-and-compare page, without streamlit: traces, baselines, axes, events,
the stacked panels drawn by hand, and what the browser receives."""

import subprocess
import sys

import numpy as np
import pytest

from explainer import pretrained
from explainer.figures import theme, training
from explainer.train import Event, History
from tests.app_utils import array, sent, view


def history(n: int = 100, events=()) -> History:
    steps = list(range(1, n + 1))
    return History(
        step=steps,
        loss=list(np.linspace(1, 0.1, n)),
        grad_before=list(np.linspace(5, 0.5, n)),
        grad_after=list(np.minimum(np.linspace(5, 0.5, n), 1.0)),
        val_step=[0, 25, 50, 75, 100][: n // 25 + 1],
        val_loss=[1.0, 0.5, 0.2, 0.1, 0.05][: n // 25 + 1],
        val_metric=[0.0, 0.3, 0.6, 0.8, 0.9][: n // 25 + 1],
        events=list(events),
    )


HISTORIES = {
    "rnn": history(events=[Event(40, "rnn", "spike", 30.0, "gradient norm 30")]),
    "lstm": history(),
    "gru": history(events=[Event(90, "gru", "nan", float("nan"), "inf/NaN")]),
}


def test_loss_curves_have_validation_training_baseline_and_events():
    fig = view(training.loss_curves(HISTORIES, 1 / 6, "always guess 1", log_y=True))
    names = [t.name for t in fig.data]
    for cell in HISTORIES:
        assert theme.CELL_NAMES[cell] in names and f"{theme.CELL_NAMES[cell]} (training)" in names
    vals = [t for t in fig.data if t.name == "LSTM"][0]
    assert vals.line.color == theme.COLOURS["lstm"] and list(vals.x) == [0, 25, 50, 75, 100]
    baseline = [s for s in fig.layout.shapes if s.y0 == s.y1]
    assert baseline and baseline[0].y0 == pytest.approx(1 / 6)
    assert "always guess 1" in fig.layout.annotations[0].text
    assert {"gradient spike", "inf/NaN step (skipped)"} <= set(names)
    assert fig.layout.yaxis.type == "log" and fig.layout.xaxis.title.text == "training step"
    assert fig.layout.template.layout.paper_bgcolor == theme.BACKGROUND


def test_non_finite_values_become_gaps_and_the_json_stays_valid():
    h = history()
    h.val_loss[2] = float("nan")
    h.loss[5] = float("inf")
    out = sent(training.loss_curves({"rnn": h}, 0.2, "b"))
    validation, training_loss = array(out["data"][1]["y"]), array(out["data"][0]["y"])
    assert out["data"][1]["name"] == "vanilla RNN" and validation.dtype == np.float32
    assert np.isnan(validation[2]) and np.isfinite(training_loss).all()


def test_metric_curves_show_the_chance_level_in_percent():
    fig = view(training.metric_curves(HISTORIES, "solved (|error| < 0.16)", 0.294))
    assert len(fig.data) == 4 and fig.layout.yaxis.tickformat == ".0%"
    assert [s.y0 for s in fig.layout.shapes] == [0.294]
    # named in the legend, not written on the plot where a curve at chance runs
    assert fig.data[-1].name == "memoryless guess: 29.4%" and not fig.layout.annotations


def test_grad_norms_one_panel_per_cell_with_the_clip_threshold():
    fig = view(training.grad_norms(HISTORIES, clip=1.0))
    before = [t for t in fig.data if t.name == "before clipping"]
    after = [t for t in fig.data if t.name == "after clipping"]
    assert len(before) == len(after) == 3
    assert max(after[0].y) <= 1.0 + 1e-6 < max(before[0].y)
    assert [s.y0 for s in fig.layout.shapes] == [1.0, 1.0, 1.0]
    assert fig.layout.yaxis.type == fig.layout.yaxis3.type == "log"
    assert [a.text for a in fig.layout.annotations][:3] == ["vanilla RNN", "LSTM", "GRU"]


def test_grad_norms_panels_stack_like_make_subplots_and_share_the_step_axis():
    layout = sent(training.grad_norms(HISTORIES, clip=None))["layout"]
    domains = [layout[k]["domain"] for k in ("yaxis", "yaxis2", "yaxis3")]
    np.testing.assert_allclose(domains, [[0.706667, 1], [0.353333, 0.646667], [0, 0.293333]])
    assert [layout[k].get("matches") for k in ("xaxis", "xaxis2", "xaxis3")] == ["x3", "x3", None]
    assert layout["xaxis3"]["title"]["text"] == "training step" and not layout["shapes"]
    assert [a["y"] for a in layout["annotations"]] == [d[1] for d in domains]
    one = sent(training.grad_norms({"gru": HISTORIES["gru"]}, clip=1.0))
    assert (
        one["layout"]["yaxis"]["domain"] == [0.0, 1.0] and "matches" not in one["layout"]["xaxis"]
    )
    assert {t["yaxis"] for t in one["data"]} == {"y"}


def test_long_histories_are_binned_keeping_spikes():
    x, y = training.bins(np.arange(5000), np.r_[np.ones(4999), 100.0], "max", n=500)
    assert len(x) == 500 and y.max() == 100.0
    x, y = training.bins(np.arange(10), np.arange(10.0), n=600)
    assert len(x) == 10
    np.testing.assert_allclose(training.smooth([1, 3, 5, np.nan, 7], 2), [1, 2, 4, 5, 7])


def test_sweep_figure_from_the_stored_results():
    s = pretrained.sweep()
    fig = view(training.sweep(s["results"], s["T"], s["chance"]))
    means = {t.name: list(t.y) for t in fig.data if t.name}
    assert set(means) == {"vanilla RNN", "LSTM", "GRU"}
    assert len(means["LSTM"]) == len(s["T"]) and fig.layout.xaxis.type == "log"
    # the papers' story: the vanilla RNN fails at T = 50 while the LSTM and GRU solve it
    k = s["T"].index(50)
    assert means["vanilla RNN"][k] < 0.5 < 0.95 < min(means["LSTM"][k], means["GRU"][k])
    assert [sh.y0 for sh in fig.layout.shapes] == [pytest.approx(s["chance"])]


def test_forecast_shades_the_held_out_years():
    years, values = np.arange(1700, 1800), np.sin(np.arange(100.0))
    fig = view(training.forecast(years, values, {"lstm": values[1:]}, cut=80))
    assert [t.name for t in fig.data] == ["observed", "LSTM forecast"]
    assert fig.layout.shapes[0].x0 == 1780


def test_figures_import_neither_streamlit_nor_torch():
    code = (
        "import sys, explainer.figures.training; "
        "print('streamlit' in sys.modules, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_axis_titles_survive_the_apps_unvalidated_figures(monkeypatch):
    monkeypatch.setattr(theme, "VALIDATE", False)  # as in the app
    s = pretrained.sweep()
    figs = [
        training.loss_curves(HISTORIES, 0.2, "b"),
        training.metric_curves(HISTORIES, "solved", 0.3),
        training.sweep(s["results"], s["T"], s["chance"]),
        training.forecast(np.arange(10), np.ones(10), {}, cut=5),
    ]
    for fig in figs:
        layout = sent(fig)["layout"]
        assert layout["xaxis"]["title"]["text"] and layout["yaxis"]["title"]["text"]
