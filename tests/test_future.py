"""The bracket-ahead task, its left-to-right bound, and the shipped taggers' cards recomputed
with the NumPy cells."""

import numpy as np
import pytest

from explainer import bitrain, future
from explainer.cells import KINDS


def test_labels_mark_steps_with_a_bracket_strictly_later():
    ids, _ = future.encode("ab)c)d")
    np.testing.assert_array_equal(future.labels(ids), [1, 1, 1, 1, 0, 0])
    assert not future.labels(future.encode("abc")[0]).any()


def test_generator_half_the_rows_hold_one_bracket():
    ids = future.sequences(4000, 20, seed=1)
    marks = (ids == future.ALPHABET.index(")")).sum(axis=1)
    assert set(np.unique(marks)) == {0, 1}
    assert marks.mean() == pytest.approx(0.5, abs=0.03)


def test_best_left_to_right_reader_says_no_until_it_sees_the_bracket():
    """the bound is the accuracy of 'no' before the bracket, and 'no' is the better guess at
    every step for a reader that has not seen one (the posterior is below one half)"""
    T = 20
    ids = future.sequences(40_000, T, seed=2)
    y = future.labels(ids)
    np.testing.assert_allclose((y == 0).mean(axis=0), future.best_left_to_right(T), atol=0.01)
    mark = ids == future.ALPHABET.index(")")
    unseen = np.cumsum(mark, axis=1) == 0
    for t in range(T):
        assert y[unseen[:, t], t].mean() < 0.5


def test_encode_notes_what_it_changed_and_refuses_nothing_left():
    ids, notes = future.encode("Hi (there)!")
    assert "".join(future.ALPHABET[k] for k in ids) == "hi there)"
    assert "'('" in notes[0] and "'!'" in notes[0]
    ids, notes = future.encode("a" * 100)
    assert len(ids) == future.MAX_LEN and "cut" in notes[0]
    with pytest.raises(ValueError, match="no letter"):
        future.encode("!!! 123")


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_cards_accuracy_recomputes_with_the_numpy_cells(kind):
    ids = future.sequences(bitrain.EVAL_ROWS, future.T_TRAIN, bitrain.EVAL_SEED)[:400]
    for bi in (False, True):
        m, card = future.shipped(kind, bi)
        assert m.bidirectional == bi and m.kind == kind
        acc = future.accuracy_by_position(m, ids)
        # 400 of the card's 2000 rows: within sampling error of the card's numbers
        np.testing.assert_allclose(acc, card["accuracy_by_position"], atol=0.06)


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_bidirectional_beats_unidirectional_and_uni_sits_at_the_bound(kind):
    bi = np.array(future.shipped(kind, True)[1]["accuracy_by_position"])
    uni = np.array(future.shipped(kind, False)[1]["accuracy_by_position"])
    assert bi.min() > 0.98 and uni[0] < 0.6
    bound = future.best_left_to_right(future.T_TRAIN)
    # no left-to-right reader beats the bound (2000 rows: sampling error ~0.011); this one
    # comes close to it on average
    assert np.all(uni <= bound + 0.03) and np.mean(bound - uni) < 0.03


@pytest.mark.slow
def test_training_live_bidirectional_beats_unidirectional_with_pinned_seed():
    runs = bitrain.train_pair(bitrain.FutureConfig(cell="lstm", seed=3))
    bi, uni = runs["bi"]["accuracy"], runs["uni"]["accuracy"]
    assert bi.mean() > 0.97 and bi.mean() - uni.mean() > 0.2
    # the torch-trained weights, copied into the NumPy cells, give the same tags
    ids = future.sequences(50, future.T_TRAIN, bitrain.EVAL_SEED)
    acc = future.accuracy_by_position(runs["bi"]["tagger"], ids)
    assert acc.mean() > 0.97
