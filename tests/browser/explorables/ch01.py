"""Chapter 1's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch01-coin-explorer`: ten coin flips with n1 = k ones (step k = 0, ..., 10), the peak of
their likelihood p-hat = n1 / 10 (the Bernoulli MLE) and the likelihood there,
p-hat^n1 (1 - p-hat)^(10 - n1).
"""

from __future__ import annotations

import numpy as np

from mlecourse import likelihood, mle

N_FLIPS = 10


def coin_readout(k: int) -> str:
    """The readout at step k: k ones in ten flips, the peak p-hat and L(p-hat)."""
    flips = np.r_[np.ones(k, int), np.zeros(N_FLIPS - k, int)]
    p_hat = float(mle.bernoulli(flips))
    peak = float(likelihood.bernoulli_likelihood(p_hat, flips))
    return f"n1 = {k} of {N_FLIPS}: peak at p = {p_hat:.1f}, where L = {peak:.3g}"


EXPECTED = {"fig-ch01-coin-explorer": coin_readout}
