"""Deep links on every page: each notice about a link value names exactly the value the page
then uses (read back from the control and the session), for junk in every URL parameter; a
text pasted past the limit is cut with a note; trained weights show the model's own settings
and hide what cannot apply, and the tips that need random weights switch to them."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explainer import pretrained
from explainer.config import MAX_TEXT, link_text
from explainer.ui import screen
from tests.app_utils import bar_data

pytestmark = pytest.mark.app

REPO = Path(__file__).resolve().parent.parent
LONG = "the quick brown fox jumps over the lazy dog. " * 14  # 630 characters
# "key='raw' <why>; using <value>." or, for the step and unit, "key=raw <why>; using <value>."
NOTICE = re.compile(r"(?:changed: |^- )(\w+)=('(?:[^']*)'|\S+) (.*); using (.+)\.$", re.M)


def run(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / page), default_timeout=90)
    at.query_params = {k: str(v) for k, v in query.items()}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """What markdown shows of a text whose special characters are backslash-escaped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def notices(at: AppTest) -> dict[str, str]:
    """Each link notice of the page: key -> the value it says the page uses."""
    out = {}
    for w in at.warning:
        for m in NOTICE.finditer(shown(w.value)):
            out[m[1]] = m[4]
    return out


def in_use(at: AppTest, key: str):
    """The value the page runs with for ``key``: its control's, or the session's when the
    control is not shown on this page."""
    for kind in ("slider", "select_slider", "number_input", "selectbox", "radio", "text_area"):
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            return found[0].value
    return at.session_state[key]


def assert_notices_match(at: AppTest, query: dict, expected: set[str]) -> None:
    said = notices(at)
    assert set(said) == expected, ([w.value for w in at.warning], expected)
    for key, used in said.items():
        value = in_use(at, key)
        if used.startswith("its first "):
            n = int(used.split()[2])
            assert value == query[key][:n] and n == MAX_TEXT, (key, len(value))
        else:
            assert used == link_text(value), (key, used, value)


SIDEBAR_JUNK = [
    (
        "1_Unrolled_RNN.py",
        dict(
            hidden_size="1.5",
            seed="3.7",
            rho="9",
            init="bar",
            cell="xx",
            activation="foo",
            text=LONG,
            t="3.5",
            unit="abc",
            weights="nope",
        ),  # fmt: skip
        {
            "hidden_size",
            "seed",
            "rho",
            "init",
            "cell",
            "activation",
            "text",
            "t",
            "unit",
            "weights",
        },  # fmt: skip
    ),
    (
        "1_Unrolled_RNN.py",
        dict(source="sine", seq_len="2.5", t="999", unit="-2", hidden_size="500", seed="1e3"),
        {"seq_len", "t", "unit", "hidden_size"},
    ),
    (
        "1_Unrolled_RNN.py",
        dict(source="sine", seq_len="1", cell="lstm", forget_bias="0.5", rho="-1"),
        {"seq_len", "forget_bias", "rho"},
    ),
    (
        "4_Gradients_through_time.py",
        dict(clip="3", cell="lstm", forget_bias="7", hidden_size="0", source="nope", t="zz"),
        {"clip", "forget_bias", "hidden_size", "source", "t"},
    ),
    (
        "2_LSTM_gates.py",
        dict(
            weights="random",
            forget_bias="banana",
            hidden_size="500",
            seed="-3",
            t="zzz",
            unit="999",
        ),  # fmt: skip
        {"forget_bias", "hidden_size", "seed", "t", "unit"},
    ),
    ("3_GRU_gates.py", dict(weights="char-lstm", t="0", seed="2.5"), {"weights", "t", "seed"}),
    (
        "5_Compare_cells.py",
        dict(source="nonsense", seed="1e3", t="abc", rho="x"),
        {"source", "t", "rho"},
    ),  # fmt: skip
]


@pytest.mark.parametrize(
    "page, query, expected",
    SIDEBAR_JUNK,
    ids=[p[:-3] + str(i) for i, (p, *_) in enumerate(SIDEBAR_JUNK)],
)
def test_every_link_notice_names_the_value_the_page_uses(page, query, expected):
    at = run(page, **query)
    assert_notices_match(at, query, expected)
    # the run the screen reporter's first report starts keeps them on screen
    at.session_state[screen.REPORT_PENDING] = True
    at.run()
    assert_notices_match(at, query, expected)
    # a value that only changed its spelling is taken without a notice
    if query.get("seed") == "1e3":
        assert in_use(at, "seed") == 1000


