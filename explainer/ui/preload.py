"""torch imported in the background when the server starts (the first page run imports
``explainer.ui``: under ``make serve`` the supervisor's warm-up visit, under ``make app`` the
first visitor), so the first ▶ Train does not wait seconds for it.

Once per process: a lock and a module-level thread guard it. ``UNROLLED_PRELOAD_TORCH=0`` turns
it off (tests that check a page never imports torch by itself).
"""

from __future__ import annotations

import os
import sys
import threading
import time

from explainer import train

# the import holds the interpreter lock for seconds: let the first page finish drawing first
DELAY = 3.0
_lock = threading.Lock()
_thread: threading.Thread | None = None


def _warm_up() -> None:
    start = time.perf_counter()
    train.warm_up()
    # the server's log says so (`make serve` prints it; tests read it)
    print(f"unrolled: torch preloaded in {time.perf_counter() - start:.1f} s", file=sys.stderr,
          flush=True)  # fmt: skip


def start() -> threading.Thread | None:
    """Start the preload thread unless it was started before (or is turned off); returns it."""
    global _thread
    with _lock:
        if _thread is None and os.environ.get("UNROLLED_PRELOAD_TORCH", "1") != "0":
            # a timer thread: it waits DELAY s on an event, then imports (no sleep in a page run)
            _thread = threading.Timer(DELAY, _warm_up)
            _thread.name, _thread.daemon = "unrolled-torch-preload", True
            _thread.start()
        return _thread
