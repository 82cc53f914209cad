"""NumPy reference losses: each one is the negative log-likelihood of a distribution.

This module is the loss contract of the course: the same names and signatures exist in
:mod:`mlecourse.tfp.losses` (and, for the gradients, in :mod:`mlecourse.gradients`). Argument
order is ``(y_true, y_pred)``; options are keyword-only.

Decisions, made once for every function here:

* **Reductions.** ``reduction="none"`` returns one loss per target element (the categorical
  losses reduce the class axis), already multiplied by ``sample_weight``. With ``ωᵢ`` the sample
  weight and ``𝓛ᵢ`` the loss of element ``i``, ``"sum"`` is ``Σ ωᵢ·𝓛ᵢ`` and ``"mean"`` the
  weighted mean ``Σ ωᵢ·𝓛ᵢ / Σ ωᵢ·c_{yᵢ}``, with ``c_{yᵢ}`` the class weight of the target (1
  without class weights; PyTorch's convention). For the categorical losses the class weights sit
  inside ``𝓛ᵢ`` (``𝓛ᵢ = -Σ_k c_k y'_ik log p_ik``, which with label smoothing also weights the
  smoothing mass, as PyTorch does), so the numerator is ``Σ ωᵢ·𝓛ᵢ`` and the denominator
  ``Σ ωᵢ·Σ_k c_k y_ik`` with the *unsmoothed* targets (without ``class_weight`` simply
  ``Σ ωᵢ``). Entries equal to ``ignore_index`` contribute 0 to both. A mean whose weights sum
  to 0 raises ValueError. Without label smoothing and for one-hot targets this is exactly the
  weighted mean of the NLLs, ``Σ ωᵢ c_{yᵢ} NLLᵢ / Σ ωᵢ c_{yᵢ}``.
* **Probabilities** (``from_logits=False``) are clipped to ``[eps, 1 - eps]`` with
  ``eps = np.finfo(dtype).eps`` (2.2e-16 for float64, 1.2e-7 for float32). The cost: one
  element's loss is capped at ``-log(eps)`` (36.04 in float64, 15.94 in float32) and its gradient
  is zero beyond the clip, so a confidently wrong prediction of exactly 0 or 1 is penalised
  finitely. Logits (``from_logits=True``) are never clipped: they are computed in log space
  (log-sigmoid, log-sum-exp) and stay exact for logits of ±1e4 and beyond. Prefer logits.
* **dtype.** The prediction decides it (float32 in, float32 out); integer and boolean targets are
  accepted and cast. The result is a NumPy scalar (``"mean"``/``"sum"``) or array (``"none"``).
* **Shapes.** Targets and predictions must have the same shape (sparse labels: the prediction's
  shape without the class axis). Weights and distribution parameters are scalars or exactly the
  shape they apply to. Nothing is broadcast silently; ``(N, 1)`` against ``(N,)`` is an error.
* **Values.** NaN and infinity are rejected; so are probabilities outside ``[0, 1]``, labels out
  of range, negative weights, variances, standard deviations, scales and counts, and Poisson
  counts that are not whole numbers (the Poisson likelihood is a pmf). Probability rows
  that do not sum to 1 only warn (UserWarning) and are used as given (never renormalised).
* **Poisson rate 0** (``log_input=False``): the rate inside the logarithm is clamped below at
  ``eps = np.finfo(dtype).eps``, so ``y = 0, rate = 0`` gives the exact loss 0 and ``y > 0,
  rate = 0`` a finite loss ``y·36.04`` (float64) instead of infinity. PyTorch instead adds 1e-8
  to every rate; Keras adds 1e-7.
* **Exact likelihoods** (Chapter 11). The Student-t, negative-binomial, Gamma and log-normal
  losses are exact NLLs, every constant kept (so no ``full`` option): each equals SciPy's
  ``-logpdf``/``-logpmf``, and keeps its digits where SciPy's does not (a huge ``df``,
  ``total_count`` or ``concentration``), through :func:`mlecourse.special.log_beta` and
  :func:`mlecourse.special.log_gamma_correction`. Their parameters must be ``> 0`` and their
  targets in the support (whole counts ``>= 0``; ``y > 0`` for the Gamma and the log-normal):
  a target on the edge, such as ``y = 0`` for the Gamma, is an error, not ``inf``. Huber and
  pinball are losses (no normaliser); the focal loss is not a likelihood for ``γ > 0``.
* **How each loss reads.** The steps the book derives, in its order: the contract
  (``mlecourse._contract``, which holds every check, every error message and the one
  reduction rule, shared with :mod:`mlecourse.gradients` and the TFP twin) validates and
  converts the arguments; the body then applies the changes to the likelihood in view --
  label smoothing (:func:`mlecourse.special.smooth_labels`), clamps, the ``ignore_index``
  mask and the class weight of the target -- and the per-element NLL, the chapter's formula
  built from the public primitives of :mod:`mlecourse.special`, each stable rewrite's
  identity as a comment; the contract reduces it.
* **Speed.** Validation costs a ``min``/``max`` pass per array. The two hot paths of
  ``benchmarks/bench_losses.py`` (binary cross-entropy and sparse cross-entropy from logits) call
  the private kernels of ``mlecourse._kernels``, which evaluate the same formulas in cache-sized
  blocks (``tests/test_kernels.py`` proves them equal); the benchmark times both, against
  scikit-learn, Keras and PyTorch, in one process.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from mlecourse import _contract as contract
from mlecourse import _docs, _kernels
from mlecourse._backend import NUMPY, machine_eps
from mlecourse.special import (
    log_beta,
    log_gamma_correction,
    log_sigmoid,
    log_softmax,
    smooth_labels,
    softplus,
)

__all__ = list(contract.LOSS_NAMES)

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)  # Python floats keep float32 float32
_LOG_2 = math.log(2.0)
_TWO_PI = 2.0 * math.pi


def _log_probabilities(pred: np.ndarray, from_logits: bool) -> np.ndarray:
    """``log p`` along the last axis: ``log_softmax(z)``, or ``log`` of clipped probabilities.

    ``log_softmax(z)_c = (z_c - m) - log Σ_j e^{z_j - m}`` with ``m = max_j z_j``: two terms
    <= 0, so nothing cancels, and never ``log(softmax(z))``, which is ``-inf`` as soon as a
    probability underflows. Probabilities are used as given (not renormalised).
    """
    if from_logits:
        return log_softmax(pred, axis=-1)
    eps = machine_eps(pred)
    return np.log(np.clip(pred, eps, 1 - eps))  # log 0 = -inf: clipped to [eps, 1 - eps]


def _nll_of_label(pred: np.ndarray, k: np.ndarray, from_logits: bool) -> np.ndarray:
    """``-log p_k`` per row (class axis last): ``logsumexp(z) - z_k`` from logits."""
    if from_logits:  # the hot path: logsumexp(z) - z_k in cache-sized blocks (_kernels)
        return _kernels.softmax_cross_entropy(pred, k)
    log_p = _log_probabilities(pred, from_logits)
    return -np.take_along_axis(log_p, k[..., None], axis=-1)[..., 0]


def _one_hot(k: np.ndarray, like: np.ndarray) -> np.ndarray:
    """The one-hot rows ``e_k`` of the labels, in ``like``'s dtype and number of classes."""
    return (np.arange(like.shape[-1]) == k[..., None]).astype(like.dtype)


