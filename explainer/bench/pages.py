"""Page reruns and figure sizes: ``python -m explainer.bench pages``.

For every page in pages/ (found on disk), at the default scene and at the largest one
(sine input, T = 500, H = 64): the server time of a rerun after a widget change, measured in
process with streamlit's AppTest (one warm-up run, then the median of 5 reruns moving the step
t, and of 5 changing the seed, which recomputes the scene), and the JSON size of every figure
the page sends. Each page is compared with a bare page, written to a temporary file, with the
same number of widgets (sidebar and main) and of ``st.plotly_chart`` calls (trivial figures);
its reruns are interleaved with the page's, so both see the same machine load, and AppTest's
own overhead cancels in the ratio.

Targets: a rerun at defaults under 3x the bare page and under 100 ms; at T = 500, H = 64 under
300 ms; every animated figure under 1.5 MB at the largest scene, growing at most linearly in
T*H (sizes printed at T*H = 8,000 and 32,000).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from streamlit.testing.v1 import AppTest

from explainer.figures.screens import LAPTOP
from explainer.ui import preload, screen

REPO = Path(__file__).resolve().parents[2]
REPEATS = 5
TIMEOUT_S = 300
SCENES = {
    "defaults": {},
    "T=500, H=64": {"source": "sine", "seq_len": "500", "hidden_size": "64"},
}
MID = {"source": "sine", "seq_len": "250", "hidden_size": "32"}  # T*H a quarter of the largest
BUDGET_MS = {"defaults": 100, "T=500, H=64": 300}
MAX_KB = 1536
WIDGETS = (
    "button", "checkbox", "color_picker", "date_input", "multiselect", "number_input", "radio",
    "select_slider", "selectbox", "slider", "text_area", "text_input", "time_input", "toggle",
)  # fmt: skip
BARE_PAGE = """
import plotly.graph_objects as go
import streamlit as st

for k in range({sidebar}):
    st.sidebar.slider(f"control {{k}}", 0, 100, 0, key=f"s{{k}}")
for k in range({main}):
    st.slider(f"main control {{k}}", 0, 100, 0, key=f"m{{k}}")
for k in range({charts}):
    st.plotly_chart(go.Figure(go.Scatter(x=[0, 1], y=[0, k])), theme=None, key=f"c{{k}}")
