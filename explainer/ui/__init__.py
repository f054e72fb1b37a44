"""The streamlit-aware part of the package (and the only one): shared sidebar, cached runs,
deep links and the panels every page shares. Pages call these and stay thin.

``explainer.ui`` is a package rather than one ``ui.py`` so each page's panels live in a small
file of their own; nothing outside ``explainer/ui/``, ``Home.py`` and ``pages/`` imports
streamlit (ruff's banned-api rule).
"""

# pandas and pyarrow (st.dataframe sends its tables with them) are imported here, once, before a
# page runs: every chart has a table now, and a class's first runs importing them at the same
# moment raced into "partially initialized module 'pandas'" (the class load test caught it)
import pandas  # noqa: F401
import pyarrow  # noqa: F401

from explainer.ui import preload
from explainer.ui.cache import cached_scene
from explainer.ui.panels import (
    conventions,
    explain,
    lecture_scenes,
    live_equations,
    page_header,
    scene_link,
    show_figure,
    what_to_try,
)
from explainer.ui.sidebar import sidebar_config
from explainer.ui.view import scene_or_stop, time_cursor, unit_picker

preload.start()

__all__ = [
    "cached_scene",
    "conventions",
    "explain",
    "lecture_scenes",
    "live_equations",
    "page_header",
    "scene_link",
    "scene_or_stop",
    "show_figure",
    "sidebar_config",
    "time_cursor",
    "unit_picker",
    "what_to_try",
]
