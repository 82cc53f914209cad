"""NumPy reference losses: each one is the negative log-likelihood of a distribution.

This module is the loss contract of the course (``DESIGN.md``). The same names and signatures
exist in :mod:`mlecourse.tfp.losses`. Argument order is ``(y_true, y_pred)``; options are
keyword-only.

Decisions, made once for every function here:

* **Reductions.** ``reduction="none"`` returns one loss per target element (the categorical
  losses reduce the class axis), already multiplied by ``sample_weight``. ``"sum"`` is
  ``Σ wᵢ·lᵢ`` and ``"mean"`` the weighted mean ``Σ wᵢ·lᵢ / Σ wᵢ``, with ``wᵢ`` = sample weight ×
  class weight of the target (PyTorch's convention). For the categorical losses the class weights
  sit inside ``lᵢ`` (``lᵢ = -Σ_c w_c y'_c log p_c``, which with label smoothing also weights the
  smoothing mass, as PyTorch does), so the numerator is ``Σ sᵢ·lᵢ`` and the denominator
  ``Σ sᵢ·Σ_c w_c y_ic`` with the *unsmoothed* targets (``sᵢ`` the sample weight; without
  ``class_weight`` simply ``Σ sᵢ``). Entries equal to ``ignore_index`` contribute 0 to both. A
  mean whose weights sum to 0 raises ValueError. Without label smoothing and for one-hot targets
  this is exactly ``Σ wᵢ·nllᵢ / Σ wᵢ``.
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
* **Speed.** Validation costs a ``min``/``max`` or an ``isfinite`` pass per array. The two hot
  paths (BCE and sparse CE from logits) run in blocks of about 16k elements, so temporaries stay
  in the CPU cache and the only array as large as the input is the per-element result; ``log1p``
  on ``[0, 1]`` uses the vectorised rewrite of :mod:`mlecourse.special` in float32.
  ``benchmarks/bench_losses.py`` measures them against scikit-learn, Keras and PyTorch.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from mlecourse import _validation as _v
from mlecourse.special import _log1p_unit

__all__ = [
    "binary_cross_entropy",
    "categorical_cross_entropy",
    "gaussian_nll",
    "laplace_nll",
    "mean_absolute_error",
    "mean_squared_error",
    "poisson_nll",
    "sparse_categorical_cross_entropy",
]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
_LOG_2 = np.log(2.0)


# ----------------------------------------------------------------------------- shared helpers


def _prediction(y_pred: npt.ArrayLike, name: str = "y_pred") -> np.ndarray:
    """The prediction as a non-empty float32/float64 array (it decides the dtype of the result)."""
    pred = _v.as_float(y_pred, name)
    _v.check_nonempty(pred, name)
    return pred


def _target(y_true: npt.ArrayLike, pred: np.ndarray, pred_name: str = "y_pred") -> np.ndarray:
    """Dense targets: cast to the prediction's dtype, identical shape, finite."""
    y = _v.as_float(y_true, "y_true", pred.dtype)
    _v.check_same_shape(y, pred, "y_true", pred_name)
    _v.check_finite(y, "y_true")
    return y


def _finish(
    losses: np.ndarray,
    weights: np.ndarray | None,
    reduction: str,
    denominator: np.ndarray | None = None,
) -> np.ndarray:
    """Reduce with :func:`_validation.reduce_losses`.

    ``denominator`` (per-element weights for the mean's denominator only, e.g. the class weight
    of the target) is used when the class weights are already inside ``losses``: the mean is
    then ``Σ w·l / Σ w·denominator``.
    """
    if denominator is None or reduction != "mean":
        out = _v.reduce_losses(losses, weights, reduction)
    else:
        total = _v.reduce_losses(losses, weights, "sum")
        # Σ sample_weight · class_weight(target): reduce_losses(d, w, "sum") = Σ w·d
        denom = _v.reduce_losses(denominator, weights, "sum")
        if denom == 0:
            raise ValueError(
                "reduction='mean' is undefined: the weights (sample_weight x class weight, with "
                "ignored entries removed) sum to 0"
            )
        out = total / denom
    return out[()] if isinstance(out, np.ndarray) else out


def _clip_probabilities(p: np.ndarray) -> np.ndarray:
    """``clip(p, eps, 1 - eps)`` into a new array, ``eps = np.finfo(p.dtype).eps``."""
    eps = np.finfo(p.dtype).eps
    return np.clip(p, eps, 1 - eps, out=np.empty_like(p))


def _class_weight(
    class_weight: npt.ArrayLike | None, num_classes: int, dtype: np.dtype
) -> np.ndarray | None:
    if class_weight is None:
        return None
    w = _v.as_float(class_weight, "class_weight", dtype)
    if w.shape != (num_classes,):
        raise ValueError(
            f"class_weight must have one weight per class, shape ({num_classes},); "
            f"got shape {w.shape}"
        )
    _v.check_finite(w, "class_weight")
    _v.check_positive(w, "class_weight", strict=False)
    return w


def _smoothing(label_smoothing: float) -> float:
    return _v.check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)


