"""The backend protocol: what the loss contract needs from an array library.

:mod:`mlecourse._contract` is written once, for two array libraries: NumPy (:data:`NUMPY`,
here) and TensorFlow (``mlecourse.tfp._backend.TF``, imported only with the TFP twin). A
:class:`Backend` offers conversions, static shapes, the values to check, and the few
operations of the reduction; every check and every message stays in the contract.

The protocol is generic in the array type ``A``: ``Backend[np.ndarray]`` here, and a
``tf.Tensor`` backend in the twin (TensorFlow ships no type information, so there ``A`` is
``Any`` to a type checker).
"""

from __future__ import annotations

from typing import Protocol, TypeVar

import numpy as np

from mlecourse._checks import Shape, as_array, as_float, check_nonempty, describe

A = TypeVar("A")


class Backend(Protocol[A]):
    """Conversions, shapes, values and the operations of the reduction, for arrays of type A."""

    def prediction(self, x: object, name: str) -> A:
        """``x`` as a non-empty float array whose dtype the input decides (float32 stays)."""
        ...

    def cast(self, x: object, name: str, like: A) -> A:
        """``x`` (numeric) converted to ``like``'s float dtype."""
        ...

    def numeric(self, x: object, name: str) -> A:
        """``x`` as a numeric (bool, integer or float) array, not cast."""
        ...

    def values(self, x: A) -> np.ndarray | None:
        """Concrete values to check (``None`` where they are unknown, inside a graph)."""
        ...

    def shape(self, x: A) -> Shape:
        """The (static) shape; ``None`` marks an unknown dimension."""
        ...

    def describe(self, x: object) -> str:
        """A short description of an argument for an error message."""
        ...

    def classes_last(self, x: A, axis: int) -> A:
        """``x`` with axis ``axis`` moved last."""
        ...

    def to_int(self, x: A) -> A:
        """Integer class indices (int64)."""
        ...

    def total(self, x: A) -> A:
        """The sum of all entries, in ``x``'s dtype."""
        ...

    def count(self, x: A) -> A:
        """The number of entries of ``x``, in ``x``'s dtype."""
        ...

    def broadcast(self, x: A, like: A) -> A:
        """``x`` (a scalar or ``like``'s shape) broadcast to ``like``'s shape."""
        ...

    def divide(self, a: A, b: A) -> A:
        """``a / b`` for the mean (a graph gives 0 for a zero denominator)."""
        ...

    def result(self, x: A) -> A:
        """What a loss returns (a NumPy scalar rather than a 0-d array)."""
        ...


class NumpyBackend:
    """The :class:`Backend` of the NumPy reference losses and their gradients."""

    def prediction(self, x: object, name: str) -> np.ndarray:
        """``x`` as a non-empty float32/float64 array."""
        arr = as_float(x, name)  # type: ignore[arg-type]
        check_nonempty(arr, name)
        return arr

    def cast(self, x: object, name: str, like: np.ndarray) -> np.ndarray:
        """``x`` in ``like``'s dtype."""
        return as_float(x, name, like.dtype)  # type: ignore[arg-type]

    def numeric(self, x: object, name: str) -> np.ndarray:
        """``x`` as a numeric array."""
        return as_array(x, name)  # type: ignore[arg-type]

    def values(self, x: np.ndarray) -> np.ndarray:
        """The array itself: NumPy values are always known."""
        return x

    def shape(self, x: np.ndarray) -> Shape:
        """``x.shape``."""
        return tuple(x.shape)

    def describe(self, x: object) -> str:
        """See :func:`mlecourse._checks.describe`."""
        return describe(x)

    def classes_last(self, x: np.ndarray, axis: int) -> np.ndarray:
        """A view with ``axis`` moved last."""
        return np.moveaxis(x, axis, -1)

    def to_int(self, x: np.ndarray) -> np.ndarray:
        """``x`` as int64."""
        return x.astype(np.int64)

    def total(self, x: np.ndarray) -> np.ndarray:
        """``x.sum()`` accumulated in ``x``'s dtype."""
        return x.sum(dtype=x.dtype)

    def count(self, x: np.ndarray) -> np.ndarray:
        """``x.size`` as a scalar of ``x``'s dtype."""
        return x.dtype.type(x.size)

    def broadcast(self, x: np.ndarray, like: np.ndarray) -> np.ndarray:
        """``np.broadcast_to`` (a read-only view)."""
        return np.broadcast_to(x, like.shape)

    def divide(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``a / b``."""
        return a / b

    def result(self, x: np.ndarray) -> np.ndarray:
        """A 0-d array becomes a NumPy scalar."""
        return x[()] if isinstance(x, np.ndarray) else x


NUMPY: Backend[np.ndarray] = NumpyBackend()


def numpy_dtype(x: object) -> np.dtype:
    """The NumPy dtype of an array or of a tensor (``tf.DType.as_numpy_dtype``)."""
    dtype = x.dtype  # type: ignore[attr-defined]
    return np.dtype(getattr(dtype, "as_numpy_dtype", dtype))


def machine_eps(x: object) -> float:
    """``np.finfo(dtype).eps`` of an array's or a tensor's float dtype, as a Python float.

    A Python float keeps float32 arithmetic in float32 (NEP 50), in NumPy and TensorFlow alike.
    """
    return float(np.finfo(numpy_dtype(x)).eps)
