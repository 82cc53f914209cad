r"""Closed-form maximum-likelihood estimators (Chapter 2).

For an i.i.d. sample :math:`y_1, \dots, y_n` each function returns the parameter value
that maximises :math:`\sum_i \log p(y_i \mid \text{parameter})`, computed from the
formula the chapter derives rather than by numerical optimisation.

Decisions (written down once, here):

* **The sample is every entry** of ``y``, whatever its shape (it is flattened): these are
  estimators for one distribution, not per-column fits.
* **Results** are NumPy scalars (``np.float64``, or ``np.float32`` for float32 data);
  :func:`categorical` returns a probability vector. Two-parameter estimators return a
  named tuple, so ``mu_hat, sigma_hat = gaussian(y)`` and ``gaussian(y).sigma`` both work.
* **Boundary estimates are returned, not rejected.** All-zero coin flips give
  :math:`\hat\theta = 0`; a constant sample gives :math:`\hat\sigma = 0` (the Gaussian and
  Laplace likelihoods are then unbounded as the scale shrinks, so the "estimate" is the
  limit of a degenerate distribution -- the chapter discusses why).
* **Validation** always runs (these are not hot paths): empty input, NaN/inf, labels that
  are not 0/1, negative or fractional counts and out-of-range classes raise errors naming
  the argument and the offending value.

Examples:
    >>> from mlecourse import mle
    >>> float(mle.bernoulli([0, 0, 0, 1, 0]))
    0.2
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from mlecourse import _checks as checks

__all__ = [
    "GaussianMLE",
    "LaplaceMLE",
    "bernoulli",
    "categorical",
    "gaussian",
    "laplace",
    "poisson",
]


class GaussianMLE(NamedTuple):
    """The Gaussian MLE: location ``mu`` and (biased, ddof=0) standard deviation ``sigma``."""

    mu: np.floating
    sigma: np.floating


class LaplaceMLE(NamedTuple):
    """The Laplace MLE: location ``loc`` (a median) and ``scale`` (mean absolute deviation)."""

    loc: np.floating
    scale: np.floating


def _sample(y: npt.ArrayLike, name: str = "y") -> np.ndarray:
    """Flatten ``y`` to a non-empty, finite float array (float32 stays float32)."""
    arr = checks.as_float(y, name)
    checks.check_nonempty(arr, name)
    checks.check_finite(arr, name)
    return arr.ravel()


def bernoulli(y: npt.ArrayLike) -> np.floating:
    r"""MLE of the Bernoulli success probability: the fraction of ones.

    The likelihood of :math:`n` flips with :math:`n_1 = \sum_i y_i` ones and :math:`n_0` zeros
    is :math:`L(p) = p^{n_1} (1-p)^{n_0}`; setting the derivative of its log to
    zero gives

    .. math::

        \hat p = \frac{1}{n} \sum_{i=1}^n y_i

    In Python: ``p_hat = y.mean()``. Derived in Chapter 2.

    Args:
        y: Outcomes, any shape, every entry 0 or 1 (bool, integer or float).

    Returns:
        :math:`\hat p` in ``[0, 1]`` as a NumPy scalar.

    Raises:
        TypeError: If ``y`` is not numeric.
        ValueError: If ``y`` is empty, contains NaN/inf, or a value other than 0 and 1.

    Examples:
        The coin of Chapter 1 (data 0, 0, 0, 1, 0; likelihood θ(1−θ)⁴):

        >>> float(bernoulli([0, 0, 0, 1, 0]))
        0.2
    """
    arr = _sample(y)
    not_binary = (arr != 0) & (arr != 1)
    if not_binary.any():
        first = int(np.argmax(not_binary))
        raise ValueError(
            f"y must contain only 0 and 1 (Bernoulli outcomes); got {int(not_binary.sum())} "
            f"other value(s), the first {arr[first]!r} at flat index {first}"
        )
    return arr.mean()


def categorical(y: npt.ArrayLike, num_classes: int) -> np.ndarray:
    r"""MLE of the class probabilities of a Categorical distribution: the class frequencies.

    With :math:`n_k` the number of labels equal to :math:`k`, the log-likelihood is
    :math:`\sum_k n_k \log p_k`; maximising it subject to :math:`\sum_k p_k = 1`
    (a Lagrange multiplier) gives

    .. math::

        \hat p_k = \frac{n_k}{n}, \qquad k = 0, \dots, K-1

    In Python: ``p_hat = np.bincount(y, minlength=K) / len(y)``. Derived in Chapter 2.

    Args:
        y: Integer class labels in ``[0, num_classes)``, any shape (whole-number floats
            are accepted).
        num_classes: The number of classes ``K >= 1``; classes never observed get
            probability 0.

    Returns:
        A float64 vector of shape ``(num_classes,)`` that sums to 1.

    Raises:
        TypeError: If ``y`` is not numeric or ``num_classes`` is not an integer.
        ValueError: If ``y`` is empty, contains NaN/inf, fractional values or labels
            outside ``[0, num_classes)``, or ``num_classes < 1``.

    Examples:
        >>> categorical([0, 2, 2, 1, 2], num_classes=4).tolist()
        [0.2, 0.2, 0.6, 0.0]
    """
    num_classes = checks.check_int(num_classes, "num_classes", low=1)
    arr = checks.as_array(y, "y")
    checks.check_nonempty(arr, "y")
    labels = checks.check_class_labels(arr, "y", num_classes).ravel()
    counts = np.bincount(labels, minlength=num_classes)
    return counts / labels.size


def gaussian(y: npt.ArrayLike) -> GaussianMLE:
    r"""MLE of a Gaussian's mean and standard deviation: the sample mean and the RMS deviation.

    The log-likelihood is
    :math:`-\frac n2 \log(2\pi\sigma^2) - \frac{1}{2\sigma^2}\sum_i (y_i-\mu)^2`; its
    stationary point is

    .. math::

        \hat\mu = \frac1n \sum_{i=1}^n y_i, \qquad
        \hat\sigma = \sqrt{\frac1n \sum_{i=1}^n (y_i - \hat\mu)^2}

    In Python: ``mu_hat = y.mean(); sigma_hat = np.sqrt(np.mean((y - mu_hat) ** 2))``
    (``np.std(y, ddof=0)``). :math:`\hat\sigma^2` divides by :math:`n`, not :math:`n-1`: it is
    the biased MLE, :math:`E[\hat\sigma^2] = \frac{n-1}{n}\sigma^2`. Derived in Chapter 2.

    Args:
        y: Observations, any shape, at least one finite value.

    Returns:
        ``GaussianMLE(mu, sigma)``, a named tuple of NumPy scalars. ``sigma`` is 0 when all
        values are equal (the likelihood is then unbounded as σ → 0).

    Raises:
        TypeError: If ``y`` is not numeric.
        ValueError: If ``y`` is empty or contains NaN/inf.

    Examples:
        The three points of Chapter 1's likelihood surface:

        >>> mu_hat, sigma_hat = gaussian([-1.0, 0.0, 1.0])
        >>> float(mu_hat), float(sigma_hat**2)  # σ̂² = (1 + 0 + 1) / 3
        (0.0, 0.6667)
    """
    arr = _sample(y)
    mu = arr.mean()
    # two-pass formula: mean of squared deviations, no E[y²] − E[y]² cancellation
    sigma = np.sqrt(np.mean(np.square(arr - mu)))
    return GaussianMLE(mu, sigma)


def poisson(y: npt.ArrayLike) -> np.floating:
    r"""MLE of a Poisson rate: the sample mean of the counts.

    The log-likelihood is :math:`\sum_i \big(y_i \log\lambda - \lambda - \log y_i!\big)`;
    its derivative :math:`\sum_i y_i/\lambda - n` vanishes at

    .. math::

        \hat\lambda = \frac1n \sum_{i=1}^n y_i

    In Python: ``lambda_hat = y.mean()``. Derived in Chapter 2.

    Args:
        y: Counts, any shape, whole numbers ``>= 0``.

    Returns:
        :math:`\hat\lambda \ge 0` as a NumPy scalar (0 when every count is 0, the boundary).

    Raises:
        TypeError: If ``y`` is not numeric.
        ValueError: If ``y`` is empty, contains NaN/inf, negative or fractional values.

    Examples:
        >>> float(poisson([2, 0, 3, 1]))
        1.5
    """
    arr = _sample(y)
    checks.check_positive(arr, "y (Poisson counts)", strict=False)
    checks.check_integer_valued(arr, "y (Poisson counts)")
    return arr.mean()


def laplace(y: npt.ArrayLike) -> LaplaceMLE:
    r"""MLE of a Laplace location and scale: the median and the mean absolute deviation.

    The log-likelihood is :math:`-n\log(2b) - \frac1b \sum_i |y_i - \mu|`. For any
    :math:`b`, it is maximised by the :math:`\mu` that minimises the sum of absolute
    deviations -- a median; then setting the derivative in :math:`b` to zero gives

    .. math::

        \hat\mu = \operatorname{median}(y), \qquad
        \hat b = \frac1n \sum_{i=1}^n |y_i - \hat\mu|

    In Python: ``mu_hat = np.median(y); b_hat = np.mean(np.abs(y - mu_hat))``. Derived in
    Chapter 2. For even :math:`n` every point between the two middle values is a median
    and maximises the likelihood equally (with the same :math:`\hat b`); the midpoint is
    returned, as :func:`numpy.median` does.

    Args:
        y: Observations, any shape, at least one finite value.

    Returns:
        ``LaplaceMLE(loc, scale)``, a named tuple of NumPy scalars. ``scale`` is 0 when all
        values are equal (the likelihood is then unbounded as b → 0).

    Raises:
        TypeError: If ``y`` is not numeric.
        ValueError: If ``y`` is empty or contains NaN/inf.

    Examples:
        >>> loc, scale = laplace([1.0, 2.0, 3.0, 10.0])
        >>> float(loc), float(scale)  # median 2.5; deviations 1.5, 0.5, 0.5, 7.5
        (2.5, 2.5)
    """
    arr = _sample(y)
    loc = np.median(arr)
    scale = np.mean(np.abs(arr - loc))
    return LaplaceMLE(loc, scale)
