r"""Proper scoring rules and calibration: Brier score, reliability curve, ECE, temperature (Ch. 10).

A model's probabilities are *calibrated* when, among the examples to which it gives probability
:math:`p`, a fraction :math:`p` are positive. This module measures that, and fixes it with the
one-parameter maximum-likelihood fit of Guo et al. (2017). Derived in Chapter 10.

Decisions (written down once, here):

* **Binary inputs** are ``y_true`` with labels 0/1 (booleans, integers or whole floats) and
  ``y_prob``, the probability of the positive class, both of shape ``(N,)``. Nothing else is
  broadcast or reshaped: ``(N, 1)`` against ``(N,)`` is an error, as in the losses.
* **The two bin rules.** :func:`reliability_curve` is scikit-learn's ``calibration_curve``,
  exactly: edges ``np.linspace(0, 1, n_bins + 1)`` (or the ``np.percentile`` of ``y_prob`` for
  ``strategy="quantile"``), a probability on an inner edge goes to the bin *below* it
  (``np.searchsorted(inner_edges, p)``, so bins are :math:`(a, b]` and ``p = 0`` is in the first),
  and empty bins are dropped. :func:`expected_calibration_error` follows the contract of the
  course instead: the same edges ``np.linspace(0, 1, n_bins + 1)``, bins :math:`[a, b)` (a
  probability on an inner edge goes to the bin *above* it, ``side="right"``) with ``p = 1`` in
  the last bin. The two differ only for probabilities exactly on an inner edge; Guo et al.
  (2017) write :math:`(a, b]`.
* **Top-label ECE** (Guo et al., 2017): for ``(N, K)`` probabilities and integer labels, the
  confidence is :math:`\max_k p_{ik}` and an example is correct when ``np.argmax`` (the first
  maximum on a tie) equals its label. For ``K = 2`` this is *not* the binary ECE of the
  positive-class probability: it bins the larger of ``p`` and ``1 - p``.
* **Temperature** is parameterised by :math:`\log T`, so any real value is a valid
  :math:`T > 0`. The NLL is convex in :math:`1/T` (a log-partition function), so the maximum
  likelihood temperature is the unique root of the score equation, found by Brent's method on
  :math:`\log T` to an absolute error of 1e-12 (a relative error of 1e-12 in :math:`T`). It
  exists if and only if the logits beat chance on average and at least one example's label is
  not the largest logit; otherwise the likelihood keeps increasing as :math:`T \to \infty` or
  :math:`T \to 0`, and :func:`fit_temperature` raises ValueError instead of returning a boundary.
  Binary logits ``(N,)`` with 0/1 labels are accepted: :math:`\sigma(z/T)` is the softmax of
  :math:`(0, z)/T`, so the binary fit is the two-class fit of the logits ``(0, z)``.
* **dtype.** The sums run in float64 (a metric sums over every example; float32 would lose
  digits) and the result is cast back to the dtype of ``y_prob`` or ``logits``: float32 in,
  float32 out; integer or boolean input gives float64.
* **Validation** (named errors, through the checks of ``mlecourse._checks``):
  probabilities must be finite and in ``[0, 1]``, labels 0/1 or class indices in
  ``[0, K - 1]``, ``K >= 2``, ``n_bins`` an integer ``>= 1``, no input empty. Probability
  rows that do not sum to 1 only warn (UserWarning), as in the losses.

Examples:
    >>> import numpy as np
    >>> from mlecourse import scoring
    >>> y, p = np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.8, 0.3])
    >>> float(scoring.brier_score(y, p))
    0.0375
    >>> # bins [0, 0.5) and [0.5, 1]: 2/4 * |0 - 0.2| + 2/4 * |1 - 0.85| = 0.175
    >>> round(float(scoring.expected_calibration_error(y, p, n_bins=2)), 12)
    0.175
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq

from mlecourse import _checks as checks
from mlecourse import _contract as contract
from mlecourse._backend import NUMPY
from mlecourse.special import softmax

__all__ = ["brier_score", "expected_calibration_error", "fit_temperature", "reliability_curve"]

STRATEGIES = ("uniform", "quantile")
_LOG_T_LIMIT = 500.0  # |log T| beyond this: z / T could overflow float64 for logits of 1e4


# ------------------------------------------------------------------------ checks


def _binary_labels(y_true: npt.ArrayLike, name: str = "y_true") -> np.ndarray:
    """Labels 0/1 (bool, int or whole floats) as a float64 array."""
    y = checks.as_array(y_true, name)
    checks.check_finite(y, name)
    bad = (y != 0) & (y != 1)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must be binary labels 0 or 1; got {int(bad.sum())} other value(s), "
            f"e.g. {y[first]!r} at index {first}"
        )
    return y.astype(np.float64)


def _probabilities(y_prob: npt.ArrayLike, name: str = "y_prob") -> np.ndarray:
    """Non-empty, finite probabilities in ``[0, 1]`` (float32 stays float32)."""
    p = checks.as_float(y_prob, name)
    checks.check_nonempty(p, name)
    checks.check_finite_in_range(p, name, 0.0, 1.0, what="probabilities")
    return p


def _one_dimensional(arr: np.ndarray, name: str, what: str) -> None:
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of {what}, shape (N,); got shape {arr.shape}")


def _binary_pair(y_true: npt.ArrayLike, y_prob: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Labels and positive-class probabilities, both ``(N,)``; ``p`` in its own dtype."""
    p = _probabilities(y_prob)
    _one_dimensional(p, "y_prob", "probabilities of the positive class")
    y = _binary_labels(y_true)
    checks.check_same_shape(y, p, "y_true", "y_prob")
    return y, p


