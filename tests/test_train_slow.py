"""Training to a target, with pinned seeds and budgets (slow, still run in CI), and the shipped
models reproducing their cards' metrics with the NumPy cells."""

import pytest

from explainer import pretrained, train

pytestmark = pytest.mark.slow


def test_lstm_and_gru_solve_the_adding_problem_where_the_vanilla_rnn_stays_stuck():
    # the page's default settings: T = 50, H = 32, Adam 0.01, clip 1, batch 64, seed 0
    run = train.new_run(train.TrainConfig(task="adding", seq_len=50))
    train.train(run, 600, max_seconds=600)
    val = {k: c.history.val_loss[-1] for k, c in run.cells.items()}
    assert val["lstm"] < 0.01 and val["gru"] < 0.01, val
    assert val["rnn"] > 0.1, val
    solved = {k: c.history.val_metric[-1] for k, c in run.cells.items()}
    assert solved["lstm"] > 0.9 and solved["gru"] > 0.9 and solved["rnn"] < 0.5, solved


def test_a_char_model_beats_the_unigram_baseline():
    cfg = train.TrainConfig(task="chars", seq_len=64, data="notes", cells=("lstm",))
    run = train.new_run(cfg)
    train.train(run, 200, max_seconds=600)
    h = run.cells["lstm"].history
    assert h.val_loss[0] > run.data.baseline > h.val_loss[-1] + 0.3, (h.val_loss, run.data.baseline)


@pytest.mark.parametrize("name", [c.name for c in pretrained.available()])
def test_shipped_models_reproduce_their_cards(name):
    model = pretrained.load(name)
    metrics = pretrained.evaluate(model)
    assert metrics == pytest.approx(model.card.metrics, rel=1e-6, abs=1e-9)
    if model.card.task == "chars":
        assert metrics["test_loss"] < model.card.eval["baseline"]
    elif model.card.kind != "rnn":
        assert metrics["mse"] < 0.01 and metrics["solved"] > 0.95


def test_pressing_train_reproduces_the_recorded_curves():
    # the page shows the shipped models' training history first; live training must match it
    # (to float32 round-off across machines, hence the tolerance)
    from explainer import runs

    cfg = train.TrainConfig()
    recorded = runs.recorded(cfg)
    run = train.new_run(cfg)
    train.train(run, 50, max_seconds=600)
    for kind, c in run.cells.items():
        assert c.history.val_step == recorded[kind].val_step[:3]
        assert c.history.val_loss == pytest.approx(recorded[kind].val_loss[:3], rel=1e-3)


@pytest.mark.parametrize(("kind", "T", "seed"), [("gru", 10, 0), ("lstm", 10, 1)])
def test_the_shipped_sweep_points_reproduce(kind, T, seed):
    # the sweep on the Train page is what a fresh `python -m explainer.pretrain sweep` computes
    import json

    from explainer import pretrain

    stored = json.loads((pretrained.SWEEPS / "adding_sweep.json").read_text(encoding="utf-8"))
    (want,) = [r for r in stored["results"] if (r["kind"], r["T"], r["seed"]) == (kind, T, seed)]
    got = pretrain.sweep_point(kind, T, seed)
    assert got["steps_to_solve"] == want["steps_to_solve"]
    assert got["solved"] == pytest.approx(want["solved"], abs=0.005)
    assert got["mse"] == pytest.approx(want["mse"], abs=2e-4)
    assert stored["protocol"] == pretrain.sweep_protocol()
