"""Vanishing and exploding gradients: norms back through time, W_hh's spectrum, clipping."""

import streamlit as st

from explainer import ui
from explainer.ui import gradients as grad

INTRO = (
    "Backprop through time multiplies one Jacobian per step. Over many steps the product "
    "**shrinks to nothing** (vanishing) or **blows up** (exploding). Below, both are measured "
    "on this run, on a log scale, where a fixed factor per step is a straight line."
)
CURVES = (
    "**White**: how hard the loss pulls on $h_t$. **Coloured**: how much a nudge to "
    "$h_t$ still moves the last state $h_T$. Left is earlier in time: backprop reads the "
    "plot from right to left. **▶ Play** moves the cursor through the steps."
)
JACOBIAN = (
    r"\frac{\partial h_T}{\partial h_t} = \prod_{k=t+1}^{T}"
    r" \operatorname{diag}\big(\operatorname{act}'(a_k)\big)\, W_{hh}"
)
BOUND = (
    r"\Big\| \frac{\partial h_T}{\partial h_t} \Big\|"
    r" \le \big(\gamma\, \sigma_{\max}(W_{hh})\big)^{T-t} = \eta^{\,T-t}"
)
SPECTRUM = (
    "**Pascanu, Mikolov & Bengio (2013)**, arXiv:1211.5063: if |act′| ≤ γ, then "
    r"$\sigma_{\max}(W_{hh})$ < 1/γ is *sufficient* for vanishing, and "
    r"$\sigma_{\max}$ > 1/γ is *necessary* for exploding. γ = 1 for tanh, ReLU and linear, "
    "¼ for sigmoid (threshold 4).\n\n"
    "The bound is **not tight**: with ρ = 1.5 a tanh RNN can still vanish, because saturated "
    "units have a small tanh′ (try init *identity*). For LSTM and GRU the lines are only a "
    "guide: the cell state "
    r"($c_t = f_t \odot c_{t-1} + \dots$) and GRU's $z_t \odot h_{t-1}$ add a path "
    "whose gain the gates set, not $W_{hh}$."
)
CLIPPING = (
    "Clipping tames **exploding** gradients, not vanishing ones: it can only shrink g. "
    "**Norm clipping** (Pascanu et al., Alg. 1): if ‖g‖ ≥ θ, g ← θ g / ‖g‖, same direction "
    "(cosine 1); they used θ = 1 and suggest ½ to 10 times the average norm. "
    "**Element-wise clipping** (Karpathy's min-char-rnn clips every entry to [−5, 5]) cuts "
    "large entries one by one, so the direction can turn."
)
TRY = [
    "**Exact slope:** activation *linear*, init *orthogonal*, input *sine*: set ρ to 0.9, "
    r"1.0, 1.1. The Jacobian curve is exactly $\rho^{T-t}$, right on the bound.",
    "**Not tight:** tanh, input sine, ρ = 1.5. With init *orthogonal* it explodes; with init "
    r"*identity* ($\sigma_{\max}$ = 1.5 too) it vanishes: each unit settles where "
    "h = tanh(1.5 h), and there 1.5 · tanh′ ≈ 0.4 < 1.",
    r"**Sigmoid, ρ = 3** (orthogonal): $\sigma_{\max}$ > 1, yet still vanishing. Why? "
    "(for sigmoid γ = ¼: the threshold is 4, and the pink bound falls too).",
    "**LSTM forget bias:** cell LSTM, input sine, T = 200: forget bias 0, then 5. The gain "
    r"goes from about $10^{-45}$ to $10^{-3}$: the cell path keeps $\sigma(b_f)^k$ after k steps.",
    "**Overflow:** activation *linear*, init *identity*, ρ = 4, input sine, T = 500. "
    "Then set θ: clipping cannot rescue an inf.",
    "**Clipping:** tanh, orthogonal, ρ = 2.5, input sine, T = 100: set θ = 1 and compare the "
    "norms and the cosines of the two clippings.",
    "**Long T:** the slider goes to 500 for the generated inputs: pick *sine* or *adding*.",
]

ui.page_header("Vanishing and exploding gradients", INTRO)
cfg = ui.sidebar_config(extras=("activation", "init", "rho", "forget_bias", "clip"))
scene = ui.scene_or_stop(cfg)
run = grad.gradient_run(cfg)

grad.regime_banner(run, scene)
grad.overflow_notice(run)
grad.cursor_panel(cfg, run, scene)
words, maths = st.columns([2, 3], gap="large", vertical_alignment="center")
with words:
    ui.explain(CURVES)
with maths:
    st.latex(JACOBIAN)
    st.latex(BOUND)

st.header("Why: the singular values of $W_{hh}$")
chart, side = st.columns([3, 2], gap="large")
with chart:
    grad.spectrum_chart(run, scene)
with side:
    ui.explain(SPECTRUM)

st.header("Gradient clipping")
grad.clipping_panel(run, cfg.clip)
ui.explain(CLIPPING)

ui.what_to_try(TRY)
