"""Chapter 9's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch09-prior-fading`: a coin with n flips of which n1 = n // 5 are ones, the Gaussian
prior N(0, 1) on its logit; the readout gives the MAP estimate of p (fit_glm with
prior_variance=1 on a column of ones, no intercept) against the MLE n1 / n = 0.2.
"""

from __future__ import annotations

import numpy as np

from mlecourse import special, uncertainty

N_FLIPS = (5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200)


def prior_fading_readout(k: int) -> str:
    """The readout at step k: the MAP estimate of p after N_FLIPS[k] flips."""
    n = N_FLIPS[k]
    flips = (np.arange(n) < n // 5).astype(float)
    z_map = uncertainty.fit_glm(
        np.ones((n, 1)), flips, family="bernoulli", prior_variance=1.0, fit_intercept=False
    )[0]
    p_map = float(special.sigmoid(z_map))
    return f"n = {n}, n1 = {n // 5}: MAP p = {p_map:.3f}, MLE p = {(n // 5) / n:.3f}"


EXPECTED = {"fig-ch09-prior-fading": prior_fading_readout}
