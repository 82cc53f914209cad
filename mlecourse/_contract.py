"""The loss contract: typed argument records, their normalisers, and the one reduction.

Imported by the loss modules (:mod:`mlecourse.losses`, :mod:`mlecourse.tfp.losses`), the
gradients (:mod:`mlecourse.gradients`), scoring (:mod:`mlecourse.scoring`) and the heads
(:mod:`mlecourse.tfp.heads`), always as ``from mlecourse import _contract as contract``.

* **Records** -- one small frozen record per family of losses (:class:`BinaryArgs`,
  :class:`CategoricalArgs`, ...), every field required and typed, generic in the array type
  (an ndarray, or a ``tf.Tensor`` in the TFP twin).
* **Normalisers** (``binary_args``, ``categorical_args``, ...) -- one per record. They
  *validate and convert only*: every check and every message, in one fixed order, and the
  conversion to the prediction's dtype. They do no modelling: label smoothing, clamps,
  masks and class-weight denominators are written in the loss bodies, where the book
  derives them. They reach arrays through a :class:`~mlecourse._backend.Backend`, whose
  value checks run in eager mode only in the TFP twin (like TFP's ``validate_args``).
* **The reduction** (:func:`reduce`, :func:`reduce_gradient`) -- the only place that checks
  ``reduction``, and the one denominator of the mean (:func:`mean_denominator`).
* **The registry** (:data:`LOSS_NAMES`) -- the public names of the contract, the same in
  both twins and in the gradients.

Conventions (decided once, here):

* **dtype** -- the *prediction* argument (probabilities, logits, means, rates) decides the
  floating dtype of the result: float32 stays float32, float64 stays float64, and integer
  or boolean predictions become float64. Targets (integers, booleans, floats) are cast to
  that dtype. This is "float32 in -> float32 out" without letting an integer label array
  promote a float32 computation to float64.
* **shapes** -- never broadcast targets against predictions: ``(N, 1)`` against ``(N,)``
  would silently become ``(N, N)``. Shapes must match exactly (class axes excepted).
  Weights and distribution parameters are scalars or exactly the shape they apply to.
* **values** -- NaN and infinity are rejected in inputs; recoverable oddities warn.
* **reduction** -- ``"none"``: ``ωᵢ·𝓛ᵢ``; ``"sum"``: ``Σ ωᵢ·𝓛ᵢ``; ``"mean"``:
  ``Σ ωᵢ·𝓛ᵢ / Σ ωᵢ·c_{yᵢ}`` with ``ωᵢ`` the sample weight (0 for an entry equal to
  ``ignore_index``) and ``c_{yᵢ}`` the class weight of the target (1 without class weights); with
  neither, the number of losses. A mean whose weights sum to 0 is an error, not NaN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

import numpy as np

from mlecourse._backend import NUMPY, Backend, numpy_dtype
from mlecourse._checks import (
    Shape,
    check_axis,
    check_bool,
    check_class_labels,
    check_finite,
    check_finite_in_range,
    check_int,
    check_integer_valued,
    check_positive,
    check_scalar,
    check_shapes_equal,
    shapes_compatible,
    warn_if_not_normalized,
)

A = TypeVar("A")

#: The ``reduction`` argument of every loss and gradient.
Reduction = Literal["mean", "sum", "none"]
REDUCTIONS: tuple[Reduction, ...] = ("mean", "sum", "none")

#: The public names of the loss contract, the same in both twins and in the gradients.
LOSS_NAMES = (
    "binary_cross_entropy",
    "binary_focal_loss",
    "categorical_cross_entropy",
    "gamma_nll",
    "gaussian_nll",
    "huber_loss",
    "laplace_nll",
    "lognormal_nll",
    "mean_absolute_error",
    "mean_squared_error",
    "negative_binomial_nll",
    "pinball_loss",
    "poisson_nll",
    "sparse_categorical_cross_entropy",
    "student_t_nll",
)

SpreadName = Literal["variance", "std", "log_variance"]


# ------------------------------------------------------------------------ records


@dataclass(frozen=True)
class RegressionArgs(Generic[A]):
    """A regression loss (MSE, MAE): targets and prediction of one shape, weights."""

    y: A
    pred: A
    weights: A | None


@dataclass(frozen=True)
class BinaryArgs(Generic[A]):
    """``binary_cross_entropy``: targets in [0, 1] (unsmoothed), logits or probabilities."""

    y: A
    pred: A
    weights: A | None
    from_logits: bool
    pos_weight: A | None
    smoothing: float


@dataclass(frozen=True)
class FocalArgs(Generic[A]):
    """``binary_focal_loss``: the binary arguments with ``γ`` and the class balance ``β``."""

    y: A
    pred: A
    weights: A | None
    from_logits: bool
    gamma: float
    alpha: float | None


@dataclass(frozen=True)
class CategoricalArgs(Generic[A]):
    """``categorical_cross_entropy``: class axis last, targets unsmoothed."""

    y: A
    pred: A
    weights: A | None
    from_logits: bool
    class_weight: A | None
    smoothing: float
    axis: int  # the class axis as given (normalised), for the gradients


@dataclass(frozen=True)
class SparseArgs(Generic[A]):
    """``sparse_categorical_cross_entropy``: int64 labels (``ignore_index`` entries kept)."""

    labels: A
    pred: A
    weights: A | None
    from_logits: bool
    class_weight: A | None
    ignore_index: int | None
    smoothing: float
    axis: int


@dataclass(frozen=True)
class GaussianArgs(Generic[A]):
    """``gaussian_nll``: the spread argument given (by name), or ``None`` for unit variance."""

    y: A
    mean: A
    weights: A | None
    spread_name: SpreadName | None
    spread: A | None
    full: bool
    floor: float  # the variance floor eps, > 0 and normal in the prediction's dtype


@dataclass(frozen=True)
class PoissonArgs(Generic[A]):
    """``poisson_nll``: whole counts ``>= 0``; log-rates, or rates ``>= 0``."""

    y: A
    pred: A
    weights: A | None
    log_input: bool
    full: bool


@dataclass(frozen=True)
class LaplaceArgs(Generic[A]):
    """``laplace_nll``: the scale ``b > 0``."""

    y: A
    loc: A
    weights: A | None
    scale: A
    full: bool


@dataclass(frozen=True)
class StudentTArgs(Generic[A]):
    """``student_t_nll``: degrees of freedom ``ν > 0`` and scale ``σ > 0``."""

    y: A
    loc: A
    weights: A | None
    df: A
    scale: A


@dataclass(frozen=True)
class NegativeBinomialArgs(Generic[A]):
    """``negative_binomial_nll``: whole counts; ``mean`` and ``total_count`` ``> 0``."""

    y: A
    mean: A
    weights: A | None
    total_count: A


@dataclass(frozen=True)
class GammaArgs(Generic[A]):
    """``gamma_nll``: ``y > 0``; ``mean`` and ``concentration`` ``> 0``."""

    y: A
    mean: A
    weights: A | None
    concentration: A


@dataclass(frozen=True)
class LogNormalArgs(Generic[A]):
    """``lognormal_nll``: ``y > 0``; ``scale > 0`` (of ``log y``)."""

    y: A
    loc: A
    weights: A | None
    scale: A


@dataclass(frozen=True)
class HuberArgs(Generic[A]):
    """``huber_loss``: a regression loss with a threshold ``δ > 0``."""

    y: A
    pred: A
    weights: A | None
    delta: float


@dataclass(frozen=True)
class PinballArgs(Generic[A]):
    """``pinball_loss``: a regression loss with a quantile ``τ`` in ``(0, 1)``."""

    y: A
    pred: A
    weights: A | None
    quantile: float


# ------------------------------------------------------------------------ shape checks


def check_weight_shape(shape: Shape, losses_shape: Shape, name: str = "sample_weight") -> None:
    """A weight is a scalar or exactly the shape of the per-element losses."""
    if shape and not shapes_compatible(shape, losses_shape):
        raise ValueError(
            f"{name} must be a scalar or have the shape of the per-element losses "
            f"{losses_shape}; got {shape}"
        )


def check_param_shape(shape: Shape, name: str, like_shape: Shape, like: str) -> None:
    """A distribution parameter is a scalar or exactly ``like``'s shape (no broadcasting)."""
    if shape and not shapes_compatible(shape, like_shape):
        raise ValueError(
            f"{name} must be a scalar or have the shape of {like} {like_shape}; got shape {shape}"
        )


