"""Vanilla RNN, LSTM and GRU cells written from scratch in NumPy, with PyTorch's conventions.

Each step function returns a small record (a dict of arrays) with every intermediate value the
explainer shows; nothing is stashed on objects. Gate rows are stacked as PyTorch stacks them:
LSTM ``i, f, g, o`` and GRU ``r, z, n``.

References: PyTorch docs for torch.nn.RNN, torch.nn.LSTM, torch.nn.GRU;
Hochreiter & Schmidhuber 1997 (LSTM); Gers et al. 2000 (forget gate); Cho et al. 2014 (GRU).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KINDS = ("rnn", "lstm", "gru")
GATES = {"rnn": (), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}
BLOCKS = {"rnn": ("a",), "lstm": GATES["lstm"], "gru": GATES["gru"]}
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
# bound on |act'|, the gamma of Pascanu et al. 2013
ACTIVATION_GAIN = {"tanh": 1.0, "relu": 1.0, "sigmoid": 0.25, "linear": 1.0}


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Logistic function written through tanh, which never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def activate(name: str, a: np.ndarray) -> np.ndarray:
    """Apply the vanilla RNN's nonlinearity ``act`` to pre-activations ``a``."""
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.maximum(a, 0.0)
    if name == "sigmoid":
        return sigmoid(a)
    if name == "linear":
        return a.copy()
    raise ValueError(f"unknown activation {name!r}; choose one of {ACTIVATIONS}")


def activation_slope(name: str, a: np.ndarray, h: np.ndarray) -> np.ndarray:
    """``act'(a)``, written with the output ``h = act(a)`` where that is cheaper."""
    if name == "tanh":
        return 1.0 - h * h
    if name == "relu":
        return (a > 0.0).astype(a.dtype)
    if name == "sigmoid":
        return h * (1.0 - h)
    if name == "linear":
        return np.ones_like(a)
    raise ValueError(f"unknown activation {name!r}; choose one of {ACTIVATIONS}")


@dataclass(frozen=True, eq=False)
class CellParams:
    """Weights of one recurrent layer, named and shaped as in PyTorch.

    ``W_ih`` is (G*H, D) and ``W_hh`` is (G*H, H), with G = 1 (RNN), 4 (LSTM) or 3 (GRU) blocks
    of rows stacked in the order of ``BLOCKS[kind]``; ``b_ih`` and ``b_hh`` are (G*H,).
    """

    kind: str
    W_ih: np.ndarray  # (G*H, D)
    W_hh: np.ndarray  # (G*H, H)
    b_ih: np.ndarray  # (G*H,)
    b_hh: np.ndarray  # (G*H,)
    nonlinearity: str = "tanh"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown cell kind {self.kind!r}; choose one of {KINDS}")
        if self.kind == "rnn" and self.nonlinearity not in ACTIVATIONS:
            raise ValueError(
                f"unknown activation {self.nonlinearity!r}; choose one of {ACTIVATIONS}"
            )
        G = len(BLOCKS[self.kind])
        W_hh, W_ih = np.asarray(self.W_hh), np.asarray(self.W_ih)
        if W_hh.ndim != 2 or W_hh.shape[0] != G * W_hh.shape[1]:
            raise ValueError(f"W_hh has shape {W_hh.shape}; a {self.kind} needs ({G}*H, H)")
        rows = W_hh.shape[0]
        if W_ih.ndim != 2 or W_ih.shape[0] != rows:
            raise ValueError(f"W_ih has shape {W_ih.shape}; this {self.kind} needs ({rows}, D)")
        for name in ("b_ih", "b_hh"):
            if np.shape(getattr(self, name)) != (rows,):
                raise ValueError(
                    f"{name} has shape {np.shape(getattr(self, name))}; expected ({rows},)"
                )

    @property
    def hidden_size(self) -> int:
        return self.W_hh.shape[1]

    @property
    def input_size(self) -> int:
        return self.W_ih.shape[1]

    @property
    def n_params(self) -> int:
        return sum(w.size for w in (self.W_ih, self.W_hh, self.b_ih, self.b_hh))

    def block(self, name: str) -> slice:
        """Rows of the stacked weights that belong to gate (or block) ``name``."""
        k = BLOCKS[self.kind].index(name)
        return slice(k * self.hidden_size, (k + 1) * self.hidden_size)


def n_params(kind: str, input_size: int, hidden_size: int) -> int:
    """Parameter count ``G (H D + H H + 2 H)`` of one layer, as PyTorch counts it."""
    g = len(BLOCKS[kind])
    return g * (hidden_size * input_size + hidden_size * hidden_size + 2 * hidden_size)


def blocks(v: np.ndarray, n: int) -> list[np.ndarray]:
    """The n equal blocks of rows stacked in ``v`` (views; ``np.split`` costs 25 us a call)."""
    H = v.shape[0] // n
    return [v[k * H : (k + 1) * H] for k in range(n)]


def rnn_step(p: CellParams, x_t: np.ndarray, h_prev: np.ndarray) -> dict[str, np.ndarray]:
    r"""One step of the vanilla (Elman) RNN.

    .. math::
        h_t = \operatorname{act}(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})
    """
    a = p.W_ih @ x_t + p.b_ih + p.W_hh @ h_prev + p.b_hh
    return {"pre": a, "h": activate(p.nonlinearity, a)}


