r"""Optimisers written out in a few lines, the way the papers state them.

torch.optim is not used: its first use imports torch._dynamo, seconds of waiting for the first
Train click on a shared 2-core server. ``tests/test_train.py`` checks these match torch.optim.

References: Kingma & Ba 2015, "Adam: a method for stochastic optimization", arXiv:1412.6980;
PyTorch docs for torch.optim.Adam and torch.optim.SGD.
"""

from __future__ import annotations

import math


class Optimizer:
    r"""Plain SGD, ``p \leftarrow p - \eta g``, or Adam (``name`` "sgd" or "adam"):

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \quad
        p \leftarrow p - \eta \frac{m / (1 - \beta_1^t)}{\sqrt{v / (1 - \beta_2^t)} + \epsilon}
    """

    def __init__(self, params: list, name: str, lr: float, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.name, self.lr, self.betas, self.eps = params, name, lr, betas, eps
        self.t = 0
        self.m = [p.detach().clone().zero_() for p in params]
        self.v = [p.detach().clone().zero_() for p in params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        import torch

        self.t += 1
        b1, b2 = self.betas
        with torch.no_grad():
            for p, m, v in zip(self.params, self.m, self.v, strict=True):
                if p.grad is None:
                    continue
                if self.name == "sgd":
                    p.sub_(self.lr * p.grad)
                    continue
                m.mul_(b1).add_(p.grad, alpha=1 - b1)
                v.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
                # the same order of operations as torch.optim.Adam
                denom = (v.sqrt() / math.sqrt(1 - b2**self.t)).add_(self.eps)
                p.addcdiv_(m, denom, value=-self.lr / (1 - b1**self.t))
