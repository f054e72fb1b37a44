"""Scoring an encoder-decoder on the held-out strings with the NumPy cells, length by length:
whole strings right when decoding greedily (its own guesses fed back), and digits right under
teacher forcing against free running (the gap is exposure bias).

References: Bengio et al. 2015, arXiv:1506.03099 (exposure bias); Cho et al. 2014,
arXiv:1409.1259 (an encoder-decoder's quality falls with sentence length).
"""

from __future__ import annotations

import numpy as np

from explainer import reversal
from explainer.seq2seq import Seq2Seq, beam, greedy, teacher_forced


def score_one(m: Seq2Seq, digits: np.ndarray) -> dict[str, float]:
    """One string: right as a whole (greedy), and the fraction of its n + 1 output tokens right
    under teacher forcing and when running free (a token never written counts as wrong)."""
    tgt = reversal.target(digits)
    tf = teacher_forced(m, digits, tgt).written
    free = greedy(m, digits).written
    S = len(tgt)
    free_right = (free == tgt[: len(free)]).sum()
    return {
        "exact": float(len(free) == S and bool((free == tgt).all())),
        "teacher": float((tf == tgt).mean()),
        "free": float(free_right / S),
    }


def by_length(m: Seq2Seq, test: dict[int, np.ndarray]) -> dict[str, list]:
    """Per length n: mean of ``score_one`` over the test strings of that length."""
    out: dict[str, list] = {"length": [], "exact": [], "teacher": [], "free": [], "count": []}
    for n, rows in sorted(test.items()):
        scores = [score_one(m, r) for r in rows]
        out["length"].append(int(n))
        out["count"].append(len(rows))
        for key in ("exact", "teacher", "free"):
            out[key].append(float(np.mean([s[key] for s in scores])))
    return out


def beam_gain(m: Seq2Seq, rows: np.ndarray, width: int = 3) -> dict[str, float]:
    """Whole strings right with greedy decoding and with a beam of ``width``, on ``rows``."""
    g = b = 0
    for r in rows:
        tgt = reversal.target(r)
        g += reversal.text(greedy(m, r).written) == reversal.text(tgt)
        b += reversal.text(beam(m, r, width)[0].written) == reversal.text(tgt)
    return {"greedy": g / len(rows), "beam": b / len(rows), "width": width, "count": len(rows)}
