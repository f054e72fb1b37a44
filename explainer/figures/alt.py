"""Text alternatives of the charts: what a chart shows at this scene in a sentence or two (its
accessible name, read by screen readers instead of "t=1 t=2 ... -0.26 0.07"), and its numbers
as a table. Each figure module builds its own beside its figure, from the same data."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

MAX_ROWS = 1000  # a table longer than this keeps evenly spaced rows (the last one included)


@dataclass(frozen=True, eq=False)
class Alt:
    """``name``: what the chart is, a few words; ``text``: what it shows now, computed from
    the data; ``table``: column name -> values (equal lengths; None for a missing value)."""

    name: str
    text: str
    table: dict[str, list]

    def __post_init__(self) -> None:
        lengths = {len(v) for v in self.table.values()}
        if len(lengths) > 1:
            raise ValueError(f"table columns differ in length: {lengths}")


def fmt(v) -> str:
    """A number in words: three significant digits; overflow and NaN named."""
    v = float(v)
    if math.isnan(v):
        return "NaN (overflowed)"
    if math.isinf(v):
        return "+∞" if v > 0 else "−∞"
    return f"{v:.3g}"


def column(values: Iterable) -> list:
    """Values for a table column: Python floats, None for inf/NaN (an empty cell)."""
    a = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=float)
    return [float(v) if math.isfinite(v) else None for v in a.ravel().tolist()]


def thin(table: dict[str, list], limit: int = MAX_ROWS) -> dict[str, list]:
    """At most ``limit`` evenly spaced rows of a long table, the last row kept."""
    n = len(next(iter(table.values()), []))
    if n <= limit:
        return table
    keep = [*range(0, n - 1, -(-(n - 1) // (limit - 1))), n - 1]
    return {k: [v[i] for i in keep] for k, v in table.items()}


def long_table(series: Mapping[str, tuple], x: str, y: str, by: str = "series") -> dict:
    """Several curves in one table, a row per point: ``series`` maps a name to (xs, ys)."""
    out: dict[str, list] = {by: [], x: [], y: []}
    for name, (xs, ys) in series.items():
        xs, ys = list(xs), column(ys)
        out[by] += [name] * len(ys)
        out[x] += [v.item() if isinstance(v, np.generic) else v for v in xs[: len(ys)]]
        out[y] += ys
    return thin(out)


def finite_mean(a) -> float:
    """The mean of the finite values (NaN if there is none)."""
    a = np.asarray(a, dtype=float)
    a = a[np.isfinite(a)]
    return float(a.mean()) if a.size else math.nan


def extreme(a: np.ndarray) -> tuple[tuple[int, ...], float] | None:
    """Index and value of the largest |value| among the finite ones (None if there is none)."""
    a = np.asarray(a, dtype=float)
    finite = np.isfinite(a)
    if not finite.any():
        return None
    k = int(np.argmax(np.where(finite, np.abs(a), -1.0)))
    at = np.unravel_index(k, a.shape)
    return tuple(int(i) for i in at), float(a[at])


def plain(text: str) -> str:
    """Chart markup (``<sub>``, ``<sup>``, ``<br>``) as plain words for a screen reader."""
    for tag, sub in (("<sub>", "_"), ("</sub>", ""), ("<sup>", "^"), ("</sup>", "")):
        text = text.replace(tag, sub)
    return text.replace("<br>", " ")
