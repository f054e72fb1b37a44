"""A figure restyled for a slide: 1920x1080, projector type scale, light or dark, with an
explicit template (``import streamlit`` swaps plotly's default template for one whose colours
only a browser fills in; FIELD_NOTES).

The builders draw for the app's dark page. The light variant swaps the dark palette's
background, text, grid and white marks for light ones wherever they occur in the spec, so any
builder's own colours follow without each builder knowing about slides.
"""

from __future__ import annotations

import copy

from explainer.figures import theme

WIDTH, HEIGHT = 1920, 1080
# the builders size type for a 1280 px wide page; a slide is 1.5 times that
SCALE = WIDTH / 1280
# projector minima at 1280x720 (the presenter view's): body text 24 px, ticks and labels 18 px
MIN_FONT = 18
MIN_BODY = 24

# dark colour -> light colour, matched case-insensitively on whole values
LIGHT = {
    theme.BACKGROUND: "#ffffff",
    theme.PANEL: "#eef0f4",
    theme.TEXT: "#111318",
    theme.MUTED: "#4a4f5c",
    theme.GRID: "#d3d6de",
    "#15171f": "#ffffff",  # the diverging map's zero
    "#ffffff": "#111318",  # white marks (h, highlight boxes) turn near-black
    "#f0e442": "#8a7f00",  # Okabe-Ito yellow is unreadable on white: a dark olive
    "rgba(240,228,66,0.12)": "rgba(138,127,0,0.12)",
}
LIGHT = {k.lower(): v for k, v in LIGHT.items()}
THEMES = ("light", "dark")
PLAIN_BOTTOM = 70  # a figure's bottom margin without a player under it
MIN_RIGHT = 80  # right margin (1280-wide pixels): labels at a plot's right end stay whole
TEMPLATE_MARGIN = dict(theme.TEMPLATE_JSON["layout"].get("margin", {}))


def recolour(spec, table: dict[str, str]):
    """A copy of ``spec`` with every string that is a key of ``table`` replaced."""
    if isinstance(spec, dict):
        return {k: recolour(v, table) for k, v in spec.items()}
    if isinstance(spec, list):
        return [recolour(v, table) for v in spec]
    if isinstance(spec, str):
        return table.get(spec.lower(), spec)
    return spec


def scale_fonts(spec, floor: int = MIN_FONT):
    """Every font size in ``spec`` times SCALE, at least ``floor`` (in 1280-wide pixels)."""
    if isinstance(spec, dict):
        out = {k: scale_fonts(v, floor) for k, v in spec.items()}
        size = spec.get("size")
        if _is_font(spec) and isinstance(size, int | float):
            out["size"] = round(max(size, floor) * SCALE)
        elif _is_font(spec) and isinstance(size, list):  # one size per text point
            out["size"] = [round(max(v, floor) * SCALE) for v in size]
        return out
    if isinstance(spec, list):
        return [scale_fonts(v, floor) for v in spec]
    return spec


def _is_font(d: dict) -> bool:
    return set(d) <= {"size", "color", "family", "weight", "style", "variant", "shadow"}


def template(name: str) -> dict:
    """The project's template, projector-sized, in ``name`` (light or dark)."""
    t = copy.deepcopy(theme.TEMPLATE_JSON)
    t["layout"]["font"] = {**t["layout"].get("font", {}), "size": MIN_BODY}
    t = scale_fonts(t)
    lay = t["layout"]
    lay["margin"] = {k: round(v * SCALE) for k, v in lay.get("margin", {}).items()}
    return recolour(t, LIGHT) if name == "light" else t


def thicker(spec: dict) -> dict:
    """Lines and markers 1.5 times as thick (drawn for a 1280 px page)."""
    out = dict(spec)
    out["data"] = [_thick(trace) for trace in spec["data"]]
    return out


def _thick(trace: dict) -> dict:
    trace = dict(trace)
    line = trace.get("line")
    if isinstance(line, dict) and isinstance(line.get("width"), int | float):
        trace["line"] = {**line, "width": line["width"] * SCALE}
    return trace


def for_slide(spec: dict, name: str) -> dict:
    """``spec`` (one picture, no frames) sized for a slide in theme ``name``."""
    if name not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}")
    layout = {k: v for k, v in spec["layout"].items() if k not in ("template", "height", "width")}
    body = {"data": spec["data"], "layout": layout}
    body = thicker(scale_fonts(body))
    if name == "light":
        body = recolour(body, LIGHT)
    # the template's margins where the figure sets none; room on the right for end labels,
    # which grow with the type
    margin = {**TEMPLATE_MARGIN, **(body["layout"].get("margin") or {})}
    margin["r"] = max(margin.get("r", 0), MIN_RIGHT)
    body["layout"]["margin"] = {k: round(v * SCALE) for k, v in margin.items()}
    body["layout"].update(template=template(name), width=WIDTH, height=HEIGHT, autosize=False)
    return body


def still(spec: dict, step: int) -> dict:
    """The picture an animated spec shows at frame ``step``, without frames or player."""
    if step >= 0 and spec.get("frames"):
        spec = theme.aim_spec(spec, step)
    layout = {k: v for k, v in spec["layout"].items() if k not in ("sliders", "updatemenus")}
    if "sliders" in spec["layout"] or "updatemenus" in spec["layout"]:
        # the bottom margin held the player: keep room for the x axis only
        margin = dict(layout.get("margin") or {})
        layout["margin"] = {**margin, "b": min(margin.get("b", PLAIN_BOTTOM), PLAIN_BOTTOM)}
    return {"data": spec["data"], "layout": layout}
