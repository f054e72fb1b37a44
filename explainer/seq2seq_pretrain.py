"""Train the sequence-to-sequence page's shipped model and its sweep over H; write them.

``python -m explainer.seq2seq_pretrain`` (model and sweep) or ``... model`` / ``... sweep``.
Every draw is seeded (weights from ``cfg.seed``, batches from ``[seed, 1]``, test strings from
``seq2seq_train.TEST_SEED``), so a rerun writes the same numbers up to floating-point
differences across machines. The card's metrics are recomputed by the NumPy cells from the
stored float32 weights on the held-out test strings.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, replace

import numpy as np

from explainer import seq2seq_eval, seq2seq_models, seq2seq_train
from explainer.figures.theme import CELL_NAMES
from explainer.seq2seq_train import Seq2SeqConfig

DEFAULT = Seq2SeqConfig()
SWEEP_H = (8, 16, 32, 64)
PROTOCOL = (
    "Adam, cross-entropy under teacher forcing, gradient norm clipped; every batch one length "
    "drawn uniformly from the trained lengths; the test strings of length >= {hold} are never "
    "trained on ({per} per length, seed {seed}); shorter lengths have too few strings to keep "
    "any apart."
)


def thin(values: list, n: int = 200) -> list:
    """At most ``n`` evenly spaced entries."""
    if len(values) <= n:
        return list(values)
    return [values[k] for k in np.linspace(0, len(values) - 1, n).round().astype(int)]


def trained(cfg: Seq2SeqConfig) -> tuple[seq2seq_train.Run, float, float]:
    """A run trained for ``cfg.steps``; its wall and CPU (this thread) seconds."""
    run = seq2seq_train.new_run(cfg)
    wall, cpu = time.perf_counter(), time.thread_time()
    seq2seq_train.train(run, cfg.steps)
    return run, time.perf_counter() - wall, time.thread_time() - cpu


def model(cfg: Seq2SeqConfig = DEFAULT, name: str = seq2seq_models.DEFAULT) -> dict:
    """Train, save the float32 weights, then score them with the NumPy cells for the card."""
    from safetensors.numpy import save_file

    run, wall, cpu = trained(cfg)
    folder = seq2seq_models.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    save_file(
        seq2seq_models.arrays(seq2seq_train.to_numpy(run.net)), str(folder / f"{name}.safetensors")
    )
    card = {
        "name": name,
        "title": f"{CELL_NAMES[cfg.cell]} encoder-decoder that reverses digit strings",
        "task": "reverse",
        "config": asdict(cfg),
        "protocol": PROTOCOL.format(
            hold=seq2seq_train.HOLD_OUT_FROM,
            per=seq2seq_train.TEST_PER_LENGTH,
            seed=seq2seq_train.TEST_SEED,
        ),
        "seeds": {"weights": cfg.seed, "batches": [cfg.seed, 1], "test": seq2seq_train.TEST_SEED},
        "test": {
            "per_length": seq2seq_train.TEST_PER_LENGTH,
            "held_out_from_length": seq2seq_train.HOLD_OUT_FROM,
        },
        "training": {
            "wall_seconds": round(wall, 1),
            "cpu_seconds": round(cpu, 1),
            "torch_threads": 1,
        },
        "history": {
            "step": thin(run.history["step"]),
            "loss": [round(v, 5) for v in thin(run.history["loss"])],
        },
        "created_with": "python -m explainer.seq2seq_pretrain",
    }
    path = folder / f"{name}.json"
    path.write_text(json.dumps(card, indent=1), encoding="utf-8")
    seq2seq_models.load.cache_clear()
    shipped = seq2seq_models.load(name)
    card["metrics"] = seq2seq_eval.by_length(shipped.model, run.test)
    path.write_text(json.dumps(card, indent=1), encoding="utf-8")
    seq2seq_models.load.cache_clear()
    print(
        f"{name}: {wall:.0f} s wall, {cpu:.0f} s cpu; exact {card['metrics']['exact']}", flush=True
    )
    return card


def sweep(base: Seq2SeqConfig = DEFAULT) -> dict:
    """The default protocol at each H in ``SWEEP_H``: accuracy against length (scored in torch
    from the trained weights, ``seq2seq_train.score_batch``)."""
    out = {"config": asdict(base), "hidden_sizes": list(SWEEP_H), "results": []}
    for H in SWEEP_H:
        run, wall, cpu = trained(replace(base, hidden_size=H))
        scores = seq2seq_train.score_batch(run.net, run.test)
        out["results"].append({"hidden_size": H, "cpu_seconds": round(cpu, 1), **scores})
        print(f"  H={H}: exact {[round(v, 2) for v in scores['exact']]}", flush=True)
    seq2seq_models.SWEEP.parent.mkdir(parents=True, exist_ok=True)
    seq2seq_models.SWEEP.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("parts", nargs="*", help="model and/or sweep (default: both)")
    args = parser.parse_args(argv)
    unknown = set(args.parts) - {"model", "sweep"}
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}; choose from model, sweep")
    for part in args.parts or ["model", "sweep"]:
        model() if part == "model" else sweep()


if __name__ == "__main__":
    main()