# ----------------------------------------------------------------------------- Bernoulli


def _pos_weight(pos_weight: npt.ArrayLike | None, pred: np.ndarray) -> np.ndarray | None:
    if pos_weight is None:
        return None
    pw = _v.as_float(pos_weight, "pos_weight", pred.dtype)
    per_label = pred.shape[-1:] if pred.ndim else ()
    if pw.ndim != 0 and pw.shape != per_label and pw.shape != pred.shape:
        raise ValueError(
            "pos_weight must be a scalar, one weight per label (shape "
            f"{per_label}, the last axis of y_pred) or the shape of y_pred {pred.shape}; "
            f"got shape {pw.shape}"
        )
    _v.check_finite(pw, "pos_weight")
    _v.check_positive(pw, "pos_weight", strict=False)
    return pw


# Elements per block in the blocked kernels: a block's temporaries stay in the CPU cache, and
# only the result array is as large as the input (measured: 25-35% faster than whole-array passes
# for 10**6 logits, and half the peak memory).
_BLOCK = 16384


def _bce_logits_block(y: np.ndarray, z: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> None:
    """``out = (max(z, 0) - y z) + log1p(e^{-|z|})`` for 1-D blocks, ``tmp`` as scratch."""
    # -[y log σ(z) + (1-y) log(1-σ(z))] = softplus(z) - y z = (max(z, 0) - y z) + log1p(e^{-|z|});
    # the bracket first, so that a tiny loss (z = 30, y = 1) is not lost next to large terms
    np.maximum(z, 0, out=out)
    out -= np.multiply(y, z, out=tmp)
    np.abs(z, out=tmp)
    np.negative(tmp, out=tmp)
    np.exp(tmp, out=tmp)  # e^{-|z|} in (0, 1]: cannot overflow
    out += _log1p_unit(tmp, out=tmp)


def _bce_from_logits(y: np.ndarray, z: np.ndarray, pw: np.ndarray | None) -> np.ndarray:
    """Per-element BCE from logits, in a fresh array shaped like ``z``."""
    if pw is None:
        out = np.empty(z.shape, z.dtype)
        flat_out, flat_z, flat_y = out.reshape(-1), z.reshape(-1), y.reshape(-1)
        tmp = np.empty(min(_BLOCK, flat_z.size), z.dtype)
        for start in range(0, flat_z.size, _BLOCK):
            block = slice(start, start + _BLOCK)
            n = min(_BLOCK, flat_z.size - start)
            _bce_logits_block(flat_y[block], flat_z[block], flat_out[block], tmp[:n])
        return out
    # tail = log1p(e^{-|z|}): log σ(z) = min(z, 0) - tail,  log(1 - σ(z)) = -max(z, 0) - tail
    tail = np.abs(z, out=np.empty_like(z))
    np.negative(tail, out=tail)
    np.exp(tail, out=tail)
    _log1p_unit(tail, out=tail)
    # -[pw y log σ(z) + (1-y) log σ(-z)] = (1-y) max(z,0) - pw y min(z,0) + (pw y + 1 - y) tail
    pwy = np.multiply(pw, y)
    one_minus_y = np.subtract(1, y, dtype=z.dtype)
    out = np.maximum(z, 0) * one_minus_y
    out -= pwy * np.minimum(z, 0)
    pwy += one_minus_y
    tail *= pwy
    out += tail
    return out


def _bce_from_probabilities(y: np.ndarray, p: np.ndarray, pw: np.ndarray | None) -> np.ndarray:
    """Per-element BCE from probabilities clipped to [eps, 1 - eps]."""
    p = _clip_probabilities(p)
    # log(1 - p) = log1p(-p); the vectorised log1p rewrite holds for any argument > -1
    log_q = _log1p_unit(np.negative(p, out=np.empty_like(p)))
    np.log(p, out=p)
    p *= y
    if pw is not None:
        p *= pw
    log_q *= np.subtract(1, y, dtype=p.dtype)
    p += log_q
    return np.negative(p, out=p)


def binary_cross_entropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    pos_weight: npt.ArrayLike | None = None,
    label_smoothing: float = 0.0,
    sample_weight: npt.ArrayLike | None = None,
    reduction: str = "mean",
) -> np.ndarray:
    """Binary cross-entropy: the negative log-likelihood of a Bernoulli distribution.

    With ``p = sigmoid(z)`` (``from_logits=True``) or ``p = y_pred``, the loss of one element is
    the Bernoulli NLL, no constant dropped (the Bernoulli pmf has none):

    .. math::

        \\ell(y, p) = -\\bigl[\\,w_+\\, y \\log p + (1 - y) \\log(1 - p)\\,\\bigr]

    Python: ``-(pos_weight * y * np.log(p) + (1 - y) * np.log1p(-p))``; from logits it is
    evaluated as ``(1 - y) * max(z, 0) - pos_weight * y * min(z, 0) + (pos_weight * y + 1 - y)
    * log1p(exp(-abs(z)))``, which never overflows.

    Derived in Chapter 4 (``pos_weight`` as a weighted likelihood, section "pos_weight").

    Args:
        y_true: Targets in ``[0, 1]`` (hard 0/1 labels, booleans, or soft labels), same shape as
            ``y_pred``.
        y_pred: Probabilities in ``[0, 1]``, or logits if ``from_logits=True``.
        from_logits: Whether ``y_pred`` holds logits (recommended: exact for any magnitude).
            Probabilities are clipped to ``[eps, 1 - eps]``, ``eps = np.finfo(dtype).eps``, so one
            element's loss is at most ``-log(eps)`` (36.04 float64, 15.94 float32).
        pos_weight: ``w_+`` multiplying the positive term ``y log p``, as in PyTorch's
            ``BCEWithLogitsLoss(pos_weight=)``: a scalar, one weight per label (the last axis of
            ``y_pred``) or the shape of ``y_pred``; ``>= 0``. Works for probabilities too.
        label_smoothing: ``ε`` in ``[0, 1]``; targets become ``y (1 - ε) + ε / 2``.
        sample_weight: A scalar or one weight ``>= 0`` per element (the shape of ``y_pred``).
        reduction: ``"mean"`` (``Σ sᵢ lᵢ / Σ sᵢ``, denominator the sum of sample weights, or
            the number of elements), ``"sum"`` (``Σ sᵢ lᵢ``) or ``"none"`` (``sᵢ lᵢ``).

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
    reduction = _v.check_reduction(reduction)
    from_logits = _v.check_bool(from_logits, "from_logits")
    eps_ls = _smoothing(label_smoothing)
    pred = _prediction(y_pred)
    y = _v.as_float(y_true, "y_true", pred.dtype)
    _v.check_same_shape(y, pred, "y_true", "y_pred")
    _v.check_finite_in_range(y, "y_true", 0, 1, what="labels (0/1 or soft labels)")
    if from_logits:
        _v.check_finite(pred, "y_pred")
    else:
        _v.check_finite_in_range(
            pred, "y_pred", 0, 1, what="probabilities", when="when from_logits=False"
        )
    pw = _pos_weight(pos_weight, pred)
    weights = _v.as_weights(sample_weight, pred.shape, pred.dtype)
    if eps_ls:
        y = y * pred.dtype.type(1 - eps_ls) + pred.dtype.type(eps_ls / 2)
    losses = _bce_from_logits(y, pred, pw) if from_logits else _bce_from_probabilities(y, pred, pw)
    return _finish(losses, weights, reduction)


# ----------------------------------------------------------------------------- Categorical


def _class_axis(pred: np.ndarray, axis: int) -> np.ndarray:
    """``pred`` with its class axis moved last (a view); at least 1-D required."""
    if pred.ndim == 0:
        raise ValueError(
            "y_pred must have a class axis (at least 1 dimension); got a scalar "
            f"{_v._describe(pred)}"
        )
    axis = _v.check_axis(axis, pred.ndim)
    return np.moveaxis(pred, axis, -1)


# NumPy reduces a short last axis (10 classes) row by row, slowly; for a few classes, a loop of
# elementwise ops over the class columns is several times faster.
_FEW_CLASSES = 32


def _reduce_classes(ufunc: np.ufunc, a: np.ndarray) -> np.ndarray:
    """``ufunc.reduce(a, axis=-1)`` (``np.maximum`` or ``np.add``) as an array."""
    if a.shape[-1] > _FEW_CLASSES or a.ndim == 1:
        return np.asarray(ufunc.reduce(a, axis=-1))
    out = a[..., 0].copy()
    for c in range(1, a.shape[-1]):
        ufunc(out, a[..., c], out=out)
    return out


def _weighted_class_sum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``Σ_c a_c b_c`` over the last axis (``b`` is ``(C,)`` or the shape of ``a``)."""
    if a.ndim == 1 or b.ndim == 1:
        return np.asarray(a @ b) if b.ndim == 1 else np.asarray(np.dot(a, b))
    if a.shape[-1] > _FEW_CLASSES:
        return np.einsum("...c,...c->...", a, b)
    out = a[..., 0] * b[..., 0]
    for c in range(1, a.shape[-1]):
        out += a[..., c] * b[..., c]
    return out


