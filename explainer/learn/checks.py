"""Predict-then-reveal checks bound to the live scene: each builds a ``Question`` whose right
answer is computed from the run on the screen (so it changes with the seed, input and
settings), with a hint for a wrong answer, a two-line explanation naming the mechanism, and a
``Mark``: what the reveal figure draws and which part of it is the answer. No streamlit here.

References: Karpathy, Johnson & Fei-Fei 2015 (gates above 0.9); Pascanu et al. 2013 (the
product of Jacobians); PyTorch's GRU convention (z keeps the old state).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explainer import gradients
from explainer.cells import BLOCKS, n_params
from explainer.figures.alt import fmt
from explainer.figures.theme import CELL_NAMES
from explainer.scene import Scene

SATURATED = 0.9  # a gate above this is wide open (Karpathy et al. 2015)
THRESHOLD = 1e-3  # the gradient question's line
ABOVE, BELOW = "above 10⁻³", "below 10⁻³"
MAX_REPLY = 40  # characters of a typed answer that are read


@dataclass(frozen=True)
class Mark:
    """What a reveal draws: one value per label (bars), or a curve over ``labels`` when
    ``curve``; ``answer`` are the indices that are the answer; ``ref`` a line to compare with."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    answer: tuple[int, ...]
    y_title: str
    log: bool = False
    curve: bool = False
    ref: float | None = None
    ref_name: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    kind: str  # "choice" or "number"
    options: tuple[str, ...]  # a choice's labels (empty for a number)
    right: frozenset[str] | int  # the accepted labels, or the number
    explain: str  # two lines: the answer and the mechanism
    hint: str  # what to look at after a wrong answer
    mark: Mark

    @property
    def answer_text(self) -> str:
        if isinstance(self.right, int):
            return f"{self.right:,}"
        return " or ".join(o for o in self.options if o in self.right)


def grade(q: Question, reply) -> tuple[bool | None, str]:
    """(right?, message). ``None``: the reply could not be read (the message says why and that
    nothing was checked)."""
    if q.kind == "choice":
        if reply not in q.options:
            return None, "Pick one of the answers first; nothing was checked."
        return (True, "Right.") if reply in q.right else (False, q.hint)
    text = str(reply or "").strip()
    if len(text) > MAX_REPLY:
        return None, (f"That answer is {len(text):,} characters long; a parameter count has a "
                      "few digits. Nothing was checked.")  # fmt: skip
    digits = text.replace(",", "").replace("_", "").replace(" ", "").replace("\u202f", "")
    if not digits:
        return None, "Type a whole number first (digits only, like 1234); nothing was checked."
    if not digits.isdigit() or not digits.isascii():
        return None, (f"{text!r} is not a whole number: type digits only, like 1234. "
                      "Nothing was checked.")  # fmt: skip
    return (True, "Right.") if int(digits) == q.right else (False, q.hint)


def _ties(values: np.ndarray, tol: float = 1e-9) -> tuple[int, ...]:
    """Indices whose value equals the maximum (ties all count as right)."""
    v = np.asarray(values, dtype=np.float64)
    top = np.max(v)
    return tuple(int(k) for k in np.flatnonzero(v >= top - tol * max(1.0, abs(top))))


# -- unrolled RNN ---------------------------------------------------------------------------


def unrolled_push(scene: Scene, t: int, j: int) -> Question:
    """Up to step t, at which step did h[j] move most? (|h_s[j] - h_{s-1}[j]|, s = 1..t)"""
    h, labels = scene.trace.h, scene.seq.labels
    moves = np.abs(np.diff(h[: t + 1, j]))  # (t,)
    options = tuple(f"step {s}: {labels[s - 1]}" for s in range(1, t + 1))
    best = _ties(moves)
    s = best[0] + 1
    return Question(
        "unrolled.push",
        f"Up to step t = {t}, which input moved unit j = {j} furthest, |h_s[j] − h_(s−1)[j]|?",
        "choice",
        options,
        frozenset(options[k] for k in best),
        f"Step {s} ({labels[s - 1]}) moved h[{j}] by {moves[s - 1]:.3f}, the most up to t = {t}. "
        f"Each step adds its input through W_ih and the last state through W_hh, then squashes "
        f"with {scene.cfg.activation if scene.cfg.cell == 'rnn' else 'the gates'}: "
        "the same weights at every step, so the jump comes from the input and the state it met.",
        f"Look at unit j = {j}'s row in the heatmap: find the column whose colour differs most "
        "from the column before it (the bars on the right show one step at a time).",
        Mark(
            f"How far each step moved unit {j}",
            options,
            tuple(moves.tolist()),
            best,
            "|Δh_s[j]|",
        ),  # fmt: skip
    )