def test_train_page_link_notices_name_the_values_used():
    query = dict(tr_hidden="12", tr_seed="3.7", tr_T_adding="7", tr_lr="5", tr_clip="2",
                 tr_opt="Momentum", tr_data_series="moon")  # fmt: skip
    at = AppTest.from_file(str(REPO / "pages" / "6_Train_and_compare.py"), default_timeout=90)
    at.query_params = query
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert_notices_match(at, query, set(query))
    assert (in_use(at, "tr_hidden"), in_use(at, "tr_seed"), in_use(at, "tr_T_adding")) == (
        32, 4, 10)  # fmt: skip


def test_a_text_past_the_limit_is_cut_with_a_note_and_runs():
    at = run("1_Unrolled_RNN.py", text="hello")
    at.text_area(key="text").input(LONG).run()
    assert not at.exception
    assert at.text_area(key="text").value == LONG[:MAX_TEXT]
    notes = " ".join(i.value for i in at.info)
    assert f"Your text has {len(LONG)} characters" in notes and f"first {MAX_TEXT}" in notes
    # the page runs the cut text: its chain has one step per character but the last
    assert bar_data(at)["T"] == MAX_TEXT - 1
    # the run the screen reporter's first report starts keeps the note on screen ...
    at.session_state[screen.REPORT_PENDING] = True
    at.run()
    assert at.text_area(key="text").value == LONG[:MAX_TEXT] and at.info
    # ... and any other run ends it, the cut text kept
    at.run()
    assert at.text_area(key="text").value == LONG[:MAX_TEXT] and not at.info


@pytest.mark.parametrize("page, model", [("2_LSTM_gates.py", "char-lstm"),
                                         ("3_GRU_gates.py", "char-gru")])  # fmt: skip
def test_trained_weights_show_the_model_settings_and_hide_the_rest(page, model):
    at = run(page, hidden_size="18", seed="42")
    card = pretrained.cards()[model]
    shown = at.slider(key="trained_H")
    assert shown.value == card.hidden_size == 32 and shown.disabled
    assert "hidden_size" not in {s.key for s in at.slider}
    assert not at.number_input, "the seed does nothing with trained weights and typed text"
    assert not at.select_slider, "nor does the forget bias"
    words = " ".join(c.value for c in at.sidebar.caption).lower()
    assert "trained at h = 32" in words and "the seed" in words
    # the link's H and seed are kept for pages where they apply
    assert at.session_state["hidden_size"] == 18 and at.session_state["seed"] == 42


def test_a_tip_button_switches_to_random_weights_with_its_settings():
    at = run("2_LSTM_gates.py")
    [button] = [b for b in at.button if b.label == "Random weights, forget bias 5"]
    button.click().run()
    assert not at.exception
    assert at.selectbox(key="weights").value == "random"
    assert at.select_slider(key="forget_bias").value == "5"
    assert at.slider(key="hidden_size").value == 16 and at.number_input(key="seed").value == 0
    # the run uses it: the memory panel's own curve is drawn for b_f = 5
    [memory] = [c for c in at.get("plotly_chart") if c.proto.id.endswith("gates_memory")]
    names = [d.get("name", "") for d in json.loads(memory.proto.spec)["data"]]
    assert any(n.startswith("σ(b") and n.endswith("b<sub>f</sub> = 5") for n in names), names
    at2 = run("3_GRU_gates.py")
    [add] = [b for b in at2.button if "add" in b.label]
    add.click().run()
    assert at2.text_area(key="text").value.endswith("!")
    assert at2.selectbox(key="weights").value == "random"


def test_the_unrolled_page_keeps_the_seed_for_sampling_with_trained_weights():
    at = run("1_Unrolled_RNN.py", weights="char-rnn", init="orthogonal")
    assert at.number_input(key="seed").value == 0
    assert "init" not in {s.key for s in at.selectbox} and "rho" not in {s.key for s in at.slider}


# markdown, HTML and LaTeX in link values: a notice shows them as typed
MARKUP = {"hidden_size": "<b>*2*</b>_$x$", "weights": "[*w*](u)_<i>~"}


def test_link_values_with_markup_are_shown_as_typed():
    at = run("1_Unrolled_RNN.py", **MARKUP)
    bodies = [w.value for w in at.warning]
    for key, raw in MARKUP.items():
        found = [b for b in bodies if repr(raw) in shown(b)]
        assert found, (key, bodies)
        # every character markdown would read is escaped, so nothing of it is rendered
        # every markup character escaped (an "_" inside a word, hidden_size, is not markup)
        unescaped = re.findall(
            r"(?<!\\)(?:[*<>$\[\]~]|(?<!\w)_|_(?!\w))", found[0].replace("\\\\", "")
        )
        assert unescaped == [], (key, found[0])
