"""Claims the gradient and gate pages make in words, checked against computations (issue 8:
the regime rule, the forget-bias paths, the order of the product, the two sizes of W_hh, the
readout, clipping's global norm and Adam, parameter growth and gate saturation)."""

import ast
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from explainer import gradients, pretrained
from explainer.cells import activation_slope, n_params, params_to_torch
from explainer.config import RunConfig
from explainer.figures import gates as gate_figs
from explainer.gradients import RATE_BAND, jacobian_norms, jacobians, regime, step_rate
from explainer.initializers import init_params
from explainer.optim import Optimizer
from explainer.scenarios import GRADIENT_TIPS, SCENARIOS
from explainer.scene import make_scene
from explainer.ui import compare as ui_compare
from explainer.ui import gates as ui_gates
from explainer.ui import gradients as ui_grad

ROOT = Path(__file__).resolve().parents[1]
GRADIENTS_PAGE = ROOT / "pages" / "4_Gradients_through_time.py"


def run_of(cfg: RunConfig):
    scene = make_scene(cfg)
    return scene, jacobian_norms(scene.params, scene.seq.x, trace=scene.trace)


def page_constant(path: Path, name: str):
    """A module-level constant of a page, read without running streamlit."""
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise KeyError(name)


# item 2: the regime is a per-step rate, so it does not depend on T


def test_band_is_a_factor_100_in_100_steps():
    low, high = RATE_BAND
    assert low**100 == pytest.approx(1e-2) and high**100 == pytest.approx(1e2)
    assert low < 1 < high


@pytest.mark.parametrize("rho,label", [(0.9, "vanishing"), (1.0, "stable"), (1.1, "exploding")])
def test_linear_rnn_is_labelled_by_rho_at_every_length(rho, label):
    for T in (2, 10, 40, 100, 300):
        cfg = RunConfig(activation="linear", init="orthogonal", rho=rho, source="sine", seq_len=T)
        _, norms = run_of(cfg)
        assert step_rate(norms) == pytest.approx(rho, rel=1e-9)
        assert regime(norms) == label, T


def test_the_old_counterexamples_now_get_their_label():
    # tanh, orthogonal, rho = 1.5 at the default T: a gain of 77 was called stable
    _, norms = run_of(RunConfig(init="orthogonal", rho=1.5, source="sine"))
    assert norms[0] > 10 and regime(norms) == "exploding"
    for T in (40, 100):
        cfg = RunConfig(activation="linear", init="orthogonal", rho=0.9, source="sine", seq_len=T)
        assert regime(run_of(cfg)[1]) == "vanishing"


SETTINGS = [(k, n, s) for k, ss in GRADIENT_TIPS.items() for n, s in enumerate(ss)]


@pytest.mark.parametrize("key,n,setting", SETTINGS, ids=lambda v: str(v)[:30])
def test_every_tip_shows_the_regime_it_names_at_the_page_defaults(key, n, setting):
    cfg = setting.config()
    default = RunConfig()
    # the page's defaults, except what the tip sets
    for field in ("hidden_size", "seed", "weights", "text"):
        assert getattr(cfg, field) == getattr(default, field)
    scene, norms = run_of(cfg)
    # what the page's banner shows (overflow also when the loss or dL/dh overflow)
    assert ui_grad.analyse(scene, norms).regime == setting.regime


@pytest.mark.parametrize("scene", [s for s in SCENARIOS if s.regime], ids=lambda s: s.title)
def test_every_lecture_scene_regime_holds_and_is_the_rate_s(scene):
    _, norms = run_of(scene.config())
    assert regime(norms) == scene.regime
    if scene.regime in ("vanishing", "exploding"):
        rate = step_rate(norms)
        assert rate < RATE_BAND[0] if scene.regime == "vanishing" else rate > RATE_BAND[1]


def test_every_tip_names_only_computed_numbers():
    numbers = ui_grad.tip_numbers()
    for text, key in page_constant(GRADIENTS_PAGE, "TRY"):
        filled = ui_grad.fill(text, numbers)
        assert "«" not in filled
        assert key is None or key in GRADIENT_TIPS
        # the regime named in the text is the one the settings give
        for n, s in enumerate(GRADIENT_TIPS.get(key, ())):
            if f"«{key}{n}_regime»" in text:
                assert numbers[f"{key}{n}_regime"] == s.regime.upper()