def check_pos_weight_shape(shape: Shape, pred_shape: Shape) -> None:
    """``pos_weight``: a scalar, one weight per label (the last axis) or ``y_pred``'s shape."""
    per_label = pred_shape[-1:]
    if shape and not (shapes_compatible(shape, per_label) or shapes_compatible(shape, pred_shape)):
        raise ValueError(
            "pos_weight must be a scalar, one weight per label (shape "
            f"{per_label}, the last axis of y_pred) or the shape of y_pred {pred_shape}; "
            f"got shape {shape}"
        )


def check_class_weight_shape(shape: Shape, num_classes: int) -> None:
    """``class_weight``: one weight per class, shape ``(K,)``."""
    if not shapes_compatible(shape, (num_classes,)):
        raise ValueError(
            f"class_weight must have one weight per class, shape ({num_classes},); "
            f"got shape {shape}"
        )


def check_label_shape(shape: Shape, expected: Shape) -> None:
    """Sparse labels: one class index per example, the prediction's shape without classes."""
    if shapes_compatible(shape, expected):
        return
    hint = ""
    if len(shape) == len(expected) + 1 and shape[-1] == 1:
        hint = " (a trailing axis of length 1: pass y_true.reshape(-1) or squeeze it)"
    raise ValueError(
        "y_true must hold one class index per example, the shape of y_pred without its "
        f"class axis {expected}; got shape {shape}{hint}"
    )


