"""Learn mode in-process (AppTest): a student answers a live check, wrong and right answers
get different feedback, a reveal marks its figure, junk answers and junk codes get messages,
and progress survives page switches and a reload from the progress code."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explainer.config import RunConfig
from explainer.learn import checks, path, progress
from explainer.scene import make_scene
from tests.app_utils import array, chart

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parent.parent
GRU_STOP = 6  # the path's GRU stop
GRU = path.PATH[GRU_STOP - 1]


def texts(at: AppTest) -> str:
    found = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(found + [e.value for e in (*at.success, *at.warning, *at.info, *at.error)])


def live_keep_question() -> checks.Question:
    """The GRU stop's "which unit keeps most" check, computed from the stop's own scene."""
    cfg, _ = RunConfig.from_query(GRU.query())
    return checks.gru_keep(make_scene(cfg.with_(cell="gru")), t=int(GRU.scene.params["t"]))


@pytest.fixture(scope="module")
def on_the_path() -> AppTest:
    """Home, then the GRU stop of the path (one session for the whole story)."""
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=60).run()
    assert not at.exception
    at.switch_page(GRU.page)
    for key, value in GRU.query().items():
        at.query_params[key] = value
    at.query_params["learn"] = str(GRU_STOP)
    return at.run()


def test_strip_shows_the_stop_and_links_on(on_the_path):
    at = on_the_path
    assert not at.exception
    assert f"Learn {GRU_STOP}/{len(path.PATH)}:** {GRU.title}" in texts(at)
    assert at.session_state[progress_state()].visited == {GRU_STOP}


def has_chart(at: AppTest, key: str) -> bool:
    return any(c.proto.id.endswith(key) for c in at.get("plotly_chart"))


def progress_state() -> str:
    from explainer.ui import learn

    return learn.STATE


def test_wrong_then_right_then_reveal(on_the_path):
    at, q = on_the_path, live_keep_question()
    wrong = next(o for o in q.options if o not in q.right)
    right = next(o for o in q.options if o in q.right)
    reply = at.selectbox(key="learn_gru_keep_reply")
    reply.set_value(wrong)
    at.button(key="learn_gru_keep_check").click().run()
    assert not at.exception
    assert q.hint in texts(at) and f"Right: {q.answer_text}" not in texts(at)
    assert "gru.keep" not in at.session_state[progress_state()].solved
    assert not has_chart(at, "learn_gru_keep_figure")  # no reveal yet: no figure
    assert not rings(chart(at, "gates_keep"))  # nor a ring on the page's keep bars

    at.selectbox(key="learn_gru_keep_reply").set_value(right)
    at.button(key="learn_gru_keep_check").click().run()
    assert f"Right: {q.answer_text}" in texts(at) and q.explain in texts(at)
    assert "gru.keep" in at.session_state[progress_state()].solved
    fig = chart(at, "learn_gru_keep_figure")  # the reveal marks the answer on its figure
    marked = [tr for tr in fig["data"] if tr.get("name") == "answer"]
    assert marked and set(marked[0]["x"]) == set(q.right)
    # ...and on the page's own keep bars: a ring on the answer's unit, at its z_t
    (ring,) = rings(chart(at, "gates_keep"))
    answer = [int(o.split()[-1]) for o in q.right]
    assert list(array(ring["x"])) == answer
    assert list(array(ring["y"])) == pytest.approx([q.mark.values[u] for u in answer])
    # the strip's count moved with the right answer (the whole page reran, not just the check)
    assert "1 of 10 checks right" in texts(at)


def rings(fig: dict) -> list[dict]:
    return [tr for tr in fig["data"] if tr.get("name") == "answer"]


def test_junk_and_wrong_numbers_get_different_messages(on_the_path):
    at = on_the_path
    box = at.text_input(key="learn_gru_params_reply")
    box.input("forty-two")
    at.button(key="learn_gru_params_check").click().run()
    assert not at.exception and "nothing was checked" in texts(at).lower()
    at.text_input(key="learn_gru_params_reply").input("1")
    at.button(key="learn_gru_params_check").click().run()
    assert "Not quite" in texts(at) and "Count W_ih" in texts(at)
    at.button(key="learn_gru_params_reveal").click().run()
    assert "Answer:" in texts(at) and chart(at, "learn_gru_params_figure")


def test_progress_survives_a_page_switch_and_a_reload_from_its_code(on_the_path):
    at = on_the_path
    mine = at.session_state[progress_state()]
    assert "gru.keep" in mine.solved  # from the test before
    at.switch_page("Home.py").run()
    assert not at.exception
    assert f"✓ {GRU.title}" in texts(at) and f"{len(mine.solved)} of" in texts(at)

    # a new session (another day) from the code in the URL
    code = progress.encode(mine)
    again = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=60)
    again.query_params["progress"] = code
    again.run()
    assert not again.exception and again.session_state[progress_state()] == mine
    assert f"✓ {GRU.title}" in texts(again)


def test_junk_codes_and_links_get_messages_not_exceptions():
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=60)
    at.query_params["progress"] = "<script>"
    at.run()
    assert not at.exception
    assert "Ignored a value in the link: progress" in texts(at)
    box = at.text_input(key="learn_code_home")
    box.input("12345").run()
    assert "Not loaded" in texts(at) and "has 5 characters" in texts(at)
    good = progress.encode(progress.Progress().visit(3).solve("unrolled.params"))
    at.text_input(key="learn_code_home").input(good).run()
    assert "Loaded: 1 of 8 stops" in texts(at) and "✓ Weight sharing" in texts(at)

    # the same by file: a junk file gets a message, the downloadable file loads back
    assert at.get("download_button")  # the file to carry away, next to the code
    upload = at.get("file_uploader")[0]
    upload.set_value(("progress.json", b"\x00\xff junk", "application/json")).run()
    assert not at.exception and "Not loaded: the file is not text" in texts(at)
    saved = progress.Progress().visit(5).solve("lstm.belt")
    upload = at.get("file_uploader")[0]
    upload.set_value((progress.FILE_NAME, progress.to_file(saved).encode(), "application/json"))
    at.run()
    assert not at.exception and "✓ Weight sharing" in texts(at)  # kept, and added to:
    assert at.session_state[progress_state()].solved >= {"unrolled.params", "lstm.belt"}

    page = AppTest.from_file(str(ROOT / GRU.page), default_timeout=60)
    page.query_params["learn"] = "99"
    page.run()
    assert not page.exception and "learn='99' is not a stop from 1 to 8" in texts(page)


@pytest.mark.parametrize(
    "page", ["pages/7_Bidirectional_RNN.py", "pages/10_Flashcards_and_quiz.py"]
)
def test_a_progress_code_counts_on_a_page_off_the_path(page):
    """A page with no checks and no ``learn=`` still reads the link's code: a good one is added
    to the session's progress, a junk one gets the notice (never silently dropped)."""
    good = progress.Progress().visit(2).solve("unrolled.params")
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.query_params["progress"] = progress.encode(good)
    at.run()
    assert not at.exception and at.session_state[progress_state()] == good
    junk = AppTest.from_file(str(ROOT / page), default_timeout=60)
    junk.query_params["progress"] = "not-a-code"
    junk.run()
    assert not junk.exception
    assert "Ignored a value in the link: progress" in texts(junk)


def test_a_page_off_the_path_links_back_to_the_students_stop():
    """The sidebar's page menu leaves the path (its links carry no learn=): a student who has
    started it gets one link back to their stop; one who has not sees nothing of it."""
    at = AppTest.from_file(str(ROOT / "pages/7_Bidirectional_RNN.py"), default_timeout=60)
    at.run()
    assert not at.exception and "Back to the guided path" not in texts(at)
    at.session_state[progress_state()] = progress.Progress().visit(1).visit(3)
    at.run()
    assert f"Back to the guided path: stop 3 of {len(path.PATH)}, {path.PATH[2].title}" in texts(at)
