"""Generic argument checks, shared by every module that takes arrays.

Plain Python and NumPy, no assertion library, and no knowledge of losses or backends (the loss
contract is :mod:`mlecourse._contract`). Every check raises an error that names the argument,
says what was expected and shows what was received, e.g.::

    ValueError: y_pred must be probabilities in [0, 1] when from_logits=False;
    got values in [-0.3, 1.2]

Checks of **values** (``check_*``) take NumPy arrays; checks of **shapes** (``check_*_shape``)
take shape tuples, so that the TFP twin runs them at trace time (``None`` is a dimension unknown
there). Conversions (:func:`as_array`, :func:`as_float`) follow one dtype rule: float32 (and
float16) stays float32, everything else becomes float64.
"""

from __future__ import annotations

import sys
import warnings
from types import FrameType

import numpy as np
import numpy.typing as npt

#: A static shape; ``None`` marks a dimension unknown at trace time (TensorFlow graphs).
Shape = tuple[int | None, ...]

#: Frames a warning skips to point at the reader's line (:func:`stacklevel_outside`).
_LIBRARY_PREFIXES = ("mlecourse.", "tensorflow.", "keras.")


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


def shapes_compatible(s1: Shape, s2: Shape) -> bool:
    """Same rank and equal dimensions, ``None`` (unknown at trace time) matching anything."""
    return len(s1) == len(s2) and all(
        a is None or b is None or a == b for a, b in zip(s1, s2, strict=True)
    )


def _known(shape: Shape) -> tuple[int, ...]:
    """``shape`` with unknown dimensions as -1 (which nothing broadcasts against)."""
    return tuple(-1 if d is None else d for d in shape)


def check_shapes_equal(shape_a: Shape, shape_b: Shape, name_a: str, name_b: str) -> None:
    """Require identical shapes, with a hint for the (N, 1) vs (N,) broadcasting trap."""
    if shapes_compatible(shape_a, shape_b):
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


def stacklevel_outside() -> int:
    """The ``stacklevel`` of :func:`warnings.warn` that points at the first frame outside.

    Outside means neither this package nor TensorFlow or Keras (whose wrappers sit between a
    TFP-twin loss and its caller): counted from the caller of this function, so a warning
    points at the reader's line however many package frames lie between.
    """
    frame: FrameType | None = sys._getframe(1)  # the frame that calls warnings.warn: level 1
    level = 1
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith(
        _LIBRARY_PREFIXES
    ):
        frame, level = frame.f_back, level + 1
    return level


def warn_if_not_normalized(
    arr: np.ndarray, name: str, axis: int, *, stacklevel: int | None = None
) -> None:
    """Warn (UserWarning) when slices of ``arr`` along ``axis`` do not sum to 1.

    The tolerance is ``sqrt(eps)`` of the dtype (about 1.5e-8 for float64, 3.5e-4 for
    float32), scaled by ``sqrt(K)`` for ``K`` outcomes: enough for rounding in a softmax,
    not for a forgotten normalisation. ``stacklevel`` is passed to :func:`warnings.warn`;
    by default (``None``) the warning points at the first caller outside the package, however
    deep the call (:func:`stacklevel_outside`).
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
            stacklevel=stacklevel_outside() if stacklevel is None else stacklevel,
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
