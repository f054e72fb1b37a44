"""Sequence-to-sequence benchmarks: time to train the page's default model live (wall and CPU
seconds, and its held-out accuracy then), the cost of moving the time cursor, figure sizes.

``python -m explainer.bench seq2seq``. Settings: the shipped model's (``seq2seq_models``);
torch with one thread, as the server's training queue runs it.
"""

from __future__ import annotations

import json
import time

import numpy as np

from explainer import seq2seq_models, seq2seq_story, seq2seq_train
from explainer.figures import seq2seq as figures
from explainer.figures import theme


def training() -> None:
    cfg = seq2seq_models.load().cfg
    run = seq2seq_train.new_run(cfg)
    wall, cpu = time.perf_counter(), time.thread_time()
    seq2seq_train.train(run, cfg.steps)
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    s = seq2seq_train.score_batch(run.net, run.test)
    k = s["length"].index(seq2seq_train.HOLD_OUT_FROM)
    print("| model | steps | wall s | CPU s | exact, held-out length 4..max | teacher tokens |")
    print("|---|---|---|---|---|---|")
    exact = np.mean(s["exact"][k : cfg.max_len])
    teacher = np.mean(s["teacher"][k : cfg.max_len])
    print(f"| {cfg.cell} H={cfg.hidden_size} | {cfg.steps} | {wall:.1f} | {cpu:.1f} | "
          f"{exact:.1%} | {teacher:.1%} |")  # fmt: skip


def cursor_and_sizes() -> None:
    m = seq2seq_models.load().model
    print("\n| n digits | frames | figure bytes | aim at t (ms) | decode + build (ms) |")
    print("|---|---|---|---|---|")
    for n in (3, 7, 12, 16):
        digits = np.arange(n) % 10
        t0 = time.perf_counter()
        tf, free = seq2seq_story.decodings(m, digits)
        spec = theme.pack(figures.unrolled_figure(free, digits, 1))
        build = (time.perf_counter() - t0) * 1e3
        K = len(spec["frames"])
        t0 = time.perf_counter()
        for k in range(K):
            theme.aim_spec(spec, k)
        aim = (time.perf_counter() - t0) * 1e3 / K
        size = len(json.dumps(spec))
        print(f"| {n} | {K} | {size:,} | {aim:.2f} | {build:.0f} |")


def run(table: str | None = None) -> None:
    if table in (None, "training"):
        training()
    if table in (None, "cursor"):
        cursor_and_sizes()
