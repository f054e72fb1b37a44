"""``RunConfig``: everything that determines a run; a cache key and a deep-link payload.

A config round-trips through URL query parameters (``to_query`` / ``from_query``); junk values
fall back to their defaults with a notice a person can read, never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace

from explainer.cells import ACTIVATIONS, KINDS
from explainer.initializers import INITS

SOURCES = ("text", "numbers", "sine", "adding", "copy")
DEFAULT_TEXT = "the cat sat on the mat. the dog sat on the log."

# (low, high) for numeric fields; choices for the others
LIMITS = {
    "hidden_size": (1, 128),
    "seq_len": (1, 500),
    "seed": (0, 2**31 - 1),
    "rho": (0.0, 4.0),
    "forget_bias": (-10.0, 10.0),
    "clip": (0.01, 100.0),
}
CHOICES = {"cell": KINDS, "activation": ACTIVATIONS, "source": SOURCES, "init": INITS}
MAX_TEXT = 500


@dataclass(frozen=True)
class RunConfig:
    """One scene: cell, sizes, input, initialisation and seed. Frozen and hashable.

    ``seq_len`` is T for generated inputs (sine, adding, copy); typed text and numbers set T by
    their length. ``forget_bias`` (LSTM) and ``clip`` are None when unused.
    ``weights`` is "random" or the name of a pretrained model in assets/.
    """

    cell: str = "rnn"
    activation: str = "tanh"
    hidden_size: int = 16
    seq_len: int = 40
    seed: int = 0
    source: str = "text"
    text: str = DEFAULT_TEXT
    numbers: str = "0, 1, 0.5, -1, 2, 0, 0, 1, 0, -0.5"
    init: str = "pytorch"
    rho: float = 1.0
    forget_bias: float | None = None
    clip: float | None = None
    weights: str = "random"

    def __post_init__(self) -> None:
        problems = validate(self)
        if problems:
            raise ValueError("; ".join(problems))

    def with_(self, **changes) -> RunConfig:
        """A copy with some fields changed (validated)."""
        return replace(self, **changes)

    def to_query(self) -> dict[str, str]:
        """Every field as a string, for ``st.query_params``; None in the sidebar's own word for
        it (forget bias "random", clip "off"), so a link opens with no notice."""
        return {k: NONE_WORDS[k] if v is None else _format(v) for k, v in asdict(self).items()}

    @classmethod
    def from_query(cls, query) -> tuple[RunConfig, dict[str, str]]:
        """Read the fields this class knows from a mapping of strings; others are ignored.

        Values are read by ``read_link`` (one rule for every link): returns the config and,
        keyed by field, a notice for each value that was changed, e.g.
        ``hidden_size='1.5' is not a whole number; using 2``.
        """
        values, notices = {}, {}
        for f in fields(cls):
            if f.name not in query:
                continue
            raw = query[f.name]
            raw = str(raw[-1] if isinstance(raw, list) else raw)
            value, problem = read_link(raw, CONFIG_LINKS[f.name])
            values[f.name] = value
            if problem:
                notices[f.name] = link_notice(f.name, raw, problem, value)
        return cls(**values), notices


# the sidebar's word for an optional field left unset
NONE_WORDS = {"forget_bias": "random", "clip": "off"}


def validate(cfg: RunConfig) -> list[str]:
    """Plain-words problems with a config's values (empty when valid)."""
    problems = []
    for name, choices in CHOICES.items():
        if getattr(cfg, name) not in choices:
            problems.append(f"{name} must be one of {', '.join(choices)}")
    for name, (lo, hi) in LIMITS.items():
        v = getattr(cfg, name)
        if v is None and name in ("forget_bias", "clip"):
            continue
        if isinstance(v, bool) or not isinstance(v, int | float) or not (lo <= v <= hi) or v != v:
            problems.append(f"{name} must be a number from {lo} to {hi}")
        elif isinstance(lo, int) and not isinstance(v, int):
            problems.append(f"{name} must be a whole number")
    if not isinstance(cfg.text, str) or len(cfg.text) > MAX_TEXT:
        problems.append(f"text must be at most {MAX_TEXT} characters")
    if not isinstance(cfg.weights, str) or not cfg.weights or len(cfg.weights) > 64:
        problems.append("weights must be 'random' or a model name")
    return problems


