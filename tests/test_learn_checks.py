"""The right answer of every live check against an independent computation (torch), for
several seeds and settings; the answers change with the scene; grading and progress codes."""

import numpy as np
import pytest
import torch

from explainer import gradients
from explainer.cells import params_to_torch
from explainer.config import RunConfig
from explainer.learn import checks, path, progress
from explainer.scene import make_scene
from tests.torch_ref import jacobian_norm, run_cells

SEEDS = (0, 1, 2)
TORCH = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


def torch_states(scene) -> np.ndarray:
    """(T+1, H) hidden states by torch's own cell."""
    _, hs, _ = run_cells(scene.params, scene.seq.x)
    return np.stack([h.detach().numpy()[0] for h in hs])


def torch_gate(scene, row: int) -> np.ndarray:
    """(T, H) sigmoid gate number ``row`` of torch's stacked weights (LSTM f = 1, GRU z = 1),
    from torch's own hidden states."""
    cell = params_to_torch(scene.params)
    H = scene.params.hidden_size
    rows = slice(row * H, (row + 1) * H)
    h = torch.tensor(torch_states(scene)[:-1])
    x = torch.tensor(scene.seq.x)
    with torch.no_grad():
        a = x @ cell.weight_ih[rows].T + cell.bias_ih[rows] + h @ cell.weight_hh[rows].T
        return torch.sigmoid(a + cell.bias_hh[rows]).numpy()


def torch_count(kind: str, D: int, H: int) -> int:
    return sum(w.numel() for w in TORCH[kind](D, H).parameters())


def labels(q, indices) -> set[str]:
    return {q.options[k] for k in indices}


@pytest.mark.parametrize("seed", SEEDS)
def test_unrolled_checks_against_torch(seed):
    scene = make_scene(RunConfig(text="hello world, hello", hidden_size=6, seed=seed))
    h = torch_states(scene)
    for t, j in ((5, 0), (12, 3), (17, 5)):
        push, count = checks.questions("unrolled", scene=scene, t=t, j=j)
        moves = np.abs(np.diff(h[: t + 1, j]))
        assert set(push.right) == labels(push, np.flatnonzero(moves >= moves.max() - 1e-9))
        assert len(push.options) == t
        D = scene.params.input_size
        assert count.right == torch_count("rnn", D, 6)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_unrolled_count_follows_the_cell(cell):
    scene = make_scene(RunConfig(cell=cell, text="abcabc", hidden_size=5))
    found = checks.questions("unrolled", scene=scene, t=2, j=0)
    (count,) = [q for q in found if q.kind == "number"]
    assert count.right == torch_count(cell, scene.params.input_size, 5)


@pytest.mark.parametrize("seed", SEEDS)
def test_lstm_checks_against_torch(seed):
    # forget bias 3: some units saturate above 0.9, so the integrator question has an answer
    cfg = RunConfig(cell="lstm", hidden_size=8, seed=seed, forget_bias=3.0, source="sine",
                    seq_len=60)  # fmt: skip
    scene = make_scene(cfg)
    f = torch_gate(scene, 1)  # (T, H), rows i, f, g, o
    counts = (f > 0.9).sum(axis=0)
    for j in (0, 7):
        integrator, belt = checks.questions("lstm", scene=scene, t=3, j=j)
        best = np.flatnonzero(counts == counts.max())
        assert set(integrator.right) == {f"unit {u}" for u in best}
        keep = np.prod(f[:, j])
        assert belt.right == {checks.ABOVE if keep > 1e-3 else checks.BELOW}


def test_lstm_integrator_says_none_when_no_gate_saturates():
    scene = make_scene(RunConfig(cell="lstm", hidden_size=4, forget_bias=-5.0))
    integrator = checks.lstm_integrator(scene)
    assert (torch_gate(scene, 1) <= 0.9).all()
    assert integrator.right == {integrator.options[-1]} and integrator.mark.answer == ()


@pytest.mark.parametrize("seed", SEEDS)
def test_gru_checks_against_torch(seed):
    scene = make_scene(RunConfig(cell="gru", hidden_size=8, seed=seed, text="the cat sat"))
    z = torch_gate(scene, 1)  # rows r, z, n
    for t in (1, 5, 10):
        keep, count = checks.questions("gru", scene=scene, t=t, j=0)
        assert set(keep.right) == {f"unit {u}" for u in np.flatnonzero(z[t - 1] >= z[t - 1].max())}
        assert count.right == torch_count("gru", scene.params.input_size, 8)


def gradient_questions(**settings):
    scene = make_scene(RunConfig(source="sine", **settings))
    jac = gradients.jacobian_norms(scene.params, scene.seq.x, trace=scene.trace)
    return scene, checks.questions("gradients", scene=scene, jac=jac)


