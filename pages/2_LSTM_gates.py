"""LSTM gates: what the forget, input and output gates do to the cell state, step by step."""

from explainer import ui
from explainer.ui import gates, learn

INTRO = (
    "An LSTM carries two states. The **cell state c** is a conveyor belt of memory; the "
    "**hidden state h** is what the cell shows at each step. Three gates between 0 and 1 decide "
    "what the belt **forgets** (f), what gets **written** onto it (i, with the candidate g) and "
    "what is **read** off it (o)."
)

ui.page_header("LSTM gates")
cfg = ui.sidebar_config(cell="lstm", extras=("forget_bias",), weights_default="char-lstm")
scene = ui.scene_or_stop(cfg)
t, j = gates.step_and_unit(scene)

with gates.beside(
    "**Every gate of every unit at every step.** Rows are units, columns are steps, labelled "
    "with the input; the white box is step t. Press **▶ Play** to sweep it.\n\n"
    "Gates run from 0 (shut, dark) to 1 (open, yellow). The candidate g, the cell state c and "
    "the hidden state h are signed: blue below zero, orange above.\n\n"
    "Rows that keep one colour belong to units that ignore the input."
):
    gates.gate_heatmaps(scene, t, learn.marks_on_figure("lstm", scene=scene, t=t, j=j))
ui.explain(INTRO)
learn.checks_for("lstm", scene=scene, t=t, j=j)

with gates.beside(
    f"**The conveyor belt of unit j = {j}.** At each step the forget gate keeps part of the "
    "old memory (orange bar, $f_t c_{t-1}$) and the input gate writes something new "
    "(blue bar, $i_t g_t$). Together they make the new memory $c_t$, the yellow line.\n\n"
    "Below, the output gate reads the belt: $h_t = o_t \\tanh(c_t)$. When $o$ is near 0 the unit "
    "keeps its memory to itself."
):
    gates.cell_belt(scene, t, j)

saturation, memory = gates.pair()
with saturation:
    gates.saturation(
        scene,
        j,
        note="**Shut, open, or listening?** One marker per gate and unit: how often it is "
        "below 0.1 (shut) and above 0.9 (wide open) in this sequence. A forget gate high on the "
        "left edge is nearly always open: an **integrator** that keeps adding to its memory. "
        + gates.corner_words(scene),
    )
with memory:
    gates.forget_memory(
        scene,
        j,
        note="**How long can the belt remember?** Along the cell state alone, the gradient is "
        "the product of the forget gates on the way. Gates near 0.5 halve it at every step, "
        "gates near 1 let it travel far. Grey: what a forget bias $b_f$ alone gives. With "
        "random weights, move **Forget-gate bias b_f** in the sidebar and watch the orange "
        "curves follow.",
    )

ui.live_equations(scene.params, scene.trace, t, j)
ui.conventions("lstm")
ui.what_to_try(
    [
        (
            "With **random weights**, set the **forget bias to 0** and watch $c_t$ fade on the "
            "conveyor belt: each step keeps about half of the memory.",
            "Random weights, forget bias 0",
            gates.random_weights(forget_bias="0"),
        ),
        (
            "Set it to **5**: the forget gates sit near 1, $c_t$ piles up step after step and "
            "the memory curve stays near 1 for 50 steps and more.",
            "Random weights, forget bias 5",
            gates.random_weights(forget_bias="5"),
        ),
        "Find a unit whose forget gate sits near 1 (top left of the saturation plot): an "
        "**integrator**. Pick it with the unit slider and follow its belt.",
        "Press **Play** on the time cursor (or Space) and watch which units react to spaces (␣) "
        "and dots.",
        (
            "Type a long text, or take random weights with **H = 64**, and compare the memory "
            "curves of a few units.",
            "Random weights, H = 64",
            gates.random_weights(hidden_size=64),
        ),
    ]
)
ui.scene_link()