def check_class_axis(shape: Shape, axis: object, received: str) -> int:
    """The class axis of a prediction of ``shape``, normalised to ``[0, ndim)``."""
    if not shape:
        raise ValueError(
            f"y_pred must have a class axis (at least 1 dimension); got a scalar {received}"
        )
    return check_axis(axis, len(shape))


def check_batch_shape(shape: Shape, batch: Shape, owner: str) -> None:
    """Targets of a distribution head have exactly its batch shape: no (N, 1) vs (N,)."""
    if shapes_compatible(shape, batch):
        return
    hint = ""
    if len(shape) == len(batch) + 1 and shape[-1] == 1:
        square = (*batch[:-1], batch[-1], batch[-1])
        hint = (
            f"; log_prob would broadcast them to an {square} matrix of every target against "
            "every prediction. Pass y_true with the batch shape (e.g. y.reshape(-1))"
        )
    raise ValueError(
        f"y_true must have the batch shape of the {owner}'s distribution {batch} "
        f"(raw_params without its last axis); got shape {shape}{hint}"
    )


def check_one_spread(given: dict[str, str]) -> None:
    """``gaussian_nll`` takes at most one of variance, std, log_variance (described values)."""
    if len(given) > 1:
        shown = ", ".join(f"{name}={text}" for name, text in given.items())
        raise ValueError(
            f"gaussian_nll takes at most one of variance, std, log_variance; got {shown}"
        )


