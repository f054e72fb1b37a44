"""WCAG 2.1 contrast of the theme in .streamlit/config.toml, computed from the file itself: every
text colour the app draws on a background reaches AA (4.5:1 for text under 24 px)."""

import tomllib
from pathlib import Path

import pytest

from explainer.figures import theme

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"
AA = 4.5
WHITE = "#ffffff"  # streamlit draws a primary button's label in white, whatever the theme


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB hex colour."""
    h = colour.lstrip("#")
    channels = [int(h[k : k + 2], 16) / 255 for k in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def colours() -> dict:
    return tomllib.loads(CONFIG.read_text())["theme"]


def test_the_ratio_matches_known_values():
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # WebAIM's borderline grey
    # the old orange, as axe-core measured it in the served app (issue 9)
    assert ratio("#d9480f", "#1c2230") == pytest.approx(3.69, abs=0.01)
    assert ratio("#d9480f", "#0e1117") == pytest.approx(4.40, abs=0.01)
    assert ratio(WHITE, "#d9480f") == pytest.approx(4.29, abs=0.01)


def test_primary_colour_passes_as_button_and_as_text(colours):
    primary, background = colours["primaryColor"], colours["backgroundColor"]
    assert ratio(WHITE, primary) >= AA, "white label on the primary button"
    assert ratio(primary, background) >= AA, "slider values in the primary colour, main column"


def test_sidebar_primary_passes_on_the_sidebar(colours):
    # the sidebar's background is secondaryBackgroundColor; it has sliders, no primary button
    primary = colours["sidebar"]["primaryColor"]
    assert ratio(primary, colours["secondaryBackgroundColor"]) >= AA


@pytest.mark.parametrize("background", ["backgroundColor", "secondaryBackgroundColor"])
@pytest.mark.parametrize("text", ["textColor", "linkColor"])
def test_text_and_links_pass_on_both_backgrounds(colours, text, background):
    assert ratio(colours[text], colours[background]) >= AA


def test_figures_share_the_app_background_and_their_text_passes(colours):
    assert theme.BACKGROUND.lower() == colours["backgroundColor"].lower()
    for text in (theme.TEXT, theme.MUTED):
        assert ratio(text, theme.BACKGROUND) >= AA