@pytest.mark.parametrize(
    "settings",
    [
        dict(activation="linear", init="orthogonal", rho=0.9, seq_len=100, seed=0),
        dict(activation="linear", init="orthogonal", rho=0.95, seq_len=100, seed=1),
        dict(init="orthogonal", rho=1.5, seq_len=60, seed=2),
        dict(init="identity", rho=1.5, seq_len=60, seed=0),
        dict(cell="lstm", forget_bias=5.0, seq_len=80, seed=1),
    ],
)
def test_gradient_checks_against_torch(settings):
    scene, (threshold, regime) = gradient_questions(hidden_size=8, **settings)
    x, p = scene.seq.x, scene.params
    T = x.shape[0]
    if settings.get("activation") == "linear":  # torch has no linear RNN: the exact oracle
        rho = settings["rho"]  # W_hh = rho Q with Q orthogonal: ||dh_T/dh_t|| = rho^(T-t)
        assert np.allclose(p.W_hh @ p.W_hh.T, rho**2 * np.eye(8))
        at_1, rate = rho ** (T - 1), rho
    else:
        at_1, rate = jacobian_norm(p, x, 1), jacobian_norm(p, x, 0) ** (1 / T)
    assert threshold.right == {checks.BELOW if at_1 < 1e-3 else checks.ABOVE}
    low, high = gradients.RATE_BAND
    expected = "vanishing" if rate < low else "exploding" if rate > high else "stable"
    assert regime.right == {expected}


def test_gradient_answers_change_with_the_scene():
    """The issue's example: at rho = 0.9, T = 100 the linear RNN's gain 0.9^99 is below 1e-3;
    at rho = 1.1 it is above."""
    base = dict(activation="linear", init="orthogonal", seq_len=100, hidden_size=8)
    _, (below, vanishing) = gradient_questions(rho=0.9, **base)
    _, (above, exploding) = gradient_questions(rho=1.1, **base)
    assert below.right == {checks.BELOW} and above.right == {checks.ABOVE}
    assert 0.9**99 < 1e-3 < 1.1**99
    assert vanishing.right == {"vanishing"} and exploding.right == {"exploding"}


@pytest.mark.parametrize("seed", SEEDS)
def test_compare_checks_against_torch(seed):
    base = RunConfig(source="sine", seq_len=40, hidden_size=6, seed=seed, init="orthogonal",
                     rho=1.0)  # fmt: skip
    scenes = {k: make_scene(base.with_(cell=k)) for k in ("rnn", "lstm", "gru")}
    norms = {
        k: gradients.jacobian_norms(s.params, s.seq.x, trace=s.trace) for k, s in scenes.items()
    }
    reach, count = checks.questions("compare", scenes=scenes, norms=norms)
    gains = {k: jacobian_norm(s.params, s.seq.x, 0) for k, s in scenes.items()}
    best = max(gains, key=gains.get)
    assert checks.CELL_NAMES[best] in reach.right
    assert count.right == torch_count("lstm", scenes["lstm"].params.input_size, 6)


def test_grading_right_wrong_and_junk():
    scene = make_scene(RunConfig(cell="gru", hidden_size=4, text="abc"))
    keep, count = checks.questions("gru", scene=scene, t=1, j=0)
    right, wrong = next(iter(keep.right)), next(o for o in keep.options if o not in keep.right)
    assert checks.grade(keep, right) == (True, "Right.")
    assert checks.grade(keep, wrong) == (False, keep.hint)
    assert checks.grade(keep, None)[0] is None
    assert checks.grade(count, f"{count.right:,}")[0] is True  # thousands separators read
    assert checks.grade(count, str(count.right + 1)) == (False, count.hint)
    for junk in ("", "abc", "1e3", "-5", "١٢", "9" * 500, "💥"):
        ok, message = checks.grade(count, junk)
        assert ok is None and "nothing was checked" in message.lower()


def test_progress_code_round_trip_and_junk():
    p = progress.Progress().visit(2).visit(5).solve("gru.keep").solve("compare.params")
    code = progress.encode(p)
    assert len(code) == progress.LENGTH and progress.decode(code) == p
    assert progress.decode(" " + code.upper()[:4] + "-" + code[4:] + " ") == p
    flipped = code[:3] + ("0" if code[3] != "0" else "1") + code[4:]
    for junk, words in (("", "empty"), ("abc", "has 3 characters"), ("zzzzzzzzz", "0-9 and a-f"),
                        (flipped, "does not add up"), ("x" * 10_000, "characters")):  # fmt: skip
        with pytest.raises(progress.ProgressError, match=words):
            progress.decode(junk)


def test_progress_file_round_trip_and_junk():
    p = progress.Progress().visit(1).visit(8).solve("lstm.belt")
    data = progress.to_file(p).encode()
    assert len(data) < 100 and progress.from_file(data) == p
    assert progress.from_file(progress.encode(p).encode() + b"\n") == p  # the code alone
    flipped = data.replace(progress.encode(p).encode(), b"0" * progress.LENGTH)
    junk = ((b"\x89PNG\r\n\x1a\n\xff\xfe", "not text"), (b"{oops", "not valid JSON"),
            (b'{"code": 1}', 'no "progress"'), (b"[1, 2]", 'no "progress"'),
            (flipped, "does not add up"), (b" " * 5000, "5,000 bytes"), (b"", "empty"))  # fmt: skip
    for bad, words in junk:
        with pytest.raises(progress.ProgressError, match=words):
            progress.from_file(bad)