def check_variance_floor(eps: object, dtype: np.dtype) -> float:
    """Require ``eps > 0`` that ``dtype`` holds as a normal number (``>= np.finfo(dtype).tiny``).

    A smaller ``eps`` is subnormal or rounds to 0 in ``dtype``, and then ``1 / eps`` overflows
    or ``log(eps)`` is ``-inf``: the clamped variance would turn the loss into NaN.
    """
    floor = check_scalar(eps, "eps", low=0.0, low_open=True)
    info = np.finfo(dtype)
    if floor < info.tiny:
        raise ValueError(
            f"eps must be at least the smallest normal {info.dtype.name} number, {info.tiny:.6g} "
            f"(a smaller variance floor is subnormal or 0 in {info.dtype.name}, so 1 / eps "
            f"overflows); got {floor!r}"
        )
    return floor


def check_reduction(reduction: object) -> Reduction:
    """Return ``reduction`` if it is one of 'mean', 'sum', 'none' (called by the reducers only)."""
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}; got {reduction!r}")
    return reduction


# ------------------------------------------------------------------------ value checks


def _value_check(
    be: Backend[A], x: A, check: Callable[..., object], *args: object, **kw: object
) -> None:
    """Run a value check on ``x``'s values when they are known (always in NumPy)."""
    values = be.values(x)
    if values is not None:
        check(values, *args, **kw)


def _finite(be: Backend[A], x: A, name: str) -> None:
    _value_check(be, x, check_finite, name)


def _nonnegative(be: Backend[A], x: A, name: str, *, strict: bool = False, why: str = "") -> None:
    _value_check(be, x, check_positive, name, strict=strict, why=why)


def _probabilities(be: Backend[A], x: A, from_logits: bool) -> None:
    """Logits must be finite; probabilities finite and in [0, 1]."""
    if from_logits:
        _finite(be, x, "y_pred")
    else:
        _value_check(
            be, x, check_finite_in_range, "y_pred", 0, 1,
            what="probabilities", when="when from_logits=False",
        )  # fmt: skip


def _warn_unnormalised(be: Backend[A], x: A, name: str) -> None:
    _value_check(be, x, warn_if_not_normalized, name, -1)  # points at the reader's line


def weights(be: Backend[A], sample_weight: object, losses_like: A) -> A | None:
    """``sample_weight`` checked (scalar or the losses' shape, finite, ``>= 0``) and broadcast."""
    if sample_weight is None:
        return None
    w = be.cast(sample_weight, "sample_weight", losses_like)
    check_weight_shape(be.shape(w), be.shape(losses_like))
    _finite(be, w, "sample_weight")
    _nonnegative(be, w, "sample_weight")
    return be.broadcast(w, losses_like)


def param(be: Backend[A], value: object, name: str, like: A, like_name: str) -> A:
    """A distribution parameter (variance, scale, ...): a scalar or ``like``'s shape, finite."""
    p = be.cast(value, name, like)
    check_param_shape(be.shape(p), name, be.shape(like), like_name)
    _finite(be, p, name)
    return p


def positive_param(be: Backend[A], value: object, name: str, like: A, like_name: str) -> A:
    """A distribution parameter ``> 0`` (df, scale, ...): :func:`param`."""
    p = param(be, value, name, like, like_name)
    _nonnegative(be, p, name, strict=True)
    return p


def _class_weights(be: Backend[A], class_weight: object, num_classes: int, like: A) -> A | None:
    """``class_weight`` checked: shape ``(K,)``, finite, ``>= 0`` (or ``None``)."""
    if class_weight is None:
        return None
    w = be.cast(class_weight, "class_weight", like)
    check_class_weight_shape(be.shape(w), num_classes)
    _finite(be, w, "class_weight")
    _nonnegative(be, w, "class_weight")
    return w


def _target(be: Backend[A], y_true: object, pred: A, pred_name: str) -> A:
    """Dense targets in the prediction's dtype, exactly its shape."""
    y = be.cast(y_true, "y_true", pred)
    check_shapes_equal(be.shape(y), be.shape(pred), "y_true", pred_name)
    return y


