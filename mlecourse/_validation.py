"""The loss contract: argument normalisation, every check and message, one reduction.

Plain Python and NumPy, no assertion library. Every check raises an error that names the
argument, says what was expected and shows what was received, e.g.::

    ValueError: y_pred must be probabilities in [0, 1] when from_logits=False;
    got values in [-0.3, 1.2]

Three layers, each used by the NumPy losses (:mod:`mlecourse.losses`), their gradients
(:mod:`mlecourse.gradients`), the TFP twin (:mod:`mlecourse.tfp.losses`) and the heads
(:mod:`mlecourse.tfp.heads`):

* **checks** of values (``check_*`` on NumPy arrays) and of **shapes** (``check_*_shape``,
  on shape tuples, so the TFP twin runs them at trace time; ``None`` is an unknown dimension);
* **normalisers** (``binary_args``, ``categorical_args``, ``sparse_args``, ``regression_args``,
  ``gaussian_args``, ``poisson_args``, ``laplace_args``): one per family of losses, each turning
  the public arguments into an :class:`Args` in one fixed order of checks. They reach arrays
  only through a :class:`Backend`: :data:`NUMPY` here, ``mlecourse.tfp._backend.TF`` for
  tensors (whose value checks run in eager mode only, like TFP's ``validate_args``);
* **the reduction** (:func:`reduce_losses` and its denominator, :func:`mean_denominator`).

Conventions (decided once, here):

* **dtype** — the *prediction* argument (probabilities, logits, means, rates) decides the
  floating dtype of the result: float32 stays float32, float64 stays float64, and integer
  or boolean predictions become float64. Targets (integers, booleans, floats) are cast to
  that dtype. This is "float32 in -> float32 out" without letting an integer label array
  promote a float32 computation to float64.
* **shapes** — never broadcast targets against predictions: ``(N, 1)`` against ``(N,)``
  would silently become ``(N, N)``. Shapes must match exactly (class axes excepted).
  Weights and distribution parameters are scalars or exactly the shape they apply to.
* **values** — NaN and infinity are rejected in inputs; recoverable oddities warn.
* **probabilities** are clipped to ``[eps, 1 - eps]``, ``eps = np.finfo(dtype).eps``
  (:func:`clip_probabilities`); logits are never clipped.
* **reduction** — ``"none"``: ``sᵢ·lᵢ``; ``"sum"``: ``Σ sᵢ·lᵢ``; ``"mean"``:
  ``Σ sᵢ·lᵢ / Σ sᵢ·dᵢ`` with ``sᵢ`` the sample weight (0 for an entry equal to
  ``ignore_index``) and ``dᵢ`` the class weight of the target (1 without class weights); with
  neither, the number of losses. A mean whose weights sum to 0 is an error, not NaN.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

REDUCTIONS = ("mean", "sum", "none")

#: The losses of Part IV (Chapters 10 and 11), in both twins as well.
PART4_LOSS_NAMES = (
    "binary_focal_loss",
    "gamma_nll",
    "huber_loss",
    "lognormal_nll",
    "negative_binomial_nll",
    "pinball_loss",
    "student_t_nll",
)

#: The public names of the loss contract, the same in both twins (``__all__`` of each).
LOSS_NAMES = (
    "binary_cross_entropy",
    "categorical_cross_entropy",
    "gaussian_nll",
    "laplace_nll",
    "mean_absolute_error",
    "mean_squared_error",
    "poisson_nll",
    "sparse_categorical_cross_entropy",
    *PART4_LOSS_NAMES,
)

Shape = tuple[int | None, ...]

# An array of either twin: an ndarray for the NumPy losses, a tf.Tensor for the TFP twin (the
# Backend decides). TensorFlow ships no type information, so a tensor is Any to a type checker.
Array = Any


def describe(x: object) -> str:
    """A short description of a received value for an error message."""
    arr = np.asarray(x) if not isinstance(x, np.ndarray) else x
    if arr.ndim == 0:
        return repr(arr.item()) if arr.dtype != object else repr(x)
    return f"an array of shape {arr.shape} and dtype {arr.dtype}"


def _value_range(arr: np.ndarray) -> str:
    """Return '[min, max]' of the finite entries, for error messages."""
    finite = arr[np.isfinite(arr)] if arr.dtype.kind == "f" else arr
    if finite.size == 0:
        return "[no finite values]"
    return f"[{finite.min():.6g}, {finite.max():.6g}]"


def as_array(x: npt.ArrayLike, name: str) -> np.ndarray:
    """Convert ``x`` to a numeric (bool, integer or float) ndarray, or raise TypeError."""
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:  # ragged nested lists, for example
        raise TypeError(
            f"{name} must be array-like of numbers; got {type(x).__name__} ({exc})"
        ) from exc
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must contain real numbers (bool, integer or float); got dtype {arr.dtype}"
        )
    return arr


def float_dtype(arr: np.ndarray) -> np.dtype:
    """The floating dtype a computation on ``arr`` should use (float32 stays float32)."""
    if arr.dtype == np.float32 or arr.dtype == np.float16:
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def as_float(x: npt.ArrayLike, name: str, dtype: npt.DTypeLike | None = None) -> np.ndarray:
    """Convert to a float array: ``dtype`` if given, else the dtype :func:`float_dtype` picks."""
    arr = as_array(x, name)
    target = np.dtype(dtype) if dtype is not None else float_dtype(arr)
    return arr.astype(target, copy=False)


def check_nonempty(arr: np.ndarray, name: str) -> None:
    """Reject empty arrays: the mean of no losses is undefined, not 0 and not NaN."""
    check_nonempty_shape(arr.shape, name)


def check_nonempty_shape(shape: Shape, name: str) -> None:
    """Reject a shape with no elements (a dimension of length 0)."""
    if 0 in shape:
        raise ValueError(f"{name} must not be empty; got an array of shape {shape}")


def check_finite(arr: np.ndarray, name: str) -> None:
    """Reject NaN and +-inf, reporting how many entries are bad and the first position.

    NaN and infinities propagate through ``min``/``max``, so the common case costs two
    reductions and allocates nothing; the detailed message is built only on failure.
    """
    if arr.dtype.kind != "f" or arr.size == 0:
        return
    if np.isfinite(arr.min()) and np.isfinite(arr.max()):
        return
    bad = ~np.isfinite(arr)
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    raise ValueError(
        f"{name} must be finite; got {int(bad.sum())} NaN or infinite value(s), "
        f"the first at index {first} ({arr[first]})"
    )


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Require identical array shapes (see :func:`check_shapes_equal`)."""
    check_shapes_equal(a.shape, b.shape, name_a, name_b)