def _blocks(G: int, names: str) -> str:
    return "One block" if G == 1 else f"{G} blocks ({names})"


def _params_question(check_id: str, kind: str, D: int, H: int) -> Question:
    G, name = len(BLOCKS[kind]), CELL_NAMES[kind]
    parts = {"W_ih": G * H * D, "W_hh": G * H * H, "b_ih": G * H, "b_hh": G * H}
    total = n_params(kind, D, H)
    blocks = ", ".join(BLOCKS[kind])
    return Question(
        check_id,
        f"How many parameters (weights and biases, no readout) does this {name} have, "
        f"with D = {D} inputs and H = {H} hidden units?",
        "number",
        (),
        total,
        f"{_blocks(G, blocks)} × (H·D + H² + 2H) = {G} × ({H * D} + {H * H} + {2 * H}) = "
        f"{total:,}. The same weights serve every step: the count does not depend on T.",
        f"Count W_ih ({G}·H × D), W_hh ({G}·H × H) and the two biases ({G}·H each): {G} "
        f"block(s) of rows, one per {'gate' if G > 1 else 'cell'}. The length of the sequence "
        "does not enter.",
        Mark(
            f"Parameters of this {name}",
            (*parts, "total"),
            (*parts.values(), total),
            (4,),
            "numbers",
        ),  # fmt: skip
    )


def unrolled_params(scene: Scene, **_) -> Question:
    p = scene.params
    return _params_question("unrolled.params", p.kind, p.input_size, p.hidden_size)


# -- LSTM ---------------------------------------------------------------------------------


def _units(H: int) -> tuple[str, ...]:
    return tuple(f"unit {u}" for u in range(H))


def lstm_integrator(scene: Scene, **_) -> Question:
    """Which unit's forget gate is above 0.9 at the most steps?"""
    f = scene.trace.gates["f"]  # (T, H)
    counts = (f > SATURATED).sum(axis=0)
    units, none = _units(scene.trace.H), "none: no forget gate gets above 0.9"
    if counts.max() == 0:
        right, best = frozenset({none}), ()
        first = "No unit's forget gate gets above 0.9 in this run: no integrator here."
    else:
        best = _ties(counts)
        right = frozenset(units[k] for k in best)
        first = (f"Unit {best[0]}'s forget gate is above 0.9 at {counts[best[0]]} of "
                 f"{scene.trace.T} steps, the most of any unit.")  # fmt: skip
    return Question(
        "lstm.integrator",
        "Which unit keeps its forget gate f above 0.9 for the most steps?",
        "choice",
        (*units, none),
        right,
        first + " c_t = f_t ⊙ c_(t−1) + i_t ⊙ g_t: an f near 1 keeps the belt's memory almost "
        "whole, so that unit integrates its input over many steps.",
        "Look at the f heatmap: which row stays yellow (near 1) for the most columns? The "
        "saturation plot counts the same thing on its 'above 0.9' axis.",
        Mark(
            "Steps with the forget gate above 0.9, per unit",
            units,
            tuple(counts.tolist()),
            best,
            "steps",
        ),  # fmt: skip
    )


