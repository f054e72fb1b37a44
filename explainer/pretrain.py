"""Train the models behind the pages and the adding-problem sweep; write them to assets/models.

``python -m explainer.pretrain`` (all: the models about 6-9 minutes on 2 cores; the sweep's
wall seconds are stored in its file) or
``python -m explainer.pretrain chars adding sweep --jobs 2``. Every draw is seeded, so a rerun
writes the same numbers (up to floating-point differences across machines).

Writes ``<name>.safetensors`` (float32 ``W_ih, W_hh, b_ih, b_hh, W_hy, b_y``) with a JSON card
(task, settings, seed, evaluation set, metrics recomputed by the NumPy cells, vocab, history),
and ``adding_sweep.json``: for the three cells, the fraction of test sequences solved and the
steps to solve against T, with the protocol (budget per T, seeds, tolerance, early stop).
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict

import numpy as np

from explainer import pretrained, train, trainsets
from explainer.cells import KINDS, params_from_torch
from explainer.figures.theme import CELL_NAMES
from explainer.trainsets import SOLVED_TOL, subseed

CHARS = train.TrainConfig(task="chars", seq_len=64, data="notes")
CHARS_STEPS = 800
ADDING = train.TrainConfig(task="adding", seq_len=50)
ADDING_STEPS = 1000
ADDING_EVAL = {"kind": "adding", "T": 50, "n": 500, "seed": 2024}
SWEEP_T = (10, 25, 50, 100, 200)
SWEEP_SEEDS = (0, 1, 2)
# steps per T: the vanilla RNN needs thousands of steps at T = 25, so short T get more
SWEEP_STEPS = {10: 5000, 25: 5000, 50: 5000, 100: 1500, 200: 1500}
SWEEP_SOLVED = 0.95  # a run solves T once this fraction of its validation sequences is solved
SWEEP_TEST = 1000


def thin(values: list, n: int = 250) -> list:
    """At most ``n`` evenly spaced entries (curves for the page, not for analysis)."""
    if len(values) <= n:
        return list(values)
    return [values[k] for k in np.linspace(0, len(values) - 1, n).round().astype(int)]


def history(h: train.History) -> dict:
    """A cell's training record, thinned for the card."""
    return {
        "step": thin(h.step),
        "loss": [round(v, 5) for v in thin(h.loss)],
        "grad_before": [round(v, 5) for v in thin(h.grad_before)],
        "grad_after": [round(v, 5) for v in thin(h.grad_after)],
        "val_step": h.val_step,
        "val_loss": [round(v, 6) for v in h.val_loss],
        "val_metric": [round(v, 4) for v in h.val_metric],
        "events": [asdict(e) for e in h.events[:50]],
    }


def weights(c: train.CellRun) -> dict[str, np.ndarray]:
    """float32 arrays named as the project names them."""
    p = params_from_torch(c.net.rnn)
    head = c.net.head
    arrays = {
        "W_ih": p.W_ih,
        "W_hh": p.W_hh,
        "b_ih": p.b_ih,
        "b_hh": p.b_hh,
        "W_hy": head.weight.detach().double().numpy(),
        "b_y": head.bias.detach().double().numpy(),
    }
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()}


def write(
    name: str, title: str, run: train.Run, kind: str, eval_spec: dict, best: tuple | None = None
) -> dict:
    """Save one cell of a run with its card; the metrics come from the saved float32 file.
    ``best`` is (step, weights) of an earlier checkpoint to save instead of the last one."""
    from safetensors.numpy import save_file

    pretrained.MODELS.mkdir(parents=True, exist_ok=True)
    c, cfg = run.cells[kind], run.cfg
    step, arrays = best if best is not None else (run.step, weights(c))
    save_file(arrays, str(pretrained.MODELS / f"{name}.safetensors"))
    card = {
        "name": name,
        "kind": kind,
        "task": cfg.task,
        "title": title,
        "hidden_size": cfg.hidden_size,
        "input_size": run.data.input_size,
        "output_size": run.data.output_size,
        "vocab": list(run.data.vocab) if cfg.task == "chars" else [],
        "train": {
            **asdict(train.TrainConfig(**{**asdict(cfg), "cells": (kind,)})),
            "steps": run.step,
            "saved_step": step,  # the checkpoint in the file (chars: best validation loss)
            "torch_threads": train.TORCH_THREADS,
        },  # fmt: skip
        "eval": eval_spec,
        "metrics": {},
        "history": history(c.history),
        "created_with": "python -m explainer.pretrain",
    }
    path = pretrained.MODELS / f"{name}.json"
    path.write_text(json.dumps(card, indent=1), encoding="utf-8")
    pretrained._cards.cache_clear()
    pretrained.load.cache_clear()
    card["metrics"] = pretrained.evaluate(pretrained.load(name))
    path.write_text(json.dumps(card, indent=1), encoding="utf-8")
    print(f"  {name}: {card['metrics']}", flush=True)
    return card