def _same_dtype(x: np.ndarray, like: np.ndarray) -> np.ndarray:
    """``x`` in ``like``'s dtype (special functions may return float64 for float32 input)."""
    return np.asarray(x, dtype=like.dtype)


def _bernoulli_nll(
    y: np.ndarray, pred: np.ndarray, from_logits: bool, pos_weight: np.ndarray | None
) -> np.ndarray:
    """The Bernoulli NLL of each element, ``-[c₊ y log p + (1 - y) log(1 - p)]``.

    Shared by :func:`binary_cross_entropy` and :func:`binary_focal_loss`; ``c₊`` is
    ``pos_weight`` (1 when ``None``), ``p = σ(z)`` from logits.
    """
    wy = y if pos_weight is None else pos_weight * y  # c₊ y
    if not from_logits:
        eps = machine_eps(pred)
        p = np.clip(pred, eps, 1 - eps)  # log 0 = -inf: clipped to [eps, 1 - eps]
        return -(wy * np.log(p) + (1 - y) * np.log1p(-p))  # log(1 - p) = log1p(-p)
    if pos_weight is None:  # the hot path: the formula below with c₊ = 1, in cache-sized blocks
        return _kernels.sigmoid_cross_entropy(y, pred)
    # log σ(z) = min(z, 0) - log1p(e^{-|z|}) and log(1 - σ(z)) = -max(z, 0) - log1p(e^{-|z|}),
    # so -[c₊ y log σ(z) + (1 - y) log(1 - σ(z))] is a sum of terms >= 0 (nothing cancels,
    # soft labels included) and e^{-|z|} <= 1 never overflows:
    tail = softplus(-np.abs(pred))  # log1p(e^{-|z|}) = softplus(-|z|), in (0, log 2]
    return (1 - y) * np.maximum(pred, 0) - wy * np.minimum(pred, 0) + (wy + (1 - y)) * tail


# ----------------------------------------------------------------------------- Bernoulli


def binary_cross_entropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    pos_weight: npt.ArrayLike | None = None,
    label_smoothing: float = 0.0,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Binary cross-entropy: the negative log-likelihood of a Bernoulli distribution.

    With ``p = sigmoid(z)`` (``from_logits=True``) or ``p = y_pred``, the loss of one element is
    the Bernoulli NLL, no constant dropped (the Bernoulli pmf has none):

    .. math::

        \mathcal{L}(y, p) = -\bigl[\,c_+\, y \log p + (1 - y) \log(1 - p)\,\bigr]

    Python: ``-(pos_weight * y * np.log(p) + (1 - y) * np.log1p(-p))``; from logits it is
    evaluated as ``(1 - y) * max(z, 0) - pos_weight * y * min(z, 0) + (pos_weight * y + 1 - y)
    * log1p(exp(-abs(z)))``, which never overflows.

    Derived in Chapter 4: :eq:`eq-ch04-bce`, :eq:`eq-ch04-stable` (from logits) and
    :eq:`eq-ch04-pos-weight` (``pos_weight`` as a weighted likelihood).

    Args:
        y_true: Targets in ``[0, 1]`` (hard 0/1 labels, booleans, or soft labels), same shape as
            ``y_pred``.
        y_pred: Probabilities in ``[0, 1]``, or logits if ``from_logits=True``.
        from_logits: Whether ``y_pred`` holds logits (recommended: exact for any magnitude).
            Probabilities are clipped to ``[eps, 1 - eps]``, ``eps = np.finfo(dtype).eps``, so one
            element's loss is at most ``-log(eps)`` (36.04 float64, 15.94 float32).
        pos_weight: :math:`c_+` multiplying the positive term ``y log p``, as in PyTorch's
            ``BCEWithLogitsLoss(pos_weight=)``: a scalar, one weight per label (the last axis of
            ``y_pred``) or the shape of ``y_pred``; ``>= 0``. Works for probabilities too.
        label_smoothing: ``ε`` in ``[0, 1]``; targets become ``y (1 - ε) + ε / 2``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        A NumPy scalar (``"mean"``, ``"sum"``) or an array shaped like ``y_pred`` (``"none"``), in
        the dtype of ``y_pred`` (float32 stays float32).

    Raises:
        TypeError: Non-numeric inputs, a non-bool ``from_logits``, a non-real
            ``label_smoothing``.
        ValueError: Shapes that differ, empty inputs, NaN/inf, targets or probabilities outside
            ``[0, 1]``, a badly shaped or negative ``pos_weight``/``sample_weight``,
            ``label_smoothing`` outside ``[0, 1]``, an unknown ``reduction``.

    Examples:
        >>> import numpy as np
        >>> y = np.array([1, 0, 1])
        >>> z = np.array([2.0, -1.0, 1e4])
        >>> float(binary_cross_entropy(y, z, from_logits=True))
        0.14673
        >>> binary_cross_entropy(y, z, from_logits=True, reduction="none")
        array([0.12692801, 0.31326169, 0.        ])
        >>> float(binary_cross_entropy([1.0], [0.0]))  # clipped: -log(eps)
        36.04365338911715
    """
    args = contract.binary_args(
        NUMPY, y_true, y_pred, from_logits=from_logits, pos_weight=pos_weight,
        label_smoothing=label_smoothing, sample_weight=sample_weight,
    )  # fmt: skip
    y = smooth_labels(args.y, args.smoothing, num_classes=2)  # y (1 − ε) + ε / 2
    nll = _bernoulli_nll(y, args.pred, args.from_logits, args.pos_weight)
    return contract.reduce(NUMPY, nll, args.weights, reduction)


# ----------------------------------------------------------------------------- Categorical


def categorical_cross_entropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    class_weight: npt.ArrayLike | None = None,
    label_smoothing: float = 0.0,
    sample_weight: npt.ArrayLike | None = None,
    axis: int = -1,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Categorical cross-entropy with one-hot or soft targets: the NLL of a Categorical.

    With ``log p = log_softmax(z)`` (``from_logits=True``) or ``log p = log(y_pred)``, ``K``
    classes ``k = 0, …, K−1``, smoothed targets :math:`y'_k = y_k (1 - \varepsilon) +
    \varepsilon / K` and class weights :math:`c_k` (all 1 by default), one example's loss is (no
    constant dropped)

    .. math::

        \mathcal{L}(\mathbf{y}, \mathbf{p}) = -\sum_{k=0}^{K-1} c_k\, y'_k \log p_k

    Python: ``-(class_weight * y_smooth * log_p).sum(axis)``; from logits ``-log p_k`` is
    evaluated as ``log(sum(exp(z - z_max))) + (z_max - z_k)`` with ``z_max = z.max(axis)``,
    never ``log(softmax(z))``.

    ``reduction="mean"`` divides by :math:`\sum_i \omega_i \sum_k c_k y_{ik}` with the
    unsmoothed targets (by :math:`\sum_i \omega_i` when ``class_weight`` is None, with
    :math:`\omega_i` the sample weight): for one-hot targets the sum of sample weight × class
    weight of the target, so that this function equals :func:`sparse_categorical_cross_entropy`
    with the class indices for every option.

    Derived in Chapter 5: :eq:`eq-ch05-ce`, :eq:`eq-ch05-ce-logits`; class weights and label
    smoothing as changes to the likelihood, :eq:`eq-ch05-class-weight`, :eq:`eq-ch05-smoothing`.

    Args:
        y_true: Targets in ``[0, 1]`` (one-hot or a probability vector per example), same shape
            as ``y_pred``. Rows that do not sum to 1 warn.
        y_pred: Probabilities (each slice along ``axis`` sums to 1; otherwise a warning, and the
            values are used as given), or logits if ``from_logits=True``.
        from_logits: Whether ``y_pred`` holds logits (recommended). Probabilities are clipped to
            ``[eps, 1 - eps]``, ``eps = np.finfo(dtype).eps``, capping ``-log p`` at 36.04
            (float64) or 15.94 (float32).
        class_weight: One weight :math:`c_k \ge 0` per class, shape ``(K,)``.
        label_smoothing: ``ε`` in ``[0, 1]``; targets become ``y (1 - ε) + ε / K``.
        sample_weight: A scalar or one weight ``>= 0`` per example (the shape of ``y_pred``
            without ``axis``).
        axis: The class axis; ``axis=1`` takes PyTorch's layout, ``(n, K, d1, ...)``.
        reduction: ``"mean"`` (denominator above), ``"sum"`` (:math:`\sum_i \omega_i
            \mathcal{L}_i`) or ``"none"`` (:math:`\omega_i \mathcal{L}_i`, shaped like
            ``y_pred`` without ``axis``).

    Returns:
        {{returns}}

    Raises:
        TypeError: Non-numeric inputs, a non-bool ``from_logits``, a non-integer ``axis``.
        ValueError: Shapes that differ, empty inputs, NaN/inf, values outside ``[0, 1]``, a
            ``class_weight`` not of shape ``(K,)`` or negative, a bad ``sample_weight``,
            ``label_smoothing`` outside ``[0, 1]``, a bad ``axis`` or ``reduction``.

    Examples:
        >>> import numpy as np
        >>> y = np.array([[1, 0, 0], [0, 0, 1]])
        >>> z = np.array([[2.0, 1.0, 0.1], [1e4, 0.0, -1e4]])
        >>> categorical_cross_entropy(y, z, from_logits=True, reduction="none")
        array([4.17030016e-01, 2.00000000e+04])
        >>> p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
        >>> float(categorical_cross_entropy(y, p))  # -(log 0.7 + log 0.8) / 2
        0.28991
    """
    args = contract.categorical_args(
        NUMPY, y_true, y_pred, from_logits=from_logits, class_weight=class_weight,
        label_smoothing=label_smoothing, sample_weight=sample_weight, axis=axis,
    )  # fmt: skip
    cw = args.class_weight
    # the class weight of each target, Σ_k c_k y_k (unsmoothed): the mean's denominator
    w_y = None if cw is None else np.sum(cw * args.y, axis=-1)
    y = smooth_labels(args.y, args.smoothing)  # y' = y (1 − ε) + ε / K
    log_p = _log_probabilities(args.pred, args.from_logits)
    wy = y if cw is None else cw * y  # c_k y'_k
    nll = -np.sum(wy * log_p, axis=-1)  # -Σ_k c_k y'_k log p_k
    return contract.reduce(NUMPY, nll, args.weights, reduction, w_y)