def _class_labels(labels: npt.ArrayLike, name: str, n: int, num_classes: int) -> np.ndarray:
    """One class index in ``[0, num_classes - 1]`` per example, shape ``(n,)``, as int64."""
    arr = checks.as_array(labels, name)
    if arr.shape != (n,):
        raise ValueError(
            f"{name} must hold one class index per example, shape ({n},); got shape {arr.shape}"
        )
    return checks.check_class_labels(arr, name, num_classes)


def _num_classes(shape: tuple[int, ...], name: str) -> int:
    if shape[-1] < 2:
        raise ValueError(
            f"{name} must have at least 2 classes along its last axis; got shape {shape}"
        )
    return shape[-1]


def _n_bins(n_bins: object) -> int:
    return checks.check_int(n_bins, "n_bins", low=1)


def _in_dtype(x: npt.ArrayLike, like: np.ndarray) -> np.ndarray:
    """``x`` (computed in float64) returned in ``like``'s float dtype."""
    return np.asarray(x, dtype=checks.float_dtype(like))


def _scalar_in_dtype(x: float, like: np.ndarray) -> np.floating:
    """A NumPy scalar of ``like``'s float dtype (float32 stays float32)."""
    scalar: np.floating = checks.float_dtype(like).type(x)
    return scalar


# ------------------------------------------------------------------------ the Brier score


