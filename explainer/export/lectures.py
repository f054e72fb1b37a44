"""Lectures to export, by name: the shipped lectures once the lecture module has them, and
``scenes`` (the Home page's lecture scenes, ``explainer/scenarios.py``) in any case."""

from __future__ import annotations

from explainer.export.bundle import Lecture
from explainer.export.scenes import from_scenario
from explainer.scenarios import SCENARIOS


def lectures() -> dict[str, Lecture]:
    """Every exportable lecture by name."""
    return {"scenes": Lecture("Lecture scenes", tuple(from_scenario(s) for s in SCENARIOS))}


def lecture(name: str) -> Lecture:
    """The lecture ``name``; an unknown name gets the list of known ones."""
    known = lectures()
    if name not in known:
        raise ValueError(f"no lecture named {name!r}; known lectures: {', '.join(known)}")
    return known[name]
