r"""The TensorFlow Probability twin of :mod:`mlecourse.losses`.

Same eight functions, same names, signatures and semantics as the NumPy reference; each
builds the ``tfd`` distribution the loss is the negative log-likelihood of and returns
``-dist.log_prob(y_true)``, with weights, label smoothing, ``ignore_index`` and the reduction
applied around it. Results are ``tf.Tensor``\ s, differentiable with ``tf.GradientTape``, and
every function works directly as a Keras 3 ``loss=`` (``model.compile(loss=binary_cross_entropy)``)
and inside ``tf.function``.

Decisions (written down once, here):

* **Which distribution.** ``binary_cross_entropy`` -> ``tfd.Bernoulli(logits=...)`` (or
  ``probs=`` clipped to ``[eps, 1 - eps]``, ``eps = np.finfo(dtype).eps``);
  ``sparse_categorical_cross_entropy`` -> ``tfd.Categorical``; ``categorical_cross_entropy``
  -> ``tfd.OneHotCategorical``; ``gaussian_nll`` -> ``tfd.Normal``; ``poisson_nll`` ->
  ``tfd.Poisson(log_rate=...)``; ``laplace_nll`` -> ``tfd.Laplace``. ``mean_squared_error``
  and ``mean_absolute_error`` are the Normal and Laplace NLLs with unit scale and their
  constants removed; each docstring shows how.
* **Soft targets** (label smoothing, probability targets) are not outcomes, so ``log_prob``
  alone cannot express them. The loss is then the *expected* NLL under the target
  distribution :math:`q`, i.e. the cross-entropy :math:`H(q, p) = E_{Y\sim q}[-\log p(Y)]`,
  written with the distribution's log-probabilities of the outcomes. For the categorical
  losses this is ``-OneHotCategorical(logits).log_prob(q)`` with ``q`` normalised to sum to
  one (TFP's one-hot log-pmf is linear in the event, and its gradient is exact only for
  events that sum to one, so class weights are applied as a rescaled target:
  :math:`-\sum_k w_k q_k \log p_k = m \cdot H(\tilde q, p)`, :math:`m = \sum_k w_k q_k`,
  :math:`\tilde q = w q / m`).
* **Probabilities** (``from_logits=False``) are clipped to ``[eps, 1 - eps]``,
  ``eps = np.finfo(dtype).eps``, exactly like the reference. Categorical probability rows are
  used as given, never renormalised (rows that do not sum to one warn, as in the reference);
  ``tfd.Categorical(probs=p)`` divides by :math:`\sum_k p_k`, so the twin adds
  :math:`m \log \sum_k p_k` back -- zero up to rounding for rows that do sum to one, and it
  makes the gradient with respect to ``p`` the reference's :math:`-q_k / p_k`.
* **dtype** follows :mod:`mlecourse._validation`: the prediction decides (float16/32 ->
  float32, float64 -> float64, integers -> float64); targets are cast to it. Non-tensor
  inputs go through ``np.asarray`` first, so a Python list of floats is float64 here as in
  NumPy (``tf.constant([0.5])`` would have been float32).
* **Validation.** Shape checks are static and always run: ``(N, 1)`` against ``(N,)`` is a
  ``ValueError``, never an ``(N, N)`` broadcast. Value checks (finite, probabilities in
  [0, 1], class indices in range, non-negative counts and weights) run in eager mode with the
  same messages as the NumPy reference, and are skipped inside ``tf.function`` -- like TFP's
  ``validate_args=False`` in a hot path. Consequently a weighted mean whose weights sum to 0
  raises in eager mode but is 0 (with zero gradient, Keras's convention) in a graph.
* **Inside Keras.** Keras 3 wraps a plain loss function so that a ``(N,)`` target meets a
  ``(N, 1)`` output with the rank of the output (it expands or squeezes a trailing axis of
  length 1 before calling the loss); Keras also casts targets to float32 and applies its own
  ``sample_weight`` on top of what is returned (with the default ``reduction="mean"`` a
  scalar comes back, so pass ``reduction="none"`` through a ``functools.partial`` if you need
  Keras's per-example weighting).
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from mlecourse import _validation as _v

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

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

TensorLike = Any  # a tf.Tensor, tf.Variable, NumPy array, Python scalar or nested list

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_LOG_2 = math.log(2.0)


# ---------------------------------------------------------------------------------------------
# Conversion and checks (private; the messages are those of mlecourse._validation)
# ---------------------------------------------------------------------------------------------


# The losses branch only on static facts (options, dtypes, static shapes), never on tensor
# values, so AutoGraph has nothing to convert: skipping it makes tracing (model.fit, tf.function)
# seconds faster.
_no_autograph = tf.autograph.experimental.do_not_convert


def _eager() -> bool:
    """Value checks run only when executing eagerly (skipped inside tf.function)."""
    return tf.executing_eagerly()


def _tensor(x: TensorLike, name: str) -> tf.Tensor:
    """``x`` as a numeric tf.Tensor; non-tensors go through ``np.asarray`` like the reference."""
    if isinstance(x, tf.Variable) or tf.is_tensor(x):
        t = tf.convert_to_tensor(x)
        if not (t.dtype.is_floating or t.dtype.is_integer or t.dtype == tf.bool):
            raise TypeError(
                f"{name} must contain real numbers (bool, integer or float); "
                f"got dtype {t.dtype.name}"
            )
        return t
    return tf.convert_to_tensor(_v.as_array(x, name))


def _float_dtype(t: tf.Tensor) -> tf.DType:
    """float16/bfloat16/float32 -> float32, anything else -> float64 (as the reference)."""
    return tf.float32 if t.dtype in (tf.float16, tf.bfloat16, tf.float32) else tf.float64


def _prediction(x: TensorLike, name: str = "y_pred") -> tf.Tensor:
    """The prediction as a non-empty float tensor: it decides the dtype of the result."""
    t = _tensor(x, name)
    t = tf.cast(t, _float_dtype(t))
    if t.shape.num_elements() == 0:
        raise ValueError(f"{name} must not be empty; got an array of shape {_shape(t)}")
    return t


def _target(x: TensorLike, name: str, dtype: tf.DType) -> tf.Tensor:
    return tf.cast(_tensor(x, name), dtype)


def _np(t: tf.Tensor) -> np.ndarray:
    return np.asarray(t.numpy())


def _shape(t: tf.Tensor | tf.TensorShape) -> tuple[int | None, ...]:
    shape = t if isinstance(t, tf.TensorShape) else t.shape
    return tuple(shape.as_list())


def _check_same_shape(a: tf.Tensor, b: tf.Tensor, name_a: str, name_b: str) -> None:
    """Static shape check that always runs: never broadcast (N, 1) against (N,)."""
    sa, sb = a.shape, b.shape
    if sa.rank is None or sb.rank is None or sa.is_compatible_with(sb):
        return
    ta, tb = _shape(sa), _shape(sb)
    hint = ""
    if sa.rank != sb.rank and [d for d in ta if d != 1] == [d for d in tb if d != 1]:
        try:
            full = _shape(tf.broadcast_static_shape(sa, sb))
            hint = (
                " (one has an extra axis of length 1; broadcasting them would silently build an "
                f"{full} matrix: reshape one of them explicitly)"
            )
        except ValueError:
            hint = " (they differ by an axis of length 1: reshape one of them explicitly)"
    raise ValueError(f"{name_a} and {name_b} must have the same shape; got {ta} and {tb}{hint}")


def _check_finite(t: tf.Tensor, name: str) -> None:
    if _eager():
        arr = _np(t)
        # NaN and +-inf propagate through min/max: two cheap passes, the detailed check on failure
        if arr.dtype.kind == "f" and arr.size and np.isfinite(arr.min()) and np.isfinite(arr.max()):
            return
        _v.check_finite(arr, name)


def _check_finite_in_range(t: tf.Tensor, name: str, *, what: str, when: str = "") -> None:
    if _eager():
        _v.check_finite_in_range(_np(t), name, 0, 1, what=what, when=when)


def _check_nonnegative(t: tf.Tensor, name: str, strict: bool = False) -> None:
    if _eager():
        _v.check_positive(_np(t), name, strict=strict)


def _warn_if_not_normalized(t: tf.Tensor, name: str) -> None:
    if _eager():
        _v.warn_if_not_normalized(_np(t), name, -1)


def _param(value: TensorLike, name: str, like: tf.Tensor, like_name: str) -> tf.Tensor:
    """A distribution parameter: a scalar or exactly ``like``'s shape, finite."""
    t = _target(value, name, like.dtype)
    if t.shape.rank != 0 and not (
        t.shape.rank == like.shape.rank and t.shape.is_compatible_with(like.shape)
    ):
        raise ValueError(
            f"{name} must be a scalar or have the shape of {like_name} {_shape(like)}; "
            f"got shape {_shape(t)}"
        )
    _check_finite(t, name)
    return t