def sparse_categorical_cross_entropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    class_weight: npt.ArrayLike | None = None,
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    sample_weight: npt.ArrayLike | None = None,
    axis: int = -1,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Cross-entropy with integer class labels: the NLL of a Categorical at the observed class.

    With ``log p = log_softmax(z)`` or ``log(y_pred)``, ``K`` classes, the label
    :math:`y \in \{0, \dots, K-1\}`, class weights :math:`c_k` (all 1 by default) and
    smoothing :math:`\varepsilon`, one example's loss is (no constant dropped)

    .. math::

        \mathcal{L}(y, \mathbf{p}) = -(1 - \varepsilon)\, c_y \log p_y
        - \frac{\varepsilon}{K} \sum_{k=0}^{K-1} c_k \log p_k

    Python: ``-(1 - eps) * class_weight[y] * log_p[y] - eps / K * (class_weight *
    log_p).sum()``; from logits ``-log p_k = log(sum(exp(z - z_max))) + (z_max - z_k)``. It is
    PyTorch's ``F.cross_entropy(z, y, weight=class_weight, ignore_index=, label_smoothing=eps)``,
    including the mean: ``reduction="mean"`` divides by :math:`\sum_i \omega_i c_{y_i}` (sample
    weight :math:`\omega_i`) over the examples not ignored.

    Derived in Chapter 5: :eq:`eq-ch05-ce-logits`, :eq:`eq-ch05-class-weight`,
    :eq:`eq-ch05-smoothing`.

    Args:
        y_true: Integer class indices in ``[0, K)`` (whole-number floats accepted), shaped like
            ``y_pred`` without ``axis``; entries equal to ``ignore_index`` are skipped.
        y_pred: Probabilities along ``axis``, or logits if ``from_logits=True``.
        from_logits: Whether ``y_pred`` holds logits (recommended). Probabilities are clipped to
            ``[eps, 1 - eps]``, capping ``-log p`` at 36.04 (float64) or 15.94 (float32).
        class_weight: One weight :math:`c_k \ge 0` per class, shape ``(K,)``.
        ignore_index: A label value whose entries get loss 0 and leave numerator and
            denominator of the mean (PyTorch uses -100 for padding).
        label_smoothing: ``ε`` in ``[0, 1]``: the one-hot target becomes ``y (1 - ε) + ε / K``.
        sample_weight: A scalar or one weight ``>= 0`` per example (the shape of ``y_true``).
        axis: The class axis of ``y_pred``; ``axis=1`` takes PyTorch's ``(n, K, d1, ...)``.
        reduction: ``"mean"`` (denominator above), ``"sum"`` or ``"none"`` (shape of
            ``y_true``, ignored entries 0).

    Returns:
        {{returns}}

    Raises:
        TypeError: Non-numeric inputs, a non-integer ``ignore_index`` or ``axis``.
        ValueError: A ``y_true`` of the wrong shape, labels out of range or not whole numbers,
            NaN/inf, probabilities outside ``[0, 1]``, a bad ``class_weight``, ``sample_weight``,
            ``label_smoothing``, ``axis`` or ``reduction``, a mean over nothing.

    Examples:
        >>> import numpy as np
        >>> z = np.array([[2.0, 1.0, 0.1], [1e4, 0.0, -1e4]])
        >>> sparse_categorical_cross_entropy([0, 2], z, from_logits=True, reduction="none")
        array([4.17030016e-01, 2.00000000e+04])
        >>> float(sparse_categorical_cross_entropy([0, -100], z, from_logits=True,
        ...                                        ignore_index=-100))
        0.41703
    """
    args = contract.sparse_args(
        NUMPY, y_true, y_pred, from_logits=from_logits, class_weight=class_weight,
        ignore_index=ignore_index, label_smoothing=label_smoothing, sample_weight=sample_weight,
        axis=axis,
    )  # fmt: skip
    k, w, cw = args.labels, args.weights, args.class_weight
    if args.ignore_index is not None:  # an ignored entry leaves numerator and denominator
        kept = k != args.ignore_index
        k = np.where(kept, k, 0)  # any valid class: its weight is 0
        w = kept.astype(args.pred.dtype) if w is None else w * kept
    w_k = None if cw is None else cw[k]  # the class weight of each target
    if args.smoothing:
        y = smooth_labels(_one_hot(k, args.pred), args.smoothing)  # y' = (1 − ε) e_k + ε / K
        log_p = _log_probabilities(args.pred, args.from_logits)
        nll = -np.sum((y if cw is None else cw * y) * log_p, axis=-1)  # -Σ_k c_k y'_k log p_k
    else:
        nll = _nll_of_label(args.pred, k, args.from_logits)  # -log p_k
        nll = nll if w_k is None else w_k * nll
    return contract.reduce(NUMPY, nll, w, reduction, w_k)


# ----------------------------------------------------------------------------- Regression


def mean_squared_error(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Mean squared error: the Gaussian NLL with unit variance, constants dropped.

    .. math::

        \mathcal{L}(y, \hat y) = (y - \hat y)^2
        = 2\,\bigl[-\log \mathcal{N}(y; \hat y, 1)\bigr] - \log 2\pi

    Python: ``(y - y_hat) ** 2``. The dropped factor 2 and constant ``log 2π`` do not move the
    minimiser; :func:`gaussian_nll` keeps them.

    Derived in Chapter 6, :eq:`eq-ch06-mse-nll`.

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predicted means.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{type_error}}
        ValueError: {{value_error}}

    Examples:
        >>> float(mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))  # 4 / 3
        1.33333
    """
    args = contract.regression_args(NUMPY, y_true, y_pred, sample_weight=sample_weight)
    nll = np.square(args.y - args.pred)  # (y - ŷ)²
    return contract.reduce(NUMPY, nll, args.weights, reduction)


