"""Screen sizes as the figures see them: a size class (phone, projector, laptop) from the
browser's viewport, and what each figure draws at that size (how many steps, how tall, stacked
or side by side). Pure functions of plain numbers, so they are tested without a browser.

The page learns the viewport from ``explainer/ui/screen.py``; before the first report it
assumes a laptop.
"""

from __future__ import annotations

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


# before the browser reports its size: the figure as drawn for a wide laptop screen
UNROLLED_DEFAULT = UnrolledFit(window=12, height=820, stacked=False, left=150, cell_state=True)
COMPACT_BELOW = 640  # px: a chain shorter than this drops its row of step numbers


def unrolled_fit(screen: Screen) -> UnrolledFit:
    """The unrolled figure for this screen: as many cells as fit at CELL_PX each (3 to 12),
    stacked panels on a phone, the whole figure inside a projector's screen."""
    phone = screen.size_class == "phone"
    left = 90 if phone else 150
    plot = max(screen.main - left - 30, 0)
    # the x range spans window + 2.4 cell widths (the h_0 label and the arrow out)
    window = int(min(12, max(3, plot // CELL_PX - 2)))
    if phone:
        return UnrolledFit(window=window, height=1100, stacked=True, left=left, cell_state=False)
    height = main_figure_height(screen, 820)
    compact = height < COMPACT_BELOW
    return UnrolledFit(window, height, stacked=False, left=left, cell_state=True, compact=compact)
