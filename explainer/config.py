"""``RunConfig``: everything that determines a run; a cache key and a deep-link payload.

A config round-trips through URL query parameters (``to_query`` / ``from_query``); junk values
fall back to their defaults with a notice a person can read, never an exception.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

from explainer.cells import ACTIVATIONS, KINDS
from explainer.initializers import INITS

SOURCES = ("text", "numbers", "sine", "adding", "copy")
DEFAULT_TEXT = "the cat sat on the mat. the dog sat on the log."

# (low, high) for numeric fields; choices for the others
LIMITS = {
    "hidden_size": (1, 128),
    "seq_len": (1, 500),
    "seed": (0, 2**31 - 1),
    "rho": (0.0, 4.0),
    "forget_bias": (-10.0, 10.0),
    "clip": (0.01, 100.0),
}
CHOICES = {"cell": KINDS, "activation": ACTIVATIONS, "source": SOURCES, "init": INITS}
MAX_TEXT = 500


@dataclass(frozen=True)
class RunConfig:
    """One scene: cell, sizes, input, initialisation and seed. Frozen and hashable.

    ``seq_len`` is T for generated inputs (sine, adding, copy); typed text and numbers set T by
    their length. ``forget_bias`` (LSTM) and ``clip`` are None when unused.
    ``weights`` is "random" or the name of a pretrained model in assets/.
    """

    cell: str = "rnn"
    activation: str = "tanh"
    hidden_size: int = 16
    seq_len: int = 40
    seed: int = 0
    source: str = "text"
    text: str = DEFAULT_TEXT
    numbers: str = "0, 1, 0.5, -1, 2, 0, 0, 1, 0, -0.5"
    init: str = "pytorch"
    rho: float = 1.0
    forget_bias: float | None = None
    clip: float | None = None
    weights: str = "random"

    def __post_init__(self) -> None:
        problems = validate(self)
        if problems:
            raise ValueError("; ".join(problems))

    def with_(self, **changes) -> RunConfig:
        """A copy with some fields changed (validated)."""
        return replace(self, **changes)

    def to_query(self) -> dict[str, str]:
        """Every field as a string, for ``st.query_params`` (None is written as "none")."""
        return {k: "none" if v is None else _format(v) for k, v in asdict(self).items()}

    @classmethod
    def from_query(cls, query) -> tuple[RunConfig, dict[str, str]]:
        """Read the fields this class knows from a mapping of strings; others are ignored.

        Returns the config and, keyed by field, a notice for each value that was ignored, e.g.
        ``hidden_size='abc' is not a whole number from 1 to 128; using 16``.
        """
        default, values, notices = cls(), {}, {}
        for f in fields(cls):
            if f.name not in query:
                continue
            raw = query[f.name]
            raw = raw[-1] if isinstance(raw, list) else raw
            fallback = getattr(default, f.name)
            value, problem = _parse(f.name, str(raw))
            if problem:
                notices[f.name] = f"{f.name}={str(raw)[:40]!r} {problem}; using {_format(fallback)}"
            else:
                values[f.name] = value
        return cls(**values), notices


def validate(cfg: RunConfig) -> list[str]:
    """Plain-words problems with a config's values (empty when valid)."""
    problems = []
    for name, choices in CHOICES.items():
        if getattr(cfg, name) not in choices:
            problems.append(f"{name} must be one of {', '.join(choices)}")
    for name, (lo, hi) in LIMITS.items():
        v = getattr(cfg, name)
        if v is None and name in ("forget_bias", "clip"):
            continue
        if isinstance(v, bool) or not isinstance(v, int | float) or not (lo <= v <= hi) or v != v:
            problems.append(f"{name} must be a number from {lo} to {hi}")
        elif isinstance(lo, int) and not isinstance(v, int):
            problems.append(f"{name} must be a whole number")
    if not isinstance(cfg.text, str) or len(cfg.text) > MAX_TEXT:
        problems.append(f"text must be at most {MAX_TEXT} characters")
    if not isinstance(cfg.weights, str) or not cfg.weights or len(cfg.weights) > 64:
        problems.append("weights must be 'random' or a model name")
    return problems


def _format(v) -> str:
    if v is None:
        return "the default"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _parse(name: str, raw: str):
    """(value, None) or (None, problem) for one query value."""
    if name in CHOICES:
        return (
            (raw, None)
            if raw in CHOICES[name]
            else (None, f"is not one of {', '.join(CHOICES[name])}")
        )
    if name in LIMITS:
        lo, hi = LIMITS[name]
        if raw.lower() in ("none", "random", "off") and name in ("forget_bias", "clip"):
            return None, None
        try:
            value = int(raw) if isinstance(lo, int) else float(raw)
        except ValueError:
            kind = "whole number" if isinstance(lo, int) else "number"
            return None, f"is not a {kind} from {lo} to {hi}"
        if not math.isfinite(value) or not lo <= value <= hi:
            return None, f"is outside {lo} to {hi}"
        return value, None
    if name == "text" and len(raw) > MAX_TEXT:
        return None, f"is longer than {MAX_TEXT} characters"
    if name == "weights" and not (0 < len(raw) <= 64):
        return None, "is not a model name"
    return raw, None
