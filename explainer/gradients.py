r"""Backpropagation through time by hand, and the quantities the gradients page plots.

One backward sweep serves both stories: pushed from a loss it gives ``dL/dh_t`` and the weight
gradients; seeded with the identity at step T it gives the Jacobians ``dh_T/dh_t`` (every row
of the identity is one output unit), whose spectral norms show vanishing and exploding.

.. math::
    \frac{\partial h_T}{\partial h_t} = \prod_{k=t+1}^{T} \frac{\partial h_k}{\partial h_{k-1}},
    \qquad \frac{\partial h_k}{\partial h_{k-1}}
    = \operatorname{diag}(\operatorname{act}'(a_k))\, W_{hh}
    \ \text{(vanilla RNN)}

References: Werbos 1990 (BPTT); Pascanu, Mikolov & Bengio 2013, arXiv:1211.5063 (bounds,
norm clipping, Alg. 1); Karpathy's min-char-rnn (the backward loop).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from explainer.cells import ACTIVATION_GAIN, CellParams, activation_slope
from explainer.trace import Readout, Trace
from explainer.unroll import unroll

LOSSES = ("mse", "xent")
WHERE = ("last", "every")
# two threads share the SVDs only while OpenBLAS runs one thread each (make app / make test
# set it): on top of OpenBLAS's own threads they oversubscribe 2 cores, 100x slower under load
POOL_MIN_WORK = 2_000_000  # N m n min(m, n): about the flops of the stack's Gram matrices
_POOL = (
    ThreadPoolExecutor(max_workers=2, thread_name_prefix="svd")
    if os.environ.get("OPENBLAS_NUM_THREADS") == "1"
    else None
)


@dataclass(frozen=True, eq=False)
class Grads:
    """Gradients of a scalar loss: per-step state gradients and the weight gradients."""

    dh: np.ndarray  # (T+1, H) total dL/dh_t
    dc: np.ndarray | None  # (T+1, H) total dL/dc_t, LSTM only
    dx: np.ndarray  # (T, D)
    W_ih: np.ndarray  # (G*H, D)
    W_hh: np.ndarray  # (G*H, H)
    b_ih: np.ndarray  # (G*H,)
    b_hh: np.ndarray  # (G*H,)
    W_hy: np.ndarray | None = None  # (O, H)
    b_y: np.ndarray | None = None  # (O,)

    def flat(self) -> np.ndarray:
        """All weight gradients as one vector (the ``g`` that norm clipping rescales)."""
        parts = [self.W_ih, self.W_hh, self.b_ih, self.b_hh, self.W_hy, self.b_y]
        return np.concatenate([w.ravel() for w in parts if w is not None])


def _rnn_factors(p: CellParams, tr: Trace) -> dict[str, np.ndarray]:
    # act'(a_t) for every step at once
    return {"slope": activation_slope(p.nonlinearity, tr.pre, tr.h[1:])}


def _rnn_vjp(k: dict, t: int, dh: np.ndarray, dc):
    # backprop through the nonlinearity: da = dh * act'(a)
    da = dh * k["slope"][t - 1]
    return da, da, 0.0, None, None


def _lstm_factors(p: CellParams, tr: Trace) -> dict[str, np.ndarray]:
    i, f, g, o = (tr.gates[n] for n in "ifgo")
    tc = np.tanh(tr.c[1:])
    # d(pre)/dc_t for i, f, g and d(pre)/dh_t for o, side by side as PyTorch stacks the rows
    local = np.concatenate(
        [g * i * (1 - i), tr.c[:-1] * f * (1 - f), i * (1 - g * g), tc * o * (1 - o)], 1
    )
    return {"through_h": o * (1.0 - tc * tc), "local": local, "f": f}


def _lstm_vjp(k: dict, t: int, dh: np.ndarray, dc: np.ndarray):
    # c_t reaches the loss directly and through h_t = o * tanh(c_t)
    dc = dc + dh * k["through_h"][t - 1]
    d_pre = np.concatenate([dc, dc, dc, dh], axis=-1) * k["local"][t - 1]
    # the cell path: dc_{t-1} = dc_t * f_t
    return d_pre, d_pre, 0.0, dc * k["f"][t - 1], dc


def _gru_factors(p: CellParams, tr: Trace) -> dict[str, np.ndarray]:
    r, z, n = (tr.gates[k] for k in "rzn")
    return {
        "n": (1.0 - z) * (1.0 - n * n),  # dh_t/da_n
        "r": tr.hn * r * (1.0 - r),  # da_n/da_r
        "z": (tr.h[:-1] - n) * z * (1.0 - z),  # dh_t/da_z
        "reset": r,
        "keep": z,
    }


def _gru_vjp(k: dict, t: int, dh: np.ndarray, dc):
    # h_t = (1 - z) n + z h_{t-1}
    d_an = dh * k["n"][t - 1]
    d_ar, d_az = d_an * k["r"][t - 1], dh * k["z"][t - 1]
    d_gi = np.concatenate([d_ar, d_az, d_an], axis=-1)
    # the reset gate scales W_hn h + b_hn after the matmul
    d_gh = np.concatenate([d_ar, d_az, d_an * k["reset"][t - 1]], axis=-1)
    return d_gi, d_gh, dh * k["keep"][t - 1], None, None


_VJP = {
    "rnn": (_rnn_factors, _rnn_vjp),
    "lstm": (_lstm_factors, _lstm_vjp),
    "gru": (_gru_factors, _gru_vjp),
}


def _sweep(p: CellParams, tr: Trace, dh_T: np.ndarray, on_step, dh_direct=None, dc_T=None) -> None:
    """Walk from step T back to step 0 with cotangents of shape (B, H).

    ``dh_direct`` (T+1, B, H) is added to dL/dh_t where a loss touches h_t directly; ``dc_T``
    (B, H) seeds dL/dc_T (an LSTM whose last cell state feeds a decoder).
    ``on_step(t, dh_t, dc_t, d_gi, d_gh)`` sees each step's cotangents (d_gi is None at t=0).
    """
    dh = dh_T
    dc = None
    if tr.c is not None:
        dc = np.zeros_like(dh) if dc_T is None else np.asarray(dc_T, dtype=np.float64)
    factors, vjp = _VJP[p.kind]
    with np.errstate(over="ignore", invalid="ignore"):
        k = factors(p, tr)
        for t in range(tr.T, 0, -1):
            # dc_t comes back total: directly and through h_t = o_t tanh(c_t)
            d_gi, d_gh, dh_keep, dc_prev, dc_t = vjp(k, t, dh, dc)
            on_step(t, dh, dc_t, d_gi, d_gh)
            # h_{t-1} feeds every block through W_hh (and the GRU's blend directly)
            dh = d_gh @ p.W_hh + dh_keep
            if dh_direct is not None:
                dh = dh + dh_direct[t - 1]
            dc = dc_prev
        on_step(0, dh, dc, None, None)


def backward(p: CellParams, tr: Trace, dh_direct: np.ndarray, dc_T=None) -> Grads:
    """BPTT for a loss that touches the hidden states directly with ``dh_direct`` (T+1, H)
    (and, for an LSTM, its last cell state with ``dc_T`` (H,))."""
    T, H, GH = tr.T, tr.H, p.W_hh.shape[0]
    dh_direct = np.asarray(dh_direct, dtype=np.float64)
    if dh_direct.shape != (T + 1, H):
        raise ValueError(f"dh_direct must have shape ({T + 1}, {H}); got {dh_direct.shape}")
    dh_all, dc_all = np.empty((T + 1, H)), (np.empty((T + 1, H)) if tr.c is not None else None)
    d_gi_all, d_gh_all = np.empty((T, GH)), np.empty((T, GH))

    def record(t, dh, dc, d_gi, d_gh):
        dh_all[t] = dh[0]
        if dc_all is not None:
            dc_all[t] = dc[0]
        if d_gi is not None:
            d_gi_all[t - 1], d_gh_all[t - 1] = d_gi[0], d_gh[0]

    seed_c = None if dc_T is None else np.asarray(dc_T, dtype=np.float64)[None]
    _sweep(p, tr, dh_direct[T][None], record, dh_direct[:, None, :], seed_c)
    with np.errstate(over="ignore", invalid="ignore"):
        return Grads(
            dh=dh_all,
            dc=dc_all,
            dx=d_gi_all @ p.W_ih,
            W_ih=d_gi_all.T @ tr.x,
            W_hh=d_gh_all.T @ tr.h[:-1],
            b_ih=d_gi_all.sum(axis=0),
            b_hh=d_gh_all.sum(axis=0),
        )


def readout_loss(
    tr: Trace, readout: Readout, target: np.ndarray, loss: str = "mse", where: str = "last"
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Loss on ``y_t = W_hy h_t + b_y`` and its gradient on the hidden states.

    ``mse``: mean of ``(y - target)^2`` over the scored steps and outputs (torch's MSELoss);
    ``xent``: mean over the scored steps of ``-log softmax(y_t)[target_t]`` (torch's
    CrossEntropyLoss). ``where`` scores the last step only or every step.
    Returns ``(L, dh_direct (T+1, H), dW_hy, db_y)``.
    """
    if loss not in LOSSES or where not in WHERE:
        raise ValueError(f"loss must be one of {LOSSES} and where one of {WHERE}")
    steps = np.arange(tr.T) if where == "every" else np.array([tr.T - 1])
    h = tr.h[1:][steps]  # (S, H)
    y = h @ readout.W_hy.T + readout.b_y  # (S, O)
    target = np.asarray(target)
    if loss == "mse":
        tgt = target.reshape(y.shape).astype(np.float64)
        L = float(np.mean((y - tgt) ** 2))
        dy = 2.0 * (y - tgt) / y.size
    else:
        ids = target.reshape(len(steps)).astype(int)
        z = y - y.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        L = float(-logp[np.arange(len(steps)), ids].mean())
        dy = np.exp(logp)
        dy[np.arange(len(steps)), ids] -= 1.0
        dy /= len(steps)
    dh_direct = np.zeros_like(tr.h)
    dh_direct[steps + 1] = dy @ readout.W_hy
    return L, dh_direct, dy.T @ h, dy.sum(axis=0)


