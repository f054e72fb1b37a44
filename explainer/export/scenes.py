"""A scene to export: which page, which settings, which step; parsed from a link or a lecture.

A scene here is what a deep link holds: the page (``pages/4_Gradients_through_time.py`` or the
URL path ``/Gradients_through_time``) and its query parameters (``RunConfig`` fields, ``t``,
``unit``). Junk parameters are refused with the reason, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from explainer.config import RunConfig
from explainer.scenarios import Scenario

PAGES = Path(__file__).resolve().parents[2] / "pages"
# the cell and trained weights a page opens with when the link does not name them
PAGE_DEFAULTS = {
    "2_LSTM_gates.py": {"cell": "lstm", "weights": "char-lstm"},
    "3_GRU_gates.py": {"cell": "gru", "weights": "char-gru"},
    "5_Compare_cells.py": {"cell": "rnn"},
}
VIEW_KEYS = ("t", "unit")


@dataclass(frozen=True)
class ExportScene:
    """One scene of a lecture: a title, a page file, its query parameters and speaker notes."""

    title: str
    page: str  # pages/N_Title.py
    params: dict[str, str] = field(default_factory=dict)
    notes: str = ""

    @property
    def page_file(self) -> str:
        return Path(self.page).name

    def config(self) -> RunConfig:
        """The run this scene shows, with the page's own defaults (raises ValueError on junk)."""
        defaults = PAGE_DEFAULTS.get(self.page_file, {})
        run = {k: v for k, v in self.params.items() if k not in VIEW_KEYS}
        cfg = Scenario(self.title, self.page, "", {**defaults, **run}).config()
        return cfg.with_(cell=defaults["cell"]) if "cell" in defaults else cfg

    def view(self, T: int, H: int) -> tuple[int, int]:
        """The step t (1..T, default as the page: min(5, T)) and unit j (0..H-1)."""
        t = _whole(self.params, "t", min(5, T), 1, T)
        j = _whole(self.params, "unit", 0, 0, H - 1)
        return t, j

    def slug(self) -> str:
        """A file-name-safe short name."""
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")[:40] or "scene"


def _whole(params: dict, key: str, default: int, lo: int, hi: int) -> int:
    if key not in params:
        return default
    try:
        v = int(params[key])
    except ValueError:
        raise ValueError(f"{key}={params[key]!r} is not a whole number") from None
    if not lo <= v <= hi:
        raise ValueError(f"{key}={v} is outside {lo} to {hi} for this scene")
    return v


def page_file(name: str) -> str:
    """``pages/N_Title.py`` for a page file or a URL path such as ``/Gradients_through_time``."""
    stem = Path(unquote(name)).name.removesuffix(".py")
    for path in sorted(PAGES.glob("*.py")):
        if stem in (path.stem, path.stem.split("_", 1)[-1]):
            return f"pages/{path.name}"
    known = ", ".join(p.stem.split("_", 1)[-1] for p in sorted(PAGES.glob("*.py")))
    raise ValueError(f"no page named {stem!r}; the pages are {known}")


def from_url(url: str, title: str = "") -> ExportScene:
    """The scene of a deep link (``http://host/Gradients_through_time?rho=1.5&t=40``)."""
    parts = urlsplit(url.strip())
    page = page_file(parts.path.rstrip("/") or "")
    params = dict(parse_qsl(parts.query))
    return ExportScene(title or Path(page).stem.split("_", 1)[-1].replace("_", " "), page, params)


def from_scenario(s: Scenario) -> ExportScene:
    return ExportScene(s.title, s.page, dict(s.params), s.lesson)
