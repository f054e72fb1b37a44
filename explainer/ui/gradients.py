"""Panels of the gradients page, and its cached computations (keyed on ``RunConfig``).

One cached ``GradientRun`` per config holds every number the page shows: the loss gradient
``||dL/dh_t||``, the Jacobian norms ``||dh_T/dh_t||``, Pascanu's bound, the spectrum of W_hh
per gate block and the flat weight gradient g that the clipping panel rescales.

References: Pascanu, Mikolov & Bengio 2013, arXiv:1211.5063; Karpathy's min-char-rnn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import streamlit as st

from explainer import gradients
from explainer.cells import ACTIVATION_GAIN, BLOCKS
from explainer.config import RunConfig
from explainer.figures import gradients as figs
from explainer.figures.screens import main_figure_height, side_by_side
from explainer.scenarios import GRADIENT_TIPS, Setting
from explainer.scene import Scene, make_scene
from explainer.ui import screen
from explainer.ui.cache import CONFIG_KEY, cached_scene, read_only
from explainer.ui.panels import scene_link, show_animated, show_figure
from explainer.ui.view import time_cursor

REGIME_COLOURS = {"vanishing": "blue", "stable": "green", "exploding": "orange", "overflow": "red"}
REGIME_WORDS = {
    "vanishing": "the signal from early steps fades before it reaches step T",
    "stable": "early steps still reach step T at about the same strength",
    "exploding": "early steps reach step T amplified: one step can swamp the update",
    "overflow": "numbers left the range of float64 (inf/NaN): the run is broken",
}
GATE_THRESHOLD = {"a": None, "i": 4.0, "f": 4.0, "o": 4.0, "r": 4.0, "z": 4.0, "g": 1.0, "n": 1.0}


@dataclass(frozen=True, eq=False)
class GradientRun:
    """Everything the gradients page plots, for one config."""

    T: int
    loss: float
    dL: np.ndarray  # (T+1,) ||dL/dh_t||
    jac: np.ndarray  # (T+1,) ||dh_T/dh_t||
    bound: np.ndarray | None  # (T+1,) eta^(T-t), vanilla RNN only
    g: np.ndarray  # (P,) all weight gradients, flat
    parts: tuple[tuple[str, tuple[int, ...]], ...]  # name and shape of each piece of g
    svals: dict[str, np.ndarray]  # block -> singular values of its rows of W_hh
    thresholds: dict[str, float]  # block -> 1/gamma
    regime: str
    h_overflow: int | None  # first step whose hidden state is inf/NaN

    @property
    def gain(self) -> float:
        """End-to-end gain ``||dh_T/dh_0||``."""
        return float(self.jac[0])

    @property
    def rate(self) -> float:
        """Geometric mean gain per step, ``gain^(1/T)``: what the regime is judged on."""
        return gradients.step_rate(self.jac)


def row_norms(a: np.ndarray) -> np.ndarray:
    """Euclidean norm of each row, scaled first so that 1e200 does not overflow when squared."""
    a = np.atleast_2d(a)
    with np.errstate(over="ignore", invalid="ignore"):
        scale = np.abs(a).max(axis=1)
        safe = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
        n = safe * np.linalg.norm(a / safe[:, None], axis=1)
    return np.where(np.isfinite(scale), n, scale)


def analyse(scene: Scene, jac: np.ndarray) -> GradientRun:
    """The page's numbers for one scene (pure: no widgets, no caches)."""
    p, seq, tr = scene.params, scene.seq, scene.trace
    with np.errstate(all="ignore"):
        # the scene's trace already ran forward with this readout: only the backward sweep
        loss, grads = gradients.trace_gradients(
            p, tr, scene.readout, seq.target, seq.loss, seq.where
        )
        dL = row_norms(grads.dh)
    names = ("W_ih", "W_hh", "b_ih", "b_hh", "W_hy", "b_y")
    parts = tuple((n, getattr(grads, n).shape) for n in names if getattr(grads, n) is not None)
    svals = {b: gradients.singular_values(p.W_hh[p.block(b)]) for b in BLOCKS[p.kind]}
    if p.kind == "rnn":
        thresholds = {"a": 1.0 / ACTIVATION_GAIN[p.nonlinearity]}
        bound = gradients.pascanu_bound(p, tr.T)
    else:
        thresholds, bound = {b: GATE_THRESHOLD[b] for b in BLOCKS[p.kind]}, None
    h_overflow = tr.first_nonfinite_step()
    regime = gradients.regime(jac)
    if h_overflow is not None or not np.isfinite(dL).all() or not np.isfinite(loss):
        regime = "overflow"
    return GradientRun(
        tr.T, loss, dL, jac, bound, grads.flat(), parts, svals, thresholds, regime, h_overflow
    )


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs=CONFIG_KEY)
def cached_jacobian_norms(cfg: RunConfig) -> np.ndarray:
    """(T+1,) ``||dh_T/dh_t||`` for the scene of ``cfg`` (the page's slowest sum: cached,
    shared read-only like the scene)."""
    scene = cached_scene(cfg)
    return read_only(gradients.jacobian_norms(scene.params, scene.seq.x, trace=scene.trace))