def _weights(sample_weight: TensorLike | None, like: tf.Tensor) -> tf.Tensor | None:
    """``sample_weight`` as a scalar or ``like``-shaped, finite, non-negative tensor (or None)."""
    if sample_weight is None:
        return None
    w = _target(sample_weight, "sample_weight", like.dtype)
    if w.shape.rank != 0 and not (
        w.shape.rank == like.shape.rank and w.shape.is_compatible_with(like.shape)
    ):
        raise ValueError(
            "sample_weight must be a scalar or have the shape of the per-element losses "
            f"{_shape(like)}; got {_shape(w)}"
        )
    _check_finite(w, "sample_weight")
    _check_nonnegative(w, "sample_weight")
    return w


def _times(a: tf.Tensor | None, b: tf.Tensor | None) -> tf.Tensor | None:
    """``a * b`` where ``None`` means "all ones"."""
    if a is None:
        return b
    if b is None:
        return a
    return a * b


def _reduce(
    losses: tf.Tensor,
    sample_weight: tf.Tensor | None,
    reduction: str,
    denominator: tf.Tensor | None = None,
) -> tf.Tensor:
    """The contract's reductions of per-element ``losses``.

    ``"none"`` -> ``s * l``; ``"sum"`` -> ``sum(s * l)``; ``"mean"`` ->
    ``sum(s * l) / sum(s * d)`` with ``d`` the ``denominator`` weights (class weight of the
    target, 0 for ignored entries; all ones when ``None``).
    """
    weighted = losses if sample_weight is None else losses * sample_weight
    if reduction == "none":
        return weighted
    total = tf.reduce_sum(weighted)
    if reduction == "sum":
        return total
    denom_weights = _times(sample_weight, denominator)
    if denom_weights is None:
        return total / tf.cast(tf.size(losses), losses.dtype)
    denom = tf.reduce_sum(tf.broadcast_to(denom_weights, tf.shape(losses)))
    if _eager() and float(denom) == 0.0:
        raise ValueError(
            "reduction='mean' is undefined: the weights (sample_weight x class weight, with "
            "ignored entries removed) sum to 0"
        )
    # Inside tf.function (no value checks) an all-zero weight sum gives 0, not NaN.
    return tf.math.divide_no_nan(total, denom)


def _clip_probabilities(p: tf.Tensor) -> tf.Tensor:
    """``clip(p, eps, 1 - eps)``, ``eps = np.finfo(dtype).eps``: log(0) would be -inf."""
    eps = float(np.finfo(p.dtype.as_numpy_dtype).eps)
    return tf.clip_by_value(p, eps, 1.0 - eps)