def _regression(be: Backend[A], y_true: object, y_pred: object, pred_name: str) -> tuple[A, A]:
    """A finite prediction and finite targets of its shape and dtype."""
    pred = be.prediction(y_pred, pred_name)
    _finite(be, pred, pred_name)
    y = be.cast(y_true, "y_true", pred)  # the targets: the prediction's dtype and shape
    check_shapes_equal(be.shape(y), be.shape(pred), "y_true", pred_name)
    _finite(be, y, "y_true")
    return y, pred


def check_counts(be: Backend[A], y: A, distribution: str) -> None:
    """Targets of a count distribution: whole numbers ``>= 0``."""
    _nonnegative(be, y, "y_true", why=f"counts of the {distribution} distribution")
    _value_check(be, y, check_integer_valued, "y_true")


def check_positive_support(be: Backend[A], y: A, distribution: str) -> None:
    """Targets of a distribution on ``(0, inf)``: every ``y > 0``."""
    _nonnegative(
        be, y, "y_true", strict=True, why=f"the support of the {distribution} distribution"
    )


# ------------------------------------------------------------------------ normalisers


def _binary(be: Backend[A], y_true: object, y_pred: object, logits: bool) -> tuple[A, A]:
    """The part of the binary normaliser shared with the focal loss."""
    pred = be.prediction(y_pred, "y_pred")
    y = be.cast(y_true, "y_true", pred)  # the targets: the prediction's dtype and shape
    check_shapes_equal(be.shape(y), be.shape(pred), "y_true", "y_pred")
    _value_check(be, y, check_finite_in_range, "y_true", 0, 1, what="labels (0/1 or soft labels)")
    _probabilities(be, pred, logits)
    return y, pred


def binary_args(
    be: Backend[A], y_true: object, y_pred: object, *, from_logits: object, pos_weight: object,
    label_smoothing: object, sample_weight: object,
) -> BinaryArgs[A]:  # fmt: skip
    """Normalise the arguments of ``binary_cross_entropy``."""
    logits = check_bool(from_logits, "from_logits")
    eps = check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    y, pred = _binary(be, y_true, y_pred, logits)
    pw = None
    if pos_weight is not None:
        pw = be.cast(pos_weight, "pos_weight", pred)
        check_pos_weight_shape(be.shape(pw), be.shape(pred))
        _finite(be, pw, "pos_weight")
        _nonnegative(be, pw, "pos_weight")
    w = weights(be, sample_weight, pred)
    return BinaryArgs(y, pred, w, logits, pw, eps)


def focal_args(
    be: Backend[A], y_true: object, y_pred: object, *, gamma: object, alpha: object,
    from_logits: object, sample_weight: object,
) -> FocalArgs[A]:  # fmt: skip
    """Normalise ``binary_focal_loss``: ``γ >= 0``, ``alpha`` in ``[0, 1]`` or ``None``."""
    g = check_scalar(gamma, "gamma", low=0.0)
    beta = None if alpha is None else check_scalar(alpha, "alpha", low=0.0, high=1.0)
    logits = check_bool(from_logits, "from_logits")
    y, pred = _binary(be, y_true, y_pred, logits)
    w = weights(be, sample_weight, pred)
    return FocalArgs(y, pred, w, logits, g, beta)


