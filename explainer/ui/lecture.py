"""Lectures in the app: the lecture bar (scene k of n, previous/next), the speaker-notes view,
"save this scene to my lecture", and the Home page's list of lectures with an uploader.

A lecture's position is in the URL: ``?lecture=NAME&scene=7`` (NAME is a shipped lecture or a
``lectures.encode`` token), so a link or a slide can open scene 7. ``notes=1`` turns the page
into the speaker-notes view of that scene (open it in a second window).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import streamlit as st

from explainer import lectures
from explainer.ui import player, present, sidebar

CARRIED = ("present", "show", "theme", "notes")  # presenter flags kept from scene to scene
MINE = "my_lecture"  # session state: the lecture "save this scene" builds
AT = "_lecture_at"  # session state: the (lecture, scene) whose link the controls last took


def current() -> tuple[str, lectures.Lecture, int] | None:
    """(name, lecture, k) of the URL's lecture and scene (1-based), or None; a bad link gets
    a notice saying what the page did."""
    name = str(st.query_params.get("lecture", "")).strip()
    if not name:
        return None
    try:
        lec = _resolve(name)
    except lectures.LectureError as err:
        st.warning(f"Ignored a value in the link: lecture: {err}. Showing the page alone.")
        return None
    raw, n = str(st.query_params.get("scene", "1")), len(lec.scenes)
    k = int(raw) if raw.isdigit() else 0
    if not 1 <= k <= n:
        k = min(max(k, 1), n)
        st.warning(f"Ignored a value in the link: scene={raw[:20]!r} is not 1 to {n}; "
                   f"showing scene {k}.")  # fmt: skip
    return name, lec, k


@st.cache_resource(max_entries=64, show_spinner=False)
def _resolve(name: str) -> lectures.Lecture:
    return lectures.resolve(name)


def scene_query(name: str, lec: lectures.Lecture, k: int) -> dict[str, str]:
    """The query parameters that open scene k (1-based) of a lecture: the scene's own (every
    other control starts at its default, ``enter``), the presenter flags kept."""
    scene = lec.scenes[k - 1]
    carried = {f: str(st.query_params[f]) for f in CARRIED if f in st.query_params}
    return {**scene.params, **carried, "lecture": name, "scene": str(k)}


def enter(name: str, lec: lectures.Lecture, k: int) -> None:
    """Arriving at a scene (a link, a key, a reload): every control takes the link's value,
    else the scene's (a control of the page before, bound to the URL, can drop a value from
    the address before this runs), else its default, never one the session kept from the
    scene before; later runs of the same scene keep what the lecturer changes."""
    if st.session_state.get(AT) == (name, k):
        return
    st.session_state[AT] = (name, k)
    sidebar.take_link({**lec.scenes[k - 1].params, **st.query_params.to_dict()})


def lecture_bar() -> None:
    """Scene k of n with previous/next, at the top of a page opened from a lecture; the notes
    view instead of the page when the URL says notes=1."""
    found = current()
    if found is None:
        st.session_state.pop(AT, None)
        st.session_state.pop(player.LECTURE_KEY, None)
        return
    name, lec, k = found
    scene, n = lec.scenes[k - 1], len(lec.scenes)
    enter(name, lec, k)
    st.session_state[player.LECTURE_KEY] = {"previous": k > 1, "next": k < n}
    with st.container(key="lecture_bar"):
        left, middle, right = st.columns([2, 7, 2], vertical_alignment="center")
        # links, not buttons: switching pages with settings bound to widgets must go through
        # the URL (st.switch_page cannot set a bound query parameter); the keys follow them
        if k > 1:
            _link(left, "previous", name, lec, k - 1)
        middle.markdown(f"**{lec.title}** · scene {k} of {n}: {scene.title}")
        if k < n:
            _link(right, "next", name, lec, k + 1)
    if str(st.query_params.get("notes", "")) == "1":
        notes_view(lec, k)
        st.stop()
    if present.presenting() and present.shown("notes"):
        _notes(scene)


LINKS = {  # where -> label, icon
    "previous": ("Previous", ":material/skip_previous:"),
    "next": ("Next scene", ":material/skip_next:"),
}


def _link(where, to: str, name: str, lec: lectures.Lecture, k: int) -> None:
    (label, icon), page = LINKS[to], lec.scenes[k - 1].page
    box = where.container(key=f"lecture_{to}")  # presenter_keys.js finds the link by this key
    scene_page_link(box, page, scene_query(name, lec, k), label, icon)


def scene_page_link(where, page: str, query: dict, label: str, icon: str) -> None:
    """A link to ``page`` with ``query`` (a scene's settings): a page link in the app, a plain
    link when the page runs on its own (tests). The learn path's strip uses it too."""
    try:
        where.page_link(page, label=label, query_params=query, icon=icon)
    except (st.errors.StreamlitAPIException, st.errors.StreamlitPageNotFoundError):
        # a page run on its own (tests): a plain link
        name = "" if page == "Home.py" else lectures.page_name(page)
        where.markdown(f"[{label}](./{name}?{urlencode(query)})")


def _notes(scene: lectures.Scene) -> None:
    with st.container(key="lecture_notes", border=True):
        st.markdown("\n".join(f"- {_plain(n)}" for n in scene.notes) or "No talking points.")


def _plain(text: str) -> str:
    """Talking points are plain text: markdown and LaTeX characters are shown as typed."""
    return re.sub(r"([\\`*_{}\[\]()<>#+!|$~^-])", r"\\\1", text)


def notes_view(lec: lectures.Lecture, k: int) -> None:
    """The speaker notes of scene k and what comes next (the page itself is not drawn)."""
    scene = lec.scenes[k - 1]
    st.subheader(f"Speaker notes: {scene.title}")
    _notes(scene)
    with st.container(key="lecture_next_up"):  # shown even where captions are hidden
        if k < len(lec.scenes):
            st.markdown(f"Next: scene {k + 1}, {_plain(lec.scenes[k].title)}")
        else:
            st.markdown("This is the lecture's last scene.")


def _this_page() -> str | None:
    path = (st.context.url or "").split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    return lectures.pages().get(path)


def save_scene() -> None:
    """A sidebar button that adds this page and its settings to the student's or lecturer's
    own lecture, with the file to download and a link that opens it."""
    page = _this_page()
    if page is None:
        return
    mine: lectures.Lecture | None = st.session_state.get(MINE)
    if st.button("Save this scene to my lecture", icon=":material/playlist_add:",
                 key="lecture_save", width="stretch"):  # fmt: skip
        keep = lectures.RUN_PARAMS + lectures.VIEW_PARAMS
        params = {k: str(v) for k, v in st.query_params.to_dict().items() if k in keep}
        count = len(mine.scenes) + 1 if mine else 1
        scene = lectures.Scene(f"Scene {count}: {lectures.page_name(page).replace('_', ' ')}",
                               page, params)  # fmt: skip
        mine = lectures.with_scene(mine, scene)
        st.session_state[MINE] = mine
    if mine:
        _my_lecture(mine)


def _my_lecture(mine: lectures.Lecture) -> None:
    n = len(mine.scenes)
    st.caption(f"My lecture: {n} scene{'s' * (n > 1)}. Edit titles and notes in the file.")
    toml = lectures.to_toml(mine)
    st.download_button("Download my lecture (TOML)", toml, "my-lecture.toml",
                       mime="application/toml", key="lecture_download",
                       width="stretch")  # fmt: skip
    token = lectures.encode(mine)
    first = mine.scenes[0]
    base = (st.context.url or "").split("?")[0].rsplit("/", 1)[0]
    url = f"{base}/{first.page_name}?{urlencode({**first.params, 'lecture': token, 'scene': 1})}"
    with st.popover("Link to my lecture", icon=":material/link:", width="stretch"):
        st.code(url, language=None, wrap_lines=True)


def lectures_panel() -> None:
    """Home: the shipped lectures, each a link to its first scene in presenter view, and an
    uploader for a lecture of one's own."""
    st.header("Lectures")
    st.markdown(
        "Scripted sequences of scenes to give from a clicker: **PageDown** steps t and, at the "
        "end, moves to the next scene. Add `&notes=1` to a lecture link for the speaker notes "
        "in a second window."
    )
    shipped = lectures.shipped()
    columns = st.columns(max(len(shipped), 1), gap="medium")
    for col, (name, lec) in zip(columns, shipped.items(), strict=False):
        with col.container(border=True):
            query = {**lec.scenes[0].params, "lecture": name, "scene": "1", "present": "1"}
            st.page_link(lec.scenes[0].page, label=f"**{lec.title}**", query_params=query,
                         icon=":material/co_present:")  # fmt: skip
            st.caption(f"{len(lec.scenes)} scenes. {lec.description}")
    upload = st.file_uploader(
        "Your own lecture (a TOML or JSON file; the format is in assets/lectures/README.md)",
        type=["toml", "json"],
        key="lecture_upload",
    )
    if upload is not None:
        try:
            lec = lectures.load_bytes(upload.getvalue(), upload.name)
        except lectures.LectureError as err:
            problems = "\n".join(f"- {p}" for p in err.problems[:12])
            st.error(f"This lecture file was not loaded:\n\n{problems}", icon=":material/block:")
            return
        query = {**lec.scenes[0].params, "lecture": lectures.encode(lec), "scene": "1",
                 "present": "1"}  # fmt: skip
        st.page_link(lec.scenes[0].page, label=f"**{lec.title}**: {len(lec.scenes)} scenes",
                     query_params=query, icon=":material/co_present:")  # fmt: skip