@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs=CONFIG_KEY)
def _gradient_run(cfg: RunConfig) -> GradientRun:
    return read_only(analyse(cached_scene(cfg), cached_jacobian_norms(cfg)))


def gradient_run(cfg: RunConfig) -> GradientRun:
    """The cached numbers of ``cfg``; the clip threshold does not change them, so it is no key."""
    return _gradient_run(cfg.with_(clip=None))


def component_name(parts, k: int) -> str:
    """The weight that entry k of the flat gradient belongs to, e.g. W<sub>hh</sub>[3, 7]."""
    for name, shape in parts:
        size = int(np.prod(shape))
        if k < size:
            idx = ", ".join(str(i) for i in np.unravel_index(k, shape))
            base, _, sub = name.partition("_")
            return f"{base}<sub>{sub}</sub>[{idx}]"
        k -= size
    raise IndexError(k)


def band_words() -> str:
    """The per-step band of the regime label, in words with its computed edges."""
    low, high = gradients.RATE_BAND
    return (
        f"Vanishing below {low:.3f} per step, exploding above {high:.3f}: the rates that lose or "
        "gain a factor 100 within 100 steps. A linear RNN with W_hh = ρQ has a rate of exactly ρ "
        "at every T, so the label does not change with T."
    )


def rate_label(rate: float) -> str:
    """The rate per step to three digits (the band's edges are 0.955 and 1.047)."""
    return f"{rate:.3g}" if np.isfinite(rate) else figs.sci(rate)


def regime_banner(run: GradientRun, scene: Scene) -> None:
    """The regime in big coloured letters, judged on the rate per step; the gain beside it."""
    colour = REGIME_COLOURS[run.regime]
    left, *cols = st.columns([1.7, 1, 1, 1], vertical_alignment="center")
    with left:
        # a status, not a heading (a heading here skipped a level); bold fits a narrow column
        st.markdown(f"**:{colour}-background[{run.regime.upper()}]**")
        st.caption(REGIME_WORDS[run.regime])
    top = max(float(s[0]) for s in run.svals.values())
    limit = min(run.thresholds.values()) if scene.params.kind == "rnn" else 1.0
    cols[0].metric(
        r"$\hat\eta$ per step",
        rate_label(run.rate),
        help="gain^(1/T): the factor each step multiplies by, on average (the geometric mean). "
        "The label is judged on it. " + band_words(),
    )
    cols[1].metric(
        f"gain, T = {run.T}",
        figs.sci(run.gain),
        help="‖∂h_T/∂h_0‖: how much a nudge to h_0 moves h_T (largest singular value of the "
        "Jacobian). It is the rate to the power T, so it depends on T.",
    )
    cols[2].metric(
        r"$\sigma_{\max}(W_{hh})$",
        f"{top:.3g}",
        help=f"Largest singular value of the recurrent weights; the threshold 1/γ is {limit:g}.",
    )


def overflow_notice(run: GradientRun) -> None:
    """Say what overflowed, where, and what to change; the page keeps working."""
    if run.regime != "overflow":
        return
    lines = []
    if run.h_overflow is not None:
        lines.append(f"the hidden state h_t became inf/NaN at step t = {run.h_overflow}")
    if not np.isfinite(run.loss):
        lines.append("the loss is inf/NaN")
    bad = np.flatnonzero(~np.isfinite(run.dL))
    if len(bad):
        lines.append(f"‖∂L/∂h_t‖ is inf/NaN from step t = {bad.max()} back to 0")
    bad = np.flatnonzero(~np.isfinite(run.jac))
    if len(bad):
        lines.append(f"‖∂h_T/∂h_t‖ is inf/NaN from step t = {bad.max()} back to 0")
    st.error(
        "**Overflow:** " + "; ".join(lines) + ". The red marks on the plot show where. "
        "Lower ρ, shorten T or pick tanh to bring the run back.",
        icon=":material/error:",
    )