def brier_score(
    y_true: npt.ArrayLike, y_prob: npt.ArrayLike, *, sample_weight: npt.ArrayLike | None = None
) -> np.floating:
    r"""The Brier score of binary probabilities: the mean squared error of the probability.

    .. math::

        \mathrm{BS} = \frac{\sum_{i=1}^n \omega_i (p_i - y_i)^2}{\sum_{i=1}^n \omega_i}

    In Python: ``np.average((p - y) ** 2, weights=sample_weight)``. It is a strictly proper
    scoring rule: its expectation under :math:`y \sim \operatorname{Bernoulli}(p^\star)` is
    :math:`(p - p^\star)^2 + p^\star(1 - p^\star)`, smallest at :math:`p = p^\star`. Unlike the
    log score it is bounded: a confidently wrong prediction costs at most 1. It equals
    scikit-learn's ``brier_score_loss(y_true, y_prob, sample_weight=...)`` (whose default
    ``scale_by_half="auto"`` gives this scale for two classes). Derived in Chapter 10,
    :eq:`eq-ch10-brier`.

    Args:
        y_true: Binary labels 0/1, shape ``(N,)``.
        y_prob: Probabilities of the positive class, shape ``(N,)``.
        sample_weight: Non-negative weights :math:`\omega_i`, a scalar or shape ``(N,)``;
            ``None`` for equal weights.

    Returns:
        The (weighted) mean, in ``[0, 1]``, a NumPy scalar in the dtype of ``y_prob``.

    Raises:
        TypeError: If an input is not numeric.
        ValueError: If an input is empty, not finite, of the wrong shape, ``y_prob`` is outside
            ``[0, 1]``, ``y_true`` is not 0/1, or the weights are negative or sum to 0.

    Examples:
        >>> float(brier_score([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]))
        0.0375
        >>> float(brier_score([1, 0], [0.0, 1.0]))  # confidently wrong: the maximum, 1
        1.0
        >>> float(brier_score([1, 0], [0.5, 0.5], sample_weight=[3.0, 1.0]))
        0.25
    """
    y, p = _binary_pair(y_true, y_prob)
    squared = (p.astype(np.float64) - y) ** 2
    w = contract.weights(NUMPY, sample_weight, squared)
    mean = contract.reduce(NUMPY, squared, w, "mean")
    return _scalar_in_dtype(float(mean), p)


# ------------------------------------------------------------------------ calibration


def reliability_curve(
    y_true: npt.ArrayLike,
    y_prob: npt.ArrayLike,
    *,
    n_bins: int = 10,
    strategy: str = "uniform",
) -> tuple[np.ndarray, np.ndarray]:
    r"""The points of a reliability diagram: observed frequency against mean probability per bin.

    For each non-empty bin :math:`B_m` of the probabilities, ``prob_true`` is the fraction of
    positives :math:`\frac{1}{|B_m|}\sum_{i \in B_m} y_i` and ``prob_pred`` the mean probability
    :math:`\frac{1}{|B_m|}\sum_{i \in B_m} p_i`; a calibrated model puts the points on the
    diagonal. The same function as scikit-learn's ``calibration_curve(y_true, y_prob,
    n_bins=n_bins, strategy=strategy)`` (the test suite asserts it), with the same bins: edges
    ``np.linspace(0, 1, n_bins + 1)`` for ``"uniform"``, the ``np.percentile`` of ``y_prob`` at
    those levels for ``"quantile"``; a probability on an inner edge belongs to the bin below
    it, and empty bins are left out. Derived in Chapter 10, :eq:`eq-ch10-ece`.

    Args:
        y_true: Binary labels 0/1, shape ``(N,)``.
        y_prob: Probabilities of the positive class, shape ``(N,)``.
        n_bins: Number of bins, an integer ``>= 1``.
        strategy: ``"uniform"`` (equal widths) or ``"quantile"`` (equal counts).

    Returns:
        ``(prob_true, prob_pred)``, two arrays of length ``n_bins`` or fewer (one entry per
        non-empty bin, in increasing order of probability), in the dtype of ``y_prob``.

    Raises:
        TypeError: If an input is not numeric, or ``n_bins`` is not an integer.
        ValueError: If an input is empty, not finite, of the wrong shape, ``y_prob`` is outside
            ``[0, 1]``, ``y_true`` is not 0/1, ``n_bins < 1``, or ``strategy`` is unknown.

    Examples:
        >>> y = [0, 0, 0, 0, 1, 1, 1, 1, 1]
        >>> p = [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0]
        >>> prob_true, prob_pred = reliability_curve(y, p, n_bins=3)
        >>> prob_true.tolist(), prob_pred.round(3).tolist()
        ([0.0, 0.5, 1.0], [0.2, 0.525, 0.85])
    """
    y, p = _binary_pair(y_true, y_prob)
    m = _n_bins(n_bins)
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, m + 1)
    elif strategy == "quantile":
        edges = np.percentile(p, np.linspace(0.0, 1.0, m + 1) * 100)
    else:
        raise ValueError(f"strategy must be one of {STRATEGIES}; got {strategy!r}")
    # a probability equal to an inner edge goes to the bin below it: bins (a, b], 0 in the first
    bin_of = np.searchsorted(edges[1:-1], p)
    count = np.bincount(bin_of, minlength=m)
    positives = np.bincount(bin_of, weights=y, minlength=m)
    prob_sum = np.bincount(bin_of, weights=p.astype(np.float64), minlength=m)
    kept = count > 0
    return _in_dtype(positives[kept] / count[kept], p), _in_dtype(prob_sum[kept] / count[kept], p)