def mean_absolute_error(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Mean absolute error: the Laplace NLL with unit scale, the constant ``log 2`` dropped.

    .. math::

        \mathcal{L}(y, \hat y) = |y - \hat y| = -\log \operatorname{Laplace}(y; \hat y, 1) - \log 2

    Python: ``np.abs(y - y_hat)``. Its minimiser over a constant prediction is the median.

    Derived in Chapter 6, :eq:`eq-ch06-laplace-nll` with ``b = 1``.

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predicted locations (medians).
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{type_error}}
        ValueError: {{value_error}}

    Examples:
        >>> float(mean_absolute_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))  # 2 / 3
        0.66667
    """
    args = contract.regression_args(NUMPY, y_true, y_pred, sample_weight=sample_weight)
    nll = np.abs(args.y - args.pred)  # |y - ŷ|
    return contract.reduce(NUMPY, nll, args.weights, reduction)


def gaussian_nll(
    y_true: npt.ArrayLike,
    mean: npt.ArrayLike,
    *,
    variance: npt.ArrayLike | None = None,
    std: npt.ArrayLike | None = None,
    log_variance: npt.ArrayLike | None = None,
    full: bool = True,
    eps: float = 1e-6,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Gaussian negative log-likelihood with a variance, a standard deviation or a log-variance.

    .. math::

        \mathcal{L}(y; \mu, \sigma^2) = \tfrac12 \log \sigma^2 + \frac{(y - \mu)^2}{2 \sigma^2}
        + \tfrac12 \log 2\pi

    Python: ``0.5 * (np.log(var) + (y - mean) ** 2 / var) + 0.5 * np.log(2 * np.pi)``.

    ``full=True`` (the default here) is the true NLL, with ``½ log 2π``; ``full=False`` drops
    that constant, which is PyTorch's ``GaussianNLLLoss`` default (``full=False``). Give exactly
    one of ``variance``, ``std`` (``var = std²``) and ``log_variance`` (``var = exp(log_variance)``;
    computed as ``½ (log_variance + (y - μ)² e^{-log_variance})``); none gives unit variance.
    Whichever is given, the variance is clamped below at ``eps`` like PyTorch (a variance of 0
    becomes ``eps``; the gradient through the clamp is 0).

    Derived in Chapter 6, :eq:`eq-ch06-hetero` (learned, heteroscedastic variance; why the
    loss can be negative).

    Args:
        y_true: Targets, same shape as ``mean``.
        mean: Predicted means.
        variance: ``σ² >= 0``, a scalar or the shape of ``mean``.
        std: ``σ >= 0``, a scalar or the shape of ``mean``.
        log_variance: ``log σ²`` (any real), a scalar or the shape of ``mean``.
        full: Include the constant ``½ log 2π``.
        eps: The variance floor, ``> 0``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: Non-numeric inputs, a non-bool ``full``, a non-real ``eps``.
        ValueError: More than one of ``variance``/``std``/``log_variance``; a negative variance
            or std; a parameter that is neither a scalar nor the shape of ``mean``; shapes that
            differ; NaN/inf; empty inputs; ``eps <= 0``; a bad ``sample_weight`` or ``reduction``.

    Examples:
        >>> float(gaussian_nll([0.0], [0.0]))  # ½ log 2π
        0.9189385332046727
        >>> float(gaussian_nll([1.0, 3.0], [0.0, 0.0], std=2.0, full=False))
        1.31815
    """
    args = contract.gaussian_args(
        NUMPY, y_true, mean, variance=variance, std=std, log_variance=log_variance,
        full=full, eps=eps, sample_weight=sample_weight,
    )  # fmt: skip
    s = np.ones((), args.mean.dtype) if args.spread is None else args.spread  # none: unit variance
    r2 = np.square(args.y - args.mean)  # (y - μ)²
    if args.spread_name == "log_variance":
        log_var = np.maximum(s, math.log(args.floor))  # σ² >= eps  <=>  log σ² >= log eps
        nll = 0.5 * (log_var + r2 * np.exp(-log_var))  # (y - μ)² / σ² = (y - μ)² e^{-log σ²}
    else:
        var = np.square(s) if args.spread_name == "std" else s  # σ²
        var = np.maximum(var, args.floor)  # σ² >= eps (PyTorch's clamp)
        nll = 0.5 * (np.log(var) + r2 / var)
    if args.full:
        nll = nll + _HALF_LOG_2PI
    return contract.reduce(NUMPY, nll, args.weights, reduction)


