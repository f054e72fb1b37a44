"""PNG and SVG through plotly's kaleido, which drives a local Chromium (Debian's, found through
``BROWSER_PATH``). One renderer serves a whole batch: Chromium's start-up is most of the cost.

References: kaleido 1.x README (``Kaleido`` context, ``calc_fig``); FIELD_NOTES.
"""

from __future__ import annotations

import asyncio
import os
import shutil

CHROMIUM = "/usr/bin/chromium"


def browser_path() -> str:
    """The Chromium kaleido will drive: ``BROWSER_PATH``, else Debian's, else one on PATH."""
    for candidate in (os.environ.get("BROWSER_PATH"), CHROMIUM, shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    raise RuntimeError(
        "image export needs Chromium: install Debian's (apt-get install chromium, or `make "
        "chromium`) or point BROWSER_PATH at a Chrome/Chromium binary"
    )


def render(jobs: list[tuple[dict, str, int, int]]) -> list[bytes]:
    """Render ``(spec, format, width, height)`` jobs (format png or svg) in one Chromium."""
    os.environ.setdefault("BROWSER_PATH", browser_path())
    import kaleido  # late: it pulls in its browser driver

    async def run() -> list[bytes]:
        out = []
        async with kaleido.Kaleido(n=1) as k:
            for spec, fmt, width, height in jobs:
                opts = dict(format=fmt, width=width, height=height, scale=1)
                out.append(await k.calc_fig(spec, opts=opts))
        return out

    return _run(run())


def _run(coro):
    """Run a coroutine to the end, also from a thread that already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
