"""Presenter view and lectures in-process (AppTest): the flags in the URL, the lecture bar,
the speaker-notes view, "save this scene", the Home uploader, and chart styling."""

import json
from pathlib import Path

import pytest
from app_utils import bar_data
from streamlit.testing.v1 import AppTest

from explainer import lectures
from explainer.config import RunConfig
from explainer.figures import projector, theme
from explainer.ui.sidebar import CURSOR_DEFAULT

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "pages" / "4_Gradients_through_time.py"
LECTURE = lectures.shipped()["why-lstms"]


def run(page=PAGE, **query) -> AppTest:
    at = AppTest.from_file(str(page), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def styles(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_presenter_view_hides_the_sidebar_and_prose_and_keeps_what_show_names():
    at = run(present="1")
    assert not at.exception
    css = styles(at)
    assert 'section[data-testid="stSidebar"]' in css and "font-size: 24px" in css
    assert 'data-testid="stLatex"' in css and 'data-testid="stMarkdown"' in css
    at = run(present="1", show="eq,prose")
    css = styles(at)
    assert 'data-testid="stLatex"' not in css and 'data-testid="stMarkdown"' not in css
    assert 'data-testid="stCaptionContainer"' in css
    assert "#ffffff !important; color: #000000" in styles(run(present="1", theme="light"))
    assert "stSidebar" not in styles(run())  # a normal page is left as it was


def test_presenter_view_restyles_every_chart_for_the_projector():
    at = run(present="1", theme="light")
    for c in at.get("plotly_chart"):
        lay = json.loads(c.proto.spec)["layout"]
        assert lay["font"]["size"] >= projector.FONT and lay["paper_bgcolor"] == "#ffffff"
        for key, axis in lay.items():
            if key.startswith(("xaxis", "yaxis")):
                assert axis["tickfont"]["size"] >= 18


def test_projector_style_is_large_thick_and_leaves_the_shared_spec_alone():
    fig = theme.figure(
        [{"type": "scatter", "y": [1, 2], "mode": "lines", "line": {"color": "#FFFFFF"}}],
        {"xaxis": {"title": {"text": "t"}}, "annotations": [{"text": "a", "font": {"size": 12}}]},
    )
    spec = theme.pack(fig)
    before = json.dumps(spec, sort_keys=True, default=str)
    out = projector.restyle(spec, "light")
    assert json.dumps(spec, sort_keys=True, default=str) == before
    assert out["data"][0]["line"] == {"color": "#000000", "width": projector.LINE}
    assert out["layout"]["xaxis"]["tickfont"]["size"] >= 18
    assert out["layout"]["xaxis"]["title"]["font"]["size"] >= 18
    assert out["layout"]["annotations"][0]["font"]["size"] >= 18


def test_the_sidebar_toggle_writes_present_into_the_url():
    at = run()
    at.toggle(key="present_toggle").set_value(True).run()
    assert at.query_params["present"] in ("1", ["1"])
    at.toggle(key="present_toggle").set_value(False).run()
    assert "present" not in at.query_params


def test_a_lecture_link_opens_scene_k_with_its_bar():
    scene = LECTURE.scenes[3]
    at = run(lecture="why-lstms", scene="4", **scene.params)
    assert not at.exception
    assert f"scene 4 of {len(LECTURE.scenes)}: {scene.title}" in texts(at)
    body = texts(at)
    assert "[Previous](./Gradients_through_time?" in body and "scene=3)" in body
    assert "[Next scene](./Gradients_through_time?" in body and "scene=5)" in body


def test_the_notes_view_shows_the_talking_points_and_the_next_scene():
    scene = LECTURE.scenes[3]
    at = run(lecture="why-lstms", scene="4", notes="1", present="1", **scene.params)
    body = texts(at).replace("\\", "")  # talking points are escaped, shown as typed
    assert all(note in body for note in scene.notes)
    assert f"Next: scene 5, {LECTURE.scenes[4].title}" in body
    assert not at.get("plotly_chart")  # the page itself is not drawn


@pytest.mark.parametrize(
    "query,notice",
    [
        ({"lecture": "no-such"}, "there is no lecture 'no-such'"),
        ({"lecture": "why-lstms", "scene": "99"}, "scene='99' is not 1 to 12; showing scene 12"),
        ({"lecture": "zAAAA"}, "damaged"),
    ],
)
def test_a_bad_lecture_link_says_what_the_page_did(query, notice):
    at = run(**query)
    assert not at.exception
    assert any(notice in w.value for w in at.warning), [w.value for w in at.warning]


def test_a_lecture_in_the_link_itself_opens():
    mine = lectures.Lecture("Mine", (lectures.Scene("Only", "pages/4_Gradients_through_time.py"),))
    at = run(lecture=lectures.encode(mine), scene="1")
    assert "**Mine** · scene 1 of 1: Only" in texts(at)


def test_home_lists_the_shipped_lectures_and_reports_a_bad_upload():
    at = run(ROOT / "Home.py")
    assert not at.exception
    links = [p.proto.label for p in at.get("page_link")]
    for lec in lectures.shipped().values():
        assert any(lec.title in label for label in links)


def _arrive(at: AppTest, name: str, k: int, scene: lectures.Scene) -> AppTest:
    """Follow a lecture's link to scene k in the same session, as "Next scene" and the keys
    do: the page switches and the address is the link's."""
    at.switch_page(scene.page)
    at.query_params.clear()
    for key, value in {**scene.params, "lecture": name, "scene": str(k), "present": "1"}.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("name", sorted(lectures.shipped()))
def test_every_scene_opens_with_its_own_settings_after_the_one_before(name):
    """Moving through a lecture in one session: each scene's run is its own (values the session
    kept from the scene before, e.g. scene 1's H = 8 or t = 1, do not win over the link)."""
    lec = lectures.shipped()[name]
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=90).run()
    for k, scene in enumerate(lec.scenes, 1):
        _arrive(at, name, k, scene)
        where = f"scene {k} ({scene.title})"
        assert not at.exception and not at.warning, (where, [w.value for w in at.warning])
        query = {key: v[-1] if isinstance(v, list) else v for key, v in at.query_params.items()}
        shown, _ = RunConfig.from_query(query)
        want = scene.config()
        if scene.page_name in ("LSTM_gates", "GRU_gates"):
            shown = shown.with_(cell=want.cell)  # the page fixes the cell, not the link
        if scene.page_name != "Train_and_compare":  # its own settings; none in the lectures
            assert shown == want, where
            t = int(scene.params.get("t", CURSOR_DEFAULT))
            assert at.session_state["t"] == t and query["t"] == str(t), where
            # the time cursor lets PageDown/PageUp through at its ends to the scenes around
            edges = {"previous": k > 1, "next": k < len(lec.scenes)}
            assert bar_data(at)["lecture"] == edges, where
