"""Parity: the NumPy encoder-decoder equals a torch encoder-decoder with copied weights: logits,
loss and every gradient under teacher forcing, greedy decoding, and the beam search's sums."""

import numpy as np
import pytest
import torch

from explainer import reversal, seq2seq_train
from explainer.seq2seq import beam, greedy, teacher_forced
from explainer.seq2seq_grad import loss_gradients

CELLS = ["rnn", "lstm", "gru"]
TORCH_NAMES = {"W_ih": "weight_ih", "W_hh": "weight_hh", "b_ih": "bias_ih", "b_hh": "bias_hh"}
SIZES = [(1, 1), (3, 4), (7, 8), (12, 5)]  # (n digits, H)


def torch_net(kind: str, H: int, seed: int) -> seq2seq_train.Net:
    """A float64 torch encoder-decoder with weights of scale ~1 from a seeded generator."""
    cfg = seq2seq_train.Seq2SeqConfig(cell=kind, hidden_size=H, seed=seed)
    net = seq2seq_train.make_net(cfg, dtype=torch.float64)
    g = torch.Generator().manual_seed(seed + 7)
    with torch.no_grad():
        for w in net.parameters():
            w.copy_((torch.rand(w.shape, generator=g, dtype=torch.float64) * 2 - 1) * 0.8)
    return net


@pytest.mark.parametrize("kind", CELLS)
@pytest.mark.parametrize("n,H", SIZES)
def test_teacher_forced_logits_loss_and_gradients_match_torch(kind, n, H):
    net = torch_net(kind, H, seed=n * 10 + H)
    m = seq2seq_train.to_numpy(net)
    digits = np.random.default_rng(n).integers(0, 10, size=n)
    src, dec_in, tgt = seq2seq_train.tensors(digits[None], torch.float64)
    logits = net(src, dec_in)[0]
    L = torch.nn.functional.cross_entropy(logits, tgt[0])
    L.backward()
    g = loss_gradients(m, digits)
    np.testing.assert_allclose(g.run.dec.y, logits.detach().numpy(), rtol=0, atol=1e-10)
    assert g.loss == pytest.approx(L.item(), abs=1e-10)
    pairs = [(g.encoder, net.enc), (g.decoder, net.dec)]
    for mine, module in pairs:
        for name in ("W_ih", "W_hh", "b_ih", "b_hh"):
            torch_name = {"W_ih": "weight_ih", "W_hh": "weight_hh"}.get(
                name, name.replace("b_", "bias_")
            )
            ref = getattr(module, f"{torch_name}_l0").grad.numpy()
            np.testing.assert_allclose(getattr(mine, name), ref, rtol=0, atol=1e-10)
    np.testing.assert_allclose(g.decoder.W_hy, net.head.weight.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(g.decoder.b_y, net.head.bias.grad.numpy(), rtol=0, atol=1e-10)


@pytest.mark.parametrize("kind", CELLS)
def test_context_gradient_is_what_the_encoder_receives(kind):
    net = torch_net(kind, 6, seed=3)
    m = seq2seq_train.to_numpy(net)
    digits = np.array([4, 0, 7, 1, 9])
    src, dec_in, tgt = seq2seq_train.tensors(digits[None], torch.float64)
    _, state = net.enc(src)
    h = state[0] if kind == "lstm" else state
    h.retain_grad()
    out, _ = net.dec(dec_in, state)
    torch.nn.functional.cross_entropy(net.head(out)[0], tgt[0]).backward()
    g = loss_gradients(m, digits)
    np.testing.assert_allclose(g.context, h.grad[0, 0].numpy(), rtol=0, atol=1e-10)


@pytest.mark.parametrize("kind", CELLS)
def test_greedy_decoding_matches_torch(kind):
    net = torch_net(kind, 8, seed=11)
    m = seq2seq_train.to_numpy(net)
    rows = np.random.default_rng(5).integers(0, 10, size=(20, 6))
    ref = seq2seq_train.decode_batch(net, rows)
    for r, free, teacher in zip(rows, ref["free"], ref["teacher"], strict=True):
        mine = greedy(m, r).written
        k = len(mine)
        np.testing.assert_array_equal(mine, free[:k])  # greedy stops at its first END
        assert k == len(free) or free[k - 1] == reversal.END
        np.testing.assert_array_equal(teacher_forced(m, r).written, teacher)


@pytest.mark.parametrize("kind", CELLS)
def test_beam_of_one_is_greedy_and_scores_add_up(kind):
    net = torch_net(kind, 8, seed=2)
    m = seq2seq_train.to_numpy(net)
    for r in np.random.default_rng(9).integers(0, 10, size=(8, 4)):
        one, _ = beam(m, r, width=1)
        np.testing.assert_array_equal(one.written, greedy(m, r).written)
        best, beams = beam(m, r, width=4)
        logp = np.log(best.probs[np.arange(len(best.written)), best.written]).sum()
        assert beams[0][1] == pytest.approx(logp, abs=1e-9)
        assert [b[1] for b in beams] == sorted((b[1] for b in beams), reverse=True)


def test_beam_finds_the_most_likely_output_of_a_short_string():
    # with the beam as wide as every output there is, it is exhaustive search
    net = torch_net("gru", 5, seed=4)
    m = seq2seq_train.to_numpy(net)
    digits = np.array([3, 8])
    best, _ = beam(m, digits, width=reversal.N_OUT**3)
    outputs = np.stack(np.meshgrid(*[np.arange(reversal.N_OUT)] * 3, indexing="ij"), -1)
    scores = []
    for out in outputs.reshape(-1, 3):
        k = int(np.argmax(out == reversal.END)) if (out == reversal.END).any() else 2
        toks = out[: k + 1]
        d = teacher_forced(m, digits, toks)
        scores.append((np.log(d.probs[np.arange(len(toks)), toks]).sum(), tuple(toks)))
    top = max(scores)
    assert tuple(best.written) == top[1]
