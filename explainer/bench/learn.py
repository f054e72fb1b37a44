"""Learn mode's checks: ``python -m explainer.bench learn``.

For each concept page, opened at its stop of the guided path with every check revealed (the
heaviest state: feedback, explanation and the marked figure): the server time of a whole-page
rerun (AppTest, median of 5 after a warm-up, each rerun a click on a check's button) next to
the time of each check's fragment body, which is what a reveal or a check reruns in the app
(``st.fragment``). AppTest cannot rerun a fragment alone, so the fragment's time is read from
the body's own clock (``explainer.ui.learn.TIMINGS``) during those same runs; a real fragment
rerun adds Streamlit's message round trip, not a page run. Target: under 50 ms at defaults.
"""

from __future__ import annotations

import statistics
import sys
import time

from explainer.bench import pages as page_runs
from explainer.learn import path

REPEATS = 5
TARGET_MS = 50


def measure(k: int) -> tuple[float, dict[str, float]]:
    """(page rerun ms, {check id: fragment ms}) at stop k, every check revealed."""
    stop = path.PATH[k - 1]
    page = page_runs.REPO / stop.page
    at = page_runs.started(page, {**stop.query(), "learn": str(k)})
    reveals = [b for b in at.button if str(b.key or "").endswith("_reveal")]
    for b in reveals:
        b.click()
    page_runs.checked(at.run(), page)
    timings = sys.modules["explainer.ui.learn"].TIMINGS
    pages, fragments = [], {}
    for i in range(REPEATS + 1):
        check = [b for b in at.button if str(b.key or "").endswith("_check")][i % len(reveals)]
        check.click()
        start = time.perf_counter()
        page_runs.checked(at.run(), page)
        ms = 1000 * (time.perf_counter() - start)
        if i:  # the first is a warm-up
            pages.append(ms)
            for cid, s in timings.items():
                fragments.setdefault(cid, []).append(1000 * s)
    return statistics.median(pages), {c: statistics.median(v) for c, v in fragments.items()}


def run() -> None:
    # the app preloads torch on a thread at first import; wait for it, so it does not hold
    # the interpreter lock while the first pages are timed
    measure(1)
    preload = sys.modules["explainer.ui.preload"]
    if preload._thread is not None:
        preload._thread.join()
    print("| page (stop) | page rerun (ms) | check: fragment (ms) | under 50 ms |")
    print("|---|---|---|---|")
    for page, name in path.PAGE_CHECKS.items():
        k = path.stops_on(page)[0]
        whole, fragments = measure(k)
        mine = {c: ms for c, ms in fragments.items() if c.startswith(name + ".")}
        cells = ", ".join(f"{c} {ms:.1f}" for c, ms in mine.items())
        ok = "yes" if all(ms < TARGET_MS for ms in mine.values()) else "NO"
        print(f"| {name} ({k}) | {whole:.0f} | {cells} | {ok} |", flush=True)
    whole, fragments = measure_study()
    cells = ", ".join(f"{c} {ms:.1f}" for c, ms in fragments.items())
    ok = "yes" if all(ms < TARGET_MS for ms in fragments.values()) else "NO"
    print(f"| flashcards and quiz (off the path) | {whole:.0f} | {cells} | {ok} |", flush=True)


STUDY = "pages/10_Flashcards_and_quiz.py"


def measure_study() -> tuple[float, dict[str, float]]:
    """(page rerun ms, {"flashcards" | "quiz": fragment ms}) on the Flashcards and quiz page,
    each rerun a click on a card ("Turn the card", then "Again") or on the quiz's Check (no
    answer picked: the note that nothing was checked). Fragment times as for the checks."""
    page = page_runs.REPO / STUDY
    at = page_runs.started(page, {"seed": "0"})
    mods = sys.modules["explainer.ui.cards"].TIMINGS, sys.modules["explainer.ui.quiz"].TIMINGS
    pages, fragments = [], {}
    for i in range(2 * REPEATS + 2):
        key = ("cards_flip", "cards_again")[i % 2] if i % 4 < 2 else "quiz_check"
        at.button(key=key).click()
        start = time.perf_counter()
        page_runs.checked(at.run(), page)
        ms = 1000 * (time.perf_counter() - start)
        if i >= 2:  # the first two are a warm-up
            pages.append(ms)
            for timings in mods:
                for name, s in timings.items():
                    fragments.setdefault(name, []).append(1000 * s)
    return statistics.median(pages), {c: statistics.median(v) for c, v in fragments.items()}
