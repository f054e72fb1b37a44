"""The Flashcards and quiz page under AppTest: turn a card, "again" brings it back after a few
cards; misconception checks give different feedback for right and wrong, with the core's
numbers; a quiz answered, checked and moved on to the end, with the right score and a review
that links each missed question to its scene; junk seeds and junk answers get a clear message."""

from pathlib import Path
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from explainer.learn import cards, quiz
from explainer.learn.misconceptions import MISCONCEPTIONS

pytestmark = pytest.mark.app

REPO = Path(__file__).resolve().parent.parent
PAGE = "pages/10_Flashcards_and_quiz.py"
BY_ID = {c.id: c for c in cards.all_cards()}


def run(**query) -> AppTest:
    """The page opened from Home (so its links to other pages are real page links)."""
    at = ok(AppTest.from_file(str(REPO / "Home.py"), default_timeout=60).run())
    at.switch_page(PAGE)
    for k, v in query.items():
        at.query_params[k] = v
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, key: str) -> AppTest:
    return ok(at.button(key=key).click().run())


def front(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.endswith("?"))


def seed_in_link(at: AppTest) -> str:
    v = at.query_params["seed"]
    return v[-1] if isinstance(v, list) else v


def links(at: AppTest) -> list[tuple[str, dict]]:
    return [(p.proto.page, {k: v[-1] for k, v in parse_qs(p.proto.query_string).items()})
            for p in at.get("page_link")]  # fmt: skip


def test_flashcards_turn_and_an_again_card_comes_back_after_the_gap():
    at = run(seed="3")
    deck = cards.deck(3)
    assert front(at) == BY_ID[deck[0]].front
    assert not at.get("plotly_chart")  # the back (and its figure) only once turned
    click(at, "cards_flip")
    back = BY_ID[deck[0]]
    assert any(back.back == m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 1
    click(at, "cards_again")
    seen = []
    for _ in range(cards.AGAIN_GAP):
        seen.append(front(at))
        click(at, "cards_flip")
        click(at, "cards_good")
    assert seen == [BY_ID[i].front for i in deck[1 : 1 + cards.AGAIN_GAP]]
    assert front(at) == back.front  # back after exactly AGAIN_GAP other cards
    assert any(m.value.startswith(f"**{cards.AGAIN_GAP} of {len(BY_ID)} cards done**")
               for m in at.markdown)  # fmt: skip


def test_misconceptions_right_and_wrong_feedback_with_live_numbers_and_a_scene():
    at = run()
    first, second = MISCONCEPTIONS[:2]
    click(at, f"mis_check_{first.id}")
    assert any("Pick True or False" in w.value for w in at.warning)
    at.radio(key=f"mis_pick_{first.id}").set_value("True")
    click(at, f"mis_check_{first.id}")
    at.radio(key=f"mis_pick_{second.id}").set_value("False")
    click(at, f"mis_check_{second.id}")
    wrong, right = at.error[0].value, at.success[0].value
    assert wrong.startswith("Not quite: it is false") and first.evidence().text in wrong
    assert right.startswith("Right: it is false") and second.evidence().text in right
    shown = {(page, tuple(sorted(q.items()))) for page, q in links(at)}
    for m in (first, second):
        stem = Path(m.page).stem.partition("_")[2]
        assert (stem, tuple(sorted(m.params.items()))) in shown


def answer(at: AppTest, q: quiz.Drawn, seed: int, right: bool) -> None:
    key = f"quiz_{seed}_{q.id}"
    if q.options:
        k = int(q.answer) if right else (int(q.answer) + 1) % len(q.options)
        at.radio(key=key).set_value(q.options[k])
    else:
        at.text_input(key=key).input(str(q.answer if right else q.answer + q.tolerance + 100))


def test_a_quiz_answered_checked_and_reviewed():
    seed = 5
    drawn = quiz.draw(quiz.bank(), seed)
    at = run(seed=str(seed))
    missed = []
    for k, q in enumerate(drawn):
        assert q.prompt in [m.value for m in at.markdown]
        right = k % 3 != 1
        answer(at, q, seed, right)
        click(at, "quiz_check")
        if right:
            assert at.success[-1].value.startswith(f"Right: {q.shown_answer}")
            assert not at.error
        else:
            feedback = at.error[-1].value
            assert feedback.startswith("Not quite") and q.hint in feedback
            assert (Path(q.page).stem.partition("_")[2], q.params) in links(at)
            missed.append(q)
        if q.detail:
            assert any(q.detail in c.value for c in at.caption)
        click(at, "quiz_next")
    assert [s.value for s in at.subheader] == [f"Your score: {len(drawn) - len(missed)} of "
                                               f"{len(drawn)}"]  # fmt: skip
    review = links(at)
    assert review[: len(missed)] == [(Path(q.page).stem.partition("_")[2], q.params)
                                     for q in missed]  # fmt: skip
    for q in missed:
        assert any(q.prompt in m.value and q.shown_answer in m.value for m in at.markdown)
    click(at, "quiz_new")
    assert seed_in_link(at) == str(seed + 1)
    assert f"**Quiz {seed + 1} · question 1 of" in " ".join(m.value for m in at.markdown)


def test_junk_seed_and_junk_answers_get_clear_messages():
    at = run(seed="abc")
    notice = " ".join(w.value for w in at.warning)
    assert "seed='abc' is not a number; using 0" in notice
    assert seed_in_link(at) == "0"
    drawn = quiz.draw(quiz.bank(), 0)
    click(at, "quiz_check") if drawn[0].options else None
    if drawn[0].options:
        assert any("Pick one of the options" in w.value for w in at.warning)
    for q in drawn:
        if not q.options:
            at.text_input(key=f"quiz_0_{q.id}").input("12 apples")
            click(at, "quiz_check")
            assert any("'12 apples' is not a number" in w.value for w in at.warning)
            assert at.button(key="quiz_check")  # nothing marked: still on the question
            assert not at.success and not at.error
            return
        answer(at, q, 0, True)
        click(at, "quiz_check")
        click(at, "quiz_next")
    pytest.fail("no number question in quiz 0")


def test_a_broken_quiz_file_is_named_and_the_page_keeps_working(tmp_path, monkeypatch):
    broken = tmp_path / "quiz.toml"
    broken.write_text(quiz.FILE.read_text().replace("answer = 0", "answer = 7", 1))
    monkeypatch.setattr(quiz, "FILE", broken)
    at = run(seed="123456")  # a seed no other test draws (the draw is cached per seed)
    message = " ".join(e.value for e in at.error)
    assert "The quiz is off" in message and "question 1 ('same-weights')" in message
    assert "field 'answer'" in message
    assert at.button(key="cards_flip")  # the flashcards still work


def test_card_and_quiz_clicks_rerun_only_their_fragment():
    """The flashcards and the quiz are st.fragment bodies (a click reruns that part alone),
    and each leaves its time for ``python -m explainer.bench learn``. AppTest always runs the
    whole page, so the wrapper is what can be checked in-process."""
    from explainer.ui import cards as ui_cards
    from explainer.ui import quiz as ui_quiz

    for panel in (ui_cards.flashcards, ui_quiz.quiz_panel):
        assert Path(panel.__code__.co_filename).name == "fragment.py", panel
    at = run(seed="3")
    assert ui_cards.TIMINGS["flashcards"] > 0 and ui_quiz.TIMINGS["quiz"] > 0
    click(at, "cards_flip")  # a card's click in a fragment still turns it
    assert at.button(key="cards_good")