def loss_gradients(
    p: CellParams, x: np.ndarray, readout: Readout, target, loss="mse", where="last", h0=None
) -> tuple[float, Grads, Trace]:
    """Forward, loss on the readout, and the full hand-written backward in one call."""
    tr = unroll(p, x, h0, readout=readout)
    return (*trace_gradients(p, tr, readout, target, loss, where), tr)


def trace_gradients(
    p: CellParams, tr: Trace, readout: Readout, target, loss="mse", where="last"
) -> tuple[float, Grads]:
    """The loss and every gradient of a run already unrolled (``tr``): the backward only."""
    L, dh_direct, dW_hy, db_y = readout_loss(tr, readout, target, loss, where)
    g = backward(p, tr, dh_direct)
    return L, Grads(**{**g.__dict__, "W_hy": dW_hy, "b_y": db_y})


def jacobians(p: CellParams, tr: Trace) -> np.ndarray:
    """(T+1, H, H) ``dh_T/dh_t`` for t = 0..T, the LSTM cell state c_t held fixed.

    The derivative is total through the unrolled graph: every path from h_t to h_T, including
    those through later cell states. Overflow gives inf/NaN entries, never an exception.
    """
    mats = np.empty((tr.T + 1, tr.H, tr.H))

    def record(t, dh, dc, d_gi, d_gh):
        mats[t] = dh

    # row j of the identity asks how h_T[j] depends on the earlier states
    _sweep(p, tr, np.eye(tr.H), record)
    return mats


