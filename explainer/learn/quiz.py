"""The quiz: questions read from one data file (assets/learn/quiz.toml) and checked at load, a
seeded draw of 10-15 of them, grading of typed or picked answers, and the score.

A file that breaks a rule raises ``QuizFileError`` naming the question and the field; nothing
else escapes ``load``. Live questions (``learn.quiz_live``) get their settings and answers from
the quiz's seed, so a different seed asks about different models.
"""

from __future__ import annotations

import math
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explainer.config import LinkField, link_notice, read_link
from explainer.learn.quiz_live import LIVE, LIVE_VALUES

FILE = Path(__file__).resolve().parents[2] / "assets" / "learn" / "quiz.toml"
PAGES = Path(__file__).resolve().parents[2] / "pages"
KINDS = ("choice", "live")
TEXTS = ("id", "prompt", "why", "hint")
MAX_TEXT = 600
DRAW = 12  # questions per quiz
SEED = LinkField(0, 0, 2**31 - 1, whole=True)


class QuizFileError(ValueError):
    """The quiz file breaks a rule; the message names the question and field."""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    why: str
    hint: str
    page: str
    params: dict[str, str]
    options: tuple[str, ...] = ()
    answer: int = 0
    live: str | None = None
    tolerance: float = 0.0


@dataclass(frozen=True)
class Drawn:
    """A question as this quiz asks it: prompt filled in, options in this draw's order."""

    id: str
    prompt: str
    why: str
    hint: str
    page: str
    params: dict[str, str]
    options: tuple[str, ...]  # empty: a number is typed
    answer: float  # a number, or the index of the right option
    tolerance: float = 0.0
    detail: str = ""  # the live computation's numbers, shown at the reveal

    @property
    def shown_answer(self) -> str:
        if self.options:
            return self.options[int(self.answer)]
        return f"{self.answer:,.0f}" if float(self.answer).is_integer() else f"{self.answer:g}"


@dataclass(frozen=True)
class Feedback:
    verdict: str  # right, wrong or unreadable (the answer was not a number / not picked)
    message: str


def _where(k: int, raw: object) -> str:
    qid = raw.get("id") if isinstance(raw, dict) else None
    return f"question {k + 1}" + (f" ({qid!r})" if isinstance(qid, str) and qid else "")


def _text(q: dict, key: str, where: str) -> str:
    v = q.get(key)
    if not isinstance(v, str) or not v.strip():
        raise QuizFileError(f"{where}: field '{key}' must be a non-empty text")
    if len(v) > MAX_TEXT:
        raise QuizFileError(f"{where}: field '{key}' is longer than {MAX_TEXT} characters")
    return v


def _scene(q: dict, where: str) -> tuple[str, dict[str, str]]:
    scene = q.get("scene")
    if not isinstance(scene, dict):
        raise QuizFileError(f"{where}: field 'scene' must be a table with a page")
    page, params = scene.get("page"), scene.get("params", {})
    if (
        not isinstance(page, str)
        or not page.startswith("pages/")
        or not (PAGES / page[6:]).is_file()
    ):
        raise QuizFileError(f"{where}: field 'scene.page' must name a file in pages/, not {page!r}")
    if not isinstance(params, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in params.items()
    ):
        raise QuizFileError(f"{where}: field 'scene.params' must map names to texts")
    return page, dict(params)


