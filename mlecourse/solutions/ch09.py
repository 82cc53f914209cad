"""Solutions to the exercises of Chapter 9, on uncertainty and priors.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code. Plain NumPy and SciPy, no
TensorFlow. The docstrings are plain text because the book shows them as code.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats


def exponential_fisher_information(rate: float) -> float:
    """Fisher information of one exponential waiting time with rate lambda > 0.

    Exercise ex-ch09-exponential. log p(y | lambda) = log(lambda) - lambda * y has
    second derivative -1 / lambda**2, the same for every y, so

        I(lambda) = 1 / lambda**2

    and the Cramer-Rao bound for n waiting times is lambda**2 / n.

    Args:
        rate: The rate lambda, > 0.

    Returns:
        1 / rate**2.

    Raises:
        ValueError: If rate is not a finite number > 0.

    Examples:
        >>> exponential_fisher_information(2.0)
        0.25
    """
    rate = float(rate)
    if not np.isfinite(rate) or rate <= 0:
        raise ValueError(f"rate must be a finite number > 0; got {rate!r}")
    return 1.0 / rate**2


def bernoulli_lr_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Likelihood-ratio interval for a Bernoulli p from k ones in n flips.

    Exercise ex-ch09-lr-interval. Keeps every p with

        2 * (loglik(p_hat) - loglik(p)) <= chi2.ppf(level, 1),
        loglik(p) = k log p + (n - k) log(1 - p),  p_hat = k / n,

    each end found by brentq on one side of p_hat, where the statistic is monotone.
    For k = 0 the lower end is 0 (and for k = n the upper end is 1).

    Args:
        k: Number of ones, 0 <= k <= n.
        n: Number of flips, >= 1.
        level: Confidence level in (0, 1).

    Returns:
        (lower, upper).

    Raises:
        ValueError: If k, n or level is out of range.

    Examples:
        >>> lower, upper = bernoulli_lr_interval(0, 10)
        >>> lower, round(upper, 4)
        (0.0, 0.1748)
    """
    if not (isinstance(n, int | np.integer) and n >= 1):
        raise ValueError(f"n must be an integer >= 1; got {n!r}")
    if not (isinstance(k, int | np.integer) and 0 <= k <= n):
        raise ValueError(f"k must be an integer in [0, n] = [0, {n}]; got {k!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1); got {level!r}")
    cutoff = stats.chi2.ppf(level, df=1)
    p_hat = k / n

    def loglik(p: float) -> float:
        # binom.logpmf takes 0 log 0 = 0: p_hat = 0 or 1 needs no special case
        return float(stats.binom.logpmf(k, n, p) - stats.binom.logpmf(k, n, p_hat))

    def excess(p: float) -> float:
        return -2.0 * loglik(p) - cutoff

    tiny = 1e-15
    lower = 0.0 if k == 0 else optimize.brentq(excess, tiny, p_hat, xtol=1e-14)
    upper = 1.0 if k == n else optimize.brentq(excess, p_hat, 1 - tiny, xtol=1e-14)
    return float(lower), float(upper)


def keras_l2_prior_variance(l2: float, n: int) -> float:
    """The Gaussian prior variance that keras.regularizers.L2(l2) means on n examples.

    Exercise ex-ch09-keras-prior. Keras minimises mean NLL + l2 * ||w||^2; times n
    this is NLL + n * l2 * ||w||^2, the MAP objective NLL + ||w||^2 / (2 sigma0^2) with

        sigma0^2 = 1 / (2 * n * l2)

    which is also scikit-learn's C for the same estimate.

    Args:
        l2: The Keras factor, > 0.
        n: The number of training examples, >= 1.

    Returns:
        The prior variance sigma0^2.

    Raises:
        ValueError: If l2 <= 0 or n < 1.

    Examples:
        >>> keras_l2_prior_variance(1e-4, 50_000)
        0.1
    """
    if not (np.isfinite(l2) and l2 > 0):
        raise ValueError(f"l2 must be a finite number > 0; got {l2!r}")
    if not (isinstance(n, int | np.integer) and n >= 1):
        raise ValueError(f"n must be an integer >= 1; got {n!r}")
    return 1.0 / (2.0 * n * l2)
