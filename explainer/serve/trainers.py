"""Simulated students who train (``explainer.serve.students`` does the protocol): a class where
some students press ▶ Train while the others click around the explainer pages.

A trainer opens the Train page, sets its own seed (so runs differ, as students' do), presses
▶ Train (the real button id, read from the deltas; a click is a trigger value in the widget
states) and reads what the run that answers the click says: a progress bar "Training: step ..."
(trained), "Waiting for a training slot ..." (queued), the queue-full warning (refused), or
"Your run: ..." (an identical run already trained, copied). Anything else is an error. Then it
reruns the page every few seconds, as the page's progress fragment does, until class ends.
The other students' change-to-finish times are kept apart from the trainers' in their own tally.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from explainer.serve.students import RUN_TIMEOUT_S, Student, Tally, run_sync

TRAIN_PAGE = "Train_and_compare"
TRAIN_KEY, SEED_KEY = "tr_go", "tr_seed"
CHECK_S = (2.0, 4.0)  # between a trainer's reruns of the page after the click
OUTCOMES = ("trained", "queued", "refused", "errors")


@dataclass
class Clicks:
    """What each ▶ Train click got, and how many runs were seen to finish before class ended."""

    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    finished: int = 0
    messages: list[str] = field(default_factory=list)

    def line(self) -> str:
        return " / ".join(str(self.outcomes[k]) for k in OUTCOMES)


def texts_in(msg: ForwardMsg) -> list[str]:
    """The words a message adds to the page: progress bars' texts and alerts' bodies."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return []
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "progress":
        return [element.progress.text]
    if kind == "alert":
        return [element.alert.body]
    return []


def outcome(texts: list[str]) -> str | None:
    """What the page says about this student's run: trained, queued, refused, or None."""
    for text in texts:
        if text.startswith("Training: step") or text.startswith("Your run"):
            return "trained"
        if text.startswith("Waiting for a training slot"):
            return "queued"
        if "training queue is full" in text:
            return "refused"
    return None


def finished(texts: list[str]) -> bool:
    """The page shows this student's run's results: no progress bar, a "Your run" line."""
    progress = ("Training: step", "Waiting for a training slot")
    if any(t.startswith(progress) for t in texts):
        return False
    return any(t.startswith(("Your run", "Paused at step")) for t in texts)


class Trainer(Student):
    """A student on the Train page who presses ▶ Train once, then watches the page."""

    def __init__(self, base_url: str, tally: Tally, rng: random.Random, clicks: Clicks,
                 seed: int, run_timeout_s: float = RUN_TIMEOUT_S):  # fmt: skip
        super().__init__(base_url, tally, rng, TRAIN_PAGE, run_timeout_s)
        self.clicks, self.seed = clicks, seed
        self.buttons: dict[str, str] = {}  # widget key -> id, as the last run drew them
        self.texts: list[str] = []  # progress and alert texts of the last run
        self.clicked = False
        self.done = False  # a finished run was seen

    async def read_run(self) -> bool:
        self.buttons, self.texts = {}, []
        return await super().read_run()

    def seen(self, msg: ForwardMsg, kind: str):
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "button":
                self.buttons[element.button.id.rsplit("-", 1)[-1]] = element.button.id
            self.texts += texts_in(msg)
        return super().seen(msg, kind)

    async def change(self) -> float | None:
        if self.clicked:
            await asyncio.sleep(self.rng.uniform(*CHECK_S) - 1.0)
            elapsed = await self.rerun(self.page_hash)
            if not self.done and finished(self.texts):
                self.done = True
                self.clicks.finished += 1
            return elapsed
        return await self.click()

    async def click(self) -> float | None:
        button = self.buttons.get(TRAIN_KEY)
        if button is None:
            return self.failed(f"no ▶ Train button on {self.page_name()}")
        seed = next((s for key, s in self.sliders.items() if key.endswith(SEED_KEY)), None)
        if seed is not None:
            seed.value = [float(self.seed)]
        self.clicked = True
        elapsed = await self.rerun(self.page_hash, triggers=(button,))
        got = outcome(self.texts) if elapsed is not None else None
        if got is None:
            return self.failed(f"a click answered with neither a run nor a queue: {self.texts}")
        self.clicks.outcomes[got] += 1
        return elapsed

    def failed(self, text: str) -> None:
        self.clicked = True
        self.clicks.outcomes["errors"] += 1
        if len(self.clicks.messages) < 10:
            self.clicks.messages.append(text[:200])
        return None


async def training_class(
    base_url: str, students: int, trainers: int, seconds: float, ramp_s: float = 5.0,
    seed: int = 0, start_pages: list[str] | None = None, run_timeout_s: float = RUN_TIMEOUT_S,
) -> tuple[Tally, Tally, Clicks]:  # fmt: skip
    """``students`` students arriving over ``ramp_s``, ``trainers`` of them (spread through the
    arrivals) on the Train page pressing ▶ Train: (the others' tally, the trainers', clicks)."""
    others, trainer_tally, clicks = Tally(), Tally(), Clicks()
    deadline = time.monotonic() + ramp_s + seconds
    pages = [p for p in start_pages or [""] if p != TRAIN_PAGE] or [""]
    every = students / max(trainers, 1)
    training = {int(k * every) for k in range(trainers)}

    async def one(k: int) -> None:
        await asyncio.sleep(ramp_s * k / max(students, 1))
        rng = random.Random(seed * 100_003 + k)
        if k in training:
            student = Trainer(base_url, trainer_tally, rng, clicks, seed * 1000 + k, run_timeout_s)
        else:
            student = Student(base_url, others, rng, pages[k % len(pages)], run_timeout_s)
            student.avoid = {TRAIN_PAGE}
        await student.attend(deadline)

    await asyncio.gather(*(one(k) for k in range(students)))
    return others, trainer_tally, clicks


def run_training_class(base_url: str, students: int, trainers: int, seconds: float, **kwargs):
    """The training class from synchronous code (a benchmark or a test)."""
    return run_sync(training_class(base_url, students, trainers, seconds, **kwargs))
