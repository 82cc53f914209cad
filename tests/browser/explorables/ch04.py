"""Chapter 4's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch04-logit-explorer`: a negative example (y = 0) with logit z = Z_STEPS[k], in float32.
The readout gives the loss and its gradient from the logit (`mlecourse.losses` and
`mlecourse.gradients` with ``from_logits=True``), and the same two through the naive route:
p = sigmoid(z), then -(y log p + (1 - y) log(1 - p)), and its gradient by the chain rule
through p, as automatic differentiation computes it (inf and NaN once float32 rounds p to 1).
"""

from __future__ import annotations

import numpy as np

from mlecourse import gradients, losses, special

Z_STEPS = (-10, -5, -2, 0, 2, 5, 8, 10, 12, 14, 15, 16, 17, 18, 20, 25, 30)


def logit_readout(k: int) -> str:
    """The readout at step k: loss and gradient of y = 0 at z = Z_STEPS[k], both routes."""
    z = np.float32([Z_STEPS[k]])
    y = np.zeros_like(z)
    loss = losses.binary_cross_entropy(y, z, from_logits=True, reduction="none")[0]
    grad = gradients.binary_cross_entropy(y, z, from_logits=True, reduction="none")[0]
    p = special.sigmoid(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        naive = (-(y * np.log(p) + (1 - y) * np.log(1 - p)))[0]
        d_loss_d_p = -y / p + (1 - y) / (1 - p)
        naive_grad = (d_loss_d_p * p * (1 - p))[0]
    return (
        f"z = {Z_STEPS[k]}: loss {float(loss):.4f}, naive {float(naive):.4f}; "
        f"gradient {float(grad):.4f}, naive {float(naive_grad):.4f}"
    )


EXPECTED = {"fig-ch04-logit-explorer": logit_readout}
