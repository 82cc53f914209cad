"""The TensorFlow side of the loss contract: how ``mlecourse._contract`` reaches tensors.

The contract (every check, every message, the reduction) lives in ``mlecourse._contract``
and is written once; this ``mlecourse._backend.Backend`` gives it tensors. Decisions:

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

from mlecourse._backend import Backend
from mlecourse._checks import Shape, as_array, check_nonempty_shape, describe


def _tensor(x: object, name: str) -> tf.Tensor:
    """``x`` as a numeric tf.Tensor; non-tensors go through ``np.asarray`` like the reference."""
    if isinstance(x, tf.Variable) or tf.is_tensor(x):
        t = tf.convert_to_tensor(x)
        if not (t.dtype.is_floating or t.dtype.is_integer or t.dtype == tf.bool):
            raise TypeError(
                f"{name} must contain real numbers (bool, integer or float); "
                f"got dtype {t.dtype.name}"
            )
        return t
    return tf.convert_to_tensor(as_array(x, name))  # type: ignore[arg-type]


class TensorFlowBackend:
    """The ``mlecourse._backend.Backend`` of the TFP twin and the heads."""

    def prediction(self, x: object, name: str) -> tf.Tensor:
        """A non-empty float tensor: float32 for float16/bfloat16/float32, else float64."""
        t = _tensor(x, name)
        small = t.dtype in (tf.float16, tf.bfloat16, tf.float32)
        t = tf.cast(t, tf.float32 if small else tf.float64)
        check_nonempty_shape(self.shape(t), name)
        return t

    def cast(self, x: object, name: str, like: tf.Tensor) -> tf.Tensor:
        """``x`` in ``like``'s dtype."""
        return tf.cast(_tensor(x, name), like.dtype)

    def numeric(self, x: object, name: str) -> tf.Tensor:
        """``x`` as a numeric tensor, not cast."""
        return _tensor(x, name)

    def values(self, x: tf.Tensor) -> np.ndarray | None:
        """``x.numpy()`` when executing eagerly, ``None`` inside a graph."""
        return np.asarray(x.numpy()) if tf.executing_eagerly() else None

    def shape(self, x: tf.Tensor) -> Shape:
        """The static shape, ``None`` for dimensions unknown at trace time."""
        return tuple(x.shape.as_list())

    def describe(self, x: object) -> str:
        """A value's description; ``'a tensor'`` for one whose value is unknown (a graph)."""
        if not tf.is_tensor(x):
            return describe(x)
        values = self.values(x)
        return "a tensor" if values is None else describe(values)

    def classes_last(self, x: tf.Tensor, axis: int) -> tf.Tensor:
        """``x`` with axis ``axis`` moved last (a transpose)."""
        rank = x.shape.rank
        if axis == rank - 1:
            return x
        return tf.transpose(x, [i for i in range(rank) if i != axis] + [axis])

    def to_int(self, x: tf.Tensor) -> tf.Tensor:
        """``x`` as int64."""
        return tf.cast(x, tf.int64)

    def total(self, x: tf.Tensor) -> tf.Tensor:
        """``tf.reduce_sum`` over every axis."""
        return tf.reduce_sum(x)

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


TF: Backend[tf.Tensor] = TensorFlowBackend()
