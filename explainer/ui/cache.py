"""Bounded caches keyed on small hashable configs (never on arrays or tensors)."""

from __future__ import annotations

from dataclasses import fields, is_dataclass

import numpy as np
import streamlit as st

from explainer.config import RunConfig
from explainer.scene import Scene, make_scene


def by_repr(*types: type) -> dict:
    """``hash_funcs`` keying frozen configs by their repr, which names every field's value:
    an exact key in ~10 us, where streamlit's own hasher walks the dataclass (~1 ms a key)."""
    return {t: repr for t in types}


CONFIG_KEY = by_repr(RunConfig)


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs=CONFIG_KEY)
def cached_scene(cfg: RunConfig) -> Scene:
    """The run for ``cfg``, computed once per config and shared by every session as it is:
    no copy per rerun (``st.cache_data`` would unpickle 2.7 MB at T = 500, H = 64), so its
    arrays are made read-only and no page can change another's numbers."""
    return read_only(make_scene(cfg))


def read_only(obj):
    """``obj`` with every NumPy array inside it (dataclass fields, dicts, tuples) made
    read-only, in place."""
    if isinstance(obj, np.ndarray):
        obj.setflags(write=False)
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            read_only(getattr(obj, f.name))
    elif isinstance(obj, dict):
        for v in obj.values():
            read_only(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            read_only(v)
    return obj