def _compatible(s1: Shape, s2: Shape) -> bool:
    """Same rank and equal dimensions, ``None`` (unknown at trace time) matching anything."""
    return len(s1) == len(s2) and all(
        a is None or b is None or a == b for a, b in zip(s1, s2, strict=True)
    )


def _known(shape: Shape) -> tuple[int, ...]:
    """``shape`` with unknown dimensions as -1 (which nothing broadcasts against)."""
    return tuple(-1 if d is None else d for d in shape)


def check_shapes_equal(shape_a: Shape, shape_b: Shape, name_a: str, name_b: str) -> None:
    """Require identical shapes, with a hint for the (N, 1) vs (N,) broadcasting trap."""
    if _compatible(shape_a, shape_b):
        return
    hint = ""
    squeezed_a = [d for d in shape_a if d != 1]
    if len(shape_a) != len(shape_b) and squeezed_a == [d for d in shape_b if d != 1]:
        try:
            full = np.broadcast_shapes(_known(shape_a), _known(shape_b))
            hint = (
                " (one has an extra axis of length 1; broadcasting them would silently build an "
                f"{full} matrix: reshape one of them explicitly)"
            )
        except (ValueError, TypeError):
            hint = " (they differ by an axis of length 1: reshape one of them explicitly)"
    raise ValueError(
        f"{name_a} and {name_b} must have the same shape; got {shape_a} and {shape_b}{hint}"
    )


def check_in_range(
    arr: np.ndarray,
    name: str,
    low: float,
    high: float,
    *,
    what: str,
    when: str = "",
) -> None:
    """Require ``low <= arr <= high``; ``what`` says what the values are (e.g. 'probabilities')."""
    if arr.size and (arr.min() < low or arr.max() > high):
        suffix = f" {when}" if when else ""
        raise ValueError(
            f"{name} must be {what} in [{low:g}, {high:g}]{suffix}; "
            f"got values in {_value_range(arr)}"
        )


def check_positive(arr: np.ndarray, name: str, *, strict: bool = True, why: str = "") -> None:
    """Require ``arr > 0`` (``strict``) or ``arr >= 0``; ``why`` says whose support it is."""
    if not arr.size:
        return
    bad = (arr <= 0) if strict else (arr < 0)
    if bad.any():
        relation = "> 0" if strict else ">= 0"
        reason = f" ({why})" if why else ""
        raise ValueError(
            f"{name} must be {relation}{reason}; got {int(bad.sum())} value(s) violating it, "
            f"values in {_value_range(arr)}"
        )


def check_integer_valued(arr: np.ndarray, name: str) -> None:
    """Require whole numbers (an integer dtype, or floats with no fractional part)."""
    if arr.dtype.kind in "biu":
        return
    frac = arr != np.round(arr)
    if frac.any():
        first = tuple(int(i) for i in np.argwhere(frac)[0])
        raise ValueError(f"{name} must contain whole numbers; got {arr[first]!r} at index {first}")


def check_class_labels(
    labels: np.ndarray, name: str, num_classes: int, *, ignore_index: int | None = None
) -> np.ndarray:
    """Validate sparse class labels in ``[0, num_classes)`` and return them as int64.

    Entries equal to ``ignore_index`` are allowed whatever their value.
    """
    check_finite(labels, name)
    check_integer_valued(labels, name)
    as_int = labels.astype(np.int64)
    valid = np.ones(as_int.shape, dtype=bool) if ignore_index is None else as_int != ignore_index
    out = valid & ((as_int < 0) | (as_int >= num_classes))
    if out.any():
        bad = as_int[out]
        extra = f" (or ignore_index={ignore_index})" if ignore_index is not None else ""
        raise ValueError(
            f"{name} must be class indices in [0, {num_classes - 1}]{extra}; "
            f"got {int(out.sum())} value(s) outside, e.g. {int(bad[0])}"
        )
    return as_int


def check_reduction(reduction: object) -> str:
    """Return ``reduction`` if it is one of 'mean', 'sum', 'none'."""
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}; got {reduction!r}")
    return reduction


