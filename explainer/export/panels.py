"""A scene's figures, built by the same public builders the pages use, with the numbers
behind each one (columns for the CSV).

One ``Panel`` per exported figure: the page's main animated figure (and the Compare page's
norms). The figure is the full animated spec; ``step`` is the frame the scene opens at.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explainer import gradients
from explainer.config import RunConfig
from explainer.export.scenes import ExportScene
from explainer.figures import compare, gates, unrolled
from explainer.figures import gradients as gradfigs
from explainer.scene import Scene, make_scene

KINDS = ("rnn", "lstm", "gru")


@dataclass(frozen=True, eq=False)
class Panel:
    """One figure of a scene: a file-name stem, the spec, the frame it opens at, its numbers."""

    name: str
    spec: dict  # theme.figure dict; animated ones carry frames
    step: int  # index of the opening frame (t - 1), or None-like -1 for still figures
    table: dict[str, np.ndarray]  # column name -> values, all of one length


def step_columns(labels, T: int) -> dict[str, np.ndarray]:
    """The time axis of a (T,) table: step t = 1..T and what x_t shows."""
    return {"t": np.arange(1, T + 1), "x_t": np.array(list(labels[:T]) + [""] * (T - len(labels)))}


def unit_columns(prefix: str, a: np.ndarray) -> dict[str, np.ndarray]:
    """(T, H) values as columns ``prefix[0]`` .. ``prefix[H-1]``."""
    return {f"{prefix}[{u}]": a[:, u] for u in range(a.shape[1])}


def jacobian_table(jac: np.ndarray, **more: np.ndarray) -> dict[str, np.ndarray]:
    """(T+1,) curves against t = 0..T."""
    return {"t": np.arange(len(jac)), "jacobian_norm_dhT_dht": jac, **more}


def unrolled_panels(scene: Scene, t: int, j: int) -> list[Panel]:
    tr = scene.trace
    table = {**step_columns(scene.seq.labels, tr.T), **unit_columns("h", tr.h[1:])}
    return [Panel("unrolled", unrolled.unrolled_figure(scene, t, j), t - 1, table)]


def gates_panels(scene: Scene, t: int, j: int) -> list[Panel]:
    tr = scene.trace
    table = step_columns(scene.seq.labels, tr.T)
    for name, values in tr.gates.items():
        table.update(unit_columns(name, values))
    if tr.c is not None:
        table.update(unit_columns("c", tr.c[1:]))
    table.update(unit_columns("h", tr.h[1:]))
    spec = gates.gate_heatmaps(tr, scene.seq.labels, t)
    return [Panel("gates", spec, t - 1, table)]


def gradient_numbers(scene: Scene) -> dict[str, np.ndarray]:
    """What the gradients page plots: ``||dL/dh_t||``, ``||dh_T/dh_t||`` and Pascanu's bound."""
    p, seq, tr = scene.params, scene.seq, scene.trace
    with np.errstate(all="ignore"):
        _, grads = gradients.trace_gradients(p, tr, scene.readout, seq.target, seq.loss, seq.where)
        dL = np.array([np.linalg.norm(row) for row in np.atleast_2d(grads.dh)])
    jac = gradients.jacobian_norms(p, seq.x, trace=tr)
    bound = gradients.pascanu_bound(p, tr.T) if p.kind == "rnn" else None
    out = {"dL": dL, "jac": jac}
    return out if bound is None else {**out, "bound": bound}


def gradients_panels(scene: Scene, t: int, j: int) -> list[Panel]:
    n = gradient_numbers(scene)
    spec = gradfigs.gradient_curves(
        n["dL"], n["jac"], t, scene.params.kind, n.get("bound"), scene.trace.first_nonfinite_step()
    )
    more = {"loss_grad_norm_dL_dht": n["dL"]}
    if "bound" in n:
        more["pascanu_bound"] = n["bound"]
    return [Panel("gradients", spec, t - 1, jacobian_table(n["jac"], **more))]


def cell_config(cfg: RunConfig, kind: str) -> RunConfig:
    """``cfg`` for cell ``kind``, as the Compare page runs it (random weights)."""
    if cfg.weights != "random":
        raise ValueError("the Compare page exports random weights only (weights=random)")
    return cfg.with_(
        cell=kind,
        activation=cfg.activation if kind == "rnn" else RunConfig().activation,
        forget_bias=cfg.forget_bias if kind == "lstm" else None,
        clip=None,
    )


def compare_panels(scene: Scene, t: int, j: int) -> list[Panel]:
    scenes = {k: make_scene(cell_config(scene.cfg, k)) for k in KINDS}
    norms = {k: gradients.jacobian_norms(s.params, s.seq.x, trace=s.trace)
             for k, s in scenes.items()}  # fmt: skip
    states = {k: s.trace.h[1:] for k, s in scenes.items()}
    heat = compare.state_heatmaps(states, t)
    table = step_columns(scene.seq.labels, scene.trace.T)
    for k, h in states.items():
        table.update(unit_columns(f"{k}_h", h))
    curves = compare.jacobian_comparison(norms, t)
    jac = {f"{k}_jacobian_norm": v for k, v in norms.items()}
    return [
        Panel("states", heat, t - 1, table),
        Panel("norms", curves, -1, {"t": np.arange(len(norms["rnn"])), **jac}),
    ]


BUILDERS = {
    "1_Unrolled_RNN.py": unrolled_panels,
    "2_LSTM_gates.py": gates_panels,
    "3_GRU_gates.py": gates_panels,
    "4_Gradients_through_time.py": gradients_panels,
    "5_Compare_cells.py": compare_panels,
}


def scene_panels(s: ExportScene) -> tuple[Scene | None, list[Panel]]:
    """The run of ``s`` and its figures (no run for pages 6-9: trained models and a stored
    sweep, ``export.beyond``); pages without an export say so."""
    from explainer.export import beyond  # it builds on this module's Panel

    if s.page_file in beyond.BUILDERS:
        return None, beyond.BUILDERS[s.page_file](s)
    build = BUILDERS.get(s.page_file)
    if build is None:
        pages = ", ".join([*BUILDERS, *beyond.BUILDERS])
        raise ValueError(f"{s.page_file} has no export yet; pages with one: {pages}")
    scene = make_scene(s.config())
    t, j = s.view(scene.trace.T, scene.trace.H)
    return scene, build(scene, t, j)
