"""Property tests over shapes and parameters, and clear errors for bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer import gradients
from explainer.cells import CellParams
from explainer.gradients import jacobian_norms, spectral_norms
from explainer.initializers import INITS, init_params
from explainer.unroll import unroll

cases = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["rnn", "lstm", "gru"]),
        "T": st.integers(1, 25),
        "D": st.integers(1, 4),
        "H": st.integers(1, 6),
        "init": st.sampled_from(INITS),
        "rho": st.floats(0.0, 3.0),
        "seed": st.integers(0, 2**31 - 1),
        "scale": st.floats(0.0, 50.0),
    }
)


def build(c, act="tanh"):
    p = init_params(
        c["kind"], c["D"], c["H"], nonlinearity=act, init=c["init"], rho=c["rho"], seed=c["seed"]
    )
    x = c["scale"] * np.random.default_rng(c["seed"]).standard_normal((c["T"], c["D"]))
    return p, x


@settings(max_examples=150, deadline=None)
@given(cases)
def test_bounded_cells_stay_finite_and_in_range(c):
    p, x = build(c)
    tr = unroll(p, x)
    assert tr.h.shape == (c["T"] + 1, c["H"]) and np.isfinite(tr.h).all()
    assert np.all(np.abs(tr.h) <= 1.0)
    for name, g in tr.gates.items():
        assert g.shape == (c["T"], c["H"])
        lo = -1.0 if name in ("g", "n") else 0.0
        assert np.all((g >= lo) & (g <= 1.0)), name
    if c["kind"] == "lstm":
        # |c_t| <= t since |f c + i g| <= |c| + 1
        assert np.all(np.abs(tr.c) <= np.arange(c["T"] + 1)[:, None] + 1e-12)
    norms = jacobian_norms(p, x, trace=tr)
    assert norms.shape == (c["T"] + 1,) and norms[-1] == pytest.approx(1.0)
    assert np.all(norms >= 0) and np.isfinite(norms).all()


@settings(max_examples=60, deadline=None)
@given(cases, st.sampled_from(["relu", "linear", "sigmoid"]))
def test_unbounded_activations_never_raise(c, act):
    c = {**c, "kind": "rnn"}
    p, x = build(c, act)
    tr = unroll(p, x)
    norms = jacobian_norms(p, x, trace=tr)
    assert norms.shape == (c["T"] + 1,)
    if act == "sigmoid":
        assert np.all((tr.h[1:] >= 0) & (tr.h[1:] <= 1))


def test_bad_input_raises_clear_value_errors():
    p = init_params("lstm", 3, 4)
    with pytest.raises(ValueError, match=r"shape \(T, D\)"):
        unroll(p, np.zeros(3))
    with pytest.raises(ValueError, match="expects 3"):
        unroll(p, np.zeros((5, 2)))
    with pytest.raises(ValueError, match="empty"):
        unroll(p, np.zeros((0, 3)))
    with pytest.raises(ValueError, match="NaN or inf"):
        unroll(p, np.array([[0.0, np.nan, 1.0]]))
    with pytest.raises(ValueError, match="h0 must have shape"):
        unroll(p, np.zeros((2, 3)), h0=np.zeros(5))
    with pytest.raises(ValueError, match="unknown cell kind"):
        init_params("transformer", 3, 4)
    with pytest.raises(ValueError, match="unknown cell kind"):
        CellParams("mlp", np.zeros((4, 3)), np.zeros((4, 4)), np.zeros(4), np.zeros(4))
    with pytest.raises(ValueError, match="unknown activation"):
        init_params("rnn", 3, 4, nonlinearity="softplus")
    with pytest.raises(ValueError, match="W_hh has shape"):
        CellParams("lstm", np.zeros((16, 3)), np.zeros((16, 3)), np.zeros(16), np.zeros(16))
    with pytest.raises(ValueError, match="unknown init"):
        init_params("rnn", 3, 4, init="xavier")


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 8),
    st.integers(1, 8),
    st.integers(1, 8),
    st.integers(-300, 300),
    st.integers(0, 2**31 - 1),
)
def test_spectral_norms_equal_the_largest_singular_value_at_any_scale(n, rows, cols, power, seed):
    mats = np.random.default_rng(seed).standard_normal((n, rows, cols)) * 10.0**power
    expected = np.linalg.svd(mats, compute_uv=False)[:, 0]
    np.testing.assert_allclose(spectral_norms(mats), expected, rtol=1e-12)


def test_spectral_norms_are_inf_for_overflowed_matrices_and_zero_for_zero():
    mats = np.ones((3, 2, 2))
    mats[1, 0, 1], mats[2] = np.nan, 0.0
    mats[0, 1, 1] = np.inf
    assert spectral_norms(mats).tolist() == [np.inf, np.inf, 0.0]


def test_spectral_norms_of_a_stack_big_enough_for_two_threads_equal_the_svd():
    mats = (
        np.random.default_rng(3).standard_normal((41, 64, 64))
        * np.logspace(-200, 200, 41)[:, None, None]
    )
    assert mats.size * 64 > gradients.POOL_MIN_WORK  # split over the two threads when pooled
    expected = np.linalg.svd(mats, compute_uv=False)[:, 0]
    np.testing.assert_allclose(spectral_norms(mats), expected, rtol=1e-12)
