"""A self-contained HTML file of an animated figure: plotly.js inlined from the plotly package
(no CDN, plays from file:// offline), with Play/Pause and a step slider added here.

References: plotly.py docs, "Interactive HTML export" (``include_plotlyjs=True``);
plotly.js docs, "Animations" (updatemenus and sliders).
"""

from __future__ import annotations

import plotly.io as pio

from explainer.export import slide
from explainer.figures import theme

CHROME = dict(bgcolor=theme.PANEL, bordercolor=theme.GRID, font=dict(color=theme.TEXT, size=18))


def controls(names: list[str], active: int, duration: int = 250) -> dict:
    """Play/Pause buttons and a slider over frames ``names``, opening at ``active``."""
    still = dict(mode="immediate", transition=dict(duration=0))
    play = dict(frame=dict(duration=duration, redraw=True), fromcurrent=True, **still)
    jump = dict(frame=dict(duration=0, redraw=True), **still)
    pause = dict(frame=dict(duration=0, redraw=False), **still)
    every = max(1, -(-len(names) // 100))  # at most ~100 stops: plotly redraws them all
    picks = sorted(set(range(0, len(names), every)) | {active, len(names) - 1})
    steps = [dict(label=names[k], method="animate", args=[[names[k]], jump]) for k in picks]
    menu = dict(
        type="buttons", direction="left", x=0.0, y=-0.06, xanchor="left", yanchor="top",
        showactive=False, pad=dict(t=10, r=10),
        buttons=[
            dict(label="▶ Play", method="animate", args=[names[active:], play]),
            dict(label="❚❚ Pause", method="animate", args=[[None], pause]),
        ],
        **CHROME,
    )  # fmt: skip
    slider = dict(
        active=picks.index(active), x=0.25, len=0.75, y=-0.06, yanchor="top", steps=steps,
        currentvalue=dict(prefix="step t = ", font=dict(color=theme.TEXT, size=18)),
        font=dict(color=theme.TEXT if len(steps) <= 30 else "rgba(0,0,0,0)", size=14),
        bgcolor=theme.PANEL, activebgcolor="#E69F00", bordercolor=theme.GRID,
    )  # fmt: skip
    return dict(updatemenus=[menu], sliders=[slider])


def playable(spec: dict, step: int) -> dict:
    """The animated ``spec`` opened at frame ``step`` with this module's own player."""
    base = slide.still(spec, step)
    frames = spec.get("frames") or []
    # the page decides the size: the figure fills the window
    layout = {k: v for k, v in base["layout"].items() if k not in ("height", "width")}
    if frames:
        names = [f["name"] for f in frames]
        layout.update(controls(names, max(step, 0)))
        margin = dict(layout.get("margin") or {})
        margin["b"] = max(margin.get("b", 60), 130)  # room for the player under the plot
        layout["margin"] = margin
    layout.setdefault("template", theme.TEMPLATE_JSON)
    return theme.pack({"data": base["data"], "layout": layout, "frames": frames})


def offline_html(spec: dict, step: int, title: str) -> str:
    """One HTML page that plays ``spec`` offline; ``title`` names the tab."""
    fig = playable(spec, step)
    page = pio.to_html(
        fig, include_plotlyjs=True, full_html=True, validate=False, auto_play=False,
        default_width="100%", default_height="92vh", div_id="figure",
        config={"displaylogo": False, "responsive": True},
    )  # fmt: skip
    head = f"<title>{_escape(title)}</title><meta charset='utf-8'>"
    return page.replace("<head>", f"<head>{head}", 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
