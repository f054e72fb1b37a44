"""Pretrained weights shipped in assets/models: ``<name>.safetensors`` plus a JSON card.

Loaded with ``safetensors.numpy`` only (no pickle, no torch) into the project's own
``CellParams`` and ``Readout``, so the NumPy cells run what torch trained. ``evaluate``
recomputes a card's metrics with those NumPy cells on the card's evaluation set (seeded
sequences, or the validation and test parts of a character model's corpus).
``python -m explainer.pretrain`` writes the files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from explainer import chareval, datasets, tasks
from explainer.cells import CellParams
from explainer.trace import Readout
from explainer.trainsets import SOLVED_TOL
from explainer.unroll import unroll

MODELS = Path(__file__).resolve().parent.parent / "assets" / "models"
SWEEPS = MODELS.parent / "sweeps"
WEIGHTS = ("W_ih", "W_hh", "b_ih", "b_hh", "W_hy", "b_y")
# what each task's models read, as the sidebar's input sources name it
SOURCE = {"chars": "text", "adding": "adding"}


@dataclass(frozen=True, eq=False)
class Card:
    """What a model is, how it was trained and how well it does (the JSON beside it)."""

    name: str
    kind: str
    task: str
    title: str
    hidden_size: int
    input_size: int
    output_size: int
    vocab: tuple[str, ...]
    train: dict
    eval: dict
    metrics: dict
    history: dict

    @property
    def source(self) -> str:
        return SOURCE.get(self.task, self.task)


@dataclass(frozen=True, eq=False)
class Pretrained:
    """A loaded model: weights as the NumPy cells want them, its readout and its card."""

    card: Card
    params: CellParams
    readout: Readout

    @property
    def vocab(self) -> tuple[str, ...]:
        return self.card.vocab


def _card(path: Path) -> Card:
    raw = json.loads(path.read_text(encoding="utf-8"))
    fields = Card.__dataclass_fields__
    raw = {k: v for k, v in raw.items() if k in fields}
    raw["vocab"] = tuple(raw.get("vocab", ()))
    raw.setdefault("history", {})
    return Card(**raw)


@lru_cache(maxsize=1)
def _cards(folder: str) -> dict[str, Card]:
    return {p.stem: _card(p) for p in sorted(Path(folder).glob("*.json"))}


def cards() -> dict[str, Card]:
    """Every model card in assets/models, by name."""
    return _cards(str(MODELS))


def available(kind: str | None = None, source: str | None = None) -> list[Card]:
    """Cards of the shipped models, optionally only one cell kind or one input source."""
    return [
        c
        for c in cards().values()
        if (kind is None or c.kind == kind) and (source is None or c.source == source)
    ]


def sweep(name: str = "adding_sweep") -> dict:
    """Stored sweep results (see ``explainer.pretrain.sweep``)."""
    return json.loads((SWEEPS / f"{name}.json").read_text(encoding="utf-8"))


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    a.setflags(write=False)  # shared by every session through the cache
    return a


@lru_cache(maxsize=16)
def load(name: str) -> Pretrained:
    """Load a shipped model by name (a ValueError names the ones that exist)."""
    from safetensors.numpy import load_file

    card = cards().get(name)
    if card is None:
        known = ", ".join(cards()) or "none"
        raise ValueError(f"there is no pretrained model {name!r}; available: {known}")
    w = {k: _frozen(v) for k, v in load_file(MODELS / f"{name}.safetensors").items()}
    missing = set(WEIGHTS) - set(w)
    if missing:
        raise ValueError(f"{name}.safetensors lacks {sorted(missing)}")
    params = CellParams(card.kind, w["W_ih"], w["W_hh"], w["b_ih"], w["b_hh"])
    if (params.hidden_size, params.input_size) != (card.hidden_size, card.input_size):
        raise ValueError(f"{name}: the weights do not match the sizes on its card")
    return Pretrained(card, params, Readout(w["W_hy"], w["b_y"]))


def encode(model: Pretrained, text: str, max_chars: int = tasks.MAX_TEXT_CHARS):
    """Typed text in a character model's vocabulary; unknown characters raise a ValueError
    naming them."""
    known = set(model.vocab)
    unknown = sorted(set(text) - known)
    if unknown:
        shown = " ".join(repr(ch) for ch in unknown[:12])
        hint = " (it read only lower-case text)" if any(ch.isupper() for ch in unknown) else ""
        raise ValueError(
            f"the trained model {model.card.name} has never seen {shown}{hint}; "
            "remove those characters or choose random weights"
        )
    return tasks.encode_text(text, max_chars, vocab=model.vocab)


def split_text(card: Card, part: str) -> str:
    """One part ("train", "validation" or "test") of a character model's corpus, as its card
    records the split."""
    start, stop = card.eval["splits"][part]
    return datasets.corpus(card.eval["corpus"])[start:stop]


def score_text(model: Pretrained, text: str, window: int | None = None) -> dict[str, float]:
    """Cross-entropy and top-1 accuracy of a character model's guesses on ``text``, read in
    one pass from h_0 = 0, or restarted from h_0 = 0 every ``window`` steps."""
    enc = encode(model, text, max_chars=len(text))
    return chareval.score(model.params, model.readout, enc.x, enc.ids, window)


def evaluate(model: Pretrained) -> dict[str, float]:
    """The card's metrics, recomputed by the NumPy cells on its evaluation set: for a character
    model its validation part (which chose the checkpoint) and its test part (which chose
    nothing), each read in one pass from h_0 = 0."""
    spec, p, ro = model.card.eval, model.params, model.readout
    if spec["kind"] == "adding":
        x, y = tasks.adding(spec["T"], spec["n"], spec["seed"])
        pred = np.array([unroll(p, xi, readout=ro).y[-1, 0] for xi in x])
        err = pred - y
        return {"mse": float(np.mean(err**2)), "solved": float(np.mean(np.abs(err) < SOLVED_TOL))}
    if spec["kind"] == "chars":
        out = {}
        for part in ("validation", "test"):
            for k, v in score_text(model, split_text(model.card, part)).items():
                out[f"{part}_{k}"] = v
        return out
    raise ValueError(f"unknown evaluation kind {spec['kind']!r}")
