"""Pieces of the training loop: one step, clipping records, NaN events, budgets, the optimiser,
seeding, finished runs shared read-only, training jobs, and the recorded histories of the
shipped models."""

import math
import time

import numpy as np
import pytest
import torch

from explainer import jobs, runs, train, trainsets
from explainer.optim import Optimizer
from explainer.trainsets import Batch

TINY = train.TrainConfig(task="adding", seq_len=10, hidden_size=8, batch_size=8, cells=("lstm",))


def tiny_run(**changes) -> train.Run:
    return train.new_run(train.TrainConfig(**{**vars(TINY), **changes}))


def batch_loss(c: train.CellRun, b: Batch, data) -> float:
    x, y, w = train._tensors(b)
    with torch.no_grad():
        return float(train._loss(c.net(x, data.where), y, w, data))


@pytest.mark.parametrize("optimizer", train.OPTIMIZERS)
def test_one_step_reduces_the_loss_on_a_tiny_batch(optimizer):
    run = tiny_run(optimizer=optimizer, lr=0.01 if optimizer == "adam" else 0.1)
    c, b = run.cells["lstm"], run.data.batch(0)
    before = batch_loss(c, b, run.data)
    train.train_step(c, train._tensors(b), run.data, run.cfg.clip, 1)
    assert batch_loss(c, b, run.data) < before
    assert c.history.loss == [pytest.approx(before, rel=1e-5)]


def test_clipping_records_the_norm_before_and_after():
    run = tiny_run(clip=0.01)
    c = run.cells["lstm"]
    train.train_step(c, train._tensors(run.data.batch(0)), run.data, 0.01, 1)
    before, after = c.history.grad_before[0], c.history.grad_after[0]
    assert before > 0.01 and after == pytest.approx(0.01, rel=1e-4)
    grads = torch.cat([p.grad.ravel() for p in c.net.parameters()])
    assert float(grads.norm()) == pytest.approx(after, rel=1e-4)


def test_without_clipping_after_equals_before():
    run = tiny_run(clip=None)
    c = run.cells["lstm"]
    train.train_step(c, train._tensors(run.data.batch(0)), run.data, None, 1)
    assert c.history.grad_after == c.history.grad_before


def test_a_nan_step_is_an_event_not_a_crash():
    run = tiny_run()
    c, b = run.cells["lstm"], run.data.batch(0)
    bad = Batch(np.full_like(b.x, np.nan), b.y)
    weights = [p.detach().clone() for p in c.net.parameters()]
    for step in range(1, train.NAN_PATIENCE + 1):
        train.train_step(c, train._tensors(bad), run.data, 1.0, step)
    kinds = [e.kind for e in c.history.events]
    assert kinds.count("nan") == train.NAN_PATIENCE and kinds[-1] == "diverged"
    assert c.diverged and math.isnan(c.history.loss[0])
    # skipped updates leave the weights as they were
    for p, w in zip(c.net.parameters(), weights, strict=True):
        assert torch.equal(p.detach(), w)
    assert train.train(run, 5) == "diverged"


def test_a_gradient_spike_is_marked():
    h = train.History(grad_before=[1.0] * 40)
    assert train._spike(h, 50.0) and not train._spike(h, 5.0)
    assert not train._spike(train.History(grad_before=[1.0] * 5), 50.0)


def test_budgets_and_progress_callback():
    run = tiny_run()
    calls = []
    assert (
        train.train(run, 30, on_progress=lambda r, d: calls.append(d), every_seconds=0) == "steps"
    )
    assert run.step == 30 and calls == list(range(1, 31))
    assert run.cells["lstm"].history.val_step == [0, 25, 30]
    assert train.train(run, 1000, max_seconds=0.0) == "time"
    assert run.step == 31


def test_an_exception_in_the_callback_leaves_the_run_consistent():
    run = tiny_run()

    def stop(r, done):
        if done == 3:
            raise KeyboardInterrupt  # what a streamlit rerun does at a yield point

    with pytest.raises(KeyboardInterrupt):
        train.train(run, 100, on_progress=stop, every_seconds=0)
    assert run.step == 3 and len(run.cells["lstm"].history.loss) == 3 and run.seconds > 0


def test_the_optimiser_matches_torch():
    g = torch.Generator().manual_seed(0)
    for name, ref_cls in (("adam", torch.optim.Adam), ("sgd", torch.optim.SGD)):
        ps = [torch.randn(4, 3, generator=g, requires_grad=True) for _ in range(2)]
        qs = [p.detach().clone().requires_grad_(True) for p in ps]
        mine, ref = Optimizer(ps, name, 0.01), ref_cls(qs, lr=0.01)
        for _ in range(10):
            for a, b in zip(ps, qs, strict=True):
                a.grad = torch.randn(4, 3, generator=g)
                b.grad = a.grad.clone()
            mine.step()
            ref.step()
        for a, b in zip(ps, qs, strict=True):
            torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_networks_are_seeded_without_the_global_rng():
    state = torch.get_rng_state()
    a, b = train.make_net("gru", 3, 5, 2, seed=7), train.make_net("gru", 3, 5, 2, seed=7)
    c = train.make_net("gru", 3, 5, 2, seed=8)
    assert torch.equal(torch.get_rng_state(), state)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)
    assert not torch.equal(a.rnn.weight_hh_l0, c.rnn.weight_hh_l0)
    assert float(a.rnn.weight_hh_l0.detach().abs().max()) <= 1 / math.sqrt(5)


def test_all_cells_see_the_same_batches():
    data = train.task_data(train.TrainConfig(task="adding", seq_len=10))
    np.testing.assert_array_equal(data.batch(3).x, data.batch(3).x)
    assert not np.array_equal(data.batch(3).x, data.batch(4).x)


