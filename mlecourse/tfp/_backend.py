"""The TensorFlow side of the loss contract: how :mod:`mlecourse._validation` reaches tensors.

The contract (every check, every message, the reduction) lives in :mod:`mlecourse._validation`
and is written once; this :class:`~mlecourse._validation.Backend` gives it tensors. Decisions:

* **Conversion.** A tensor or ``tf.Variable`` is kept (and must be numeric); anything else goes
  through ``np.asarray`` first, like the NumPy twin, so a Python list of floats is float64
  (``tf.constant([0.5])`` would have been float32). The prediction decides the dtype:
  float16/bfloat16/float32 -> float32, anything else -> float64.
* **Values are checked only in eager mode.** :meth:`TensorFlowBackend.values` returns ``None``
  inside ``tf.function``, so value checks are skipped there -- like TFP's
  ``validate_args=False`` in a hot path -- while the shape checks, which need only static
  shapes, always run. A weighted mean whose weights sum to 0 therefore raises in eager mode
  and is 0 in a graph (``tf.math.divide_no_nan``, Keras's convention).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from mlecourse import _validation as _v


def _tensor(x: _v.Array, name: str) -> tf.Tensor:
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


class TensorFlowBackend:
    """The :class:`~mlecourse._validation.Backend` of the TFP twin and the heads."""

    def prediction(self, x: _v.Array, name: str) -> tf.Tensor:
        """A non-empty float tensor: float32 for float16/bfloat16/float32, else float64."""
        t = _tensor(x, name)
        small = t.dtype in (tf.float16, tf.bfloat16, tf.float32)
        t = tf.cast(t, tf.float32 if small else tf.float64)
        _v.check_nonempty_shape(self.shape(t), name)
        return t

    def cast(self, x: _v.Array, name: str, like: tf.Tensor) -> tf.Tensor:
        """``x`` in ``like``'s dtype."""
        return tf.cast(_tensor(x, name), like.dtype)

    def numeric(self, x: _v.Array, name: str) -> tf.Tensor:
        """``x`` as a numeric tensor, not cast."""
        return _tensor(x, name)

    def values(self, x: tf.Tensor) -> np.ndarray | None:
        """``x.numpy()`` when executing eagerly, ``None`` inside a graph."""
        return np.asarray(x.numpy()) if tf.executing_eagerly() else None

    def shape(self, x: tf.Tensor) -> _v.Shape:
        """The static shape, ``None`` for dimensions unknown at trace time."""
        return tuple(x.shape.as_list())

    def describe(self, x: object) -> str:
        """A value's description; ``'a tensor'`` for one whose value is unknown (a graph)."""
        if not tf.is_tensor(x):
            return _v.describe(x)
        values = self.values(x)
        return "a tensor" if values is None else _v.describe(values)

    def classes_last(self, x: tf.Tensor, axis: int) -> tf.Tensor:
        """``x`` with axis ``axis`` moved last (a transpose)."""
        rank = x.shape.rank
        if axis == rank - 1:
            return x
        return tf.transpose(x, [i for i in range(rank) if i != axis] + [axis])

    def clip(self, x: tf.Tensor, low: float, high: float) -> tf.Tensor:
        """``tf.clip_by_value``."""
        return tf.clip_by_value(x, low, high)

    def where(self, condition: _v.Array, x: _v.Array, y: _v.Array) -> tf.Tensor:
        """``tf.where``."""
        return tf.where(condition, x, y)

    def to_int(self, x: tf.Tensor) -> tf.Tensor:
        """``x`` as int64."""
        return tf.cast(x, tf.int64)

    def to_float(self, x: tf.Tensor, like: tf.Tensor) -> tf.Tensor:
        """``x`` in ``like``'s dtype."""
        return tf.cast(x, like.dtype)

    def maximum(self, x: tf.Tensor, floor: float) -> tf.Tensor:
        """``tf.maximum(x, floor)``."""
        return tf.maximum(x, tf.constant(floor, x.dtype))  # not tf.cast: that rounds via float32

    def log(self, x: tf.Tensor) -> tf.Tensor:
        """``tf.math.log``."""
        return tf.math.log(x)

    def total(self, x: tf.Tensor) -> tf.Tensor:
        """``tf.reduce_sum`` over every axis."""
        return tf.reduce_sum(x)

    def sum_classes(self, x: tf.Tensor) -> tf.Tensor:
        """``tf.reduce_sum`` over the last axis."""
        return tf.reduce_sum(x, axis=-1)

    def count(self, x: tf.Tensor) -> tf.Tensor:
        """The number of entries, in ``x``'s dtype."""
        return tf.cast(tf.size(x), x.dtype)

    def broadcast(self, x: tf.Tensor, like: tf.Tensor) -> tf.Tensor:
        """``tf.broadcast_to`` ``like``'s (dynamic) shape."""
        return tf.broadcast_to(x, tf.shape(like))

    def divide(self, a: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
        """``tf.math.divide_no_nan``: 0 for a zero denominator (only reachable in a graph)."""
        return tf.math.divide_no_nan(a, b)

    def result(self, x: tf.Tensor) -> tf.Tensor:
        """The tensor itself."""
        return x


TF = TensorFlowBackend()
