"""Shipped models: cards, fast loading without torch, and scenes built from trained weights."""

import subprocess
import sys
import time

import numpy as np
import pytest

from explainer import charmodel, pretrained
from explainer.config import DEFAULT_TEXT, RunConfig
from explainer.scene import make_scene

NAMES = ["adding-gru", "adding-lstm", "adding-rnn", "char-gru", "char-lstm", "char-rnn"]


def test_every_model_has_a_card_and_small_files():
    assert [c.name for c in pretrained.available()] == NAMES
    assert [c.name for c in pretrained.available(kind="lstm")] == ["adding-lstm", "char-lstm"]
    assert [c.name for c in pretrained.available(source="text")] == NAMES[3:]
    total = sum(p.stat().st_size for p in pretrained.MODELS.iterdir())
    total += sum(p.stat().st_size for p in pretrained.SWEEPS.iterdir())
    assert total < 5e6
    for card in pretrained.available():
        assert 16 <= card.hidden_size <= 32 and card.metrics and card.train["seed"] == 0


def test_loading_is_fast_and_gives_the_projects_own_objects():
    import safetensors.numpy  # noqa: F401  (an import, once per process, is not a load)

    times = []
    for _ in range(5):  # best of 5: the machine is shared
        pretrained.load.cache_clear()
        t0 = time.perf_counter()
        model = pretrained.load("char-lstm")
        times.append(time.perf_counter() - t0)
    assert min(times) < 0.1
    p, card = model.params, model.card
    assert p.kind == "lstm" and p.hidden_size == card.hidden_size == 32
    assert p.input_size == len(model.vocab) == card.input_size
    assert model.readout.W_hy.shape == (card.output_size, 32)
    with pytest.raises(ValueError):  # shared by every session: read-only
        p.W_hh[0, 0] = 1.0


def test_the_char_models_cover_the_default_text():
    for name in ("char-rnn", "char-lstm", "char-gru"):
        assert set(DEFAULT_TEXT) <= set(pretrained.load(name).vocab)


def test_pretrained_needs_no_torch():
    code = (
        "import sys, explainer.pretrained as p; p.load('adding-gru'); print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name", ["../models/char-lstm", "nope", "char-lstm.json"])
def test_unknown_names_are_refused_with_the_list(name):
    with pytest.raises(ValueError, match="available: adding-gru"):
        pretrained.load(name)


def test_a_scene_with_trained_weights_takes_cell_and_size_from_the_model():
    cfg = RunConfig(cell="rnn", hidden_size=4, weights="char-gru")
    scene = make_scene(cfg)
    assert scene.cfg.cell == "gru" and scene.cfg.hidden_size == 32
    assert scene.params is pretrained.load("char-gru").params
    assert scene.trace.y.shape == (len(DEFAULT_TEXT) - 1, 48)
    # the default text is from the test part of the corpus: the scene's guesses score exactly
    # what the page reports for it, well above always guessing a space
    right = np.mean(scene.trace.y.argmax(axis=1) == scene.seq.target)
    assert right == pytest.approx(charmodel.text_score(pretrained.load("char-gru"), DEFAULT_TEXT)
                                  ["accuracy"])  # fmt: skip
    assert right > DEFAULT_TEXT[1:].count(" ") / (len(DEFAULT_TEXT) - 1)


def test_the_adding_model_adds():
    scene = make_scene(RunConfig(source="adding", seq_len=50, seed=4, weights="adding-lstm"))
    assert abs(scene.trace.y[-1, 0] - scene.seq.target[0]) < 0.1


def test_unknown_characters_are_named():
    with pytest.raises(ValueError, match=r"never seen 'C' 'é'.*lower-case"):
        make_scene(RunConfig(text="Café au lait", weights="char-lstm"))


def test_a_model_refuses_an_input_it_was_not_trained_on():
    with pytest.raises(ValueError, match="reads typed text"):
        make_scene(RunConfig(source="sine", weights="char-lstm"))
    with pytest.raises(ValueError, match="reads the adding problem"):
        make_scene(RunConfig(source="text", weights="adding-gru"))