def jacobian_norms(p: CellParams, x: np.ndarray, h0=None, trace: Trace | None = None) -> np.ndarray:
    """(T+1,) spectral norms ``||dh_T/dh_t||_2`` for t = 0..T (entry T is 1); inf on overflow."""
    return spectral_norms(jacobians(p, trace if trace is not None else unroll(p, x, h0)))


def spectral_norms(mats: np.ndarray) -> np.ndarray:
    r"""Largest singular value of each matrix in a (N, m, n) stack; inf where an entry is not
    finite.

    .. math::

        \|M\|_2 = s \sqrt{\lambda_{\max}(U U^\top)}, \qquad U = M / s,\ s = \max_{ij} |M_{ij}|

    LAPACK's symmetric eigensolver on the Gram matrix: about half the work of an SVD, and the
    largest eigenvalue comes with relative error ~1e-16 (only the small singular values lose
    precision when squared). Scaling by s first keeps 1e-200 and 1e200 from under- or
    overflowing when squared. The stack is split over two threads when OpenBLAS is
    single-threaded, since numpy's batched solvers loop one matrix at a time and release the GIL.
    """
    ok = np.isfinite(mats).all(axis=(1, 2))
    out = np.full(mats.shape[0], np.inf)
    good = mats[ok]
    if not len(good):
        return out
    # a second thread pays off past ~1 ms of work (handing it over costs ~0.2 ms)
    pooled = _POOL is not None and good.size * min(good.shape[1:]) > POOL_MIN_WORK
    parts = np.array_split(good, 2) if pooled and len(good) > 1 else [good]
    tops = (_POOL.map if pooled else map)(_gram_norms, parts)
    out[ok] = np.concatenate(list(tops))
    return out


