"""Small real datasets shipped in assets/data, and checks for the files people upload.

- ``rnn_notes.txt``: the project's own explanatory notes on RNNs (lower case), the default
  corpus of the character models;
- the Zen of Python, decoded with rot13 from Python's own ``this`` module;
- ``sunspots_yearly.csv``: yearly mean sunspot numbers 1700-2008 (SIDC/SILSO data, as shipped
  by statsmodels' ``datasets.sunspots``);
- ``reviews.csv``: 128 short movie reviews written by hand for this project.

Uploads are checked here, without streamlit, so every message can be unit-tested.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from explainer import tasks

DATA = Path(__file__).resolve().parent.parent / "assets" / "data"

CORPORA = {
    "notes": "Unrolled's own notes on RNNs (4,900 characters, written for this app)",
    "zen": "The Zen of Python (Python's `this` module, decoded with rot13)",
}
SUNSPOTS_SOURCE = (
    "Yearly mean sunspot numbers 1700-2008: SIDC/SILSO (Royal Observatory of Belgium) data "
    "as shipped by statsmodels 0.15 (`statsmodels.datasets.sunspots`, public domain)"
)
REVIEWS_SOURCE = "128 short movie reviews written by hand for Unrolled: small and made up"

# the largest upload: server.maxUploadSize in .streamlit/config.toml (1), in streamlit's
# megabytes of 2**20 bytes. Both uploaders take files up to it, so the label, the limit the
# widget shows and the check below are one number.
MAX_UPLOAD_BYTES = 1 * 2**20
MAX_TEXT_BYTES = MAX_UPLOAD_BYTES  # an uploaded corpus (then cut to MAX_CORPUS_CHARS)
MAX_CORPUS_CHARS = 50_000  # characters a char model trains on
MAX_CSV_BYTES = MAX_UPLOAD_BYTES
MIN_ROWS, MAX_ROWS = 20, 2_000  # a one-hot validation set stays under ~20 MB
MAX_CLASSES = 10
MAX_TOKENS = 40  # words a review classifier reads


def size_label(n_bytes: int) -> str:
    """A size limit as the uploader widget writes it (decimal units, whole numbers):
    200_000 -> "200 kB", 2**20 -> "1 MB"."""
    if n_bytes >= 500_000:
        return f"{n_bytes / 1_000_000:.0f} MB"
    return f"{n_bytes / 1_000:.0f} kB"


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def corpus(name: str) -> str:
    """The text of a shipped corpus (see ``CORPORA``)."""
    if name == "notes":
        return _read("rnn_notes.txt")
    if name == "zen":
        # importing `this` prints the Zen; keep it out of the server log
        with contextlib.redirect_stdout(io.StringIO()):
            import this
        return codecs.decode(this.s, "rot13")
    raise ValueError(f"unknown corpus {name!r}; choose one of {', '.join(CORPORA)}")


def decode_upload(data: bytes, max_bytes: int) -> str:
    """Bytes of an uploaded file as text, or a ValueError saying what is wrong with it."""
    if not data or not data.strip():
        raise ValueError("the file is empty")
    if len(data) > max_bytes:
        raise ValueError(
            f"the file is too large: {len(data):,} bytes, and the limit is {max_bytes:,} bytes "
            f"({size_label(max_bytes)})"
        )
    if b"\x00" in data[:65536]:
        raise ValueError("that looks like a binary file (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("the file is not UTF-8 text (is it a spreadsheet or an image?)") from None


def check_corpus(data: bytes | str) -> str:
    """A typed or uploaded training text, checked and cut to ``MAX_CORPUS_CHARS``."""
    text = data if isinstance(data, str) else decode_upload(data, MAX_TEXT_BYTES)
    text, _ = tasks.clean_text(text, MAX_CORPUS_CHARS)
    if len(text) < 200:
        raise ValueError(
            f"the text has {len(text)} characters; a character model needs at least 200 to learn"
        )
    return text


def sunspots() -> tuple[np.ndarray, np.ndarray]:
    """(years, sunspot numbers), both (309,)."""
    rows = [
        line.split(",")
        for line in _read("sunspots_yearly.csv").splitlines()[1:]
        if line and not line.startswith(("#", "year"))
    ]
    years = np.array([int(r[0]) for r in rows])
    values = np.array([float(r[1]) for r in rows])
    return years, values


@dataclass(frozen=True, eq=False)
class Labelled:
    """Short texts with one class label each."""

    texts: tuple[str, ...]
    labels: np.ndarray  # (N,) class ids
    classes: tuple[str, ...]


def _rows(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    try:
        return [row for row in csv.reader(lines) if any(cell.strip() for cell in row)]
    except csv.Error as err:
        raise ValueError(f"the file is not valid CSV: {err}") from None


def parse_labelled_csv(data: bytes | str) -> Labelled:
    """Rows of ``text,label`` (header first), or a ValueError a person can act on: empty,
    binary, wrong columns, too large, too few rows, one class only."""
    text = data if isinstance(data, str) else decode_upload(data, MAX_CSV_BYTES)
    rows = _rows(text)
    if not rows:
        raise ValueError("the file is empty")
    header = [cell.strip().lower() for cell in rows[0]]
    if "text" not in header or "label" not in header:
        found = ", ".join(repr(c) for c in rows[0][:4]) or "nothing"
        raise ValueError(
            f"the first row must name the columns text and label (found {found}); "
            "e.g. `text,label` then `I loved it,positive`"
        )
    it, il = header.index("text"), header.index("label")
    body = [r for r in rows[1:] if len(r) > max(it, il) and r[it].strip() and r[il].strip()]
    if len(body) < MIN_ROWS:
        raise ValueError(f"the file has {len(body)} usable rows; at least {MIN_ROWS} are needed")
    if len(body) > MAX_ROWS:
        raise ValueError(f"the file has {len(body)} rows; at most {MAX_ROWS} are allowed")
    texts = tuple(r[it].strip()[:500] for r in body)
    names = [r[il].strip()[:40] for r in body]
    classes = tuple(sorted(set(names)))
    if len(classes) < 2:
        raise ValueError(f"every row has the label {classes[0]!r}: a classifier needs two classes")
    if len(classes) > MAX_CLASSES:
        raise ValueError(f"the file has {len(classes)} labels; at most {MAX_CLASSES} are allowed")
    index = {c: k for k, c in enumerate(classes)}
    return Labelled(texts, np.array([index[n] for n in names]), classes)


@lru_cache(maxsize=1)
def reviews() -> Labelled:
    """The hand-written movie reviews shipped with the app."""
    return parse_labelled_csv(_read("reviews.csv"))


def words(text: str) -> list[str]:
    """Lower-case words and punctuation marks: the tokens a review classifier reads."""
    return re.findall(r"[a-z0-9']+|[.!?,]", text.lower())[:MAX_TOKENS]


def word_vocab(texts: list[str] | tuple[str, ...], size: int = 300) -> tuple[str, ...]:
    """The ``size - 1`` most frequent words, then ``<unk>`` for everything else."""
    counts = Counter(w for t in texts for w in words(t))
    common = sorted(counts, key=lambda w: (-counts[w], w))[: size - 1]
    return tuple(common) + ("<unk>",)


def char_vocab(text: str) -> tuple[str, ...]:
    """Sorted characters of a text (a character model's vocabulary)."""
    return tuple(sorted(set(text)))


# what the pretrained character models read: their corpus's characters plus a few common ones,
# so typed text with a question mark or a digit still runs through them
CHAR_ALPHABET = tuple(sorted(set("\n !'(),-.0123456789:;?abcdefghijklmnopqrstuvwxyz")))