def categorical_args(
    be: Backend[A], y_true: object, y_pred: object, *, from_logits: object, class_weight: object,
    label_smoothing: object, sample_weight: object, axis: object,
) -> CategoricalArgs[A]:  # fmt: skip
    """Normalise ``categorical_cross_entropy``: class axis last; targets come back unsmoothed."""
    logits = check_bool(from_logits, "from_logits")
    eps = check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    pred = be.prediction(y_pred, "y_pred")
    y = _target(be, y_true, pred, "y_pred")
    ax = check_class_axis(be.shape(pred), axis, be.describe(pred))
    z, y = be.classes_last(pred, ax), be.classes_last(y, ax)
    num_classes = be.shape(z)[-1] or 0
    what = "class probabilities (one-hot or soft)"
    _value_check(be, y, check_finite_in_range, "y_true", 0, 1, what=what)
    _warn_unnormalised(be, y, "y_true")
    _probabilities(be, z, logits)
    if not logits:
        _warn_unnormalised(be, z, "y_pred")
    cw = _class_weights(be, class_weight, num_classes, z)
    w = weights(be, sample_weight, z[..., 0])  # type: ignore[index]
    return CategoricalArgs(y, z, w, logits, cw, eps, ax)


def sparse_args(
    be: Backend[A], y_true: object, y_pred: object, *, from_logits: object, class_weight: object,
    ignore_index: object, label_smoothing: object, sample_weight: object, axis: object,
) -> SparseArgs[A]:  # fmt: skip
    """Normalise ``sparse_categorical_cross_entropy``: int64 labels, class axis last.

    Entries equal to ``ignore_index`` pass the label check whatever their value; the loss
    masks them.
    """
    logits = check_bool(from_logits, "from_logits")
    eps = check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    ignored = None if ignore_index is None else check_int(ignore_index, "ignore_index")
    pred = be.prediction(y_pred, "y_pred")
    ax = check_class_axis(be.shape(pred), axis, be.describe(pred))
    z = be.classes_last(pred, ax)
    num_classes = be.shape(z)[-1] or 0
    labels = be.numeric(y_true, "y_true")
    check_label_shape(be.shape(labels), be.shape(z)[:-1])
    _value_check(be, labels, check_class_labels, "y_true", num_classes, ignore_index=ignored)
    labels = be.to_int(labels)
    _probabilities(be, z, logits)
    if not logits:
        _warn_unnormalised(be, z, "y_pred")
    cw = _class_weights(be, class_weight, num_classes, z)
    w = weights(be, sample_weight, z[..., 0])  # type: ignore[index]
    return SparseArgs(labels, z, w, logits, cw, ignored, eps, ax)


def regression_args(
    be: Backend[A], y_true: object, y_pred: object, *, sample_weight: object
) -> RegressionArgs[A]:
    """Normalise a regression loss: finite prediction and targets of the same shape."""
    y, pred = _regression(be, y_true, y_pred, "y_pred")
    return RegressionArgs(y, pred, weights(be, sample_weight, pred))


def gaussian_args(
    be: Backend[A], y_true: object, mean: object, *, variance: object, std: object,
    log_variance: object, full: object, eps: object, sample_weight: object,
) -> GaussianArgs[A]:  # fmt: skip
    """Normalise ``gaussian_nll``: at most one spread, checked; no clamp (the loss clamps)."""
    y, mu = _regression(be, y_true, mean, "mean")
    is_full = check_bool(full, "full")
    floor = check_variance_floor(eps, numpy_dtype(mu))  # the dtype of the prediction
    spreads: dict[SpreadName, object] = {
        "variance": variance, "std": std, "log_variance": log_variance
    }  # fmt: skip
    given = {name: value for name, value in spreads.items() if value is not None}
    check_one_spread({name: be.describe(value) for name, value in given.items()})
    w = weights(be, sample_weight, mu)
    name: SpreadName | None = next(iter(given), None)
    spread = None
    if name is not None:
        spread = param(be, given[name], name, mu, "mean")
        if name != "log_variance":
            _nonnegative(be, spread, name)
    return GaussianArgs(y, mu, w, name, spread, is_full, floor)


