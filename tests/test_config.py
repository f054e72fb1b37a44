"""RunConfig: hashable cache key, URL round trip, readable notices for junk values."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.config import CHOICES, LIMITS, RunConfig, link_text
from explainer.scene import make_scene

configs = st.builds(
    RunConfig,
    cell=st.sampled_from(CHOICES["cell"]),
    activation=st.sampled_from(CHOICES["activation"]),
    hidden_size=st.integers(*LIMITS["hidden_size"]),
    seq_len=st.integers(*LIMITS["seq_len"]),
    seed=st.integers(*LIMITS["seed"]),
    source=st.sampled_from(CHOICES["source"]),
    text=st.text(max_size=80),
    init=st.sampled_from(CHOICES["init"]),
    rho=st.floats(*LIMITS["rho"]),
    forget_bias=st.none() | st.floats(*LIMITS["forget_bias"]),
    clip=st.none() | st.floats(*LIMITS["clip"]),
)


@settings(max_examples=200)
@given(configs)
def test_query_round_trip_restores_the_config(cfg):
    back, notices = RunConfig.from_query(cfg.to_query())
    assert notices == {} and back == cfg and hash(back) == hash(cfg)


def test_junk_query_values_fall_back_with_notices():
    cfg, notices = RunConfig.from_query(
        {
            "hidden_size": "abc",
            "rho": "1e9",
            "cell": "transformer",
            "seed": "-3",
            "t": "7",
            "clip": "nan",
        }
    )
    # not a number or not a choice: the default; out of range: the nearest end
    assert cfg == RunConfig(rho=4.0)
    assert set(notices) == {"hidden_size", "rho", "cell", "seed", "clip"}
    assert "hidden_size='abc'" in notices["hidden_size"] and "using 16" in notices["hidden_size"]
    assert notices["rho"].endswith("using 4") and notices["seed"].endswith("using 0")


@pytest.mark.parametrize(
    "key, raw, used",
    [
        ("hidden_size", "1.5", 2),
        ("hidden_size", "2.5", 3),
        ("seed", "3.7", 4),
        ("seed", "1e3", 1000),
        ("hidden_size", "500", 128),
        ("hidden_size", "0", 1),
        ("seq_len", "-7.2", 1),
        ("rho", "2.33", 2.33),
        ("rho", "-1", 0.0),
        ("forget_bias", "random", None),
        ("text", "x" * 600, "x" * 500),
        ("weights", "", "random"),
    ],
)
def test_every_notice_names_the_value_the_config_uses(key, raw, used):
    cfg, notices = RunConfig.from_query({key: raw})
    assert getattr(cfg, key) == used
    if key in notices:  # the notice states exactly the value the config holds
        said = notices[key].rsplit("; using ", 1)[1]
        expected = f"its first {len(used)} characters" if key == "text" else link_text(used)
        assert said == expected, notices[key]
    else:
        assert raw == link_text(used) or raw.lower() in ("random", "1e3"), raw


def test_invalid_config_raises():
    with pytest.raises(ValueError, match="hidden_size"):
        RunConfig(hidden_size=0)
    with pytest.raises(ValueError, match="cell"):
        RunConfig(cell="cnn")


def test_config_keys_a_dict():
    assert {RunConfig(): 1}[RunConfig()] == 1


@pytest.mark.parametrize("source", CHOICES["source"])
@pytest.mark.parametrize("cell", CHOICES["cell"])
def test_every_source_and_cell_makes_a_scene(source, cell):
    scene = make_scene(RunConfig(source=source, cell=cell, seq_len=12, hidden_size=5))
    tr = scene.trace
    assert tr.y.shape == (tr.T, len(scene.seq.output_labels))
    assert len(scene.seq.labels) == tr.T


def test_bad_text_in_a_scene_raises_a_readable_error():
    with pytest.raises(ValueError, match="at least two"):
        make_scene(RunConfig(text="x"))