def _gram_norms(mats: np.ndarray) -> np.ndarray:
    """``spectral_norms`` of finite matrices (one thread's share)."""
    s = np.abs(mats).max(axis=(1, 2))
    s = np.where(s > 0, s, 1.0)
    u = mats / s[:, None, None]
    gram = u @ np.swapaxes(u, 1, 2) if u.shape[1] <= u.shape[2] else np.swapaxes(u, 1, 2) @ u
    return s * np.sqrt(np.maximum(np.linalg.eigvalsh(gram)[:, -1], 0.0))


def singular_values(W: np.ndarray) -> np.ndarray:
    """Singular values of a matrix, largest first."""
    return np.linalg.svd(np.asarray(W, dtype=np.float64), compute_uv=False)


def spectral_radius(W: np.ndarray) -> float:
    """Largest eigenvalue modulus of a square matrix."""
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def pascanu_bound(p: CellParams, T: int) -> np.ndarray:
    r"""(T+1,) upper bound ``eta^(T-t)`` on ``||dh_T/dh_t||`` for a vanilla RNN.

    .. math::
        \left\|\frac{\partial h_T}{\partial h_t}\right\| \le \eta^{T-t},
        \qquad \eta = \gamma\, \sigma_{\max}(W_{hh}),\ |\operatorname{act}'| \le \gamma

    gamma = 1 for tanh, relu and linear, 1/4 for sigmoid (Pascanu et al. 2013, section 2.1).
    """
    if p.kind != "rnn":
        raise ValueError("Pascanu's bound is stated for the vanilla RNN")
    eta = ACTIVATION_GAIN[p.nonlinearity] * singular_values(p.W_hh)[0]
    with np.errstate(over="ignore"):
        return eta ** np.arange(T, -1, -1, dtype=np.float64)


def forget_gate_products(tr: Trace) -> np.ndarray:
    r"""(T+1, H) the cell path alone: ``dc_T/dc_t = prod_{k=t+1}^{T} f_k`` (entry T is 1).

    .. math::
        \frac{\partial c_T}{\partial c_t}\Big|_{\text{cell path}} = \prod_{k=t+1}^{T} f_k
    """
    if tr.kind != "lstm":
        raise ValueError("forget-gate products need an LSTM trace")
    f = tr.gates["f"]  # (T, H)
    tail = np.cumprod(f[::-1], axis=0)[::-1]  # tail[t] = f_{t+1} ... f_T
    return np.concatenate([tail, np.ones((1, tr.H))])


def norm(g: np.ndarray) -> float:
    """Euclidean norm that does not overflow for huge entries: ``m ||g / m||`` with m = max |g|."""
    g = np.asarray(g, dtype=np.float64)
    m = float(np.max(np.abs(g), initial=0.0))
    if m == 0.0 or not np.isfinite(m):
        return m
    return m * float(np.linalg.norm(g / m))


def clip_by_norm(g: np.ndarray, theta: float) -> np.ndarray:
    """Pascanu et al.'s Alg. 1: if ``||g|| >= theta``, ``g <- theta g / ||g||``; direction kept."""
    if theta <= 0:
        raise ValueError("the clipping threshold must be positive")
    size = norm(g)
    if np.isfinite(size) and size >= theta:
        # scale in two steps so a norm near the float limit cannot overflow theta / size
        return (g / size) * theta
    return g.copy()


def clip_elementwise(g: np.ndarray, c: float) -> np.ndarray:
    """min-char-rnn's clipping: every entry into ``[-c, c]`` (the direction may turn)."""
    if c <= 0:
        raise ValueError("the clipping threshold must be positive")
    return np.clip(g, -c, c)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of the angle between two vectors (1 means the same direction)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    na, nb = norm(a), norm(b)
    if not (0 < na < np.inf and 0 < nb < np.inf):
        return float("nan")
    return float((a / na) @ (b / nb))


# the band of "stable" per-step rates: a rate that loses (or gains) a factor 100 within 100
# steps sits at its edges, so a linear RNN with W_hh = rho Q is labelled by rho at every T
RATE_BAND = (100.0 ** (-1 / 100), 100.0 ** (1 / 100))  # about (0.955, 1.047)