def poisson_nll(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    log_input: bool = True,
    full: bool = True,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Poisson negative log-likelihood of counts, from a log-rate (default) or a rate.

    .. math::

        \mathcal{L}(y; \lambda) = \lambda - y \log \lambda + \log y!

    Python: ``np.exp(eta) - y * eta + gammaln(y + 1)`` with ``eta = log λ`` (``log_input=True``),
    or ``rate - y * np.log(rate) + gammaln(y + 1)``. ``full=True`` (the default) keeps the exact
    ``log y! = lgamma(y + 1)``; ``full=False`` drops it (it does not depend on ``λ``). PyTorch's
    ``PoissonNLLLoss(full=True)`` adds Stirling's approximation ``y log y - y + ½ log(2π y)`` (for
    ``y > 1``) instead, so it differs from this one by up to ``1 / (12 y)``.

    Rates of 0 (``log_input=False``): inside the logarithm the rate is clamped below at
    ``eps = np.finfo(dtype).eps``, so ``y = 0`` with rate 0 gives the exact loss 0 and ``y > 0``
    with rate 0 the finite loss ``y·(-log eps)`` (``y·36.04`` in float64). A log-rate above the
    largest representable exponent (about 709 in float64) gives an infinite loss.

    Derived in Chapter 3, :eq:`eq-ch03-poisson-nll`, and Chapter 8, :eq:`eq-ch08-poisson-nll`
    (the Poisson head).

    Args:
        y_true: Counts (whole numbers ``>= 0``), same shape as ``y_pred``.
        y_pred: Log-rates (``log_input=True``) or rates ``>= 0``.
        log_input: Whether ``y_pred`` holds ``log λ``.
        full: Include ``log y!``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: Non-numeric inputs, a non-bool ``log_input`` or ``full``.
        ValueError: Negative or fractional counts, negative rates, shapes that differ, NaN/inf,
            empty inputs, a bad ``sample_weight`` or ``reduction``.

    Examples:
        >>> import numpy as np
        >>> float(poisson_nll([2], [np.log(3.0)]))  # 3 - 2 log 3 + log 2
        1.49592
        >>> # rate 0: 0 for y = 0; 3 (-log eps) + log 3! for y = 3
        >>> float(poisson_nll([0, 3], [0.0, 0.0], log_input=False, reduction="sum"))
        109.92272
    """
    args = contract.poisson_args(
        NUMPY, y_true, y_pred, log_input=log_input, full=full, sample_weight=sample_weight
    )
    y = args.y
    if args.log_input:
        log_rate = args.pred  # log λ
        with np.errstate(over="ignore"):  # e^η for η > 709: the loss is +inf, honestly
            rate = np.exp(log_rate)
    else:
        rate = args.pred
        # log max(λ, eps): y = 0 keeps its exact loss λ, y > 0 with λ = 0 stays finite
        log_rate = np.log(np.maximum(rate, machine_eps(rate)))
    nll = rate - y * log_rate
    if args.full:
        nll = nll + gammaln(y + 1)  # log y! = lgamma(y + 1), exact
    return contract.reduce(NUMPY, nll, args.weights, reduction)


def laplace_nll(
    y_true: npt.ArrayLike,
    loc: npt.ArrayLike,
    *,
    scale: npt.ArrayLike = 1.0,
    full: bool = True,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Laplace negative log-likelihood; with ``scale=1, full=False`` it is the absolute error.

    .. math::

        \mathcal{L}(y; \mu, b) = \frac{|y - \mu|}{b} + \log b + \log 2

    Python: ``np.abs(y - loc) / scale + np.log(scale) + np.log(2)``. ``full=False`` drops the
    constant ``log 2``.

    Derived in Chapter 6, :eq:`eq-ch06-laplace-nll` (the maximum-likelihood ``loc`` is the
    median, ``scale`` the mean
    absolute deviation from it).

    Args:
        y_true: Targets, same shape as ``loc``.
        loc: Predicted locations (medians).
        scale: ``b > 0``, a scalar or the shape of ``loc``.
        full: Include the constant ``log 2``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: Non-numeric inputs, a non-bool ``full``.
        ValueError: ``scale <= 0`` or neither a scalar nor the shape of ``loc``; shapes that
            differ; NaN/inf; empty inputs; a bad ``sample_weight`` or ``reduction``.

    Examples:
        >>> float(laplace_nll([1.0, 3.0], [0.0, 0.0], scale=2.0))  # 1 + log 4
        2.386294361119891
        >>> float(laplace_nll([1.0, 3.0], [0.0, 0.0], full=False))  # the MAE
        2.0
    """
    args = contract.laplace_args(
        NUMPY, y_true, loc, scale=scale, full=full, sample_weight=sample_weight
    )
    b = args.scale
    nll = np.abs(args.y - args.loc) / b + np.log(b)  # |y - μ| / b + log b
    if args.full:
        nll = nll + _LOG_2
    return contract.reduce(NUMPY, nll, args.weights, reduction)


# ----------------------------------------------------------------------------- Exact likelihoods
# Heavy tails, counts, positive targets (Chapter 11); then robust and quantile regression
# (Chapter 11) and the focal loss (Chapter 10).


