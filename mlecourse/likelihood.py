r"""Log-pmfs, log-pdfs and (log-)likelihoods of the distributions of the course.

Chapter 1 defines the likelihood of a parameter :math:`\theta` given i.i.d. data
:math:`y_1, \dots, y_n` as the joint probability of the data, read as a function of
:math:`\theta`:

.. math::

    L(\theta) = \prod_{i=1}^n p(y_i \mid \theta), \qquad
    \log L(\theta) = \sum_{i=1}^n \log p(y_i \mid \theta).

This module provides, for the Bernoulli, Categorical, Gaussian, Poisson and Laplace
distributions,

* ``*_log_pmf`` / ``*_log_pdf`` -- the pointwise :math:`\log p(y \mid \theta)`. Parameters
  come first, then ``y``; all arguments broadcast elementwise (NumPy rules), so the result
  has one value per element of the broadcast shape;
* ``*_log_likelihood`` -- :math:`\log L(\theta)`, and its twin ``*_likelihood`` (its exp).

Conventions (decided here, once):

* **The data is one sample.** In ``*_log_likelihood(params..., y)`` the array ``y`` is a
  single i.i.d. sample: the log-pmf/pdf is summed over *all* its elements, whatever its
  shape. ``y`` never broadcasts against the parameters.
* **The parameters are a grid.** The parameters broadcast against each other, and the
  result has their broadcast shape: one value of the likelihood per parameter setting.
  So one call draws a likelihood curve (``theta`` of shape ``(G,)`` gives ``(G,)``) or a
  surface (``mu[:, None]`` and ``sigma[None, :]`` give ``(M, S)``). Scalar parameters
  give a NumPy scalar.
* **Categorical** parameters ``probs`` carry the class axis *last*; the grid shape is
  ``probs.shape[:-1]``. Labels ``y`` are integers in ``[0, K)``.
* **Sufficient statistics.** Where the log-likelihood depends on the sample only through a
  few sums (Bernoulli, Categorical, Gaussian, Poisson), it is computed from them, so a
  large grid times a large sample never materialises a ``(grid, n)`` array. The Laplace
  log-likelihood has no such summary and is accumulated over the sample in chunks.
* **Log space.** Every formula is evaluated in log space with the primitive that avoids
  ``0 * log 0 = nan`` and cancellation: ``scipy.special.xlogy``,
  ``scipy.special.xlog1py`` and ``scipy.special.gammaln`` (the exact
  :math:`\log y! = \log\Gamma(y + 1)`). A parameter on the boundary (``theta = 0``, a zero
  class probability, ``rate = 0``) gives ``-inf`` where the data is impossible and a finite
  value where it is not -- never NaN.
* **The likelihood twins** ``*_likelihood`` are ``exp(*_log_likelihood)``, a product that
  leaves the float64 range for long samples (Chapter 2, :ref:`sec-ch02-product-to-sum`):
  work with the log.
* **dtype.** The parameters decide the result's dtype: float32 parameters give float32,
  anything else float64. Sample statistics are accumulated in float64.
* **Validation.** Parameters must be finite and valid (``theta`` in [0, 1], ``sigma`` and
  ``scale`` > 0, ``rate`` >= 0, each row of ``probs`` on the probability simplex) and the
  data must be possible values of the distribution (0/1 outcomes, class labels in range,
  non-negative whole counts, finite reals). Errors are :class:`ValueError` or
  :class:`TypeError` naming the argument and the received values
  (see ``mlecourse._checks``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln, xlog1py, xlogy

from mlecourse import _checks as checks

__all__ = [
    "bernoulli_likelihood",
    "bernoulli_log_likelihood",
    "bernoulli_log_pmf",
    "categorical_likelihood",
    "categorical_log_likelihood",
    "categorical_log_pmf",
    "gaussian_likelihood",
    "gaussian_log_likelihood",
    "gaussian_log_pdf",
    "laplace_likelihood",
    "laplace_log_likelihood",
    "laplace_log_pdf",
    "poisson_likelihood",
    "poisson_log_likelihood",
    "poisson_log_pmf",
]

_LOG_2PI = np.log(2.0 * np.pi)
_LOG_2 = np.log(2.0)
# Laplace: at most this many (grid point, observation) pairs are held in memory at once.
_CHUNK_ELEMENTS = 1 << 20


# --------------------------------------------------------------------------- helpers


def _params(**named: npt.ArrayLike) -> tuple[list[np.ndarray], np.dtype]:
    """Convert parameters to finite float arrays of one common dtype (float32 stays float32)."""
    arrays = {name: checks.as_array(x, name) for name, x in named.items()}
    dtype = np.result_type(*(checks.float_dtype(a) for a in arrays.values()))
    out = []
    for name, arr in arrays.items():
        arr = arr.astype(dtype, copy=False)
        checks.check_finite(arr, name)
        out.append(arr)
    return out, dtype


def _broadcast_shape(**named: np.ndarray) -> tuple[int, ...]:
    """The broadcast shape of the arrays, with an error naming them if they clash."""
    try:
        return np.broadcast_shapes(*(a.shape for a in named.values()))
    except ValueError as exc:
        names = ", ".join(named)
        shapes = ", ".join(str(a.shape) for a in named.values())
        raise ValueError(f"{names} must broadcast against each other; got shapes {shapes}") from exc


def _result(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Cast to the parameters' dtype; a 0-d result becomes a NumPy scalar."""
    return np.asarray(values, dtype=dtype)[()]