def _smoothing(label_smoothing: float) -> float:
    return _v.check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)


# ---------------------------------------------------------------------------------------------
# Bernoulli
# ---------------------------------------------------------------------------------------------


def _pos_weight(pos_weight: TensorLike | None, pred: tf.Tensor) -> tf.Tensor | None:
    if pos_weight is None:
        return None
    pw = _target(pos_weight, "pos_weight", pred.dtype)
    per_label = pred.shape[-1:] if pred.shape.rank else tf.TensorShape([])
    if pw.shape.rank != 0 and pw.shape != per_label and pw.shape != pred.shape:
        raise ValueError(
            "pos_weight must be a scalar, one weight per label (shape "
            f"{_shape(per_label)}, the last axis of y_pred) or the shape of y_pred "
            f"{_shape(pred)}; got shape {_shape(pw)}"
        )
    _check_finite(pw, "pos_weight")
    _check_nonnegative(pw, "pos_weight")
    return pw


@_no_autograph
def binary_cross_entropy(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    from_logits: bool = False,
    pos_weight: TensorLike | None = None,
    label_smoothing: float = 0.0,
    sample_weight: TensorLike | None = None,
    reduction: str = "mean",
) -> tf.Tensor:
    r"""Binary cross-entropy: the NLL of ``tfd.Bernoulli``.

    For a target :math:`y \in \{0, 1\}` and :math:`p = \sigma(z)` (``z`` the logit),

    .. math::

        \ell = -\log \mathrm{Bernoulli}(y \mid p) = -y \log p - (1 - y) \log(1 - p)

    ``l = -tfd.Bernoulli(logits=z).log_prob(y)``. TFP evaluates ``log p = -softplus(-z)`` and
    ``log(1 - p) = -softplus(z)``: finite and accurate for logits of any magnitude, ±1e4
    included.

    A soft target :math:`q \in [0, 1]` -- a soft label, or label smoothing
    :math:`q = y(1 - \varepsilon) + \varepsilon/2` -- is not an outcome; the loss is then the
    expected NLL over the two outcomes, :math:`-q \log p(1) - (1 - q) \log p(0)`, which is
    what TFP's Bernoulli log-pmf (written ``(1 - y) log(1 - p) + y log p``, linear in ``y``)
    returns for such a ``y``. ``pos_weight`` :math:`w_+` weighs the likelihood of the positive
    outcome (PyTorch's ``BCEWithLogitsLoss(pos_weight=)``):
    :math:`\ell = -w_+ q \log p(1) - (1 - q) \log p(0)`, written with ``dist.log_prob(1)`` and
    ``dist.log_prob(0)``. No constant is dropped: the Bernoulli pmf has none.

    Probabilities (``from_logits=False``) are clipped to ``[eps, 1 - eps]``,
    ``eps = np.finfo(dtype).eps``: one element's loss is capped at ``-log(eps)`` (15.94 in
    float32, 36.04 in float64) and its gradient is 0 beyond the clip. Prefer logits.

    Derived in Chapter 4.

    Args:
        y_true: targets in [0, 1] (0/1 labels, booleans or soft labels), same shape as
            ``y_pred``.
        y_pred: logits (``from_logits=True``) or probabilities of the positive class.
        from_logits: whether ``y_pred`` holds logits.
        pos_weight: :math:`w_+ \ge 0`: a scalar, one weight per label (the last axis of
            ``y_pred``) or the shape of ``y_pred``. Not part of the mean's denominator.
        label_smoothing: :math:`\varepsilon \in [0, 1]`.
        sample_weight: a scalar or one weight >= 0 per element (the shape of ``y_pred``).
        reduction: ``"mean"`` (:math:`\sum_i s_i \ell_i / \sum_i s_i`, or divided by the
            number of elements), ``"sum"`` (:math:`\sum_i s_i \ell_i`) or ``"none"``
            (:math:`s_i \ell_i`).

    Returns:
        A ``tf.Tensor`` in the prediction's float dtype: a scalar, or ``y_pred``'s shape for
        ``reduction="none"``.

    Raises:
        ValueError: shapes that differ, empty input, a bad option or weight shape; in eager
            mode also NaN/inf, targets or probabilities outside [0, 1], negative weights.
        TypeError: non-numeric input, a non-bool ``from_logits``.

    Examples:
        >>> import numpy as np
        >>> y = np.array([1.0, 0.0, 1.0], dtype=np.float32)
        >>> z = np.array([2.0, -1.0, 0.0], dtype=np.float32)
        >>> loss = binary_cross_entropy(y, z, from_logits=True)
        >>> loss.dtype.name, f"{float(loss):.6f}"
        ('float32', '0.377779')
        >>> float(binary_cross_entropy([1.0], [0.0]))  # clipped: -log(eps) in float64
        36.04365338911715
    """
    reduction = _v.check_reduction(reduction)
    from_logits = _v.check_bool(from_logits, "from_logits")
    eps_ls = _smoothing(label_smoothing)
    pred = _prediction(y_pred)
    y = _target(y_true, "y_true", pred.dtype)
    _check_same_shape(y, pred, "y_true", "y_pred")
    _check_finite_in_range(y, "y_true", what="labels (0/1 or soft labels)")
    if from_logits:
        _check_finite(pred, "y_pred")
        dist = tfd.Bernoulli(logits=pred, dtype=pred.dtype)
    else:
        _check_finite_in_range(pred, "y_pred", what="probabilities", when="when from_logits=False")
        dist = tfd.Bernoulli(probs=_clip_probabilities(pred), dtype=pred.dtype)
    pw = _pos_weight(pos_weight, pred)
    weights = _weights(sample_weight, pred)

    if eps_ls:
        y = y * (1.0 - eps_ls) + eps_ls / 2.0  # smoothed target y(1 - eps) + eps / 2
    if pw is None:
        nll = -dist.log_prob(y)
    else:
        one = tf.ones([], pred.dtype)
        # Expected NLL over the two outcomes, the positive one's weighted by pos_weight.
        nll = -(pw * y * dist.log_prob(one) + (1.0 - y) * dist.log_prob(0.0 * one))
    return _reduce(nll, weights, reduction)


