"""Helpers shared by the test files: figures as sent and as plotly objects, charts by key,
typed arrays, the player."""

import base64
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from streamlit.testing.v1 import AppTest

from explainer.figures import theme
from explainer.figures.theme import MAX_STOPS


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
    """The step (1-based) the player opens at: the label of the slider's active stop (the
    slider keeps ~MAX_STOPS stops, so its index is not the step)."""
    slider = spec["layout"]["sliders"][0]
    return int(str(slider["steps"][slider["active"]]["label"]).split()[0])


def assert_player_covers_frames(spec: dict) -> None:
    """Every step has a frame; the slider keeps at most ~MAX_STOPS of them, always the last."""
    stops = spec["layout"]["sliders"][0]["steps"]
    assert len(stops) <= min(len(spec["frames"]), MAX_STOPS + 2)
    assert stops[-1]["label"] == spec["frames"][-1]["name"]


def assert_clean_with_player(at: AppTest, key: str) -> None:
    """The page ran with no exception and no warning, and its animated chart ``key`` has a
    frame for every step behind its player."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.warning, [w.value for w in at.warning]
    assert_player_covers_frames(chart(at, key))
