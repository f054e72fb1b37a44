"""Bounded caches keyed on small hashable configs (never on arrays or tensors)."""

from __future__ import annotations

import streamlit as st

from explainer.config import RunConfig
from explainer.scene import Scene, make_scene


@st.cache_data(max_entries=64, show_spinner=False)
def cached_scene(cfg: RunConfig) -> Scene:
    """The run for ``cfg``, computed once per config and shared by every session."""
    return make_scene(cfg)