# ---------------------------------------------------------------------------------------------
# Categorical
# ---------------------------------------------------------------------------------------------


def _classes_last(pred: tf.Tensor, axis: int) -> tuple[tf.Tensor, int]:
    """``pred`` with its class axis moved last, and the normalised axis."""
    if pred.shape.rank == 0:
        raise ValueError(
            "y_pred must have a class axis (at least 1 dimension); got a scalar "
            f"{_v._describe(_np(pred)) if _eager() else 'tensor'}"
        )
    ax = _v.check_axis(axis, pred.shape.rank)
    return _move_last(pred, ax), ax


def _move_last(t: tf.Tensor, ax: int) -> tf.Tensor:
    rank = t.shape.rank
    if ax == rank - 1:
        return t
    return tf.transpose(t, [i for i in range(rank) if i != ax] + [ax])


def _class_weight(class_weight: TensorLike | None, num_classes: int, dtype: tf.DType):
    if class_weight is None:
        return None
    w = _target(class_weight, "class_weight", dtype)
    if w.shape.rank != 1 or w.shape[0] != num_classes:
        raise ValueError(
            f"class_weight must have one weight per class, shape ({num_classes},); "
            f"got shape {_shape(w)}"
        )
    _check_finite(w, "class_weight")
    _check_nonnegative(w, "class_weight")
    return w


def _logits(z: tf.Tensor, from_logits: bool) -> tuple[tf.Tensor, tf.Tensor | None]:
    """Logits for ``tfd.(OneHot)Categorical``, and ``log sum_k p_k`` for probability inputs.

    ``tfd.Categorical(probs=p)`` is ``Categorical(logits=log p)``, which divides by
    ``sum_k p_k``; the second value lets the caller undo that and use ``p`` as given.
    """
    if from_logits:
        return z, None
    log_p = tf.math.log(_clip_probabilities(z))
    return log_p, tf.math.reduce_logsumexp(log_p, axis=-1)


def _expected_nll(logits: tf.Tensor, q: tf.Tensor) -> tf.Tensor:
    r"""``-sum_k q_k log p_k`` from ``OneHotCategorical(logits).log_prob``, for any ``q >= 0``.

    The one-hot log-pmf is linear in the event, but its gradient (TF's fused
    ``softmax - event``) is exact only for events that sum to one; so the target is normalised
    and its mass ``m = sum_k q_k`` multiplied back: ``-sum_k q_k log p_k = m * H(q / m, p)``.
    """
    mass = tf.reduce_sum(q, axis=-1)
    safe_mass = tf.where(mass > 0, mass, tf.ones_like(mass))
    dist = tfd.OneHotCategorical(logits=logits, dtype=logits.dtype)
    return -dist.log_prob(q / safe_mass[..., None]) * mass


@_no_autograph
def categorical_cross_entropy(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    from_logits: bool = False,
    class_weight: TensorLike | None = None,
    label_smoothing: float = 0.0,
    sample_weight: TensorLike | None = None,
    axis: int = -1,
    reduction: str = "mean",
) -> tf.Tensor:
    r"""Cross-entropy with one-hot (or soft) targets: the NLL of ``tfd.OneHotCategorical``.

    For a one-hot target :math:`y`, logits :math:`f` and :math:`p = \mathrm{softmax}(f)`,

    .. math::

        \ell = -\log \mathrm{OneHotCategorical}(y \mid p) = -\sum_k y_k \log p_k
             = \operatorname{logsumexp}(f) - \sum_k y_k f_k

    ``l = -tfd.OneHotCategorical(logits=f).log_prob(y)``. A soft target :math:`q` (a
    probability vector, or label smoothing :math:`q = y(1 - \varepsilon) + \varepsilon / C`)
    gives the expected NLL :math:`-\sum_k q_k \log p_k`, and class weights :math:`w_k` give
    :math:`-\sum_k w_k q_k \log p_k` (PyTorch's convention: the smoothing mass is weighted
    too), both evaluated with the one-hot log-pmf as the module docstring explains.

    Probabilities (``from_logits=False``) are clipped to ``[eps, 1 - eps]`` and used as given
    (rows that do not sum to 1 warn and are not renormalised).

    Derived in Chapter 5.

    Args:
        y_true: targets in [0, 1], one-hot or a probability vector per example, same shape as
            ``y_pred``. Rows that do not sum to 1 warn.
        y_pred: logits (``from_logits=True``) or probabilities, classes along ``axis``.
        from_logits: whether ``y_pred`` holds logits.
        class_weight: one weight >= 0 per class, shape ``(C,)``.
        label_smoothing: :math:`\varepsilon \in [0, 1]`.
        sample_weight: a scalar or one weight >= 0 per example (``y_pred``'s shape without
            ``axis``).
        axis: the class axis (``axis=1`` takes PyTorch's ``(N, C, d1, ...)`` layout).
        reduction: ``"mean"`` divides :math:`\sum_i s_i \ell_i` by
            :math:`\sum_i s_i \sum_k w_k y_{ik}` (the class weight of the *unsmoothed* target;
            the number of examples without class weights); ``"sum"``; ``"none"``
            (:math:`s_i \ell_i`, one per example).

    Returns:
        A ``tf.Tensor``: a scalar, or ``y_pred``'s shape without ``axis`` for
        ``reduction="none"``.

    Raises:
        ValueError: shapes that differ, empty input, a bad option, ``axis`` or weight shape;
            in eager mode also NaN/inf, values outside [0, 1], negative weights.
        TypeError: non-numeric input, a non-bool ``from_logits``, a non-integer ``axis``.

    Examples:
        >>> import numpy as np
        >>> y = np.array([[0.0, 1.0, 0.0]])
        >>> f = np.array([[1.0, 2.0, 0.5]])
        >>> print(f"{float(categorical_cross_entropy(y, f, from_logits=True)):.6f}")
        0.464369
        >>> p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
        >>> y = np.array([[1, 0, 0], [0, 0, 1]])
        >>> print(f"{float(categorical_cross_entropy(y, p)):.6f}")  # -(log 0.7 + log 0.8) / 2
        0.289909
    """
    reduction = _v.check_reduction(reduction)
    from_logits = _v.check_bool(from_logits, "from_logits")
    eps_ls = _smoothing(label_smoothing)
    pred = _prediction(y_pred)
    y = _target(y_true, "y_true", pred.dtype)
    _check_same_shape(y, pred, "y_true", "y_pred")
    z, ax = _classes_last(pred, axis)
    y = _move_last(y, ax)
    num_classes = z.shape[-1]
    _check_finite_in_range(y, "y_true", what="class probabilities (one-hot or soft)")
    _warn_if_not_normalized(y, "y_true")
    if from_logits:
        _check_finite(z, "y_pred")
    else:
        _check_finite_in_range(z, "y_pred", what="probabilities", when="when from_logits=False")
        _warn_if_not_normalized(z, "y_pred")
    cw = _class_weight(class_weight, num_classes, pred.dtype)
    weights = _weights(sample_weight, z[..., 0])

    # The class weight of each target, sum_k w_k y_k, with the unsmoothed targets.
    denominator = None if cw is None else tf.reduce_sum(y * cw, axis=-1)
    if eps_ls:
        y = y * (1.0 - eps_ls) + eps_ls / num_classes  # smoothed y(1 - eps) + eps / C
    wy = y if cw is None else y * cw
    logits, log_total = _logits(z, from_logits)
    nll = _expected_nll(logits, wy)
    if log_total is not None:
        nll = nll - tf.reduce_sum(wy, axis=-1) * log_total  # use p as given (see _logits)
    return _reduce(nll, weights, reduction, denominator)


