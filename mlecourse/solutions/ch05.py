r"""Solutions to the exercises of Chapter 5, *Categorical → cross-entropy*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code. Plain NumPy, no TensorFlow.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt


def smoothed_optimal_margin(num_classes: int, label_smoothing: float) -> tuple[float, float]:
    r"""The loss-minimising logit margin under label smoothing, and the minimum loss.

    Exercise ``ex-ch05-smoothing-margin``. With logit :math:`\Delta` for the observed class and 0
    for the other :math:`K - 1`, the smoothed cross-entropy is minimised where the softmax equals
    the smoothed target :math:`q_c = 1 - \varepsilon + \varepsilon/K`, :math:`q_k = \varepsilon/K`:

    .. math::

        \Delta^\star = \log\frac{q_c}{\varepsilon / K}
                     = \log\Bigl(1 + \frac{K (1 - \varepsilon)}{\varepsilon}\Bigr),
        \qquad
        \ell^\star = H(q) = -q_c \log q_c - (1 - q_c) \log\frac{\varepsilon}{K}

    ``margin = log1p(K * (1 - eps) / eps)``; the minimum is the entropy of the smoothed target.

    Args:
        num_classes: ``K >= 2``.
        label_smoothing: ``ε`` in ``(0, 1]`` (with ``ε = 0`` the margin is infinite).

    Returns:
        ``(margin, minimum_loss)`` in logit units and nats.

    Raises:
        ValueError: If ``num_classes < 2`` or ``label_smoothing`` is not in ``(0, 1]``.

    Examples:
        >>> margin, loss = smoothed_optimal_margin(10, 0.1)
        >>> round(margin, 4), round(loss, 4)
        (4.5109, 0.5003)
    """
    if num_classes < 2:
        raise ValueError(f"num_classes must be >= 2; got {num_classes}")
    if not 0.0 < label_smoothing <= 1.0:
        raise ValueError(
            f"label_smoothing must be in (0, 1] (0 gives an infinite margin); got {label_smoothing}"
        )
    k, eps = num_classes, label_smoothing
    q_true, q_other = 1.0 - eps + eps / k, eps / k
    margin = math.log1p(k * (1.0 - eps) / eps)  # log(q_true / q_other)
    entropy = -q_true * math.log(q_true) - (1.0 - q_true) * math.log(q_other)
    return margin, entropy


def cross_entropy_from_logits(
    labels: npt.ArrayLike,
    logits: npt.ArrayLike,
    class_weight: npt.ArrayLike | None = None,
    ignore_index: int | None = None,
) -> float:
    r"""Mean cross-entropy from logits, with PyTorch's class weights and ``ignore_index``.

    Exercise ``ex-ch05-ce-from-logits``. For example ``i`` with observed class ``c_i`` and kept
    set :math:`\mathcal K` (labels not equal to ``ignore_index``):

    .. math::

        \frac{\sum_{i \in \mathcal K} w_{c_i}\,
              \bigl(\operatorname{logsumexp}(f_i) - f_{i c_i}\bigr)}
             {\sum_{i \in \mathcal K} w_{c_i}}

    with ``logsumexp(f) = m + log(sum(exp(f - m)))``, ``m = max(f)``, so that no exponential
    overflows.

    Args:
        labels: Integer class indices, shape ``(N,)``.
        logits: Real scores, shape ``(N, K)``.
        class_weight: One weight ``>= 0`` per class, shape ``(K,)``; all 1 if None.
        ignore_index: A label value to skip (e.g. PyTorch's -100), or None.

    Returns:
        The weighted mean loss (a Python float).

    Raises:
        ValueError: On shapes that do not fit, labels out of range, or when every entry is
            ignored or weighted 0 (the mean would be 0 / 0).

    Examples:
        >>> round(cross_entropy_from_logits([0, 1], [[0.0, 0.0], [1e4, 0.0]]), 6)
        5000.346574
    """
    y = np.asarray(labels)
    f = np.asarray(logits, dtype=np.float64)
    if f.ndim != 2 or y.shape != f.shape[:1]:
        raise ValueError(f"logits must be (N, K) and labels (N,); got {f.shape} and {y.shape}")
    num_classes = f.shape[1]
    w = np.ones(num_classes) if class_weight is None else np.asarray(class_weight, np.float64)
    if w.shape != (num_classes,):
        raise ValueError(f"class_weight must have shape ({num_classes},); got {w.shape}")
    kept = np.ones(y.shape, bool) if ignore_index is None else y != ignore_index
    y_kept, f_kept = y[kept].astype(np.int64), f[kept]
    if np.any((y_kept < 0) | (y_kept >= num_classes)):
        raise ValueError(f"labels must be in [0, {num_classes - 1}] or ignore_index")
    m = f_kept.max(axis=1, keepdims=True)
    # logsumexp(f) = m + log(sum(exp(f - m))): every exponent <= 0
    lse = m[:, 0] + np.log(np.exp(f_kept - m).sum(axis=1))
    nll = lse - f_kept[np.arange(y_kept.size), y_kept]  # -log p_c = logsumexp(f) - f_c
    weights = w[y_kept]
    if weights.sum() == 0:
        raise ValueError("the mean is undefined: no entry is kept with a non-zero weight")
    return float(np.sum(weights * nll) / weights.sum())


def softmax_jacobian(f: npt.ArrayLike) -> np.ndarray:
    r"""The Jacobian of the softmax, :math:`\partial p_j / \partial f_k`.

    Exercise ``ex-ch05-jacobian``:

    .. math::

        J = \operatorname{diag}(p) - p\,p^\top, \qquad p = \operatorname{softmax}(f)

    ``np.diag(p) - np.outer(p, p)``: symmetric, rows summing to 0, null space spanned by the
    all-ones vector (the softmax ignores a common shift of the logits).

    Args:
        f: Logits, shape ``(K,)``.

    Returns:
        The ``(K, K)`` Jacobian, float64.

    Raises:
        ValueError: If ``f`` is not one-dimensional.

    Examples:
        >>> softmax_jacobian([0.0, 0.0]).tolist()
        [[0.25, -0.25], [-0.25, 0.25]]
    """
    f = np.asarray(f, dtype=np.float64)
    if f.ndim != 1:
        raise ValueError(f"f must be one-dimensional; got shape {f.shape}")
    e = np.exp(f - f.max())  # softmax is shift-invariant: subtract the max to avoid overflow
    p = e / e.sum()
    return np.diag(p) - np.outer(p, p)
