"""Simulated students over streamlit's own websocket protocol (no browser): a classroom load test.

Each student loads the app's first page over HTTP (as a browser does, which also gets the
proxy's replica cookie), opens ``/_stcore/stream``, asks for a run of a page (``BackMsg``
``rerun_script``) and reads ``ForwardMsg`` deltas until ``script_finished``. Then, every 1-3 s,
it moves one of the page's sliders a few steps (the real widget ids, read from the deltas) or
switches to another page, and times each change to its finished run. Errors are exception
elements in the deltas, runs that fail (compile errors, no finish within ``RUN_TIMEOUT_S``) and
dropped connections; a dropped student reconnects (a new session), as the front end does.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput as NumberInputProto
from streamlit.proto.Slider_pb2 import Slider as SliderProto

RUN_TIMEOUT_S = 60.0
THINK_S = (1.0, 3.0)
SWITCH_PAGE = 0.25  # the share of changes that switch page; the rest move a slider
MAX_RECONNECTS = 3
MAX_MESSAGES = 20  # error texts kept for the report
FINISHED = ForwardMsg.ScriptFinishedStatus


@dataclass
class Slider:
    """A numeric slider as the page drew it: id, bounds, step and the value(s) it holds."""

    id: str
    lo: float
    hi: float
    step: float
    value: list[float]
    integer: bool
    array: bool = True  # sliders send a list of values, number inputs one value

    def moved(self, rng: random.Random) -> list[float]:
        """A few steps up or down from the current value, kept in bounds."""
        k = rng.choice([-3, -2, -1, 1, 2, 3])
        new = [min(self.hi, max(self.lo, v + k * self.step)) for v in self.value]
        if new == self.value:
            new = [min(self.hi, max(self.lo, v - k * self.step)) for v in self.value]
        return [float(round(v)) if self.integer else v for v in new]


@dataclass
class Tally:
    """Everything the students saw: change-to-finish times, first loads, errors."""

    latencies: list[float] = field(default_factory=list)  # s, widget change or page switch
    first_loads: list[float] = field(default_factory=list)  # s, connect to first run finished
    exceptions: int = 0
    failed_runs: int = 0
    dropped: int = 0
    messages: list[str] = field(default_factory=list)
    replicas: dict[str, int] = field(default_factory=dict)  # proxy header -> students
    changes: dict[str, int] = field(default_factory=dict)  # widget key or "page" -> count

    def count(self, what: str) -> None:
        self.changes[what] = self.changes.get(what, 0) + 1

    @property
    def errors(self) -> int:
        return self.exceptions + self.failed_runs + self.dropped

    def note(self, text: str) -> None:
        if len(self.messages) < MAX_MESSAGES:
            self.messages.append(text)

    def summary(self) -> dict[str, float]:
        """p50/p95/max of the change-to-finish times (ms), run and error counts."""
        lat = sorted(self.latencies) or [float("nan")]
        q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else lat * 99
        first = sorted(self.first_loads) or [float("nan")]
        return {
            "runs": len(self.latencies),
            "p50_ms": 1e3 * q[49],
            "p95_ms": 1e3 * q[94],
            "max_ms": 1e3 * lat[-1],
            "first_max_ms": 1e3 * first[-1],
            "exceptions": self.exceptions,
            "failed_runs": self.failed_runs,
            "dropped": self.dropped,
        }


def exceptions_in(msg: ForwardMsg) -> list[str]:
    """Texts of the exception elements a message adds to the page."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return []
    element = msg.delta.new_element
    if element.WhichOneof("type") != "exception":
        return []
    return [f"{element.exception.type}: {element.exception.message}"[:200]]