def _labels(
    y_true: TensorLike, shape: tf.TensorShape, num_classes: int, ignore_index: int | None
) -> tf.Tensor:
    labels = _tensor(y_true, "y_true")
    if labels.shape.rank is not None and not (
        labels.shape.rank == shape.rank and labels.shape.is_compatible_with(shape)
    ):
        hint = ""
        if labels.shape.rank == shape.rank + 1 and labels.shape[-1] == 1:
            hint = " (a trailing axis of length 1: pass y_true.reshape(-1) or squeeze it)"
        raise ValueError(
            "y_true must hold one class index per example, the shape of y_pred without its "
            f"class axis {_shape(shape)}; got shape {_shape(labels)}{hint}"
        )
    if _eager():
        _v.check_class_labels(_np(labels), "y_true", num_classes, ignore_index=ignore_index)
    return tf.cast(labels, tf.int64)


@_no_autograph
def sparse_categorical_cross_entropy(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    from_logits: bool = False,
    class_weight: TensorLike | None = None,
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    sample_weight: TensorLike | None = None,
    axis: int = -1,
    reduction: str = "mean",
) -> tf.Tensor:
    r"""Cross-entropy with integer class labels: the NLL of ``tfd.Categorical``.

    For a label :math:`k \in \{0, \dots, C-1\}` and logits :math:`f`,

    .. math::

        \ell = -\log \mathrm{Categorical}(k \mid \mathrm{softmax}(f))
             = \operatorname{logsumexp}(f) - f_k

    ``l = -tfd.Categorical(logits=f).log_prob(k)`` (a log-sum-exp inside TFP, never
    ``log(softmax(f))``). With class weights :math:`w` and label smoothing
    :math:`\varepsilon` it is PyTorch's ``F.cross_entropy``:

    .. math::

        \ell = -(1 - \varepsilon)\, w_k \log p_k - \frac{\varepsilon}{C} \sum_c w_c \log p_c

    the expected NLL under the smoothed target, evaluated as
    ``-OneHotCategorical(logits).log_prob(q)`` (see the module docstring).

    Derived in Chapter 5.

    Args:
        y_true: integer class indices in ``[0, C)`` (whole-number floats accepted), the shape
            of ``y_pred`` without ``axis``; entries equal to ``ignore_index`` are skipped.
        y_pred: logits (``from_logits=True``) or probabilities, classes along ``axis``.
        from_logits: whether ``y_pred`` holds logits.
        class_weight: one weight >= 0 per class, shape ``(C,)``.
        ignore_index: a label value whose entries get loss 0 and leave both numerator and
            denominator of the mean (PyTorch pads with -100).
        label_smoothing: :math:`\varepsilon \in [0, 1]`.
        sample_weight: a scalar or one weight >= 0 per example (the shape of ``y_true``).
        axis: the class axis of ``y_pred``.
        reduction: ``"mean"`` divides :math:`\sum_i s_i \ell_i` by :math:`\sum_i s_i w_{k_i}`
            over the entries not ignored; ``"sum"``; ``"none"`` (``y_true``'s shape, ignored
            entries 0).

    Returns:
        A ``tf.Tensor``: a scalar, or ``y_true``'s shape for ``reduction="none"``.

    Raises:
        ValueError: a ``y_true`` of the wrong shape, empty input, a bad option, ``axis`` or
            weight shape; in eager mode also labels out of range or not whole, NaN/inf,
            probabilities outside [0, 1], negative weights, a mean over nothing.
        TypeError: non-numeric input, a non-integer ``ignore_index`` or ``axis``.

    Examples:
        >>> import numpy as np
        >>> f = np.array([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]], dtype=np.float32)
        >>> loss = sparse_categorical_cross_entropy([1, 2], f, from_logits=True)
        >>> loss.dtype.name, f"{float(loss):.6f}"
        ('float32', '0.286985')
        >>> loss = sparse_categorical_cross_entropy([1, -100], f, from_logits=True,
        ...                                         ignore_index=-100)
        >>> print(f"{float(loss):.6f}")
        0.464369
    """
    reduction = _v.check_reduction(reduction)
    from_logits = _v.check_bool(from_logits, "from_logits")
    eps_ls = _smoothing(label_smoothing)
    if ignore_index is not None:
        ignore_index = _v.check_int(ignore_index, "ignore_index")
    pred = _prediction(y_pred)
    z, _ = _classes_last(pred, axis)
    num_classes = z.shape[-1]
    labels = _labels(y_true, z.shape[:-1], num_classes, ignore_index)
    if from_logits:
        _check_finite(z, "y_pred")
    else:
        _check_finite_in_range(z, "y_pred", what="probabilities", when="when from_logits=False")
        _warn_if_not_normalized(z, "y_pred")
    cw = _class_weight(class_weight, num_classes, pred.dtype)
    weights = _weights(sample_weight, z[..., 0])

    kept = None
    if ignore_index is not None:
        kept = tf.not_equal(labels, ignore_index)
        labels = tf.where(kept, labels, tf.zeros_like(labels))  # any valid class; zeroed below
    logits, log_total = _logits(z, from_logits)
    target_w = None if cw is None else tf.gather(cw, labels)  # class weight of each target
    if eps_ls:
        # Smoothed one-hot target (1 - eps) e_k + eps / C, class-weighted, then its expected NLL.
        q = tf.one_hot(labels, num_classes, dtype=pred.dtype) * (1.0 - eps_ls)
        q = q + eps_ls / num_classes
        wq = q if cw is None else q * cw
        nll = _expected_nll(logits, wq)
        if log_total is not None:
            nll = nll - tf.reduce_sum(wq, axis=-1) * log_total  # use p as given
    else:
        nll = -tfd.Categorical(logits=logits).log_prob(labels)
        if log_total is not None:
            nll = nll - log_total  # use p as given (see _logits)
        if target_w is not None:
            nll = nll * target_w
    denominator = target_w
    if kept is not None:
        kept_f = tf.cast(kept, pred.dtype)
        nll = nll * kept_f
        denominator = _times(denominator, kept_f)
    return _reduce(nll, weights, reduction, denominator)