def _log_normaliser(
    z: np.ndarray, gap_weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Pieces of ``-log softmax(z)_c = log s + (m - z_c)`` (class axis last).

    Returns ``m = max_c z_c``, ``log s`` with ``s = Σ_c e^{z_c - m}`` (``s >= 1``: never log 0),
    and, if ``gap_weights`` is given, ``Σ_c gap_weights_c (m - z_c)``. Both terms of
    ``log s + (m - z_c)`` are >= 0, so nothing cancels and a confident correct prediction keeps
    its tiny loss (``logsumexp(z) - z_k`` would lose it next to a large ``z_k``).
    """
    num_classes = z.shape[-1]
    rows = z.reshape(-1, num_classes)  # a view unless the class axis was moved
    m = np.empty(rows.shape[0], z.dtype)
    log_s = np.empty(rows.shape[0], z.dtype)
    gap_sum = None if gap_weights is None else np.empty(rows.shape[0], z.dtype)
    step = max(1, _BLOCK // num_classes)  # rows per block: its temporaries stay in cache
    ones = np.ones(num_classes, z.dtype)
    gap_rows = None  # per-row weights as rows, reshaped once (it copies a moved class axis)
    if gap_weights is not None and gap_weights.ndim > 1:
        gap_rows = gap_weights.reshape(-1, num_classes)
    for start in range(0, rows.shape[0], step):
        block = slice(start, start + step)
        zb = rows[block]
        mb = _reduce_classes(np.maximum, zb)
        e = np.subtract(zb, mb[:, None])  # z - m <= 0, the largest is exactly 0
        if gap_weights is not None:
            gw = gap_weights if gap_rows is None else gap_rows[block]
            gap_sum[block] = np.negative(_weighted_class_sum(e, gw))
        np.exp(e, out=e)
        np.log(e @ ones, out=log_s[block])  # Σ_c e^{z_c - m} (a BLAS product: the fastest sum)
        m[block] = mb
    shape = z.shape[:-1]
    return (
        m.reshape(shape),
        log_s.reshape(shape),
        None if gap_sum is None else gap_sum.reshape(shape),
    )


def categorical_cross_entropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    class_weight: npt.ArrayLike | None = None,
    label_smoothing: float = 0.0,
    sample_weight: npt.ArrayLike | None = None,
    axis: int = -1,
    reduction: str = "mean",
) -> np.ndarray:
    """Categorical cross-entropy with one-hot or soft targets: the NLL of a Categorical.

    With ``log p = log_softmax(z)`` (``from_logits=True``) or ``log p = log(y_pred)``, smoothed
    targets ``y' = y (1 - ε) + ε / C`` and class weights ``w`` (all 1 by default), one example's
    loss is (no constant dropped)

    .. math::

        \\ell(y, p) = -\\sum_{c=1}^{C} w_c\\, y'_c \\log p_c

    Python: ``-(w * y_smooth * log_p).sum(axis)``; from logits ``-log p_c`` is evaluated as
    ``log(sum(exp(z - m))) + (m - z_c)`` with ``m = z.max(axis)``, never ``log(softmax(z))``.

    ``reduction="mean"`` divides by ``Σᵢ sᵢ Σ_c w_c y_ic`` with the unsmoothed targets (by
    ``Σᵢ sᵢ`` when ``class_weight`` is None): for one-hot targets the sum of sample weight × class
    weight of the target, so that this function equals :func:`sparse_categorical_cross_entropy`
    with the class indices for every option.

    Derived in Chapter 5 (class weights and label smoothing as changes to the likelihood).

    Args:
        y_true: Targets in ``[0, 1]`` (one-hot or a probability vector per example), same shape
            as ``y_pred``. Rows that do not sum to 1 warn.
        y_pred: Probabilities (each slice along ``axis`` sums to 1; otherwise a warning, and the
            values are used as given), or logits if ``from_logits=True``.
        from_logits: Whether ``y_pred`` holds logits (recommended). Probabilities are clipped to
            ``[eps, 1 - eps]``, ``eps = np.finfo(dtype).eps``, capping ``-log p`` at 36.04
            (float64) or 15.94 (float32).
        class_weight: One weight ``>= 0`` per class, shape ``(C,)``.
        label_smoothing: ``ε`` in ``[0, 1]``; targets become ``y (1 - ε) + ε / C``.
        sample_weight: A scalar or one weight ``>= 0`` per example (the shape of ``y_pred``
            without ``axis``).
        axis: The class axis; ``axis=1`` takes PyTorch's ``(N, C, d1, ...)`` layout.
        reduction: ``"mean"`` (denominator above), ``"sum"`` (``Σ sᵢ lᵢ``) or ``"none"``
            (``sᵢ lᵢ``, shaped like ``y_pred`` without ``axis``).

    Returns:
        A NumPy scalar, or an array for ``reduction="none"``, in the dtype of ``y_pred``.

    Raises:
        TypeError: Non-numeric inputs, a non-bool ``from_logits``, a non-integer ``axis``.
        ValueError: Shapes that differ, empty inputs, NaN/inf, values outside ``[0, 1]``, a
            ``class_weight`` not of shape ``(C,)`` or negative, a bad ``sample_weight``,
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
    reduction = _v.check_reduction(reduction)
    from_logits = _v.check_bool(from_logits, "from_logits")
    eps_ls = _smoothing(label_smoothing)
    pred = _prediction(y_pred)
    y = _v.as_float(y_true, "y_true", pred.dtype)
    _v.check_same_shape(y, pred, "y_true", "y_pred")
    z = _class_axis(pred, axis)
    y = np.moveaxis(y, axis, -1)
    num_classes = z.shape[-1]
    _v.check_finite_in_range(y, "y_true", 0, 1, what="class probabilities (one-hot or soft)")
    _v.warn_if_not_normalized(y, "y_true", -1)
    if from_logits:
        _v.check_finite(z, "y_pred")
    else:
        _v.check_finite_in_range(
            z, "y_pred", 0, 1, what="probabilities", when="when from_logits=False"
        )
        _v.warn_if_not_normalized(z, "y_pred", -1)
    cw = _class_weight(class_weight, num_classes, pred.dtype)
    weights = _v.as_weights(sample_weight, z.shape[:-1], pred.dtype)

    # the weight of each target: Σ_c w_c y_c (the class weight of a one-hot target), unsmoothed
    denominator = None if cw is None else _weighted_class_sum(y, cw)
    if eps_ls:
        y = y * pred.dtype.type(1 - eps_ls) + pred.dtype.type(eps_ls / num_classes)
    wy = y if cw is None else y * cw  # w_c y'_c
    if from_logits:
        # -Σ_c w_c y'_c log p_c = (Σ_c w_c y'_c) log s + Σ_c w_c y'_c (m - z_c)
        _, log_s, losses = _log_normaliser(z, wy)
        losses += log_s * _reduce_classes(np.add, wy)
    else:
        log_p = _clip_probabilities(z)
        np.log(log_p, out=log_p)
        losses = np.negative(_weighted_class_sum(log_p, wy))
    return _finish(np.asarray(losses), weights, reduction, denominator)


def _pick(z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``z[..., labels]`` elementwise: the entry of each example's label (class axis last)."""
    if z.flags.c_contiguous and labels.ndim:
        flat = np.arange(0, z.size, z.shape[-1]).reshape(labels.shape)
        flat += labels
        return z.reshape(-1)[flat]
    return np.take_along_axis(z, labels[..., None], axis=-1)[..., 0]


def _sparse_labels(
    y_true: npt.ArrayLike, shape: tuple[int, ...], num_classes: int, ignore_index: int | None
) -> np.ndarray:
    labels = _v.as_array(y_true, "y_true")
    if labels.shape != shape:
        hint = ""
        if labels.shape == (*shape, 1):
            hint = " (a trailing axis of length 1: pass y_true.reshape(-1) or squeeze it)"
        raise ValueError(
            "y_true must hold one class index per example, the shape of y_pred without its "
            f"class axis {shape}; got shape {labels.shape}{hint}"
        )
    return _v.check_class_labels(labels, "y_true", num_classes, ignore_index=ignore_index)


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
    reduction: str = "mean",
) -> np.ndarray:
    """Cross-entropy with integer class labels: the NLL of a Categorical at the observed class.

    With ``log p = log_softmax(z)`` or ``log(y_pred)``, label ``k``, class weights ``w`` (all 1
    by default) and smoothing ``ε``, one example's loss is (no constant dropped)

    .. math::

        \\ell(k, p) = -(1 - \\varepsilon)\\, w_k \\log p_k
        - \\frac{\\varepsilon}{C} \\sum_{c=1}^{C} w_c \\log p_c

    Python: ``-(1 - eps) * w[k] * log_p[k] - eps / C * (w * log_p).sum()``; from logits
    ``-log p_c = log(sum(exp(z - m))) + (m - z_c)``. It is PyTorch's
    ``F.cross_entropy(z, k, weight=w, ignore_index=, label_smoothing=eps)``, including the mean:
    ``reduction="mean"`` divides by ``Σᵢ sᵢ w_{kᵢ}`` over the examples not ignored.

    Derived in Chapter 5.

    Args:
        y_true: Integer class indices in ``[0, C)`` (whole-number floats accepted), shaped like
            ``y_pred`` without ``axis``; entries equal to ``ignore_index`` are skipped.
        y_pred: Probabilities along ``axis``, or logits if ``from_logits=True``.
        from_logits: Whether ``y_pred`` holds logits (recommended). Probabilities are clipped to
            ``[eps, 1 - eps]``, capping ``-log p`` at 36.04 (float64) or 15.94 (float32).
        class_weight: One weight ``>= 0`` per class, shape ``(C,)``.
        ignore_index: A label value whose entries get loss 0 and leave numerator and
            denominator of the mean (PyTorch uses -100 for padding).
        label_smoothing: ``ε`` in ``[0, 1]``: the one-hot target becomes ``y (1 - ε) + ε / C``.
        sample_weight: A scalar or one weight ``>= 0`` per example (the shape of ``y_true``).
        axis: The class axis of ``y_pred``; ``axis=1`` takes PyTorch's ``(N, C, d1, ...)``.
        reduction: ``"mean"`` (denominator above), ``"sum"`` or ``"none"`` (shape of
            ``y_true``, ignored entries 0).

    Returns:
        A NumPy scalar, or an array for ``reduction="none"``, in the dtype of ``y_pred``.

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
    reduction = _v.check_reduction(reduction)
    from_logits = _v.check_bool(from_logits, "from_logits")
    eps_ls = _smoothing(label_smoothing)
    if ignore_index is not None:
        ignore_index = _v.check_int(ignore_index, "ignore_index")
    pred = _prediction(y_pred)
    z = _class_axis(pred, axis)
    num_classes = z.shape[-1]
    labels = _sparse_labels(y_true, z.shape[:-1], num_classes, ignore_index)
    if from_logits:
        _v.check_finite(z, "y_pred")
    else:
        _v.check_finite_in_range(
            z, "y_pred", 0, 1, what="probabilities", when="when from_logits=False"
        )
        _v.warn_if_not_normalized(z, "y_pred", -1)
    cw = _class_weight(class_weight, num_classes, pred.dtype)
    weights = _v.as_weights(sample_weight, labels.shape, pred.dtype)

    kept = None
    if ignore_index is not None:
        kept = labels != ignore_index
        labels = np.where(kept, labels, 0)  # any valid index; those losses are zeroed below
    dtype = pred.dtype.type
    smooth = None  # Σ_c w_c (-log p_c), needed only for label smoothing
    if from_logits:
        # -log p_k = log s + (m - z_k);  Σ_c w_c (-log p_c) = W log s + Σ_c w_c (m - z_c)
        if eps_ls:
            gap_w = np.ones(num_classes, pred.dtype) if cw is None else cw
            m, log_s, smooth = _log_normaliser(z, gap_w)
            smooth += log_s * gap_w.sum()
        else:
            m, log_s, _ = _log_normaliser(z, None)
        losses = np.subtract(m, _pick(z, labels))
        losses += log_s
    elif eps_ls:
        neg_log_p = _clip_probabilities(z)
        np.log(neg_log_p, out=neg_log_p)
        np.negative(neg_log_p, out=neg_log_p)
        losses = np.asarray(_pick(neg_log_p, labels))
        smooth = (
            _reduce_classes(np.add, neg_log_p) if cw is None else _weighted_class_sum(neg_log_p, cw)
        )
    else:
        losses = _clip_probabilities(np.asarray(_pick(z, labels)))
        np.log(losses, out=losses)
        np.negative(losses, out=losses)
    losses = np.asarray(losses)
    target_w = None
    if cw is not None:
        target_w = cw[labels]  # class weight of each target
        losses *= target_w
    if smooth is not None:
        losses *= dtype(1 - eps_ls)
        losses += smooth * dtype(eps_ls / num_classes)
    denominator = target_w
    if kept is not None:
        losses *= kept
        denominator = kept.astype(pred.dtype) if denominator is None else denominator * kept
    if denominator is not None and cw is None:
        # no class weights: numerator and denominator weights agree (ignored entries are 0)
        both = denominator if weights is None else weights * denominator
        return _finish(losses, both, reduction)
    return _finish(losses, weights, reduction, denominator)


# ----------------------------------------------------------------------------- Regression


def _regression_inputs(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, pred_name: str, reduction: str
) -> tuple[str, np.ndarray, np.ndarray]:
    reduction = _v.check_reduction(reduction)
    pred = _prediction(y_pred, pred_name)
    _v.check_finite(pred, pred_name)
    y = _target(y_true, pred, pred_name)
    return reduction, y, pred


def mean_squared_error(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    sample_weight: npt.ArrayLike | None = None,
    reduction: str = "mean",
) -> np.ndarray:
    """Mean squared error: the Gaussian NLL with unit variance, constants dropped.

    .. math::

        \\ell(y, \\hat y) = (y - \\hat y)^2
        = 2\\,\\bigl[-\\log \\mathcal{N}(y; \\hat y, 1)\\bigr] - \\log 2\\pi

    Python: ``(y - y_hat) ** 2``. The dropped factor 2 and constant ``log 2π`` do not move the
    minimiser; :func:`gaussian_nll` keeps them.

    Derived in Chapter 6.

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predicted means.
        sample_weight: A scalar or one weight ``>= 0`` per element.
        reduction: ``"mean"`` (``Σ sᵢ lᵢ / Σ sᵢ``, or divided by the number of elements),
            ``"sum"`` or ``"none"``.

    Returns:
        A NumPy scalar, or an array for ``reduction="none"``, in the dtype of ``y_pred``.

    Raises:
        TypeError: Non-numeric inputs.
        ValueError: Shapes that differ, empty inputs, NaN/inf, a bad ``sample_weight`` or
            ``reduction``.

    Examples:
        >>> float(mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))  # 4 / 3
        1.33333
    """
    reduction, y, pred = _regression_inputs(y_true, y_pred, "y_pred", reduction)
    weights = _v.as_weights(sample_weight, pred.shape, pred.dtype)
    losses = np.subtract(y, pred, out=np.empty_like(pred))
    np.square(losses, out=losses)
    return _finish(losses, weights, reduction)


def mean_absolute_error(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    sample_weight: npt.ArrayLike | None = None,
    reduction: str = "mean",
) -> np.ndarray:
    """Mean absolute error: the Laplace NLL with unit scale, the constant ``log 2`` dropped.

    .. math::

        \\ell(y, \\hat y) = |y - \\hat y| = -\\log \\operatorname{Laplace}(y; \\hat y, 1) - \\log 2

    Python: ``np.abs(y - y_hat)``. Its minimiser over a constant prediction is the median.

    Derived in Chapter 6.

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predicted locations (medians).
        sample_weight: A scalar or one weight ``>= 0`` per element.
        reduction: ``"mean"`` (``Σ sᵢ lᵢ / Σ sᵢ``, or divided by the number of elements),
            ``"sum"`` or ``"none"``.

    Returns:
        A NumPy scalar, or an array for ``reduction="none"``, in the dtype of ``y_pred``.

    Raises:
        TypeError: Non-numeric inputs.
        ValueError: Shapes that differ, empty inputs, NaN/inf, a bad ``sample_weight`` or
            ``reduction``.

    Examples:
        >>> float(mean_absolute_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))  # 2 / 3
        0.66667
    """
    reduction, y, pred = _regression_inputs(y_true, y_pred, "y_pred", reduction)
    weights = _v.as_weights(sample_weight, pred.shape, pred.dtype)
    losses = np.subtract(y, pred, out=np.empty_like(pred))
    np.abs(losses, out=losses)
    return _finish(losses, weights, reduction)


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
    reduction: str = "mean",
) -> np.ndarray:
    """Gaussian negative log-likelihood with a variance, a standard deviation or a log-variance.

    .. math::

        \\ell(y; \\mu, \\sigma^2) = \\tfrac12 \\log \\sigma^2 + \\frac{(y - \\mu)^2}{2 \\sigma^2}
        + \\tfrac12 \\log 2\\pi

    Python: ``0.5 * (np.log(var) + (y - mean) ** 2 / var) + 0.5 * np.log(2 * np.pi)``.

    ``full=True`` (the default here) is the true NLL, with ``½ log 2π``; ``full=False`` drops
    that constant, which is PyTorch's ``GaussianNLLLoss`` default (``full=False``). Give exactly
    one of ``variance``, ``std`` (``var = std²``) and ``log_variance`` (``var = exp(log_variance)``;
    computed as ``½ (log_variance + (y - μ)² e^{-log_variance})``); none gives unit variance.
    Whichever is given, the variance is clamped below at ``eps`` like PyTorch (a variance of 0
    becomes ``eps``; the gradient through the clamp is 0).

    Derived in Chapter 6 (learned, heteroscedastic variance; why the loss can be negative).

    Args:
        y_true: Targets, same shape as ``mean``.
        mean: Predicted means.
        variance: ``σ² >= 0``, a scalar or the shape of ``mean``.
        std: ``σ >= 0``, a scalar or the shape of ``mean``.
        log_variance: ``log σ²`` (any real), a scalar or the shape of ``mean``.
        full: Include the constant ``½ log 2π``.
        eps: The variance floor, ``> 0``.
        sample_weight: A scalar or one weight ``>= 0`` per element.
        reduction: ``"mean"`` (``Σ sᵢ lᵢ / Σ sᵢ``, or divided by the number of elements),
            ``"sum"`` or ``"none"``.

    Returns:
        A NumPy scalar, or an array for ``reduction="none"``, in the dtype of ``mean``.

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
    reduction, y, mu = _regression_inputs(y_true, mean, "mean", reduction)
    full = _v.check_bool(full, "full")
    eps = _v.check_scalar(eps, "eps", low=0.0, low_open=True)
    params = {"variance": variance, "std": std, "log_variance": log_variance}
    given = [name for name, value in params.items() if value is not None]
    if len(given) > 1:
        shown = ", ".join(f"{name}={_v._describe(params[name])}" for name in given)
        raise ValueError(
            f"gaussian_nll takes at most one of variance, std, log_variance; got {shown}"
        )
    weights = _v.as_weights(sample_weight, mu.shape, mu.dtype)
    dtype = mu.dtype.type
    losses = np.subtract(y, mu, out=np.empty_like(mu))
    np.square(losses, out=losses)  # (y - μ)²
    if log_variance is not None:
        log_var = _v.as_param(log_variance, "log_variance", mu.shape, mu.dtype, "mean")
        # clamp var >= eps  <=>  log var >= log eps; e^{-log var} <= 1 / eps cannot overflow
        log_var = np.maximum(log_var, dtype(np.log(eps)))
        losses *= np.exp(np.negative(log_var))
        losses += log_var
    else:
        if variance is not None:
            var = _v.as_param(variance, "variance", mu.shape, mu.dtype, "mean")
            _v.check_positive(var, "variance", strict=False)
        elif std is not None:
            sd = _v.as_param(std, "std", mu.shape, mu.dtype, "mean")
            _v.check_positive(sd, "std", strict=False)
            var = np.square(sd)
        else:
            var = np.ones((), mu.dtype)
        var = np.maximum(var, dtype(eps))  # PyTorch's clamp
        losses /= var
        losses += np.log(var)
    losses *= dtype(0.5)
    if full:
        losses += dtype(_HALF_LOG_2PI)
    return _finish(losses, weights, reduction)


