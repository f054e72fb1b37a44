"""A bare Streamlit page for the accessibility baseline (tests/test_browser_a11y.py): the
framework's elements this app uses, in their plainest form, none of the app's own code or
theme. Whatever axe-core reports here is Streamlit's (or plotly's), not the app's."""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Bare", layout="wide")
with st.sidebar:
    st.header("Sidebar")
    st.slider("A sidebar slider", 0, 10, 3)
    st.select_slider("A select slider", ["a", "b", "c"], value="b")
    st.selectbox("A select box", ["one", "two"])
    st.radio("A radio", ["x", "y"], horizontal=True)
    st.number_input("A number", 0, 10, 2)
st.title("A bare page")
st.markdown("Some **markdown** text.")
st.header("A header")
st.slider("A slider", 1, 40, 5)
left, right = st.columns(2)
left.metric("A metric", "42%", "+3 points", border=True, help="Help text.")
right.button("A primary button", type="primary")
st.latex(r"h_t = \tanh(W_{hh} h_{t-1} + W_{xh} x_t + b)")
fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[0.1, 0.5, 0.2], name="a line"))
st.plotly_chart(fig, alt="A line over three steps, peaking at 0.5 at step 2.")
with st.expander("A table", expanded=True):
    st.dataframe({"step": [1, 2, 3], "value": [0.1, 0.5, 0.2]}, hide_index=True, alt="A table")
with st.popover("A popover"):
    st.code("some code", language=None, wrap_lines=True)
tab1, tab2 = st.tabs(["First tab", "Second tab"])
tab1.text_area("A text area", "hello world")
tab2.text_input("A text input", "hello")
st.file_uploader("An uploader", type=["csv"])
st.progress(0.4, text="Progress")
st.info("An info box.")
st.caption("A caption.")
st.table({"a": [1, 2], "b": [3, 4]})