def test_tanh_fixed_point_of_the_not_tight_tip():
    h = gradients.tanh_fixed_point(1.5)
    assert np.tanh(1.5 * h) == pytest.approx(h, abs=1e-12) and h > 0
    assert 1.5 * (1 - h * h) < 1
    # the identity run does settle there: the last states sit at +-h
    scene = make_scene(GRADIENT_TIPS["not_tight"][1].config())
    assert np.median(np.abs(scene.trace.h[-1])) == pytest.approx(h, rel=0.05)


# item 7: the LSTM's gain is not the cell path alone


def cell_route_by_autograd(p, x):
    """dh_T/dh_0 along h_0 -> c_1 -> ... -> c_T -> h_T: every gate after step 1 sees a
    detached h, and o_T is detached, so only the cell state carries h_0 forward."""
    cell = params_to_torch(p)
    H = p.hidden_size
    xs = torch.tensor(x)

    def h_T(h0):
        h, c = h0[None], torch.zeros(1, H, dtype=torch.float64)
        for k in range(len(x)):
            hin = h if k == 0 else h.detach()
            gates = cell.weight_ih @ xs[k] + cell.bias_ih + hin @ cell.weight_hh.T + cell.bias_hh
            i, f, g, o = gates.chunk(4, dim=-1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o).detach() * torch.tanh(c)
        return h[0]

    return torch.autograd.functional.jacobian(h_T, torch.zeros(H, dtype=torch.float64)).numpy()


def test_cell_route_matches_autograd():
    T, D, H = 15, 3, 5
    p = init_params("lstm", D, H, init="gaussian", rho=1.0, forget_bias=2.0, seed=4)
    x = np.random.default_rng(2).standard_normal((T, D))
    route = gradients.lstm_cell_route(p, gradients.unroll(p, x))
    np.testing.assert_allclose(route.jac, cell_route_by_autograd(p, x), rtol=1e-9, atol=1e-15)


def test_forget_bias_tip_the_cell_path_is_one_route_of_several():
    (_, b0), (_, b5) = (run_of(s.config()) for s in GRADIENT_TIPS["forget_bias"])
    s0, s5 = (make_scene(s.config()) for s in GRADIENT_TIPS["forget_bias"])
    r0, r5 = (gradients.lstm_cell_route(s.params, s.trace) for s in (s0, s5))
    # at b_f = 0 the cell route is 1e-12 of the gain: the other paths carry it
    assert r0.gain < 1e-6 * b0[0]
    # the cell-path product alone is far from the gain at both biases
    assert abs(np.log10(np.median(r0.keep) / b0[0])) > 2
    assert abs(np.log10(np.median(r5.keep) / b5[0])) > 2
    assert r0.entry == pytest.approx(r5.entry)  # c_0 = 0: f_1 cannot matter
    # and the label follows the rate: b_f = 5 is not vanishing
    assert regime(b0) == "vanishing" and regime(b5) == "stable"
    numbers = ui_grad.tip_numbers()
    assert numbers["forget_bias1_route"] == ui_grad.figs.sci(r5.gain)
    assert numbers["forget_bias0_gain"] == ui_grad.figs.sci(b0[0])


# item 8: sigma_max = 1 and tanh' <= 1 give only ||J|| <= 1; the fading needs tanh' < 1


def test_tanh_scene_fades_because_tanh_slope_is_below_one():
    scene = next(s for s in SCENARIOS if s.title == "Vanishing in a tanh RNN")
    run = make_scene(scene.config())
    p, tr = run.params, run.trace
    assert gradients.singular_values(p.W_hh)[0] == pytest.approx(1.0)
    slope = activation_slope(p.nonlinearity, tr.pre, tr.h[1:])  # (T, H)
    assert np.all(np.abs(tr.pre) > 0) and np.all(slope < 1)
    # each step's Jacobian is at most 1, and the product of slopes is what makes it fade
    steps = np.stack([slope[k][:, None] * p.W_hh for k in range(tr.T)])
    assert np.all(gradients.spectral_norms(steps) <= 1 + 1e-12)
    assert np.exp(np.log(slope.max(axis=1)).mean()) < 1
    assert "tanh' < 1" in scene.lesson


# item 10: which readout the loss uses


