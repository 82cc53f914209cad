r"""Solutions to the exercises of Chapter 2, *Maximum likelihood estimation*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code. TensorFlow is imported
inside :func:`poisson_rate_by_gradient_descent` only, so importing this module stays fast.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def exponential_rate_mle(y: npt.ArrayLike) -> float:
    r"""Maximum-likelihood estimate of the rate of an exponential distribution.

    Exercise ``ex-ch02-exponential``. With :math:`p(y \mid \lambda) = \lambda e^{-\lambda y}`
    for :math:`y \ge 0`, the log-likelihood of an i.i.d. sample is
    :math:`\ell(\lambda) = n \log\lambda - \lambda \sum_i y_i`; setting
    :math:`\ell'(\lambda) = n/\lambda - \sum_i y_i` to zero gives

    .. math::

        \hat\lambda = \frac{n}{\sum_i y_i} = \frac{1}{\bar y}

    ``lambda_hat = 1 / mean(y)``; :math:`\ell''(\lambda) = -n/\lambda^2 < 0`, so it is the
    maximum.

    Args:
        y: waiting times, non-negative and not all zero.

    Returns:
        The estimated rate :math:`\hat\lambda`.

    Raises:
        ValueError: if ``y`` is empty, has a negative or non-finite entry, or sums to 0
            (then the likelihood grows without bound as :math:`\lambda \to \infty`).

    Examples:
        >>> print(f"{exponential_rate_mle([0.5, 1.5, 1.0]):.6f}")
        1.000000
    """
    times = np.asarray(y, dtype=np.float64).ravel()
    if times.size == 0 or not np.all(np.isfinite(times)) or np.any(times < 0):
        raise ValueError(f"y must be non-empty, finite and >= 0; got {times.tolist()}")
    total = times.sum()
    if total == 0:
        raise ValueError("y sums to 0: the likelihood has no maximum (it grows as rate -> inf)")
    return float(times.size / total)


def uniform_upper_mle(y: npt.ArrayLike) -> float:
    r"""Maximum-likelihood estimate of :math:`a` for the uniform distribution on :math:`[0, a]`.

    Exercise ``ex-ch02-uniform``. The density is :math:`1/a` on :math:`[0, a]`, so

    .. math::

        L(a) = a^{-n} \ \text{if } a \ge \max_i y_i, \qquad L(a) = 0 \ \text{otherwise}.

    :math:`L` has no stationary point: it is zero below the largest observation and
    strictly decreasing above it, so the maximum sits on the boundary,
    :math:`\hat a = \max_i y_i` (``a_hat = max(y)``).

    Args:
        y: observations, non-negative and not all zero.

    Returns:
        The estimate :math:`\hat a = \max_i y_i`.

    Raises:
        ValueError: if ``y`` is empty, has a negative or non-finite entry, or is all zero.

    Examples:
        >>> uniform_upper_mle([0.2, 1.7, 0.9])
        1.7
    """
    values = np.asarray(y, dtype=np.float64).ravel()
    if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"y must be non-empty, finite and >= 0; got {values.tolist()}")
    a_hat = float(values.max())
    if a_hat == 0:
        raise ValueError("y is all zero: L(a) = a**-n has no maximum on a > 0")
    return a_hat


def poisson_rate_by_gradient_descent(
    y: npt.ArrayLike, *, learning_rate: float = 0.2, steps: int = 100
) -> float:
    r"""Fit the rate of a Poisson distribution by gradient descent on a hand-written NLL.

    Exercise ``ex-ch02-poisson-tape``. The rate must be positive, so the free parameter is
    the log-rate :math:`\eta = \log\lambda` (any real :math:`\eta` gives
    :math:`\lambda = e^\eta > 0`). The mean negative log-likelihood is

    .. math::

        \frac{1}{n}\mathrm{NLL}(\eta) = e^{\eta} - \eta\,\bar y
        + \frac{1}{n}\sum_i \log y_i!

    ``nll = exp(eta) - eta * mean(y) + mean(lgamma(y + 1))``. ``tf.GradientTape``
    differentiates it (the exact gradient is :math:`e^\eta - \bar y`) and each step moves
    :math:`\eta` against the gradient. The minimiser is :math:`\hat\lambda = \bar y`.

    Args:
        y: counts (non-negative whole numbers), not all zero.
        learning_rate: step size of gradient descent on the mean NLL.
        steps: number of gradient steps, starting from :math:`\eta = 0` (rate 1).

    Returns:
        The fitted rate :math:`e^{\eta}` after ``steps`` steps.

    Raises:
        ValueError: if ``y`` is empty, not whole non-negative numbers, or all zero (the
            NLL then decreases forever as :math:`\eta \to -\infty`).
    """
    import tensorflow as tf

    counts = np.asarray(y, dtype=np.float64).ravel()
    if (
        counts.size == 0
        or not np.all(np.isfinite(counts))
        or np.any(counts < 0)
        or np.any(counts != np.round(counts))
    ):
        raise ValueError(f"y must be non-empty whole numbers >= 0; got {counts.tolist()}")
    if counts.sum() == 0:
        raise ValueError("y is all zero: the Poisson NLL has no minimiser (rate -> 0)")

    y_tf = tf.constant(counts)
    eta = tf.Variable(0.0, dtype=tf.float64)  # log-rate: rate = exp(eta) > 0 for any eta
    for _ in range(steps):
        with tf.GradientTape() as tape:
            nll = tf.reduce_mean(tf.exp(eta) - eta * y_tf + tf.math.lgamma(y_tf + 1.0))
        eta.assign_sub(learning_rate * tape.gradient(nll, eta))
    return float(tf.exp(eta))
