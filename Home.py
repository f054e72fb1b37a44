"""Landing page of Unrolled: what an RNN is, the lesson path, a glossary and the conventions.

Run with `streamlit run Home.py`; the pages in pages/ are discovered by Streamlit.
"""

from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from explainer import ui
from explainer.ui import lecture, screen
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

# (term, plain words, key equation)
GLOSSARY = [
    (
        "Hidden state",
        "The network's running memory: one vector, updated at every step.",
        r"h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})",
    ),
    (
        "Unrolling",
        "Redraw the loop as a chain of identical cells, one per time step, sharing weights.",
        r"h_T = f(\cdots f(f(h_0, x_1), x_2) \cdots, x_T)",
    ),
    (
        "Backprop through time (BPTT)",
        "Run the chain forwards, then send the error backwards through every step. The "
        "Jacobians multiply in order, the last step's on the left: matrices do not commute.",
        r"\frac{\partial h_T}{\partial h_t} = \frac{\partial h_T}{\partial h_{T-1}}"
        r" \cdots \frac{\partial h_{t+1}}{\partial h_t}",
    ),
    (
        "Gates",
        "Numbers between 0 and 1 that open or close a path: keep, write or show memory.",
        r"c_t = f_t \odot c_{t-1} + i_t \odot g_t",
    ),
    (
        "Vanishing / exploding gradients",
        "A long product of Jacobians shrinks to nothing or blows up; with tanh it is "
        "bounded by the largest singular value of the recurrent weights.",
        r"\left\| \frac{\partial h_T}{\partial h_t} \right\| \le \sigma_{\max}(W_{hh})^{\,T-t}",
    ),
]


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
lesson_path()
ui.lecture_scenes()
lecture.lectures_panel()
glossary()
ui.conventions()
