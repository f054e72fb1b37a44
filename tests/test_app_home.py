"""Home.py runs in-process under AppTest: no exception, title, glossary and conventions."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.app

REPO = Path(__file__).resolve().parent.parent
HOME = REPO / "Home.py"

GLOSSARY_TERMS = [
    "Hidden state",
    "Unrolling",
    "Backprop through time (BPTT)",
    "Gates",
    "Vanishing / exploding gradients",
]


@pytest.fixture
def home() -> AppTest:
    return AppTest.from_file(str(HOME), default_timeout=30).run()


def test_home_runs_without_exception(home):
    assert not home.exception, [e.value for e in home.exception]


def test_home_shows_title_and_lesson_path(home):
    assert [t.value for t in home.title] == ["Unrolled"]
    assert "The lesson path" in [h.value for h in home.header]


def test_home_links_every_page_on_disk(home):
    pages = sorted(p.stem.partition("_")[2] for p in (REPO / "pages").glob("*.py"))
    lessons = [link for link in home.get("page_link") if not link.proto.query_string]
    assert sorted(link.proto.page for link in lessons) == pages
    if not pages:
        assert "no pages" in home.info[0].value


def test_home_glossary_lists_every_term(home):
    assert "Glossary" in [h.value for h in home.header]
    assert [s.value for s in home.subheader] == GLOSSARY_TERMS


def test_home_shows_equations_and_conventions(home):
    latex = " ".join(e.value for e in home.latex)
    assert r"W_{hh} h_{t-1}" in latex
    assert r"(1 - z_t) \odot n_t + z_t \odot h_{t-1}" in latex
    labels = [e.label for e in home.expander]
    assert any("Conventions" in label for label in labels)


def test_every_page_runs_on_its_own():
    # a loop, not parametrize, so an empty pages/ is fine; each page starts from default state
    failures = {}
    for path in sorted((REPO / "pages").glob("*.py")):
        page = AppTest.from_file(str(path), default_timeout=30).run()
        if page.exception:
            failures[path.name] = [e.value for e in page.exception]
    assert not failures, failures


def test_home_lists_every_lecture_scene_as_a_deep_link(home):
    from urllib.parse import parse_qs

    from explainer.scenarios import SCENARIOS

    scenes = [link for link in home.get("page_link") if link.proto.query_string
              and "lecture=" not in link.proto.query_string
              and "learn=" not in link.proto.query_string]  # fmt: skip

    def key(page: str, query: dict) -> tuple:
        return page, tuple(sorted(query.items()))

    shown = {
        key(link.proto.page, {k: v[-1] for k, v in parse_qs(link.proto.query_string).items()})
        for link in scenes
    }
    wanted = {key(Path(s.page).stem.partition("_")[2], s.params) for s in SCENARIOS}
    assert len(scenes) == len(SCENARIOS) and shown == wanted
