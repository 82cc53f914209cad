"""Solutions to the exercises of Chapter 10, *Scoring rules and calibration*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code. Plain NumPy and SciPy, no
TensorFlow. The docstrings are plain text because the book shows them as code.
``buggy_fit_temperature`` is the broken code of exercise ex-ch10-negative-temperature,
kept here so that the book shows it once and the tests can show it is broken.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # sigma(z) = exp(-softplus(-z)) = exp(-logaddexp(0, -z)): no overflow for any z
    return np.exp(-np.logaddexp(0.0, -z))


def top_label_ece(
    probs: npt.ArrayLike, labels: npt.ArrayLike, n_bins: int = 15
) -> float:
    """Top-label expected calibration error of class probabilities.

    Exercise ex-ch10-top-label-ece. The confidence of example i is c_i = max_k p_ik and
    it counts as correct (a_i = 1) when argmax_k p_ik is its label. With M equal-width
    bins [a, b) of the confidence (a confidence of exactly 1 in the last bin),

        ECE = sum_m |B_m| / n * abs(mean of a_i in B_m - mean of c_i in B_m)

    Args:
        probs: Class probabilities, shape (n, K) with K >= 2.
        labels: Class indices in 0..K-1, shape (n,).
        n_bins: The number of bins M >= 1.

    Returns:
        The ECE, a Python float in [0, 1].

    Raises:
        ValueError: If probs is not (n, K) with K >= 2, labels is not (n,) of class
            indices, or n_bins < 1.

    Examples:
        >>> round(top_label_ece([[0.9, 0.1], [0.2, 0.8]], [0, 0], n_bins=2), 6)
        0.35
    """
    p = np.asarray(probs, dtype=np.float64)
    y = np.asarray(labels)
    if p.ndim != 2 or p.shape[1] < 2 or p.shape[0] == 0:
        raise ValueError(
            f"probs must have shape (n, K) with n >= 1, K >= 2; got {p.shape}"
        )
    if y.shape != (p.shape[0],) or not np.all(
        (y >= 0) & (y < p.shape[1]) & (y % 1 == 0)
    ):
        raise ValueError(
            f"labels must be {p.shape[0]} class indices in 0..{p.shape[1] - 1}; "
            f"got shape {y.shape}"
        )
    if n_bins < 1:
        raise ValueError(f"n_bins must be >= 1; got {n_bins}")
    confidence = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(np.float64)
    # bin m holds [m / M, (m + 1) / M); a confidence of exactly 1 joins the last bin
    bin_of = np.minimum(np.floor(confidence * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for m in range(n_bins):
        in_bin = bin_of == m
        if in_bin.any():
            gap = abs(correct[in_bin].mean() - confidence[in_bin].mean())
            ece += in_bin.mean() * gap  # |B_m| / n times the gap
    return float(ece)


def buggy_fit_temperature(
    logits: npt.ArrayLike,
    labels: npt.ArrayLike,
    learning_rate: float = 5.0,
    steps: int = 100,
) -> float:
    """BROKEN on purpose (exercise ex-ch10-negative-temperature): do not use.

    Fits the temperature T of sigmoid(z / T) by plain gradient descent on T, starting
    at T = 1, with d NLL / dT = mean((sigmoid(z / T) - y) * (-z / T**2)).

    Args:
        logits: Binary logits z, shape (n,).
        labels: Labels 0/1, shape (n,).
        learning_rate: The step size of gradient descent.
        steps: The number of steps.

    Returns:
        The last iterate of T, which can be negative.
    """
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    temperature = 1.0
    for _ in range(steps):
        p = _sigmoid(z / temperature)
        grad = np.mean((p - y) * (-z / temperature**2))
        temperature -= learning_rate * grad
    return float(temperature)


def fit_temperature_newton(
    logits: npt.ArrayLike,
    labels: npt.ArrayLike,
    tol: float = 1e-12,
    max_iter: int = 100,
) -> float:
    """Maximum-likelihood temperature of binary logits, by Newton's method on w = 1 / T.

    Exercise ex-ch10-negative-temperature (the fix). With w = 1 / T the mean NLL

        NLL(w) = mean(softplus(w z) - y w z)

    is a logistic regression with one feature z and no intercept: convex, with gradient
    g = mean((sigmoid(w z) - y) z) and curvature h = mean(s (1 - s) z**2) > 0,
    s = sigmoid(w z). Newton steps w -= g / h, halved while the NLL does not
    decrease, converge to the unique root of g. The optimum T = 1 / w exists only
    when that root is positive: the logits must beat chance, and not every example may
    be classified correctly (then w grows without bound).

    Args:
        logits: Binary logits z, shape (n,).
        labels: Labels 0/1, shape (n,).
        tol: Stop when a Newton step changes w by less than tol * w.
        max_iter: The largest number of Newton steps.

    Returns:
        T > 0, a Python float.

    Raises:
        ValueError: If the shapes differ or are not (n,), the labels are not 0/1, or no
            positive temperature maximises the likelihood.

    Examples:
        >>> round(fit_temperature_newton([2.0, -1.0, 0.5, -3.0], [1, 1, 0, 0]), 6)
        1.726605
    """
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    if z.ndim != 1 or z.shape != y.shape or z.size == 0:
        raise ValueError(
            f"logits and labels must have one shape (n,); got {z.shape}, {y.shape}"
        )
    if not np.all((y == 0) | (y == 1)):
        other = np.unique(y[(y != 0) & (y != 1)])
        raise ValueError(f"labels must be 0 or 1; got other values {other[:3]}")
    if np.mean((0.5 - y) * z) >= 0:  # g(0) = mean((1/2 - y) z): the slope at w = 0
        raise ValueError(
            "the logits do not beat chance: the NLL decreases as T -> infinity"
        )
    wrong = ((z > 0) & (y == 0)) | ((z < 0) & (y == 1))
    if not wrong.any():  # then every term of g is <= 0 for every w > 0
        raise ValueError(
            "no example is misclassified: the NLL decreases as T -> 0, no optimum"
        )

    def nll(w: float) -> float:
        return float(np.mean(np.logaddexp(0.0, w * z) - y * w * z))

    w = 1.0
    for _ in range(max_iter):
        s = _sigmoid(w * z)
        grad = np.mean((s - y) * z)
        curvature = np.mean(s * (1.0 - s) * z**2)
        # Newton's step; where the curvature is 0 or so small that grad / curvature
        # would overflow (every w z saturated, or nearly), a step of w itself, downhill
        step = grad / curvature if curvature > 1e-300 * abs(grad) else np.sign(grad) * w
        while w - step <= 0 or nll(w - step) > nll(w):
            step /= 2.0  # backtrack: stay positive and never increase the NLL
        w -= step
        if abs(step) <= tol * w:
            break
    return float(1.0 / w)


def expected_focal_minimizer(p_star: float, gamma: float) -> float:
    """The forecast p minimising the expected binary focal loss when P(y = 1) = p_star.

    Exercise ex-ch10-focal-minimiser. The expected loss is
    p_star * FL(p, 1) + (1 - p_star) * FL(p, 0), with FL(p, 1) = -(1 - p)**gamma log p
    and FL(p, 0) = -p**gamma log(1 - p). Its derivative in p,

        p_star * (gamma (1 - p)**(gamma - 1) log p - (1 - p)**gamma / p)
        + (1 - p_star) * (p**gamma / (1 - p) - gamma p**(gamma - 1) log(1 - p)),

    tends to -infinity as p -> 0 and to +infinity as p -> 1, so it has a root; Brent's
    method finds it.

    Args:
        p_star: The true probability of y = 1, in (0, 1).
        gamma: The focusing exponent, >= 0 (gamma = 0 is the log score: the root is
            p_star).

    Returns:
        The minimising forecast, a Python float in (0, 1).

    Raises:
        ValueError: If p_star is not in (0, 1) or gamma < 0.

    Examples:
        >>> round(expected_focal_minimizer(0.9, 2.0), 4)
        0.6942
    """
    if not 0.0 < p_star < 1.0:
        raise ValueError(f"p_star must be in (0, 1); got {p_star}")
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0; got {gamma}")

    def derivative(p: float) -> float:
        d_positive = gamma * (1 - p) ** (gamma - 1) * np.log(p) - (1 - p) ** gamma / p
        d_negative = p**gamma / (1 - p) - gamma * p ** (gamma - 1) * np.log1p(-p)
        return float(p_star * d_positive + (1 - p_star) * d_negative)

    return float(
        brentq(derivative, 1e-12, 1 - 1e-12, xtol=1e-15, rtol=4 * np.finfo(float).eps)
    )