def expected_calibration_error(
    y_true: npt.ArrayLike, y_prob: npt.ArrayLike, *, n_bins: int = 15
) -> np.floating:
    r"""Expected calibration error: the bin-size-weighted gap between frequency and probability.

    .. math::

        \mathrm{ECE} = \sum_{m=1}^{M} \frac{|B_m|}{n} \, \bigl| \bar y_m - \bar p_m \bigr|

    with :math:`\bar y_m` and :math:`\bar p_m` the mean label and the mean probability of the
    examples in bin :math:`B_m`. In Python: ``sum(count / n * abs(freq - mean_p))`` over the
    non-empty bins. The :math:`M` bins have equal widths, edges ``np.linspace(0, 1, M + 1)``,
    and are :math:`[a, b)` with ``p = 1`` in the last one.

    * ``y_prob`` of shape ``(N,)``: the probability of the positive class, ``y_true`` labels
      0/1; the gap is between the fraction of positives and the mean probability.
    * ``y_prob`` of shape ``(N, K)``, ``K >= 2``: class probabilities, ``y_true`` class indices;
      the **top-label** ECE of Guo et al. (2017): :math:`p_i = \max_k p_{ik}` (the confidence)
      and :math:`y_i = 1` when the predicted class ``argmax_k p_ik`` (the first on a tie) is the
      label (accuracy against confidence).

    The ECE is 0 for a calibrated model only in the limit: on a finite sample of a calibrated
    model each bin holds about :math:`n/M` examples, whose frequency misses their mean
    probability by about :math:`\sqrt{M/n}`, so the ECE is of order :math:`\sqrt{M/n}` (about
    :math:`0.31\sqrt{M/n}` for probabilities spread uniformly on :math:`[0, 1]`): more bins,
    larger ECE, at the same calibration. It is not a proper scoring rule (predicting the
    base rate for everyone has ECE near 0), so it is reported beside the NLL or the Brier score,
    never instead. Derived in Chapter 10, :eq:`eq-ch10-ece`.

    Args:
        y_true: Binary labels 0/1, shape ``(N,)``, or class indices in ``[0, K - 1]``.
        y_prob: Probabilities, shape ``(N,)`` (positive class) or ``(N, K)`` (rows summing
            to 1).
        n_bins: Number of equal-width bins :math:`M`, an integer ``>= 1``.

    Returns:
        The ECE, in ``[0, 1]``, a NumPy scalar in the dtype of ``y_prob``.

    Raises:
        TypeError: If an input is not numeric, or ``n_bins`` is not an integer.
        ValueError: If an input is empty, not finite, of the wrong shape, ``y_prob`` is outside
            ``[0, 1]``, a label is not 0/1 (binary) or not a class index, ``K < 2``, or
            ``n_bins < 1``.

    Warns:
        UserWarning: If rows of an ``(N, K)`` ``y_prob`` do not sum to 1.

    Examples:
        >>> y, p = [0, 1, 1, 1], [0.1, 0.2, 0.6, 0.9]
        >>> # bins [0, 0.5) and [0.5, 1]: 2/4 * |1/2 - 0.15| + 2/4 * |1 - 0.75| = 0.3
        >>> round(float(expected_calibration_error(y, p, n_bins=2)), 12)
        0.3
        >>> probs = [[0.7, 0.2, 0.1], [0.4, 0.5, 0.1], [0.3, 0.3, 0.4], [0.9, 0.05, 0.05]]
        >>> # confidences 0.7, 0.5, 0.4, 0.9; correct 1, 0, 1, 0
        >>> # 1/4 * |1 - 0.4| + 3/4 * |1/3 - 0.7| = 0.425
        >>> round(float(expected_calibration_error([0, 0, 2, 1], probs, n_bins=2)), 12)
        0.425
    """
    m = _n_bins(n_bins)
    p = _probabilities(y_prob)
    if p.ndim == 1:
        y, p = _binary_pair(y_true, p)
        confidence, outcome = p.astype(np.float64), y
    elif p.ndim == 2:
        k = _num_classes(p.shape, "y_prob")
        labels = _class_labels(y_true, "y_true", p.shape[0], k)
        checks.warn_if_not_normalized(p, "y_prob", -1)
        confidence = p.max(axis=-1).astype(np.float64)
        outcome = (p.argmax(axis=-1) == labels).astype(np.float64)  # correct: 1, wrong: 0
    else:
        raise ValueError(
            "y_prob must have shape (N,) (probability of the positive class) or (N, K) "
            f"(class probabilities); got shape {p.shape}"
        )
    # bins [a, b): a probability on an inner edge goes to the bin above it; p = 1 in the last
    bin_of = np.searchsorted(np.linspace(0.0, 1.0, m + 1)[1:-1], confidence, side="right")
    gap = np.abs(
        np.bincount(bin_of, weights=outcome, minlength=m)
        - np.bincount(bin_of, weights=confidence, minlength=m)
    )  # |B_m| * |frequency - mean p| = |sum of y - sum of p| in each bin
    return _scalar_in_dtype(gap.sum() / confidence.size, p)


