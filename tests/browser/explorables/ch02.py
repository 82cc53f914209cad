"""Chapter 2's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch02-curvature-explorer`: the first n flips of the stream `datasets.coin_flips(10_000,
0.3, seed=0)`, their MLE p-hat (theorem thm-ch02-bernoulli) and the standard error
1 / sqrt(J(p-hat)), with the observed information J(p-hat) = n I(p-hat) of the Bernoulli.
"""

from __future__ import annotations

import numpy as np

from mlecourse import datasets, mle, uncertainty

SIZES = (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000)


def curvature_readout(k: int) -> str:
    """The readout at step k: n = SIZES[k] flips, p-hat and its standard error."""
    n = SIZES[k]
    flips = datasets.coin_flips(10_000, 0.3, seed=0).y[:n]
    p_hat = float(mle.bernoulli(flips))
    info = float(n * uncertainty.fisher_information("bernoulli", p=p_hat))
    return f"n = {n}: p-hat = {p_hat:.4f}, standard error {1 / np.sqrt(info):.3g}"


EXPECTED = {"fig-ch02-curvature-explorer": curvature_readout}
