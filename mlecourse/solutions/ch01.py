"""Solutions to the exercises of Chapter 1, *Probability and likelihood*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code. The docstrings are plain
text because the book shows them as code.

The Bernoulli parameter is the probability p of a 1 (the book's notation). The argument
that carries it is named ``theta``, as in :mod:`mlecourse.likelihood`, so that the
signatures of the package stay unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import integrate, special


def bernoulli_sequence_likelihood(theta: float, y: npt.ArrayLike) -> float:
    """Probability of a sequence of coin flips, read as a function of p.

    Exercise ex-ch01-coin-grid. The flips are i.i.d., so their joint probability is the
    product of one factor per flip: p for a 1 and 1 - p for a 0,

        L(p) = prod_i p**y_i * (1 - p)**(1 - y_i).

    Args:
        theta: the probability p of a 1, in [0, 1].
        y: the flips, 0 or 1.

    Returns:
        The likelihood, as a float.

    Raises:
        ValueError: if theta is not in [0, 1] or a flip is not 0 or 1.

    Examples:
        >>> L = bernoulli_sequence_likelihood(0.2, [0, 0, 0, 1, 0])  # (1/5)(4/5)^4
        >>> print(f"{L:.5f}")
        0.08192
    """
    if not 0.0 <= theta <= 1.0:
        raise ValueError(f"theta must be a probability in [0, 1]; got {theta!r}")
    p = theta
    likelihood = 1.0
    for flip in np.asarray(y).ravel().tolist():
        if flip not in (0, 1):
            raise ValueError(f"y must contain 0/1 flips; got {flip!r}")
        likelihood *= p if flip == 1 else 1.0 - p
    return likelihood


def bernoulli_likelihood_grid(
    y: npt.ArrayLike, num: int = 1001
) -> tuple[np.ndarray, np.ndarray, float]:
    """Likelihood of a coin-flip sequence on a grid of p, and its grid maximiser.

    Exercise ex-ch01-coin-grid. Evaluates bernoulli_sequence_likelihood at num equally
    spaced values of p in [0, 1] and returns the one where it is largest,
    p_hat = p[argmax(L)].

    Args:
        y: the flips, 0 or 1.
        num: number of grid points on [0, 1] (num = 1001 gives a step of 0.001).

    Returns:
        A tuple of the grid p, the likelihood at each grid point, and the grid
        point p_hat where the likelihood is largest.

    Examples:
        >>> p, likelihood, p_hat = bernoulli_likelihood_grid([0, 0, 0, 1, 0])
        >>> print(f"{p_hat:.3f} {likelihood.max():.5f}")
        0.200 0.08192
    """
    p = np.linspace(0.0, 1.0, num)
    likelihood = np.array(
        [bernoulli_sequence_likelihood(p_value, y) for p_value in p.tolist()]
    )
    p_hat = float(p[np.argmax(likelihood)])
    return p, likelihood, p_hat


def bernoulli_likelihood_integral(y: npt.ArrayLike) -> float:
    """Exact area under the Bernoulli likelihood curve: the integral of L(p) on [0, 1].

    Exercise ex-ch01-not-a-density. With n1 ones and n0 = n - n1 zeros among n flips,
    L(p) = p**n1 * (1 - p)**n0 and the Beta integral gives

        area = n1! n0! / (n + 1)! = 1 / ((n + 1) * comb(n, n1)).

    For 0, 0, 0, 1, 0 that is 1/30, not 1: the likelihood is not a probability density
    in p.

    Args:
        y: the flips, 0 or 1.

    Returns:
        The area, as a float.

    Raises:
        ValueError: if a flip is not 0 or 1.

    Examples:
        >>> print(f"{bernoulli_likelihood_integral([0, 0, 0, 1, 0]):.6f}")  # 1/30
        0.033333
    """
    flips = np.asarray(y).ravel()
    if not np.isin(flips, (0, 1)).all():
        raise ValueError(f"y must contain 0/1 flips; got {flips.tolist()}")
    n, n1 = int(flips.size), int(flips.sum())
    return 1.0 / ((n + 1) * math.comb(n, n1))


def poisson_log_likelihood_loop(rate: float, counts: npt.ArrayLike) -> float:
    """Poisson log-likelihood of rate for i.i.d. counts, one observation at a time.

    Exercise ex-ch01-poisson. The log of a product is the sum of the logs:

        log L(rate) = sum_i (y_i * log(rate) - rate - log(y_i!)),

    with the exact log(y!) = lgamma(y + 1), which never overflows where math.factorial
    would produce a huge integer.

    Args:
        rate: the Poisson mean, > 0.
        counts: the observed counts, non-negative whole numbers.

    Returns:
        The log-likelihood, as a float.

    Raises:
        ValueError: if rate is not > 0 or a count is not a non-negative whole number.

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
    """Height of the Gaussian density at its mode, p(mu | mu, sigma).

    Exercise ex-ch01-density-above-one. At y = mu the exponential is 1, so

        peak = 1 / (sigma * sqrt(2 * pi)),

    which exceeds 1 exactly when sigma < 1 / sqrt(2 * pi), about 0.399. A pmf value is
    a probability and never exceeds 1; a density value is probability per unit of y
    and can be as large as you like.

    Args:
        sigma: standard deviation(s), > 0.

    Returns:
        The peak density for each sigma.

    Raises:
        ValueError: if a sigma is not > 0.

    Examples:
        >>> print(gaussian_peak_density([1.0, 0.1]).round(4))
        [0.3989 3.9894]
    """
    sigma_arr = np.asarray(sigma, dtype=np.float64)
    if not (sigma_arr > 0).all():
        raise ValueError(f"sigma must be > 0; got {sigma_arr.tolist()}")
    return 1.0 / (sigma_arr * np.sqrt(2.0 * np.pi))