def student_t_nll(
    y_true: npt.ArrayLike,
    loc: npt.ArrayLike,
    *,
    df: npt.ArrayLike,
    scale: npt.ArrayLike = 1.0,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Student-t negative log-likelihood: a heavy-tailed alternative to the Gaussian NLL.

    With :math:`y \sim t_\nu(\mu, \sigma)` and :math:`u = (y - \mu)/\sigma`, the exact NLL (every
    constant kept) is

    .. math::

        \mathcal{L}(y; \mu, \sigma, \nu) = \log\sigma + \tfrac12\log\nu
        + \log \mathrm{B}\!\left(\tfrac{\nu}{2}, \tfrac12\right)
        + \frac{\nu + 1}{2}\,\log\!\left(1 + \frac{u^2}{\nu}\right)

    Python: ``np.log(scale) + 0.5 * np.log(df) + log_beta(df / 2, 0.5) + (df + 1) / 2 *
    np.log1p(z**2 / df)``. The Beta function is the normaliser
    :math:`\Gamma(\tfrac{\nu}{2})\sqrt\pi / \Gamma(\tfrac{\nu+1}{2})` in one piece: written with
    two log-gammas it would subtract two numbers of size :math:`\tfrac{\nu}{2}\log\tfrac{\nu}{2}`
    and lose digits as :math:`\nu` grows (SciPy's ``betaln`` does too: off by 2e-10 at
    :math:`\nu = 10^6`), so :func:`mlecourse.special.log_beta` regroups Stirling's formula
    instead: accurate to about 1e-15 for any :math:`\nu > 0`. As :math:`\nu \to \infty` the
    loss tends to :func:`gaussian_nll` with ``std=scale``; :math:`\nu = 1` is the Cauchy
    distribution. Equal to ``-scipy.stats.t.logpdf(y, df, loc, scale)``.

    Derived in Chapter 11, :eq:`eq-ch11-student-t-nll`.

    Args:
        y_true: Targets, same shape as ``loc``.
        loc: Predicted locations :math:`\mu` (the mean when :math:`\nu > 1`).
        df: Degrees of freedom :math:`\nu > 0`, a scalar or the shape of ``loc``.
        scale: :math:`\sigma > 0`, a scalar or the shape of ``loc`` (not the standard deviation,
            which is :math:`\sigma\sqrt{\nu/(\nu-2)}` for :math:`\nu > 2`).
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{type_error}}
        ValueError: ``df <= 0`` or ``scale <= 0``; a parameter that is neither a scalar nor the
            shape of ``loc``; shapes that differ; NaN/inf; empty inputs; a bad
            ``sample_weight`` or ``reduction``.

    Examples:
        >>> float(student_t_nll([0.0], [0.0], df=1.0))  # Cauchy at its centre: log π
        1.14473
        >>> float(student_t_nll([3.0], [1.0], df=4.0, scale=2.0))  # z = 1
        2.23184
    """
    args = contract.student_t_args(
        NUMPY, y_true, loc, df=df, scale=scale, sample_weight=sample_weight
    )
    nu, sigma = args.df, args.scale
    u2 = np.square((args.y - args.loc) / sigma)  # u² = ((y − μ) / σ)²
    # log Γ(ν/2) − log Γ((ν+1)/2) + ½ log π = log B(ν/2, ½): one term, no cancellation
    log_norm = np.log(sigma) + 0.5 * np.log(nu) + log_beta(nu / 2, 0.5)
    nll = log_norm + (nu + 1) / 2 * np.log1p(u2 / nu)  # log(1 + u²/ν) = log1p(u²/ν)
    return contract.reduce(NUMPY, _same_dtype(nll, args.loc), args.weights, reduction)


def negative_binomial_nll(
    y_true: npt.ArrayLike,
    mean: npt.ArrayLike,
    *,
    total_count: npt.ArrayLike,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Negative-binomial NLL of counts, by mean and ``total_count``: overdispersed Poisson.

    :math:`y \sim \operatorname{NB}(\mu, r)` has mean :math:`\mu` and variance
    :math:`\mu + \mu^2 / r`; its pmf is :math:`\binom{y + r - 1}{y}
    \left(\frac{r}{r+\mu}\right)^{r} \left(\frac{\mu}{r+\mu}\right)^{y}`, so the exact NLL is

    .. math::

        \mathcal{L}(y; \mu, r) = r \log\!\left(1 + \frac{\mu}{r}\right)
        + y \log\!\left(1 + \frac{r}{\mu}\right) + \log y + \log \mathrm{B}(r, y)

    for :math:`y \ge 1`; at :math:`y = 0` the binomial coefficient is 1 and only the first term
    remains. Python: ``r * np.log1p(mu / r) + y * np.log1p(r / mu) + np.log(y) + log_beta(r,
    y)`` (evaluated with ``log1p(e^d) = softplus(d)``, ``d = log μ − log r``, so that neither
    ratio can overflow), using :math:`\binom{y + r - 1}{y} = 1 / (y\,\mathrm{B}(r, y))`: with
    :func:`mlecourse.special.log_beta` it avoids ``gammaln(y + r) - gammaln(r)``, which loses
    digits when ``r`` is large (SciPy's ``nbinom.logpmf`` is off by 2.2 at ``r = 1e15``,
    ``y = 3``, ``μ = 2.5``; this one keeps about 1e-15 relative). As
    :math:`r \to \infty` the variance tends to :math:`\mu` and the loss to :func:`poisson_nll`
    with rate :math:`\mu`. It is ``-scipy.stats.nbinom.logpmf(y, n=r, p=r / (r + mu))`` (SciPy
    and TFP count with the success probability; here the mean is the prediction).

    Derived in Chapter 11, :eq:`eq-ch11-negative-binomial-nll`.

    Args:
        y_true: Counts (whole numbers ``>= 0``), same shape as ``mean``.
        mean: Predicted means :math:`\mu > 0`.
        total_count: :math:`r > 0` (the dispersion: small ``r``, large variance), a scalar or
            the shape of ``mean``; it need not be a whole number.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{type_error}}
        ValueError: Negative or fractional counts, ``mean <= 0``, ``total_count <= 0``, a
            parameter that is neither a scalar nor the shape of ``mean``, shapes that differ,
            NaN/inf, empty inputs, a bad ``sample_weight`` or ``reduction``.

    Examples:
        >>> float(negative_binomial_nll([0], [2.0], total_count=2.0))  # 2 log 2
        1.38629
        >>> float(negative_binomial_nll([3], [2.0], total_count=1e12))  # ≈ Poisson(2) at 3
        1.71231
    """
    args = contract.negative_binomial_args(
        NUMPY, y_true, mean, total_count=total_count, sample_weight=sample_weight
    )
    y, mu, r = args.y, args.mean, args.total_count
    # -log(r / (r + μ)) = log(1 + μ/r) = softplus(d) and -log(μ / (r + μ)) = softplus(-d) with
    # d = log μ − log r: both >= 0, and neither μ/r nor r/μ is formed (no overflow, no 0 · inf)
    d = np.log(mu) - np.log(r)
    nll = r * softplus(d) + y * softplus(-d)
    # -log C(y + r − 1, y) = log y + log B(r, y) for y >= 1, and 0 for y = 0
    y1 = np.maximum(y, 1)  # any y >= 1 where y = 0: that branch is not used
    nll = nll + np.where(y > 0, np.log(y1) + log_beta(r, y1), 0)
    return contract.reduce(NUMPY, _same_dtype(nll, mu), args.weights, reduction)


