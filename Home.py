"""Landing page of Unrolled: what an RNN is, the lesson path, a glossary and the conventions.

Run with `streamlit run Home.py`; the pages in pages/ are discovered by Streamlit.
"""

from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from explainer import ui
from explainer.learn.glossary import GLOSSARY
from explainer.ui import learn, lecture, screen
from explainer.ui.a11y import keyboard_scrollable_equations

HERE = Path(__file__).parent
PAGES_DIR = HERE / "pages"
# a local file, not a :material: icon, which the browser would fetch from Google's CDN
ICON = HERE / "assets" / "icon.png"

# one line per lesson, keyed by file name; pages not listed here still get a link
LESSONS = {
    "1_Unrolled_RNN.py": "Step a vanilla RNN through a sequence and watch its hidden state.",
    "2_LSTM_gates.py": "Forget, input and output gates decide what the cell state keeps.",
    "3_GRU_gates.py": "Update and reset gates blend old memory with the new input.",
    "4_Gradients_through_time.py": "Follow gradients back in time; watch them vanish or explode.",
    "5_Compare_cells.py": "RNN, LSTM and GRU side by side on the same input.",
    "6_Train_and_compare.py": "Train each cell on a memory task and compare what they learn.",
    "7_Bidirectional_RNN.py": "Read forwards and backwards: a tagger that needs the future.",
    "8_Sentiment_pipeline.py": "From words to a verdict: tokenise, pad, embed, LSTM, sigmoid.",
    "9_Sequence_to_sequence.py": "An encoder reads, a decoder writes: one context vector between.",
    "10_Flashcards_and_quiz.py": "Flashcards, misconception checks and a quiz on live models.",
}

INTRO = """
A **recurrent neural network** reads a sequence one step at a time, carrying a
**hidden state**: a short list of numbers that sums up what it has seen so far.

At every step the *same* weights mix the new input with the previous hidden state.

**Unrolling** draws that loop as a chain, one copy of the cell per step, so we can watch
the state change and follow the gradients back through time.
"""

# the unrolled chain, drawn with KaTeX so it needs no figure: each input drops into a copy
STEP = r"\overset{\substack{\displaystyle x_{%s} \\ \displaystyle \downarrow}}{\boxed{\text{cell}}}"
CHAIN = r" \rightarrow ".join(["h_0", STEP % 1, STEP % 2, r"\cdots", STEP % "T", "h_T"])
# a phone's width holds two cells
CHAIN_SHORT = r" \rightarrow ".join(["h_0", STEP % 1, r"\cdots", STEP % "T", "h_T"])


def lesson_files() -> list[Path]:
    """Pages present on disk, in Streamlit's order (numeric prefix first)."""

    def order(path: Path) -> tuple[int, str]:
        prefix = path.stem.split("_", 1)[0]
        return (int(prefix) if prefix.isdigit() else 10**6, path.stem)

    return sorted(PAGES_DIR.glob("*.py"), key=order)


def lesson_label(path: Path) -> str:
    number, _, title = path.stem.partition("_")
    return f"{number}. {title.replace('_', ' ')}" if number.isdigit() else path.stem


def cards(count: int, per_row: int = 3) -> Iterator:
    """Bordered containers laid out in rows, so cards line up row by row."""
    for start in range(0, count, per_row):
        for column in st.columns(per_row, gap="medium")[: count - start]:
            yield column.container(border=True)


def intro() -> None:
    phone = screen.current().size_class == "phone"
    left, right = st.columns(2, gap="large", vertical_alignment="center")
    with (left if phone else right).container(border=True):  # a phone: the chain first
        st.markdown("**Unrolled: one cell, reused at every step**")
        st.latex(CHAIN_SHORT if phone else CHAIN)
    (right if phone else left).markdown(INTRO)


def lesson_path() -> None:
    st.header("The lesson path")
    files = lesson_files()
    if not files:
        st.info("The lessons are on their way: no pages are installed yet.")
        return
    for path, card in zip(files, cards(len(files)), strict=True):
        with card:
            st.page_link(
                f"pages/{path.name}", label=f"**{lesson_label(path)}**", icon=":material/school:"
            )
            st.markdown(LESSONS.get(path.name, ""))


def glossary() -> None:
    st.header("Glossary")
    for term, words, equation in GLOSSARY:
        with st.container(border=True):
            left, right = st.columns([2, 3], gap="large", vertical_alignment="center")
            left.subheader(term)
            left.markdown(words)
            right.latex(equation)


st.set_page_config(page_title="Unrolled", page_icon=ICON, layout="wide")
keyboard_scrollable_equations()
screen.styles()
screen.report()

st.title("Unrolled")
# a tagline, not a heading: an h4 under the h1 skips two levels for screen readers
st.markdown("**Recurrent neural networks, one time step at a time**")
intro()
learn.home_entry()
lesson_path()
ui.lecture_scenes()
lecture.lectures_panel()
glossary()
ui.conventions()