def slider_in(msg: ForwardMsg) -> Slider | None:
    """A numeric slider or number input (seed, sizes) added by this message, or None."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    element = msg.delta.new_element
    if element.WhichOneof("type") == "number_input":
        return number_in(element.number_input)
    if element.WhichOneof("type") != "slider":
        return None
    s = element.slider
    numeric = s.data_type in (SliderProto.INT, SliderProto.FLOAT)
    if s.type == SliderProto.SELECT_SLIDER or not numeric or s.disabled or s.max <= s.min:
        return None
    value = list(s.value) if s.set_value and s.value else list(s.default)
    return Slider(s.id, s.min, s.max, s.step or 1.0, value, s.data_type == SliderProto.INT)


def number_in(n: NumberInputProto) -> Slider | None:
    if n.disabled:
        return None
    value = n.value if n.set_value else n.default
    lo = n.min if n.has_min else value - 100
    hi = n.max if n.has_max else value + 100
    step = n.step or (1.0 if n.data_type == NumberInputProto.INT else 0.01)
    integer = n.data_type == NumberInputProto.INT
    return Slider(n.id, lo, hi, step, [value], integer, array=False)


def cookies_and_replica(base_url: str) -> tuple[str, str]:
    """Load the first page as a browser would: its cookies (the proxy's replica) and replica."""
    with urllib.request.urlopen(f"{base_url}/", timeout=30) as response:
        pairs = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
        return "; ".join(pairs), response.headers.get("X-Unrolled-Replica", "direct")


class Student:
    """One browser tab: a websocket session that reruns pages and records what it saw."""

    def __init__(
        self, base_url: str, tally: Tally, rng: random.Random, start_page: str = "",
        run_timeout_s: float = RUN_TIMEOUT_S,
    ):  # fmt: skip
        self.base_url = base_url
        self.run_timeout_s = run_timeout_s
        self.tally = tally
        self.rng = rng
        self.start_page = start_page  # a page's url path ("" is the main page)
        self.ws = None
        self.cookie: str | None = None  # kept across reconnects, as a browser keeps it
        self.replica = ""  # the replica the proxy chose (its header), "direct" without one
        self.pages: list[tuple[str, str]] = []  # (script hash, url path)
        self.page_hash = ""
        self.sliders: dict[str, Slider] = {}
        self.avoid: set[str] = set()  # url paths of pages this student does not switch to

    async def connect(self) -> None:
        if self.cookie is None:
            self.cookie, _ = await asyncio.to_thread(cookies_and_replica, self.base_url)
        url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        headers = {"Origin": self.base_url, **({"Cookie": self.cookie} if self.cookie else {})}
        self.ws = await websockets.connect(
            url, subprotocols=["streamlit"], additional_headers=headers, max_size=None,
            open_timeout=RUN_TIMEOUT_S,
        )  # fmt: skip
        # the replica that answered: the last one the proxy tried (it skips one that is down)
        tried = self.ws.response.headers.get("X-Unrolled-Replica", "direct")
        self.replica = tried.split(",")[-1].strip()
        self.tally.replicas[self.replica] = self.tally.replicas.get(self.replica, 0) + 1

    async def rerun(
        self, page_hash: str, page_name: str = "", triggers: tuple[str, ...] = ()
    ) -> float | None:
        """Ask for a run with the current widget values (and ``triggers``, ids of buttons
        clicked); seconds until it finished, or None."""
        back = BackMsg()
        state = back.rerun_script
        state.page_script_hash = page_hash
        state.page_name = page_name
        for slider in self.sliders.values():
            widget = state.widget_states.widgets.add()
            widget.id = slider.id
            if slider.array:
                widget.double_array_value.data.extend(slider.value)
            else:
                widget.double_value = slider.value[0]
        for button in triggers:
            widget = state.widget_states.widgets.add()
            widget.id = button
            widget.trigger_value = True
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        try:
            ok = await asyncio.wait_for(self.read_run(), self.run_timeout_s)
        except TimeoutError:
            self.tally.failed_runs += 1
            self.tally.note(f"{self.page_name()}: no finished run within {self.run_timeout_s:g} s")
            return None
        return time.perf_counter() - start if ok else None

    async def read_run(self) -> bool:
        """Read messages up to the end of the run: record pages, sliders and errors."""
        sliders: dict[str, Slider] = {}
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                status = msg.script_finished
                if status == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    continue  # a fragment on its own timer, not the run asked for
                self.sliders = self.kept(sliders)
                if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    self.tally.failed_runs += 1
                return status == FINISHED.FINISHED_SUCCESSFULLY
            slider = self.seen(msg, kind)
            if slider is not None:
                sliders[slider.id] = slider

    def kept(self, drawn: dict[str, Slider]) -> dict[str, Slider]:
        """The sliders a run drew, holding the values this student gave them (as a browser
        does: the deltas carry a widget's default, not its current value)."""
        for key, slider in drawn.items():
            if key in self.sliders:
                slider.value = [min(slider.hi, max(slider.lo, v)) for v in self.sliders[key].value]
        return drawn

    def seen(self, msg: ForwardMsg, kind: str) -> Slider | None:
        """Record what one message says; the slider it draws, if any."""
        if kind == "navigation":  # the app's pages, and the one this run shows
            self.pages = [(p.page_script_hash, p.url_pathname) for p in msg.navigation.app_pages]
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_not_found":
            self.tally.failed_runs += 1
            self.tally.note(f"page not found: {msg.page_not_found.page_name}")
        elif kind == "session_event":
            error = msg.session_event.script_compilation_exception
            if msg.session_event.HasField("script_compilation_exception"):
                self.tally.note(f"compile error: {error.type}: {error.message}"[:200])
        elif kind == "delta":
            for text in exceptions_in(msg):
                self.tally.exceptions += 1
                self.tally.note(f"exception on {self.page_name()}: {text}")
            return slider_in(msg)
        return None

    def page_name(self) -> str:
        return dict(self.pages).get(self.page_hash, "?") or "main page"

    async def change(self) -> float | None:
        """Move a slider or switch page, as a student clicking around does."""
        others = [p for p in self.pages if p[0] != self.page_hash and p[1] not in self.avoid]
        if others and (not self.sliders or self.rng.random() < SWITCH_PAGE):
            self.page_hash, _ = self.rng.choice(others)
            self.sliders = {}
            self.tally.count("page")
            return await self.rerun(self.page_hash)
        if self.sliders:
            slider = self.rng.choice(list(self.sliders.values()))
            slider.value = slider.moved(self.rng)
            self.tally.count(slider.id.rsplit("-", 1)[-1])
        return await self.rerun(self.page_hash)

    async def attend(self, deadline: float) -> None:
        """Open the app, then change something every 1-3 s until ``deadline`` (monotonic)."""
        for _ in range(1 + MAX_RECONNECTS):
            try:
                start = time.perf_counter()
                await self.connect()
                first = await self.rerun("", self.start_page)
                if first is not None:
                    self.tally.first_loads.append(time.perf_counter() - start)
                while time.monotonic() < deadline:
                    await asyncio.sleep(self.rng.uniform(*THINK_S))
                    if time.monotonic() >= deadline:
                        break
                    elapsed = await self.change()
                    if elapsed is not None:
                        self.tally.latencies.append(elapsed)
                return
            except (websockets.ConnectionClosed, OSError) as err:
                self.tally.dropped += 1
                self.tally.note(f"dropped on {self.page_name()}: {err!r}"[:200])
                await asyncio.sleep(1.0)
            finally:
                if self.ws is not None:
                    await self.ws.close()
                    self.ws = None


async def classroom(
    base_url: str, students: int, seconds: float, ramp_s: float = 5.0, seed: int = 0,
    start_pages: list[str] | None = None, run_timeout_s: float = RUN_TIMEOUT_S,
) -> Tally:  # fmt: skip
    """``students`` students arriving over ``ramp_s`` and clicking around for ``seconds``."""
    tally = Tally()
    deadline = time.monotonic() + ramp_s + seconds
    pages = start_pages or [""]

    async def one(k: int) -> None:
        await asyncio.sleep(ramp_s * k / max(students, 1))
        rng = random.Random(seed * 100_003 + k)
        student = Student(base_url, tally, rng, pages[k % len(pages)], run_timeout_s)
        await student.attend(deadline)

    await asyncio.gather(*(one(k) for k in range(students)))
    return tally


def run_sync(coro):
    """``asyncio.run(coro)``, also from a thread whose event loop is already running (Playwright's
    sync API keeps one in the test process): then on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def run_class(base_url: str, students: int, seconds: float, **kwargs) -> Tally:
    """The load test from synchronous code (a benchmark or a test)."""
    return run_sync(classroom(base_url, students, seconds, **kwargs))


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes, MB (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024
