"""Chapter 6's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch06-sigma-explorer`: the chapter's straight-line data (200 points, slope 2, intercept -1,
noise 0.5, seed 6), the least-squares line held fixed, and the noise level sigma moving; at
each sigma the mean Gaussian NLL per example (from the package's log-density, not from the
loss the chapter uses) and the number of points within two sigma of the line. One step is the
maximum-likelihood sigma_hat, the RMS residual (eq-ch06-sigma-hat), from ``mle.gaussian``.
"""

from __future__ import annotations

import numpy as np

from mlecourse import datasets, likelihood, mle

_DATA = datasets.linear_regression(200, slope=2.0, intercept=-1.0, noise_std=0.5, seed=6)
_X = np.column_stack([_DATA.x, np.ones(_DATA.x.size)])
_FIT = _X @ np.linalg.lstsq(_X, _DATA.y, rcond=None)[0]
SIGMA_HAT = float(mle.gaussian(_DATA.y - _FIT).sigma)
SIGMAS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, SIGMA_HAT, 0.6, 0.7, 0.8, 1.0, 1.25, 1.5, 2.0)


def sigma_readout(k: int) -> str:
    """The readout at step k: the mean NLL at SIGMAS[k] and the points within two sigma."""
    sigma = SIGMAS[k]
    nll = -float(np.mean(likelihood.gaussian_log_pdf(_FIT, sigma, _DATA.y)))
    inside = int(np.sum(np.abs(_DATA.y - _FIT) < 2 * sigma))
    name = f"σ = σ̂ = {sigma:.3f}" if k == SIGMAS.index(SIGMA_HAT) else f"σ = {sigma:g}"
    return f"{name}: mean NLL {nll:.3f} nats, {inside} of {_DATA.y.size} points within ±2σ"


EXPECTED = {"fig-ch06-sigma-explorer": sigma_readout}
