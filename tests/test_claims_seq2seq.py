"""Every number the sequence-to-sequence page shows is computed from the model and the data:
the card's metrics from the stored weights, the held-out strings kept out of training, the
torch scoring equal to the NumPy one, and each sentence's numbers recounted here."""

import numpy as np
import pytest

from explainer import reversal, seq2seq_eval, seq2seq_models, seq2seq_story, seq2seq_train
from explainer.seq2seq import greedy, teacher_forced

SHIPPED = seq2seq_models.load()


def test_card_metrics_are_recomputed_from_the_stored_weights():
    cfg = SHIPPED.cfg
    test = reversal.held_out(
        cfg.test_lengths(), seq2seq_train.TEST_PER_LENGTH, seq2seq_train.TEST_SEED
    )
    again = seq2seq_eval.by_length(SHIPPED.model, test)
    assert again == SHIPPED.card["metrics"]


def test_torch_scoring_equals_the_numpy_cells():
    net = seq2seq_train.make_net(SHIPPED.cfg)
    # the shipped float32 weights, copied into a torch net
    import torch

    w = seq2seq_models.arrays(SHIPPED.model)
    with torch.no_grad():
        for part, mod in (("enc", net.enc), ("dec", net.dec)):
            for mine, theirs in (("W_ih", "weight_ih_l0"), ("W_hh", "weight_hh_l0"),
                                 ("b_ih", "bias_ih_l0"), ("b_hh", "bias_hh_l0")):  # fmt: skip
                getattr(mod, theirs).copy_(torch.from_numpy(w[f"{part}.{mine}"]))
        net.head.weight.copy_(torch.from_numpy(w["W_hy"]))
        net.head.bias.copy_(torch.from_numpy(w["b_y"]))
    test = reversal.held_out(range(1, 12), 30, 7)
    a = seq2seq_train.score_batch(net, test)
    b = seq2seq_eval.by_length(SHIPPED.model, test)
    for key in a:
        np.testing.assert_allclose(a[key], b[key], atol=1 / 30 + 1e-9)  # float32 vs float64 ties


def test_held_out_strings_never_reach_training():
    run = seq2seq_train.new_run(SHIPPED.cfg)
    banned = {n: {tuple(r) for r in rows} for n, rows in run.test.items()}
    for _ in range(3000):
        rows = run.batch()
        n = rows.shape[1]
        if n >= seq2seq_train.HOLD_OUT_FROM:
            assert not banned[n] & {tuple(r) for r in rows}


def test_the_default_scene_sentences_count_what_they_say():
    digits = reversal.parse("4071935")
    tf, free = seq2seq_story.decodings(SHIPPED.model, digits)
    words = seq2seq_story.describe(free, digits, SHIPPED.model.H)
    right = reversal.text(free.written) == "5391704"
    assert ("(right:" in words) == right and f"H = {SHIPPED.cfg.hidden_size}" in words
    tgt = reversal.target(digits)
    said = seq2seq_story.exposure(tf, free, digits)
    assert f"{int((tf.written == tgt).sum())} of its {len(tgt)} outputs are right" in said


@pytest.mark.parametrize("typed", ["4071935286", "98765432101", "1234567890123"])
def test_exposure_counts_on_long_strings(typed):
    digits = reversal.parse(typed)
    tf, free = seq2seq_story.decodings(SHIPPED.model, digits)
    tgt = reversal.target(digits)
    said = seq2seq_story.exposure(tf, free, digits)
    miss = seq2seq_story.first_mistake(free, tgt)
    if miss is not None and miss < len(free.written):
        assert f"first mistake is at step {miss}" in said
        assert free.written[miss - 1] != tgt[miss - 1]
        assert (free.written[: miss - 1] == tgt[: miss - 1]).all()


def test_output_equation_is_the_softmax():
    digits = reversal.parse("4071935")
    run = greedy(SHIPPED.model, digits)
    for s in range(1, len(run.written) + 1):
        y = run.dec.y[s - 1]
        p = np.exp(y - y.max()) / np.exp(y - y.max()).sum()
        k = run.written[s - 1]
        line = seq2seq_story.output_equation(SHIPPED.model, run, s)
        assert line.endswith(rf"= {p[k]:.3f}\end{{aligned}}")


def test_bottleneck_words_and_the_claims_they_make():
    m = SHIPPED.card["metrics"]
    words = seq2seq_story.bottleneck(m, SHIPPED.cfg.max_len, SHIPPED.cfg.hidden_size)
    held = [n for n, a in zip(m["length"], m["exact"], strict=True) if a >= seq2seq_story.GOOD]
    assert f"up to {max(held)};" in words
    # "teacher forcing keeps more tokens right than free running at every length"
    assert all(t >= f for t, f in zip(m["teacher"], m["free"], strict=True))
    # accuracy falls with length: the page's bottleneck story
    assert m["exact"][-1] < m["exact"][SHIPPED.cfg.max_len - 1] < m["exact"][0]


def test_sweep_a_bigger_context_holds_longer_strings_and_still_runs_out():
    sweep = seq2seq_models.sweep()
    res = sweep["results"]
    longest = [seq2seq_story.longest_reliable(r["length"], r["exact"]) for r in res]
    assert longest == sorted(longest) and longest[-1] > longest[0]  # "holds more"
    assert all(r["exact"][-1] < seq2seq_story.GOOD for r in res)  # "still runs out"
    words = seq2seq_story.sweep_words(sweep)
    for r, n in zip(res, longest, strict=True):
        assert f"H = {r['hidden_size']}: up to length {n}" in words
    assert f"at most {max(r['exact'][-1] for r in res):.0%} right" in words


def test_sweep_point_of_the_shipped_size_is_the_shipped_model():
    # the sweep's H = 32 run is the shipped protocol: same numbers (torch scoring)
    point = next(r for r in seq2seq_models.sweep()["results"] if r["hidden_size"] == 32)
    assert point["exact"] == pytest.approx(SHIPPED.card["metrics"]["exact"], abs=0.011)


def test_card_words_quote_the_card():
    c = SHIPPED.card
    words = seq2seq_story.card_words(c)
    k = c["metrics"]["length"].index(c["test"]["held_out_from_length"])
    assert f"{c['metrics']['exact'][k]:.0%} reversed exactly" in words
    assert f"{c['training']['wall_seconds']:.0f} s" in words


def test_teacher_forced_run_reads_the_true_tokens():
    digits = reversal.parse("4071935")
    tf = teacher_forced(SHIPPED.model, digits)
    np.testing.assert_array_equal(tf.fed[1:], reversal.target(digits)[:-1])
    assert tf.fed[0] == reversal.START
