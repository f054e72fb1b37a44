"""A class on the app: ``python -m explainer.bench class`` (every table) or ``class:TABLE``.

Tables:
- ``class:settings``: one ``streamlit run`` process with streamlit's defaults, with each class
  setting of .streamlit/config.toml alone, and with both, at 10 and 30 students;
- ``class:replicas``: one process against nginx + one replica per core (``make serve``), at
  10 / 30 / 60 / 100 students;
- ``class:first-visit``: a student's first visit in headless Chromium (1440x900, a fresh
  profile): navigation to the last chart drawn, straight to a replica and through the proxy
  (gzip), on loopback and on a throttled classroom network, with where the time goes;
- ``class:training``: 30 students of which 10 press ▶ Train on the Train page, one process and
  the replicated setup: the other students' times and what each click got (trained / queued).

Students (``explainer.serve.students``) arrive over 5 s, open a page (spread over every page),
then move a slider or switch page every 1-3 s for ``UNROLLED_CLASS_SECONDS`` (default 30) s.
Times are from a change to its finished run. The load generator runs on the same machine and
takes CPU of its own (printed as "client CPU"); figures move with the machine's load, printed
with every table (``os.getloadavg()``).
"""

from __future__ import annotations

import math
import os
import resource
import sys
import threading
from collections.abc import Callable

from explainer.bench import _classroom as room
from explainer.serve.students import rss_mb, run_class


def measure(name: str, url: str, pids: Callable[[], list[int]], students: int) -> str:
    """One class on a running server: a table row."""
    # warm up: every page run once, as the lecturer's own visit does before class
    run_class(url, len(room.PAGES), 3, ramp_s=0, start_pages=room.PAGES)
    peak = [rss_mb(pids())]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            peak.append(rss_mb(pids()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    tally = run_class(url, students, room.SECONDS, ramp_s=room.RAMP_S, start_pages=room.PAGES)
    after = resource.getrusage(resource.RUSAGE_SELF)
    done.set()
    sampler.join()
    s = tally.summary()
    for message in tally.messages[:5]:
        print(f"  {name}, {students}: {message}", file=sys.stderr, flush=True)
    ms = [ms_or_dash(s[key]) for key in ("p50_ms", "p95_ms", "max_ms")]
    return (
        f"| {name} | {students} | {s['runs']} | {' | '.join(ms)} "
        f"| {s['first_max_ms'] / 1e3:.1f} "
        f"| {s['exceptions']} / {s['failed_runs']} / {s['dropped']} | {max(peak):.0f} "
        f"| {after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime:.0f} "
        f"| {os.getloadavg()[0]:.1f} |"
    )


def ms_or_dash(value: float) -> str:
    """A time in ms; a dash when no change finished within the run (all still opening)."""
    return "-" if math.isnan(value) else f"{value:.0f}"


def table(title: str, runs: list[tuple[str, Callable, int]]) -> None:
    """Rows of (setup name, server context, students); one fresh server per row."""
    print(
        f"{title}\n\nload average before (1 / 5 / 15 min): {room.load()}\n\n{room.HEADER}",
        flush=True,
    )
    for name, server, students in runs:
        with server() as (url, pids):
            print(measure(name, url, pids, students), flush=True)
    print(f"\nload average after: {room.load()}\n", flush=True)


def settings() -> None:
    rows = [
        (name, lambda f=flags: room.one_process(f), n)
        for n in (10, 30)
        for name, flags in room.SETTINGS.items()
    ]  # fmt: skip
    table(
        f"One process: streamlit's defaults against the class settings ({room.SECONDS:g} s)", rows
    )


def replicas() -> None:
    n = os.cpu_count() or 1
    rows = [("one process", room.one_process, k) for k in (10, 30, 60, 100)]
    rows += [(f"nginx + {n} replicas", room.replicated, k) for k in (10, 30, 60, 100)]
    table(f"One process against the replicated setup ({room.SECONDS:g} s)", rows)


def first_visit() -> None:
    from explainer.bench._first_visit import run as run_first_visit

    run_first_visit()


def training() -> None:
    from explainer.bench._training import run as run_training

    run_training()


TABLES = {
    "settings": settings,
    "replicas": replicas,
    "first-visit": first_visit,
    "training": training,
}


def run(name: str = "") -> None:
    if name and name not in TABLES:
        sys.exit(f"unknown table {name!r}; choose from {sorted(TABLES)}")
    for key in [name] if name else list(TABLES):
        TABLES[key]()
