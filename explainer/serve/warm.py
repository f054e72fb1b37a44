"""One warm-up visit to a replica that just came up: a page opened over the websocket (the
load test's own student), so the replica's first page run starts its torch preload
(``explainer.ui.preload``) before the first student arrives."""

from __future__ import annotations

import time

from explainer.serve.students import run_class

TIMEOUT_S = 60.0


def warm_up(url: str) -> str:
    """Open the main page at ``url`` once; a line saying how it went (for the supervisor's log)."""
    start = time.perf_counter()
    tally = run_class(url, 1, 0, ramp_s=0, run_timeout_s=TIMEOUT_S)
    if tally.errors or not tally.first_loads:
        return f"warm-up visit failed: {'; '.join(tally.messages) or 'no finished run'}"
    return f"warmed up: first page ran in {time.perf_counter() - start:.1f} s, torch preloading"
