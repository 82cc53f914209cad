"""Solutions to the exercises of Chapter 2, *Maximum likelihood estimation*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code. The docstrings are plain
text because the book shows them as code. TensorFlow is imported inside
poisson_rate_by_gradient_descent only, so importing this module stays fast.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def exponential_rate_mle(y: npt.ArrayLike) -> float:
    """Maximum-likelihood estimate of the rate of an exponential distribution.

    Exercise ex-ch02-exponential. With p(y | rate) = rate * exp(-rate * y) for y >= 0,
    the log-likelihood of an i.i.d. sample is

        log_lik(rate) = n * log(rate) - rate * sum(y),

    whose derivative n / rate - sum(y) is zero at

        rate_hat = n / sum(y) = 1 / mean(y).

    The second derivative -n / rate**2 is negative, so this is the maximum.

    Args:
        y: waiting times, non-negative and not all zero.

    Returns:
        The estimated rate.

    Raises:
        ValueError: if y is empty, has a negative or non-finite entry, or sums to 0
            (then the likelihood grows without bound as the rate goes to infinity).

    Examples:
        >>> print(f"{exponential_rate_mle([0.5, 1.5, 1.0]):.6f}")
        1.000000
    """
    times = np.asarray(y, dtype=np.float64).ravel()
    if times.size == 0 or not np.all(np.isfinite(times)) or np.any(times < 0):
        raise ValueError(f"y must be non-empty, finite and >= 0; got {times.tolist()}")
    total = times.sum()
    if total == 0:
        raise ValueError(
            "y sums to 0: the likelihood has no maximum (it grows as rate -> inf)"
        )
    return float(times.size / total)


def uniform_upper_mle(y: npt.ArrayLike) -> float:
    """Maximum-likelihood estimate of theta for the uniform distribution on [0, theta].

    Exercise ex-ch02-uniform. The density is 1 / theta on [0, theta], so

        L(theta) = theta**(-n) if theta >= max(y), and L(theta) = 0 otherwise.

    L has no stationary point: it is zero below the largest observation and strictly
    decreasing above it, so the maximum sits on the boundary, theta_hat = max(y).

    Args:
        y: observations, non-negative and not all zero.

    Returns:
        The estimate theta_hat = max(y).

    Raises:
        ValueError: if y is empty, has a negative or non-finite entry, or is all zero.

    Examples:
        >>> uniform_upper_mle([0.2, 1.7, 0.9])
        1.7
    """
    values = np.asarray(y, dtype=np.float64).ravel()
    if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"y must be non-empty, finite and >= 0; got {values.tolist()}")
    theta_hat = float(values.max())
    if theta_hat == 0:
        raise ValueError("y is all zero: theta**-n has no maximum on theta > 0")
    return theta_hat


def whole_counts(y: npt.ArrayLike) -> np.ndarray:
    """``y`` as a flat float64 array of whole numbers >= 0, or a ValueError naming it.

    Shared by the two Poisson solutions below.

    Examples:
        >>> whole_counts([2, 0, 3]).tolist()
        [2.0, 0.0, 3.0]
    """
    counts = np.asarray(y, dtype=np.float64).ravel()
    if (
        counts.size == 0
        or not np.all(np.isfinite(counts))
        or np.any(counts < 0)
        or np.any(counts != np.round(counts))
    ):
        raise ValueError(
            f"y must be non-empty whole numbers >= 0; got {counts.tolist()}"
        )
    return counts


def poisson_rate_by_gradient_descent(
    y: npt.ArrayLike, *, learning_rate: float = 0.2, steps: int = 100
) -> float:
    """Fit the rate of a Poisson distribution by gradient descent on a hand-written NLL.

    Exercise ex-ch02-poisson-tape. The rate must be positive, and a gradient step on the
    rate itself can overshoot below 0, where log(rate) is nan. So the free parameter is
    the log-rate: any real log_rate gives rate = exp(log_rate) > 0. The mean negative
    log-likelihood is

        nll = exp(log_rate) - log_rate * mean(y) + mean(lgamma(y + 1)).

    tf.GradientTape differentiates it (the exact gradient is rate - mean(y)) and each
    step moves log_rate against the gradient. The minimiser is rate_hat = mean(y).

    Args:
        y: counts (non-negative whole numbers), not all zero.
        learning_rate: step size of gradient descent on the mean NLL.
        steps: number of gradient steps, starting from log_rate = 0 (rate 1).

    Returns:
        The fitted rate exp(log_rate) after the given number of steps.

    Raises:
        ValueError: if y is empty, not whole non-negative numbers, or all zero (the
            NLL then decreases forever as log_rate goes to minus infinity).
    """
    import tensorflow as tf

    counts = whole_counts(y)
    if counts.sum() == 0:
        raise ValueError("y is all zero: the Poisson NLL has no minimiser (rate -> 0)")

    y_tf = tf.constant(counts)
    log_rate = tf.Variable(0.0, dtype=tf.float64)  # rate = exp(log_rate) > 0 always
    for _ in range(steps):
        with tf.GradientTape() as tape:
            rate = tf.exp(log_rate)
            nll = tf.reduce_mean(rate - log_rate * y_tf + tf.math.lgamma(y_tf + 1.0))
        log_rate.assign_sub(learning_rate * tape.gradient(nll, log_rate))
    return float(tf.exp(log_rate))


def poisson_rate_standard_error(y: npt.ArrayLike) -> float:
    """Standard error of the Poisson MLE of the rate, from the observed information.

    Exercise ex-ch02-poisson-se. The log-likelihood of i.i.d. counts,

        log_lik(rate) = log(rate) * sum(y) - n * rate - sum(log(y!)),

    has second derivative -sum(y) / rate**2. At the MLE rate_hat = mean(y) the observed
    information is sum(y) / rate_hat**2 = n / mean(y), so the standard error is

        se = 1 / sqrt(n / mean(y)) = sqrt(mean(y) / n).

    Args:
        y: counts (non-negative whole numbers), not all zero.

    Returns:
        The standard error of rate_hat.

    Raises:
        ValueError: if y is empty, not whole non-negative numbers, or all zero (then
            rate_hat = 0 is on the boundary and the curvature is not defined).

    Examples:
        >>> print(f"{poisson_rate_standard_error([2, 4, 3, 0, 5, 3]):.4f}")
        0.6872
    """
    counts = whole_counts(y)
    if counts.sum() == 0:
        raise ValueError("y is all zero: rate_hat = 0 has no observed information")
    observed_information = counts.size / counts.mean()  # -ell''(rate_hat)
    return float(1.0 / np.sqrt(observed_information))
