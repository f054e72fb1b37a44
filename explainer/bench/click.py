"""The Train page's clicks as a student meets them, each in a fresh interpreter (a new server
process) driving the page with streamlit's AppTest: open the page, read for ``READ`` seconds
(torch loads in the background meanwhile), then

- the first click: "+1 epoch" (100 steps at the defaults), seconds from the click to the first
  training step (torch loaded, networks built) and to its results on the page, and a second
  click in the same process (seed 1, torch warm) for comparison;
- one ▶ Train at the defaults: seconds from the click to the lesson's 1000-step result.

``python -m explainer.bench click``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = Path(__file__).resolve().parents[2] / "pages" / "6_Train_and_compare.py"
READ = 10.0


FIRST_STEP: list[float] = []


def _timed_step(step):
    def timed(*args, **kwargs):
        if not FIRST_STEP:
            FIRST_STEP.append(time.perf_counter())
        return step(*args, **kwargs)

    return timed


def _click(at: AppTest, key: str) -> tuple[float, float]:
    """Seconds from a click to the first training step and to its results on the page (waiting
    for the session's job, if the page trains in the background)."""
    FIRST_STEP.clear()
    t0 = time.perf_counter()
    at.button(key=key).click().run()
    job = at.session_state["tr_job"] if "tr_job" in at.session_state else None
    if job is not None:
        job.wait(3600)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return FIRST_STEP[0] - t0, time.perf_counter() - t0


def child(which: str) -> None:
    from explainer import train

    train.train_step = _timed_step(train.train_step)
    at = AppTest.from_file(str(PAGE), default_timeout=3600).run()
    time.sleep(READ)
    if which == "first":
        first = _click(at, "tr_epoch")
        at.number_input(key="tr_seed").set_value(1).run()
        out = {"first": first, "second": _click(at, "tr_epoch")}
    else:
        out = {"lesson": _click(at, "tr_go")[1], "cards": [m.value for m in at.metric]}
    print(json.dumps(out))


def _measure(which: str) -> dict:
    code = f"from explainer.bench.click import child; child({which!r})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run() -> None:
    m = _measure("first")
    (step1, done1), (step2, done2) = m["first"], m["second"]
    print(f"+1 epoch at the defaults, {READ:.0f} s after opening the page: the first click "
          f"{step1:.2f} s to its first step, {done1:.1f} s to its results; a second click "
          f"{step2:.2f} s and {done2:.1f} s")  # fmt: skip
    m = _measure("lesson")
    print(f"one ▶ Train at the defaults: {m['lesson']:.0f} s to the 1000-step result; "
          f"cards {m['cards']}")  # fmt: skip