def lstm_belt(scene: Scene, j: int, **_) -> Question:
    """Is the product of unit j's forget gates over the whole run above or below 1e-3?"""
    path = gradients.forget_gate_products(scene.trace)[:, j]  # (T+1,) dc_T/dc_t
    keep = float(path[0])
    right = ABOVE if keep > THRESHOLD else BELOW
    T = scene.trace.T
    return Question(
        "lstm.belt",
        f"Along the cell state of unit j = {j}, is the product of its forget gates over all "
        f"T = {T} steps, ∂c_T/∂c_0 = f_1 ⋯ f_T, above or below 10⁻³?",
        "choice",
        (ABOVE, BELOW),
        frozenset({right}),
        f"f_1 ⋯ f_T = {fmt(keep)} for unit {j}, {right}. Along the cell path alone each step "
        "multiplies by its f: gates near 0.5 halve what is kept, gates near 1 let it travel.",
        f"Look at unit j = {j}'s curve in 'How long can the belt remember?': read its value at "
        "the left end (t = 0).",
        Mark(
            f"Cell path of unit {j}: f_(t+1) ⋯ f_T",
            tuple(str(s) for s in range(T + 1)),
            tuple(path.tolist()),
            (0,),
            "∂c_T/∂c_t",
            log=True,
            curve=True,
            ref=THRESHOLD,
            ref_name="10⁻³",
        ),  # fmt: skip
    )


# -- GRU ----------------------------------------------------------------------------------


def gru_keep(scene: Scene, t: int, **_) -> Question:
    """At step t, which unit keeps most of its old state (highest z_t)?"""
    z = scene.trace.gates["z"][t - 1]  # (H,)
    units, best = _units(scene.trace.H), _ties(z)
    u = best[0]
    return Question(
        "gru.keep",
        f"At step t = {t}, which unit keeps the most of its old state h_(t−1)?",
        "choice",
        units,
        frozenset(units[k] for k in best),
        f"Unit {u} has z_t = {z[u]:.3f}: its h_t is {z[u]:.0%} of h_(t−1) and {1 - z[u]:.0%} "
        "of the candidate n_t. h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_(t−1): in PyTorch's convention "
        "z is the share kept.",
        "Look at the bars of z_t at step t: the tallest bar keeps most (near 1 keeps, near 0 "
        "replaces).",
        Mark(f"Update gate z at step {t}", units, tuple(z.tolist()), best, "z_t"),
    )


def gru_params(scene: Scene, **_) -> Question:
    p = scene.params
    return _params_question("gru.params", "gru", p.input_size, p.hidden_size)


# -- gradients ----------------------------------------------------------------------------


def _jac_mark(jac: np.ndarray, at: int, ref: float | None, ref_name: str) -> Mark:
    with np.errstate(invalid="ignore"):
        shown = np.where(np.isfinite(jac), np.maximum(jac, 1e-300), np.nan)
    return Mark("‖∂h_T/∂h_t‖ of this run", tuple(str(s) for s in range(len(jac))),
                tuple(shown.tolist()), (at,), "‖∂h_T/∂h_t‖", log=True, curve=True, ref=ref,
                ref_name=ref_name)  # fmt: skip


def gradients_threshold(scene: Scene, jac: np.ndarray, **_) -> Question:
    """Is ||dh_T/dh_1|| above or below 1e-3 in this run?"""
    T, v = len(jac) - 1, float(jac[1]) if len(jac) > 1 else 1.0
    right = BELOW if math.isfinite(v) and v < THRESHOLD else ABOVE
    cfg = scene.cfg
    rate = gradients.step_rate(jac)
    return Question(
        "gradients.threshold",
        f"In this run ({CELL_NAMES[cfg.cell]}, ρ = {cfg.rho:g}, T = {T}), will ‖∂h_T/∂h_1‖ be "
        "above or below 10⁻³?",
        "choice",
        (ABOVE, BELOW),
        frozenset({right}),
        f"‖∂h_T/∂h_1‖ = {fmt(v)}, {right}: a product of {T - 1} Jacobians, about "
        f"{fmt(rate)} per step. Below 1 per step the product shrinks geometrically "
        "(vanishing); above 1 it grows (exploding).",
        "Look at the coloured curve at its left end (t = 1), and count the decades on the log "
        "axis: a fixed factor per step is a straight line.",
        _jac_mark(jac, min(1, T), THRESHOLD, "10⁻³"),
    )


