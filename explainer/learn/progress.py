"""A student's progress on the guided path, and the short code that carries it away and back.

Progress is the stops visited, the checks answered right and the stop the student is on. The
code is 9 hex digits: stops (2), checks (4), current stop (1), then a 2-digit checksum, so a
mistyped code is caught, not misread. No account, no server database: the code is the record.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, replace

from explainer.learn.path import PATH

N_STOPS = len(PATH)
MAX_CHECKS = 16  # four hex digits
LENGTH = 9
HEX = frozenset("0123456789abcdef")


class ProgressError(ValueError):
    """A progress code that cannot be read; the message says why, in plain words."""


@dataclass(frozen=True)
class Progress:
    visited: frozenset[int] = frozenset()  # stops, 1-based
    solved: frozenset[str] = frozenset()  # check ids answered right
    at: int = 0  # the stop the student is on (0: not on the path)

    def visit(self, k: int) -> Progress:
        if not 1 <= k <= N_STOPS:
            return self
        return replace(self, visited=self.visited | {k}, at=k)

    def solve(self, check_id: str) -> Progress:
        return replace(self, solved=self.solved | {check_id})

    def merged(self, other: Progress) -> Progress:
        """Both records together (a pasted code adds to this session's progress)."""
        return Progress(self.visited | other.visited, self.solved | other.solved,
                        other.at or self.at)  # fmt: skip


def _ids() -> tuple[str, ...]:
    from explainer.learn.checks import CHECK_IDS  # the registry of checks, in a fixed order

    return CHECK_IDS


def _checksum(body: str) -> str:
    return f"{zlib.crc32(body.encode()) & 0xFF:02x}"


def encode(p: Progress) -> str:
    """The progress code: lower-case hex, 9 digits."""
    ids = _ids()
    stops = sum(1 << (k - 1) for k in p.visited if 1 <= k <= N_STOPS)
    checks = sum(1 << ids.index(c) for c in p.solved if c in ids)
    body = f"{stops:02x}{checks:04x}{min(max(p.at, 0), N_STOPS):x}"
    return body + _checksum(body)


def decode(code: str) -> Progress:
    """Read a progress code; raises ``ProgressError`` saying what is wrong with it."""
    if not isinstance(code, str):
        raise ProgressError("a progress code is text")
    raw = "".join(code.split()).replace("-", "").lower()
    if not raw:
        raise ProgressError("the progress code is empty")
    shown = raw[:20] + ("…" if len(raw) > 20 else "")
    if len(raw) != LENGTH:
        raise ProgressError(f"{shown!r} has {len(raw)} characters; a progress code has {LENGTH}")
    if not set(raw) <= HEX:
        bad = sorted(set(raw) - HEX)[0]
        raise ProgressError(f"{shown!r} contains {bad!r}; a progress code uses 0-9 and a-f only")
    body, check = raw[:7], raw[7:]
    if _checksum(body) != check:
        raise ProgressError(f"{shown!r} does not add up (a digit was mistyped or left out)")
    stops, checks, at = int(body[:2], 16), int(body[2:6], 16), int(body[6], 16)
    ids = _ids()
    if stops >> N_STOPS or checks >> len(ids) or at > N_STOPS:
        raise ProgressError(f"{shown!r} was made by another version of this app")
    visited = frozenset(k for k in range(1, N_STOPS + 1) if stops >> (k - 1) & 1)
    solved = frozenset(c for n, c in enumerate(ids) if checks >> n & 1)
    return Progress(visited, solved, at)


FILE_NAME = "unrolled-progress.json"
MAX_FILE = 1000  # bytes: a progress file is about 60


def to_file(p: Progress) -> str:
    """The progress file to download: a tiny JSON object holding the code."""
    return json.dumps({"app": "Unrolled", "progress": encode(p)}) + "\n"


def from_file(data: bytes) -> Progress:
    """Read a downloaded progress file (or a text file holding just the code); raises
    ``ProgressError`` saying what is wrong with it."""
    if len(data) > MAX_FILE:
        raise ProgressError(f"the file has {len(data):,} bytes; a progress file has under "
                            f"{MAX_FILE:,}")  # fmt: skip
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ProgressError(
            "the file is not text; a progress file is a few lines of JSON"
        ) from None
    if not text.startswith(("{", "[")):
        return decode(text)  # a file holding the code alone
    try:
        record = json.loads(text)
    except ValueError:
        raise ProgressError(
            "the file is not valid JSON; a progress file is a few lines of JSON"
        ) from None
    if not isinstance(record, dict) or not isinstance(record.get("progress"), str):
        raise ProgressError('the file has no "progress" code in it')
    return decode(record["progress"])
