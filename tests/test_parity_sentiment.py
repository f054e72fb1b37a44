"""Parity: embedding + LSTM + linear + sigmoid in NumPy equal torch (float64, 1e-10), the
verdict after every word and every gradient of the loss; masking as packed sequences do it."""

import numpy as np
import pytest
import torch

from explainer import sentiment
from explainer.cells import params_from_torch


def torch_model(V, E, H, seed):
    g = torch.Generator().manual_seed(seed)
    emb = torch.nn.Embedding(V, E, padding_idx=0).double()
    lstm = torch.nn.LSTM(E, H, batch_first=True).double()
    head = torch.nn.Linear(H, 1).double()
    with torch.no_grad():
        for m in (emb, lstm, head):
            for w in m.parameters():
                w.copy_((torch.rand(w.shape, generator=g, dtype=torch.float64) * 2 - 1) * 0.8)
        emb.weight[0] = 0.0
    return emb, lstm, head


def copied(emb, lstm, head, V):
    vocab = ("<pad>", "<unk>", *(f"w{k}" for k in range(V - 2)))
    return sentiment.Model(vocab, emb.weight.detach().numpy().copy(), params_from_torch(lstm),
                           head.weight.detach().numpy()[0].copy(),
                           float(head.bias.detach()[0]))  # fmt: skip


@pytest.mark.parametrize("V,E,H,n", [(5, 1, 1, 1), (9, 3, 4, 6), (30, 8, 16, 20)])
def test_verdict_after_every_word_matches_torch(V, E, H, n):
    emb, lstm, head = torch_model(V, E, H, seed=V + n)
    m = copied(emb, lstm, head, V)
    ids = np.random.default_rng(n).integers(1, V, n)
    with torch.no_grad():
        ref = torch.sigmoid(head(lstm(emb(torch.tensor(ids)[None]))[0]))[0, :, 0].numpy()
    r = sentiment.read(m, ids, np.ones(n, dtype=bool))
    np.testing.assert_allclose(r.p, ref, rtol=0, atol=1e-10)


def test_masked_padding_equals_packed_sequences_and_unmasked_equals_reading_the_zeros():
    V, E, H, L = 12, 4, 5, 9
    emb, lstm, head = torch_model(V, E, H, seed=2)
    m = copied(emb, lstm, head, V)
    ids, mask = sentiment.pad(np.array([3, 7, 1, 5]), L)
    x = emb(torch.tensor(ids)[None])
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor([4]), batch_first=True)
    with torch.no_grad():
        h_last = lstm(packed)[1][0][0, 0]
        p_packed = torch.sigmoid(head(h_last))[0].item()
        p_all = torch.sigmoid(head(lstm(x)[0]))[0, :, 0].numpy()
    masked = sentiment.read(m, ids, mask)
    assert masked.verdict == pytest.approx(p_packed, abs=1e-10)
    np.testing.assert_allclose(masked.p[3:], p_packed, atol=1e-10)
    np.testing.assert_allclose(sentiment.read(m, ids, mask, masked=False).p, p_all, atol=1e-10)


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_loss_gradients_match_autograd(y):
    V, E, H = 10, 3, 4
    emb, lstm, head = torch_model(V, E, H, seed=7)
    m = copied(emb, lstm, head, V)
    ids = np.array([4, 2, 9, 4, 1, 6])  # a repeated word: its gradient rows add up
    z = head(lstm(emb(torch.tensor(ids)[None]))[0][0, -1])
    torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor([y]).double()).backward()
    g = sentiment.loss_gradients(m, ids, y)
    ref = {"E": emb.weight, "W_ih": lstm.weight_ih_l0, "W_hh": lstm.weight_hh_l0,
           "b_ih": lstm.bias_ih_l0, "b_hh": lstm.bias_hh_l0}  # fmt: skip
    for name, w in ref.items():
        np.testing.assert_allclose(g[name], w.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(g["w"], head.weight.grad.numpy()[0], atol=1e-10)
    np.testing.assert_allclose(g["b"], head.bias.grad.numpy()[0], atol=1e-10)


def test_gradient_x_input_matches_autograd_on_the_logit():
    V, E, H = 10, 3, 4
    emb, lstm, head = torch_model(V, E, H, seed=9)
    m = copied(emb, lstm, head, V)
    ids = np.array([2, 5, 8])
    e = emb(torch.tensor(ids)[None]).detach().requires_grad_(True)
    head(lstm(e)[0][0, -1]).sum().backward()
    ref = (e.grad * e).sum(-1)[0].detach().numpy()
    np.testing.assert_allclose(sentiment.contributions(m, ids)["grad_x_input"], ref, atol=1e-10)


def test_pad_cuts_and_pads_after_the_words():
    ids, mask = sentiment.pad(np.array([5, 6, 7]), 5)
    assert ids.tolist() == [5, 6, 7, 0, 0] and mask.tolist() == [1, 1, 1, 0, 0]
    ids, mask = sentiment.pad(np.arange(2, 12), 4)
    assert ids.tolist() == [2, 3, 4, 5] and mask.all()


def test_vocabulary_reserves_pad_and_unk():
    vocab = sentiment.build_vocab(["Good, good film!", "bad film"], min_count=1)
    assert vocab[:2] == ("<pad>", "<unk>") and vocab[2] in ("film", "good")
    assert sentiment.to_ids(["film", "zebra"], vocab).tolist() == [vocab.index("film"), 1]
