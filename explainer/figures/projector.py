"""Projector style for any figure: large type, thick lines, high-contrast light or dark.

``restyle(spec, "dark" | "light")`` returns a restyled copy of a packed figure (the input, often
a shared cached spec, is left as it was): chart text >= 20 px (ticks 20, titles 26), lines at
least 4 px wide, pure black or white backgrounds and text. Used by presenter view and by
exports at slide size.
"""

from __future__ import annotations

from explainer.figures import theme

FONT = 22
TICKS = 20
TITLES = 26
LINE = 4.0
LOOKS = {
    "dark": dict(bg="#000000", fg="#ffffff", grid="#5a5d6a", panel="#1a1a1a"),
    "light": dict(bg="#ffffff", fg="#000000", grid="#9a9a9a", panel="#eeeeee"),
}
# colours drawn as "the text colour" in the app's dark theme: black on a light background
LIGHT_AS_TEXT = {"#ffffff", "#fafafa", "white", theme.TEXT.lower(), theme.COLOURS["h"].lower()}


def _font(font: dict | None, size: int, fg: str, recolour: bool) -> dict:
    out = dict(font or {})
    old = out.get("size")
    if isinstance(old, list | tuple):  # one size a point (unrolled's labels): each raised
        out["size"] = [max(s, size) if isinstance(s, int | float) else size for s in old]
    else:
        out["size"] = max(old, size) if isinstance(old, int | float) else size
    if recolour or str(out.get("color", "")).lower() in LIGHT_AS_TEXT | {""}:
        out["color"] = fg
    return out


def _axis(axis: dict, look: dict) -> dict:
    out = dict(axis)
    out["tickfont"] = _font(axis.get("tickfont"), TICKS, look["fg"], True)
    title = axis.get("title")
    if isinstance(title, dict):
        out["title"] = {**title, "font": _font(title.get("font"), FONT, look["fg"], True)}
    elif isinstance(title, str):
        out["title"] = {"text": title, "font": _font(None, FONT, look["fg"], True)}
    for key in ("gridcolor", "zerolinecolor", "linecolor"):
        out[key] = look["grid"]
    return out


def _trace(tr: dict, look: dict, light: bool) -> dict:
    out = dict(tr)
    if isinstance(tr.get("line"), dict) or tr.get("type", "scatter") == "scatter":
        line = dict(tr.get("line") or {})
        mode = str(tr.get("mode", "lines"))
        if "lines" in mode:
            line["width"] = max(line.get("width") or 2, LINE)
        if light and str(line.get("color", "")).lower() in LIGHT_AS_TEXT:
            line["color"] = look["fg"]
        out["line"] = line
    marker = tr.get("marker")
    if isinstance(marker, dict) and light and str(marker.get("color", "")).lower() in LIGHT_AS_TEXT:
        out["marker"] = {**marker, "color": look["fg"]}
    if isinstance(tr.get("textfont"), dict) or "text" in tr:
        out["textfont"] = _font(tr.get("textfont"), TICKS, look["fg"], False)
    return out


def _template(look: dict) -> dict:
    """The project's template with projector type: every axis, also those a figure leaves to
    the template, gets large ticks and titles."""
    base = theme.TEMPLATE_JSON.get("layout", {})
    layout = {**base, "font": _font(base.get("font"), FONT, look["fg"], True)}
    for key in ("xaxis", "yaxis"):
        layout[key] = _axis(base.get(key, {}), look)
    return {**theme.TEMPLATE_JSON, "layout": layout}


def restyle(spec: dict, look_name: str = "dark") -> dict:
    """A copy of ``spec`` in projector style (``look_name``: "dark" or "light")."""
    look = LOOKS.get(look_name, LOOKS["dark"])
    light = look_name == "light"
    layout = dict(spec.get("layout") or {})
    layout["template"] = _template(look)
    layout["font"] = _font(layout.get("font"), FONT, look["fg"], True)
    layout["paper_bgcolor"] = layout["plot_bgcolor"] = look["bg"]
    for key, value in list(layout.items()):
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            layout[key] = _axis(value, look)
    title = layout.get("title")
    if isinstance(title, dict):
        layout["title"] = {**title, "font": _font(title.get("font"), TITLES, look["fg"], True)}
    if isinstance(layout.get("legend"), dict) or "legend" not in layout:
        legend = dict(layout.get("legend") or {})
        legend["font"] = _font(legend.get("font"), TICKS, look["fg"], True)
        layout["legend"] = legend
    if isinstance(layout.get("annotations"), list):
        layout["annotations"] = [
            {**a, "font": _font(a.get("font"), TICKS, look["fg"], True)} if isinstance(a, dict)
            else a
            for a in layout["annotations"]
        ]  # fmt: skip
    if isinstance(layout.get("coloraxis"), dict):
        layout["coloraxis"] = dict(layout["coloraxis"])
    out = dict(spec)
    out["layout"] = layout
    out["data"] = [_trace(tr, look, light) if isinstance(tr, dict) else tr
                   for tr in spec.get("data") or []]  # fmt: skip
    return out