def step_rate(norms: np.ndarray) -> float:
    r"""The per-step rate: the geometric mean of the gain per step, ``||dh_T/dh_0||^(1/T)``.

    .. math::
        \hat\eta = \Big\|\frac{\partial h_T}{\partial h_0}\Big\|^{1/T}

    Pascanu et al.'s eta bounds it from above (vanilla RNN). A linear RNN with W_hh = rho Q
    has a rate of exactly rho at every T; the end-to-end gain rho^T depends on T.
    """
    norms = np.asarray(norms, dtype=np.float64)
    T = len(norms) - 1
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return float(norms[0] ** (1.0 / T)) if T > 0 else float("nan")


def regime(norms: np.ndarray, band: tuple[float, float] = RATE_BAND) -> str:
    """Name what the Jacobian norms do over the run: overflow, vanishing, exploding or stable.

    Judged from the per-step rate (``step_rate``), so the label does not depend on T: below
    ``band[0]`` vanishing, above ``band[1]`` exploding; a non-finite value anywhere is an
    overflow.
    """
    norms = np.asarray(norms)
    if not np.isfinite(norms).all():
        return "overflow"
    rate = step_rate(norms)
    low, high = band
    return "vanishing" if rate < low else "exploding" if rate > high else "stable"


@dataclass(frozen=True)
class CellRoute:
    """The one route h_0 -> c_1 -> ... -> c_T -> h_T of an LSTM, factor by factor."""

    entry: float  # ||dc_1/dh_0||: h_0 reaches the cell state only through the step-1 gates
    keep: np.ndarray  # (H,) f_2 ... f_T: the cell path from c_1 to c_T
    exit: np.ndarray  # (H,) o_T tanh'(c_T): how much of c_T the last state h_T shows
    jac: np.ndarray  # (H, H) dh_T/dh_0 along this route alone

    @property
    def gain(self) -> float:
        """``||dh_T/dh_0||`` along this route alone."""
        return float(spectral_norms(self.jac[None])[0])


def lstm_cell_route(p: CellParams, tr: Trace) -> CellRoute:
    r"""The part of ``dh_T/dh_0`` that travels along the cell state only.

    .. math::
        \frac{\partial h_T}{\partial h_0}\Big|_{\text{cell route}}
        = \operatorname{diag}\big(o_T \tanh'(c_T)\big)
        \operatorname{diag}\Big(\prod_{k=2}^{T} f_k\Big) \frac{\partial c_1}{\partial h_0}

    Every other path leaves the cell through some h_k and re-enters through the gates.
    """
    if tr.kind != "lstm":
        raise ValueError("the cell route needs an LSTM trace")
    i, f, g, o = (tr.gates[n][0] for n in "ifgo")
    W = {b: p.W_hh[p.block(b)] for b in "ifg"}
    # c_1 = f_1 c_0 + i_1 g_1: h_0 moves it through the pre-activations of i, f and g
    entry = (
        (g * i * (1 - i))[:, None] * W["i"]
        + (tr.c[0] * f * (1 - f))[:, None] * W["f"]
        + (i * (1 - g * g))[:, None] * W["g"]
    )
    keep = forget_gate_products(tr)[1]
    exit_ = tr.gates["o"][-1] * (1.0 - np.tanh(tr.c[-1]) ** 2)
    route = (exit_ * keep)[:, None] * entry
    return CellRoute(float(spectral_norms(entry[None])[0]), keep, exit_, route)


def tanh_fixed_point(rho: float, steps: int = 200) -> float:
    """The positive h with ``h = tanh(rho h)`` (rho > 1): where a unit of ``W_hh = rho I``
    settles, and where its slope per step is ``rho tanh'(rho h) = rho (1 - h^2)``."""
    if rho <= 1:
        return 0.0
    h = 1.0
    for _ in range(steps):  # the iteration decreases from h = 1 onto the fixed point
        h = float(np.tanh(rho * h))
    return h


def adam_update_norms(
    grads: list[np.ndarray], lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8
) -> np.ndarray:
    r"""``||Delta p||`` of each Adam update for a sequence of gradients (Kingma & Ba 2015).

    .. math::
        \Delta p = -\,\mathrm{lr}\ \frac{m / (1 - \beta_1^t)}{\sqrt{v / (1 - \beta_2^t)} + \epsilon}

    Each weight's step is divided by its own running gradient size, so a gradient scaled by s
    gives about the same step; a spike stays in v for about 1/(1 - beta_2) steps.
    """
    b1, b2 = betas
    m = v = np.zeros_like(grads[0], dtype=np.float64)
    out = []
    with np.errstate(over="ignore", invalid="ignore"):
        for t, g in enumerate(grads, 1):
            m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
            step = lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
            out.append(norm(step))
    return np.array(out)