# ------------------------------------------------------------------------ temperature scaling


def _logits_and_labels(
    logits: npt.ArrayLike, labels: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """``(N, K)`` float64 logits and int64 labels; binary ``(N,)`` logits become ``(0, z)``."""
    z = checks.as_float(logits, "logits")
    checks.check_nonempty(z, "logits")
    checks.check_finite(z, "logits")
    if z.ndim == 1:
        y = _binary_labels(labels, "labels")
        checks.check_same_shape(y, z, "labels", "logits")
        # sigmoid(z / T) = softmax((0, z) / T)_1: the binary fit is the two-class fit
        z2 = np.stack([np.zeros_like(z, dtype=np.float64), z.astype(np.float64)], axis=-1)
        return z2, y.astype(np.int64)
    if z.ndim != 2:
        raise ValueError(
            f"logits must have shape (N, K) (class logits) or (N,) (binary logits); "
            f"got shape {z.shape}"
        )
    k = _num_classes(z.shape, "logits")
    return z.astype(np.float64), _class_labels(labels, "labels", z.shape[0], k)


def _score(log_t: float, z: np.ndarray, z_label: np.ndarray) -> float:
    r"""Derivative of the mean NLL with respect to :math:`\beta = 1/T` at ``T = exp(log_t)``.

    :math:`\frac1n\sum_i (\E_{\operatorname{softmax}(\beta \mathbf{z}_i)}[z] - z_{i y_i})`:
    increasing in :math:`\beta` (its derivative is a mean of variances), so decreasing in
    ``log_t``.
    """
    p = softmax(z * math.exp(-log_t), axis=-1)
    return float(np.mean(np.sum(p * z, axis=-1) - z_label))


def fit_temperature(logits: npt.ArrayLike, labels: npt.ArrayLike) -> np.floating:
    r"""Temperature scaling: the :math:`T > 0` that maximises the likelihood of softmax(z / T).

    .. math::

        \hat T = \argmin_{T > 0} \, -\sum_{i=1}^n
        \log \operatorname{softmax}(\mathbf{z}_i / T)_{y_i}

    In Python: the minimiser over ``T`` of
    ``-np.mean(log_softmax(z / T)[np.arange(n), y])``. One parameter, fitted by maximum
    likelihood on held-out data (Guo et al., 2017): dividing every logit by the same
    :math:`T` never changes the predicted class, so accuracy is unchanged, while
    :math:`T > 1` softens over-confident probabilities and :math:`T < 1` sharpens them.

    With :math:`\beta = 1/T`, the NLL is convex in :math:`\beta` and the estimate solves the
    score equation :math:`\sum_i \E_{\operatorname{softmax}(\beta \mathbf{z}_i)}[z] =
    \sum_i z_{i y_i}` (the mean logit under the model equals the logit of the labels). It is
    solved by Brent's method on :math:`\log T`, to a relative error of about 1e-12 in
    :math:`T`. The score needs only the softmax of :math:`\mathbf{z}_i / T`, computed with its
    maximum subtracted, so logits of ±1e4 and far beyond are fine. Binary
    logits ``(N,)`` with labels 0/1 fit :math:`\sigma(z / T)` (the softmax of :math:`(0, z)/T`).
    Derived in Chapter 10, :eq:`eq-ch10-temperature`.

    Args:
        logits: Raw network outputs :math:`\mathbf{z}_i`, shape ``(N, K)`` with ``K >= 2``, or
            ``(N,)`` binary logits.
        labels: Class indices in ``[0, K - 1]``, shape ``(N,)`` (0/1 for binary logits).

    Returns:
        :math:`\hat T > 0`, a NumPy scalar in the dtype of ``logits`` (float32 stays float32;
        the fit itself runs in float64).

    Raises:
        TypeError: If an input is not numeric.
        ValueError: If an input is empty, not finite or of the wrong shape, a label is out of
            range, ``K < 2``, or no finite :math:`T > 0` maximises the likelihood: when the
            logits of the labels are on average no larger than the mean logit (the likelihood
            grows as :math:`T \to \infty`), or every label's logit is the largest (it grows
            as :math:`T \to 0`).

    Examples:
        >>> z = np.array([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0], [2.0, 0.0]])
        >>> y = np.array([0, 1, 1, 0])  # 3 of 4 right: softmax(z / T) should say 3/4
        >>> t = fit_temperature(z, y)
        >>> round(float(t), 6)  # sigmoid(2 / T) = 3/4, so T = 2 / log 3
        1.820478
        >>> bool(np.isclose(2 / t, np.log(3), rtol=1e-12))
        True
        >>> round(float(fit_temperature(np.array([-2.0, 2.0, -2.0, -2.0]), y)), 6)  # binary
        1.820478
    """
    z_in = checks.as_float(logits, "logits")
    z, y = _logits_and_labels(z_in, labels)
    z_label = z[np.arange(z.shape[0]), y]
    chance = np.mean(z.mean(axis=-1) - z_label)  # the score at T = infinity (beta = 0)
    if chance >= 0:
        raise ValueError(
            "no finite T > 0 maximises the likelihood: the logits of the labels are on average "
            "no larger than the mean logit (the labels are no better than chance), so the "
            f"likelihood grows as T -> infinity; got mean(z.mean(-1) - z[label]) = {chance:.6g}"
        )
    if np.all(z_label >= z.max(axis=-1)):  # the score at T = 0 (beta = infinity) is 0
        raise ValueError(
            "no finite T > 0 maximises the likelihood: every label has the largest logit of "
            "its row, so the likelihood grows as T -> 0; fit T on held-out data with some errors"
        )
    low, high = -1.0, 1.0  # bracket the root of the score, which decreases in log T
    while _score(low, z, z_label) <= 0 and low > -_LOG_T_LIMIT:
        low = max(low - 2 * (high - low), -_LOG_T_LIMIT)
    while _score(high, z, z_label) >= 0 and high < _LOG_T_LIMIT:
        high = min(high + 2 * (high - low), _LOG_T_LIMIT)
    if _score(low, z, z_label) <= 0 or _score(high, z, z_label) >= 0:
        raise ValueError(
            f"the maximum-likelihood T is outside [exp(-{_LOG_T_LIMIT:g}), exp({_LOG_T_LIMIT:g})]: "
            "the logits are almost separable or almost uninformative"
        )
    log_t = brentq(_score, low, high, args=(z, z_label), xtol=1e-12, rtol=4 * np.finfo(float).eps)
    return _scalar_in_dtype(math.exp(log_t), z_in)
