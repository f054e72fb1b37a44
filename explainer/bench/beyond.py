"""The bidirectional and sentiment pages: ``python -m explainer.bench beyond``.

Training time of each page's default model on one torch thread (the app's setting), the
server time of a rerun after moving t on these two pages and the seq2seq page (AppTest, the
median of 15 moves after a warm-up; target under 50 ms), and the JSON size of the main
animated figure as the string grows (linear in T*H). The seq2seq page's training and figure
sizes: ``python -m explainer.bench seq2seq``.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

from explainer import bitrain, future, senttrain
from explainer.bench import pages as page_runs
from explainer.cells import KINDS
from explainer.figures import bidirectional as fig
from explainer.figures import theme

REPO = Path(__file__).resolve().parents[2]
MOVES = [2, *[3, 4, 5, 6, 7] * 3]  # t after each move: a warm-up, then 15 timed
PAGES = ("7_Bidirectional_RNN.py", "8_Sentiment_pipeline.py", "9_Sequence_to_sequence.py")


def training() -> None:
    print("| model | computing time (s) | wall (s) | result |\n|---|---|---|---|")
    for kind in KINDS:
        start = time.perf_counter()
        r = bitrain.train_pair(bitrain.FutureConfig(cell=kind))
        wall = time.perf_counter() - start
        print(f"| {kind} one-way + bidirectional | {r['uni']['seconds'] + r['bi']['seconds']:.1f} "
              f"| {wall:.1f} | accuracy {r['uni']['accuracy'].mean():.1%} vs "
              f"{r['bi']['accuracy'].mean():.1%} |")  # fmt: skip
    start = time.perf_counter()
    r = senttrain.train(senttrain.SentimentConfig())
    wall = time.perf_counter() - start
    print(f"| sentiment LSTM | {r['seconds']:.1f} | {wall:.1f} | held-out {r['held_out']:.0%}, "
          f"six {r['six']:.0%} |")  # fmt: skip


def reruns() -> None:
    """Each page's rerun after t moves as its bar moves it (t set, then a run), via the page
    benchmark's AppTest helpers."""
    print("\n| page | median rerun after moving t (ms) |\n|---|---|")
    for page in PAGES:
        path = REPO / "pages" / page
        at = page_runs.started(path, {})
        times = []
        for k, v in enumerate(MOVES):
            at.session_state["t"] = v
            start = time.perf_counter()
            page_runs.checked(at.run(), path)
            if k:  # the first move warms up
                times.append(time.perf_counter() - start)
        print(f"| {page} | {1000 * statistics.median(times):.0f} |")


def sizes() -> None:
    print("\n| string length T (H = 12) | chains figure (kB) | per step (kB) |\n|---|---|---|")
    models = {k: future.shipped("gru", k == "bi")[0] for k in ("uni", "bi")}
    for T in (15, 30, 60):
        r = future.read(models, future.encode("ab)" * (T // 3))[0])
        bt = r.runs["bi"]
        spec = fig.two_chains(r.chars, bt.h_fwd, bt.h_bwd, r.beliefs, r.truth, 1)
        kb = len(json.dumps(theme.pack(spec))) / 1024
        print(f"| {T} | {kb:.0f} | {kb / T:.1f} |")


def run() -> None:
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n")
    training()
    reruns()
    sizes()
