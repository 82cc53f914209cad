"""Chapter 5's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch05-smoothing-explorer`: the label-smoothed loss of one example with K = 10 classes,
the observed class's logit z_y and the others 0. The chapter places its minimum where softmax(z)
equals the smoothed target (theorem thm-ch05-smoothing); here it is found independently, by
minimising the package's loss over z_y numerically.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize

from mlecourse import losses

K = 10
EPSILONS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)


def _loss(margin: float, eps: float) -> float:
    z = np.zeros((1, K))
    z[0, 0] = margin
    return float(
        losses.sparse_categorical_cross_entropy([0], z, from_logits=True, label_smoothing=eps)
    )


def smoothing_readout(k: int) -> str:
    """The readout at step k: the minimum, where it is, and the optimal p_y, for EPSILONS[k]."""
    eps = EPSILONS[k]
    if eps == 0.0:
        return "ε = 0: no minimum, the loss falls towards 0 as the margin grows"
    best = scipy.optimize.minimize_scalar(
        _loss, args=(eps,), bounds=(0.0, 20.0), method="bounded", options={"xatol": 1e-10}
    )
    margin, minimum = float(best.x), float(best.fun)
    p_y = float(np.exp(margin) / (np.exp(margin) + K - 1))  # softmax of the optimal logits
    return f"ε = {eps:g}: minimum {minimum:.3f} nats at margin {margin:.2f}, p_y = {p_y:.4f}"


EXPECTED = {"fig-ch05-smoothing-explorer": smoothing_readout}
