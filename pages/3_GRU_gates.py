"""GRU gates: the update gate blends old memory with a new candidate, the reset gate decides
how much of the old state the candidate may see."""

from explainer import ui
from explainer.ui import gates, learn

INTRO = (
    "A GRU keeps a single state h. At each step it proposes a **candidate n**, and an **update "
    "gate z** decides, unit by unit, how much of the old state to keep and how much of the "
    "candidate to take. A **reset gate r** decides how much of the old state the candidate may "
    "look at. No separate cell state, one gate fewer than the LSTM."
)

ui.page_header("GRU gates")
cfg = ui.sidebar_config(cell="gru", weights_default="char-gru")
scene = ui.scene_or_stop(cfg)
t, j = gates.step_and_unit(scene)

with gates.beside(
    "**Every gate of every unit at every step.** Rows are units, columns are steps, labelled "
    "with the input; the white box is step t. Press **▶ Play** to sweep it.\n\n"
    "r and z run from 0 (dark) to 1 (yellow). The candidate n and the hidden state h are "
    "signed: blue below zero, orange above.\n\n"
    "Where z is yellow, h barely changes from one column to the next."
):
    gates.gate_heatmaps(scene, t)
ui.explain(INTRO)
learn.checks_for("gru", scene=scene, t=t, j=j)

with gates.beside(
    "**How much of the old state does each unit keep?** Bars: $z_t$ at step t, one per unit. "
    "White ticks: z averaged over the whole sequence.\n\n"
    "In PyTorch's convention a bar near 1 **keeps** $h_{t-1}$; a bar near 0 **replaces** it "
    "with the candidate $n_t$. Units with a high average are the slow, long-memory ones.\n\n"
    f"Unit j = {j} has a white outline."
):
    gates.keep_bars(scene, t, j, learn.marks_on_figure("gru", scene=scene, t=t, j=j))

counts, saturation = gates.pair()
with counts:
    gates.param_counts(
        scene,
        note="**Gates cost parameters.** Each gate (and the candidate) has its own input "
        "weights, recurrent weights and two biases: $HD + H^2 + 2H$ numbers. A vanilla RNN has "
        "one such block, a GRU three (r, z, n), an LSTM four (i, f, g, o). D is the size of "
        "one input (for text, the number of different characters), H the hidden units.",
    )
with saturation:
    gates.saturation(
        scene,
        j,
        note="**Shut, open, or listening?** How often each unit's r and z are below 0.1 or "
        "above 0.9. An update gate high on the left edge rarely lets new input in: that unit "
        "holds on to its state.",
    )

ui.live_equations(scene.params, scene.trace, t, j)
ui.conventions("gru")
ui.what_to_try(
    [
        "Press **Play** (or Space) and watch the bars: which units keep their state (z near 1) "
        "step after step, and which rewrite it at every character?",
        "Pick the unit with the highest average z and follow its row of h in the heatmap: "
        "it changes slowly.",
        (
            "With random weights, raise **H** to 64 and watch the parameter counts grow with H²; "
            "the ratio GRU : LSTM stays 3 : 4.",
            "Random weights, H = 64",
            gates.random_weights(hidden_size=64),
        ),
        (
            "With random weights, add a character the text does not have yet (say **!**): "
            + gates.growth_words(scene),
            "Random weights, add “!”",
            gates.new_char_settings(scene),
        ),
        "Compare the equations below with the LSTM page: one state, and z does the jobs of "
        "both f and i (keep $z$, write $1 - z$).",
    ]
)
ui.scene_link()
