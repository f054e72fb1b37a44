"""Vanishing and exploding gradients: norms back through time, W_hh's spectrum, clipping."""

import streamlit as st

from explainer import ui
from explainer.ui import gradients as grad
from explainer.ui import learn

INTRO = (
    "Backprop through time multiplies one Jacobian per step. Over many steps the product "
    "**shrinks to nothing** (vanishing) or **blows up** (exploding). Below, both are measured "
    "on this run, on a log scale, where a fixed factor per step is a straight line. The label "
    "is judged on that **factor per step**, not on the end-to-end gain, which grows or shrinks "
    "with T."
)
CURVES = (
    "**White**: how hard the loss pulls on $h_t$. **Coloured**: how much a nudge to "
    "$h_t$ still moves the last state $h_T$. Left is earlier in time: backprop reads the "
    "plot from right to left. **▶ Play** moves the cursor through the steps.\n\n"
    "Matrices do not commute: the product is taken in this order, the last step's Jacobian "
    "on the left."
)
JACOBIAN = (
    r"\frac{\partial h_T}{\partial h_t} = \frac{\partial h_T}{\partial h_{T-1}}"
    r" \frac{\partial h_{T-1}}{\partial h_{T-2}} \cdots \frac{\partial h_{t+1}}{\partial h_t}"
)
STEP = (
    r"\frac{\partial h_k}{\partial h_{k-1}}"
    r" = \operatorname{diag}\big(\operatorname{act}'(a_k)\big)\, W_{hh}"
)
BOUND = (
    r"\Big\| \frac{\partial h_T}{\partial h_t} \Big\|"
    r" \le \big(\gamma\, \sigma_{\max}(W_{hh})\big)^{T-t} = \eta^{\,T-t}"
)
RATE = (
    r"\hat\eta = \Big\| \frac{\partial h_T}{\partial h_0} \Big\|^{1/T}"
    r" \quad \text{(rate per step, } \le \eta \text{)}"
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
REMEDIES = (
    "**Remedies that start at the weights.** If every step multiplies by about 1, nothing "
    "vanishes at the start of training. *Identity* init, $W_{hh} = I$ (the **IRNN**, Le, "
    "Jaitly & Hinton 2015, with ReLU), copies the state forward unchanged; *orthogonal* "
    r"$W_{hh} = Q$ keeps every length, $\|Q v\| = \|v\|$, and the **uRNN** (Arjovsky, Shah & "
    "Bengio 2016) keeps $W_{hh}$ unitary during training too. The activation still counts: "
    "tanh′ < 1 wherever a unit is away from 0. Try the buttons in *What to try* below."
)
CLIPPING = (
    "Clipping tames **exploding** gradients, not vanishing ones: it can only shrink g. "
    "**Norm clipping** (Pascanu et al., Alg. 1): if ‖g‖ ≥ θ, g ← θ g / ‖g‖, same direction "
    "(cosine 1); they used θ = 1 and suggest ½ to 10 times the average norm. "
    "**Element-wise clipping** (Karpathy's min-char-rnn clips every entry to [−5, 5]) cuts "
    "large entries one by one, so the direction can turn."
)
TRY = [
    (
        "**Exact slope:** activation *linear*, init *orthogonal*, input *sine*: ρ = 0.9, 1.0, "
        r"1.1. The Jacobian curve is exactly $\rho^{T-t}$, right on the bound, and the rate "
        "per step is ρ at every T: «slope0_regime», «slope1_regime», «slope2_regime».",
        "slope",
    ),
    (
        "**Not tight:** tanh, input sine, ρ = 1.5. With init *orthogonal* it explodes (rate "
        r"«not_tight0_rate» per step); with init *identity* ($\sigma_{\max}$ = 1.5 too) it "
        "vanishes (rate «not_tight1_rate»): each unit settles where h = tanh(1.5 h), at "
        "h = «fixed_h», and there 1.5 · tanh′ = «fixed_slope» < 1.",
        "not_tight",
    ),
    (
        r"**Sigmoid, ρ = 3** (orthogonal): $\sigma_{\max}$ > 1, yet «sigmoid0_regime» (rate "
        "«sigmoid0_rate»). Why? (for sigmoid γ = ¼: the threshold is 4, and the pink bound "
        "falls too).",
        "sigmoid",
    ),
    (
        "**Remedy at the weights:** input sine, T = 40. PyTorch's init: «remedy0_regime», "
        "rate «remedy0_rate» per step. Init *identity*, ρ = 1 (IRNN): «remedy1_regime», rate "
        "«remedy1_rate»: tanh′ < 1 still costs a little. Init *orthogonal*, ρ = 1, activation "
        "*linear*: «remedy2_regime», rate «remedy2_rate», lengths kept exactly, as in a uRNN.",
        "remedy",
    ),
    (
        "**LSTM forget bias:** cell LSTM, input sine, T = 200, forget bias 0 then 5. The gain "
        r"$\|\partial h_T/\partial h_0\|$ goes from «forget_bias0_gain» to «forget_bias1_gain» "
        "(rate «forget_bias0_rate» → «forget_bias1_rate»: «forget_bias0_regime» → "
        "«forget_bias1_regime»). The cell path alone, $\\prod f_k$, keeps a median "
        "«forget_bias0_keep» → «forget_bias1_keep» per unit, but it is one route of many: "
        r"$h_0$ enters the cell only through the step-1 gates ($\|\partial c_1/\partial h_0\|$"
        r" = «forget_bias0_entry» at both biases, as $c_0 = 0$) and $h_T$ reads it through"
        r" $o_T \tanh'(c_T)$ (median "
        "«forget_bias0_exit» → «forget_bias1_exit»: at b_f = 5 the cell state grows and "
        "saturates tanh). That route gives «forget_bias0_route» → «forget_bias1_route»; the "
        "paths that leave the cell through some $h_k$ and come back through the gates give "
        "«forget_bias0_others» → «forget_bias1_others».",
        "forget_bias",
    ),
    (
        "**Overflow:** activation *linear*, init *identity*, ρ = 4, input sine, T = 500. "
        "Then set θ: clipping cannot rescue an inf.",
        "overflow",
    ),
    (
        "**Clipping:** tanh, orthogonal, ρ = 2.5, input sine, T = 100, θ = 1 (rate "
        "«clipping0_rate» per step): compare the norms and the cosines of the two clippings.",
        "clipping",
    ),
    ("**Long T:** the slider goes to 500 for the generated inputs: pick *sine* or *adding*.", None),
]

ui.page_header("Vanishing and exploding gradients")
cfg = ui.sidebar_config(extras=("activation", "init", "rho", "forget_bias", "clip"))
scene = ui.scene_or_stop(cfg)
run = grad.gradient_run(cfg)

grad.overflow_notice(run)
grad.cursor_panel(cfg, run, scene, learn.marks_on_figure("gradients", scene=scene, jac=run.jac))
grad.regime_banner(run, scene)
ui.explain(INTRO)
learn.checks_for("gradients", scene=scene, jac=run.jac)
words, maths = st.columns([2, 3], gap="large", vertical_alignment="center")
with words:
    ui.explain(CURVES)
with maths:
    st.latex(JACOBIAN)
    st.latex(STEP)
    st.latex(BOUND)
    st.latex(RATE)

st.header("Why: the singular values of $W_{hh}$")
chart, side = st.columns([3, 2], gap="large")
with chart:
    grad.spectrum_chart(run, scene)
with side:
    ui.explain(SPECTRUM)
ui.explain(REMEDIES)

st.header("Gradient clipping")
grad.clipping_panel(run, cfg.clip)
ui.explain(CLIPPING)

grad.what_to_try(TRY)