def _bernoulli_outcomes(y: npt.ArrayLike) -> np.ndarray:
    arr = checks.as_array(y, "y")
    checks.check_finite(arr, "y")
    checks.check_in_range(arr, "y", 0, 1, what="Bernoulli outcomes (0 or 1)")
    checks.check_integer_valued(arr, "y")  # together with the range: y in {0, 1}
    return arr.astype(np.float64)


def _theta(theta: npt.ArrayLike) -> tuple[np.ndarray, np.dtype]:
    (arr,), dtype = _params(theta=theta)
    checks.check_in_range(arr, "theta", 0, 1, what="a probability")
    return arr, dtype


def _probs(probs: npt.ArrayLike) -> tuple[np.ndarray, np.dtype]:
    """Class probabilities with the class axis last, each row on the simplex."""
    (arr,), dtype = _params(probs=probs)
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise ValueError(
            f"probs must have a class axis (last) of length >= 1; got shape {arr.shape}"
        )
    checks.check_in_range(arr, "probs", 0, 1, what="probabilities")
    sums = arr.sum(axis=-1, dtype=np.float64)
    # Rounding in float32 is ~1e-7 per entry; sqrt(eps) leaves room for that, not for mistakes.
    tol = float(np.sqrt(np.finfo(dtype).eps))
    bad = np.abs(sums - 1.0) > tol
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            "probs must sum to 1 along the last (class) axis; "
            f"got {int(bad.sum())} row(s) that do not, e.g. a sum of {sums[first]:.6g} "
            f"at index {first}"
        )
    return arr, dtype


def _class_labels(y: npt.ArrayLike, num_classes: int) -> np.ndarray:
    arr = checks.as_array(y, "y")
    return checks.check_class_labels(arr, "y", num_classes)


def _counts(y: npt.ArrayLike) -> np.ndarray:
    arr = checks.as_array(y, "y")
    checks.check_finite(arr, "y")
    checks.check_positive(arr, "y", strict=False)
    checks.check_integer_valued(arr, "y")
    return arr.astype(np.float64)


def _reals(y: npt.ArrayLike) -> np.ndarray:
    arr = checks.as_array(y, "y")
    checks.check_finite(arr, "y")
    return arr.astype(np.float64)


# --------------------------------------------------------------------------- Bernoulli