# ---------------------------------------------------------------------------------------------
# Regression
# ---------------------------------------------------------------------------------------------


def _regression_inputs(
    y_true: TensorLike, y_pred: TensorLike, pred_name: str
) -> tuple[tf.Tensor, tf.Tensor]:
    pred = _prediction(y_pred, pred_name)
    _check_finite(pred, pred_name)
    y = _target(y_true, "y_true", pred.dtype)
    _check_same_shape(y, pred, "y_true", pred_name)
    _check_finite(y, "y_true")
    return y, pred


@_no_autograph
def mean_squared_error(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    sample_weight: TensorLike | None = None,
    reduction: str = "mean",
) -> tf.Tensor:
    r"""Mean squared error: the Gaussian NLL with unit variance, constants removed.

    .. math::

        -\log \mathcal N(y \mid \hat y, 1) = \tfrac12 (y - \hat y)^2 + \tfrac12 \log 2\pi,
        \qquad
        \ell = (y - \hat y)^2
             = 2\,[\log \mathcal N(y \mid y, 1) - \log \mathcal N(y \mid \hat y, 1)]

    ``l = 2 * tfd.kl_divergence(tfd.Normal(y, 1), tfd.Normal(y_hat, 1))``

    The bracket is the NLL minus the smallest NLL any prediction could reach (that of
    :math:`\hat y = y`): the constant :math:`\tfrac12 \log 2\pi` cancels. For two Normals of
    equal scale that log-ratio is also their KL divergence, and TFP's closed-form KL computes
    it without ever adding the constant, so small residuals keep full relative accuracy
    (``-log_prob - 0.5 * log(2 * pi)`` would lose it to cancellation).

    Derived in Chapter 6.

    Args:
        y_true: targets, same shape as ``y_pred``.
        y_pred: predicted means.
        sample_weight: a scalar or one weight >= 0 per element.
        reduction: ``"mean"`` (:math:`\sum_i s_i \ell_i / \sum_i s_i`, or divided by the
            number of elements), ``"sum"`` or ``"none"``.

    Returns:
        A ``tf.Tensor``: a scalar, or one loss per element for ``reduction="none"``.

    Raises:
        ValueError: shapes that differ, empty input, a bad option or weight shape; in eager
            mode also NaN/inf, negative weights.
        TypeError: non-numeric input.

    Examples:
        >>> print(f"{float(mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])):.6f}")  # 4/3
        1.333333
    """
    reduction = _v.check_reduction(reduction)
    y, pred = _regression_inputs(y_true, y_pred, "y_pred")
    weights = _weights(sample_weight, pred)
    one = tf.ones([], pred.dtype)
    nll = 2.0 * tfd.kl_divergence(tfd.Normal(y, one), tfd.Normal(pred, one))
    return _reduce(nll, weights, reduction)