def poisson_nll(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    log_input: bool = True,
    full: bool = True,
    sample_weight: npt.ArrayLike | None = None,
    reduction: str = "mean",
) -> np.ndarray:
    """Poisson negative log-likelihood of counts, from a log-rate (default) or a rate.

    .. math::

        \\ell(y; \\lambda) = \\lambda - y \\log \\lambda + \\log y!

    Python: ``np.exp(eta) - y * eta + gammaln(y + 1)`` with ``eta = log λ`` (``log_input=True``),
    or ``rate - y * np.log(rate) + gammaln(y + 1)``. ``full=True`` (the default) keeps the exact
    ``log y! = lgamma(y + 1)``; ``full=False`` drops it (it does not depend on ``λ``). PyTorch's
    ``PoissonNLLLoss(full=True)`` adds Stirling's approximation ``y log y - y + ½ log(2π y)`` (for
    ``y > 1``) instead, so it differs from this one by up to ``1 / (12 y)``.

    Rates of 0 (``log_input=False``): inside the logarithm the rate is clamped below at
    ``eps = np.finfo(dtype).eps``, so ``y = 0`` with rate 0 gives the exact loss 0 and ``y > 0``
    with rate 0 the finite loss ``y·(-log eps)`` (``y·36.04`` in float64). A log-rate above the
    largest representable exponent (about 709 in float64) gives an infinite loss.

    Derived in Chapter 3 (the NLL) and Chapter 8 (the Poisson head).

    Args:
        y_true: Counts (whole numbers ``>= 0``), same shape as ``y_pred``.
        y_pred: Log-rates (``log_input=True``) or rates ``>= 0``.
        log_input: Whether ``y_pred`` holds ``log λ``.
        full: Include ``log y!``.
        sample_weight: A scalar or one weight ``>= 0`` per element.
        reduction: ``"mean"`` (``Σ sᵢ lᵢ / Σ sᵢ``, or divided by the number of elements),
            ``"sum"`` or ``"none"``.

    Returns:
        A NumPy scalar, or an array for ``reduction="none"``, in the dtype of ``y_pred``.

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
    reduction = _v.check_reduction(reduction)
    log_input = _v.check_bool(log_input, "log_input")
    full = _v.check_bool(full, "full")
    pred = _prediction(y_pred)
    _v.check_finite(pred, "y_pred")
    y = _target(y_true, pred)
    _v.check_positive(y, "y_true", strict=False)
    _v.check_integer_valued(y, "y_true")
    weights = _v.as_weights(sample_weight, pred.shape, pred.dtype)
    if log_input:
        with np.errstate(over="ignore"):  # e^{η} for η > 709: the loss is +inf, honestly
            losses = np.exp(pred, out=np.empty_like(pred))
        losses -= np.multiply(y, pred)
    else:
        _v.check_positive(pred, "y_pred", strict=False)
        # log max(λ, eps): y = 0 keeps its exact loss λ, y > 0 with λ = 0 stays finite
        log_rate = np.maximum(pred, np.finfo(pred.dtype).eps, out=np.empty_like(pred))
        np.log(log_rate, out=log_rate)
        log_rate *= y
        losses = np.subtract(pred, log_rate, out=log_rate)
    if full:
        losses += gammaln(y + 1).astype(pred.dtype, copy=False)  # log y!, exact
    return _finish(losses, weights, reduction)


def laplace_nll(
    y_true: npt.ArrayLike,
    loc: npt.ArrayLike,
    *,
    scale: npt.ArrayLike = 1.0,
    full: bool = True,
    sample_weight: npt.ArrayLike | None = None,
    reduction: str = "mean",
) -> np.ndarray:
    """Laplace negative log-likelihood; with ``scale=1, full=False`` it is the absolute error.

    .. math::

        \\ell(y; \\mu, b) = \\frac{|y - \\mu|}{b} + \\log b + \\log 2

    Python: ``np.abs(y - loc) / scale + np.log(scale) + np.log(2)``. ``full=False`` drops the
    constant ``log 2``.

    Derived in Chapter 6 (the maximum-likelihood ``loc`` is the median, ``scale`` the mean
    absolute deviation from it).

    Args:
        y_true: Targets, same shape as ``loc``.
        loc: Predicted locations (medians).
        scale: ``b > 0``, a scalar or the shape of ``loc``.
        full: Include the constant ``log 2``.
        sample_weight: A scalar or one weight ``>= 0`` per element.
        reduction: ``"mean"`` (``Σ sᵢ lᵢ / Σ sᵢ``, or divided by the number of elements),
            ``"sum"`` or ``"none"``.

    Returns:
        A NumPy scalar, or an array for ``reduction="none"``, in the dtype of ``loc``.

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
    reduction, y, mu = _regression_inputs(y_true, loc, "loc", reduction)
    full = _v.check_bool(full, "full")
    b = _v.as_param(scale, "scale", mu.shape, mu.dtype, "loc")
    _v.check_positive(b, "scale", strict=True)
    weights = _v.as_weights(sample_weight, mu.shape, mu.dtype)
    losses = np.subtract(y, mu, out=np.empty_like(mu))
    np.abs(losses, out=losses)
    losses /= b
    losses += np.log(b)
    if full:
        losses += mu.dtype.type(_LOG_2)
    return _finish(losses, weights, reduction)
