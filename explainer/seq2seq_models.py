"""The shipped encoder-decoder of the sequence-to-sequence page: ``assets/models/seq2seq/
<name>.safetensors`` (float32, no pickle) with a JSON card (settings, seeds, protocol, metrics
recomputed by the NumPy cells from the stored weights), and the stored sweep over H.

``python -m explainer.seq2seq_pretrain`` writes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from explainer import reversal
from explainer.cells import CellParams
from explainer.seq2seq import Seq2Seq
from explainer.seq2seq_train import Seq2SeqConfig
from explainer.trace import Readout

FOLDER = Path(__file__).resolve().parent.parent / "assets" / "models" / "seq2seq"
SWEEP = FOLDER.parent.parent / "sweeps" / "seq2seq_hidden.json"
DEFAULT = "reverse-gru"
PARTS = ("enc", "dec")
WEIGHTS = ("W_ih", "W_hh", "b_ih", "b_hh")


@dataclass(frozen=True, eq=False)
class Shipped:
    """A loaded model: the NumPy encoder-decoder, its training config and its card."""

    name: str
    model: Seq2Seq
    cfg: Seq2SeqConfig
    card: dict


def names() -> list[str]:
    """The shipped encoder-decoders, by name."""
    return sorted(p.stem for p in FOLDER.glob("*.json"))


def arrays(m: Seq2Seq) -> dict[str, np.ndarray]:
    """float32 arrays named ``enc.W_ih`` ... ``dec.b_hh``, ``W_hy``, ``b_y``."""
    out = {}
    for part, p in zip(PARTS, (m.encoder, m.decoder), strict=True):
        for w in WEIGHTS:
            out[f"{part}.{w}"] = getattr(p, w)
    out["W_hy"], out["b_y"] = m.readout.W_hy, m.readout.b_y
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def from_arrays(kind: str, w: dict[str, np.ndarray]) -> Seq2Seq:
    """The NumPy encoder-decoder (float64, read-only arrays) from ``arrays``' layout."""

    def frozen(a):
        a = np.asarray(a, dtype=np.float64)
        a.setflags(write=False)
        return a

    cells = [CellParams(kind, *(frozen(w[f"{part}.{n}"]) for n in WEIGHTS)) for part in PARTS]
    return Seq2Seq(*cells, Readout(frozen(w["W_hy"]), frozen(w["b_y"])))


@lru_cache(maxsize=4)
def load(name: str = DEFAULT) -> Shipped:
    """A shipped model by name (a ValueError names the ones there are)."""
    from safetensors.numpy import load_file

    path = FOLDER / f"{name}.json"
    if not path.exists():
        raise ValueError(f"there is no encoder-decoder {name!r}; shipped: {', '.join(names())}")
    card = json.loads(path.read_text(encoding="utf-8"))
    cfg = Seq2SeqConfig(**card["config"])
    m = from_arrays(cfg.cell, load_file(FOLDER / f"{name}.safetensors"))
    if m.H != cfg.hidden_size or m.readout.W_hy.shape[0] != reversal.N_OUT:
        raise ValueError(f"{name}: the weights do not match the sizes on its card")
    return Shipped(name, m, cfg, card)


def sweep() -> dict:
    """Accuracy against length for several H (``seq2seq_pretrain.sweep``)."""
    return json.loads(SWEEP.read_text(encoding="utf-8"))
