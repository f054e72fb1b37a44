"""Lecture scenes: valid deep links to pages that exist, and their claims hold."""

from pathlib import Path

import numpy as np
import pytest

from explainer.gradients import forget_gate_products, jacobian_norms, regime
from explainer.scenarios import SCENARIOS
from explainer.scene import make_scene

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("scene", SCENARIOS, ids=lambda s: s.title)
def test_scene_is_a_valid_link_to_an_existing_page(scene):
    assert (ROOT / scene.page).is_file()
    cfg = scene.config()
    assert scene.lesson and scene.title
    run = make_scene(cfg)
    assert run.trace.T >= 1


@pytest.mark.parametrize("scene", [s for s in SCENARIOS if s.regime], ids=lambda s: s.title)
def test_gradient_scene_shows_the_regime_it_claims(scene):
    run = make_scene(scene.config())
    norms = jacobian_norms(run.params, run.seq.x, trace=run.trace)
    assert regime(norms) == scene.regime


@pytest.mark.parametrize("bias,low,high", [("0", 1e-17, 1e-13), ("5", 0.5, 0.9)])
def test_forget_bias_scenes_keep_what_they_say(bias, low, high):
    scene = next(s for s in SCENARIOS if s.params.get("forget_bias") == bias)
    run = make_scene(scene.config())
    after_50 = forget_gate_products(run.trace)[-51]
    assert low < np.median(after_50) < high
