"""torch imported in the background when the server starts (the first page any student opens
imports ``explainer.ui``), so the first ▶ Train does not wait seconds for it.

Once per process: a lock and a module-level thread guard it. ``UNROLLED_PRELOAD_TORCH=0`` turns
it off (tests that check a page never imports torch by itself).
"""

from __future__ import annotations

import os
import threading
import time

from explainer import train

# the import holds the interpreter lock for seconds: let the first page finish drawing first
DELAY = 3.0
_lock = threading.Lock()
_thread: threading.Thread | None = None


def _warm_up() -> None:
    time.sleep(DELAY)
    train.warm_up()


def start() -> threading.Thread | None:
    """Start the preload thread unless it was started before (or is turned off); returns it."""
    global _thread
    with _lock:
        if _thread is None and os.environ.get("UNROLLED_PRELOAD_TORCH", "1") != "0":
            _thread = threading.Thread(target=_warm_up, name="unrolled-torch-preload", daemon=True)
            _thread.start()
        return _thread
