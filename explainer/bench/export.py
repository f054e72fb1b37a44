"""Export time and zip size: ``python -m explainer.bench export``.

One scene (all formats: PNG and SVG light and dark at 1920x1080, offline HTML, CSV, PyTorch
snippet) and one whole shipped lecture (``rnns-in-20-minutes``, one Chromium for all its
images), each written as a zip. Times are wall clock on this machine,
Chromium's start-up included; the split says where the time goes.
"""

from __future__ import annotations

import os
import resource
import time

from explainer.export import bundle
from explainer.export.lectures import lecture
from explainer.export.scenes import from_scenario
from explainer.scenarios import SCENARIOS

LECTURE = "rnns-in-20-minutes"


def cpu() -> float:
    """CPU seconds of this process and its finished children (Chromium, once closed)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def scene_row(name: str, s) -> str:
    used = cpu()
    (files, jobs), prep = timed(lambda: bundle.prepare(s))
    pictures, draw = timed(lambda: bundle.rendered(jobs))
    data, pack = timed(lambda: bundle.zip_bytes({**files, **pictures}))
    total = prep + draw + pack
    n = len(files) + len(pictures)
    spent, mb = cpu() - used, len(data) / 1e6
    return f"| {name} | {n} | {prep:.1f} | {draw:.1f} | {total:.1f} | {spent:.1f} | {mb:.2f} |"


def run() -> None:
    print(f"load average {' / '.join(f'{v:.1f}' for v in os.getloadavg())} at the start\n")
    print("| export | files | figures, HTML, CSV, snippet s | PNG+SVG (kaleido) s | total s "
          "| CPU s | zip MB |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    first = from_scenario(SCENARIOS[1])
    print(scene_row(f"one scene ({first.title})", first), flush=True)
    whole = lecture(LECTURE)
    used = cpu()
    files, made = timed(lambda: bundle.lecture_files(whole))
    data, pack = timed(lambda: bundle.zip_bytes(files))
    print(
        f"| lecture {LECTURE!r} ({len(whole.scenes)} scenes) | {len(files)} | - | - "
        f"| {made + pack:.1f} | {cpu() - used:.1f} | {len(data) / 1e6:.2f} |"
    )
