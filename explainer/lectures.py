"""Lectures: ordered lists of scenes (a page and its query parameters) with talking points.

A lecture is a small TOML or JSON file (format in assets/lectures/README.md)::

    title = "RNNs in 20 minutes"

    [[scenes]]
    title = "One cell, copied along the sequence"
    page = "Unrolled_RNN"
    notes = ["The same weights at every step."]
    params = { text = "hello hello", hidden_size = 8, t = 1 }

``load_text`` reads one and returns a ``Lecture`` or raises ``LectureError``, whose message
names the line and the field of every problem. ``encode``/``decode`` carry a lecture in a URL;
``to_toml`` writes one back (the "save this scene" file). No streamlit here.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import tomllib
import zlib
from dataclasses import dataclass, field, fields
from pathlib import Path

from explainer.config import RunConfig

ROOT = Path(__file__).resolve().parents[1]
PAGES_DIR = ROOT / "pages"
LECTURES_DIR = ROOT / "assets" / "lectures"

MAX_BYTES = 64_000  # a file or a decoded link
MAX_SCENES = 60
MAX_TITLE = 120
MAX_NOTE = 2_000
MAX_NOTES = 20
VIEW_PARAMS = ("t", "unit")  # the time cursor and the unit shown, beside the run's fields
RUN_PARAMS = tuple(f.name for f in fields(RunConfig))
REGIMES = ("vanishing", "stable", "exploding", "overflow")


@dataclass(frozen=True)
class Scene:
    """One scene of a lecture: a page, its query parameters, a title and talking points."""

    title: str
    page: str  # "pages/N_Name.py"
    params: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    regime: str | None = None  # what gradients.regime says of this run, checked by the tests

    @property
    def page_name(self) -> str:
        """The page's name in the app's URLs ("Gradients_through_time")."""
        return page_name(self.page)

    def config(self) -> RunConfig:
        """The run this scene shows (the LSTM/GRU pages fix the cell)."""
        cfg, _ = RunConfig.from_query(self.params)
        fixed = {"2_LSTM_gates.py": "lstm", "3_GRU_gates.py": "gru"}.get(Path(self.page).name)
        return cfg.with_(cell=fixed) if fixed else cfg

    def to_dict(self) -> dict:
        out = {"title": self.title, "page": self.page_name, "params": dict(self.params)}
        if self.notes:
            out["notes"] = list(self.notes)
        if self.regime:
            out["regime"] = self.regime
        return out


@dataclass(frozen=True)
class Lecture:
    """A titled, ordered list of scenes."""

    title: str
    scenes: tuple[Scene, ...]
    description: str = ""

    def to_dict(self) -> dict:
        out = {"title": self.title}
        if self.description:
            out["description"] = self.description
        out["scenes"] = [s.to_dict() for s in self.scenes]
        return out


@dataclass
class Problem:
    line: int | None
    where: str  # "scene 3 ('Title'), field 'page'"
    message: str

    def __str__(self) -> str:
        at = f"line {self.line}, " if self.line else ""
        return f"{at}{self.where}: {self.message}"


class LectureError(ValueError):
    """A lecture that cannot be read; ``problems`` lists each one with its line and field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@functools.cache
def pages() -> dict[str, str]:
    """Every page a scene may open, by its URL name: {"Unrolled_RNN": "pages/1_Unrolled_RNN.py"}."""
    found = sorted(PAGES_DIR.glob("*.py"))
    return {page_name(p.name): f"pages/{p.name}" for p in found}


def page_name(page: str) -> str:
    stem = Path(page).stem
    head, _, rest = stem.partition("_")
    return rest if head.isdigit() and rest else stem


def _page_file(raw: str) -> str | None:
    known = pages()
    name = page_name(raw.strip())
    return known.get(name)


# -- reading -------------------------------------------------------------------------------


