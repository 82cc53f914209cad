r"""Solutions to the exercises of Chapter 1, *Probability and likelihood*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt


def bernoulli_sequence_likelihood(theta: float, y: npt.ArrayLike) -> float:
    r"""Probability of a sequence of coin flips, read as a function of :math:`\theta`.

    Exercise ``ex-ch01-coin-grid``. The flips are i.i.d., so their joint probability is the
    product of one factor per flip, :math:`\theta` for a 1 and :math:`1 - \theta` for a 0:

    .. math::

        L(\theta) = \prod_{i=1}^n \theta^{y_i} (1 - \theta)^{1 - y_i}

    ``L = prod(theta if y_i == 1 else 1 - theta for y_i in y)``

    Args:
        theta: probability of a 1, in [0, 1].
        y: the flips, 0 or 1.

    Returns:
        The likelihood, as a float.

    Examples:
        >>> print(f"{bernoulli_sequence_likelihood(0.2, [0, 0, 0, 1, 0]):.5f}")  # (1/5)(4/5)^4
        0.08192
    """
    if not 0.0 <= theta <= 1.0:
        raise ValueError(f"theta must be a probability in [0, 1]; got {theta!r}")
    likelihood = 1.0
    for flip in np.asarray(y).ravel().tolist():
        if flip not in (0, 1):
            raise ValueError(f"y must contain 0/1 flips; got {flip!r}")
        likelihood *= theta if flip == 1 else 1.0 - theta
    return likelihood


def bernoulli_likelihood_grid(
    y: npt.ArrayLike, num: int = 1001
) -> tuple[np.ndarray, np.ndarray, float]:
    r"""Likelihood of a coin-flip sequence on a grid of :math:`\theta`, and its grid maximiser.

    Exercise ``ex-ch01-coin-grid``. Evaluates :func:`bernoulli_sequence_likelihood` at
    ``num`` equally spaced values of :math:`\theta` in [0, 1] and returns the one where it
    is largest, ``theta_hat = theta[argmax(L)]``.

    Args:
        y: the flips, 0 or 1.
        num: number of grid points on [0, 1] (``num = 1001`` gives a step of 0.001).

    Returns:
        ``(theta, likelihood, theta_hat)``: the grid, the likelihood at each grid point, and
        the grid point where the likelihood is largest.

    Examples:
        >>> theta, likelihood, theta_hat = bernoulli_likelihood_grid([0, 0, 0, 1, 0])
        >>> print(f"{theta_hat:.3f} {likelihood.max():.5f}")
        0.200 0.08192
    """
    theta = np.linspace(0.0, 1.0, num)
    likelihood = np.array([bernoulli_sequence_likelihood(t, y) for t in theta.tolist()])
    theta_hat = float(theta[np.argmax(likelihood)])
    return theta, likelihood, theta_hat


def bernoulli_likelihood_integral(y: npt.ArrayLike) -> float:
    r"""Exact area under the Bernoulli likelihood curve, :math:`\int_0^1 L(\theta)\,d\theta`.

    Exercise ``ex-ch01-not-a-density``. With :math:`k` ones among :math:`n` flips,
    :math:`L(\theta) = \theta^k (1 - \theta)^{n-k}` and the Beta integral gives

    .. math::

        \int_0^1 \theta^k (1 - \theta)^{n-k}\, d\theta
            = \frac{k!\,(n-k)!}{(n+1)!} = \frac{1}{(n+1)\binom{n}{k}}

    ``area = 1 / ((n + 1) * comb(n, k))``: for 0, 0, 0, 1, 0 that is 1/30, not 1 -- the
    likelihood is not a probability density in :math:`\theta`.

    Args:
        y: the flips, 0 or 1.

    Returns:
        The area, as a float.

    Examples:
        >>> print(f"{bernoulli_likelihood_integral([0, 0, 0, 1, 0]):.6f}")  # 1/30
        0.033333
    """
    flips = np.asarray(y).ravel()
    if not np.isin(flips, (0, 1)).all():
        raise ValueError(f"y must contain 0/1 flips; got {flips.tolist()}")
    n, k = int(flips.size), int(flips.sum())
    return 1.0 / ((n + 1) * math.comb(n, k))


def poisson_log_likelihood_loop(rate: float, counts: npt.ArrayLike) -> float:
    r"""Poisson log-likelihood of ``rate`` for i.i.d. counts, one observation at a time.

    Exercise ``ex-ch01-poisson``. The log of a product is the sum of the logs:

    .. math::

        \log L(\lambda) = \sum_{i=1}^n \big(y_i \log\lambda - \lambda - \log y_i!\big)

    ``log_L = sum(y * log(rate) - rate - lgamma(y + 1) for y in counts)``, with the exact
    :math:`\log y! = \log\Gamma(y + 1)` (``math.lgamma``), which never overflows where
    ``math.factorial`` would produce a huge integer.

    Args:
        rate: the Poisson mean :math:`\lambda > 0`.
        counts: the observed counts, non-negative whole numbers.

    Returns:
        The log-likelihood, as a float.

    Examples:
        >>> print(f"{poisson_log_likelihood_loop(2.0, [0, 3, 2, 1]):.6f}")
        -6.326024
    """
    if not rate > 0:
        raise ValueError(f"rate must be > 0; got {rate!r}")
    log_lik = 0.0
    for y in np.asarray(counts).ravel().tolist():
        if y < 0 or y != int(y):
            raise ValueError(f"counts must be non-negative whole numbers; got {y!r}")
        log_lik += y * math.log(rate) - rate - math.lgamma(y + 1)
    return log_lik


def gaussian_peak_density(sigma: npt.ArrayLike) -> np.ndarray:
    r"""Height of the Gaussian density at its mode, :math:`p(\mu \mid \mu, \sigma)`.

    Exercise ``ex-ch01-density-above-one``. At :math:`y = \mu` the exponential is 1, so

    .. math::

        p(\mu \mid \mu, \sigma) = \frac{1}{\sigma\sqrt{2\pi}},

    ``peak = 1 / (sigma * sqrt(2 * pi))``, which exceeds 1 exactly when
    :math:`\sigma < 1/\sqrt{2\pi} \approx 0.399`. A pmf value is a probability and never
    exceeds 1; a density value is probability *per unit of y* and can be as large as you like.

    Args:
        sigma: standard deviation(s), > 0.

    Returns:
        The peak density for each ``sigma``.

    Examples:
        >>> print(gaussian_peak_density([1.0, 0.1]).round(4))
        [0.3989 3.9894]
    """
    sigma_arr = np.asarray(sigma, dtype=np.float64)
    if not (sigma_arr > 0).all():
        raise ValueError(f"sigma must be > 0; got {sigma_arr.tolist()}")
    return 1.0 / (sigma_arr * np.sqrt(2.0 * np.pi))