def _fields(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as e:
        raise ValueError(f"has an unmatched brace ({e})") from None


def question(q: object, k: int) -> Question:
    """One question of the file, checked; raises QuizFileError naming it and the field."""
    where = _where(k, q)
    if not isinstance(q, dict):
        raise QuizFileError(f"{where}: must be a table of fields")
    texts = {key: _text(q, key, where) for key in TEXTS}
    kind = q.get("kind")
    if kind not in KINDS:
        raise QuizFileError(f"{where}: field 'kind' must be one of {', '.join(KINDS)}")
    page, params = _scene(q, where)
    if kind == "choice":
        options = q.get("options")
        if (
            not isinstance(options, list)
            or not 2 <= len(options) <= 6
            or not all(isinstance(o, str) and o.strip() for o in options)
        ):
            raise QuizFileError(f"{where}: field 'options' must be a list of 2 to 6 texts")
        answer = q.get("answer")
        if (
            isinstance(answer, bool)
            or not isinstance(answer, int)
            or not 0 <= answer < len(options)
        ):
            raise QuizFileError(f"{where}: field 'answer' must be an option's index, 0 to "
                                f"{len(options) - 1}")  # fmt: skip
        fill = set()
        extra = {"options": tuple(options), "answer": answer}
    else:
        live = q.get("live")
        if not isinstance(live, str) or live not in LIVE:
            raise QuizFileError(f"{where}: field 'live' must be one of {', '.join(LIVE)}")
        tol = q.get("tolerance", 0)
        if isinstance(tol, bool) or not isinstance(tol, int | float) or not 0 <= tol < math.inf:
            raise QuizFileError(f"{where}: field 'tolerance' must be a number of 0 or more")
        fill = set(LIVE_VALUES[live])
        extra = {"live": live, "tolerance": float(tol)}
    try:
        unknown = _fields(texts["prompt"]) - fill
    except ValueError as e:
        raise QuizFileError(f"{where}: field 'prompt' {e}") from None
    if unknown:
        raise QuizFileError(f"{where}: field 'prompt' uses unknown values {sorted(unknown)}")
    return Question(texts["id"], kind, texts["prompt"], texts["why"], texts["hint"], page,
                    params, **extra)  # fmt: skip


def load(text: str) -> tuple[Question, ...]:
    """Every question of a quiz file's text; raises QuizFileError (and nothing else)."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, TypeError, ValueError) as e:
        raise QuizFileError(f"the quiz file is not valid TOML: {e}") from None
    items = data.get("question")
    if not isinstance(items, list) or not items:
        raise QuizFileError("the quiz file has no [[question]] tables")
    out = tuple(question(q, k) for k, q in enumerate(items))
    ids = [q.id for q in out]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise QuizFileError(f"question ids must be unique; used twice: {', '.join(twice)}")
    return out


def bank() -> tuple[Question, ...]:
    """The app's own questions."""
    return load(FILE.read_text(encoding="utf-8"))


def ask(q: Question, rng: np.random.Generator) -> Drawn:
    """The question as this draw asks it (live values computed, options shuffled)."""
    if q.kind == "live":
        live = LIVE[q.live](rng)
        return Drawn(q.id, q.prompt.format(**live.values), q.why, q.hint, live.page,
                     {**q.params, **live.params}, live.options, live.answer, q.tolerance,
                     live.detail)  # fmt: skip
    order = rng.permutation(len(q.options))
    options = tuple(q.options[k] for k in order)
    return Drawn(q.id, q.prompt, q.why, q.hint, q.page, q.params, options,
                 int(np.flatnonzero(order == q.answer)[0]))  # fmt: skip


def draw(questions: tuple[Question, ...], seed: int, n: int = DRAW) -> tuple[Drawn, ...]:
    """``n`` questions for quiz ``seed``: every live question, the rest drawn from the concept
    questions, in a seeded order."""
    rng = np.random.default_rng(seed)
    live = [q for q in questions if q.kind == "live"]
    concept = [q for q in questions if q.kind != "live"]
    k = max(0, min(n - len(live), len(concept)))
    chosen = live + [concept[i] for i in sorted(rng.choice(len(concept), k, replace=False))]
    return tuple(ask(chosen[i], rng) for i in rng.permutation(len(chosen)))


def read_seed(raw: str | None) -> tuple[int, str | None]:
    """The quiz seed a link asks for, and a notice if the page uses another one."""
    if raw is None:
        return SEED.default, None
    value, problem = read_link(str(raw), SEED)
    return value, link_notice("seed", str(raw), problem, value) if problem else None


def number(raw: str) -> float | None:
    """A typed number: spaces, commas and underscores between digits are ignored."""
    text = raw.strip().replace(",", "").replace("_", "").replace(" ", "").replace("−", "-")
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def grade(q: Drawn, raw: object) -> Feedback:
    """Right, wrong (with the hint) or unreadable (with what to type) for one answer."""
    if q.options:
        if not isinstance(raw, str) or raw not in q.options:
            return Feedback("unreadable", "Pick one of the options first.")
        right = raw == q.options[int(q.answer)]
    else:
        v = number(raw) if isinstance(raw, str) else None
        if v is None:
            shown = raw if isinstance(raw, str) and len(raw) <= 30 else "that"
            return Feedback("unreadable", f"{shown!r} is not a number: type digits only, "
                                          "such as 1234 or -3. Nothing was marked.")  # fmt: skip
        right = abs(v - q.answer) <= q.tolerance
    if right:
        return Feedback("right", f"Right: {q.shown_answer}. {q.why}")
    return Feedback("wrong", f"Not quite: the answer is {q.shown_answer}. {q.hint}")


def score(drawn: tuple[Drawn, ...], verdicts: dict[str, str]) -> tuple[int, list[Drawn]]:
    """How many were right, and the questions missed (wrong or never answered), in order."""
    right = sum(verdicts.get(q.id) == "right" for q in drawn)
    return right, [q for q in drawn if verdicts.get(q.id) != "right"]