@_no_autograph
def mean_absolute_error(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    sample_weight: TensorLike | None = None,
    reduction: str = "mean",
) -> tf.Tensor:
    r"""Mean absolute error: the Laplace NLL with unit scale, its constant removed.

    .. math::

        \ell = |y - \hat y| = -\log \mathrm{Laplace}(y \mid \hat y, 1) - \log 2

    ``l = -tfd.Laplace(y_hat, 1).log_prob(y) - log(2)``

    Subtracting :math:`\log 2` costs an absolute error of about one ulp of :math:`\log 2`
    (6e-8 in float32) per element, which matters only for residuals that small; the gradient
    :math:`-\mathrm{sign}(y - \hat y)` is exact. The minimiser over a constant prediction is
    the median.

    Derived in Chapter 6.

    Args:
        y_true: targets, same shape as ``y_pred``.
        y_pred: predicted locations (medians).
        sample_weight: a scalar or one weight >= 0 per element.
        reduction: ``"mean"`` (:math:`\sum_i s_i \ell_i / \sum_i s_i`, or divided by the
            number of elements), ``"sum"`` or ``"none"``.

    Returns:
        A ``tf.Tensor``: a scalar, or one loss per element for ``reduction="none"``.

    Raises:
        ValueError: shapes that differ, empty input, a bad option or weight shape; in eager
            mode also NaN/inf, negative weights.
        TypeError: non-numeric input.

    Examples:
        >>> print(f"{float(mean_absolute_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])):.6f}")  # 2/3
        0.666667
    """
    reduction = _v.check_reduction(reduction)
    y, pred = _regression_inputs(y_true, y_pred, "y_pred")
    weights = _weights(sample_weight, pred)
    one = tf.ones([], pred.dtype)
    nll = -tfd.Laplace(pred, one).log_prob(y) - _LOG_2
    return _reduce(nll, weights, reduction)


@_no_autograph
def gaussian_nll(
    y_true: TensorLike,
    mean: TensorLike,
    *,
    variance: TensorLike | None = None,
    std: TensorLike | None = None,
    log_variance: TensorLike | None = None,
    full: bool = True,
    eps: float = 1e-6,
    sample_weight: TensorLike | None = None,
    reduction: str = "mean",
) -> tf.Tensor:
    r"""Gaussian negative log-likelihood: the NLL of ``tfd.Normal``.

    .. math::

        \ell = -\log \mathcal N(y \mid \mu, \sigma^2)
             = \tfrac12 \log \sigma^2 + \frac{(y - \mu)^2}{2\sigma^2} + \tfrac12 \log 2\pi

    ``l = -tfd.Normal(mu, sqrt(max(var, eps))).log_prob(y)``

    Give at most one of ``variance``, ``std`` (``var = std**2``) and ``log_variance``
    (``var = exp(log_variance)``, used as ``scale = exp(log_variance / 2)`` so that it never
    overflows); none gives unit variance. Whichever is given, the variance is clamped below at
    ``eps`` like PyTorch's ``GaussianNLLLoss`` (the gradient through the clamp is 0).
    ``full=True`` is the true NLL; ``full=False`` drops :math:`\tfrac12 \log 2\pi`
    (PyTorch's default).

    Derived in Chapter 6.

    Args:
        y_true: targets, same shape as ``mean``.
        mean: predicted means.
        variance: :math:`\sigma^2 \ge 0`, a scalar or ``mean``'s shape.
        std: :math:`\sigma \ge 0`, a scalar or ``mean``'s shape.
        log_variance: :math:`\log \sigma^2`, a scalar or ``mean``'s shape.
        full: include the constant :math:`\tfrac12 \log 2\pi`.
        eps: the variance floor, > 0.
        sample_weight: a scalar or one weight >= 0 per element.
        reduction: ``"mean"`` (:math:`\sum_i s_i \ell_i / \sum_i s_i`, or divided by the
            number of elements), ``"sum"`` or ``"none"``.

    Returns:
        A ``tf.Tensor``: a scalar, or one loss per element for ``reduction="none"``.

    Raises:
        ValueError: more than one of ``variance``/``std``/``log_variance``, shapes that
            differ, empty input, ``eps <= 0``, a bad option or parameter shape; in eager mode
            also a negative variance or std, NaN/inf, negative weights.
        TypeError: non-numeric input, a non-bool ``full``, a non-real ``eps``.

    Examples:
        >>> print(f"{float(gaussian_nll([0.0], [0.0])):.6f}")  # 0.5 * log(2 * pi)
        0.918939
        >>> print(f"{float(gaussian_nll([1.0, 3.0], [0.0, 0.0], std=2.0, full=False)):.6f}")
        1.318147
    """
    reduction = _v.check_reduction(reduction)
    y, mu = _regression_inputs(y_true, mean, "mean")
    full = _v.check_bool(full, "full")
    eps = _v.check_scalar(eps, "eps", low=0.0, low_open=True)
    given = {
        n: val
        for n, val in (("variance", variance), ("std", std), ("log_variance", log_variance))
        if val is not None
    }
    if len(given) > 1:
        shown = ", ".join(
            f"{n}={_v._describe(val) if not tf.is_tensor(val) else 'a tensor'}"
            for n, val in given.items()
        )
        raise ValueError(
            f"gaussian_nll takes at most one of variance, std, log_variance; got {shown}"
        )
    weights = _weights(sample_weight, mu)
    if log_variance is not None:
        log_var = _param(log_variance, "log_variance", mu, "mean")
        # var >= eps  <=>  log var >= log eps; exp(log var / 2) cannot overflow first
        scale = tf.exp(0.5 * tf.maximum(log_var, math.log(eps)))
    else:
        if variance is not None:
            var = _param(variance, "variance", mu, "mean")
            _check_nonnegative(var, "variance")
        elif std is not None:
            sd = _param(std, "std", mu, "mean")
            _check_nonnegative(sd, "std")
            var = tf.square(sd)
        else:
            var = tf.ones([], mu.dtype)
        scale = tf.sqrt(tf.maximum(var, eps))  # PyTorch's clamp of the variance
    nll = -tfd.Normal(mu, scale).log_prob(y)
    if not full:
        nll = nll - _HALF_LOG_2PI
    return _reduce(nll, weights, reduction)