def load_text(text: str, fmt: str = "toml") -> Lecture:
    """Parse and validate a lecture written as TOML or JSON (``fmt``)."""
    if not isinstance(text, str):
        raise LectureError([Problem(None, "file", "is not text")])
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise LectureError([Problem(None, "file", f"is larger than {MAX_BYTES // 1000} KB")])
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            problem = Problem(err.lineno, "file", f"is not valid JSON ({err.msg})")
            raise LectureError([problem]) from None
        except RecursionError:
            raise LectureError([Problem(None, "file", "is nested too deeply")]) from None
    elif fmt == "toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            line = _toml_error_line(str(err))
            msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
            raise LectureError([Problem(line, "file", f"is not valid TOML ({msg})")]) from None
        except RecursionError:
            raise LectureError([Problem(None, "file", "is nested too deeply")]) from None
    else:
        raise LectureError([Problem(None, "file", f"format {fmt!r} is not toml or json")])
    return _validate(data, _Lines(text, fmt))


def load_file(path: Path | str) -> Lecture:
    """A lecture from a .toml or .json file."""
    path = Path(path)
    fmt = "json" if path.suffix.lower() == ".json" else "toml"
    return load_text(path.read_text(encoding="utf-8"), fmt)


def load_bytes(data: bytes, name: str = "lecture.toml") -> Lecture:
    """A lecture from uploaded bytes; the file name's ending picks the format."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        problem = Problem(None, "file", f"is not UTF-8 text (byte {err.start})")
        raise LectureError([problem]) from None
    return load_text(text, "json" if name.lower().endswith(".json") else "toml")


def shipped() -> dict[str, Lecture]:
    """The lectures in assets/lectures, by file name without the ending."""
    return {p.stem: load_file(p) for p in sorted(LECTURES_DIR.glob("*.toml"))}


def _toml_error_line(msg: str) -> int | None:
    m = re.search(r"at line (\d+)", msg)
    return int(m.group(1)) if m else None


def _validate(data, lines: _Lines) -> Lecture:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise LectureError(
            [Problem(1, "file", "must be a table (an object) with title and scenes")]
        )
    title = _text(data, "title", "lecture", lines.top("title"), problems, required=True)
    description = _text(data, "description", "lecture", lines.top("description"), problems)
    for key in data:
        if key not in ("title", "description", "scenes"):
            problems.append(
                Problem(
                    lines.top(key),
                    f"field {key!r}",
                    "is not a lecture field (title, description, scenes)",
                )
            )
    raw_scenes = data.get("scenes")
    scenes = []
    if not isinstance(raw_scenes, list) or not raw_scenes:
        problems.append(
            Problem(
                lines.top("scenes"),
                "field 'scenes'",
                "must be a list of at least one scene ([[scenes]] in TOML)",
            )
        )
    elif len(raw_scenes) > MAX_SCENES:
        problems.append(
            Problem(
                lines.top("scenes"),
                "field 'scenes'",
                f"has {len(raw_scenes)} scenes; at most {MAX_SCENES}",
            )
        )
    else:
        for k, raw in enumerate(raw_scenes):
            scene = _scene(raw, k, lines, problems)
            if scene is not None:
                scenes.append(scene)
    if problems:
        raise LectureError(problems)
    return Lecture(title, tuple(scenes), description)


def _text(obj: dict, key: str, where: str, line, problems, required=False) -> str:
    value = obj.get(key)
    if value is None:
        if required:
            problems.append(Problem(line, f"{where}, field {key!r}", "is missing"))
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(line, f"{where}, field {key!r}", "must be non-empty text"))
        return ""
    limit = MAX_NOTE if key in ("description", "notes") else MAX_TITLE
    if len(value) > limit:
        problems.append(
            Problem(line, f"{where}, field {key!r}", f"is {len(value)} characters; at most {limit}")
        )
        return ""
    return value.strip()


def _scene(raw, k: int, lines: _Lines, problems: list[Problem]) -> Scene | None:
    start = lines.scene(k)
    if not isinstance(raw, dict):
        problems.append(Problem(start, f"scene {k + 1}", "must be a table (an object)"))
        return None
    where = f"scene {k + 1}"
    before = len(problems)
    title = _text(raw, "title", where, lines.field(k, "title"), problems, required=True)
    if title:
        where = f"scene {k + 1} ({title[:40]!r})"
        for p in problems[before:]:
            p.where = p.where.replace(f"scene {k + 1}", where, 1)
    for key in raw:
        if key not in ("title", "page", "params", "notes", "regime"):
            problems.append(
                Problem(
                    lines.field(k, key),
                    f"{where}, field {key!r}",
                    "is not a scene field (title, page, params, notes, regime)",
                )
            )
    page = raw.get("page")
    page_file = _page_file(page) if isinstance(page, str) else None
    if page_file is None:
        shown = "is missing" if page is None else f"{str(page)[:40]!r} is not a page"
        problems.append(
            Problem(
                lines.field(k, "page"),
                f"{where}, field 'page'",
                f"{shown}; choose one of {', '.join(pages())}",
            )
        )
    params = _params(raw.get("params", {}), k, where, lines, problems)
    notes = _notes(raw.get("notes", []), k, where, lines, problems)
    regime = raw.get("regime")
    if regime is not None and regime not in REGIMES:
        problems.append(
            Problem(
                lines.field(k, "regime"),
                f"{where}, field 'regime'",
                f"{str(regime)[:40]!r} is not one of {', '.join(REGIMES)}",
            )
        )
    if len(problems) > before or page_file is None:
        return None
    return Scene(title, page_file, params, notes, regime)


def _params(raw, k, where, lines, problems) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                lines.field(k, "params"),
                f"{where}, field 'params'",
                "must be a table of name = value",
            )
        )
        return {}
    out = {}
    for key, value in raw.items():
        line, at = lines.field(k, key), f"{where}, field 'params.{key}'"
        if key not in RUN_PARAMS + VIEW_PARAMS:
            problems.append(
                Problem(
                    line, at, f"is not a setting; choose from {', '.join(RUN_PARAMS + VIEW_PARAMS)}"
                )
            )
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            problems.append(Problem(line, at, "must be text or a number"))
            continue
        text = repr(value) if isinstance(value, float) else str(value)
        if key in VIEW_PARAMS:
            lo = 1 if key == "t" else 0
            if not re.fullmatch(r"\d{1,4}", text) or int(text) < lo:
                problems.append(
                    Problem(line, at, f"{text[:20]!r} is not a whole number from {lo} to 9999")
                )
                continue
        else:
            _, notices = RunConfig.from_query({key: text})
            if key in notices:
                problems.append(
                    Problem(line, at, notices[key].split("; using")[0].removeprefix(f"{key}="))
                )
                continue
        out[key] = text
    return out


def _notes(raw, k, where, lines, problems) -> tuple[str, ...]:
    raw = [raw] if isinstance(raw, str) else raw
    line, at = lines.field(k, "notes"), f"{where}, field 'notes'"
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        problems.append(Problem(line, at, "must be text or a list of texts"))
        return ()
    if len(raw) > MAX_NOTES:
        problems.append(Problem(line, at, f"has {len(raw)} notes; at most {MAX_NOTES}"))
        return ()
    if any(len(n) > MAX_NOTE for n in raw):
        problems.append(Problem(line, at, f"a note is longer than {MAX_NOTE} characters"))
        return ()
    return tuple(n.strip() for n in raw if n.strip())


class _Lines:
    """Best-effort line numbers for fields of a parsed file (tomllib and json keep none)."""

    def __init__(self, text: str, fmt: str):
        self.rows = text.splitlines() or [""]
        self.fmt = fmt
        self.starts = self._toml_starts() if fmt == "toml" else self._json_starts(text)

    def _toml_starts(self) -> list[int]:
        return [i for i, r in enumerate(self.rows) if re.match(r"\s*\[\[\s*scenes\s*\]\]", r)]

    def _json_starts(self, text: str) -> list[int]:
        # a "{" that opens at depth 2 inside a list is a scene: {"scenes": [ {...}, ... ]}
        starts, stack, line, in_str, esc = [], [], 0, False, False
        for ch in text:
            if ch == "\n":
                line += 1
            if in_str:
                esc, in_str = (not esc and ch == "\\"), (in_str if esc or ch != '"' else False)
                continue
            if ch == '"':
                in_str = True
            elif ch in "[{":
                if ch == "{" and len(stack) == 2 and stack[-1] == "[":
                    starts.append(line)
                stack.append(ch)
            elif ch in "]}" and stack:
                stack.pop()
        return starts

    def _find(self, key: str, lo: int, hi: int) -> int | None:
        pat = re.compile(rf'(^|[\s{{,"\[.]){re.escape(key)}"?\s*[=:]')
        for i in range(lo, min(hi, len(self.rows))):
            if pat.search(self.rows[i]):
                return i + 1
        return None

    def top(self, key: str) -> int | None:
        end = self.starts[0] if self.starts else len(self.rows)
        return self._find(key, 0, end) or (1 if key != "scenes" else None)

    def scene(self, k: int) -> int | None:
        return self.starts[k] + 1 if k < len(self.starts) else None

    def field(self, k: int, key: str) -> int | None:
        if k >= len(self.starts):
            return None
        hi = self.starts[k + 1] if k + 1 < len(self.starts) else len(self.rows)
        return self._find(key, self.starts[k], hi) or self.starts[k] + 1


# -- writing and links ---------------------------------------------------------------------


def to_json(lecture: Lecture) -> str:
    return json.dumps(lecture.to_dict(), ensure_ascii=False, indent=2)


def to_toml(lecture: Lecture) -> str:
    """The lecture as a TOML file in the documented format."""

    def s(v: str) -> str:
        return json.dumps(v, ensure_ascii=False)  # a TOML basic string

    out = [f"title = {s(lecture.title)}"]
    if lecture.description:
        out.append(f"description = {s(lecture.description)}")
    for sc in lecture.scenes:
        out += ["", "[[scenes]]", f"title = {s(sc.title)}", f"page = {s(sc.page_name)}"]
        if sc.regime:
            out.append(f"regime = {s(sc.regime)}")
        if sc.notes:
            out.append("notes = [")
            out += [f"  {s(n)}," for n in sc.notes]
            out.append("]")
        if sc.params:
            inner = ", ".join(f"{k} = {s(v)}" for k, v in sc.params.items())
            out.append(f"params = {{ {inner} }}")
    return "\n".join(out) + "\n"


def encode(lecture: Lecture) -> str:
    """A URL-safe token that carries the whole lecture (compressed JSON, base64url)."""
    raw = json.dumps(lecture.to_dict(), ensure_ascii=False, separators=(",", ":"))
    packed = zlib.compress(raw.encode("utf-8"), 9)
    return "z" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode(token: str) -> Lecture:
    """The lecture a token from ``encode`` carries; ``LectureError`` if it is damaged."""
    bad = Problem(None, "link", "the lecture in the link is damaged or cut")
    if not isinstance(token, str) or not token.startswith("z") or len(token) > 4 * MAX_BYTES:
        raise LectureError([bad])
    body = token[1:]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        unz = zlib.decompressobj()
        raw = unz.decompress(packed, MAX_BYTES + 1)
        if len(raw) > MAX_BYTES or not unz.eof:
            raise LectureError(
                [Problem(None, "link", f"the lecture is larger than {MAX_BYTES // 1000} KB")]
            )
        text = raw.decode("utf-8")
    except (ValueError, zlib.error) as err:
        if isinstance(err, LectureError):
            raise
        raise LectureError([bad]) from None
    return load_text(text, "json")


def resolve(name: str) -> Lecture:
    """A shipped lecture by name, or one carried in a link token."""
    if name.startswith("z") and name not in _shipped_names():
        return decode(name)
    lectures = shipped()
    if name not in lectures:
        raise LectureError(
            [
                Problem(
                    None,
                    "link",
                    f"there is no lecture {name[:40]!r}; choose one of {', '.join(lectures)}",
                )
            ]
        )
    return lectures[name]


def _shipped_names() -> set[str]:
    return {p.stem for p in LECTURES_DIR.glob("*.toml")}


def with_scene(lecture: Lecture | None, scene: Scene, title: str = "My lecture") -> Lecture:
    """``lecture`` with ``scene`` added at the end (a new lecture if there is none)."""
    if lecture is None:
        return Lecture(title, (scene,))
    return Lecture(lecture.title, lecture.scenes + (scene,), lecture.description)
