r"""Solutions to the exercises of Chapter 3, *The negative log-likelihood*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt


def negative_nll_threshold() -> float:
    r"""The standard deviation below which a Gaussian's NLL at its own mean is negative.

    Exercise ``ex-ch03-negative``. At :math:`y = \mu` the Gaussian negative log-density is

    .. math::

        -\log p(\mu \mid \mu, \sigma) = \log\sigma + \tfrac12 \log(2\pi),

    which is negative exactly when :math:`\sigma < 1/\sqrt{2\pi}`
    (``1 / math.sqrt(2 * math.pi)``), i.e. when the peak density :math:`1/(\sigma\sqrt{2\pi})`
    exceeds 1.

    Returns:
        :math:`1/\sqrt{2\pi} \approx 0.398942`.

    Examples:
        >>> print(f"{negative_nll_threshold():.6f}")
        0.398942
    """
    return 1.0 / math.sqrt(2.0 * math.pi)


def poisson_regression_nll_hessian(X: npt.ArrayLike, w: npt.ArrayLike) -> np.ndarray:
    r"""Hessian of the Poisson-regression NLL with a log link, :math:`X^\top \Lambda X`.

    Exercise ``ex-ch03-poisson-convex``. With :math:`\lambda_i = e^{x_i^\top w}`,
    :math:`\mathrm{NLL}(w) = \sum_i \big(\lambda_i - y_i\, x_i^\top w + \log y_i!\big)`, so

    .. math::

        \nabla \mathrm{NLL} = X^\top(\lambda - y), \qquad
        \nabla^2 \mathrm{NLL} = X^\top \operatorname{diag}(\lambda)\, X,

    ``H = X.T @ (rate[:, None] * X)``. It does not depend on the counts ``y``, and
    :math:`v^\top H v = \sum_i \lambda_i (x_i^\top v)^2 \ge 0`: the NLL is convex.

    Args:
        X: design matrix, shape ``(n, d)`` (include a column of ones for an intercept).
        w: weights, shape ``(d,)``.

    Returns:
        The ``(d, d)`` Hessian.

    Raises:
        ValueError: if the shapes do not fit together.

    Examples:
        >>> poisson_regression_nll_hessian([[1.0, 0.0], [1.0, 1.0]], [0.0, 0.0]).tolist()
        [[2.0, 1.0], [1.0, 1.0]]
    """
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if X.ndim != 2 or w.shape != (X.shape[1],):
        raise ValueError(f"X must be (n, d) and w (d,); got X {X.shape} and w {w.shape}")
    rate = np.exp(X @ w)  # lambda_i = exp(x_i . w)
    return X.T @ (rate[:, None] * X)


def held_out_mean_nll(y_train: npt.ArrayLike, y_test: npt.ArrayLike) -> dict[str, float]:
    r"""Fit a Gaussian and a Laplace by maximum likelihood, score both on held-out data.

    Exercise ``ex-ch03-held-out``. Each model is fitted on ``y_train`` with its closed-form
    MLE (Chapter 2): :math:`\hat\mu = \bar y`, :math:`\hat\sigma^2 = \frac1n\sum(y_i-\bar y)^2`
    for the Gaussian, the median and the mean absolute deviation for the Laplace. The score
    is the mean NLL per test point, in nats:

    .. math::

        \text{Gaussian: } \log\hat\sigma + \tfrac12\log 2\pi
        + \frac{1}{m}\sum_j \frac{(y_j - \hat\mu)^2}{2\hat\sigma^2}, \qquad
        \text{Laplace: } \log(2\hat b) + \frac1m \sum_j \frac{|y_j - \hat\mu|}{\hat b}.

    Args:
        y_train: the sample the parameters are fitted on (at least two distinct values).
        y_test: the held-out sample they are scored on (same units).

    Returns:
        ``{"gaussian": ..., "laplace": ...}``, the mean held-out NLL of each model; the
        lower one predicts the held-out data better.

    Raises:
        ValueError: if ``y_train`` is constant (a zero scale) or either sample is empty.

    Examples:
        >>> scores = held_out_mean_nll([-1.0, 0.0, 1.0], [0.0])
        >>> print(f"{scores['gaussian']:.6f} {scores['laplace']:.6f}")
        0.716206 0.287682
    """
    train = np.asarray(y_train, dtype=np.float64).ravel()
    test = np.asarray(y_test, dtype=np.float64).ravel()
    if train.size == 0 or test.size == 0:
        raise ValueError("y_train and y_test must be non-empty")
    mu, sigma = train.mean(), train.std()  # Gaussian MLE (ddof=0)
    loc = np.median(train)
    scale = np.mean(np.abs(train - loc))  # Laplace MLE
    if sigma == 0 or scale == 0:
        raise ValueError("y_train is constant: the fitted scale is 0 and the NLL is unbounded")
    gaussian = np.log(sigma) + 0.5 * np.log(2 * np.pi) + np.mean((test - mu) ** 2) / (2 * sigma**2)
    laplace = np.log(2 * scale) + np.mean(np.abs(test - loc)) / scale
    return {"gaussian": float(gaussian), "laplace": float(laplace)}