def gaussian_mass_above_one(sigma: npt.ArrayLike) -> np.ndarray:
    """Probability that a draw from N(mu, sigma**2) lands where the density exceeds 1.

    Exercise ex-ch01-density-above-one. The density exceeds 1 exactly where

    .. code-block:: text

        abs(y - mu) / sigma < sqrt(-log(2 * pi * sigma**2)),

    an interval that exists only for sigma < 1 / sqrt(2 * pi). Under the model,
    (y - mu) / sigma is standard normal, so the interval has probability
    2 * Phi(half_width) - 1 = erf(half_width / sqrt(2)), with half_width the square
    root above and Phi the standard normal distribution function; for larger sigma the
    probability is 0. As sigma -> 0 the half-width grows without bound and the
    probability tends to 1: almost every draw then has a negative -log p.

    Args:
        sigma: standard deviation(s), > 0.

    Returns:
        The probability for each sigma.

    Raises:
        ValueError: if a sigma is not > 0.

    Examples:
        >>> print(gaussian_mass_above_one([1.0, 0.1]).round(4))
        [0.     0.9038]
    """
    sigma_arr = np.asarray(sigma, dtype=np.float64)
    if not (sigma_arr > 0).all():
        raise ValueError(f"sigma must be > 0; got {sigma_arr.tolist()}")
    half_width = np.sqrt(np.maximum(-np.log(2.0 * np.pi * sigma_arr**2), 0.0))
    return special.erf(half_width / np.sqrt(2.0))


def density_area(
    density: Callable[[float], float], lower: float, upper: float
) -> float:
    """Area under a density between lower and upper, by adaptive quadrature.

    Exercise ex-ch01-debug-density. A density must integrate to 1 over its support, for
    every value of its parameters. Checking that at several parameter values catches
    errors that a check of one value at one parameter setting cannot see.

    Args:
        density: a function of one float y that returns the density at y.
        lower: lower end of the interval.
        upper: upper end of the interval, > lower.

    Returns:
        The integral of density over [lower, upper].

    Raises:
        ValueError: if upper <= lower.

    Examples:
        >>> area = density_area(lambda y: gaussian_density(0.0, 0.1, y), -2.0, 2.0)
        >>> print(f"{area:.6f}")
        1.000000
    """
    if not upper > lower:
        raise ValueError(f"upper must be > lower; got lower={lower!r}, upper={upper!r}")
    area, _ = integrate.quad(density, lower, upper, limit=200)
    return float(area)


def gaussian_density(mu: float, sigma: float, y: npt.ArrayLike) -> np.ndarray:
    """The Gaussian density, with the variance (not sigma) under the square root.

    Exercise ex-ch01-debug-density, the fixed version. The buggy one divided by
    sqrt(2 * pi * sigma), which is right only at sigma = 1; its area is sqrt(sigma).
    The correct normaliser is sqrt(2 * pi * sigma**2):

        p(y | mu, sigma) = exp(-(y - mu)**2 / (2 * sigma**2)) / sqrt(2 * pi * sigma**2).

    Args:
        mu: the mean.
        sigma: the standard deviation, > 0.
        y: the point(s) where the density is evaluated.

    Returns:
        The density at each y.

    Raises:
        ValueError: if sigma is not > 0.

    Examples:
        >>> print(f"{float(gaussian_density(0.0, 0.1, 0.0)):.4f}")
        3.9894
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0; got {sigma!r}")
    y_arr = np.asarray(y, dtype=np.float64)
    return np.exp(-((y_arr - mu) ** 2) / (2 * sigma**2)) / np.sqrt(2 * np.pi * sigma**2)
