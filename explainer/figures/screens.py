"""Screen sizes as the figures see them: a size class (phone, projector, laptop) from the
browser's viewport, and what each figure draws at that size (how many steps, how tall, stacked
or side by side). Pure functions of plain numbers, so they are tested without a browser.

The page learns the viewport from ``explainer/ui/screen.py``; before the first report it
assumes a laptop.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

PHONE_MAX_WIDTH = 640  # narrower than this: one column, figures stacked
PROJECTOR_MAX_HEIGHT = 800  # shorter than this (1280x720, 1024x768): fit the figure in one screen
# what the page puts above a main figure on a short screen: the app's header bar and the
# compact title (one line), a row of controls and the time cursor's bar (~70 px)
ABOVE_FIGURE = 275
MIN_FIGURE_HEIGHT = 440  # below this the chain's rows of numbers run together
CELL_PX = 64  # one cell of the unrolled chain: room for "-0.30" at 16 px and the gap


@dataclass(frozen=True)
class Screen:
    """The browser's viewport and the width of the main column, in CSS pixels."""

    width: int = 1440
    height: int = 900
    main: int = 1040  # the main column's width (the sidebar open or not)

    @property
    def size_class(self) -> str:
        return size_class(self.width, self.height)


LAPTOP = Screen()


def size_class(width: int, height: int) -> str:
    """'phone' below 640 px wide, 'projector' below 800 px tall, else 'laptop'."""
    if width < PHONE_MAX_WIDTH:
        return "phone"
    if height < PROJECTOR_MAX_HEIGHT:
        return "projector"
    return "laptop"


def main_figure_height(screen: Screen, natural: int) -> int:
    """Height of a page's main figure: its natural height on a laptop and a phone (the phone
    scrolls, one figure at a time), squeezed into what is left of a short screen below the
    header and controls, never below the height at which its text stays apart."""
    if screen.size_class != "projector":
        return natural
    room = screen.height - ABOVE_FIGURE
    return int(max(MIN_FIGURE_HEIGHT, min(natural, room)))


SIDE_BY_SIDE_MIN = 1100  # px of main column for a figure and its words in two columns


def side_by_side(screen: Screen) -> bool:
    """A figure with its explanation beside it (a wide main column), or the words under it
    (a phone, a projector at 1024 px, a laptop with the sidebar open)."""
    return screen.main >= SIDE_BY_SIDE_MIN


@dataclass(frozen=True)
class UnrolledFit:
    """How the unrolled figure is drawn on one screen."""

    window: int  # cells of the chain drawn at once
    height: int  # px
    stacked: bool  # the heatmap, h_t and readout under each other (phone), or side by side
    left: int  # px of left margin: the row names of the chain
    cell_state: bool  # c_t printed in each LSTM cell (too crowded on a phone)
    compact: bool = False  # a short screen: no row of step numbers, the window's caption there
    short: bool = False  # short panel titles: "h_t at t", "readout at t" (they met in a row)


# before the browser reports its size: the figure as drawn for a wide laptop screen
UNROLLED_DEFAULT = UnrolledFit(window=12, height=820, stacked=False, left=150, cell_state=True)
COMPACT_BELOW = 640  # px: a chain shorter than this drops its row of step numbers
# px of main column: narrower, the h_t and readout panels' titles run into each other at 20 px
# (the sidebar open at 1280 px leaves ~900)
SHORT_TITLES_BELOW = 1000