def _format(v) -> str:
    if v is None:
        return "the default"
    if isinstance(v, float):
        return repr(v)
    return str(v)


@dataclass(frozen=True)
class LinkField:
    """What one control accepts from a link: a number in [lo, hi] (``whole``: an integer),
    one of ``choices``, or text of ``min_len`` to ``max_len`` characters. ``none`` lists the
    words that stand for None (optional fields: none, random, off); ``cast`` turns a choice
    into the control's own type."""

    default: object
    lo: float | None = None
    hi: float | None = None
    whole: bool = False
    choices: tuple[str, ...] = ()
    max_len: int | None = None
    min_len: int = 0
    none: tuple[str, ...] = field(default=())
    cast: Callable | None = None  # the control's own type for a choice (e.g. int)


def read_link(raw: str, spec: LinkField) -> tuple[object, str | None]:
    """The value a page uses for a link's ``raw`` string, and why it differs (None if not).

    One rule for every control: a number is rounded to the nearest whole number where the
    control needs one and moved into the control's range; a word or value that is not one of
    the choices, and anything that is not a number where one is needed, gives the default;
    text longer than the limit is cut to its first ``max_len`` characters.
    """
    if spec.choices:
        if raw in spec.choices:
            return raw, None
        same = [c for c in spec.choices if _number(c) is not None and _number(c) == _number(raw)]
        if same:  # another spelling of an offered number: 1.0 for 1
            return same[0], None
        return spec.default, f"is not one of {', '.join(spec.choices)}"
    if spec.max_len is not None:
        if len(raw) < spec.min_len:
            return spec.default, "is empty"
        if len(raw) > spec.max_len:
            return raw[: spec.max_len], f"has {len(raw)} characters, more than {spec.max_len}"
        return raw, None
    if raw.lower() in spec.none:
        return None, None
    try:
        number = float(raw)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        return spec.default, "is not a number"
    problems = []
    if spec.whole and number != math.floor(number):
        number = math.floor(number + 0.5)  # half up: 1.5 -> 2, 2.5 -> 3
        problems.append("is not a whole number")
    if not spec.lo <= number <= spec.hi:
        number = min(max(number, spec.lo), spec.hi)
        problems.append(
            f"is below {_format(spec.lo)}"
            if spec.hi == math.inf
            else f"is outside {_format(spec.lo)} to {_format(spec.hi)}"
        )
    value = int(number) if spec.whole else float(number)
    return value, " and ".join(problems) or None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def link_text(value) -> str:
    """A value as a link writes it: 16, 0.25, lstm, none."""
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def link_notice(name: str, raw: str, problem: str, used) -> str:
    """What the page did with a link value it could not use as written, in one sentence."""
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    if isinstance(used, str) and len(used) > 40:
        used = f"its first {len(used)} characters"
    elif used is None:
        used = "none"
    else:
        used = link_text(used)
    return f"{name}={shown!r} {problem}; using {used}"


def _config_links() -> dict[str, LinkField]:
    """How ``RunConfig.from_query`` reads each field (the app's controls use narrower
    ranges and lists of their own, under the same rule)."""
    default, out = RunConfig(), {}
    for f in fields(RunConfig):
        d = getattr(default, f.name)
        if f.name in CHOICES:
            out[f.name] = LinkField(d, choices=tuple(CHOICES[f.name]))
        elif f.name in LIMITS:
            lo, hi = LIMITS[f.name]
            none = ("none", "random", "off") if f.name in ("forget_bias", "clip") else ()
            out[f.name] = LinkField(d, lo, hi, whole=isinstance(lo, int), none=none)
        elif f.name == "text":
            out[f.name] = LinkField(d, max_len=MAX_TEXT)
        elif f.name == "weights":
            out[f.name] = LinkField(d, max_len=64, min_len=1)
        else:
            out[f.name] = LinkField(d, max_len=10_000)
    return out


CONFIG_LINKS = _config_links()
