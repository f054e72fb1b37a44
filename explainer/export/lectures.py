"""Lectures to export, by name: the shipped lectures (``explainer.lectures``, assets/lectures),
a lecture carried in a link token, and ``scenes`` (the Home page's lecture scenes)."""

from __future__ import annotations

from explainer import lectures as core
from explainer.export.bundle import Lecture
from explainer.export.scenes import ExportScene, from_scenario
from explainer.scenarios import SCENARIOS

SCENES = "scenes"


def converted(lecture: core.Lecture) -> Lecture:
    """A lecture file's scenes as export scenes (talking points as a bullet list)."""
    scenes = tuple(
        ExportScene(s.title, s.page, dict(s.params), "\n".join(f"- {n}" for n in s.notes))
        for s in lecture.scenes
    )
    return Lecture(lecture.title, scenes)


def lectures() -> dict[str, Lecture]:
    """Every shipped lecture by name, and the lecture scenes."""
    out = {name: converted(lec) for name, lec in core.shipped().items()}
    out[SCENES] = Lecture("Lecture scenes", tuple(from_scenario(s) for s in SCENARIOS))
    return out


def lecture(name: str) -> Lecture:
    """The lecture ``name`` (or a link token); an unknown name gets the list of known ones."""
    if name == SCENES:
        return lectures()[SCENES]
    try:
        return converted(core.resolve(name))
    except ValueError as err:
        raise ValueError(f"{err} (or {SCENES})") from None
