"""The numbers behind a figure as CSV: one row per step, one column per quantity."""

from __future__ import annotations

import csv
import io

import numpy as np


def to_csv(table: dict[str, np.ndarray]) -> str:
    """CSV text of equal-length columns; floats written to full precision (repr), inf/nan as
    ``inf``/``nan``."""
    names = list(table)
    columns = [np.asarray(table[n]) for n in names]
    lengths = {len(c) for c in columns}
    if len(lengths) != 1:
        raise ValueError(
            f"columns of different lengths: {dict(zip(names, map(len, columns), strict=True))}"
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in zip(*columns, strict=True):
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _cell(v) -> str:
    if isinstance(v, float | np.floating):
        return repr(float(v))
    if isinstance(v, np.integer):
        return str(int(v))
    return str(v)
