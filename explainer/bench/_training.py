"""A class that trains (``python -m explainer.bench class:training``).

30 students arrive over 5 s; 10 of them (spread through the arrivals) open the Train page and
press ▶ Train once (each with its own seed), then rerun the page every few seconds as its
progress does; the other 20 click around the explainer pages (never the Train page). The target
(issue #13): the explainer pages' p95 stays under 1.5 s, and every click gets a training run or
a place in line with a message. Counts of clicks: trained / queued / refused (line full) /
errors (a click answered with neither); "finished" is how many runs were seen done in time.
"""

from __future__ import annotations

import math
import os
import sys

from explainer.bench import _classroom as room
from explainer.serve.students import run_class
from explainer.serve.trainers import run_training_class

STUDENTS, TRAINERS = 30, 10
HEADER = (
    "| setup | students | of them training | explainer changes | p50 ms | p95 ms | max ms "
    "| exceptions / failed / dropped | clicks: trained / queued / refused / errors "
    "| runs finished | trainers' errors | load 1 min |\n"
    "|---|---:|---:|---:|---:|---:|---:|:-:|:-:|---:|---:|---:|"
)


def ms(value: float) -> str:
    """A time in ms; a dash when no change finished (every student still opening)."""
    return "-" if math.isnan(value) else f"{value:.0f}"


def row(name: str, url: str, students: int, trainers: int) -> str:
    # warm up: every page run once, as the lecturer's own visit does before class
    run_class(url, len(room.PAGES), 3, ramp_s=0, start_pages=room.PAGES)
    others, mine, clicks = run_training_class(
        url, students, trainers, room.SECONDS, ramp_s=room.RAMP_S, start_pages=room.PAGES
    )
    s = others.summary()
    for message in (others.messages + mine.messages + clicks.messages)[:5]:
        print(f"  {name}: {message}", file=sys.stderr, flush=True)
    return (
        f"| {name} | {students} | {trainers} | {s['runs']} "
        f"| {' | '.join(ms(s[k]) for k in ('p50_ms', 'p95_ms', 'max_ms'))} "
        f"| {s['exceptions']} / {s['failed_runs']} / {s['dropped']} | {clicks.line()} "
        f"| {clicks.finished} | {mine.errors} | {os.getloadavg()[0]:.1f} |"
    )


def run() -> None:
    n = os.cpu_count() or 1
    print(
        f"A class that trains: {TRAINERS} of {STUDENTS} students press ▶ Train "
        f"({room.SECONDS:g} s)\n\nload average before (1 / 5 / 15 min): {room.load()}\n\n{HEADER}",
        flush=True,
    )
    for name, server in (
        ("one process", room.one_process),
        (f"nginx + {n} replicas", room.replicated),
    ):  # noqa: E501
        with server() as (url, _):
            print(row(name, url, STUDENTS, TRAINERS), flush=True)
    print(f"\nload average after: {room.load()}\n", flush=True)