def check_bool(value: object, name: str) -> bool:
    """Require a real boolean (``True``/``False`` or a NumPy bool)."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def check_scalar(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Require a finite real scalar, optionally in a (half-)open or closed interval."""
    if isinstance(value, bool | np.bool_) or not isinstance(
        value, int | float | np.integer | np.floating
    ):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite; got {v!r}")
    if low is not None and (v < low or (low_open and v == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low:g}; got {v!r}")
    if high is not None and (v > high or (high_open and v == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high:g}; got {v!r}")
    return v


def check_int(value: object, name: str, *, low: int | None = None) -> int:
    """Require a Python or NumPy integer (``bool`` is rejected), optionally ``>= low``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer; got {value!r}")
    v = int(value)
    if low is not None and v < low:
        raise ValueError(f"{name} must be an integer >= {low}; got {v}")
    return v


def check_seed(seed: object) -> int:
    """Require a non-negative integer seed, so that a dataset is reproducible by construction."""
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, int | np.integer):
        raise TypeError(
            f"seed must be a non-negative integer (it fixes the random draws); got {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {int(seed)}")
    return int(seed)


def check_axis(axis: object, ndim: int, name: str = "axis") -> int:
    """Return ``axis`` normalised to ``[0, ndim)``, or raise naming the array's rank."""
    if isinstance(axis, bool | np.bool_) or not isinstance(axis, int | np.integer):
        raise TypeError(f"{name} must be an integer; got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"{name} must be in [{-ndim}, {ndim - 1}] for an array with {ndim} dimension(s); "
            f"got {int(axis)}"
        )
    return int(axis) % ndim


def warn_if_not_normalized(arr: np.ndarray, name: str, axis: int, *, stacklevel: int = 3) -> None:
    """Warn (UserWarning) when slices of ``arr`` along ``axis`` do not sum to 1.

    The tolerance is ``sqrt(eps)`` of the dtype (about 1.5e-8 for float64, 3.5e-4 for
    float32), scaled by ``sqrt(K)`` for ``K`` outcomes: enough for rounding in a softmax,
    not for a forgotten normalisation. ``stacklevel`` is passed to :func:`warnings.warn`
    (3 points at the caller of the function that calls this helper).
    """
    sums = arr.sum(axis=axis, dtype=np.float64)
    tol = float(np.sqrt(np.finfo(arr.dtype).eps)) * max(1, arr.shape[axis]) ** 0.5
    off = np.abs(sums - 1.0) > tol
    if off.any():
        warnings.warn(
            f"{name} should sum to 1 along axis {axis}; {int(off.sum())} of {off.size} "
            f"slice(s) do not, sums in [{sums.min():.6g}, {sums.max():.6g}]. "
            "The result is computed from the values as given (not renormalised).",
            UserWarning,
            stacklevel=stacklevel,
        )


def check_finite_in_range(
    arr: np.ndarray, name: str, low: float, high: float, *, what: str, when: str = ""
) -> None:
    """Require finite values in ``[low, high]`` with two cheap reductions (``min`` and ``max``).

    NaN propagates through ``min``/``max`` and fails both comparisons, so the common case costs
    two passes and allocates nothing; the detailed checks (which say what is wrong, and where)
    run only on failure.
    """
    if arr.size == 0:
        return
    lo, hi = arr.min(), arr.max()
    if lo >= low and hi <= high:
        return
    check_finite(arr, name)
    check_in_range(arr, name, low, high, what=what, when=when)


def check_variance_floor(eps: object, dtype: Array) -> float:
    """Require ``eps > 0`` that ``dtype`` holds as a normal number (``>= np.finfo(dtype).tiny``).

    A smaller ``eps`` is subnormal or rounds to 0 in ``dtype``, and then ``1 / eps`` overflows
    or ``log(eps)`` is ``-inf``: the clamped variance would turn the loss into NaN.
    """
    eps = check_scalar(eps, "eps", low=0.0, low_open=True)
    info = np.finfo(dtype)
    if eps < info.tiny:
        raise ValueError(
            f"eps must be at least the smallest normal {info.dtype.name} number, {info.tiny:.6g} "
            f"(a smaller variance floor is subnormal or 0 in {info.dtype.name}, so 1 / eps "
            f"overflows); got {eps!r}"
        )
    return eps


# ------------------------------------------------------------------------ shapes (not arrays)


def check_weight_shape(shape: Shape, losses_shape: Shape, name: str = "sample_weight") -> None:
    """A weight is a scalar or exactly the shape of the per-element losses."""
    if shape and not _compatible(shape, losses_shape):
        raise ValueError(
            f"{name} must be a scalar or have the shape of the per-element losses "
            f"{losses_shape}; got {shape}"
        )


def check_param_shape(shape: Shape, name: str, like_shape: Shape, like: str) -> None:
    """A distribution parameter is a scalar or exactly ``like``'s shape (no broadcasting)."""
    if shape and not _compatible(shape, like_shape):
        raise ValueError(
            f"{name} must be a scalar or have the shape of {like} {like_shape}; got shape {shape}"
        )


def check_pos_weight_shape(shape: Shape, pred_shape: Shape) -> None:
    """``pos_weight``: a scalar, one weight per label (the last axis) or ``y_pred``'s shape."""
    per_label = pred_shape[-1:]
    if shape and not (_compatible(shape, per_label) or _compatible(shape, pred_shape)):
        raise ValueError(
            "pos_weight must be a scalar, one weight per label (shape "
            f"{per_label}, the last axis of y_pred) or the shape of y_pred {pred_shape}; "
            f"got shape {shape}"
        )


def check_class_weight_shape(shape: Shape, num_classes: int) -> None:
    """``class_weight``: one weight per class, shape ``(C,)``."""
    if not _compatible(shape, (num_classes,)):
        raise ValueError(
            f"class_weight must have one weight per class, shape ({num_classes},); "
            f"got shape {shape}"
        )


def check_label_shape(shape: Shape, expected: Shape) -> None:
    """Sparse labels: one class index per example, the prediction's shape without classes."""
    if _compatible(shape, expected):
        return
    hint = ""
    if len(shape) == len(expected) + 1 and shape[-1] == 1:
        hint = " (a trailing axis of length 1: pass y_true.reshape(-1) or squeeze it)"
    raise ValueError(
        "y_true must hold one class index per example, the shape of y_pred without its "
        f"class axis {expected}; got shape {shape}{hint}"
    )


def check_reduce_axes(shape: Shape, axis: object) -> None:
    """Axes of a reduction (``logsumexp``, ``softmax``): an int, a tuple of ints or ``None``."""
    if 0 in shape:
        raise ValueError(f"x must not be empty; got an array of shape {shape}")
    axes = axis if isinstance(axis, tuple) else () if axis is None else (axis,)
    for a in axes:
        if not isinstance(a, int | np.integer) or isinstance(a, bool):
            raise TypeError(f"axis must be an int, a tuple of ints or None; got {axis!r}")
        if not -len(shape) <= a < max(len(shape), 1):
            raise ValueError(f"axis {a} is out of bounds for x of shape {shape}; got axis={axis!r}")


def check_class_axis(shape: Shape, axis: object, received: str) -> int:
    """The class axis of a prediction of ``shape``, normalised to ``[0, ndim)``."""
    if not shape:
        raise ValueError(
            f"y_pred must have a class axis (at least 1 dimension); got a scalar {received}"
        )
    return check_axis(axis, len(shape))


def check_batch_shape(shape: Shape, batch: Shape, owner: str) -> None:
    """Targets of a distribution head have exactly its batch shape: no (N, 1) vs (N,)."""
    if _compatible(shape, batch):
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


# ------------------------------------------------------------------------ backends


class Backend(Protocol):
    """What the normalisers need from an array library (NumPy here, TensorFlow in ``tfp``).

    Only conversions, shapes and a few elementwise operations: every check and every message
    stays in this module.
    """

    def prediction(self, x: Array, name: str) -> Array:
        """``x`` as a float array/tensor whose dtype the input decides (float32 stays)."""

    def cast(self, x: Array, name: str, like: Array) -> Array:
        """``x`` (numeric) converted to ``like``'s float dtype."""

    def numeric(self, x: Array, name: str) -> Array:
        """``x`` as a numeric (bool, integer or float) array/tensor, not cast."""

    def values(self, x: Array) -> np.ndarray | None:
        """Concrete values to check (``None`` where they are unknown, inside a graph)."""

    def shape(self, x: Array) -> Shape:
        """The (static) shape; ``None`` marks an unknown dimension."""

    def describe(self, x: object) -> str:
        """A short description of an argument for an error message."""

    def classes_last(self, x: Array, axis: int) -> Array:
        """``x`` with axis ``axis`` moved last."""

    def clip(self, x: Array, low: float, high: float) -> Array:
        """Elementwise ``min(max(x, low), high)``."""

    def where(self, condition: Array, x: Array, y: Array) -> Array:
        """Elementwise ``x if condition else y``."""

    def to_int(self, x: Array) -> Array:
        """Integer class indices (int64)."""

    def to_float(self, x: Array, like: Array) -> Array:
        """``x`` (bool or int) as ``like``'s float dtype."""

    def maximum(self, x: Array, floor: float) -> Array:
        """Elementwise ``max(x, floor)``."""

    def log(self, x: Array) -> Array:
        """Elementwise natural logarithm."""

    def total(self, x: Array) -> Array:
        """The sum of all entries, in ``x``'s dtype."""

    def sum_classes(self, x: Array) -> Array:
        """The sum over the last (class) axis."""

    def count(self, x: Array) -> Array:
        """The number of entries of ``x``, in ``x``'s dtype."""

    def broadcast(self, x: Array, like: Array) -> Array:
        """``x`` (a scalar or ``like``'s shape) broadcast to ``like``'s shape."""

    def divide(self, a: Array, b: Array) -> Array:
        """``a / b`` for the mean (a graph gives 0 for a zero denominator)."""

    def result(self, x: Array) -> Array:
        """What a loss returns (a NumPy scalar rather than a 0-d array)."""


class NumpyBackend:
    """The :class:`Backend` of the NumPy reference losses and their gradients."""

    def prediction(self, x: Array, name: str) -> np.ndarray:
        """``x`` as a non-empty float32/float64 array."""
        arr = as_float(x, name)
        check_nonempty(arr, name)
        return arr

    def cast(self, x: Array, name: str, like: np.ndarray) -> np.ndarray:
        """``x`` in ``like``'s dtype."""
        return as_float(x, name, like.dtype)

    def numeric(self, x: Array, name: str) -> np.ndarray:
        """``x`` as a numeric array."""
        return as_array(x, name)

    def values(self, x: np.ndarray) -> np.ndarray:
        """The array itself: NumPy values are always known."""
        return x

    def shape(self, x: np.ndarray) -> Shape:
        """``x.shape``."""
        return tuple(x.shape)

    def describe(self, x: object) -> str:
        """See :func:`describe`."""
        return describe(x)

    def classes_last(self, x: np.ndarray, axis: int) -> np.ndarray:
        """A view with ``axis`` moved last."""
        return np.moveaxis(x, axis, -1)

    def clip(self, x: np.ndarray, low: float, high: float) -> np.ndarray:
        """``np.clip``."""
        return np.clip(x, low, high)

    def where(self, condition: Array, x: Array, y: Array) -> np.ndarray:
        """``np.where`` with three arguments."""
        return np.asarray(np.where(condition, x, y))

    def to_int(self, x: np.ndarray) -> np.ndarray:
        """``x`` as int64."""
        return x.astype(np.int64)

    def to_float(self, x: np.ndarray, like: np.ndarray) -> np.ndarray:
        """``x`` in ``like``'s dtype."""
        return x.astype(like.dtype)

    def maximum(self, x: np.ndarray, floor: float) -> np.ndarray:
        """``np.maximum(x, floor)`` in ``x``'s dtype."""
        return np.maximum(x, x.dtype.type(floor))

    def log(self, x: np.ndarray) -> np.ndarray:
        """``np.log``."""
        return np.log(x)

    def total(self, x: np.ndarray) -> Array:
        """``x.sum()`` accumulated in ``x``'s dtype."""
        return x.sum(dtype=x.dtype)

    def sum_classes(self, x: np.ndarray) -> np.ndarray:
        """``x.sum(-1)``."""
        return np.asarray(x.sum(axis=-1))

    def count(self, x: np.ndarray) -> Array:
        """``x.size`` as a scalar of ``x``'s dtype."""
        return x.dtype.type(x.size)

    def broadcast(self, x: Array, like: np.ndarray) -> np.ndarray:
        """``np.broadcast_to`` (a read-only view)."""
        return np.broadcast_to(x, like.shape)

    def divide(self, a: Array, b: Array) -> Array:
        """``a / b``."""
        return a / b

    def result(self, x: Array) -> Array:
        """A 0-d array becomes a NumPy scalar."""
        return x[()] if isinstance(x, np.ndarray) else x


NUMPY = NumpyBackend()


# ------------------------------------------------------------------------ normalisers


@dataclass(frozen=True)
class Args:
    """The normalised arguments of one loss call, in the prediction's dtype.

    Attributes:
        y: Targets (label smoothing applied) or, for the sparse loss, int64 class indices
            (ignored entries replaced by class 0; their weight is 0).
        pred: The prediction (class axis last for the categorical losses). Probabilities are
            *not* clipped here: :func:`clip_probabilities` does that in the formula.
        weights: Sample weights broadcast to the per-element losses, times 0 for an entry
            equal to ``ignore_index``; ``None`` for all ones.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.
        denominator: Per-element weights of the mean's denominator beyond ``weights`` (the
            class weight of each target, unsmoothed), or ``None``.
        pos_weight: ``w_+`` of the binary cross-entropy, or ``None``.
        class_weight: ``(C,)`` class weights, or ``None``.
        smoothing: The label smoothing ``ε``.
        axis: The class axis of the prediction as given (normalised), for the gradients.
        spread: The Gaussian spread argument as given (checked), or the Laplace scale.
        variance: The Gaussian variance clamped at ``eps`` (``None`` for ``log_variance``).
        log_variance: The log-variance clamped at ``log eps``, or ``None``.
        df: The Student-t degrees of freedom ``ν > 0`` (a scalar or the prediction's shape).
        total_count: The negative-binomial ``r > 0`` (a scalar or the prediction's shape).
        concentration: The Gamma shape ``k > 0`` (a scalar or the prediction's shape).
        delta: The Huber threshold ``δ > 0``.
        quantile: The pinball quantile ``τ`` in ``(0, 1)``.
        gamma: The focal exponent ``γ >= 0``.
        alpha: The focal class balance ``a`` in ``[0, 1]``, or ``None`` (no balancing).
    """

    y: Array
    pred: Array
    weights: Array
    reduction: str
    denominator: Array = None
    pos_weight: Array = None
    class_weight: Array = None
    smoothing: float = 0.0
    axis: int = -1
    spread: Array = None
    variance: Array = None
    log_variance: Array = None
    df: Array = None
    total_count: Array = None
    concentration: Array = None
    delta: float = 1.0
    quantile: float = 0.5
    gamma: float = 0.0
    alpha: float | None = None


def _value_check(
    be: Backend, x: Array, check: Callable[..., object], *args: Any, **kw: Any
) -> None:
    """Run a value check on ``x``'s values when they are known (always in NumPy)."""
    values = be.values(x)
    if values is not None:
        check(values, *args, **kw)


def _finite(be: Backend, x: Array, name: str) -> None:
    _value_check(be, x, check_finite, name)


def _probabilities(be: Backend, x: Array, from_logits: bool) -> None:
    """Logits must be finite; probabilities finite and in [0, 1]."""
    if from_logits:
        _finite(be, x, "y_pred")
    else:
        _value_check(
            be, x, check_finite_in_range, "y_pred", 0, 1,
            what="probabilities", when="when from_logits=False",
        )  # fmt: skip


def _warn_unnormalised(be: Backend, x: Array, name: str) -> None:
    # stacklevel 6: warn_if_not_normalized < _value_check < here < *_args < the loss < its caller
    _value_check(be, x, warn_if_not_normalized, name, -1, stacklevel=6)


def _nonnegative(be: Backend, x: Array, name: str, *, strict: bool = False, why: str = "") -> None:
    _value_check(be, x, check_positive, name, strict=strict, why=why)


def weights(be: Backend, sample_weight: Array, losses_like: Array) -> Array:
    """``sample_weight`` checked (scalar or the losses' shape, finite, ``>= 0``) and broadcast."""
    if sample_weight is None:
        return None
    w = be.cast(sample_weight, "sample_weight", losses_like)
    check_weight_shape(be.shape(w), be.shape(losses_like))
    _finite(be, w, "sample_weight")
    _nonnegative(be, w, "sample_weight")
    return be.broadcast(w, losses_like)


def param(be: Backend, value: object, name: str, like: Array, like_name: str) -> Array:
    """A distribution parameter (variance, scale, ...): a scalar or ``like``'s shape, finite."""
    p = be.cast(value, name, like)
    check_param_shape(be.shape(p), name, be.shape(like), like_name)
    _finite(be, p, name)
    return p


def class_weights(be: Backend, class_weight: Array, num_classes: int, like: Array) -> Array:
    """``class_weight`` checked: shape ``(C,)``, finite, ``>= 0`` (or ``None``)."""
    if class_weight is None:
        return None
    w = be.cast(class_weight, "class_weight", like)
    check_class_weight_shape(be.shape(w), num_classes)
    _finite(be, w, "class_weight")
    _nonnegative(be, w, "class_weight")
    return w


def _target(be: Backend, y_true: Array, pred: Array, pred_name: str) -> Array:
    """Dense targets in the prediction's dtype, exactly its shape."""
    y = be.cast(y_true, "y_true", pred)
    check_shapes_equal(be.shape(y), be.shape(pred), "y_true", pred_name)
    return y


def smooth(y: Array, eps: float, num_outcomes: int) -> Array:
    """Label smoothing: ``y (1 - ε) + ε / K`` for ``K`` outcomes (Keras and PyTorch agree)."""
    return y * (1 - eps) + eps / num_outcomes if eps else y


def clip_probabilities(p: Array, be: Backend = NUMPY) -> Array:
    """``clip(p, eps, 1 - eps)``, ``eps = np.finfo(dtype).eps``: ``log 0`` would be ``-inf``.

    The cost: one element's loss is at most ``-log(eps)`` (36.04 in float64, 15.94 in
    float32) and its gradient is 0 beyond the clip.
    """
    eps = float(machine_eps(p))
    return be.clip(p, eps, 1 - eps)


def machine_eps(x: Array) -> Array:
    """``np.finfo(dtype).eps`` of an array's or a tensor's float dtype."""
    dtype = getattr(x.dtype, "as_numpy_dtype", x.dtype)
    return np.finfo(dtype).eps


def binary_args(
    be: Backend,
    y_true: Array,
    y_pred: Array,
    *,
    from_logits: object,
    pos_weight: Array,
    label_smoothing: object,
    sample_weight: Array,
    reduction: object,
) -> Args:
    """Normalise the arguments of ``binary_cross_entropy``; ``y`` comes back smoothed."""
    reduction = check_reduction(reduction)
    from_logits = check_bool(from_logits, "from_logits")
    eps = check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    pred = be.prediction(y_pred, "y_pred")
    y = _target(be, y_true, pred, "y_pred")
    _value_check(be, y, check_finite_in_range, "y_true", 0, 1, what="labels (0/1 or soft labels)")
    _probabilities(be, pred, from_logits)
    pw = None
    if pos_weight is not None:
        pw = be.cast(pos_weight, "pos_weight", pred)
        check_pos_weight_shape(be.shape(pw), be.shape(pred))
        _finite(be, pw, "pos_weight")
        _nonnegative(be, pw, "pos_weight")
    w = weights(be, sample_weight, pred)
    return Args(smooth(y, eps, 2), pred, w, reduction, pos_weight=pw, smoothing=eps)


def categorical_args(
    be: Backend,
    y_true: Array,
    y_pred: Array,
    *,
    from_logits: object,
    class_weight: Array,
    label_smoothing: object,
    sample_weight: Array,
    axis: object,
    reduction: object,
) -> Args:
    """Normalise ``categorical_cross_entropy``: class axis last, ``y`` smoothed.

    ``denominator`` is the class weight of each target, ``Σ_c w_c y_c`` with the unsmoothed
    targets (``None`` without class weights).
    """
    reduction = check_reduction(reduction)
    from_logits = check_bool(from_logits, "from_logits")
    eps = check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    pred = be.prediction(y_pred, "y_pred")
    y = _target(be, y_true, pred, "y_pred")
    ax = check_class_axis(be.shape(pred), axis, be.describe(pred))
    z, y = be.classes_last(pred, ax), be.classes_last(y, ax)
    num_classes = be.shape(z)[-1] or 0
    what = "class probabilities (one-hot or soft)"
    _value_check(be, y, check_finite_in_range, "y_true", 0, 1, what=what)
    _warn_unnormalised(be, y, "y_true")
    _probabilities(be, z, from_logits)
    if not from_logits:
        _warn_unnormalised(be, z, "y_pred")
    cw = class_weights(be, class_weight, num_classes, z)
    w = weights(be, sample_weight, z[..., 0])
    denominator = None if cw is None else be.sum_classes(y * cw)  # Σ_c w_c y_c, unsmoothed
    y = smooth(y, eps, num_classes)
    return Args(y, z, w, reduction, denominator, class_weight=cw, smoothing=eps, axis=ax)


def sparse_args(
    be: Backend,
    y_true: Array,
    y_pred: Array,
    *,
    from_logits: object,
    class_weight: Array,
    ignore_index: Array,
    label_smoothing: object,
    sample_weight: Array,
    axis: object,
    reduction: object,
) -> Args:
    """Normalise ``sparse_categorical_cross_entropy``: int64 labels, class axis last.

    An entry equal to ``ignore_index`` gets label 0 and sample weight 0, so that it leaves
    both the numerator and the denominator of the mean; ``denominator`` is the class weight
    of each target (``None`` without class weights).
    """
    reduction = check_reduction(reduction)
    from_logits = check_bool(from_logits, "from_logits")
    eps = check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    if ignore_index is not None:
        ignore_index = check_int(ignore_index, "ignore_index")
    pred = be.prediction(y_pred, "y_pred")
    ax = check_class_axis(be.shape(pred), axis, be.describe(pred))
    z = be.classes_last(pred, ax)
    num_classes = be.shape(z)[-1] or 0
    labels = be.numeric(y_true, "y_true")
    check_label_shape(be.shape(labels), be.shape(z)[:-1])
    _value_check(be, labels, check_class_labels, "y_true", num_classes, ignore_index=ignore_index)
    labels = be.to_int(labels)
    _probabilities(be, z, from_logits)
    if not from_logits:
        _warn_unnormalised(be, z, "y_pred")
    cw = class_weights(be, class_weight, num_classes, z)
    w = weights(be, sample_weight, z[..., 0])
    if ignore_index is not None:
        kept = labels != ignore_index
        labels = be.where(kept, labels, 0 * labels)  # any valid class: its weight is 0
        w = be.to_float(kept, z[..., 0]) if w is None else w * be.to_float(kept, w)
    return Args(labels, z, w, reduction, class_weight=cw, smoothing=eps, axis=ax)


def regression_args(
    be: Backend,
    y_true: Array,
    y_pred: Array,
    pred_name: str,
    *,
    sample_weight: Array,
    reduction: object,
) -> Args:
    """Normalise a regression loss: finite prediction and targets of the same shape."""
    reduction = check_reduction(reduction)
    pred = be.prediction(y_pred, pred_name)
    _finite(be, pred, pred_name)
    y = _target(be, y_true, pred, pred_name)
    _finite(be, y, "y_true")
    return Args(y, pred, weights(be, sample_weight, pred), reduction)


def gaussian_args(
    be: Backend,
    y_true: Array,
    mean: Array,
    *,
    variance: Array,
    std: Array,
    log_variance: Array,
    full: object,
    eps: object,
    sample_weight: Array,
    reduction: object,
) -> Args:
    """Normalise ``gaussian_nll``: the variance clamped at ``eps``.

    With ``log_variance`` it is the log-variance that is clamped, at ``log eps``; ``spread`` is
    the argument given, checked, or ``None`` for unit variance.
    """
    reduction = check_reduction(reduction)
    pred = be.prediction(mean, "mean")
    _finite(be, pred, "mean")
    y = _target(be, y_true, pred, "mean")
    _finite(be, y, "y_true")
    check_bool(full, "full")
    eps = check_variance_floor(eps, machine_eps(pred).dtype)  # the dtype of the prediction
    spreads = {"variance": variance, "std": std, "log_variance": log_variance}
    given = {name: value for name, value in spreads.items() if value is not None}
    check_one_spread({name: be.describe(value) for name, value in given.items()})
    w = weights(be, sample_weight, pred)
    if log_variance is not None:
        log_var = param(be, log_variance, "log_variance", pred, "mean")
        # var >= eps  <=>  log var >= log eps
        log_var_floor = be.maximum(log_var, float(np.log(eps)))
        return Args(y, pred, w, reduction, spread=log_var, log_variance=log_var_floor)
    spread, var = None, be.cast(1.0, "variance", pred)
    if given:
        name = next(iter(given))
        spread = param(be, given[name], name, pred, "mean")
        _nonnegative(be, spread, name)
        var = spread if name == "variance" else spread * spread
    return Args(y, pred, w, reduction, spread=spread, variance=be.maximum(var, eps))


def poisson_args(
    be: Backend, y_true: Array, y_pred: Array, *, log_input: object, full: object,
    sample_weight: Array, reduction: object,
) -> Args:  # fmt: skip
    """Normalise ``poisson_nll``: counts are whole numbers ``>= 0``; rates are ``>= 0``."""
    reduction = check_reduction(reduction)
    log_input = check_bool(log_input, "log_input")
    check_bool(full, "full")
    args = regression_args(be, y_true, y_pred, "y_pred", sample_weight=None, reduction=reduction)
    _nonnegative(be, args.y, "y_true")
    _value_check(be, args.y, check_integer_valued, "y_true")
    w = weights(be, sample_weight, args.pred)
    if not log_input:
        _nonnegative(be, args.pred, "y_pred")
    return Args(args.y, args.pred, w, reduction)


def laplace_args(
    be: Backend, y_true: Array, loc: Array, *, scale: Array, full: object, sample_weight: Array,
    reduction: object,
) -> Args:  # fmt: skip
    """Normalise ``laplace_nll``: the scale ``b > 0`` is a scalar or ``loc``'s shape."""
    args = regression_args(be, y_true, loc, "loc", sample_weight=None, reduction=reduction)
    check_bool(full, "full")
    b = param(be, scale, "scale", args.pred, "loc")
    _nonnegative(be, b, "scale", strict=True)
    w = weights(be, sample_weight, args.pred)
    return Args(args.y, args.pred, w, args.reduction, spread=b)


# ------------------------------------------------------------------------ Part IV normalisers


def positive_param(be: Backend, value: object, name: str, like: Array, like_name: str) -> Array:
    """A distribution parameter ``> 0`` (df, scale, ...): :func:`param`."""
    p = param(be, value, name, like, like_name)
    _nonnegative(be, p, name, strict=True)
    return p


def check_counts(be: Backend, y: Array, distribution: str) -> None:
    """Targets of a count distribution: whole numbers ``>= 0``."""
    _nonnegative(be, y, "y_true", why=f"counts of the {distribution} distribution")
    _value_check(be, y, check_integer_valued, "y_true")


def check_positive_support(be: Backend, y: Array, distribution: str) -> None:
    """Targets of a distribution on ``(0, inf)``: every ``y > 0``."""
    why = f"the support of the {distribution} distribution"
    _nonnegative(be, y, "y_true", strict=True, why=why)


def check_delta(delta: object) -> float:
    """The Huber threshold: a real ``δ > 0``."""
    return check_scalar(delta, "delta", low=0.0, low_open=True)


def check_quantile(quantile: object) -> float:
    """The pinball quantile: a real ``τ`` in the open interval ``(0, 1)``."""
    tau = check_scalar(quantile, "quantile")
    if not 0.0 < tau < 1.0:
        raise ValueError(f"quantile must be in the open interval (0, 1); got {tau!r}")
    return tau


def check_focal_gamma(gamma: object) -> float:
    """The focusing exponent: a real ``γ >= 0`` (``γ = 0`` is the cross-entropy)."""
    return check_scalar(gamma, "gamma", low=0.0)


def check_focal_alpha(alpha: object) -> float | None:
    """The class balance: ``None`` (no balancing) or a real ``a`` in ``[0, 1]``."""
    return None if alpha is None else check_scalar(alpha, "alpha", low=0.0, high=1.0)


def student_t_args(
    be: Backend, y_true: Array, loc: Array, *, df: Array, scale: Array, sample_weight: Array,
    reduction: object,
) -> Args:  # fmt: skip
    """Normalise ``student_t_nll``: ``df = ν > 0`` and ``scale = σ > 0``.

    Each is a scalar or ``loc``'s shape; ``spread`` is the scale, ``df`` the degrees of freedom.
    """
    args = regression_args(be, y_true, loc, "loc", sample_weight=None, reduction=reduction)
    nu = positive_param(be, df, "df", args.pred, "loc")
    sigma = positive_param(be, scale, "scale", args.pred, "loc")
    w = weights(be, sample_weight, args.pred)
    return Args(args.y, args.pred, w, args.reduction, spread=sigma, df=nu)


def negative_binomial_args(
    be: Backend, y_true: Array, mean: Array, *, total_count: Array, sample_weight: Array,
    reduction: object,
) -> Args:  # fmt: skip
    """Normalise ``negative_binomial_nll``: whole counts ``>= 0``; ``mean``, ``total_count > 0``."""
    args = regression_args(be, y_true, mean, "mean", sample_weight=None, reduction=reduction)
    check_counts(be, args.y, "negative binomial")
    _nonnegative(be, args.pred, "mean", strict=True)
    r = positive_param(be, total_count, "total_count", args.pred, "mean")
    w = weights(be, sample_weight, args.pred)
    return Args(args.y, args.pred, w, args.reduction, total_count=r)


def gamma_args(
    be: Backend, y_true: Array, mean: Array, *, concentration: Array, sample_weight: Array,
    reduction: object,
) -> Args:  # fmt: skip
    """Normalise ``gamma_nll``: ``y > 0``; ``mean`` and ``concentration > 0``."""
    args = regression_args(be, y_true, mean, "mean", sample_weight=None, reduction=reduction)
    check_positive_support(be, args.y, "gamma")
    _nonnegative(be, args.pred, "mean", strict=True)
    k = positive_param(be, concentration, "concentration", args.pred, "mean")
    w = weights(be, sample_weight, args.pred)
    return Args(args.y, args.pred, w, args.reduction, concentration=k)


def lognormal_args(
    be: Backend, y_true: Array, loc: Array, *, scale: Array, sample_weight: Array,
    reduction: object,
) -> Args:  # fmt: skip
    """Normalise ``lognormal_nll``: ``y > 0``; ``scale > 0`` (of ``log y``), ``spread`` below."""
    args = regression_args(be, y_true, loc, "loc", sample_weight=None, reduction=reduction)
    check_positive_support(be, args.y, "log-normal")
    sigma = positive_param(be, scale, "scale", args.pred, "loc")
    w = weights(be, sample_weight, args.pred)
    return Args(args.y, args.pred, w, args.reduction, spread=sigma)


def huber_args(
    be: Backend, y_true: Array, y_pred: Array, *, delta: object, sample_weight: Array,
    reduction: object,
) -> Args:  # fmt: skip
    """Normalise ``huber_loss``: a regression loss with a real threshold ``δ > 0``."""
    d = check_delta(delta)
    args = regression_args(
        be, y_true, y_pred, "y_pred", sample_weight=sample_weight, reduction=reduction
    )
    return Args(args.y, args.pred, args.weights, args.reduction, delta=d)


def pinball_args(
    be: Backend, y_true: Array, y_pred: Array, *, quantile: object, sample_weight: Array,
    reduction: object,
) -> Args:  # fmt: skip
    """Normalise ``pinball_loss``: a regression loss with a real quantile ``τ`` in ``(0, 1)``."""
    tau = check_quantile(quantile)
    args = regression_args(
        be, y_true, y_pred, "y_pred", sample_weight=sample_weight, reduction=reduction
    )
    return Args(args.y, args.pred, args.weights, args.reduction, quantile=tau)


def focal_args(
    be: Backend, y_true: Array, y_pred: Array, *, gamma: object, alpha: object,
    from_logits: object, sample_weight: Array, reduction: object,
) -> Args:  # fmt: skip
    """Normalise ``binary_focal_loss``: ``γ >= 0``, ``alpha`` in ``[0, 1]`` or ``None``.

    The rest is :func:`binary_args` without ``pos_weight`` and label smoothing.
    """
    g, a = check_focal_gamma(gamma), check_focal_alpha(alpha)
    args = binary_args(
        be, y_true, y_pred, from_logits=from_logits, pos_weight=None, label_smoothing=0.0,
        sample_weight=sample_weight, reduction=reduction,
    )  # fmt: skip
    return Args(args.y, args.pred, args.weights, args.reduction, gamma=g, alpha=a)


# ------------------------------------------------------------------------ the reduction


def mean_denominator(weights: Array, denominator: Array, like: Array, be: Backend = NUMPY) -> Array:
    """The denominator of ``reduction="mean"``: ``Σ sᵢ·dᵢ``, or the number of losses.

    ``sᵢ`` is the sample weight (0 for an ignored entry), ``dᵢ`` the class weight of the
    target; ``like`` is shaped like the per-element losses. Raises ValueError when the weights
    sum to 0 (in a TensorFlow graph, where values are unknown, the mean is then 0).
    """
    if weights is None and denominator is None:
        return be.count(like)
    per_element = weights if denominator is None else denominator
    if weights is not None and denominator is not None:
        per_element = weights * denominator
    denom = be.total(be.broadcast(per_element, like))
    values = be.values(denom)
    if values is not None and values == 0:
        raise ValueError(
            "reduction='mean' is undefined: the weights (sample_weight x class weight, with "
            "ignored entries removed) sum to 0"
        )
    return denom


def reduce_losses(
    losses: Array, weights: Array, reduction: str, denominator: Array = None, be: Backend = NUMPY
) -> Array:
    """Apply the contract's reduction to per-element ``losses``.

    * ``"none"``: ``sᵢ·lᵢ`` (``lᵢ`` without weights);
    * ``"sum"``: ``Σ sᵢ·lᵢ``;
    * ``"mean"``: ``Σ sᵢ·lᵢ / Σ sᵢ·dᵢ`` (:func:`mean_denominator`).
    """
    weighted = losses if weights is None else losses * weights
    if reduction == "none":
        return be.result(weighted)
    total = be.total(weighted)
    if reduction == "sum":
        return be.result(total)
    return be.result(be.divide(total, mean_denominator(weights, denominator, losses, be)))
