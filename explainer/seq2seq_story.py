"""What the sequence-to-sequence page says in words, every number computed from the model: the
run's text alternative, the softmax at a decoder step, exposure bias on the typed digits, the
bottleneck against length, the sweep over H and the model card.

References: Bengio et al. 2015, arXiv:1506.03099 (exposure bias); Cho et al. 2014,
arXiv:1409.1259 (quality falls with length); Bahdanau, Cho & Bengio 2015, arXiv:1409.0473.
"""

from __future__ import annotations

import numpy as np

from explainer import reversal
from explainer.seq2seq import Decoded, Seq2Seq, beam, greedy, teacher_forced
from explainer.seq2seq_train import STATED

GOOD = 0.9  # "reverses most strings": at least this fraction right


def decodings(m: Seq2Seq, digits: np.ndarray, how: str = "greedy") -> tuple[Decoded, Decoded]:
    """(teacher-forced run, free-running run) on ``digits``: greedy, or a beam of 3."""
    tf = teacher_forced(m, digits)
    free = greedy(m, digits) if how == "greedy" else beam(m, digits, 3)[0]
    return tf, free


def _digits(ids) -> str:
    return "".join(reversal.DIGITS[d] for d in ids)


def describe(free: Decoded, digits: np.ndarray, H: int) -> str:
    """A text alternative of the unrolled figure."""
    want = _digits(digits[::-1])
    wrote = reversal.text(free.written)
    verdict = "right" if wrote == want and free.written[-1] == reversal.END else "wrong"
    p = free.probs[np.arange(len(free.written)), free.written]
    return (
        f"The encoder read {_digits(digits)} ({len(digits)} steps) into a context of H = {H} "
        f"numbers; from it the decoder wrote {wrote or 'nothing'} and stopped "
        f"({verdict}: the reverse is {want}). Its confidence in what it wrote ranged from "
        f"{p.min():.0%} to {p.max():.0%}. ▶ Play runs the steps in your browser."
    )


def output_equation(m: Seq2Seq, run: Decoded, s: int) -> str:
    """LaTeX of the decoder's softmax at step s (1-based) with this run's numbers."""
    k = int(run.written[s - 1])
    y = run.dec.y[s - 1]
    name = reversal.OUT_LABELS[k]
    name = r"\text{end}" if name == "end" else name
    return (
        rf"\begin{{aligned}}p(y_{{{s}}} = {name}) &= \operatorname{{softmax}}(W_{{hy}} h_{{{s}}}"
        rf" + b_y)_{{{name}}} \\ &= \frac{{e^{{{y[k]:.2f}}}}}{{\sum_k e^{{y_k}}}}"
        rf" = {run.probs[s - 1, k]:.3f}\end{{aligned}}"
    )


def first_mistake(run: Decoded, tgt: np.ndarray) -> int | None:
    """The first decoder step (1-based) whose output is wrong, or None."""
    S = len(tgt)
    for s in range(S):
        if s >= len(run.written) or run.written[s] != tgt[s]:
            return s + 1
    return None


def exposure(tf: Decoded, free: Decoded, digits: np.ndarray) -> str:
    """Teacher forcing against free running on the typed digits, in words."""
    tgt = reversal.target(digits)
    S = len(tgt)
    right_tf = int((tf.written == tgt).sum())
    n_free = len(free.written)
    right_free = int((free.written == tgt[:n_free]).sum())
    head = (
        f"On {_digits(digits)}: fed the true previous token, {right_tf} of its {S} outputs are "
        f"right; fed its own guesses, {right_free} of {S}."
    )
    miss = first_mistake(free, tgt)
    if miss is None:
        return head + " Both runs are right here: try a longer string to see them part."
    after = range(miss, min(n_free, S))  # steps after the first mistake, 0-based
    if not len(after):
        return head + f" Running free it goes wrong at step {miss}, its last."
    tf_after = int((tf.written[list(after)] == tgt[list(after)]).sum())
    free_after = int((free.written[list(after)] == tgt[list(after)]).sum())
    return head + (
        f" Running free, its first mistake is at step {miss}; it then reads that mistake as "
        f"its next input, a situation it never met in training (**exposure bias**). On the "
        f"{len(after)} steps after it, teacher forcing gets {tf_after} right, free running "
        f"{free_after}."
    )


