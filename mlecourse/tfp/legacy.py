"""The legacy path: ``tf_keras`` (Keras 2) models with ``tfp.layers`` distribution layers.

Most tutorials, books and answers written before TensorFlow 2.16 end a model with a
``tfp.layers`` layer (``IndependentNormal``, ``DistributionLambda``) whose *output is a
distribution*, and compile it with ``loss=lambda y, dist: -dist.log_prob(y)``. From TF 2.16 on
``tf.keras`` is Keras 3, which requires layers to output tensors, so ``tfp.layers`` refuses
Keras 3 models (``ValueError``) and only works with the separately installed ``tf_keras``
package (tf-keras, matching TF's minor version). This module shows that path once, so that
the course can run old material; new code should use :mod:`mlecourse.tfp.heads` with Keras 3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# TensorFlow's log level is set once, by `mlecourse.tfp` (imported before this module).
import tensorflow as tf
import tensorflow_probability as tfp
from tensorflow_probability import distributions as tfd

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only (it may not be installed)
    import tf_keras

__all__ = ["make_legacy_regression_model", "negative_log_likelihood"]


def negative_log_likelihood(y_true: tf.Tensor, distribution: tfd.Distribution) -> tf.Tensor:
    r"""The loss of a model whose output is a distribution: :math:`-\log p(y \mid x)`.

    ``nll = -distribution.log_prob(y_true)`` -- the ``loss=`` of every ``tfp.layers`` model.
    Derived in Chapter 8.

    Args:
        y_true: the targets, shaped like one sample of ``distribution``.
        distribution: the model's output (a ``tfd.Distribution``).

    Returns:
        One NLL per example.
    """
    return -distribution.log_prob(y_true)


def make_legacy_regression_model(
    input_dim: int, *, hidden_units: tuple[int, ...] = (), learning_rate: float = 0.05
) -> tf_keras.Sequential:
    r"""A compiled ``tf_keras`` model ending in ``tfp.layers.IndependentNormal(1)``.

    The last ``Dense`` outputs ``IndependentNormal.params_size(1) = 2`` numbers per example,
    read as a mean and a softplus-transformed scale; the model's output is a ``tfd``
    distribution and the loss is :func:`negative_log_likelihood`:

    .. math::

        \mathcal{L} = -\log \mathcal N\big(y \mid \mu(x), \sigma(x)^2\big)

    Derived in Chapter 8 (the legacy ``tfp.layers`` path). Requires the ``tf-keras`` package.

    Args:
        input_dim: the number of input features.
        hidden_units: sizes of ``relu`` hidden layers (none: a linear-Gaussian model).
        learning_rate: Adam's learning rate.

    Returns:
        A compiled ``tf_keras.Sequential`` model; ``model(x)`` is a distribution
        (``.mean()``, ``.stddev()``) and ``model.fit(x, y)`` takes targets of shape ``(N, 1)``.

    Raises:
        ImportError: ``tf_keras`` is not installed.

    Examples:
        >>> model = make_legacy_regression_model(1)
        >>> dist = model(tf.zeros((3, 1)))
        >>> dist.event_shape.as_list(), dist.batch_shape.as_list()
        ([1], [3])
    """
    try:
        import tf_keras
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError(
            "the legacy tfp.layers path needs tf_keras: pip install 'tf-keras~=X.Y.0' with X.Y "
            "your TensorFlow version (python -m mlecourse tells which)"
        ) from exc
    tfpl = tfp.layers
    layers = [tf_keras.Input((input_dim,))]
    layers += [tf_keras.layers.Dense(units, activation="relu") for units in hidden_units]
    layers += [
        tf_keras.layers.Dense(tfpl.IndependentNormal.params_size(1)),
        tfpl.IndependentNormal(1),
    ]
    model = tf_keras.Sequential(layers)
    model.compile(optimizer=tf_keras.optimizers.Adam(learning_rate), loss=negative_log_likelihood)
    return model
