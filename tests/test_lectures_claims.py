"""Every scene of the shipped lectures: a valid link to a page that exists, and its claim holds.

Each scene's talking points make one claim; ``CLAIMS`` maps the scene's title to the test of it,
and a test fails when a shipped scene has no claim test.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from explainer import lectures, sweeps
from explainer.gradients import (
    clip_by_norm,
    cosine,
    forget_gate_products,
    jacobian_norms,
    pascanu_bound,
    regime,
    trace_gradients,
)
from explainer.scene import make_scene

ROOT = Path(__file__).resolve().parents[1]
SCENES = [(name, s) for name, lec in lectures.shipped().items() for s in lec.scenes]


def _ids(item):
    return f"{item[0]}:{item[1].title}"


def run(scene, **changes):
    return make_scene(scene.config().with_(**changes) if changes else scene.config())


def norms(r):
    return jacobian_norms(r.params, r.seq.x, trace=r.trace)


def n_params(r):
    p = r.params
    return sum(getattr(p, n).size for n in ("W_ih", "W_hh", "b_ih", "b_hh"))


def after_50(scene):
    return np.median(forget_gate_products(run(scene).trace)[-51])


def one_cell(scene):
    short, long = run(scene), run(scene, text=scene.params["text"] * 2)
    assert long.trace.T == 2 * short.trace.T + 1  # T = characters - 1
    assert n_params(short) == n_params(long)
    assert np.array_equal(short.trace.h, long.trace.h[: short.trace.T + 1])  # same cell, same start


def remembers(scene):
    text, t = scene.params["text"], int(scene.params["t"])
    other = text[4] + text[1:]  # same letters, another first one
    a, b = run(scene).trace.h[t], run(scene, text=other).trace.h[t]
    assert np.linalg.norm(a - b) > 1e-3


def any_length(scene):
    text = scene.params["text"]
    a, b = run(scene), run(scene, text=text + " " + text)
    assert a.params.W_ih.shape == b.params.W_ih.shape and n_params(a) == n_params(b)
    assert int(scene.params["t"]) <= a.trace.T


def conveyor(scene):
    tr = run(scene).trace
    g = tr.gates
    assert np.allclose(tr.c[1:], g["f"] * tr.c[:-1] + g["i"] * g["g"], atol=1e-12)
    assert abs(np.median(g["f"]) - 1 / (1 + np.exp(-1))) < 0.1


def integrator(scene):
    assert 0.5 < after_50(scene) < 0.9


def fades(scene):
    assert 1e-17 < after_50(scene) < 1e-13


def gru_blend(scene):
    tr = run(scene).trace
    z, n = tr.gates["z"], tr.gates["n"]
    assert np.allclose(tr.h[1:], (1 - z) * n + z * tr.h[:-1], atol=1e-12)


def regime_only(scene):
    pass  # the regime is checked for every scene that names one


def rnn_falls_fastest(scene):
    first = {c: norms(run(scene, cell=c))[0] for c in ("rnn", "lstm", "gru")}
    assert first["rnn"] < min(first["lstm"], first["gru"]), first


def _sweep():
    return json.loads((ROOT / "assets" / "sweeps" / "adding_sweep.json").read_text())


def gated_reach_further(scene):
    sw = _sweep()
    steps = min(sweeps.budgets(sw).values())
    rnn = sweeps.reach(sw, "rnn", steps) or 0
    assert (sweeps.reach(sw, "lstm", steps) or 0) > rnn
    assert (sweeps.reach(sw, "gru", steps) or 0) > rnn


def exactly_rho_power(scene):
    rho, nm = float(scene.params["rho"]), norms(run(scene))
    T = len(nm) - 1
    assert np.allclose(nm, rho ** np.arange(T, -1, -1.0), rtol=1e-9)


def under_pascanu_bound(scene):
    r = run(scene)
    nm, bound = norms(r), pascanu_bound(r.params, r.trace.T)
    assert np.all(nm <= bound * (1 + 1e-9))
    assert nm[0] < 1e-3 * bound[0]  # not tight: far below


def sigmoid_bound(scene):
    r = run(scene)
    nm, T = norms(r), r.trace.T
    assert np.all(nm <= (3.0 / 4.0) ** np.arange(T, -1, -1.0) * (1 + 1e-9))


def relu_grows(scene):
    nm = norms(run(scene))
    assert nm[0] > 1e6 and np.all(np.diff(nm) <= 1e-9 * nm[:-1])  # grows with distance


def clipping_keeps_direction(scene):
    r = run(scene)
    _, g = trace_gradients(r.params, r.trace, r.readout, r.seq.target, r.seq.loss, r.seq.where)
    theta = float(scene.params["clip"])
    w = g.W_hh.ravel()
    clipped = clip_by_norm(w, theta)
    assert np.linalg.norm(w) > theta
    assert np.isclose(np.linalg.norm(clipped), theta) and np.isclose(cosine(w, clipped), 1.0)


def overflows(scene):
    assert not np.all(np.isfinite(norms(run(scene))))


def lstm_keeps_but_not_at_bias_0(scene):
    assert regime(norms(run(scene, forget_bias=0.0))) == "vanishing"


CLAIMS = {
    "One cell, copied along the sequence": one_cell,
    "The hidden state remembers": remembers,
    "Same weights, any length": any_length,
    "LSTM: the cell state is a conveyor belt": conveyor,
    "Forget bias 5: an integrator": integrator,
    "Forget bias 0: memory fades": fades,
    "GRU: one gate blends old and new": gru_blend,
    "Gradients through time: a tanh RNN forgets": regime_only,
    "Gradients can explode too": regime_only,
    "The LSTM's gradient survives": lstm_keeps_but_not_at_bias_0,
    "Three cells, one long input": rnn_falls_fastest,
    "Trained on a memory task": gated_reach_further,
    "The length sweep": gated_reach_further,
    "Exactly rho^(T-t): a linear RNN": exactly_rho_power,
    "rho = 1: the knife edge": exactly_rho_power,
    "rho = 1.1: exploding": exactly_rho_power,
    "Pascanu's bound: tanh with sigma_max = 1": under_pascanu_bound,
    "Sigmoid: rho = 3 still vanishes": sigmoid_bound,
    "Exploding: ReLU with rho = 1.5": relu_grows,
    "Clipping: same direction, bounded length": clipping_keeps_direction,
    "Overflow as an event": overflows,
    "The same gradient through an LSTM": lstm_keeps_but_not_at_bias_0,
}


@pytest.mark.parametrize("item", SCENES, ids=_ids)
def test_scene_is_a_valid_link_with_a_tested_claim(item):
    _, scene = item
    assert (ROOT / scene.page).is_file()
    assert scene.title in CLAIMS, f"no claim test for {scene.title!r}"
    r = run(scene)
    assert r.trace.T >= int(scene.params.get("t", 1))
    CLAIMS[scene.title](scene)


@pytest.mark.parametrize("item", [i for i in SCENES if i[1].regime], ids=_ids)
def test_gradient_scene_shows_the_regime_it_claims(item):
    _, scene = item
    assert regime(norms(run(scene))) == scene.regime
