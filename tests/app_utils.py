"""Helpers shared by the test files: figures as sent and as plotly objects, charts by key,
typed arrays, the player."""

import base64
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from streamlit.testing.v1 import AppTest

from explainer.figures import theme


def sent(spec: dict) -> dict:
    """A builder's figure as the browser receives it: packed, then JSON."""
    return json.loads(pio.to_json(theme.pack(spec), validate=False))


def view(spec: dict) -> go.Figure:
    """A builder's figure as a validated plotly object, for attribute access (frames become
    ``go.Frame`` objects)."""
    return go.Figure(spec)


def chart(at: AppTest, key: str) -> dict:
    """The figure JSON of the one chart whose element key ends with ``key``."""
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(key)]
    assert len(found) == 1, [c.proto.id for c in at.get("plotly_chart")]
    return json.loads(found[0].proto.spec)


def array(value) -> np.ndarray:
    """A plotly JSON array: a list, or a base64 typed array {"dtype", "bdata", "shape"}."""
    if isinstance(value, dict):
        raw = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        return raw.reshape([int(n) for n in str(shape).split(",")]) if shape else raw
    return np.asarray(value, dtype=float)


def active_step(spec: dict) -> int:
    """The step (1-based) an animated chart opens at (``theme.shown_step``)."""
    return theme.shown_step(spec)


def assert_frames_cover_steps(spec: dict) -> None:
    """One frame per step, frame k showing step k + 1 (the page's time cursor relies on it),
    and no in-chart player: the page's one bar drives the chart."""
    cursor = spec["layout"]["meta"]["cursor"]
    assert cursor["frames"] == len(spec["frames"]) and 1 <= cursor["step"] <= cursor["frames"]
    assert "sliders" not in spec["layout"] and "updatemenus" not in spec["layout"]


def assert_clean_with_player(at: AppTest, key: str) -> None:
    """The page ran with no exception and no warning, and its animated chart ``key`` has a
    frame for every step."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.warning, [w.value for w in at.warning]
    assert_frames_cover_steps(chart(at, key))


def cursor(at: AppTest) -> int:
    """The page's time cursor t after a run (the bar is a custom component AppTest cannot
    move: tests set ``at.session_state["t"]`` as the bar does, then run)."""
    return int(at.session_state["t"])


def set_cursor(at: AppTest, t: int) -> AppTest:
    """Move the page's time cursor to t as the bar does before its rerun; returns ``at``."""
    at.session_state["t"] = t
    return at


def bar_data(at: AppTest) -> dict:
    """What the page sent its time cursor (the one transport bar among its components)."""
    (bar,) = [c for c in at.get("bidi_component") if c.proto.component_name.endswith("time_cursor")]
    return json.loads(bar.proto.json)


# pages whose charts appear only after a click: the key of the button that shows them
CHARTS_AFTER = {"10_Flashcards_and_quiz": "cards_flip"}


def with_charts(at: AppTest, page) -> AppTest:
    """The page with its charts on screen (turned to them, for ``CHARTS_AFTER`` pages)."""
    key = CHARTS_AFTER.get(page.stem)
    return at.button(key=key).click().run() if key else at