def bottleneck(scores: dict, max_len: int, H: int) -> str:
    """Accuracy against length, in words: where it holds, where it falls, and why."""
    lengths, exact = scores["length"], scores["exact"]
    held = [n for n, a in zip(lengths, exact, strict=True) if a >= GOOD]
    longest = max(held) if held else None
    at_max = exact[lengths.index(max_len)]
    beyond = lengths[-1]
    if longest:
        first = (
            f"It reverses at least {GOOD:.0%} of the test strings of every length up to {longest}"
        )
    else:
        first = f"It reverses fewer than {GOOD:.0%} of even the shortest strings"
    return (
        f"{first}; at length {max_len}, the longest it trained on, {at_max:.0%}; at "
        f"{beyond}, {exact[-1]:.0%}. Teacher forcing keeps more tokens right than free running "
        "at every length where they differ: running free, one wrong token is fed back and "
        f"spoils the rest. Whatever the length, the decoder gets **one vector of H = {H} "
        "numbers**, the context: the longer the string, the more it must squeeze in. That "
        "fixed-size bottleneck is what **attention** removes (Bahdanau, Cho & Bengio 2015): "
        "the decoder looks back at every encoder state, weighted, at each step it writes."
    )


def longest_reliable(lengths: list[int], exact: list[float]) -> int:
    """The longest length reversed exactly at least ``GOOD`` of the time (0 if none)."""
    return max((n for n, a in zip(lengths, exact, strict=True) if a >= GOOD), default=0)


def sweep_words(sweep: dict) -> str:
    """The sweep over H, from the stored numbers."""
    res = sweep["results"]
    longest = [longest_reliable(r["length"], r["exact"]) for r in res]
    parts = [f"H = {r['hidden_size']}: up to length {n}" for r, n in zip(res, longest, strict=True)]
    cfg = sweep["config"]
    last = res[0]["length"][-1]
    worst = max(r["exact"][-1] for r in res)
    return (
        f"Same training for each size ({cfg['steps']:,} steps, lengths 1-{cfg['max_len']}, seed "
        f"{cfg['seed']}); the longest length reversed exactly at least {GOOD:.0%} of the time: "
        + "; ".join(parts)
        + f". From H = {res[0]['hidden_size']} to H = {res[-1]['hidden_size']} that grows from "
        f"{longest[0]} to {longest[-1]} digits, and at length {last} every size gets at most "
        f"{worst:.0%} right: a bigger context holds more, and still runs out."
    )


def card_words(card: dict) -> str:
    """The shipped model's card in a few sentences (protocol, seeds, time, held-out score)."""
    cfg, tr, m = card["config"], card["training"], card["metrics"]
    seeds = card["seeds"]
    test = card["test"]
    k = m["length"].index(test["held_out_from_length"])
    lo, hi = STATED["lengths"]
    low = min(m["teacher"][m["length"].index(n)] for n in range(lo, hi + 1))
    return (
        f"**{card['title']}.** {card['protocol']} Settings: {cfg['steps']:,} steps, batches of "
        f"{cfg['batch_size']}, lr {cfg['lr']:g}, clip {cfg['clip']:g}, lengths 1-{cfg['max_len']}. "
        f"Seeds: weights {seeds['weights']}, batches {seeds['batches']}, test strings "
        f"{seeds['test']}. Trained in {tr['wall_seconds']:.0f} s ({tr['cpu_seconds']:.0f} s of "
        f"one core, torch with {tr['torch_threads']} thread). On held-out strings of length "
        f"{test['held_out_from_length']}: {m['exact'][k]:.0%} reversed exactly, "
        f"{m['teacher'][k]:.0%} of tokens right under teacher forcing. Stated for this protocol "
        f"(a test retrains it): at least {STATED['teacher']:.0%} of tokens right under teacher "
        f"forcing on held-out lengths {lo}-{hi}; here {low:.1%}. Written by "
        f"`{card['created_with']}`; the metrics are recomputed by the NumPy cells from the "
        "stored weights."
    )