def chars_models() -> None:
    """Char models keep the checkpoint with the lowest validation loss (the small train part is
    memorised within a few hundred steps, after which that loss rises again); their cards report
    the test part, which chose nothing (``trainsets.char_splits``)."""
    run = train.new_run(CHARS)
    t0 = time.perf_counter()
    best = {kind: (np.inf, None) for kind in KINDS}
    while run.step < CHARS_STEPS:
        train.train(run, run.data.eval_every, max_seconds=900)
        for kind, c in run.cells.items():
            if c.history.val_loss[-1] < best[kind][0]:
                best[kind] = (c.history.val_loss[-1], (run.step, weights(c)))
    print(f"chars: {run.step} steps in {time.perf_counter() - t0:.0f} s", flush=True)
    spec = {
        "kind": "chars",
        "corpus": CHARS.data,
        "splits": {k: list(v) for k, v in run.data.info["splits"].items()},
        "checkpoint_chosen_on": "validation",
        "read": "each part in one pass from h_0 = 0",
        "baseline": run.data.baseline,
    }
    for kind in KINDS:
        title = f"{CELL_NAMES[kind]} character model of Unrolled's notes on RNNs"
        write(f"char-{kind}", title, run, kind, spec, best[kind][1])


def adding_models() -> None:
    run = train.new_run(ADDING)
    t0 = time.perf_counter()
    train.train(run, ADDING_STEPS, max_seconds=900)
    print(f"adding: {run.step} steps in {time.perf_counter() - t0:.0f} s", flush=True)
    for kind in KINDS:
        title = f"{CELL_NAMES[kind]} on the adding problem, T = {ADDING.seq_len}"
        write(f"adding-{kind}", title, run, kind, ADDING_EVAL)


def sweep_point(kind: str, T: int, seed: int) -> dict:
    """Train one cell at one T for the sweep budget, stopping once it solves the validation set;
    score it on fresh test sequences."""
    from explainer import tasks

    cfg = train.TrainConfig(task="adding", seq_len=T, seed=seed, cells=(kind,))
    run = train.new_run(cfg)
    t0 = time.perf_counter()

    def solved_it(r: train.Run) -> bool:
        return r.cells[kind].history.val_metric[-1] >= SWEEP_SOLVED

    reason = train.train(run, SWEEP_STEPS[T], max_seconds=3600, until=solved_it)
    x, y = tasks.adding(T, SWEEP_TEST, subseed(seed, 9))
    err = train.outputs(run.cells[kind], train.Batch(x.astype(np.float32), y), "last") - y
    solved = float(np.mean(np.abs(err) < SOLVED_TOL)) if np.isfinite(err).all() else 0.0
    mse = float(np.mean(err**2)) if np.isfinite(err).all() else float("nan")
    secs = time.perf_counter() - t0
    print(f"  sweep {kind:4} T={T:3} seed={seed}: solved {solved:.3f} mse {mse:.4f} "
          f"({run.step} steps, {reason}, {secs:.0f} s)", flush=True)  # fmt: skip
    return {
        "kind": kind, "T": T, "seed": seed, "solved": solved, "mse": mse, "steps": run.step,
        # the first validation at which it solved, or None: not within the budget
        "steps_to_solve": run.step if reason == "target" else None,
        "stopped": reason, "seconds": round(secs, 1),
    }  # fmt: skip


def sweep_protocol() -> dict:
    """How every point of the sweep is trained and scored (stored with the results)."""
    cfg = train.TrainConfig(task="adding")
    data = trainsets.adding(SWEEP_T[0], 0, cfg.batch_size)
    return {
        "max_steps": [SWEEP_STEPS[T] for T in SWEEP_T],
        "seeds": list(SWEEP_SEEDS),
        "tolerance": SOLVED_TOL,
        "hs_tolerance": trainsets.HS_TOL,
        "solved_fraction": SWEEP_SOLVED,
        "eval_every": data.eval_every,
        "validation_sequences": len(data.val.y),
        "test_sequences": SWEEP_TEST,
        "hidden_size": cfg.hidden_size,
        "optimizer": cfg.optimizer,
        "lr": cfg.lr,
        "clip": cfg.clip,
        "batch_size": cfg.batch_size,
    }


def sweep(jobs: int) -> None:
    points = [(k, T, s) for T in SWEEP_T for s in SWEEP_SEEDS for k in KINDS]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(sweep_point, *zip(*points, strict=True)))
    out = {
        "task": "adding",
        "T": list(SWEEP_T),
        "protocol": sweep_protocol(),
        "chance": trainsets.adding_chance(),
        "seconds": round(time.perf_counter() - t0),
        "results": results,
    }
    path = pretrained.SWEEPS / "adding_sweep.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1), encoding="utf-8")


PARTS = {"chars": chars_models, "adding": adding_models, "sweep": None}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("parts", nargs="*", help=f"any of {', '.join(PARTS)} (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the sweep")
    args = parser.parse_args(argv)
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}; choose from {', '.join(PARTS)}")
    t0 = time.perf_counter()
    for part in args.parts or list(PARTS):
        print(f"# {part}", flush=True)
        if part == "sweep":
            sweep(args.jobs)
        else:
            PARTS[part]()
    print(f"done in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
