"""Shipped datasets and the checks on uploads: each bad file gets a message a person can act on."""

import numpy as np
import pytest

from explainer import datasets, trainsets


def csv_bytes(rows: list[tuple[str, str]], header: str = "text,label") -> bytes:
    return ("\n".join([header] + [f"{t},{lab}" for t, lab in rows]) + "\n").encode()


GOOD = [(f"review number {k} was {'great' if k % 2 else 'dull'}", "pos" if k % 2 else "neg")
        for k in range(30)]  # fmt: skip


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("text,label\ncaf\xe9,pos\n".encode("latin-1") * 30, "not UTF-8"),
        (csv_bytes(GOOD, header="review,score"), "must name the columns text and label"),
        (csv_bytes(GOOD[:5]), "at least 20"),
        (csv_bytes([(t, "pos") for t, _ in GOOD]), "two classes"),
        (csv_bytes([(t, f"c{k}") for k, (t, _) in enumerate(GOOD)]), "at most 10 are allowed"),
        (b"text,label\n" + b"x" * (datasets.MAX_CSV_BYTES + 1), "too large"),
    ],
)
def test_bad_csv_files_get_clear_messages(data, message):
    with pytest.raises(ValueError, match=message):
        datasets.parse_labelled_csv(data)


def test_a_good_csv_is_read_with_any_column_order_and_comments():
    data = b"# my reviews\n" + csv_bytes([(lab, t) for t, lab in GOOD], header="label,text")
    rows = datasets.parse_labelled_csv(data)
    assert len(rows.texts) == 30 and rows.classes == ("neg", "pos")
    assert rows.texts[1].startswith("review number 1") and rows.labels[1] == 1


def test_the_shipped_reviews_are_small_balanced_and_hand_made():
    rows = datasets.reviews()
    assert len(rows.texts) == 128 and rows.classes == ("negative", "positive")
    assert np.bincount(rows.labels).tolist() == [64, 64]
    assert "hand" in datasets.REVIEWS_SOURCE


def test_sunspots_are_the_yearly_series_1700_to_2008():
    years, values = datasets.sunspots()
    assert years[0] == 1700 and years[-1] == 2008 and len(values) == 309
    assert values.min() >= 0 and 150 < values.max() < 200  # 1957: 190.2
    header = (datasets.DATA / "sunspots_yearly.csv").read_text().splitlines()[:4]
    assert any("SILSO" in line for line in header)


def test_corpora():
    notes, zen = datasets.corpus("notes"), datasets.corpus("zen")
    assert "the cat sat on the mat. the dog sat on the log." in notes
    assert set(notes) <= set(datasets.CHAR_ALPHABET) and notes == notes.lower()
    assert zen.startswith("The Zen of Python") and "Beautiful is better than ugly." in zen
    with pytest.raises(ValueError, match="unknown corpus"):
        datasets.corpus("nope")


@pytest.mark.parametrize(
    "data, message",
    [(b"", "empty"), (b"\x00\x01\x02abc", "binary"), ("short text", "at least 200")],
)
def test_bad_training_texts(data, message):
    with pytest.raises(ValueError, match=message):
        datasets.check_corpus(data)


def test_uploaded_text_is_cut_to_the_limit():
    text = datasets.check_corpus(("abc " * 20_000).encode())
    assert len(text) == datasets.MAX_CORPUS_CHARS


def test_words_and_vocab():
    assert datasets.words("Not BAD, isn't it?") == ["not", "bad", ",", "isn't", "it", "?"]
    vocab = datasets.word_vocab(["a b b", "b c"], size=3)
    assert vocab == ("b", "a", "<unk>")


def test_task_baselines_follow_the_papers():
    from explainer import tasks

    assert trainsets.adding(50, 0, 8).baseline == pytest.approx(1 / 6)
    assert trainsets.copy(30, 0, 8).baseline == pytest.approx(tasks.copy_baseline(30))
    chars = trainsets.chars(datasets.corpus("notes"), 64, 0, 8)
    assert 2.5 < chars.baseline < 3.2  # entropy of the letter frequencies, in nats
    # predicting "same as last year" for the held-out sunspots
    assert 0.3 < trainsets.series("sunspots", 30, 0, 8).baseline < 1.5


def test_reviews_are_front_padded_so_the_last_step_is_the_last_word():
    data = trainsets.reviews(datasets.reviews(), 0, 16)
    x = data.val.x  # (B, T, V)
    assert (x[:, -1].sum(axis=1) == 1).all()
    assert ((x.sum(axis=2) == 0) | (x.sum(axis=2) == 1)).all()