@st.fragment
def cursor_panel(
    cfg: RunConfig, run: GradientRun, scene: Scene, marks: tuple[dict, ...] = ()
) -> None:
    """The step slider with the link to this scene, the numbers at t, and the curves.

    A fragment: moving t reruns this panel only, not the spectrum and clipping panels, which
    do not depend on t. The link lives here so that it always carries the current t.
    """
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        t = time_cursor(scene.trace.T, "Step t (the cursor on the curves)")
    with right:
        scene_link()
    if not side_by_side(screen.current()):  # the chart first, its numbers under it
        curves_chart(cfg, t, marks)
        numbers_at(run, scene, t)
        return
    chart, numbers = st.columns([4, 1], gap="medium")
    with chart:
        curves_chart(cfg, t, marks)
    with numbers:
        numbers_at(run, scene, t, columns=1)


def curves_chart(cfg: RunConfig, t: int, marks: tuple[dict, ...] = ()) -> None:
    """The two norms and the bound against t, the cursor at t (Play moves it).

    The figure (T frames) is built once per config, clip aside, and re-aimed at t.
    """
    cfg = cfg.with_(clip=None)

    def build(s: int) -> dict:
        run = gradient_run(cfg)
        kind = cached_scene(cfg).params.kind
        return figs.gradient_curves(run.dL, run.jac, s, kind, run.bound, run.h_overflow)

    run = gradient_run(cfg)
    alt = figs.gradient_curves_alt(run.dL, run.jac, t, run.bound)
    height = main_figure_height(screen.current(), figs.CURVES_HEIGHT)
    show_animated(("grad_curves", cfg), build, t, "grad_curves", height, alt=alt, extra=marks)


def numbers_at(run: GradientRun, scene: Scene, t: int, columns: int = 4) -> None:
    """The plotted numbers at the chosen step t, and what the loss L is: in a row, or in one
    column beside the chart."""
    cols = st.columns(4) if columns == 4 else [st.container() for _ in range(4)]
    cols[0].metric(rf"$\|\partial L / \partial h_{{{t}}}\|$", figs.sci(run.dL[t]))
    cols[1].metric(rf"$\|\partial h_T / \partial h_{{{t}}}\|$", figs.sci(run.jac[t]))
    if run.bound is not None:
        cols[2].metric(rf"bound $\eta^{{T-{t}}}$", figs.sci(run.bound[t]))
    else:
        cols[2].metric("Pascanu's bound", "—", help="Stated for the vanilla RNN only.")
    cols[3].metric("loss L", figs.sci(run.loss), help=loss_words(scene))


def loss_words(scene: Scene) -> str:
    """What the loss L is: which steps are scored, how, and which readout of h_t is used."""
    what = "next-step" if scene.seq.where == "every" else "last-step"
    loss = "cross-entropy" if scene.seq.loss == "xent" else "squared error"
    if scene.cfg.weights == "random":
        seed = scene.cfg.seed
        readout = f"a random linear readout of h_t (drawn like torch.nn.Linear, seed {seed})"
    else:
        readout = f"the trained model's own readout of h_t (W_hy and b_y of {scene.cfg.weights})"
    return f"{what} {loss} of {readout}"


def spectrum_chart(run: GradientRun, scene: Scene) -> None:
    """Singular values of W_hh (per gate block) and the 1/gamma line, with this run's spectral
    radius beside sigma_max (the sidebar's rho sets the one, Pascanu's threshold is about the
    other)."""
    p = scene.params
    fig = figs.singular_values_figure(run.svals, run.thresholds, p.kind, p.nonlinearity)
    alt = figs.singular_values_alt(run.svals, run.thresholds)
    show_figure(fig, key="grad_spectrum", height=480, alt=alt)
    st.markdown(spectrum_words(scene))


def spectrum_numbers(scene: Scene) -> dict[str, tuple[float, float]]:
    """Block -> (spectral radius, sigma_max) of this run's recurrent weights."""
    p = scene.params
    return {
        b: (
            gradients.spectral_radius(p.W_hh[p.block(b)]),
            gradients.singular_values(p.W_hh[p.block(b)])[0],
        )
        for b in BLOCKS[p.kind]
    }


def spectrum_words(scene: Scene) -> str:
    """The two sizes of W_hh side by side, in words."""
    parts = []
    for b, (radius, top) in spectrum_numbers(scene).items():
        name = "$W_{hh}$" if b == "a" else f"$W_{{h{b}}}$"
        parts.append(
            f"{name}: spectral radius $\\max|\\lambda|$ = **{radius:.3g}**, "
            f"$\\sigma_{{\\max}}$ = **{top:.3g}**"
        )
    cfg = scene.cfg
    if cfg.weights != "random":
        rho = "ρ in the sidebar does not apply to trained weights"
    elif cfg.init == "pytorch":
        rho = "PyTorch's init ignores ρ in the sidebar"
    else:
        rho = "ρ in the sidebar sets the spectral radius"
    return (
        "**This run's** " + "; ".join(parts) + ". The threshold is about $\\sigma_{\\max}$, "
        f"the most any vector is stretched; {rho}. The two agree for *orthogonal* and "
        "*identity*; for a *Gaussian* matrix $\\sigma_{\\max}$ is about twice the spectral "
        "radius."
    )