"""


def pages() -> list[Path]:
    return sorted((REPO / "pages").glob("*.py"))


def started(path: Path, query: dict[str, str]) -> AppTest:
    """The page's first run, in a session whose browser has reported a laptop's screen (as a
    real session's has from its first run on: explainer/ui/screen.py), once torch's background
    import has finished (a server's has, seconds after it starts): it would slow the reruns."""
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT_S)
    at.query_params = dict(query)
    at.session_state[f"_{screen.KEY}"] = asdict(LAPTOP)
    checked(at.run(), path)
    if (importing := preload.start()) is not None:
        importing.join()
    return at


def checked(at: AppTest, path: Path) -> AppTest:
    if at.exception:
        raise RuntimeError(f"{path.name}: {at.exception[0].value}")
    return at


def widget_counts(at: AppTest) -> tuple[int, int]:
    """(sidebar, main) widgets of the page as it stands."""
    sidebar = sum(len(at.sidebar.get(kind)) for kind in WIDGETS)
    return sidebar, sum(len(at.get(kind)) for kind in WIDGETS) - sidebar


def figure_sizes(at: AppTest) -> list[tuple[float, bool]]:
    """(KB, animated) for every plotly chart on the page, from the chart protos' specs."""
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    return [(len(s) / 1024, bool(json.loads(s).get("frames"))) for s in specs]


def move_t(at: AppTest, i: int) -> bool:
    """Move the page's time cursor (a custom component: set its t as the bar does)."""
    bars = [b for b in at.get("bidi_component") if b.proto.component_name.endswith("time_cursor")]
    if not bars:
        return False
    T, now = json.loads(bars[0].proto.json)["T"], at.session_state["t"]
    at.session_state["t"] = T - i if now != T - i else 1 + i
    return True


def move_seed(at: AppTest, i: int) -> bool:
    seed = next((n for n in at.number_input if n.key == "seed"), None)
    if seed is None:
        return False
    seed.set_value(100 + i)
    return True


def rerun_ms(at: AppTest, path: Path) -> float:
    start = time.perf_counter()
    at.run(timeout=TIMEOUT_S)
    ms = 1000 * (time.perf_counter() - start)
    checked(at, path)
    return ms


def bare_page(at: AppTest, folder: Path) -> tuple[AppTest, Path]:
    """A started bare page with the same widgets and number of charts as ``at``."""
    sidebar, main = widget_counts(at)
    charts = len(at.get("plotly_chart"))
    path = folder / f"bare_{sidebar}_{main}_{charts}.py"
    path.write_text(BARE_PAGE.format(sidebar=sidebar, main=main, charts=charts))
    return started(path, {}), path


def measure(path: Path, query: dict[str, str], folder: Path) -> dict:
    """Median rerun ms (page moving t, page changing the seed, bare page) and figure sizes."""
    page = started(path, query)
    sizes = figure_sizes(page)
    bare, bare_path = bare_page(page, folder)
    times: dict[str, list[float]] = {"t": [], "seed": [], "bare": [], "plain": []}
    for i in range(REPEATS):
        moved = False
        for name, change in (("t", move_t), ("seed", move_seed)):
            if change(page, i):
                times[name].append(rerun_ms(page, path))
                moved = True
        if not moved:  # a page without t or seed (e.g. a fixed setup): a rerun as it stands
            times["plain"].append(rerun_ms(page, path))
        bare.slider[0].set_value(1 + i)
        times["bare"].append(rerun_ms(bare, bare_path))
    medians = {k: statistics.median(v) if v else None for k, v in times.items()}
    return dict(sizes=sizes, **medians)


def row(name: str, scene: str, m: dict) -> str:
    moved = [ms for ms in (m["t"], m["seed"], m["plain"]) if ms is not None]
    slowest = max(moved)
    ratio = slowest / m["bare"]
    animated = [kb for kb, moving in m["sizes"] if moving]
    ok = slowest < BUDGET_MS[scene] and all(kb < MAX_KB for kb in animated)
    if scene == "defaults":
        ok = ok and ratio < 3
    sizes = ", ".join(f"{kb:.0f}" + (" ▶" if moving else "") for kb, moving in m["sizes"])
    t_ms = fmt(m["t"]) if m["plain"] is None else f"{fmt(m['plain'])}*"
    cells = [name, scene, t_ms, fmt(m["seed"]), fmt(m["bare"]), f"{ratio:.1f}x"]
    return "| " + " | ".join([*cells, sizes or "–", "✓" if ok else "✗"]) + " |"


def fmt(ms: float | None) -> str:
    return "–" if ms is None else f"{ms:.0f}"


def growth_rows(name: str, path: Path) -> list[str]:
    """Animated figure sizes at T*H = 8,000 and 32,000: linear growth is at most 4x."""
    mid = [kb for kb, moving in figure_sizes(started(path, MID)) if moving]
    big = [kb for kb, moving in figure_sizes(started(path, SCENES["T=500, H=64"])) if moving]
    return [
        f"| {name} | {a:.0f} | {b:.0f} | {b / a:.2f}x | {'✓' if b / a <= 4.2 else '✗'} |"
        for a, b in zip(mid, big, strict=False)
    ]


def run() -> None:
    rows, growth = [], []
    with tempfile.TemporaryDirectory() as folder:
        for path in pages():
            name = path.stem.partition("_")[2].replace("_", " ")
            for scene, query in SCENES.items():
                try:
                    rows.append(row(name, scene, measure(path, query, Path(folder))))
                except Exception as err:  # report and go on: one failing page hides no others
                    rows.append(f"| {name} | {scene} | failed: {str(err)[:80]} |||||| ✗ |")
                print(rows[-1], file=sys.stderr, flush=True)  # progress
            try:
                growth += growth_rows(name, path)
            except Exception as err:
                growth.append(f"| {name} | failed: {str(err)[:80]} |||  ✗ |")
    print("\nRerun after a widget change: server time in ms (AppTest, median of 5), and the JSON")
    print("size of each figure in KB (▶ animated).\n")
    print("| page | scene | rerun, t moved | rerun, seed changed | bare page | slower / bare "
          "| figures (KB) | targets met |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---|:-:|")
    print("\n".join(rows))
    print(
        "\n\\* no t or seed control on the page: a rerun with nothing changed.\n"
        "Targets: defaults < 100 ms and < 3x the bare page; T=500, H=64 < 300 ms; every "
        "animated figure < 1.5 MB.\n"
    )
    print("Animated figures against T*H (linear growth: at most 4x for 4x the T*H)\n")
    print("| page | KB at T=250, H=32 | KB at T=500, H=64 | growth | at most linear |")
    print("|---|---:|---:|---:|:-:|")
    print("\n".join(growth))