def unrolled_fit(screen: Screen) -> UnrolledFit:
    """The unrolled figure for this screen: as many cells as fit at CELL_PX each (3 to 12),
    stacked panels on a phone, the whole figure inside a projector's screen."""
    phone = screen.size_class == "phone"
    left = 90 if phone else 150
    plot = max(screen.main - left - 30, 0)
    # the x range spans window + 2.4 cell widths (the h_0 label and the arrow out)
    window = int(min(12, max(3, plot // CELL_PX - 2)))
    if phone:
        return UnrolledFit(window, 1100, stacked=True, left=left, cell_state=False, short=True)
    height = main_figure_height(screen, 820)
    compact = height < COMPACT_BELOW
    short = screen.main < SHORT_TITLES_BELOW
    return UnrolledFit(window, height, False, left, cell_state=True, compact=compact, short=short)


# a phone's chart: the title wrapped to its width, the legend in rows above the plot. Sizes
# in px at the fonts the phone uses (~0.5 em a character).
PHONE_TITLE_PX = 16
PHONE_TICK_PX = 16  # the template's tick labels
PHONE_LEGEND_ROW = 30  # one legend entry at 16 px, one a row (measured: 28-29 px)
PHONE_TITLE_LINE = 22
CHAR_EM = 0.5
LINE_EM = 1.25  # a line of text, top to bottom
TITLE_PAD = 12  # the template's title pad (px above it)
MULTILINE_LIFT = 11  # measured in Chromium: plotly 3.x, 16 px titles of 2 and 3 lines
LEGEND_TYPES = {"scatter", "scattergl", "bar", "box", "histogram", "violin"}


def visible_text(label: str) -> str:
    """A chart label as drawn: markup tags (``<sub>``, ``<b>``) take no room."""
    return re.sub(r"<[^>]*>", "", label)


def wrap_label(label: str, width_px: float, font_px: float) -> list[str]:
    """A label broken at spaces into lines no wider than ``width_px`` (a word longer than
    the line keeps a line of its own); markup inside a word stays whole."""
    per_line = max(int(width_px / (CHAR_EM * font_px)), 8)
    lines: list[str] = []
    for word in label.replace("<br>", " \n ").split(" "):
        if word == "\n":
            lines.append("")
        elif lines and lines[-1] and len(visible_text(lines[-1] + " " + word)) <= per_line:
            lines[-1] += " " + word
        elif lines and not lines[-1]:
            lines[-1] = word
        else:
            lines.append(word)
    return [line for line in lines if line] or [label]


LABEL_GAP_PX = 6  # between two level tick labels
FEW_TICKS = 4  # named ticks never thinned: each names a whole column


def thinned_ticks(axis: dict, plot_px: float, font_px: float) -> dict:
    """A horizontal axis's named ticks (lists ``tickvals`` and ``ticktext``: characters, words)
    kept every k-th so that labels of ``font_px`` keep apart over ``plot_px`` (the plot's width;
    the axis spans its ``domain`` of it): a level label needs its width, an upright one its
    line's height. The axis as it is when they fit, or when it names only a few columns."""
    vals, text = axis.get("tickvals"), axis.get("ticktext")
    if not (isinstance(vals, list) and isinstance(text, list)) or len(text) <= FEW_TICKS:
        return axis  # a few named columns (teacher forcing / free running) keep every name
    d0, d1 = axis.get("domain", [0.0, 1.0])
    room = plot_px * (d1 - d0) / len(text)  # px a label, the ticks spread over the axis
    if abs(axis.get("tickangle") or 0) >= 60:  # upright: a label takes its line's height
        need = LINE_EM * font_px + LABEL_GAP_PX / 2
    else:  # level: its widest line (a "<br>" breaks it)
        longest = max(len(visible_text(line)) for s in text for line in str(s).split("<br>"))
        need = CHAR_EM * font_px * longest + LABEL_GAP_PX
    every = math.ceil(need / max(room, 1.0))
    if every <= 1:
        return axis
    return {**axis, "tickvals": vals[::every], "ticktext": text[::every]}


def legend_entries(traces: list[dict], layout: dict) -> int:
    """How many entries the chart's legend draws (plotly's rule: traces that show in it, and
    only when the layout asks or more than one does)."""
    shown = [
        tr
        for tr in traces
        if tr.get("showlegend", tr.get("type", "scatter") in LEGEND_TYPES) and tr.get("name")
    ]
    if layout.get("showlegend") is False:
        return 0
    if len(shown) == 1 and not layout.get("showlegend"):
        return 0
    return len(shown)


def phone_layout(layout: dict, traces: list[dict], main: int, margin: dict) -> dict:
    """A chart's layout for a phone whose main column is ``main`` px: the title at 16 px,
    wrapped to the width; the legend one entry a row between it and the plot (a row of
    entries wrapped onto titles); plotly's own ticks are already few on a narrow axis, and named
    ones (characters, words) are kept every k-th (``thinned_ticks``). The height changes by
    what was added, so the plot keeps its size. ``margin``: the template's."""
    out = dict(layout)
    m = {**margin, **layout.get("margin", {})}
    plot = layout.get("height", 450) - m.get("t", 60) - m.get("b", 60)
    head = 8  # px from the chart's top edge to the legend: under the title, if there is one
    title = layout.get("title")
    if isinstance(title, dict) and title.get("text"):
        lines = wrap_label(title["text"], main - 24, PHONE_TITLE_PX)
        font = {**title.get("font", {}), "size": PHONE_TITLE_PX}
        out["title"] = {**title, "text": "<br>".join(lines), "font": font}
        if len(lines) > 1:  # plotly lifts a title of several lines ~11 px above its pad
            pad = title.get("pad", {})
            out["title"]["pad"] = {**pad, "t": pad.get("t", TITLE_PAD) + MULTILINE_LIFT}
        head = TITLE_PAD + len(lines) * PHONE_TITLE_LINE + 8
        m["t"] = max(m.get("t", 60), head + 24)
    rows = legend_entries(traces, layout)
    if rows:
        # under the title, one entry a row, the plot below them (a legend under the plot, in
        # the container's or the plot's coordinates, moved the x axis's title onto its ticks)
        legend = {**layout.get("legend", {}), "orientation": "v", "x": 0, "xanchor": "left"}
        m["t"] = head + rows * PHONE_LEGEND_ROW + 40  # room for a panel's title under it
        height = plot + m["t"] + m.get("b", 60)
        legend.update(yref="container", y=1 - head / height, yanchor="top")
        out["legend"] = legend
    height = plot + m["t"] + m.get("b", 60)
    out["margin"] = m
    out["height"] = height
    width = main - m.get("l", 80) - m.get("r", 80)  # the plot's px across the phone
    for name, axis in layout.items():
        if re.fullmatch(r"xaxis[0-9]*", name) and isinstance(axis, dict):
            font = axis.get("tickfont", {}).get("size", PHONE_TICK_PX)
            out[name] = thinned_ticks(axis, width, font)
    return out
