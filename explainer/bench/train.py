"""Training benchmarks: throughput of each cell, wall time to reach validation MSE 0.01 on the
adding problem inside the app's training loop, load time of a pretrained model, peak memory.

``python -m explainer.bench train``. Settings: H = 32, Adam 0.01, batch 64, clip 1, seed 0
(the page's defaults); torch with ``train.TORCH_THREADS`` threads unless a row says otherwise.
"""

from __future__ import annotations

import resource
import time
import tracemalloc

from explainer import pretrained, train
from explainer.cells import KINDS
from explainer.figures.theme import CELL_NAMES

TARGET = 0.01
CAP_SECONDS = 60.0  # the vanilla RNN never gets there: stop it after this long


def throughput(kind: str, T: int = 50, steps: int = 40, threads: int | None = None) -> float:
    """Training sequences per second (batch 64), after two warm-up steps."""
    default = train.TORCH_THREADS
    train.TORCH_THREADS = threads or default  # read by every train._torch() call
    try:
        run = train.new_run(train.TrainConfig(task="adding", seq_len=T, cells=(kind,)))
        data, c = run.data, run.cells[kind]
        batches = [train._tensors(data.batch(s)) for s in range(steps + 2)]
        for b in batches[:2]:
            train.train_step(c, b, data, 1.0, 0)
        t0 = time.perf_counter()
        for b in batches[2:]:
            train.train_step(c, b, data, 1.0, 0)
        secs = time.perf_counter() - t0
    finally:
        train.TORCH_THREADS = default
    return steps * run.cfg.batch_size / secs


def time_to_target(kind: str, T: int) -> tuple[float, int, float, bool]:
    """(seconds, steps, last validation MSE, reached) with the app's loop, validation every
    25 steps included in the time."""
    run = train.new_run(train.TrainConfig(task="adding", seq_len=T, cells=(kind,)))
    t0 = time.perf_counter()
    train.train(run, 100_000, max_seconds=CAP_SECONDS,
                until=lambda r: r.cells[kind].history.val_loss[-1] < TARGET)  # fmt: skip
    mse = run.cells[kind].history.val_loss[-1]
    return time.perf_counter() - t0, run.step, mse, mse < TARGET


def load_time() -> tuple[float, float]:
    """(first load, best of 10 later loads) of a pretrained model, in milliseconds."""
    pretrained.load.cache_clear()
    t0 = time.perf_counter()
    pretrained.load("char-lstm")
    first = time.perf_counter() - t0
    best = float("inf")
    for _ in range(10):
        pretrained.load.cache_clear()
        t0 = time.perf_counter()
        pretrained.load("char-lstm")
        best = min(best, time.perf_counter() - t0)
    return first * 1e3, best * 1e3


def memory() -> tuple[float, float, float]:
    """(max RSS before, max RSS after, Python-level peak) in MB for one 200-step run of the
    three cells on the adding problem, T = 50."""
    train._torch()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    run = train.new_run(train.TrainConfig(task="adding", seq_len=50))
    train.train(run, 200, max_seconds=600)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return before, after, peak / 1e6


def run() -> None:
    print("| cell | sequences/s (T=50, 1 thread) | sequences/s (2 threads) |")
    print("|---|---|---|")
    for kind in KINDS:
        one, two = throughput(kind), throughput(kind, threads=2)
        print(f"| {CELL_NAMES[kind]} | {one:,.0f} | {two:,.0f} |", flush=True)
    print(f"\n| cell | T | wall time to validation MSE < {TARGET} | steps | last MSE |")
    print("|---|---|---|---|---|")
    for T in (50, 100):
        for kind in ("lstm", "gru", "rnn"):
            secs, steps, mse, ok = time_to_target(kind, T)
            capped = " (the per-run step cap)" if steps >= train.MAX_TOTAL_STEPS else ""
            shown = f"{secs:.1f} s" if ok else f"not reached in {secs:.0f} s{capped}"
            print(f"| {CELL_NAMES[kind]} | {T} | {shown} | {steps} | {mse:.4f} |", flush=True)
    first, best = load_time()
    print(f"\npretrained load (char-lstm): first {first:.1f} ms, then {best:.2f} ms (best of 10)")
    before, after, peak = memory()
    print(f"peak memory, 200 steps x 3 cells (T=50): max RSS {before:.0f} MB before, "
          f"{after:.0f} MB after; Python allocations peak {peak:.1f} MB")  # fmt: skip