def gamma_nll(
    y_true: npt.ArrayLike,
    mean: npt.ArrayLike,
    *,
    concentration: npt.ArrayLike,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Gamma negative log-likelihood of positive targets, by mean and shape.

    :math:`y \sim \operatorname{Gamma}(\mu, a)` has shape :math:`a` (``concentration``) and rate
    :math:`a / \mu`, so mean :math:`\mu` and variance :math:`\mu^2 / a` (a constant
    coefficient of variation :math:`1/\sqrt a`). The exact NLL is

    .. math::

        \mathcal{L}(y; \mu, a) = a\left(\frac{y}{\mu} - \log\frac{y}{\mu}\right) + \log y
            + \log\Gamma(a) - a \log a

    Python: ``a * (y / mu - np.log(y / mu)) + np.log(y) + gammaln(a) - a * np.log(a)``. Only the
    first term depends on :math:`\mu`; for a fixed shape it is :math:`a/2` times the Gamma
    deviance :math:`2\bigl(y/\mu - \log(y/\mu) - 1\bigr)` of scikit-learn's
    ``mean_gamma_deviance``, plus terms free of :math:`\mu`. It is
    ``-scipy.stats.gamma.logpdf(y, a, scale=mu / a)``. Evaluated as written, the terms of size
    :math:`a \log a` cancel for a large shape (SciPy's value is off by 4e-3 at
    :math:`a = 10^{12}`); here :math:`\log\Gamma(a) - a\log a + a` is
    :math:`\tfrac12\log(2\pi/a) + R(a)` with Stirling's remainder :math:`R`
    (:func:`mlecourse.special.log_gamma_correction`), which keeps about 1e-11 at
    :math:`a = 10^{12}`, where the Gamma is nearly the Gaussian
    :math:`\mathcal{N}(\mu, \mu^2/a)`.

    Derived in Chapter 11, :eq:`eq-ch11-gamma-nll`.

    Args:
        y_true: Targets ``> 0`` (the Gamma's support), same shape as ``mean``.
        mean: Predicted means :math:`\mu > 0`.
        concentration: The shape :math:`a > 0`, a scalar or the shape of ``mean``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{type_error}}
        ValueError: A target ``<= 0``, ``mean <= 0``, ``concentration <= 0``, a parameter that
            is neither a scalar nor the shape of ``mean``, shapes that differ, NaN/inf, empty
            inputs, a bad ``sample_weight`` or ``reduction``.

    Examples:
        >>> float(gamma_nll([1.0], [1.0], concentration=1.0))  # Exponential(1) at 1: 1
        1.0
        >>> float(gamma_nll([2.0, 0.5], [1.0, 1.0], concentration=3.0, reduction="sum"))
        2.29462
    """
    args = contract.gamma_args(
        NUMPY, y_true, mean, concentration=concentration, sample_weight=sample_weight
    )
    y, a = args.y, args.concentration  # a: the shape
    y_over_mu = y / args.mean
    # log Γ(a) − a log a + a = ½ log(2π / a) + R(a), R the remainder of Stirling's formula:
    # three terms of size a log a cancel exactly, so a huge shape keeps its digits
    log_norm = np.log(y) + 0.5 * np.log(_TWO_PI / a) + log_gamma_correction(a)
    # y/μ − 1 − log(y/μ) >= 0, 0 at y = μ
    nll = a * (y_over_mu - 1 - np.log(y_over_mu)) + log_norm
    return contract.reduce(NUMPY, _same_dtype(nll, args.mean), args.weights, reduction)


def lognormal_nll(
    y_true: npt.ArrayLike,
    loc: npt.ArrayLike,
    *,
    scale: npt.ArrayLike = 1.0,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Log-normal negative log-likelihood of positive targets: :math:`\log y` is Gaussian.

    :math:`y \sim \operatorname{LogNormal}(\mu, \sigma)` means
    :math:`\log y \sim \mathcal{N}(\mu, \sigma^2)`; the density of :math:`y` carries the
    Jacobian :math:`1/y` of the change of variables, so the exact NLL of :math:`y` is

    .. math::

        \mathcal{L}(y; \mu, \sigma) = \log y + \log\sigma + \tfrac12\log 2\pi
        + \frac{(\log y - \mu)^2}{2\sigma^2}

    Python: ``np.log(y) + np.log(scale) + 0.5 * np.log(2 * np.pi) + (np.log(y) - loc) ** 2 /
    (2 * scale**2)``: the Gaussian NLL of :math:`\log y` plus :math:`\log y`. That last term does
    not depend on the parameters (it does not move the fit) but keeps the loss a density of
    :math:`y`, comparable with :func:`gamma_nll` on the same targets. :math:`\mu` is the log of
    the median, not of the mean (which is :math:`e^{\mu + \sigma^2/2}`). It is
    ``-scipy.stats.lognorm.logpdf(y, s=scale, scale=np.exp(loc))``.

    Derived in Chapter 11, :eq:`eq-ch11-lognormal-nll`.

    Args:
        y_true: Targets ``> 0`` (the support), same shape as ``loc``.
        loc: :math:`\mu`, the predicted mean of :math:`\log y`.
        scale: :math:`\sigma > 0`, the standard deviation of :math:`\log y`: a scalar or the
            shape of ``loc``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{type_error}}
        ValueError: A target ``<= 0``, ``scale <= 0``, a parameter that is neither a scalar nor
            the shape of ``loc``, shapes that differ, NaN/inf, empty inputs, a bad
            ``sample_weight`` or ``reduction``.

    Examples:
        >>> float(lognormal_nll([1.0], [0.0]))  # log y = 0: ½ log 2π
        0.9189385332046727
        >>> float(lognormal_nll([np.e], [0.0], scale=2.0))  # 1 + log 2 + ½ log 2π + 1/8
        2.73708
    """
    args = contract.lognormal_args(NUMPY, y_true, loc, scale=scale, sample_weight=sample_weight)
    log_y, sigma = np.log(args.y), args.scale
    gaussian_of_log_y = np.log(sigma) + _HALF_LOG_2PI + np.square(log_y - args.loc) / (2 * sigma**2)
    nll = log_y + gaussian_of_log_y  # + log y: the Jacobian of y = e^(log y)
    return contract.reduce(NUMPY, nll, args.weights, reduction)


def huber_loss(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    delta: float = 1.0,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Huber loss: squared error for small residuals, absolute error beyond ``delta``.

    With the residual :math:`u = y - \hat y` and threshold :math:`\delta > 0`,

    .. math::

        \mathcal{L}_\delta(u) = \begin{cases} \tfrac12 u^2 & |u| \le \delta \\
        \delta\,(|u| - \tfrac12\delta) & |u| > \delta \end{cases}

    Python: ``np.where(abs(u) <= delta, 0.5 * u**2, delta * (abs(u) - 0.5 * delta))``. The two
    pieces meet with equal value and slope at :math:`|u| = \delta`, so the loss is smooth (once
    differentiable) and its gradient is bounded by :math:`\delta`: an outlier pulls with a
    constant force, not one that grows with it. It is a loss, not an NLL: no normaliser is added
    (Chapter 11 derives the density :math:`\propto e^{-\mathcal{L}_\delta(u)}` and its constant). It
    equals Keras's ``Huber(delta)`` and PyTorch's ``HuberLoss(delta=delta)``; PyTorch's
    ``SmoothL1Loss(beta)`` is ``huber_loss(..., delta=beta) / beta``.

    Derived in Chapter 11, :eq:`eq-ch11-huber`.

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predictions.
        delta: The threshold :math:`\delta > 0` (a real number) between the quadratic and the
            linear piece.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: Non-numeric inputs, a non-real ``delta``.
        ValueError: ``delta <= 0`` or not finite, shapes that differ, NaN/inf, empty inputs, a
            bad ``sample_weight`` or ``reduction``.

    Examples:
        >>> huber_loss([0.0, 0.0, 0.0], [0.5, 1.0, 3.0], reduction="none")  # ½ u², then |u| − ½
        array([0.125, 0.5  , 2.5  ])
        >>> float(huber_loss([0.0], [3.0], delta=2.0))  # 2 (3 − 1)
        4.0
    """
    args = contract.huber_args(NUMPY, y_true, y_pred, delta=delta, sample_weight=sample_weight)
    d = args.delta
    abs_u = np.abs(args.y - args.pred)  # |u| = |y − ŷ|
    nll = np.where(abs_u <= d, 0.5 * np.square(abs_u), d * (abs_u - 0.5 * d))
    return contract.reduce(NUMPY, nll, args.weights, reduction)


def pinball_loss(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    quantile: float = 0.5,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Pinball (quantile) loss: its minimiser is the ``quantile``-quantile of the target.

    With the residual :math:`u = y - \hat y` and quantile level :math:`\tau \in (0, 1)`,

    .. math::

        \mathcal{L}_\tau(u) = \max\bigl(\tau u,\ (\tau - 1)\, u\bigr)

    Python: ``np.maximum(tau * u, (tau - 1) * u)``: an under-prediction (:math:`u > 0`) costs
    :math:`\tau` per unit, an over-prediction :math:`1 - \tau`, so the expected loss is
    minimised where a fraction :math:`\tau` of the targets lies below :math:`\hat y`.
    :math:`\tau = \tfrac12` gives half the absolute error (the median). It is the NLL of an
    asymmetric Laplace distribution up to a constant (Chapter 11). It equals scikit-learn's
    ``mean_pinball_loss(y_true, y_pred, alpha=quantile, sample_weight=...)``.

    Derived in Chapter 11, :eq:`eq-ch11-pinball`.

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predicted quantiles.
        quantile: The level :math:`\tau`, a real number in the open interval ``(0, 1)``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: Non-numeric inputs, a non-real ``quantile``.
        ValueError: ``quantile`` outside ``(0, 1)``, shapes that differ, NaN/inf, empty inputs,
            a bad ``sample_weight`` or ``reduction``.

    Examples:
        >>> pinball_loss([1.0, 1.0], [0.0, 2.0], quantile=0.9, reduction="none")
        array([0.9, 0.1])
    """
    args = contract.pinball_args(
        NUMPY, y_true, y_pred, quantile=quantile, sample_weight=sample_weight
    )
    tau = args.quantile
    u = args.y - args.pred  # u = y − ŷ
    nll = np.maximum(tau * u, (tau - 1) * u)  # τ u if u >= 0, (τ − 1) u if u < 0
    return contract.reduce(NUMPY, nll, args.weights, reduction)


def binary_focal_loss(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    gamma: float = 2.0,
    alpha: float | None = None,
    from_logits: bool = False,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray | np.floating:
    r"""Binary focal loss (Lin et al., 2017): the cross-entropy scaled down on easy examples.

    With :math:`p` the predicted probability of :math:`y = 1` and
    :math:`p_t = y\,p + (1 - y)(1 - p)` the probability given to the observed label (soft labels
    included), one element's loss is

    .. math::

        \mathcal{L}(y, p) = \beta_t\,(1 - p_t)^{\gamma}\;
        \bigl[-y \log p - (1 - y) \log(1 - p)\bigr]

    with :math:`\beta_t = y\beta + (1 - y)(1 - \beta)` when ``alpha`` :math:`= \beta` is given and
    :math:`\beta_t = 1` when it is ``None``. Python: ``(1 - p_t) ** gamma * bce`` with ``bce``
    from :func:`binary_cross_entropy` (``reduction="none"``). The factor
    :math:`(1 - p_t)^\gamma` is near 0 for well-classified examples (:math:`p_t \to 1`), so
    training focuses on the hard ones. It is not a log-likelihood for :math:`\gamma > 0` (and
    not a proper scoring rule; Chapter 10 measures what it does to calibration).
    :math:`\gamma = 0` without ``alpha`` is :func:`binary_cross_entropy` exactly. It equals
    Keras's ``BinaryFocalCrossentropy(gamma=gamma, from_logits=..., apply_class_balancing=alpha
    is not None, alpha=alpha)`` with two differences at the extremes: from probabilities Keras
    clips at ``1e-7`` where this clips at ``np.finfo(dtype).eps`` (so ``y = 0, p = 1 - 2e-9``
    costs Keras 16.12 and costs 20.0 here); from logits Keras (TensorFlow backend) also takes
    the cross-entropy from the logits, but forms :math:`1 - p_t` from the rounded sigmoid,
    which is 0 once :math:`|z| \gtrsim 37` (float64), where this keeps the tiny true value.

    From logits the factor is computed in log space: :math:`1 - p_t` is
    :math:`y\,\operatorname{sigmoid}(-z) + (1 - y)\operatorname{sigmoid}(z)`, so its logarithm
    is a ``logaddexp`` of log-sigmoids, and :math:`(1 - p_t)^\gamma = e^{\gamma \log(1 - p_t)}`,
    finite and accurate for logits of any size (±1e4 included).

    Derived in Chapter 10, :eq:`eq-ch10-focal`.

    Args:
        y_true: Targets in ``[0, 1]`` (hard 0/1 labels, booleans or soft labels), same shape as
            ``y_pred``.
        y_pred: Probabilities in ``[0, 1]``, or logits if ``from_logits=True``.
        gamma: The focusing exponent :math:`\gamma \ge 0`.
        alpha: The class-balancing weight :math:`\beta \in [0, 1]` of the positives (negatives
            get :math:`1 - \beta`), or ``None`` for no balancing.
        from_logits: Whether ``y_pred`` holds logits (recommended). Probabilities are clipped
            to ``[eps, 1 - eps]``, ``eps = np.finfo(dtype).eps``, as in
            :func:`binary_cross_entropy`.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: Non-numeric inputs, a non-bool ``from_logits``, a non-real ``gamma`` or
            ``alpha``.
        ValueError: ``gamma < 0``, ``alpha`` outside ``[0, 1]``, targets or probabilities
            outside ``[0, 1]``, shapes that differ, NaN/inf, empty inputs, a bad
            ``sample_weight`` or ``reduction``.

    Examples:
        >>> y, p = np.array([1.0, 0.0]), np.array([0.9, 0.9])  # one easy, one hard example
        >>> binary_focal_loss(y, p, reduction="none")  # 0.1² (−log 0.9), 0.9² (−log 0.1)
        array([0.00105361, 1.86509393])
        >>> float(binary_focal_loss([1.0], [1e4], from_logits=True))
        0.0
    """
    args = contract.focal_args(
        NUMPY, y_true, y_pred, gamma=gamma, alpha=alpha, from_logits=from_logits,
        sample_weight=sample_weight,
    )  # fmt: skip
    y, g = args.y, args.gamma
    bce = _bernoulli_nll(y, args.pred, args.from_logits, None)  # the cross-entropy per element
    if args.from_logits:
        log_p, log_q = log_sigmoid(args.pred), log_sigmoid(-args.pred)  # log p, log(1 − p)
        # 1 − p_t = y (1 − p) + (1 − y) p; log 0 = −inf drops a term of a hard label
        with np.errstate(divide="ignore"):
            log_1m_pt = np.logaddexp(np.log(y) + log_q, np.log1p(-y) + log_p)
        modulating = np.exp(g * log_1m_pt)  # (1 − p_t)^γ = e^{γ log(1 − p_t)}: 1 when γ = 0
    else:
        eps = machine_eps(args.pred)
        p = np.clip(args.pred, eps, 1 - eps)  # as in the cross-entropy
        modulating = (y * (1 - p) + (1 - y) * p) ** g  # (1 − p_t)^γ
    nll = modulating * bce
    if args.alpha is not None:
        nll = (y * args.alpha + (1 - y) * (1 - args.alpha)) * nll  # β_t = y β + (1 − y)(1 − β)
    return contract.reduce(NUMPY, nll, args.weights, reduction)


# the shared contract text (sample_weight, reduction, Returns, Raises), written once in _docs
_docs.fill(globals(), __all__, _docs.NUMPY_LOSS)
