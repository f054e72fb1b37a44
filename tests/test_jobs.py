"""The training queue: first in first out, places in line, a bounded line, cancelling, estimated
waits from measured step times, failures, and workers at a lower CPU priority."""

import os
import threading
import time

import pytest

from explainer import jobs


def blocker(gate: threading.Event, log: list, name: str, steps: int = 100):
    """A job that waits for ``gate``, then reports all its steps; ``log`` records the order."""

    def work(job: jobs.Job) -> str:
        log.append(name)
        gate.wait(10)
        job.progress(steps)
        return "steps"

    return jobs.Job(work, steps, rate_key="k")


def quick(log: list, name: str, **kw) -> jobs.Job:
    return jobs.Job(lambda job: log.append(name) or "steps", kw.pop("steps", 10), **kw)


def until(check, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_jobs_run_in_the_order_they_came_with_their_places_in_line():
    q, log, gate = jobs.TrainQueue(slots=1, max_waiting=5), [], threading.Event()
    first = blocker(gate, log, "first")
    assert q.submit(first)
    until(lambda: first.state == "running")
    rest = [quick(log, name) for name in "abc"]
    for job in rest:
        assert q.submit(job)
    assert [q.position(j) for j in [first, *rest]] == [0, 1, 2, 3]
    assert q.counts() == (1, 3)
    gate.set()
    assert all(j.wait(5) for j in rest)
    assert log == ["first", "a", "b", "c"] and [j.reason for j in rest] == ["steps"] * 3
    assert rest[0].started >= first.ended and q.position(rest[2]) == 0


def test_a_full_line_refuses_the_next_job_until_one_leaves():
    q, log, gate = jobs.TrainQueue(slots=1, max_waiting=2), [], threading.Event()
    first = blocker(gate, log, "first")
    q.submit(first)
    until(lambda: first.state == "running")
    a, b, c = (quick(log, n) for n in "abc")
    assert q.submit(a) and q.submit(b)
    assert not q.submit(c) and c.state == "new"
    q.cancel(a)  # a waiting job leaves the line at once
    assert a.finished and a.reason == "stopped" and q.position(b) == 1
    assert q.submit(c) and q.position(c) == 2
    gate.set()
    assert c.wait(5) and log == ["first", "b", "c"]


def test_two_slots_run_two_jobs_at_once():
    q, log, gate = jobs.TrainQueue(slots=2, max_waiting=5), [], threading.Event()
    a, b = blocker(gate, log, "a"), blocker(gate, log, "b")
    q.submit(a), q.submit(b)
    until(lambda: a.state == b.state == "running")
    gate.set()
    assert a.wait(5) and b.wait(5)


def test_stopping_a_running_job_reaches_its_work():
    q = jobs.TrainQueue(slots=1, max_waiting=1)

    def work(job: jobs.Job) -> str:
        for step in range(1, 10_000):
            if job.stopping():
                return "stopped"
            job.progress(step)
            time.sleep(0.001)
        return "steps"

    job = jobs.Job(work, 10_000)
    q.submit(job)
    until(lambda: job.done_steps > 3)
    q.cancel(job)
    assert job.wait(5) and job.reason == "stopped" and 3 < job.done_steps < 10_000


def test_the_estimated_wait_adds_up_the_measured_step_times_ahead():
    q, log, gate = jobs.TrainQueue(slots=1, max_waiting=5), [], threading.Event()
    probe = blocker(threading.Event(), log, "probe")
    assert q.submit(quick(log, "x", rate_key="k")) and q.estimate(probe) == 0.0
    timed = jobs.Job(lambda job: time.sleep(0.2) or job.progress(10) or "steps", 10, "k")
    q.submit(timed)
    assert timed.wait(5)
    rate = q.rate("k")  # seconds per step of the only measured job
    assert rate == pytest.approx(0.02, rel=0.5)
    first = blocker(gate, log, "first", steps=100)  # 100 steps still to go
    q.submit(first)
    until(lambda: first.state == "running")
    b = jobs.Job(lambda job: "steps", 50, "k", same_as="cfg")
    c = jobs.Job(lambda job: "steps", 50, "k", same_as="cfg")  # an identical run: free after b
    d = jobs.Job(lambda job: "steps", 50, "other", max_seconds=0.1)  # unmeasured key: any rate
    e = jobs.Job(lambda job: "steps", 50, "k")
    for job in (b, c, d, e):
        q.submit(job)
    waits = [q.estimate(j) for j in (b, c, d, e)]
    left = 100 * rate - first.elapsed()
    expected = [left, left + 50 * rate, left + 50 * rate, left + 50 * rate + 0.1]
    assert waits == pytest.approx(expected, abs=0.05)
    gate.set()
    assert e.wait(5)


def test_no_estimate_before_a_step_time_was_measured():
    q, log, gate = jobs.TrainQueue(slots=1, max_waiting=5), [], threading.Event()
    first = blocker(gate, log, "first")
    q.submit(first)
    until(lambda: first.state == "running")
    second = quick(log, "second")
    q.submit(second)
    assert q.estimate(second) is None
    gate.set()
    assert second.wait(5)


def test_a_failing_job_is_reported_and_the_worker_goes_on():
    q, log = jobs.TrainQueue(slots=1, max_waiting=5), []

    def boom(job):
        raise RuntimeError("no memory")

    bad, good = jobs.Job(boom, 5), quick(log, "good")
    q.submit(bad), q.submit(good)
    assert good.wait(5) and bad.reason == "error" and "no memory" in str(bad.error)
    assert log == ["good"]


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="thread priorities are Linux's")
def test_workers_train_at_a_lower_cpu_priority():
    q, seen = jobs.TrainQueue(slots=1, max_waiting=1, nice=5), []
    base = os.getpriority(os.PRIO_PROCESS, 0)
    job = jobs.Job(lambda job: seen.append(os.getpriority(os.PRIO_PROCESS, 0)) or "steps", 1)
    q.submit(job)
    assert job.wait(5)
    assert seen == [min(base + 5, 19)] and os.getpriority(os.PRIO_PROCESS, 0) == base


def test_bad_limits_are_refused():
    with pytest.raises(ValueError):
        jobs.TrainQueue(slots=0)