def lstm_step(
    p: CellParams, x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray
) -> dict[str, np.ndarray]:
    r"""One step of the LSTM (no peepholes), gates stacked i, f, g, o as in PyTorch.

    .. math::
        i_t = \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) \\
        f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) \\
        g_t = \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) \\
        o_t = \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) \\
        c_t = f_t \odot c_{t-1} + i_t \odot g_t \\
        h_t = o_t \odot \tanh(c_t)
    """
    pre = p.W_ih @ x_t + p.b_ih + p.W_hh @ h_prev + p.b_hh
    a_i, a_f, a_g, a_o = blocks(pre, 4)
    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_g), sigmoid(a_o)
    # keep what the forget gate lets through, add what the input gate writes
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return {"pre": pre, "i": i, "f": f, "g": g, "o": o, "c": c, "h": h}


def gru_step(p: CellParams, x_t: np.ndarray, h_prev: np.ndarray) -> dict[str, np.ndarray]:
    r"""One step of the GRU as PyTorch runs it: reset applied after the matmul ``W_{hn} h``.

    .. math::
        r_t = \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr}) \\
        z_t = \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz}) \\
        n_t = \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn})) \\
        h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}
    """
    gi = p.W_ih @ x_t + p.b_ih  # (3H,)
    gh = p.W_hh @ h_prev + p.b_hh  # (3H,)
    i_r, i_z, i_n = blocks(gi, 3)
    h_r, h_z, h_n = blocks(gh, 3)
    r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
    a_n = i_n + r * h_n
    n = np.tanh(a_n)
    # blend the previous hidden state and the new candidate
    h = (1.0 - z) * n + z * h_prev
    pre = np.concatenate([i_r + h_r, i_z + h_z, a_n])
    return {"pre": pre, "r": r, "z": z, "n": n, "hn": h_n, "h": h}


STEPS = {"rnn": rnn_step, "lstm": lstm_step, "gru": gru_step}


@dataclass(frozen=True, eq=False)
class BiParams:
    """A bidirectional layer: two cells of one kind and size, ``fwd`` reading x_1..x_T and
    ``bwd`` reading x_T..x_1 (torch's ``*_l0`` and ``*_l0_reverse`` weights)."""

    fwd: CellParams
    bwd: CellParams

    def __post_init__(self) -> None:
        f, b = self.fwd, self.bwd
        if (f.kind, f.hidden_size, f.input_size) != (b.kind, b.hidden_size, b.input_size):
            raise ValueError("the two directions must be cells of the same kind and sizes")

    @property
    def kind(self) -> str:
        return self.fwd.kind


def params_from_torch(m) -> CellParams | BiParams:
    """Copy a one-layer ``torch.nn.RNN/LSTM/GRU`` or ``RNNCell/LSTMCell/GRUCell`` (float64);
    a bidirectional module gives a ``BiParams`` holding both directions."""
    name = type(m).__name__
    kind = {"RNN": "rnn", "LSTM": "lstm", "GRU": "gru"}.get(name.removesuffix("Cell"))
    if kind is None:
        raise ValueError(f"cannot read a {name}; expected torch.nn.RNN/LSTM/GRU or a *Cell")
    if name.endswith("Cell"):
        return _read_direction(m, kind, "")
    if m.num_layers != 1 or getattr(m, "proj_size", 0):
        raise ValueError("only one-layer modules without projection are supported")
    if m.bidirectional:
        return BiParams(_read_direction(m, kind, "_l0"), _read_direction(m, kind, "_l0_reverse"))
    return _read_direction(m, kind, "_l0")


def _read_direction(m, kind: str, suffix: str) -> CellParams:
    def read(w: str) -> np.ndarray | None:
        t = getattr(m, w + suffix, None)
        return None if t is None else t.detach().cpu().double().numpy().copy()

    W_ih, W_hh = read("weight_ih"), read("weight_hh")
    zeros = np.zeros(W_hh.shape[0])
    b_ih = read("bias_ih") if m.bias else zeros
    b_hh = read("bias_hh") if m.bias else zeros.copy()
    return CellParams(kind, W_ih, W_hh, b_ih, b_hh, getattr(m, "nonlinearity", "tanh"))


def params_to_torch(p: CellParams):
    """An equivalent float64 ``torch.nn.RNNCell/LSTMCell/GRUCell`` holding copies of ``p``."""
    import torch

    H, D = p.hidden_size, p.input_size
    if p.kind == "rnn":
        if p.nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"torch's RNN offers tanh and relu only, not {p.nonlinearity!r}")
        cell = torch.nn.RNNCell(D, H, nonlinearity=p.nonlinearity)
    else:
        cell = {"lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell}[p.kind](D, H)
    cell = cell.double()
    with torch.no_grad():
        for name, w in (
            ("weight_ih", p.W_ih),
            ("weight_hh", p.W_hh),
            ("bias_ih", p.b_ih),
            ("bias_hh", p.b_hh),
        ):
            getattr(cell, name).copy_(torch.from_numpy(np.asarray(w, dtype=np.float64)))
    return cell
