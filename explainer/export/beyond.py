"""Export panels of pages 6-9 (train and compare, bidirectional, sentiment, sequence to
sequence), built by the builders those pages use from what they show at a link's settings: the
stored length sweep and the shipped trained models.

None of these pages runs seeded random weights, so none gets a PyTorch snippet: ``NO_SNIPPET``
says why, in the scene's export and the lecture zip.
"""

from __future__ import annotations

import numpy as np

from explainer import future, pretrained, reversal, sentiment, senttrain, seq2seq_models
from explainer.export.panels import Panel, unit_columns
from explainer.export.scenes import ExportScene
from explainer.figures import bidirectional, training
from explainer.figures import sentiment as sentfig
from explainer.figures import seq2seq as s2sfig
from explainer.seq2seq_story import decodings

DEFAULT_DIGITS = "4071935"  # the sequence-to-sequence page's default string
DEFAULT_LENGTH = 16  # the sentiment page's padded length L

NO_SNIPPET = {
    "6_Train_and_compare.py": "the length sweep is hundreds of training runs (every cell, lag "
    "and seed, minutes each on a CPU); its numbers come from assets/sweeps, made by `python -m "
    "explainer.pretrain sweep`, which is the script that reproduces them",
    "7_Bidirectional_RNN.py": "the taggers are trained models shipped in assets/models: their "
    "numbers come from those weights, not from a seed a short script could draw again",
    "8_Sentiment_pipeline.py": "the sentiment LSTM is a trained model shipped in assets/models: "
    "its numbers come from those weights, not from a seed a short script could draw again",
    "9_Sequence_to_sequence.py": "the encoder-decoder is a trained model shipped in "
    "assets/models: its numbers come from those weights, not from a seed a short script could "
    "draw again",
}


def _choice(s: ExportScene, key: str, options, default: str) -> str:
    value = s.params.get(key, default)
    if value not in options:
        raise ValueError(f"{key}={value!r} is not one of {', '.join(options)}")
    return value


def _step(s: ExportScene, T: int) -> int:
    return s.view(T, 1)[0]


def train_panels(s: ExportScene) -> list[Panel]:
    """The stored sweep: success rate and steps to solve against the lag T."""
    sweep = pretrained.sweep()
    rows = sweep["results"]
    table = {key: np.array([r[key] for r in rows]) for key in rows[0]}
    solved = training.sweep(rows, sweep["T"], sweep["chance"])
    steps = training.sweep_steps(rows, sweep["T"], sweep["protocol"]["max_steps"])
    return [Panel("sweep", solved, -1, table), Panel("sweep-steps", steps, -1, table)]


def bidirectional_panels(s: ExportScene) -> list[Panel]:
    """Both taggers over the string: beliefs, both chains' states, opened at step t."""
    cell = _choice(s, "cell", ("rnn", "lstm", "gru"), "gru")
    ids, _ = future.encode(s.params.get("string", future.DEFAULT_TEXT))
    taggers = {k: future.shipped(cell, k == "bi")[0] for k in ("uni", "bi")}
    r = future.read(taggers, ids)
    bt = r.runs["bi"]
    t = _step(s, len(ids))
    spec = bidirectional.two_chains(r.chars, bt.h_fwd, bt.h_bwd, r.beliefs, r.truth, t)
    table = {
        "t": np.arange(1, len(ids) + 1),
        "char": np.array(r.chars),
        "truth_close_bracket_later": r.truth,
        "belief_one_way": r.beliefs["uni"],
        "belief_bidirectional": r.beliefs["bi"],
        **unit_columns("h_fwd", bt.h_fwd),
        **unit_columns("h_bwd", bt.h_bwd),
    }
    return [Panel("chains", spec, t - 1, table)]


def sentiment_panels(s: ExportScene) -> list[Panel]:
    """P(positive) after every word, masked and not, with h_t, opened at word t."""
    m, _ = senttrain.shipped()
    words = sentiment.tokens(s.params.get("review", sentiment.SIX[0][0]))
    if not words:
        raise ValueError("the review has no words to read")
    length = int(s.params.get("length", DEFAULT_LENGTH))
    padded, mask = sentiment.pad(sentiment.to_ids(words, m.vocab), length)
    masked = sentiment.read(m, padded, mask)
    unmasked = sentiment.read(m, padded, mask, masked=False)
    n = int(mask.sum())
    labels = list(words[:n]) + ["·pad"] * (len(padded) - n)
    t = _step(s, n)
    h = masked.trace.h[1:]
    spec = sentfig.verdict_figure(labels, masked.p, unmasked.p, h, n, t)
    table = {
        "t": np.arange(1, len(padded) + 1),
        "token": np.array(labels),
        "id": np.asarray(padded),
        "mask": mask.astype(int),
        "p_positive_masked": masked.p,
        "p_positive_unmasked": unmasked.p,
        # the masked state stops at the last word: nan on the pads
        **unit_columns("h", np.vstack([h, np.full((len(padded) - len(h), h.shape[1]), np.nan)])),
    }
    return [Panel("verdict", spec, t - 1, table)]


def seq2seq_panels(s: ExportScene) -> list[Panel]:
    """The shipped encoder-decoder reversing the digits: chain, states and outputs at step t."""
    if s.params.get("s2s_model", "shipped") != "shipped":
        raise ValueError("only the shipped model exports (a model trained on the page lives "
                         "in that student's session)")  # fmt: skip
    how = _choice(s, "s2s_decode", ("greedy", "beam"), "greedy")
    digits = reversal.parse(s.params.get("s2s_in", DEFAULT_DIGITS))
    _, free = decodings(seq2seq_models.load().model, digits, how)
    n, S = len(digits), len(free.written)
    t = _step(s, n + S)
    spec = s2sfig.unrolled_figure(free, digits, t)
    h = np.vstack([free.enc.h[1:], free.dec.h[1:]])  # (n + S, H)
    tokens = [reversal.DIGITS[d] for d in digits]
    tokens += [reversal.DEC_IN_LABELS[i] for i in free.fed]
    written = [""] * n + [reversal.OUT_LABELS[i] for i in free.written]
    table = {
        "t": np.arange(1, n + S + 1),
        "phase": np.array(["read"] * n + ["write"] * S),
        "token_in": np.array(tokens),
        "token_out": np.array(written),
        **unit_columns("h", h),
    }
    return [Panel("chain", spec, t - 1, table)]


BUILDERS = {
    "6_Train_and_compare.py": train_panels,
    "7_Bidirectional_RNN.py": bidirectional_panels,
    "8_Sentiment_pipeline.py": sentiment_panels,
    "9_Sequence_to_sequence.py": seq2seq_panels,
}
