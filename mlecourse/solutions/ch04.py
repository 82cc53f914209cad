"""Solutions to the exercises of Chapter 4, *Bernoulli → binary cross-entropy*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code. Plain NumPy, no
TensorFlow. The docstrings are plain text because the book shows them as code.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # sigma(z) = exp(-softplus(-z)) = exp(-logaddexp(0, -z)): no overflow for any z
    return np.exp(-np.logaddexp(0.0, -z))


def bce_logit_curvature(z: npt.ArrayLike) -> np.ndarray:
    """Second derivative of the binary cross-entropy with respect to the logit.

    Exercise ex-ch04-squared-error (the comparison), Theorem thm-ch04-convex. From
    dL/dz = sigmoid(z) - y and sigmoid' = sigmoid (1 - sigmoid):

        d2L/dz2 = sigmoid(z) * (1 - sigmoid(z))

    independent of the label, positive, at most 1/4 (at z = 0), so the loss is convex
    in z.

    Args:
        z: Logits, any shape.

    Returns:
        The curvature, float64, shaped like z.

    Examples:
        >>> float(bce_logit_curvature(0.0))
        0.25
    """
    z = np.asarray(z, dtype=np.float64)
    s = _sigmoid(z)
    # 1 - sigma(z) = sigma(-z): avoids the cancellation of 1 - s when s is close to 1
    return s * _sigmoid(-z)


def squared_error_logit_curvature(z: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    """Second derivative of the squared error (sigmoid(z) - y)^2 with respect to z.

    Exercise ex-ch04-squared-error. With s = sigmoid(z), s' = s (1 - s) and
    s'' = s (1 - s) (1 - 2 s):

        d2/dz2 (s - y)^2 = 2 s'^2 + 2 (s - y) s''

    It is negative for a confident mistake (e.g. z = -5, y = 1): not convex.

    Args:
        z: Logits.
        y: Labels in [0, 1], broadcastable against z.

    Returns:
        The curvature, float64.

    Examples:
        >>> bool(squared_error_logit_curvature(-5.0, 1.0) < 0)
        True
    """
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    s = _sigmoid(z)
    ds = s * _sigmoid(-z)
    return 2.0 * ds**2 + 2.0 * (s - y) * ds * (1.0 - 2.0 * s)


def weighted_bce_with_logits(
    y: npt.ArrayLike,
    z: npt.ArrayLike,
    pos_weight: float = 1.0,
) -> float:
    """Mean binary cross-entropy with a positive-class weight, from logits, stable.

    Exercise ex-ch04-stable-weighted. The NLL of the weighted Bernoulli likelihood in
    which each positive counts pos_weight = c+ times, averaged over the n examples
    (PyTorch's BCEWithLogitsLoss(pos_weight=c) convention: the denominator is n):

        mean_i [c+ y_i softplus(-z_i) + (1 - y_i) softplus(z_i)]

    with softplus(t) = max(t, 0) + log1p(exp(-abs(t))), which never overflows, so the
    loss is finite and accurate for logits of any size.

    Args:
        y: Labels in [0, 1].
        z: Logits, the same shape as y.
        pos_weight: The weight c+ >= 0 of the positive term.

    Returns:
        The mean loss, a Python float.

    Raises:
        ValueError: If the shapes differ or pos_weight < 0.

    Examples:
        >>> round(weighted_bce_with_logits([1.0, 0.0], [0.0, 0.0], pos_weight=3.0), 6)
        1.386294
    """
    y = np.asarray(y, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64)
    if y.shape != z.shape:
        raise ValueError(
            f"y and z must have the same shape; got {y.shape} and {z.shape}",
        )
    if pos_weight < 0:
        raise ValueError(f"pos_weight must be >= 0; got {pos_weight!r}")
    tail = np.log1p(np.exp(-np.abs(z)))  # log(1 + e^{-|z|}) in (0, log 2]
    neg_log_sigmoid = np.maximum(-z, 0.0) + tail  # -log sigma(z) = softplus(-z)
    neg_log_one_minus = np.maximum(z, 0.0) + tail  # -log(1 - sigma(z)) = softplus(z)
    per_example = pos_weight * y * neg_log_sigmoid + (1.0 - y) * neg_log_one_minus
    return float(per_example.mean())


def weighted_intercept_mle(y: npt.ArrayLike, pos_weight: float = 1.0) -> float:
    """The maximum-likelihood logit of an intercept-only model trained with pos_weight.

    Exercise ex-ch04-intercept. With n1 positives among n labels, setting the derivative
    of -[c+ n1 log sigmoid(w0) + (n - n1) log(1 - sigmoid(w0))] to zero gives the odds
    c+ n1 / (n - n1):

        w0_hat = log(c+ n1 / (n - n1))

    the plain MLE log(n1 / (n - n1)) shifted by log(c+).

    Args:
        y: 0/1 labels with at least one positive and one negative.
        pos_weight: The weight c+ > 0 of the positive term.

    Returns:
        The fitted logit w0 (a Python float).

    Raises:
        ValueError: If y is not 0/1, contains only one class, or pos_weight <= 0.

    Examples:
        >>> weighted_intercept_mle([1, 0, 0, 0], pos_weight=3.0)
        0.0
    """
    labels = np.asarray(y, dtype=np.float64).ravel()
    if not np.isin(labels, (0.0, 1.0)).all():
        raise ValueError("y must contain 0/1 labels only")
    n1, n = float(labels.sum()), labels.size
    if n1 == 0 or n1 == n:
        reason = "y needs both classes (the MLE is +-infinity otherwise)"
        raise ValueError(f"{reason}; got {int(n1)} of {n} positive")
    if pos_weight <= 0:
        raise ValueError(f"pos_weight must be > 0; got {pos_weight!r}")
    return float(np.log(pos_weight * n1 / (n - n1)))
