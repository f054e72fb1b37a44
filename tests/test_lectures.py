"""Lecture files: the format, clear errors on bad files (line and field), links, round trips."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer import lectures as L

GOOD = """title = "Mine"

[[scenes]]
title = "First"
page = "Unrolled_RNN"
notes = ["say this"]
params = { text = "hello", t = 3 }

[[scenes]]
title = "Second"
page = "pages/4_Gradients_through_time.py"
regime = "vanishing"

[scenes.params]
rho = 0.9
init = "orthogonal"
"""


def test_a_good_file_reads_into_scenes_with_pages_params_and_notes():
    lec = L.load_text(GOOD)
    assert lec.title == "Mine" and len(lec.scenes) == 2
    first, second = lec.scenes
    assert first.page == "pages/1_Unrolled_RNN.py" and first.params == {"text": "hello", "t": "3"}
    assert first.notes == ("say this",)
    assert second.page == "pages/4_Gradients_through_time.py" and second.regime == "vanishing"
    assert second.params == {"rho": "0.9", "init": "orthogonal"}
    assert second.config().rho == 0.9


@pytest.mark.parametrize(
    "old,new,line,field",
    [
        ('page = "Unrolled_RNN"', 'page = "Unroled"', 5, "field 'page'"),
        ("t = 3", "t = 0", 7, "params.t"),
        ("rho = 0.9", "rho = 9", 15, "params.rho"),
        ('init = "orthogonal"', 'init = "zeros"', 16, "params.init"),
        ('regime = "vanishing"', 'regime = "calm"', 12, "field 'regime'"),
        ('title = "Second"', "title = 2", 10, "field 'title'"),
        ('notes = ["say this"]', "notes = [1, 2]", 6, "field 'notes'"),
        ('notes = ["say this"]', 'color = "red"', 6, "field 'color'"),
    ],
)
def test_an_error_names_the_line_and_the_field(old, new, line, field):
    text = GOOD.replace(old, new)
    assert text != GOOD
    with pytest.raises(L.LectureError) as err:
        L.load_text(text)
    (problem,) = err.value.problems
    assert problem.line == line and field in str(problem), str(problem)
    assert f"line {line}" in str(err.value)


def test_a_syntax_error_names_its_line():
    with pytest.raises(L.LectureError, match="line 3"):
        L.load_text('title = "x"\n\n[[scenes]\n')
    with pytest.raises(L.LectureError, match="line 2.*not valid JSON"):
        L.load_text('{"title": "x",\n "scenes": [,]}', "json")


def test_json_scenes_get_their_own_lines():
    text = json.dumps(L.load_text(GOOD).to_dict(), indent=2).replace('"First"', "7")
    with pytest.raises(L.LectureError) as err:
        L.load_text(text, "json")
    (problem,) = err.value.problems
    assert "scene 1" in problem.where and text.splitlines()[problem.line - 1].strip().startswith(
        '"title": 7'
    )


def test_every_problem_is_listed_not_only_the_first():
    bad = GOOD.replace('page = "Unrolled_RNN"', 'page = "x"').replace("rho = 0.9", "rho = -1")
    with pytest.raises(L.LectureError) as err:
        L.load_text(bad)
    assert len(err.value.problems) == 2


def test_missing_title_and_empty_scenes_are_named():
    with pytest.raises(L.LectureError, match="field 'title': is missing"):
        L.load_text('[[scenes]]\ntitle = "a"\npage = "Home"\n'.replace("Home", "Unrolled_RNN"))
    with pytest.raises(L.LectureError, match="field 'scenes'"):
        L.load_text('title = "x"\nscenes = []\n')


@pytest.mark.parametrize("name", sorted(L.shipped()))
def test_shipped_lectures_round_trip_through_toml_json_and_links(name):
    lec = L.shipped()[name]
    assert 8 <= len(lec.scenes) <= 15
    assert L.load_text(L.to_toml(lec)) == lec
    assert L.load_text(L.to_json(lec), "json") == lec
    token = L.encode(lec)
    assert token.replace("-", "").replace("_", "").isalnum()  # URL-safe as it is
    assert L.decode(token) == lec and L.resolve(token) == lec and L.resolve(name) == lec
    assert all(s.notes for s in lec.scenes)


def test_a_damaged_link_says_so():
    token = L.encode(L.load_text(GOOD))
    for bad in (token[:-5], "z!!!", "zAAAA", "abc", token[:1] + "x" + token[2:]):
        with pytest.raises(L.LectureError, match="link"):
            L.resolve(bad)


def test_save_this_scene_appends_to_the_lecture():
    scene = L.Scene("Here", "pages/1_Unrolled_RNN.py", {"t": "4"})
    one = L.with_scene(None, scene)
    two = L.with_scene(one, scene)
    assert one.scenes == (scene,) and two.scenes == (scene, scene)
    assert L.load_text(L.to_toml(two)) == two


# -- junk: a clear LectureError, never another exception ---------------------------------------

toml_values = st.recursive(
    st.none().map(lambda _: '""')
    | st.integers(-(10**6), 10**6).map(str)
    | st.floats(allow_nan=False, allow_infinity=False).map(repr)
    | st.text(max_size=30).map(json.dumps)
    | st.booleans().map(lambda b: str(b).lower()),
    lambda inner: st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
    max_leaves=8,
)
keys = st.sampled_from(
    ["title", "page", "params", "notes", "regime", "t", "rho", "text", "x", "scenes"]
)
lines = st.one_of(
    st.tuples(keys, toml_values).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.sampled_from(["[[scenes]]", "[scenes.params]", "[scenes]", "[[scenes.params]]", ""]),
    st.text(max_size=40),
)


def _only_lecture_errors(text, fmt):
    try:
        lec = L.load_text(text, fmt)
    except L.LectureError as err:
        assert err.problems and str(err)
        for p in err.problems:
            assert p.line is None or 1 <= p.line <= max(1, len(text.splitlines()))
    else:
        assert lec.title and lec.scenes
        assert L.load_text(L.to_toml(lec)) == lec


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines, max_size=20))
def test_junk_toml_gets_a_clear_error(rows):
    _only_lecture_errors("\n".join(rows), "toml")


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(["title", "scenes", "page", "params", "notes", "t", "rho", "q"]),
                inner,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_junk_json_gets_a_clear_error(data):
    _only_lecture_errors(json.dumps(data), "json")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_junk_text_and_links_get_a_clear_error(text):
    _only_lecture_errors(text, "toml")
    _only_lecture_errors(text, "json")
    for token in (text, "z" + text):
        try:
            L.decode(token)
        except L.LectureError:
            pass


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_junk_uploads_get_a_clear_error(data):
    for name in ("a.toml", "a.json"):
        try:
            L.load_bytes(data, name)
        except L.LectureError:
            pass
