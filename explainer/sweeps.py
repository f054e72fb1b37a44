"""What the stored adding-problem sweep shows: steps to solve, how far each cell reaches within
a number of steps, and the sentences the train page prints about it (computed from the data).

A point that did not solve was stopped at its budget: it did not solve *within* that many steps,
which says nothing about more steps. ``python -m explainer.pretrain sweep`` writes the data.

References: Hochreiter & Schmidhuber 1997 (adding problem); Pascanu et al. 2013 (a tanh RNN
learns adding at long lags with enough steps, clipping and a regulariser).
"""

from __future__ import annotations

import statistics

from explainer.figures.theme import CELL_NAMES

KINDS = ("rnn", "lstm", "gru")


def budgets(sweep: dict) -> dict[int, int]:
    """The most steps a run may train at each T."""
    return dict(zip(sweep["T"], sweep["protocol"]["max_steps"], strict=True))


def points(sweep: dict, kind: str, T: int) -> list[dict]:
    """The runs (one per seed) of ``kind`` at ``T``."""
    return [r for r in sweep["results"] if r["kind"] == kind and r["T"] == T]


def solved_within(r: dict, steps: int) -> bool:
    """Did the run solve its validation set within ``steps`` steps?"""
    return r["steps_to_solve"] is not None and r["steps_to_solve"] <= steps


def reach(sweep: dict, kind: str, steps: int) -> int | None:
    """The longest T up to which every seed of ``kind`` solved within ``steps`` steps (at
    every shorter T too), or None if not even the shortest; T whose budget is under ``steps``
    count only if solved within their budget."""
    best = None
    for T in sweep["T"]:
        if not all(solved_within(r, steps) for r in points(sweep, kind, T)):
            break
        best = T
    return best


def median_steps(sweep: dict, kind: str, T: int) -> float | None:
    """The median steps to solve over seeds, None if the median seed did not solve (an
    unsolved seed counts as more steps than any solved one)."""
    inf = float("inf")
    steps = [r["steps_to_solve"] if r["steps_to_solve"] is not None else inf
             for r in points(sweep, kind, T)]  # fmt: skip
    m = statistics.median(steps) if steps else inf
    return None if m == inf else m


def steps_text(n: float) -> str:
    return f"{n:,.0f} step{'s' * (n != 1)}"


def not_within(T: int, sweep: dict) -> str:
    return f"not within {steps_text(budgets(sweep)[T])}"


def budget_text(sweep: dict) -> str:
    """The budget per T in words, runs of equal budgets grouped: "T = 10–50: 5,000 steps; ..."."""
    groups: list[list] = []
    for T, n in budgets(sweep).items():
        if groups and groups[-1][1] == n:
            groups[-1][0].append(T)
        else:
            groups.append([[T], n])
    parts = []
    for Ts, n in groups:
        where = f"T = {Ts[0]}" if len(Ts) == 1 else f"T = {Ts[0]}–{Ts[-1]}"
        parts.append(f"{where}: up to {steps_text(n)}")
    return "; ".join(parts)


def unsolved_text(sweep: dict, kind: str, T: int) -> str:
    """E.g. "every LSTM seed solves T = 200 (median 900 steps)" or "2 of 3 LSTM seeds: not
    within 1,500 steps at T = 200; the other solves it in 1,050"."""
    rows = points(sweep, kind, T)
    name = CELL_NAMES[kind]
    done = sorted(r["steps_to_solve"] for r in rows if r["steps_to_solve"] is not None)
    missed = len(rows) - len(done)
    if not missed:
        median = steps_text(median_steps(sweep, kind, T))
        return f"every {name} seed solves T = {T} (median {median})"
    text = f"{missed} of {len(rows)} {name} seeds: {not_within(T, sweep)} at T = {T}"
    if done:
        others = "the other solves" if len(done) == 1 else "the others solve"
        text += f"; {others} it in {', '.join(f'{n:,}' for n in done)}"
    return text


def _reached(sweep: dict, kind: str, steps: int) -> str:
    T = reach(sweep, kind, steps)
    name = CELL_NAMES[kind]
    return (
        f"the {name} solves every T up to {T}"
        if T
        else f"the {name} solves none (not even T = {sweep['T'][0]})"
    )


def story(sweep: dict) -> str:
    """How far each cell reaches within the budget every T shares, and the vanilla RNN's reach
    with the largest budget."""
    b = budgets(sweep)
    shared, most = min(b.values()), max(b.values())
    text = (
        f"**Within {steps_text(shared)}**, with every seed: "
        + "; ".join(_reached(sweep, k, shared) for k in KINDS)
        + "."
    )
    if most > shared:
        short = max(T for T, n in b.items() if n == most)
        text += (
            f" **Given up to {steps_text(most)}** (T ≤ {short}), {_reached(sweep, 'rnn', most)}: "
            "its reach grows slowly with the budget."
        )
    return text