def poisson_args(
    be: Backend[A], y_true: object, y_pred: object, *, log_input: object, full: object,
    sample_weight: object,
) -> PoissonArgs[A]:  # fmt: skip
    """Normalise ``poisson_nll``: counts are whole numbers ``>= 0``; rates are ``>= 0``."""
    is_log = check_bool(log_input, "log_input")
    is_full = check_bool(full, "full")
    y, pred = _regression(be, y_true, y_pred, "y_pred")
    _nonnegative(be, y, "y_true")
    _value_check(be, y, check_integer_valued, "y_true")
    w = weights(be, sample_weight, pred)
    if not is_log:
        _nonnegative(be, pred, "y_pred")
    return PoissonArgs(y, pred, w, is_log, is_full)


def laplace_args(
    be: Backend[A], y_true: object, loc: object, *, scale: object, full: object,
    sample_weight: object,
) -> LaplaceArgs[A]:  # fmt: skip
    """Normalise ``laplace_nll``: the scale ``b > 0`` is a scalar or ``loc``'s shape."""
    y, mu = _regression(be, y_true, loc, "loc")
    is_full = check_bool(full, "full")
    b = positive_param(be, scale, "scale", mu, "loc")
    return LaplaceArgs(y, mu, weights(be, sample_weight, mu), b, is_full)


def student_t_args(
    be: Backend[A], y_true: object, loc: object, *, df: object, scale: object,
    sample_weight: object,
) -> StudentTArgs[A]:  # fmt: skip
    """Normalise ``student_t_nll``: ``df = ν > 0`` and ``scale = σ > 0``."""
    y, mu = _regression(be, y_true, loc, "loc")
    nu = positive_param(be, df, "df", mu, "loc")
    sigma = positive_param(be, scale, "scale", mu, "loc")
    return StudentTArgs(y, mu, weights(be, sample_weight, mu), nu, sigma)


def negative_binomial_args(
    be: Backend[A], y_true: object, mean: object, *, total_count: object, sample_weight: object,
) -> NegativeBinomialArgs[A]:  # fmt: skip
    """Normalise ``negative_binomial_nll``: whole counts ``>= 0``; ``mean``, ``total_count > 0``."""
    y, mu = _regression(be, y_true, mean, "mean")
    check_counts(be, y, "negative binomial")
    _nonnegative(be, mu, "mean", strict=True)
    r = positive_param(be, total_count, "total_count", mu, "mean")
    return NegativeBinomialArgs(y, mu, weights(be, sample_weight, mu), r)


def gamma_args(
    be: Backend[A], y_true: object, mean: object, *, concentration: object, sample_weight: object,
) -> GammaArgs[A]:  # fmt: skip
    """Normalise ``gamma_nll``: ``y > 0``; ``mean`` and ``concentration > 0``."""
    y, mu = _regression(be, y_true, mean, "mean")
    check_positive_support(be, y, "gamma")
    _nonnegative(be, mu, "mean", strict=True)
    k = positive_param(be, concentration, "concentration", mu, "mean")
    return GammaArgs(y, mu, weights(be, sample_weight, mu), k)


def lognormal_args(
    be: Backend[A], y_true: object, loc: object, *, scale: object, sample_weight: object,
) -> LogNormalArgs[A]:  # fmt: skip
    """Normalise ``lognormal_nll``: ``y > 0``; ``scale > 0`` (of ``log y``)."""
    y, mu = _regression(be, y_true, loc, "loc")
    check_positive_support(be, y, "log-normal")
    sigma = positive_param(be, scale, "scale", mu, "loc")
    return LogNormalArgs(y, mu, weights(be, sample_weight, mu), sigma)


def huber_args(
    be: Backend[A], y_true: object, y_pred: object, *, delta: object, sample_weight: object,
) -> HuberArgs[A]:  # fmt: skip
    """Normalise ``huber_loss``: a regression loss with a real threshold ``δ > 0``."""
    d = check_scalar(delta, "delta", low=0.0, low_open=True)
    y, pred = _regression(be, y_true, y_pred, "y_pred")
    return HuberArgs(y, pred, weights(be, sample_weight, pred), d)


