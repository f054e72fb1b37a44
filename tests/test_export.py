"""Export for slides and handouts: scenes from links, slide styling, CSV, offline HTML, the
PyTorch snippet (run in a subprocess, against the app's numbers) and the CLI's zip."""

import csv
import io
import re
import subprocess
import sys
import zipfile

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from explainer import gradients, lectures
from explainer.export import bundle, images, slide
from explainer.export.html import offline_html
from explainer.export.panels import scene_panels
from explainer.export.scenes import ExportScene, from_url
from explainer.export.snippet import parse_output, torch_snippet
from explainer.figures import theme
from explainer.scene import make_scene

GRADIENTS = "pages/4_Gradients_through_time.py"
SMALL = {"source": "sine", "seq_len": "12", "hidden_size": "6", "t": "4"}


def font_sizes(spec) -> list[float]:
    """Every font size in a spec (lists of per-point sizes included)."""
    out = []
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k in ("font", "textfont", "tickfont") and isinstance(v, dict) and "size" in v:
                out += v["size"] if isinstance(v["size"], list) else [v["size"]]
            out += font_sizes(v)
    elif isinstance(spec, list):
        for v in spec:
            out += font_sizes(v)
    return out


def test_a_link_names_its_page_and_settings():
    s = from_url("http://127.0.0.1:8501/Gradients_through_time?rho=1.5&init=identity&t=40")
    assert s.page == GRADIENTS
    assert s.config().rho == 1.5 and s.config().init == "identity"
    assert s.view(200, 16) == (40, 0)
    lstm = from_url("http://h/LSTM_gates?weights=random")
    assert lstm.config().cell == "lstm"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://h/No_such_page", "no page named 'No_such_page'"),
        ("http://h/Gradients_through_time?rho=banana", "rho='banana'"),
        ("http://h/Gradients_through_time?t=x", "t='x' is not a whole number"),
        ("http://h/Gradients_through_time?t=999", "t=999 is outside 1 to 46"),
    ],
)
def test_junk_links_are_refused_with_the_reason(url, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        s = from_url(url)
        scene = make_scene(s.config())
        s.view(scene.trace.T, scene.trace.H)


def numbers_in(spec: dict) -> list[np.ndarray]:
    """Every x, y and z array the figure draws, at its opening step and in its frames."""
    traces = spec["data"] + [d for f in spec.get("frames", []) for d in f.get("data", [])]
    out = []
    for d in traces:
        for key in ("x", "y", "z"):
            if key in d:
                try:
                    out.append(np.asarray(d[key], dtype=float).ravel())
                except (TypeError, ValueError):
                    continue
    return out


# page 6-9: a link's settings, a CSV column the figure draws, and the step the export opens at
BEYOND = {
    "6_Train_and_compare": ({}, "T", -1),
    "7_Bidirectional_RNN": (
        {"cell": "lstm", "string": "ab) cd", "t": "3"},
        "belief_bidirectional",
        2,
    ),  # fmt: skip
    "8_Sentiment_pipeline": (
        {"review": "not boring at all", "length": "6", "t": "2"},
        "p_positive_masked",
        1,
    ),  # fmt: skip
    "9_Sequence_to_sequence": ({"s2s_in": "3141", "t": "6"}, "h[0]", 5),
}


@pytest.mark.parametrize("page", sorted(BEYOND))
def test_pages_6_to_9_export_their_scene_and_say_why_there_is_no_snippet(page):
    params, column, step = BEYOND[page]
    files, jobs = bundle.prepare(ExportScene("x", f"pages/{page}.py", params))
    panels = scene_panels(ExportScene("x", f"pages/{page}.py", params))[1]
    assert [p.step for p in panels][0] == step
    for p in panels:
        assert f"{p.name}.html" in files and f"{p.name}.csv" in files
        assert {f"{p.name}-{look}.{fmt}" for look in slide.THEMES for fmt in ("png", "svg")} <= set(
            jobs
        )
        for spec, _, width, height in jobs.values():
            assert (width, height) == (1920, 1080) and spec["layout"]["template"]
    why = files["run_in_pytorch.txt"].decode()
    assert "No PyTorch snippet" in why and ("trained" in why or "training" in why)
    assert "run_in_pytorch.py" not in files
    # the CSV holds the numbers the figure draws
    rows = list(csv.DictReader(io.StringIO(files[f"{panels[0].name}.csv"].decode())))
    values = np.array([float(r[column]) for r in rows if r[column] not in ("", "nan")])
    drawn = numbers_in(panels[0].spec)
    assert values.size and any(
        a.size and np.isin(np.round(values, 6), np.round(a, 6)).all() for a in drawn
    ), column


def test_a_page_link_with_junk_says_what_is_wrong():
    with pytest.raises(ValueError, match="cell='elman' is not one of rnn, lstm, gru"):
        scene_panels(ExportScene("x", "pages/7_Bidirectional_RNN.py", {"cell": "elman"}))
    with pytest.raises(ValueError, match="only the shipped model exports"):
        scene_panels(ExportScene("x", "pages/9_Sequence_to_sequence.py", {"s2s_model": "own"}))


@pytest.mark.parametrize("page", ["1_Unrolled_RNN", "2_LSTM_gates", "4_Gradients_through_time"])
@pytest.mark.parametrize("name", slide.THEMES)
def test_slides_are_1080p_with_projector_type_and_an_explicit_template(page, name):
    params = {**SMALL, "weights": "random"}
    _, panels = scene_panels(ExportScene("s", f"pages/{page}.py", params))
    spec = slide.for_slide(slide.still(panels[0].spec, panels[0].step), name)
    go.Figure(spec)  # plotly accepts every restyled property
    assert (spec["layout"]["width"], spec["layout"]["height"]) == (1920, 1080)
    sizes = font_sizes(spec)
    assert sizes and min(sizes) >= slide.MIN_FONT * slide.SCALE
    background = spec["layout"]["template"]["layout"]["paper_bgcolor"]
    assert background == ("#ffffff" if name == "light" else theme.BACKGROUND)
    assert "sliders" not in spec["layout"] and "frames" not in spec


def test_the_csv_holds_the_plotted_numbers_at_full_precision():
    s = ExportScene("s", GRADIENTS, SMALL)
    scene, panels = scene_panels(s)
    rows = bundle.tables.to_csv(panels[0].table).splitlines()
    header = rows[0].split(",")
    col = header.index("jacobian_norm_dhT_dht")
    got = np.array([float(r.split(",")[col]) for r in rows[1:]])
    want = gradients.jacobian_norms(scene.params, scene.seq.x, trace=scene.trace)
    np.testing.assert_array_equal(got, want)


def test_offline_html_inlines_plotly_and_brings_its_own_player():
    _, panels = scene_panels(ExportScene("s", GRADIENTS, SMALL))
    page = offline_html(panels[0].spec, panels[0].step, "a <scene>")
    assert "<title>a &lt;scene&gt;</title>" in page
    assert not re.search(r"<script[^>]+src=", page)  # nothing fetched: plotly.js is inline
    assert len(page) > 3_000_000  # plotly.js itself
    assert '"updatemenus"' in page and "Play" in page and "Plotly.addFrames" in page


CASES = [
    ("rnn", {"activation": "relu", "init": "identity", "rho": "1.5", "source": "sine"}),
    ("rnn", {"text": "hello there", "hidden_size": "5", "init": "orthogonal", "rho": "1.2"}),
    ("lstm", {"forget_bias": "1", "source": "adding", "hidden_size": "4"}),
    ("gru", {"source": "copy", "seq_len": "6", "hidden_size": "3", "seed": "7"}),
]


@pytest.mark.parametrize(("cell", "params"), CASES)
def test_the_pytorch_snippet_prints_the_apps_gradient_norms(cell, params):
    page = {"rnn": GRADIENTS, "lstm": "pages/2_LSTM_gates.py", "gru": "pages/3_GRU_gates.py"}
    s = ExportScene("s", page[cell], {"seq_len": "30", **params, "weights": "random"})
    cfg = s.config()
    scene = make_scene(cfg)
    want = gradients.jacobian_norms(scene.params, scene.seq.x, trace=scene.trace)
    run = subprocess.run(
        [sys.executable, "-c", torch_snippet(cfg, "test")], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-2000:]
    got = parse_output(run.stdout)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=0)
    assert want.max() / want.min() > 1.5  # the norms move: a wrong Jacobian would show


