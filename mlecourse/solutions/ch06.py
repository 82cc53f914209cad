"""Solutions to the exercises of Chapter 6, *Gaussian noise and the mean squared error*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def _same_shape_1d(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Two finite float arrays of one shape (no silent (N, 1)-vs-(N,) broadcast)."""
    a = np.asarray(y_true, dtype=np.float64)
    b = np.asarray(y_pred, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape; got {a.shape} and {b.shape}"
        )
    if a.size == 0:
        raise ValueError("y_true must contain at least one value; got an empty array")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("y_true and y_pred must be finite; got NaN or infinity")
    return a, b


def profile_gaussian_nll(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float:
    """Total Gaussian NLL of the predictions at the best noise level sigma_hat.

    Exercise ex-ch06-profile. For fixed predictions the NLL
    n / 2 * log(2 pi sigma^2) + SSE / (2 sigma^2) is minimised by sigma_hat^2 = MSE,
    where it equals n / 2 * (1 + log(2 * pi * MSE)),
    with MSE = mean((y_true - y_pred) ** 2).

    Args:
        y_true: Targets, any shape.
        y_pred: Predicted means, the same shape as y_true.

    Returns:
        The minimum over sigma of the total (summed) NLL, as a float.

    Raises:
        ValueError: If the shapes differ, the input is empty or not finite, or the
            predictions are exact (MSE = 0: the NLL is unbounded below as σ → 0).

    Examples:
        >>> print(f"{profile_gaussian_nll([1.0, -1.0], [0.0, 0.0]):.6f}")  # MSE = 1
        2.837877
    """
    a, b = _same_shape_1d(y_true, y_pred)
    mse = np.mean((a - b) ** 2)
    if mse == 0.0:
        raise ValueError(
            "y_pred equals y_true exactly, so the Gaussian NLL has no minimum "
            "(it tends to -inf as sigma -> 0)"
        )
    return float(a.size / 2 * (1.0 + np.log(2.0 * np.pi * mse)))


def laplace_mle(y: npt.ArrayLike) -> tuple[float, float]:
    """Maximum-likelihood location and scale of a Laplace distribution.

    Exercise ex-ch06-laplace-scale. The location is a median (it minimises
    sum(abs(y - mu))), and the scale is the mean absolute deviation from it:
    loc = median(y); scale = mean(abs(y - loc)). For an even sample every point between
    the two middle values is a median; like numpy.median we return their midpoint, and
    the scale is the same for all of them.

    Args:
        y: The sample, any shape (all entries are used).

    Returns:
        (loc, scale) as floats.

    Raises:
        ValueError: If y is empty or not finite.

    Examples:
        >>> laplace_mle([0.0, 1.0, 5.0])
        (1.0, 1.6666666666666667)
    """
    sample = np.asarray(y, dtype=np.float64).ravel()
    if sample.size == 0:
        raise ValueError("y must contain at least one value; got an empty array")
    if not np.all(np.isfinite(sample)):
        raise ValueError("y must be finite; got NaN or infinity")
    loc = float(np.median(sample))
    return loc, float(np.mean(np.abs(sample - loc)))


def weighted_least_squares(
    X: npt.ArrayLike, y: npt.ArrayLike, sigma: npt.ArrayLike
) -> np.ndarray:
    """Maximum-likelihood weights of a linear model with known per-example noise.

    Exercise ex-ch06-wls. With y_i ~ Normal(x_i^T w, sigma_i^2) and the sigma_i known,
    the NLL is a constant plus 0.5 * sum((y_i - x_i^T w)^2 / sigma_i^2): ordinary least
    squares on the rows divided by sigma_i, lstsq(X / sigma[:, None], y / sigma).
    Include a column of ones in X for an intercept.

    Args:
        X: Design matrix, shape (n, d).
        y: Targets, shape (n,).
        sigma: Noise standard deviations, shape (n,), all > 0.

    Returns:
        The weights, shape (d,).

    Raises:
        ValueError: If the shapes do not match, a value is not finite, or a sigma is
            not positive.

    Examples:
        >>> X = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
        >>> w = weighted_least_squares(X, [1.0, 3.0, 5.0], [1.0, 0.5, 2.0])
        >>> w.round(6).tolist()
        [2.0, 1.0]
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    sigma = np.asarray(sigma, dtype=np.float64)
    if X.ndim != 2 or y.shape != (X.shape[0],) or sigma.shape != (X.shape[0],):
        raise ValueError(
            "X must be (n, d) and y and sigma (n,); "
            f"got X {X.shape}, y {y.shape}, sigma {sigma.shape}"
        )
    if not all(np.all(np.isfinite(a)) for a in (X, y, sigma)):
        raise ValueError("X, y and sigma must be finite; got NaN or infinity")
    if np.any(sigma <= 0):
        raise ValueError(f"sigma must be positive; got minimum {sigma.min()!r}")
    return np.linalg.lstsq(X / sigma[:, None], y / sigma, rcond=None)[0]


def gaussian_nll_gradients(
    y_true: npt.ArrayLike, mean: npt.ArrayLike, log_variance: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of one example's Gaussian NLL in the mean and the log-variance.

    Exercise ex-ch06-debug-gradient, the corrected version. For one example, with
    v = exp(log_variance) and residual u = y - mean,
    L = 0.5 * log(2 pi) + 0.5 * log_variance + u**2 / (2 v), so
    dL/dmean = -u / v = (mean - y) / v and dL/dlog_variance = 0.5 * (1 - u**2 / v).

    Args:
        y_true: Targets, any shape.
        mean: Predicted means, the same shape.
        log_variance: Predicted log-variances, the same shape.

    Returns:
        (d_mean, d_log_variance), each the shape of y_true.

    Raises:
        ValueError: If the shapes differ or a value is not finite.

    Examples:
        >>> d_mean, d_log_var = gaussian_nll_gradients([1.0], [0.0], [0.0])
        >>> d_mean.tolist(), d_log_var.tolist()
        ([-1.0], [0.0])
    """
    y, mu = _same_shape_1d(y_true, mean)
    log_var = np.asarray(log_variance, dtype=np.float64)
    if log_var.shape != y.shape or not np.all(np.isfinite(log_var)):
        raise ValueError(
            f"log_variance must be finite with shape {y.shape}; "
            f"got shape {log_var.shape}"
        )
    u = y - mu
    inv_v = np.exp(-log_var)  # 1 / v, written as exp(-log v)
    return -u * inv_v, 0.5 * (1.0 - u**2 * inv_v)
