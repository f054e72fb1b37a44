"""What the app sends is what plotly means: every page's figures, built unvalidated as in the
app, equal their plotly-validated form (a bare-string ``title`` is silently dropped by
plotly.js 3; validation would have turned it into ``{"text": ...}``)."""

import json
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from explainer.figures import theme
from tests.app_utils import with_charts

PAGES = sorted((Path(__file__).resolve().parents[1] / "pages").glob("*.py"))


def differences(sent, valid, path=""):
    """Paths where two JSON trees differ (floats within 1e-9 count as equal)."""
    if isinstance(sent, dict) and isinstance(valid, dict):
        for key in set(sent) | set(valid):
            if key == "template":
                continue
            if key not in valid or key not in sent:
                empty = sent.get(key, valid.get(key)) in ([], {}, None)
                if not empty:
                    yield f"{path}.{key}"
            else:
                yield from differences(sent[key], valid[key], f"{path}.{key}")
    elif isinstance(sent, list) and isinstance(valid, list) and len(sent) == len(valid):
        for k, (a, b) in enumerate(zip(sent, valid, strict=True)):
            yield from differences(a, b, f"{path}[{k}]")
    elif sent != valid and not (
        isinstance(sent, float) and isinstance(valid, float) and abs(sent - valid) < 1e-9
    ):
        yield f"{path}: {str(sent)[:50]!r} became {str(valid)[:50]!r}"


@pytest.mark.app
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_unvalidated_figures_equal_their_validated_form(page, monkeypatch):
    monkeypatch.setattr(theme, "VALIDATE", False)
    at = with_charts(AppTest.from_file(str(page), default_timeout=60).run(), page)
    assert not at.exception
    charts = at.get("plotly_chart")
    assert charts
    for k, chart in enumerate(charts):
        sent = json.loads(chart.proto.spec)
        sent.pop("frames", None)  # frames are checked by go.Frame under the figure tests
        valid = json.loads(pio.to_json(go.Figure(sent)))
        assert list(differences(sent, valid)) == [], f"chart {k}"