def test_trained_weights_get_a_note_instead_of_a_snippet():
    with pytest.raises(ValueError, match="trained model 'char-lstm'"):
        torch_snippet(ExportScene("s", "pages/2_LSTM_gates.py").config())


def fake_render(jobs):
    return [b"<svg/>" if fmt == "svg" else b"png" for _, fmt, _, _ in jobs]


def test_a_lecture_zip_has_every_scene_an_offline_index_and_the_notes(monkeypatch):
    monkeypatch.setattr(images, "render", fake_render)
    scenes = (
        ExportScene("First & one", GRADIENTS, SMALL, "Say <this>."),
        ExportScene("Second", "pages/5_Compare_cells.py", SMALL, "- Then that.\n- And so."),
        ExportScene("Trained", "pages/6_Train_and_compare.py", {}, "Live training."),
        ExportScene("Broken", GRADIENTS, {"t": "x"}, "A bad link."),
    )
    files = bundle.lecture_files(bundle.Lecture("Demo", scenes))
    names = set(zipfile.ZipFile(io.BytesIO(bundle.zip_bytes(files))).namelist())
    for stem in ("01-first-one/gradients", "02-second/states", "02-second/norms"):
        for end in (".html", ".csv", "-light.png", "-dark.png", "-light.svg", "-dark.svg"):
            assert stem + end in names
    assert "01-first-one/run_in_pytorch.py" in names
    assert "03-trained/sweep.html" in names and "03-trained/run_in_pytorch.txt" in names
    assert b"t='x' is not a whole number" in files["04-broken/README.txt"]
    assert "<li>And so.</li>" in files["index.html"].decode()
    index = files["index.html"].decode()
    links = re.findall(r'(?:href|src)="([^"]+)"', index)
    assert links and set(links) <= names  # every link opens a file in the zip
    assert "http" not in index.lower()
    notes = files["notes.md"].decode()
    assert "## 1. First & one" in notes and "Say <this>." in notes and "## 2. Second" in notes


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def test_the_cli_writes_a_scene_zip_with_slide_pictures(tmp_path):
    url = "http://127.0.0.1:8501/Gradients_through_time?source=sine&seq_len=30&rho=0.9&t=10"
    run = subprocess.run(
        [sys.executable, "-m", "explainer.export", "--scene", url, "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=280,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    zips = list(tmp_path.glob("*.zip"))
    assert len(zips) == 1 and "wrote" in run.stdout
    z = zipfile.ZipFile(zips[0])
    for name in ("light", "dark"):
        png = Image.open(io.BytesIO(z.read(f"gradients-{name}.png")))
        assert png.size == (1920, 1080)
        px = pixels(z.read(f"gradients-{name}.png"))
        corner = px[5, 5]
        assert (corner > 240).all() if name == "light" else (corner < 30).all()
        # not blank: many pixels differ from the background (curves, text, grid)
        differ = np.abs(px - corner).sum(axis=2) > 60
        assert 0.01 < differ.mean() < 0.5
        svg = z.read(f"gradients-{name}.svg").decode()
        assert re.search(r'<svg[^>]+width="1920"[^>]+height="1080"', svg)
        assert svg.count("<path") > 5 and "Gradient norms" in svg
    assert "run_in_pytorch.py" in z.namelist()


def test_the_cli_names_an_unknown_lecture(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "explainer.export", "--lecture", "nope", "--out", str(tmp_path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 2 and "there is no lecture 'nope'; choose one of" in run.stderr
    assert "rnns-in-20-minutes" in run.stderr and "(or scenes)" in run.stderr


def log_axes(spec: dict) -> list[dict]:
    return [a for k, a in spec["layout"].items() if k[1:5] == "axis" and a.get("type") == "log"]


def test_no_log_axis_reaches_past_a_float_so_no_tick_reads_infinity():
    """An axis padded past 10^308 ends at infinity in the browser and plotly labels its ticks
    "Infinity^-NaN" (the overflow scene's export did)."""
    with np.errstate(over="raise"):
        for lo, hi, pad in [(1e-320, 1.79e308, 0.6), (1e-5, 1e308, 0.3), (5e-324, 1.0, 0.3)]:
            axis = theme.log_axis(lo, hi, pad=pad)
            a, b = axis["range"]
            ends = np.array([10.0**a, 10.0**b])
            assert np.isfinite(ends).all() and (ends > 0).all(), (lo, hi, axis)
            step = axis["dtick"]
            ticks = 10.0 ** (step * np.arange(np.ceil(a / step), np.floor(b / step) + 1))
            assert np.isfinite(ticks).all() and len(ticks) >= 2
    overflow = next(s for s in lectures.shipped()["why-lstms"].scenes if s.regime == "overflow")
    _, panels = scene_panels(ExportScene(overflow.title, overflow.page, dict(overflow.params)))
    for axis in log_axes(panels[0].spec):
        assert np.isfinite(10.0 ** np.array(axis["range"])).all(), axis
