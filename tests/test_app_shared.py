"""Every page together: each runs at defaults, the shared sidebar survives page switches, deep
links restore a scene, junk links fall back with notices, extreme inputs never crash.

Pages are discovered on disk, so pages added later are covered without editing this file.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explainer.config import RunConfig
from explainer.ui.cache import cached_scene
from tests.app_utils import cursor

pytestmark = pytest.mark.app

REPO = Path(__file__).resolve().parent.parent
HOME = REPO / "Home.py"
PAGES = sorted((REPO / "pages").glob("*.py"))
UNROLLED = "pages/1_Unrolled_RNN.py"


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def page(path: str, **query) -> AppTest:
    at = AppTest.from_file(str(REPO / path), default_timeout=60)
    at.query_params = {k: str(v) for k, v in query.items()}
    return at.run()


def shared(at: AppTest) -> tuple:
    """The shared sidebar's values as a page shows them."""
    return (
        at.slider(key="hidden_size").value,
        at.number_input(key="seed").value,
        at.radio(key="source").value,
    )


@pytest.mark.parametrize("path", [HOME, *PAGES], ids=lambda p: p.name)
def test_every_page_runs_at_defaults(path):
    at = ok(AppTest.from_file(str(path), default_timeout=60).run())
    assert at.title, "every page has a title"


def test_the_shared_sidebar_survives_page_switches():
    others = [p for p in PAGES if p.name != Path(UNROLLED).name]
    assert others, "page 1 alone: nothing to switch to"
    at = ok(AppTest.from_file(str(HOME), default_timeout=60).run())
    ok(at.switch_page(UNROLLED).run())
    at.slider(key="hidden_size").set_value(24)
    at.number_input(key="seed").set_value(7)
    at.radio(key="source").set_value("sine")
    ok(at.run())
    assert shared(at) == (24, 7, "sine")
    checked = []
    for other in others:
        ok(at.switch_page(f"pages/{other.name}").run())
        if "hidden_size" not in {s.key for s in at.slider}:
            continue  # a page without the shared sidebar (e.g. a fixed training setup)
        assert shared(at) == (24, 7, "sine"), other.name
        checked.append(other.name)
    assert checked, "no other page shows the shared sidebar"
    ok(at.switch_page(UNROLLED).run())
    assert shared(at) == (24, 7, "sine")
    assert [t.value for t in at.title] == ["Unrolled RNN"]


def test_deep_link_restores_the_scene_on_page_one():
    at = ok(page(UNROLLED, cell="lstm", hidden_size=12, seed=9, source="sine", t=20, unit=11))
    assert not at.warning, [w.value for w in at.warning]
    assert shared(at) == (12, 9, "sine")
    assert at.radio(key="cell").value == "lstm"
    assert (cursor(at), at.slider(key="unit").value) == (20, 11)


def test_junk_link_falls_back_to_defaults_with_notices():
    junk = dict(hidden_size="abc", t="-4", unit="zz", source="nope", rho="1e9")
    at = ok(page(UNROLLED, **junk))
    # as the student reads them: markdown's escapes (links.plain) dropped
    notices = " ".join(w.value for w in at.warning).replace("\\", "")
    for key in junk:
        assert key in notices, (key, notices)
    assert shared(at) == (16, 0, "text")
    assert cursor(at) == 1  # -4 clamps to the first step
    assert at.slider(key="unit").value == 0


@pytest.mark.parametrize(
    "query",
    [
        {"source": "sine", "seq_len": 500},
        {"hidden_size": 128},
        {"hidden_size": 1},
        {"source": "sine", "seq_len": 2},
        {"source": "numbers", "numbers": "1e6, -1e6"},
        {"source": "text", "text": "🙂🚀 héllo wörld 👩‍👩‍👧 ✓"},
        {"source": "text", "text": ("the quick brown fox jumps over the lazy dog. " * 12)[:500]},
    ],
    ids=["T=500", "H=128", "H=1", "T=2", "numbers 1e6", "emoji", "500 chars"],
)
def test_extreme_values_run_on_every_page(query):
    for path in PAGES:
        at = page(f"pages/{path.name}", **query)
        assert not at.exception, (path.name, [e.value for e in at.exception])


@pytest.mark.parametrize("cfg", [RunConfig(cell="lstm"), RunConfig(cell="gru", weights="char-gru")])
def test_the_shared_cached_scene_cannot_be_changed_by_a_page(cfg):
    scene = cached_scene(cfg)
    assert cached_scene(cfg) is scene  # one object for every session, no copy
    arrays = [scene.trace.h, scene.trace.gates["f" if cfg.cell == "lstm" else "z"],
              scene.params.W_hh, scene.seq.x, scene.readout.W_hy]  # fmt: skip
    for a in arrays:
        with pytest.raises(ValueError, match="read-only"):
            a[0] = 1.0