@_no_autograph
def poisson_nll(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    log_input: bool = True,
    full: bool = True,
    sample_weight: TensorLike | None = None,
    reduction: str = "mean",
) -> tf.Tensor:
    r"""Poisson negative log-likelihood of counts: the NLL of ``tfd.Poisson``.

    For a count :math:`y` and rate :math:`\lambda = e^{\eta}`,

    .. math::

        \ell = -\log \mathrm{Poisson}(y \mid \lambda) = \lambda - y \log \lambda + \log y!

    ``l = -tfd.Poisson(log_rate=eta).log_prob(y)``, with TFP's exact
    :math:`\log y! = \mathrm{lgamma}(y + 1)` (``full=True``); ``full=False`` drops it (it
    does not depend on :math:`\lambda`). Keras's ``Poisson`` loss is the ``full=False`` one
    from rates, with 1e-7 added inside the logarithm.

    Rates of 0 (``log_input=False``): as in the reference, the rate inside the logarithm is
    clamped below at ``eps = np.finfo(dtype).eps`` -- the distribution is
    ``Poisson(log_rate=log(max(rate, eps)))`` and the term :math:`\lambda` is restored
    exactly -- so ``y = 0`` with rate 0 gives the loss 0 and ``y > 0`` a finite one.

    Derived in Chapter 3 (the NLL) and Chapter 8 (the Poisson head).

    Args:
        y_true: counts (whole numbers >= 0), same shape as ``y_pred``.
        y_pred: log-rates (``log_input=True``) or rates >= 0.
        log_input: whether ``y_pred`` holds :math:`\log \lambda`.
        full: include :math:`\log y!`.
        sample_weight: a scalar or one weight >= 0 per element.
        reduction: ``"mean"`` (:math:`\sum_i s_i \ell_i / \sum_i s_i`, or divided by the
            number of elements), ``"sum"`` or ``"none"``.

    Returns:
        A ``tf.Tensor``: a scalar, or one loss per element for ``reduction="none"``.

    Raises:
        ValueError: shapes that differ, empty input, a bad option or weight shape; in eager
            mode also negative or fractional counts, negative rates, NaN/inf.
        TypeError: non-numeric input, a non-bool ``log_input`` or ``full``.

    Examples:
        >>> import numpy as np
        >>> print(f"{float(poisson_nll([2], [np.log(3.0)])):.6f}")  # 3 - 2 log 3 + log 2
        1.495923
    """
    reduction = _v.check_reduction(reduction)
    log_input = _v.check_bool(log_input, "log_input")
    full = _v.check_bool(full, "full")
    y, pred = _regression_inputs(y_true, y_pred, "y_pred")
    if _eager():
        counts = _np(y)
        _v.check_positive(counts, "y_true", strict=False)
        _v.check_integer_valued(counts, "y_true")
    weights = _weights(sample_weight, pred)
    if log_input:
        nll = -tfd.Poisson(log_rate=pred).log_prob(y)
    else:
        _check_nonnegative(pred, "y_pred")
        eps = float(np.finfo(pred.dtype.as_numpy_dtype).eps)
        dist = tfd.Poisson(log_rate=tf.math.log(tf.maximum(pred, eps)))
        # -log_prob = exp(log_rate) - y log_rate + log y!: swap its rate term for the rate given
        nll = -dist.log_prob(y) + (pred - tf.exp(dist.log_rate))
    if not full:
        nll = nll - tf.math.lgamma(y + 1.0)
    return _reduce(nll, weights, reduction)


@_no_autograph
def laplace_nll(
    y_true: TensorLike,
    loc: TensorLike,
    *,
    scale: TensorLike = 1.0,
    full: bool = True,
    sample_weight: TensorLike | None = None,
    reduction: str = "mean",
) -> tf.Tensor:
    r"""Laplace negative log-likelihood: the NLL of ``tfd.Laplace``.

    .. math::

        \ell = -\log \mathrm{Laplace}(y \mid \mu, b) = \frac{|y - \mu|}{b} + \log b + \log 2

    ``l = -tfd.Laplace(mu, b).log_prob(y)``; ``full=False`` drops the constant
    :math:`\log 2` (with ``scale=1`` it is then the absolute error).

    Derived in Chapter 6.

    Args:
        y_true: targets, same shape as ``loc``.
        loc: predicted locations (medians).
        scale: :math:`b > 0`, a scalar or ``loc``'s shape.
        full: include the constant :math:`\log 2`.
        sample_weight: a scalar or one weight >= 0 per element.
        reduction: ``"mean"`` (:math:`\sum_i s_i \ell_i / \sum_i s_i`, or divided by the
            number of elements), ``"sum"`` or ``"none"``.

    Returns:
        A ``tf.Tensor``: a scalar, or one loss per element for ``reduction="none"``.

    Raises:
        ValueError: shapes that differ, empty input, a bad option or parameter shape; in
            eager mode also ``scale <= 0``, NaN/inf, negative weights.
        TypeError: non-numeric input, a non-bool ``full``.

    Examples:
        >>> print(f"{float(laplace_nll([1.0, 3.0], [0.0, 0.0], scale=2.0)):.6f}")  # 1 + log 4
        2.386294
    """
    reduction = _v.check_reduction(reduction)
    y, mu = _regression_inputs(y_true, loc, "loc")
    full = _v.check_bool(full, "full")
    b = _param(scale, "scale", mu, "loc")
    _check_nonnegative(b, "scale", strict=True)
    weights = _weights(sample_weight, mu)
    nll = -tfd.Laplace(mu, b).log_prob(y)
    if not full:
        nll = nll - _LOG_2
    return _reduce(nll, weights, reduction)
