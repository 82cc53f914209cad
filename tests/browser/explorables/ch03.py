"""Chapter 3's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch03-sum-explorer`: gradient descent from mu = 0 with the learning rate ALPHA on the
summed unit-variance Gaussian NLL of the first n = SIZES[k] of 512 seeded draws from N(3, 1).
The readout gives the equivalent learning rate on the mean, ALPHA n (thm-ch03-sum-vs-mean), and
the factor by which one step of the sum multiplies the distance |mu - y_bar|, measured from the
package's gradient, with its verdict.
"""

from __future__ import annotations

import numpy as np

from mlecourse import gradients

ALPHA = 0.1
SIZES = (1, 2, 3, 5, 8, 12, 15, 18, 20, 22, 25, 32, 64, 128, 256, 512)
Y_POOL = np.random.default_rng(0).normal(3.0, 1.0, size=max(SIZES))


def sum_readout(k: int) -> str:
    """The readout at step k: n = SIZES[k] examples, one step of the summed NLL from 0."""
    n = SIZES[k]
    y = Y_POOL[:n]
    grad = gradients.gaussian_nll(y, np.zeros(n), std=1.0, reduction="sum")
    mu_1 = 0.0 - ALPHA * grad.mean.sum()  # mu is shared: the sum of its entries
    factor = abs(mu_1 - y.mean()) / abs(y.mean())
    verdict = "converges" if factor < 0.999 else "diverges" if factor > 1.001 else "no progress"
    return (
        f"n = {n}: like the mean with learning rate {ALPHA * n:g}; "
        f"the gap × {factor:.1f} a step ({verdict})"
    )


EXPECTED = {"fig-ch03-sum-explorer": sum_readout}
