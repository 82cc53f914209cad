"""Private input checks shared by every public function of :mod:`mlecourse`.

Plain Python and NumPy, no assertion library. Every check raises an error that names
the argument, says what was expected and shows what was received, e.g.::

    ValueError: y_pred must be probabilities in [0, 1] when from_logits=False;
    got values in [-0.3, 1.2]

Conventions (decided once, here):

* **dtype** — the *prediction* argument (probabilities, logits, means, rates) decides the
  floating dtype of the result: float32 stays float32, float64 stays float64, and integer
  or boolean predictions become float64. Targets (integers, booleans, floats) are cast to
  that dtype. This is "float32 in -> float32 out" without letting an integer label array
  promote a float32 computation to float64.
* **shapes** — never broadcast targets against predictions: ``(N, 1)`` against ``(N,)``
  would silently become ``(N, N)``. Shapes must match exactly (class axes excepted).
* **values** — NaN and infinity are rejected in inputs; recoverable oddities warn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

REDUCTIONS = ("mean", "sum", "none")


def _describe(x: Any) -> str:
    """A short description of a received value for an error message."""
    arr = np.asarray(x) if not isinstance(x, np.ndarray) else x
    if arr.ndim == 0:
        return repr(arr.item()) if arr.dtype != object else repr(x)
    return f"an array of shape {arr.shape} and dtype {arr.dtype}"


def _value_range(arr: np.ndarray) -> str:
    """'[min, max]' of the finite entries, for error messages."""
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
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; got an array of shape {arr.shape}")


def check_finite(arr: np.ndarray, name: str) -> None:
    """Reject NaN and +-inf, reporting how many entries are bad and the first position."""
    if arr.dtype.kind != "f":
        return
    bad = ~np.isfinite(arr)
    if bad.any():
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must be finite; got {int(bad.sum())} NaN or infinite value(s), "
            f"the first at index {first} ({arr[first]})"
        )


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Require identical shapes, with a hint for the (N, 1) vs (N,) broadcasting trap."""
    if a.shape == b.shape:
        return
    hint = ""
    if a.ndim != b.ndim and np.squeeze(a).shape == np.squeeze(b).shape:
        hint = (
            " (one has an extra axis of length 1; broadcasting them would silently build an "
            f"{np.broadcast_shapes(a.shape, b.shape)} matrix: reshape one of them explicitly)"
            if _broadcastable(a.shape, b.shape)
            else " (they differ by an axis of length 1: reshape one of them explicitly)"
        )
    raise ValueError(
        f"{name_a} and {name_b} must have the same shape; got {a.shape} and {b.shape}{hint}"
    )


def _broadcastable(s1: tuple[int, ...], s2: tuple[int, ...]) -> bool:
    try:
        np.broadcast_shapes(s1, s2)
    except ValueError:
        return False
    return True


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


def check_positive(arr: np.ndarray, name: str, *, strict: bool = True) -> None:
    """Require ``arr > 0`` (``strict``) or ``arr >= 0``."""
    if not arr.size:
        return
    bad = (arr <= 0) if strict else (arr < 0)
    if bad.any():
        relation = "> 0" if strict else ">= 0"
        raise ValueError(
            f"{name} must be {relation}; got {int(bad.sum())} value(s) violating it, "
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


def check_reduction(reduction: str) -> str:
    """Return ``reduction`` if it is one of 'mean', 'sum', 'none'."""
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}; got {reduction!r}")
    return reduction


def check_choice(value: Any, name: str, choices: Sequence[Any]) -> Any:
    """Require ``value`` to be one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}; got {value!r}")
    return value


def check_bool(value: Any, name: str) -> bool:
    """Require a real boolean (``True``/``False`` or a NumPy bool)."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def check_scalar(
    value: Any,
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


def reduce_losses(losses: np.ndarray, weights: np.ndarray | None, reduction: str) -> np.ndarray:
    """Apply the contract's reductions to per-element ``losses``.

    * ``"none"``: ``w * l`` elementwise (``l`` if no weights);
    * ``"sum"``: ``sum(w * l)``;
    * ``"mean"``: ``sum(w * l) / sum(w)`` -- the weighted mean; with no weights, ``mean(l)``.

    A weighted mean whose weights sum to zero (everything ignored) raises ValueError
    instead of returning NaN.
    """
    if weights is not None:
        weighted = losses * weights
    else:
        weighted = losses
    if reduction == "none":
        return weighted
    total = weighted.sum(dtype=losses.dtype)
    if reduction == "sum":
        return total
    denom = (
        weights.sum(dtype=losses.dtype) if weights is not None else losses.dtype.type(losses.size)
    )
    if denom == 0:
        raise ValueError(
            "reduction='mean' is undefined: the weights (sample_weight x class weight, with "
            "ignored entries removed) sum to 0"
        )
    return total / denom


def as_weights(
    sample_weight: npt.ArrayLike | None,
    shape: tuple[int, ...],
    dtype: np.dtype,
    name: str = "sample_weight",
) -> np.ndarray | None:
    """Validate ``sample_weight``: shape exactly ``shape`` (or a scalar), finite and >= 0."""
    if sample_weight is None:
        return None
    w = as_float(sample_weight, name, dtype)
    if w.ndim != 0 and w.shape != shape:
        raise ValueError(
            f"{name} must be a scalar or have the shape of the per-element losses {shape}; "
            f"got {w.shape}"
        )
    check_finite(w, name)
    check_positive(w, name, strict=False)
    return np.broadcast_to(w, shape)


def check_int(value: Any, name: str, *, low: int | None = None) -> int:
    """Require a Python or NumPy integer (``bool`` is rejected), optionally ``>= low``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer; got {value!r}")
    v = int(value)
    if low is not None and v < low:
        raise ValueError(f"{name} must be an integer >= {low}; got {v}")
    return v


def check_seed(seed: Any) -> int:
    """Require a non-negative integer seed, so that a dataset is reproducible by construction."""
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, int | np.integer):
        raise TypeError(
            f"seed must be a non-negative integer (it fixes the random draws); got {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {int(seed)}")
    return int(seed)


def check_axis(axis: Any, ndim: int, name: str = "axis") -> int:
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
    import warnings

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


def as_param(
    value: npt.ArrayLike, name: str, shape: tuple[int, ...], dtype: np.dtype, like: str
) -> np.ndarray:
    """A distribution parameter (variance, scale, ...): a scalar or exactly ``shape``, finite.

    No broadcasting beyond a scalar: ``(N, 1)`` against ``(N,)`` is an error, as for targets.
    """
    arr = as_float(value, name, dtype)
    if arr.ndim != 0 and arr.shape != shape:
        raise ValueError(
            f"{name} must be a scalar or have the shape of {like} {shape}; got shape {arr.shape}"
        )
    check_finite(arr, name)
    return arr