def bernoulli_log_pmf(theta: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Log-pmf of the Bernoulli distribution, elementwise.

    .. math::

        \log p(y \mid \theta) = y \log\theta + (1 - y) \log(1 - \theta),
        \qquad y \in \{0, 1\}

    ``log_p = xlogy(y, theta) + xlog1py(1 - y, -theta)``

    Derived in Chapter 1, eq. (1.3).

    Args:
        theta: probability of the outcome 1, in [0, 1].
        y: outcomes, 0 or 1 (bool, integer or float).

    Returns:
        ``log p(y | theta)`` with the broadcast shape of ``theta`` and ``y``;
        ``-inf`` for an impossible outcome (``theta = 0`` and ``y = 1``).

    Raises:
        ValueError: ``theta`` outside [0, 1], ``y`` not 0/1, non-finite values, or shapes
            that do not broadcast.
        TypeError: non-numeric input.

    Examples:
        >>> print(bernoulli_log_pmf(0.2, [0, 1]).round(6))
        [-0.223144 -1.609438]
    """
    theta_arr, dtype = _theta(theta)
    y_arr = _bernoulli_outcomes(y)
    _broadcast_shape(theta=theta_arr, y=y_arr)
    # xlogy(0, 0) = 0 and xlog1py(0, -1) = 0: the factor for an outcome that did not occur
    # is 1 even on the boundary, where y*log(theta) would be 0 * (-inf) = nan.
    log_p = xlogy(y_arr, theta_arr) + xlog1py(1.0 - y_arr, -theta_arr)
    return _result(log_p, dtype)


def bernoulli_log_likelihood(theta: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Log-likelihood of ``theta`` for an i.i.d. Bernoulli sample ``y``.

    With :math:`n_1 = \sum_i y_i` ones and :math:`n_0 = n - n_1` zeros among :math:`n` outcomes,

    .. math::

        \log L(\theta) = \sum_{i=1}^n \log p(y_i \mid \theta)
                       = n_1 \log\theta + n_0 \log(1 - \theta)

    ``log_L = xlogy(n1, theta) + xlog1py(n0, -theta)``

    Derived in Chapter 1, eqs. (1.3) and (1.8) (for 0, 0, 0, 1, 0 it is
    :math:`\theta(1 - \theta)^4`).

    Args:
        theta: probability of a 1, in [0, 1]; any shape (a grid of candidate values).
        y: the sample, 0/1 outcomes; summed over all its elements.

    Returns:
        The log-likelihood, shape ``np.shape(theta)`` (a NumPy scalar for a scalar ``theta``).

    Raises:
        ValueError: ``theta`` outside [0, 1], ``y`` not 0/1, or non-finite values.
        TypeError: non-numeric input.

    Examples:
        >>> y = [0, 0, 0, 1, 0]
        >>> print(f"{bernoulli_log_likelihood(0.2, y):.6f}")
        -2.502012
        >>> bernoulli_log_likelihood([0.2, 0.5], y).shape
        (2,)
    """
    theta_arr, dtype = _theta(theta)
    y_arr = _bernoulli_outcomes(y)
    n = float(y_arr.size)
    n1 = float(y_arr.sum())
    # prod theta^y_i (1-theta)^(1-y_i) = theta^n1 (1-theta)^(n-n1): the sample enters via n1, n
    log_lik = xlogy(n1, theta_arr) + xlog1py(n - n1, -theta_arr)
    return _result(log_lik, dtype)


def bernoulli_likelihood(theta: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Likelihood of ``theta`` for an i.i.d. Bernoulli sample: ``exp`` of the log-likelihood.

    .. math::

        L(\theta) = \prod_{i=1}^n \theta^{y_i} (1 - \theta)^{1 - y_i}
                  = \theta^{n_1} (1 - \theta)^{n_0}

    ``L = exp(bernoulli_log_likelihood(theta, y))``, with :math:`n_1` ones and :math:`n_0` zeros.

    Derived in Chapter 1, eq. (1.8). Underflows to 0 for long samples (Chapter 2,
    :ref:`sec-ch02-product-to-sum`): prefer
    :func:`bernoulli_log_likelihood`.

    Args:
        theta: probability of a 1, in [0, 1]; any shape.
        y: the sample, 0/1 outcomes; summed over all its elements.

    Returns:
        The likelihood, shape ``np.shape(theta)``.

    Raises:
        ValueError: as :func:`bernoulli_log_likelihood` (invalid parameters or data).
        TypeError: as :func:`bernoulli_log_likelihood` (non-numeric input).

    Examples:
        >>> print(f"{bernoulli_likelihood(0.2, [0, 0, 0, 1, 0]):.5f}")  # (1/5)(4/5)^4
        0.08192
    """
    return np.exp(bernoulli_log_likelihood(theta, y))


# --------------------------------------------------------------------------- Categorical


def categorical_log_pmf(probs: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Log-pmf of the Categorical distribution, elementwise over labels.

    .. math::

        \log p(y \mid \boldsymbol{p}) = \log p_y, \qquad y \in \{0, \dots, K - 1\}

    ``log_p = log(take_along_axis(probs, y[..., None], axis=-1)[..., 0])``

    Derived in Chapter 1, eq. (1.4).

    Args:
        probs: class probabilities, class axis last (shape ``(..., K)``); each row sums to 1.
        y: integer class labels in ``[0, K)``; broadcasts against ``probs.shape[:-1]``.

    Returns:
        ``log p(y | probs)`` with shape ``broadcast(probs.shape[:-1], y.shape)``;
        ``-inf`` where the label has probability 0.

    Raises:
        ValueError: ``probs`` not on the simplex, labels out of range or not whole numbers,
            or shapes that do not broadcast.
        TypeError: non-numeric input.

    Examples:
        >>> probs = [0.1, 0.3, 0.5, 0.1]
        >>> print(categorical_log_pmf(probs, [2, 0]).round(6))
        [-0.693147 -2.302585]
    """
    probs_arr, dtype = _probs(probs)
    labels = _class_labels(y, probs_arr.shape[-1])
    batch = _broadcast_shape(**{"probs.shape[:-1]": probs_arr[..., 0], "y": labels})
    probs_b = np.broadcast_to(probs_arr, (*batch, probs_arr.shape[-1]))
    labels_b = np.broadcast_to(labels, batch)
    p_y = np.take_along_axis(probs_b, labels_b[..., None], axis=-1)[..., 0]
    # xlogy(1, 0) = -inf without the divide-by-zero warning of np.log(0).
    return _result(xlogy(1.0, p_y), dtype)


def categorical_log_likelihood(probs: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Log-likelihood of class probabilities for an i.i.d. sample of labels.

    With :math:`n_k` the number of labels equal to :math:`k`,

    .. math::

        \log L(\boldsymbol{p}) = \sum_{i=1}^n \log p_{y_i} = \sum_{k=0}^{K-1} n_k \log p_k

    ``log_L = sum(xlogy(counts, probs), axis=-1)``

    Derived in Chapter 1, eqs. (1.4) and (1.8).

    Args:
        probs: class probabilities, class axis last, shape ``(..., K)``; the leading axes are
            a grid of candidate parameters.
        y: the sample, integer labels in ``[0, K)``; summed over all its elements.

    Returns:
        The log-likelihood, shape ``probs.shape[:-1]`` (a NumPy scalar for a single row).

    Raises:
        ValueError: ``probs`` not on the simplex, labels out of range or not whole numbers.
        TypeError: non-numeric input.

    Examples:
        >>> y = [2, 2, 1, 0]
        >>> print(f"{categorical_log_likelihood([0.25, 0.25, 0.5], y):.6f}")
        -4.158883
        >>> categorical_log_likelihood([[0.25, 0.25, 0.5], [0.2, 0.3, 0.5]], y).shape
        (2,)
    """
    probs_arr, dtype = _probs(probs)
    num_classes = probs_arr.shape[-1]
    labels = _class_labels(y, num_classes)
    counts = np.bincount(labels.ravel(), minlength=num_classes).astype(np.float64)
    # sum_i log p_{y_i} = sum_k n_k log p_k, and xlogy(0, 0) = 0: an unseen class costs nothing.
    log_lik = xlogy(counts, probs_arr).sum(axis=-1)
    return _result(log_lik, dtype)


def categorical_likelihood(probs: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Likelihood of class probabilities for an i.i.d. sample of labels.

    .. math::

        L(\boldsymbol{p}) = \prod_{i=1}^n p_{y_i} = \prod_{k=0}^{K-1} p_k^{n_k}

    ``L = exp(categorical_log_likelihood(probs, y))``

    Derived in Chapter 1, eq. (1.8). Underflows for long samples: prefer the log.

    Args:
        probs: class probabilities, class axis last, shape ``(..., K)``.
        y: the sample, integer labels in ``[0, K)``.

    Returns:
        The likelihood, shape ``probs.shape[:-1]``.

    Raises:
        ValueError: as :func:`categorical_log_likelihood` (invalid parameters or data).
        TypeError: as :func:`categorical_log_likelihood` (non-numeric input).

    Examples:
        >>> L = categorical_likelihood([0.25, 0.25, 0.5], [2, 2, 1, 0])  # 0.5^2 * 0.25^2
        >>> print(f"{L:.6f}")
        0.015625
    """
    return np.exp(categorical_log_likelihood(probs, y))


# --------------------------------------------------------------------------- Gaussian


def gaussian_log_pdf(mu: npt.ArrayLike, sigma: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Log-density of the Gaussian (normal) distribution, elementwise.

    .. math::

        \log p(y \mid \mu, \sigma)
            = -\tfrac12 \log(2\pi) - \log\sigma - \frac{(y - \mu)^2}{2\sigma^2}

    ``log_p = -0.5 * log(2 * pi) - log(sigma) - 0.5 * ((y - mu) / sigma) ** 2``

    Derived in Chapter 1, eq. (1.5). A density, not a probability: it can exceed 1,
    so its log can be positive.

    Args:
        mu: mean.
        sigma: standard deviation, > 0.
        y: real observations.

    Returns:
        ``log p(y | mu, sigma)`` with the broadcast shape of ``mu``, ``sigma`` and ``y``.

    Raises:
        ValueError: ``sigma <= 0``, non-finite values, or shapes that do not broadcast.
        TypeError: non-numeric input.

    Examples:
        >>> print(f"{gaussian_log_pdf(0.0, 1.0, 0.0):.6f}")
        -0.918939
        >>> print(f"{gaussian_log_pdf(0.0, 0.1, 0.0):.6f}")  # density 3.99 > 1
        1.383647
    """
    (mu_arr, sigma_arr), dtype = _params(mu=mu, sigma=sigma)
    checks.check_positive(sigma_arr, "sigma")
    y_arr = _reals(y)
    _broadcast_shape(mu=mu_arr, sigma=sigma_arr, y=y_arr)
    z = (y_arr - mu_arr) / sigma_arr
    return _result(-0.5 * _LOG_2PI - np.log(sigma_arr) - 0.5 * z**2, dtype)


def gaussian_log_likelihood(
    mu: npt.ArrayLike, sigma: npt.ArrayLike, y: npt.ArrayLike
) -> np.ndarray:
    r"""Log-likelihood of ``(mu, sigma)`` for an i.i.d. Gaussian sample ``y``.

    With :math:`\bar y` the sample mean and :math:`S = \sum_i (y_i - \bar y)^2`,

    .. math::

        \log L(\mu, \sigma) = \sum_{i=1}^n \log p(y_i \mid \mu, \sigma)
            = -\frac n2 \log(2\pi\sigma^2) - \frac{S + n(\bar y - \mu)^2}{2\sigma^2}

    ``log_L = -n/2 * log(2*pi*sigma**2) - (S + n*(y_bar - mu)**2) / (2*sigma**2)``

    Derived in Chapter 1, eq. (1.11) (the likelihood surface for -1, 0, 1, maximal at
    :math:`\mu = 0, \sigma = \sqrt{2/3}`).

    Args:
        mu: candidate means; any shape.
        sigma: candidate standard deviations, > 0; broadcasts against ``mu``
            (``mu[:, None]`` and ``sigma[None, :]`` give a surface).
        y: the sample, real numbers; summed over all its elements.

    Returns:
        The log-likelihood, shape ``broadcast(mu.shape, sigma.shape)``.

    Raises:
        ValueError: ``sigma <= 0``, non-finite values, or ``mu`` and ``sigma`` that do not
            broadcast.
        TypeError: non-numeric input.

    Examples:
        >>> y = [-1.0, 0.0, 1.0]
        >>> print(f"{gaussian_log_likelihood(0.0, (2 / 3) ** 0.5, y):.6f}")
        -3.648618
        >>> gaussian_log_likelihood([[-1.0], [0.0]], [0.5, 1.0, 2.0], y).shape
        (2, 3)
    """
    (mu_arr, sigma_arr), dtype = _params(mu=mu, sigma=sigma)
    checks.check_positive(sigma_arr, "sigma")
    _broadcast_shape(mu=mu_arr, sigma=sigma_arr)
    y_arr = _reals(y)
    n = float(y_arr.size)
    y_bar = float(y_arr.mean()) if y_arr.size else 0.0
    # sum_i (y_i - mu)^2 = S + n (y_bar - mu)^2, with S from centred values (no cancellation).
    scatter = float(np.sum((y_arr - y_bar) ** 2))
    sq_dev = scatter + n * (y_bar - mu_arr) ** 2
    log_lik = -0.5 * n * _LOG_2PI - n * np.log(sigma_arr) - sq_dev / (2.0 * sigma_arr**2)
    return _result(log_lik, dtype)


def gaussian_likelihood(mu: npt.ArrayLike, sigma: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Likelihood of ``(mu, sigma)`` for an i.i.d. Gaussian sample: ``exp`` of the log.

    .. math::

        L(\mu, \sigma) = \prod_{i=1}^n \frac{1}{\sqrt{2\pi\sigma^2}}
            \exp\!\Big(-\frac{(y_i - \mu)^2}{2\sigma^2}\Big)

    ``L = exp(gaussian_log_likelihood(mu, sigma, y))``

    Derived in Chapter 1, eq. (1.8). Underflows for long samples: prefer the log.

    Args:
        mu: candidate means.
        sigma: candidate standard deviations, > 0; broadcasts against ``mu``.
        y: the sample, real numbers.

    Returns:
        The likelihood, shape ``broadcast(mu.shape, sigma.shape)``.

    Raises:
        ValueError: as :func:`gaussian_log_likelihood` (invalid parameters or data).
        TypeError: as :func:`gaussian_log_likelihood` (non-numeric input).

    Examples:
        >>> print(f"{gaussian_likelihood(0.0, (2 / 3) ** 0.5, [-1.0, 0.0, 1.0]):.6f}")
        0.026027
    """
    return np.exp(gaussian_log_likelihood(mu, sigma, y))


# --------------------------------------------------------------------------- Poisson


def poisson_log_pmf(rate: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Log-pmf of the Poisson distribution, elementwise.

    .. math::

        \log p(y \mid \lambda) = y \log\lambda - \lambda - \log y!,
        \qquad y \in \{0, 1, 2, \dots\}

    ``log_p = xlogy(y, rate) - rate - gammaln(y + 1)``

    Derived in Chapter 1, eq. (1.6), with the exact
    :math:`\log y! = \log\Gamma(y + 1)`, not Stirling's approximation.

    Args:
        rate: the mean :math:`\lambda`, >= 0.
        y: counts, non-negative whole numbers.

    Returns:
        ``log p(y | rate)`` with the broadcast shape of ``rate`` and ``y``.

    Raises:
        ValueError: negative rate, counts that are negative or fractional, non-finite
            values, or shapes that do not broadcast.
        TypeError: non-numeric input.

    Examples:
        >>> print(poisson_log_pmf(2.0, [0, 3]).round(6))
        [-2.       -1.712318]
    """
    (rate_arr,), dtype = _params(rate=rate)
    checks.check_positive(rate_arr, "rate", strict=False)
    y_arr = _counts(y)
    _broadcast_shape(rate=rate_arr, y=y_arr)
    # xlogy(0, 0) = 0: with rate 0 the count 0 has probability 1.
    return _result(xlogy(y_arr, rate_arr) - rate_arr - gammaln(y_arr + 1.0), dtype)


def poisson_log_likelihood(rate: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Log-likelihood of ``rate`` for an i.i.d. Poisson sample of counts.

    .. math::

        \log L(\lambda) = \sum_{i=1}^n \big(y_i \log\lambda - \lambda - \log y_i!\big)
            = \Big(\sum_i y_i\Big) \log\lambda - n\lambda - \sum_i \log y_i!

    ``log_L = xlogy(sum(y), rate) - n * rate - sum(gammaln(y + 1))``

    Derived in Chapter 1, eqs. (1.6) and (1.8).

    Args:
        rate: candidate rates, >= 0; any shape.
        y: the sample, non-negative whole counts; summed over all its elements.

    Returns:
        The log-likelihood, shape ``np.shape(rate)``.

    Raises:
        ValueError: negative rate, invalid counts, or non-finite values.
        TypeError: non-numeric input.

    Examples:
        >>> print(f"{poisson_log_likelihood(2.0, [0, 3, 2, 1]):.6f}")
        -6.326024
    """
    (rate_arr,), dtype = _params(rate=rate)
    checks.check_positive(rate_arr, "rate", strict=False)
    y_arr = _counts(y)
    n = float(y_arr.size)
    total = float(y_arr.sum())
    log_factorials = float(gammaln(y_arr + 1.0).sum())  # log y! = lgamma(y + 1), exact
    log_lik = xlogy(total, rate_arr) - n * rate_arr - log_factorials
    return _result(log_lik, dtype)


def poisson_likelihood(rate: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Likelihood of ``rate`` for an i.i.d. Poisson sample: ``exp`` of the log-likelihood.

    .. math::

        L(\lambda) = \prod_{i=1}^n \frac{\lambda^{y_i} e^{-\lambda}}{y_i!}

    ``L = exp(poisson_log_likelihood(rate, y))``

    Derived in Chapter 1, eq. (1.8). Underflows for long samples: prefer the log.

    Args:
        rate: candidate rates, >= 0.
        y: the sample, non-negative whole counts.

    Returns:
        The likelihood, shape ``np.shape(rate)``.

    Raises:
        ValueError: as :func:`poisson_log_likelihood` (invalid parameters or data).
        TypeError: as :func:`poisson_log_likelihood` (non-numeric input).

    Examples:
        >>> print(f"{poisson_likelihood(1.0, [0, 1]):.6f}")  # e^-1 * e^-1
        0.135335
    """
    return np.exp(poisson_log_likelihood(rate, y))


# --------------------------------------------------------------------------- Laplace


def laplace_log_pdf(loc: npt.ArrayLike, scale: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Log-density of the Laplace distribution, elementwise.

    .. math::

        \log p(y \mid m, b) = -\log(2b) - \frac{|y - m|}{b}

    ``log_p = -log(2 * scale) - abs(y - loc) / scale``

    The Laplace density of Chapter 6, whose NLL is the mean absolute error.

    Args:
        loc: location (the median) :math:`m`.
        scale: scale :math:`b`, > 0.
        y: real observations.

    Returns:
        ``log p(y | loc, scale)`` with the broadcast shape of ``loc``, ``scale`` and ``y``.

    Raises:
        ValueError: ``scale <= 0``, non-finite values, or shapes that do not broadcast.
        TypeError: non-numeric input.

    Examples:
        >>> print(laplace_log_pdf(0.0, 1.0, [0.0, 2.0]).round(6))
        [-0.693147 -2.693147]
    """
    (loc_arr, scale_arr), dtype = _params(loc=loc, scale=scale)
    checks.check_positive(scale_arr, "scale")
    y_arr = _reals(y)
    _broadcast_shape(loc=loc_arr, scale=scale_arr, y=y_arr)
    return _result(-(_LOG_2 + np.log(scale_arr)) - np.abs(y_arr - loc_arr) / scale_arr, dtype)


def _sum_abs_deviations(loc: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``sum_i |y_i - loc|`` for every entry of ``loc``, in chunks of the sample."""
    flat = y.ravel()
    total = np.zeros(loc.shape, dtype=np.float64)
    chunk = max(1, _CHUNK_ELEMENTS // max(loc.size, 1))
    for start in range(0, flat.size, chunk):
        block = flat[start : start + chunk]
        total += np.abs(block - loc[..., None]).sum(axis=-1)
    return total


def laplace_log_likelihood(
    loc: npt.ArrayLike, scale: npt.ArrayLike, y: npt.ArrayLike
) -> np.ndarray:
    r"""Log-likelihood of ``(loc, scale)`` for an i.i.d. Laplace sample ``y``.

    .. math::

        \log L(m, b) = \sum_{i=1}^n \Big(-\log(2b) - \frac{|y_i - m|}{b}\Big)
            = -n \log(2b) - \frac1b \sum_{i=1}^n |y_i - m|

    ``log_L = -n * log(2 * scale) - sum(abs(y - loc)) / scale``

    The i.i.d. likelihood of Chapter 1, eq. (1.8), for the Laplace density of Chapter 6;
    maximised over ``loc`` by the sample median (Chapter 2).

    Args:
        loc: candidate locations; any shape.
        scale: candidate scales, > 0; broadcasts against ``loc``.
        y: the sample, real numbers; summed over all its elements.

    Returns:
        The log-likelihood, shape ``broadcast(loc.shape, scale.shape)``.

    Raises:
        ValueError: ``scale <= 0``, non-finite values, or ``loc`` and ``scale`` that do not
            broadcast.
        TypeError: non-numeric input.

    Examples:
        >>> print(f"{laplace_log_likelihood(0.0, 1.0, [-1.0, 0.0, 2.0]):.6f}")
        -5.079442
    """
    (loc_arr, scale_arr), dtype = _params(loc=loc, scale=scale)
    checks.check_positive(scale_arr, "scale")
    grid = _broadcast_shape(loc=loc_arr, scale=scale_arr)
    y_arr = _reals(y)
    n = float(y_arr.size)
    abs_dev = _sum_abs_deviations(np.broadcast_to(loc_arr, grid).astype(np.float64), y_arr)
    log_lik = -n * (_LOG_2 + np.log(scale_arr)) - abs_dev / scale_arr
    return _result(log_lik, dtype)


def laplace_likelihood(loc: npt.ArrayLike, scale: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    r"""Likelihood of ``(loc, scale)`` for an i.i.d. Laplace sample: ``exp`` of the log.

    .. math::

        L(m, b) = \prod_{i=1}^n \frac{1}{2b} \exp\!\Big(-\frac{|y_i - m|}{b}\Big)

    ``L = exp(laplace_log_likelihood(loc, scale, y))``

    Derived in Chapter 1, eq. (1.8). Underflows for long samples: prefer the log.

    Args:
        loc: candidate locations.
        scale: candidate scales, > 0; broadcasts against ``loc``.
        y: the sample, real numbers.

    Returns:
        The likelihood, shape ``broadcast(loc.shape, scale.shape)``.

    Raises:
        ValueError: as :func:`laplace_log_likelihood` (invalid parameters or data).
        TypeError: as :func:`laplace_log_likelihood` (non-numeric input).

    Examples:
        >>> print(f"{laplace_likelihood(0.0, 1.0, [0.0]):.6f}")
        0.500000
    """
    return np.exp(laplace_log_likelihood(loc, scale, y))