@pytest.mark.parametrize(
    "bad",
    [dict(task="nope"), dict(optimizer="rmsprop"), dict(cells=()), dict(lr=0.0), dict(clip=0.0)],
)
def test_train_config_rejects_bad_values(bad):
    with pytest.raises(ValueError):
        train.TrainConfig(**bad)


def test_train_config_is_a_small_hashable_key():
    assert hash(train.TrainConfig()) == hash(train.TrainConfig())
    assert train.TrainConfig() != train.TrainConfig(seed=1)


def test_the_time_bound_reads_the_clock_it_is_given():
    ticks = iter(range(1000))
    run = tiny_run()
    assert train.train(run, 100, max_seconds=5.5, clock=lambda: float(next(ticks))) == "time"
    assert run.step == 6 and run.seconds == 7.0  # one tick a step, plus the start and the end


def test_training_from_the_seed_is_deterministic_so_a_finished_run_can_be_shared():
    a, b = tiny_run(cells=("rnn", "lstm", "gru")), tiny_run(cells=("rnn", "lstm", "gru"))
    train.train(a, 30), train.train(b, 30)
    for kind in a.cells:
        assert a.cells[kind].history.loss == b.cells[kind].history.loss
        assert a.cells[kind].history.val_metric == b.cells[kind].history.val_metric


def test_finished_runs_are_bounded_and_hand_out_private_copies():
    store = runs.FinishedRuns(max_runs=2)
    made = [tiny_run(seed=s) for s in range(3)]
    for run in made:
        train.train(run, 3)
        store.put(run, 3)
    assert len(store) == 2 and store.get(made[0].cfg, 3) is None
    assert store.get(made[2].cfg, 4) is None  # another budget is another run
    mine, yours = store.get(made[2].cfg, 3), store.get(made[2].cfg, 3)
    assert mine.step == 3 and mine.cells["lstm"].history.loss == made[2].cells["lstm"].history.loss
    train.train(mine, 2)  # training my copy changes neither yours nor the stored one
    assert mine.step == 5 and yours.step == 3 and store.get(made[2].cfg, 3).step == 3
    assert len(yours.cells["lstm"].history.loss) == 3
    w = mine.cells["lstm"].net.rnn.weight_hh_l0
    assert not torch.equal(w, yours.cells["lstm"].net.rnn.weight_hh_l0)
    assert mine.cells["lstm"].opt.params[0] is mine.cells["lstm"].net.rnn.weight_ih_l0


def test_a_training_job_from_the_seed_is_kept_and_then_served_identical():
    store, q = runs.FinishedRuns(), jobs.TrainQueue(slots=1, max_waiting=2)
    first = runs.TrainingJob(tiny_run(), 20, 60, store)
    assert not first.serve_finished() and q.submit(first) and first.wait(60)
    assert first.reason == "steps" and first.done_steps == 20 and len(store) == 1
    mine = tiny_run()
    second = runs.TrainingJob(mine, 20, 60, store)
    assert second.serve_finished() and second.reason == "cached" and mine.step == 20
    assert mine.cells["lstm"].history.loss == first.run.cells["lstm"].history.loss
    more = runs.TrainingJob(mine, 5, 60, store)  # from step 20: trains, never cached
    assert not more.serve_finished() and q.submit(more) and more.wait(60)
    assert more.reason == "steps" and mine.step == 25 and more.target == 25 and len(store) == 1


def test_a_stopped_job_keeps_what_it_learned_and_is_not_shared():
    store, q = runs.FinishedRuns(), jobs.TrainQueue(slots=1, max_waiting=2)
    job = runs.TrainingJob(tiny_run(), 100_000, 60, store)
    q.submit(job)
    while job.done_steps < 3:
        time.sleep(0.01)
    snap = train.snapshot(job.run)  # consistent while it trains
    h = snap["lstm"]
    assert len(h.step) == len(h.loss) == len(h.grad_before) == len(h.grad_after)
    q.cancel(job)
    assert job.wait(60) and job.reason == "stopped" and len(store) == 0
    assert 3 <= job.run.step == job.done_steps < 100_000


def test_reset_starts_over_from_the_same_seed():
    run = tiny_run()
    w0 = run.cells["lstm"].net.rnn.weight_hh_l0.detach().clone()
    train.train(run, 3)
    runs.reset(run)
    assert run.step == 0 and not run.cells["lstm"].history.loss
    assert torch.equal(run.cells["lstm"].net.rnn.weight_hh_l0, w0)


def test_recorded_histories_of_the_default_settings():
    found = runs.recorded(train.TrainConfig())
    assert list(found) == ["rnn", "lstm", "gru"]
    assert found["lstm"].val_loss[-1] < 0.01 < 0.1 < found["rnn"].val_loss[-1]
    assert runs.recorded(train.TrainConfig(seed=5)) == {}


@pytest.mark.parametrize("task", list(trainsets.TASKS))
def test_every_task_trains_a_few_steps(task):
    cfg = train.TrainConfig(task=task, seq_len=trainsets.DEFAULT_T[task] or 10, hidden_size=8,
                            batch_size=8)  # fmt: skip
    run = train.new_run(cfg)
    assert train.train(run, 2) == "steps"
    for c in run.cells.values():
        assert np.isfinite(c.history.loss).all() and len(c.history.val_metric) == 2


def test_a_char_model_writes_text_in_its_vocabulary():
    cfg = train.TrainConfig(task="chars", seq_len=16, hidden_size=8, batch_size=4, cells=("gru",))
    run = train.new_run(cfg)
    text = runs.sample_text(run.cells["gru"], run.data, 50, seed=1)
    assert text.startswith("the ") and len(text) == 54 and set(text) <= set(run.data.vocab)
    assert text == runs.sample_text(run.cells["gru"], run.data, 50, seed=1)