def test_loss_is_of_the_random_readout_or_the_trained_one():
    scene = make_scene(RunConfig())
    assert "random linear readout" in ui_grad.loss_words(scene)
    card = pretrained.available(kind="lstm", source="text")[0]
    trained = make_scene(RunConfig(cell="lstm", weights=card.name))
    model = pretrained.load(card.name)
    np.testing.assert_array_equal(trained.readout.W_hy, model.readout.W_hy)
    words = ui_grad.loss_words(trained)
    assert "random" not in words and "trained model's own readout" in words
    assert card.name in words
    # the page's L is the loss of that readout
    run = ui_grad.analyse(trained, jacobian_norms(trained.params, trained.seq.x))
    L, *_ = gradients.readout_loss(
        trained.trace, model.readout, trained.seq.target, trained.seq.loss, trained.seq.where
    )
    assert run.loss == pytest.approx(L)


# item 13: the product of Jacobians in its order


def test_jacobian_product_is_ordered_and_does_not_commute():
    T, t = 8, 2
    p = init_params("rnn", 2, 6, init="gaussian", rho=1.2, seed=1)
    x = np.random.default_rng(3).standard_normal((T, 2))
    tr = gradients.unroll(p, x)
    slope = activation_slope(p.nonlinearity, tr.pre, tr.h[1:])
    step = [None] + [slope[k - 1][:, None] * p.W_hh for k in range(1, T + 1)]  # dh_k/dh_{k-1}
    ordered, reversed_ = np.eye(6), np.eye(6)
    for k in range(T, t, -1):  # dh_T/dh_{T-1} ... dh_{t+1}/dh_t
        ordered = ordered @ step[k]
    for k in range(t + 1, T + 1):
        reversed_ = reversed_ @ step[k]
    np.testing.assert_allclose(ordered, jacobians(p, tr)[t], rtol=1e-10, atol=1e-14)
    assert not np.allclose(reversed_, ordered, rtol=1e-3)
    # the pages write the same order: dh_T/dh_{T-1} first, dh_{t+1}/dh_t last
    bptt = next(
        e
        for term, _, e in page_constant(ROOT / "explainer" / "learn" / "glossary.py", "GLOSSARY")
        if "BPTT" in term
    )
    for text in (page_constant(GRADIENTS_PAGE, "JACOBIAN"), bptt):
        rhs = text.split("=", 1)[1]
        assert r"\prod" not in rhs
        assert rhs.index(r"{\partial h_{T-1}}") < rhs.index(r"{\partial h_t}")


# item 14: spectral radius and sigma_max of this run, side by side


def test_gaussian_init_radius_near_rho_sigma_max_near_twice():
    scene = make_scene(RunConfig(init="gaussian", rho=1.0))
    ((radius, top),) = ui_grad.spectrum_numbers(scene).values()
    W = scene.params.W_hh
    assert radius == pytest.approx(np.abs(np.linalg.eigvals(W)).max())
    assert top == pytest.approx(np.linalg.svd(W, compute_uv=False)[0])
    assert 0.8 < radius < 1.2 and 1.7 < top < 2.3
    words = ui_grad.spectrum_words(scene)
    assert f"{radius:.3g}" in words and f"{top:.3g}" in words


def test_spectrum_numbers_cover_every_gate_block():
    scene = make_scene(RunConfig(cell="lstm"))
    assert set(ui_grad.spectrum_numbers(scene)) == set("ifgo")


# clipping: one global norm, and how it meets Adam


def test_app_clip_is_torch_clip_grad_norm_over_all_parameters():
    scene = make_scene(RunConfig(init="orthogonal", rho=2.5, source="sine", seq_len=30))
    run = ui_grad.analyse(scene, jacobian_norms(scene.params, scene.seq.x, trace=scene.trace))
    theta = 1.0
    tensors = []
    start = 0
    for _, shape in run.parts:
        size = int(np.prod(shape))
        t = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
        t.grad = torch.tensor(run.g[start : start + size].reshape(shape))
        tensors.append(t)
        start += size
    total = torch.nn.utils.clip_grad_norm_(tensors, theta)
    theirs = torch.cat([t.grad.ravel() for t in tensors]).numpy()
    assert float(total) == pytest.approx(np.linalg.norm(run.g))
    # torch divides by ||g|| + 1e-6: equal up to 1e-6 / ||g||
    np.testing.assert_allclose(gradients.clip_by_norm(run.g, theta), theirs, rtol=1e-7)
    # clipping each tensor on its own would give another vector, with another direction
    start, per_tensor = 0, []
    for _, shape in run.parts:
        size = int(np.prod(shape))
        per_tensor.append(gradients.clip_by_norm(run.g[start : start + size], theta))
        start += size
    assert gradients.cosine(np.concatenate(per_tensor), run.g) < 0.999
    words = ui_grad.global_norm_words(run, theta)
    assert f"{run.g.size:,}" in words and ui_grad.figs.sci(np.linalg.norm(run.g)) in words