REGIMES = ("vanishing", "stable", "exploding", "overflow")


def gradients_regime(scene: Scene, jac: np.ndarray, **_) -> Question:
    """Vanishing, stable, exploding or overflow, judged on the rate per step."""
    label = gradients.regime(jac)
    rate = gradients.step_rate(jac)
    low, high = gradients.RATE_BAND
    return Question(
        "gradients.regime",
        "Over this run, is the gradient vanishing, stable, exploding, or does it overflow?",
        "choice",
        REGIMES,
        frozenset({label}),
        f"{label.capitalize()}: the rate per step, ‖∂h_T/∂h_0‖^(1/T) = {fmt(rate)} "
        f"(stable between {low:.3f} and {high:.3f}, a factor 100 over 100 steps). One Jacobian "
        "per step: their product's rate decides, not the end-to-end gain.",
        "Look at the slope of the coloured curve on the log scale: falling from right to left "
        "is vanishing, rising is exploding, flat is stable.",
        _jac_mark(jac, 0, 1.0, "1"),
    )


# -- compare ------------------------------------------------------------------------------


def compare_reach(scenes: dict[str, Scene], norms: dict[str, np.ndarray], **_) -> Question:
    """Which cell's ||dh_T/dh_0|| is largest?"""
    kinds = tuple(norms)
    gains = np.array([float(norms[k][0]) for k in kinds])
    finite = np.where(np.isfinite(gains), gains, np.inf)  # an overflow reaches furthest
    best = _ties(finite)
    names = tuple(CELL_NAMES[k] for k in kinds)
    said = ", ".join(f"{n} {fmt(g)}" for n, g in zip(names, gains, strict=True))
    T = len(norms[kinds[0]]) - 1
    return Question(
        "compare.reach",
        f"Which cell's last state still depends most on its first, the largest ‖∂h_T/∂h_0‖ "
        f"at T = {T}?",
        "choice",
        names,
        frozenset(names[k] for k in best),
        f"‖∂h_T/∂h_0‖: {said}. The gated cells add paths around W_hh (the LSTM's "
        "c_t = f_t ⊙ c_(t−1), the GRU's z_t ⊙ h_(t−1)) whose gain the gates set.",
        "Look at the left end (t = 0) of the three curves in the gradient chart: which one is "
        "highest?",
        Mark(
            "‖∂h_T/∂h_0‖ of each cell",
            names,
            tuple(np.where(np.isfinite(gains), np.maximum(gains, 1e-300), np.nan).tolist()),
            best,
            "‖∂h_T/∂h_0‖",
            log=True,
        ),  # fmt: skip
    )


def compare_params(scenes: dict[str, Scene], **_) -> Question:
    p = scenes["lstm"].params
    return _params_question("compare.params", "lstm", p.input_size, p.hidden_size)


CHECKS: dict[str, tuple[tuple[str, Callable[..., Question]], ...]] = {
    "unrolled": (("unrolled.push", unrolled_push), ("unrolled.params", unrolled_params)),
    "lstm": (("lstm.integrator", lstm_integrator), ("lstm.belt", lstm_belt)),
    "gru": (("gru.keep", gru_keep), ("gru.params", gru_params)),
    "gradients": (
        ("gradients.threshold", gradients_threshold),
        ("gradients.regime", gradients_regime),
    ),  # fmt: skip
    "compare": (("compare.reach", compare_reach), ("compare.params", compare_params)),
}
CHECK_IDS = tuple(cid for checks in CHECKS.values() for cid, _ in checks)


def questions(page: str, **data) -> list[Question]:
    """The checks of ``page`` ("unrolled", "lstm", "gru", "gradients", "compare") for the
    scene in ``data`` (scene, t, j; jac on the gradients page; scenes, norms on compare)."""
    return [build(**data) for _, build in CHECKS[page]]