def pinball_args(
    be: Backend[A], y_true: object, y_pred: object, *, quantile: object, sample_weight: object,
) -> PinballArgs[A]:  # fmt: skip
    """Normalise ``pinball_loss``: a regression loss with a real quantile ``τ`` in ``(0, 1)``."""
    tau = check_scalar(quantile, "quantile")
    if not 0.0 < tau < 1.0:
        raise ValueError(f"quantile must be in the open interval (0, 1); got {tau!r}")
    y, pred = _regression(be, y_true, y_pred, "y_pred")
    return PinballArgs(y, pred, weights(be, sample_weight, pred), tau)


# ------------------------------------------------------------------------ the reduction


def mean_denominator(be: Backend[A], weights: A | None, denominator: A | None, like: A) -> A:
    """The denominator of ``reduction="mean"``: ``Σ ωᵢ·c_{yᵢ}``, or the number of losses.

    ``ωᵢ`` is the sample weight (0 for an ignored entry), ``c_{yᵢ}`` the class weight of the
    target; ``like`` is shaped like the per-element losses. Raises ValueError when the weights
    sum to 0 (in a TensorFlow graph, where values are unknown, the mean is then 0).
    """
    if weights is None and denominator is None:
        return be.count(like)
    if weights is not None and denominator is not None:
        per_element = weights * denominator  # type: ignore[operator]
    else:
        per_element = weights if denominator is None else denominator
    denom = be.total(be.broadcast(per_element, like))
    values = be.values(denom)
    if values is not None and values == 0:
        raise ValueError(
            "reduction='mean' is undefined: the weights (sample_weight x class weight, with "
            "ignored entries removed) sum to 0"
        )
    return denom


def _divisor(
    be: Backend[A], reduction: object, weights: A | None, denominator: A | None, like: A
) -> A | None:
    """Check ``reduction`` (the one place that does); the mean's denominator, if a mean."""
    if check_reduction(reduction) != "mean":
        return None
    return mean_denominator(be, weights, denominator, like)


def reduce(
    be: Backend[A], losses: A, weights: A | None, reduction: object, denominator: A | None = None
) -> A:
    """Apply the contract's reduction to per-element ``losses``.

    * ``"none"``: ``ωᵢ·𝓛ᵢ`` (``𝓛ᵢ`` without sample weights);
    * ``"sum"``: ``Σ ωᵢ·𝓛ᵢ``;
    * ``"mean"``: ``Σ ωᵢ·𝓛ᵢ / Σ ωᵢ·c_{yᵢ}`` (:func:`mean_denominator`).
    """
    divisor = _divisor(be, reduction, weights, denominator, losses)  # checks reduction
    weighted = losses if weights is None else losses * weights  # type: ignore[operator]
    if reduction == "none":
        return be.result(weighted)
    total = be.total(weighted)
    return be.result(total if divisor is None else be.divide(total, divisor))


def reduce_gradient(
    grad: np.ndarray, weights: np.ndarray | None, reduction: object,
    denominator: np.ndarray | None = None, *, class_axis: bool = False,
) -> np.ndarray:  # fmt: skip
    """The gradient of the reduced loss from per-element derivatives of the unweighted losses.

    ``d/dx Σ ωᵢ 𝓛ᵢ = ωᵢ 𝓛'ᵢ`` ("sum" and "none"); the mean divides that by the denominator
    of :func:`reduce`. With ``class_axis`` the element axis is all but the last (class) axis.
    Weighted-out (ignored) entries get exactly 0, never -0. NumPy only (the TFP twin has
    autodiff).
    """
    per_element = grad[..., 0] if class_axis else grad
    divisor = _divisor(NUMPY, reduction, weights, denominator, per_element)  # checks reduction
    if weights is not None:
        w = weights[..., None] if class_axis else weights
        grad = np.where(w == 0, 0, grad * w)
    if divisor is not None:
        grad = grad / divisor
    return np.asarray(grad, per_element.dtype)
