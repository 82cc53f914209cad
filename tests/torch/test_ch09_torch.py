"""Chapter 9's statements about PyTorch's weight decay, re-run with torch 2.13.0.

The "In practice" bullet of chapter 9 (`weight_decay` means different things in different
frameworks) states that

- `torch.optim.Adam(..., weight_decay=wd)` adds `wd * param` to the gradient (a coupled L2
  term), unless `decoupled_weight_decay=True`;
- `torch.optim.AdamW` multiplies each parameter by `1 - lr * weight_decay` before Adam's step;
- one step from a weight of 2 whose data gradient is 0, at `lr=0.1` and `weight_decay=0.1`,
  gives 1.9 with Adam and 1.98 with AdamW or with Adam and `decoupled_weight_decay=True`.

One optimiser step is not one Python expression over `torch`, `nn` and `F`, so these are not
`TORCH_` constants (`book_torch.py`); this file runs the steps the chapter describes. The
expected numbers come from the chapter's text: 1.9 = 2 - lr (Adam's first step from zero
moments has size lr whatever the gradient) and 1.98 = 2 * (1 - lr * weight_decay).
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="install with: make torch")

LR, WD = 0.1, 0.1


def one_step_from_two(optimizer: type, **kwargs: object) -> float:
    """The weight 2.0 (float32) after one step with a data gradient of exactly 0."""
    weight = torch.nn.Parameter(torch.tensor([2.0]))
    opt = optimizer([weight], lr=LR, weight_decay=WD, **kwargs)
    weight.grad = torch.zeros(1)
    opt.step()
    return weight.item()


def test_adam_weight_decay_one_step_is_1_9():
    # the coupled term WD * 2 = 0.2 is the whole gradient; Adam's first step is -lr * sign
    assert one_step_from_two(torch.optim.Adam) == pytest.approx(1.9, rel=1e-6)


def test_adamw_one_step_is_1_98():
    assert one_step_from_two(torch.optim.AdamW) == pytest.approx(1.98, rel=1e-6)


def test_adam_decoupled_one_step_is_1_98():
    got = one_step_from_two(torch.optim.Adam, decoupled_weight_decay=True)
    assert got == pytest.approx(1.98, rel=1e-6)


def _trajectory(step_fn, steps: int = 6) -> list[list[float]]:
    """Weights over a few steps on the loss sum((w - target)^2), from w = (2, -1, 0.5)."""
    weight = torch.nn.Parameter(torch.tensor([2.0, -1.0, 0.5], dtype=torch.float64))
    target = torch.tensor([0.3, 0.2, -0.4], dtype=torch.float64)
    path = []
    state: dict[str, object] = {}
    for _ in range(steps):
        weight.grad = None
        ((weight - target) ** 2).sum().backward()
        step_fn(weight, state)
        path.append(weight.detach().tolist())
    return path


def test_adam_weight_decay_is_the_gradient_of_an_l2_term():
    # Adam(weight_decay=WD) on the loss == plain Adam on the loss + (WD / 2) ||w||^2
    def coupled(weight, state):
        state.setdefault("opt", torch.optim.Adam([weight], lr=LR, weight_decay=WD))
        state["opt"].step()

    def explicit(weight, state):
        state.setdefault("opt", torch.optim.Adam([weight], lr=LR))
        weight.grad = weight.grad + WD * weight.detach()  # d/dw of (WD / 2) ||w||^2
        state["opt"].step()

    torch.testing.assert_close(_trajectory(coupled), _trajectory(explicit), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("decoupled", ["AdamW", "Adam(decoupled_weight_decay=True)"])
def test_decoupled_decay_multiplies_by_one_minus_lr_times_wd(decoupled):
    # AdamW (or the flag) == w <- w * (1 - lr * WD), then plain Adam's step on the same gradient
    optimizer = torch.optim.AdamW if decoupled == "AdamW" else torch.optim.Adam
    flag = {} if decoupled == "AdamW" else {"decoupled_weight_decay": True}

    def library(weight, state):
        state.setdefault("opt", optimizer([weight], lr=LR, weight_decay=WD, **flag))
        state["opt"].step()

    def by_hand(weight, state):
        state.setdefault("opt", torch.optim.Adam([weight], lr=LR))
        with torch.no_grad():
            weight.mul_(1 - LR * WD)
        state["opt"].step()

    torch.testing.assert_close(_trajectory(library), _trajectory(by_hand), rtol=1e-12, atol=1e-12)


def test_coupled_and_decoupled_differ():
    # the two conventions are not the same update (else the chapter's distinction is empty)
    assert one_step_from_two(torch.optim.Adam) != pytest.approx(
        one_step_from_two(torch.optim.AdamW), abs=1e-3
    )