def _scaled(g: np.ndarray) -> tuple[np.ndarray, float]:
    """g divided by a power of two near its largest entry, so norms of huge g stay finite."""
    top = float(np.abs(g).max()) if g.size else 0.0
    s = 2.0 ** np.floor(np.log2(top)) if top > 1.0 else 1.0
    return g / s, s


def clipping_panel(run: GradientRun, theta: float | None) -> None:
    """Norm and element-wise clipping of g at theta: norms before and after, and direction."""
    preview = theta is None
    theta = 1.0 if preview else theta
    if not np.isfinite(run.g).all():
        st.error(
            "The weight gradient itself is inf/NaN: no clipping can give it back a direction. "
            "Clip *before* it overflows, or skip the update (PyTorch's `clip_grad_norm_` has "
            "`error_if_nonfinite=True` for this).",
            icon=":material/error:",
        )
        return
    # clipping commutes with scaling: clip(g, θ) = s clip(g/s, θ/s); this keeps norms finite
    u, s = _scaled(run.g)
    clipped = {
        "g": u,
        "norm": gradients.clip_by_norm(u, theta / s),
        "elem": gradients.clip_elementwise(run.g, theta) / s,
    }
    norms = {k: float(np.linalg.norm(v)) * s for k, v in clipped.items()}
    top2 = np.argsort(-np.abs(run.g))[:2] if run.g.size > 1 else np.array([0, 0])
    names = tuple(component_name(run.parts, int(k)) for k in top2)
    vectors = {k: v[top2] * s for k, v in clipped.items()}
    if preview:
        st.info(
            "Clipping is off in the sidebar: showing what θ = 1 would do.",
            icon=":material/content_cut:",
        )
    left, right = st.columns(2)
    with left:
        fig, alt = figs.clip_norms_figure(norms, theta), figs.clip_norms_alt(norms, theta)
        show_figure(fig, key="grad_clip_norms", height=440, alt=alt)
    with right:
        fig = figs.clip_direction_figure(vectors, theta, names)
        alt = figs.clip_direction_alt(vectors, names)
        show_figure(fig, key="grad_clip_direction", height=440, alt=alt)
    cols = st.columns(3)
    cols[0].metric("‖g‖", figs.sci(norms["g"]))
    cols[1].metric("cos(g, norm-clipped)", f"{gradients.cosine(u, clipped['norm']):.4f}")
    cols[2].metric("cos(g, element-clipped)", f"{gradients.cosine(u, clipped['elem']):.4f}")
    st.markdown(global_norm_words(run, theta))
    st.markdown(adam_words(run, theta))


def global_norm_words(run: GradientRun, theta: float) -> str:
    """Norm clipping acts on one norm over every weight, as torch's clip_grad_norm_ does."""
    u, s = _scaled(run.g)
    total, sizes, start = gradients.norm(u) * s, {}, 0
    for name, shape in run.parts:
        size = int(np.prod(shape))
        sizes[name] = gradients.norm(u[start : start + size]) * s
        start += size
    big = max(sizes, key=sizes.get)
    factor = min(1.0, theta / total) if total > 0 else 1.0
    base, _, sub = big.partition("_")
    return (
        f"**One global norm.** ‖g‖ = {figs.sci(total)} is the norm of all {run.g.size:,} "
        f"weight gradients of the {len(run.parts)} tensors taken together, as "
        "`torch.nn.utils.clip_grad_norm_` computes it (the largest single tensor, "
        f"${base}_{{{sub}}}$, has norm {figs.sci(sizes[big])}). Norm clipping multiplies every "
        f"tensor by the same factor, here {figs.sci(factor)}, so the direction of the whole "
        "update is kept; clipping each tensor on its own could turn it."
    )


