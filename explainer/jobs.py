"""A per-server training queue: at most ``SLOTS`` jobs run at once on worker threads at a lower
CPU priority, the rest wait in a bounded first-in-first-out line that knows each job's place and
an estimated wait from measured step times.

No torch and no streamlit here: a job is any callable that reports its steps as it goes.
"""

from __future__ import annotations

import heapq
import math
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable

# the one place the server's training limits are set (environment overrides for a deployment):
# on 2 cores one run trains while the other core serves the pages
SLOTS = int(os.environ.get("UNROLLED_TRAIN_SLOTS", 0)) or max(1, (os.cpu_count() or 2) // 2)
MAX_WAITING = int(os.environ.get("UNROLLED_TRAIN_QUEUE", 0)) or 20
# training threads yield the CPU to the threads that serve pages (0 keeps their priority)
NICE = int(os.environ.get("UNROLLED_TRAIN_NICE", 10))
MAX_RATES = 64  # measured step times kept, by rate key


class Job:
    """One unit of training: ``work(job)`` runs on a worker thread, calls ``job.progress(n)``
    after its n-th step, checks ``job.stopping()`` between steps and returns why it ended."""

    def __init__(
        self,
        work: Callable[[Job], str],
        steps: int,
        rate_key: Hashable = None,
        same_as: Hashable = None,
        max_seconds: float = math.inf,
    ) -> None:
        self.work, self.steps, self.max_seconds = work, steps, max_seconds
        self.rate_key = rate_key  # jobs with the same key take the same time per step
        self.same_as = same_as  # a job with the same key ahead in line makes this one free
        self.state = "new"  # then "waiting", "running", "done"
        self.reason: str | None = None
        self.error: BaseException | None = None
        self.done_steps = 0
        self.started: float | None = None
        self.ended: float | None = None
        self._stop = threading.Event()
        self._done = threading.Event()

    def progress(self, done_steps: int) -> None:
        self.done_steps = done_steps

    def stop(self) -> None:
        self._stop.set()

    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has ended (True) or ``timeout`` passed (False)."""
        return self._done.wait(timeout)

    def elapsed(self) -> float:
        if self.started is None:
            return 0.0
        return (self.ended or time.monotonic()) - self.started

    def seconds_per_step(self) -> float | None:
        return self.elapsed() / self.done_steps if self.done_steps else None

    def _end(self, reason: str) -> None:
        self.reason, self.state, self.ended = reason, "done", time.monotonic()
        self._done.set()


class TrainQueue:
    """``slots`` worker threads (started on the first job) take jobs in the order they came; at
    most ``max_waiting`` jobs wait, a further one is refused."""

    def __init__(self, slots: int = SLOTS, max_waiting: int = MAX_WAITING, nice: int | None = None):
        if slots < 1 or max_waiting < 0:
            raise ValueError("slots must be >= 1 and max_waiting >= 0")
        self.slots, self.max_waiting = slots, max_waiting
        self.nice = NICE if nice is None else nice
        self._cond = threading.Condition()
        self._waiting: deque[Job] = deque()
        self._running: list[Job] = []
        self._rates: OrderedDict[Hashable, float] = OrderedDict()
        self._workers: list[threading.Thread] = []

    def submit(self, job: Job) -> bool:
        """Put ``job`` in line; False (and the job untouched) if the line is full."""
        with self._cond:
            if len(self._waiting) >= self.max_waiting:
                return False
            job.state = "waiting"
            self._waiting.append(job)
            while len(self._workers) < self.slots:
                worker = threading.Thread(
                    target=self._work, name=f"unrolled-train-{len(self._workers)}", daemon=True
                )
                self._workers.append(worker)
                worker.start()
            self._cond.notify()
        return True

    def cancel(self, job: Job) -> None:
        """Take a waiting job out of line (it ends as "stopped"), or ask a running one to stop."""
        with self._cond:
            if job in self._waiting:
                self._waiting.remove(job)
                job._end("stopped")
                return
        job.stop()

    def position(self, job: Job) -> int:
        """1 for the first job in line, 2 for the next ...; 0 once it runs or has ended."""
        with self._cond:
            try:
                return self._waiting.index(job) + 1
            except ValueError:
                return 0

    def counts(self) -> tuple[int, int]:
        """(running, waiting)."""
        with self._cond:
            return len(self._running), len(self._waiting)

    def rate(self, key: Hashable) -> float | None:
        """Measured seconds per step for ``key``, else the latest measured for any key."""
        with self._cond:
            if key in self._rates:
                return self._rates[key]
            return next(reversed(self._rates.values()), None)

    def estimate(self, job: Job) -> float | None:
        """Seconds until ``job`` should start (0 if it is not waiting), scheduling the jobs
        ahead on the free slots with their measured step times; None before any is measured."""
        with self._cond:
            if job not in self._waiting:
                return 0.0
            free = [0.0] * (self.slots - len(self._running))
            seen = set()
            for j in self._running:
                left = self._left(j)
                if left is None:
                    return None
                free.append(left)
                seen.add(j.same_as)
            heapq.heapify(free)
            for j in self._waiting:
                start = heapq.heappop(free)
                if j is job:
                    return start
                cost = 0.0 if j.same_as is not None and j.same_as in seen else self._cost(j)
                if cost is None:
                    return None
                seen.add(j.same_as)
                heapq.heappush(free, start + cost)
        return None

    def _cost(self, job: Job) -> float | None:
        rate = self._rates.get(job.rate_key, next(reversed(self._rates.values()), None))
        return None if rate is None else min(job.steps * rate, job.max_seconds)

    def _left(self, job: Job) -> float | None:
        rate = job.seconds_per_step()
        if rate is None:
            cost = self._cost(job)
            return None if cost is None else max(cost - job.elapsed(), 0.0)
        return max((job.steps - job.done_steps) * rate, 0.0)

    def _work(self) -> None:
        try:  # linux: a thread's own nice value (lower priority for this thread only)
            tid = threading.get_native_id()
            os.setpriority(
                os.PRIO_PROCESS, tid, min(os.getpriority(os.PRIO_PROCESS, tid) + self.nice, 19)
            )
        except (AttributeError, OSError):
            pass
        while True:
            with self._cond:
                while not self._waiting:
                    self._cond.wait()
                job = self._waiting.popleft()
                job.state, job.started = "running", time.monotonic()
                self._running.append(job)
            reason = "error"
            try:
                reason = job.work(job)
            except Exception as err:  # noqa: BLE001 - the page shows it; the worker lives on
                job.error = err
            finally:
                with self._cond:
                    self._running.remove(job)
                    rate = job.seconds_per_step()
                    if rate is not None and job.rate_key is not None:
                        self._rates[job.rate_key] = rate
                        self._rates.move_to_end(job.rate_key)
                        while len(self._rates) > MAX_RATES:
                            self._rates.popitem(last=False)
                job._end(reason)
