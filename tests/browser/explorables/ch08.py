"""Chapter 8's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch08-collapse-explorer`: the mixture 1/2 N(y_1, sigma^2) + 1/2 N(mean of the targets, 1)
fitted to the first 20 targets of `datasets.one_to_many(700, seed=88)` (y_1 the first of them),
scored on those 20 (training) and on the first 20 of `datasets.one_to_many(2000, seed=89)`
(held-out), at the scales sigma = 10**LOG_SIGMAS[k] (section sec-ch08-collapse).
"""

from __future__ import annotations

import numpy as np

from mlecourse import datasets
from mlecourse.solutions import ch08

LOG_SIGMAS = (0.0, -0.5, -1, -1.5, -2, -2.5, -3, -4, -6, -8, -10, -15, -20, -25, -30)
TRAINING = datasets.one_to_many(700, seed=88).y[:20]
HELD_OUT = datasets.one_to_many(2000, seed=89).y[:20]


def collapse_readout(k: int) -> str:
    """The readout at step k: the mean NLL of the training and of the held-out targets."""
    log_sigma = LOG_SIGMAS[k]
    sigma = 10.0**log_sigma
    training = ch08.collapsed_mixture_nll(TRAINING, sigma)
    n = HELD_OUT.size
    held_out = np.mean(
        ch08.gaussian_mixture_nll(
            HELD_OUT,
            np.zeros((n, 2)),
            np.tile([TRAINING[0], TRAINING.mean()], (n, 1)),
            np.tile([sigma, 1.0], (n, 1)),
        )
    )
    return (
        f"log10 sigma = {log_sigma:g}: mean NLL, training {training:.3f}, held-out {held_out:.3f}"
    )


EXPECTED = {"fig-ch08-collapse-explorer": collapse_readout}