def adam_words(run: GradientRun, theta: float, before: int = 20, after: int = 10) -> str:
    """What clipping does under Adam, with this run's g as a spike among norm-1 gradients."""
    u, s = _scaled(run.g)
    size = gradients.norm(u) * s
    if not 0 < size < np.inf:
        return ""
    ordinary = u / gradients.norm(u)  # this direction, norm 1
    spikes = {"raw": ordinary * size, "clipped": ordinary * min(size, theta)}
    steps = {
        k: gradients.adam_update_norms([ordinary] * before + [g] + [ordinary] * after)
        for k, g in spikes.items()
    }
    usual = steps["raw"][before - 1]
    first = {k: gradients.adam_update_norms([g])[0] for k, g in spikes.items()}
    late = {k: v[-1] / usual for k, v in steps.items()}
    words = (
        "**With Adam** each weight's step is divided by the running size of its own gradient, "
        "so the step barely depends on the gradient's scale: Adam's first step from this g and "
        f"from the clipped g differ by a factor of {first['raw'] / first['clipped']:.4f}. "
        "Clipping still matters after a spike: the spike stays in Adam's running averages. "
    )
    if size <= theta:
        return words + (
            f"This g is below θ = {theta:g}, so clipping leaves it alone; the *Clipping* item "
            "in What to try below has a spike."
        )
    return words + (
        f"If this g (‖g‖ = {figs.sci(size)}) came after {before} gradients of norm 1 pointing "
        f"the same way, the step {after} updates later is {figs.sci(late['raw'])} × the usual "
        f"step without clipping and {figs.sci(late['clipped'])} × with θ = {theta:g}."
    )


def _setting_numbers(key: str, k: int, setting: Setting) -> dict[str, str]:
    scene = make_scene(setting.config())
    jac = gradients.jacobian_norms(scene.params, scene.seq.x, trace=scene.trace)
    rate = gradients.step_rate(jac)
    out = {
        f"{key}{k}_rate": rate_label(rate),
        f"{key}{k}_gain": figs.sci(jac[0]),
        f"{key}{k}_regime": analyse(scene, jac).regime.upper(),
    }
    if scene.params.kind == "lstm":
        route = gradients.lstm_cell_route(scene.params, scene.trace)
        others = gradients.jacobians(scene.params, scene.trace)[0] - route.jac
        out |= {
            f"{key}{k}_keep": figs.sci(np.median(route.keep)),
            f"{key}{k}_entry": f"{route.entry:.2g}",
            f"{key}{k}_exit": figs.sci(np.median(route.exit)),
            f"{key}{k}_route": figs.sci(route.gain),
            f"{key}{k}_others": figs.sci(gradients.spectral_norms(others[None])[0]),
        }
    return out


@st.cache_resource(max_entries=1, show_spinner=False)
def tip_numbers() -> dict[str, str]:
    """Every number the "what to try" items quote, computed at their settings (once per
    process): ``{tip}{k}_rate``, ``_gain``, ``_regime`` and, for the LSTM, the cell route."""
    out = {}
    for key, settings in GRADIENT_TIPS.items():
        for k, setting in enumerate(settings):
            out |= _setting_numbers(key, k, setting)
    rho = float(GRADIENT_TIPS["not_tight"][1].params["rho"])
    h = gradients.tanh_fixed_point(rho)
    out |= {"fixed_h": f"{h:.3f}", "fixed_slope": f"{rho * (1 - h * h):.2f}"}
    return out


def fill(text: str, numbers: dict[str, str]) -> str:
    """``text`` with every «name» replaced by its computed number (a missing name raises)."""
    return re.sub(r"«(\w+)»", lambda m: numbers[m[1]], text)


def _apply(setting: Setting) -> None:
    """Move the sidebar to a setting: its values, every other control at the page's default."""
    cfg = setting.config()
    for key in ("source", "seq_len", "cell", "weights", "hidden_size", "seed", "activation"):
        st.session_state[key] = getattr(cfg, key)
    st.session_state["init"], st.session_state["rho"] = cfg.init, cfg.rho
    fb, clip = cfg.forget_bias, cfg.clip
    st.session_state["forget_bias"] = "random" if fb is None else f"{fb:g}"
    st.session_state["clip"] = "off" if clip is None else f"{clip:g}"


def what_to_try(items: list[tuple[str, str | None]]) -> None:
    """The page's experiments, numbers filled in, each with buttons that switch to it."""
    numbers = tip_numbers()
    with st.container(border=True):
        st.markdown("**What to try**")
        for n, (text, key) in enumerate(items, 1):
            st.markdown(f"{n}. " + fill(text, numbers))
            settings = GRADIENT_TIPS.get(key, ()) if key else ()
            if settings:
                for col, (k, s) in zip(st.columns(len(settings)), enumerate(settings), strict=True):
                    col.button(
                        s.label,
                        key=f"try_{key}_{k}",
                        icon=":material/play_arrow:",
                        on_click=_apply,
                        args=(s,),
                        width="stretch",
                    )