def test_adam_steps_match_torch_and_ignore_the_scale():
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal(7) * s for s in (1, 1, 50, 1, 1)]
    w = torch.zeros(7, dtype=torch.float64, requires_grad=True)
    opt = Optimizer([w], "adam", lr=1e-3)
    steps = []
    for g in grads:
        before = w.detach().clone()
        w.grad = torch.tensor(g)
        opt.step()
        steps.append(float(torch.linalg.norm(w.detach() - before)))
    np.testing.assert_allclose(gradients.adam_update_norms(grads), steps, rtol=1e-9)
    one = gradients.adam_update_norms([grads[0]])[0]
    assert gradients.adam_update_norms([1e6 * grads[0]])[0] == pytest.approx(one, rel=1e-6)
    # a spike shrinks the later steps, clipped it does not
    u = grads[0] / np.linalg.norm(grads[0])
    raw = gradients.adam_update_norms([u] * 5 + [1e4 * u] + [u] * 5)
    clipped = gradients.adam_update_norms([u] * 6 + [u] * 5)
    assert raw[-1] < 0.5 * clipped[-1]


# item 6, 9 and the LSTM/GRU choice: parameter counts and saturation, computed


def torch_count(kind: str, D: int, H: int) -> int:
    module = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[kind](D, H)
    return sum(p.numel() for p in module.parameters())


def test_one_more_character_grows_each_count_by_G_H():
    scene = make_scene(RunConfig(cell="gru"))
    D, H = scene.params.input_size, scene.params.hidden_size
    grow = [torch_count(k, D + 1, H) - torch_count(k, D, H) for k in ("rnn", "gru", "lstm")]
    assert grow == [H, 3 * H, 4 * H] == [16, 48, 64]
    assert "16 / 48 / 64" in ui_gates.growth_words(scene)


def test_gru_has_three_quarters_of_the_lstm_parameters():
    scenes = {k: make_scene(RunConfig(cell=k)) for k in ("rnn", "lstm", "gru")}
    D, H = scenes["gru"].params.input_size, scenes["gru"].params.hidden_size
    ratio = torch_count("gru", D, H) / torch_count("lstm", D, H)
    assert ratio == n_params("gru", D, H) / n_params("lstm", D, H) == 0.75
    words = ui_compare.choice_words(scenes)
    assert f"{ratio:.2f}" in words and "Gers" in words


def test_bottom_left_corner_is_where_random_gates_sit():
    scene = make_scene(RunConfig(cell="lstm"))
    share = ui_gates.never_saturated_share(scene)
    tr = scene.trace
    direct = np.mean([((tr.gates[k] > 0.1) & (tr.gates[k] < 0.9)).all(axis=0) for k in "ifo"])
    assert share == pytest.approx(direct) == 1.0
    assert f"{share:.0%}" in ui_gates.corner_words(scene)
    # the LSTM page does not claim that the corner means "follows the input"
    assert "follow the input" not in (ROOT / "pages" / "2_LSTM_gates.py").read_text()
    assert gate_figs.SATURATING["lstm"] == ("i", "f", "o")


def test_tip_text_has_no_typed_regime_words():
    # the regimes a tip names come from «key_regime», never typed in
    for text, _ in page_constant(GRADIENTS_PAGE, "TRY"):
        assert not re.search(r"\b(VANISHING|STABLE|EXPLODING)\b", text)


def test_memory_formula_numbers_are_sigmoid_of_the_bias_to_the_50():
    text = ui_gates.memory_latex()
    for b, after in zip((0.0, 1.0, 5.0), (8.9e-16, 1.6e-7, 0.71), strict=True):
        value = float(torch.sigmoid(torch.tensor(b, dtype=torch.float64)) ** 50)
        assert value == pytest.approx(after, rel=0.02)
    assert r"8.9 \times 10^{-16}" in text and r"1.6 \times 10^{-7}" in text and "0.71" in text