def test_path_stops_are_valid_scenes():
    assert len(path.PATH) == 8 and len(checks.CHECK_IDS) <= progress.MAX_CHECKS
    for stop in path.PATH:
        if stop.page in path.CONFIG_PAGES:
            cfg, notices = RunConfig.from_query(stop.query())
            assert not notices, notices
            make_scene(cfg)  # every stop's scene builds
        assert stop.look and stop.do and "?" in stop.question


def test_reveal_figures_mark_the_answer():
    import plotly.graph_objects as go

    from explainer.figures import learn as figs

    scene = make_scene(RunConfig(cell="lstm", hidden_size=6, forget_bias=3.0, source="sine"))
    for q in checks.questions("lstm", scene=scene, t=3, j=2):
        fig = go.Figure(figs.reveal(q.mark))  # plotly validates every property
        (answer,) = [tr for tr in fig.data if tr.name == "answer"]
        xs = [q.mark.labels[k] for k in q.mark.answer] if not q.mark.curve else list(q.mark.answer)
        assert list(answer.x) == xs and len(xs) >= 1
        assert q.mark.title in figs.reveal_alt(q.mark).text


def test_rings_on_the_page_figures_sit_on_the_answer():
    """A reveal's ring on the gradient curves sits at the asked step on the Jacobian curve, and
    a value a log axis cannot show (an overflow) gets no ring rather than a wrong one."""
    from explainer.figures import learn as figs

    scene, (threshold, regime) = gradient_questions(hidden_size=8, rho=0.9)
    jac = gradients.jacobian_norms(scene.params, scene.seq.x, trace=scene.trace)
    for q, step in ((threshold, 1), (regime, 0)):
        ring = figs.on_figure(q.mark)
        assert ring["name"] == "answer" and ring["x"] == [step]
        assert ring["y"] == pytest.approx([jac[step]])  # the page's curve plots jac itself
    overflow = checks.Mark("m", ("0", "1"), (float("inf"), 2.0), (0,), "y", log=True)
    assert figs.on_figure(overflow)["x"] == []


def test_boxes_on_the_page_heatmaps_sit_on_the_answer(monkeypatch):
    """The LSTM integrator's box spans the answer unit's row of the f heatmap; the unrolled
    push's box sits on the answer step in unit j's row of the memory heatmap. Both figures
    take the trace as they are (plotly validates) and the box shares the heatmap's axes."""
    import plotly.graph_objects as go

    from explainer.figures import gates as gate_figs
    from explainer.figures import learn as figs
    from explainer.figures import theme
    from explainer.figures.screens import UNROLLED_DEFAULT
    from explainer.figures.unrolled import unrolled_figure

    monkeypatch.setattr(theme, "VALIDATE", False)  # the pages' figures are validated elsewhere
    scene = make_scene(RunConfig(cell="lstm", hidden_size=6, forget_bias=3.0, source="sine"))
    q = checks.lstm_integrator(scene)
    panel = [name for name, _ in gate_figs.panels(scene.trace)].index("f") + 1
    box = figs.on_rows(q.mark, scene.trace.T, panel)
    spec = gate_figs.gate_heatmaps(scene.trace, scene.seq.labels, 1)
    f_map = spec["data"][panel - 1]
    assert (box["xaxis"], box["yaxis"]) == (f_map["xaxis"], f_map["yaxis"])
    assert np.array_equal(np.asarray(f_map["z"]), scene.trace.gates["f"].T.astype(np.float32))
    u, T = q.mark.answer[0], scene.trace.T
    assert box["y"][0] == u - 0.5 and box["x"][:2] == [0.5, T + 0.5]
    assert int(np.argmax((scene.trace.gates["f"] > 0.9).sum(axis=0))) == u
    go.Figure({"data": [box]})  # plotly validates the trace

    rnn = make_scene(RunConfig(hidden_size=5, seq_len=12))
    t, j = 9, 3
    q = checks.unrolled_push(rnn, t, j)
    box = figs.on_cells(q.mark, j, figs.UNROLLED_HEATMAP)
    fig = unrolled_figure(rnn, 1, j, UNROLLED_DEFAULT)
    (memory,) = [tr for tr in fig["data"] if tr.get("type") == "heatmap"]
    assert (box["xaxis"], box["yaxis"]) == (memory["xaxis"], memory["yaxis"])
    s = q.mark.answer[0] + 1  # the step that moved h[j] most, from the trace itself
    moves = np.abs(np.diff(rnn.trace.h[: t + 1, j]))
    assert s == int(np.argmax(moves)) + 1
    assert box["x"][:2] == [s - 0.5, s + 0.5] and box["y"][0] == j - 0.5
    go.Figure({"data": [box]})
