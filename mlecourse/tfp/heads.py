r"""Distribution heads for Keras 3: a network outputs raw parameters, a head makes them a ``tfd``.

``tfp.layers`` only works with the legacy ``tf_keras`` (a ``DistributionLambda`` added to a
Keras 3 model raises ``ValueError``), so the course keeps the network an ordinary Keras 3
model whose last layer is ``keras.layers.Dense(head.num_params)``, and puts the distribution
in the loss:

.. code-block:: python

    head = NormalHead()
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(32, activation="relu"),
                              head.dense()])
    model.compile(optimizer="adam", loss=nll_loss(head))
    model.fit(x, y)
    dist = head(model(x))            # a tfd.Normal: dist.mean(), dist.stddev(), dist.sample()

Every head maps the last axis of the raw output (length :attr:`~DistributionHead.num_params`)
to the parameters of one distribution per row, so raw outputs of shape ``(N, k)`` give a
distribution of batch shape ``(N,)`` and scalar events, and the targets must have shape
``(N,)``. That rule is checked statically: targets of shape ``(N, 1)`` against a batch of
``(N,)`` raise ``ValueError`` instead of broadcasting ``log_prob`` to an ``(N, N)`` matrix
(a silent bug that trains a wrong model). :func:`nll_loss` returns a ``keras.losses.Loss``
subclass, so Keras hands it the targets untouched (a plain loss function would first have its
targets' rank adjusted by Keras).

The heads and what they learn (Chapter 8):

=============================  ==========  ===============================================
head                           num_params  link from the raw outputs ``r``
=============================  ==========  ===============================================
:class:`NormalHead`            2           ``loc = r0``, ``scale = softplus(r1) + min_scale``
:class:`BernoulliHead`         1           ``logits = r0``
:class:`CategoricalHead`       C           ``logits = r``
:class:`PoissonHead`           1           ``log_rate = r0``
:class:`GaussianMixtureHead`   3K          logits, locs, ``softplus(raw scales) + min_scale``
=============================  ==========  ===============================================

The scale floor ``min_scale`` keeps a Gaussian from collapsing onto a single point, where its
likelihood would be unbounded (Chapter 6); it is in the units of the target.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from tensorflow_probability import distributions as tfd

from mlecourse import _validation as _v
from mlecourse.tfp._backend import TF

TensorLike = Any  # a tf.Tensor, NumPy array or nested list (TensorFlow ships no type information)

__all__ = [
    "BernoulliHead",
    "CategoricalHead",
    "DistributionHead",
    "GaussianMixtureHead",
    "NLLLoss",
    "NormalHead",
    "PoissonHead",
    "nll_loss",
]


def _shape(shape: tf.TensorShape) -> tuple[int | None, ...]:
    """A static shape as a tuple (``()`` for an unknown rank)."""
    return tuple(shape.as_list()) if shape.rank is not None else ()


class DistributionHead(abc.ABC):
    """Maps raw network outputs ``(..., num_params)`` to a ``tfd`` distribution of batch ``...``.

    Subclasses define :attr:`num_params` and :meth:`distribution`; calling the head checks the
    raw output's last axis and builds the distribution.
    """

    #: Short name used in loss names and error messages.
    kind: str = "distribution"

    @property
    @abc.abstractmethod
    def num_params(self) -> int:
        """How many raw outputs per example the head needs (the units of the last Dense)."""

    @abc.abstractmethod
    def distribution(self, raw_params: tf.Tensor) -> tfd.Distribution:
        """The distribution for raw outputs of shape ``(..., num_params)`` (unchecked)."""

    def __call__(self, raw_params: TensorLike) -> tfd.Distribution:
        """Build the distribution, after checking that the last axis has ``num_params`` entries.

        Args:
            raw_params: the network's output, shape ``(..., num_params)``.

        Returns:
            A ``tfd.Distribution`` with batch shape ``raw_params.shape[:-1]`` and scalar events.

        Raises:
            ValueError: a last axis of the wrong length (or a scalar).
        """
        raw = tf.convert_to_tensor(raw_params)
        if not raw.dtype.is_floating:
            raw = tf.cast(raw, tf.float32)
        if raw.shape.rank == 0 or (
            raw.shape.rank is not None
            and raw.shape[-1] is not None
            and raw.shape[-1] != self.num_params
        ):
            raise ValueError(
                f"raw_params of a {type(self).__name__} must have {self.num_params} entries "
                f"along the last axis (use keras.layers.Dense({self.num_params})); got shape "
                f"{_shape(raw.shape)}"
            )
        return self.distribution(raw)

    def dense(self, **kwargs: Any) -> keras.layers.Dense:
        """A ``keras.layers.Dense(num_params)`` output layer (``kwargs`` go to ``Dense``)."""
        return keras.layers.Dense(self.num_params, **kwargs)

    def check_targets(self, y: np.ndarray) -> None:
        """Eager value checks of the targets (finite by default); subclasses add support checks."""
        _v.check_finite(y, "y_true")

    def nll(
        self, y_true: TensorLike, raw_params: TensorLike, *, reduction: str = "mean"
    ) -> tf.Tensor:
        r"""Negative log-likelihood of targets under the head's distribution.

        .. math::

            \ell_i = -\log p(y_i \mid \theta(r_i))

        ``l = -head(raw_params).log_prob(y_true)``

        Args:
            y_true: targets of shape ``raw_params.shape[:-1]`` (the distribution's batch shape).
            raw_params: raw network outputs ``(..., num_params)``.
            reduction: ``"mean"``, ``"sum"`` or ``"none"`` (one NLL per example).

        Returns:
            A ``tf.Tensor``: a scalar, or the batch shape for ``reduction="none"``.

        Raises:
            ValueError: targets whose shape is not the batch shape (``(N, 1)`` against
                ``(N,)`` included), a bad ``raw_params`` shape or ``reduction``; in eager mode
                also targets outside the support.
        """
        reduction = _v.check_reduction(reduction)
        dist = self(raw_params)
        y = tf.convert_to_tensor(y_true)
        _check_target_shape(y, dist, self)
        if tf.executing_eagerly():
            self.check_targets(np.asarray(y.numpy()))
        y = tf.cast(y, dist.dtype)
        nll = -dist.log_prob(y)
        return _v.reduce_losses(nll, None, reduction, be=TF)

    def loss(self, **kwargs: Any) -> NLLLoss:
        """This head's Keras loss, :func:`nll_loss` (``kwargs`` go to it)."""
        return nll_loss(self, **kwargs)


def _check_target_shape(y: tf.Tensor, dist: tfd.Distribution, head: DistributionHead) -> None:
    """Targets must have exactly the distribution's batch shape: no (N, 1) vs (N,) broadcast."""
    if y.shape.rank is not None and dist.batch_shape.rank is not None:
        _v.check_batch_shape(_shape(y.shape), _shape(dist.batch_shape), type(head).__name__)


@dataclass(frozen=True)
class NormalHead(DistributionHead):
    r"""Gaussian head: ``loc = r0``, ``scale = softplus(r1) + min_scale``.

    A heteroscedastic regression: the network predicts a mean and a standard deviation per
    input, trained by the Gaussian NLL
    :math:`\tfrac12 \log \sigma^2 + (y - \mu)^2 / (2\sigma^2) + \tfrac12 \log 2\pi`.
    Derived in Chapter 6, :eq:`eq-ch06-hetero` (learned, input-dependent variance); used in
    Chapter 8.

    Args:
        min_scale: a floor on the standard deviation (> 0), in the target's units.

    Examples:
        >>> head = NormalHead(min_scale=0.0)
        >>> dist = head([[1.0, 0.0], [2.0, 5.0]])
        >>> [round(float(s), 4) for s in dist.stddev()]  # softplus(0) = log 2
        [0.6931, 5.0067]
        >>> print(f"{float(head.nll([1.0, 2.0], [[1.0, 0.0], [2.0, 5.0]])):.6f}")
        1.541072
    """

    min_scale: float = 1e-3
    kind = "normal"

    def __post_init__(self) -> None:
        """Check ``min_scale``."""
        _v.check_scalar(self.min_scale, "min_scale", low=0.0)

    @property
    def num_params(self) -> int:
        """Two raw outputs, the location and the raw scale."""
        return 2

    def distribution(self, raw_params: tf.Tensor) -> tfd.Normal:
        """``Normal(r0, softplus(r1) + min_scale)``."""
        scale = tf.math.softplus(raw_params[..., 1]) + self.min_scale
        return tfd.Normal(loc=raw_params[..., 0], scale=scale)


@dataclass(frozen=True)
class BernoulliHead(DistributionHead):
    r"""Bernoulli head: ``logits = r0``; its NLL is binary cross-entropy from logits.

    Derived in Chapter 4, :eq:`eq-ch04-stable` (logistic regression as a Bernoulli model).

    Examples:
        >>> head = BernoulliHead()
        >>> print(f"{float(head.nll([1.0], [[0.0]])):.6f}")  # log 2
        0.693147
    """

    kind = "bernoulli"

    @property
    def num_params(self) -> int:
        """One raw output, the logit."""
        return 1

    def distribution(self, raw_params: tf.Tensor) -> tfd.Bernoulli:
        """``Bernoulli(logits=r0)``, in the dtype of the raw outputs."""
        return tfd.Bernoulli(logits=raw_params[..., 0], dtype=raw_params.dtype)

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are 0/1 outcomes."""
        _v.check_finite(y, "y_true")
        if y.size and not np.isin(y, (0, 1)).all():
            raise ValueError(
                "y_true of a BernoulliHead must be 0/1 outcomes; got values in "
                f"[{y.min():g}, {y.max():g}]"
            )


@dataclass(frozen=True)
class CategoricalHead(DistributionHead):
    r"""Categorical head: ``logits = r`` (C raw outputs); its NLL is sparse cross-entropy.

    Targets are class indices (integers, or whole-number floats as Keras passes them).
    Derived in Chapter 5, :eq:`eq-ch05-ce-logits`.

    Args:
        num_classes: C >= 2.

    Examples:
        >>> head = CategoricalHead(3)
        >>> print(f"{float(head.nll([2], [[0.0, 0.0, 0.0]])):.6f}")  # log 3
        1.098612
    """

    num_classes: int
    kind = "categorical"

    def __post_init__(self) -> None:
        """Check ``num_classes``."""
        _v.check_int(self.num_classes, "num_classes", low=2)

    @property
    def num_params(self) -> int:
        """One raw output (logit) per class."""
        return self.num_classes

    def distribution(self, raw_params: tf.Tensor) -> tfd.Categorical:
        """``Categorical(logits=r)``."""
        return tfd.Categorical(logits=raw_params)

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are class indices in ``[0, C)``."""
        _v.check_class_labels(y, "y_true", self.num_classes)


@dataclass(frozen=True)
class PoissonHead(DistributionHead):
    r"""Poisson head: ``log_rate = r0`` (the canonical log link of Poisson regression).

    Its NLL is :math:`e^{\eta} - y\eta + \log y!`. Derived in Chapter 8, :eq:`eq-ch08-poisson-nll`.

    Examples:
        >>> head = PoissonHead()
        >>> print(f"{float(head.nll([0.0], [[0.0]])):.6f}")  # rate 1, y = 0: loss 1
        1.000000
    """

    kind = "poisson"

    @property
    def num_params(self) -> int:
        """One raw output, the log-rate."""
        return 1

    def distribution(self, raw_params: tf.Tensor) -> tfd.Poisson:
        """``Poisson(log_rate=r0)``."""
        return tfd.Poisson(log_rate=raw_params[..., 0])

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are counts: whole numbers ``>= 0``."""
        _v.check_finite(y, "y_true")
        _v.check_positive(y, "y_true", strict=False)
        _v.check_integer_valued(y, "y_true")


@dataclass(frozen=True)
class GaussianMixtureHead(DistributionHead):
    r"""Mixture-density head: K Gaussians with learned weights, means and scales.

    Raw outputs ``(..., 3K)`` are read as ``[logits (K) | locs (K) | raw scales (K)]``:

    .. math::

        p(y \mid x) = \sum_{k=1}^K \pi_k(x)\, \mathcal N(y \mid \mu_k(x), \sigma_k(x)^2),

        \pi = \mathrm{softmax}(\text{logits}), \qquad
        \sigma_k = \mathrm{softplus}(s_k) + \text{min\_scale}

    ``tfd.MixtureSameFamily(tfd.Categorical(logits=...), tfd.Normal(locs, scales))``. A single
    Gaussian fitted to one-to-many data (two branches of y for one x) predicts their average,
    where no data lie; the mixture keeps both. Derived in Chapter 8, :eq:`eq-ch08-mdn`.

    Args:
        num_components: K >= 1.
        min_scale: floor of every component's standard deviation (> 0).

    Examples:
        >>> head = GaussianMixtureHead(2)
        >>> head.num_params
        6
        >>> dist = head([[0.0, 0.0, -1.0, 1.0, 0.0, 0.0]])
        >>> print(f"{float(dist.mean()[0]):.6f}")  # equal weights, means -1 and 1
        0.000000
    """

    num_components: int
    min_scale: float = 1e-3
    kind = "gaussian_mixture"

    def __post_init__(self) -> None:
        """Check ``num_components`` and ``min_scale``."""
        _v.check_int(self.num_components, "num_components", low=1)
        _v.check_scalar(self.min_scale, "min_scale", low=0.0)

    @property
    def num_params(self) -> int:
        """Three raw outputs per component (logit, location, raw scale)."""
        return 3 * self.num_components

    def distribution(self, raw_params: tf.Tensor) -> tfd.MixtureSameFamily:
        """The mixture of ``num_components`` Normals (see the class docstring)."""
        k = self.num_components
        logits, locs, raw_scales = (
            raw_params[..., :k],
            raw_params[..., k : 2 * k],
            raw_params[..., 2 * k :],
        )
        scales = tf.math.softplus(raw_scales) + self.min_scale
        return tfd.MixtureSameFamily(
            mixture_distribution=tfd.Categorical(logits=logits),
            components_distribution=tfd.Normal(loc=locs, scale=scales),
        )


_HEADS = {
    cls.__name__: cls
    for cls in (NormalHead, BernoulliHead, CategoricalHead, PoissonHead, GaussianMixtureHead)
}


@keras.saving.register_keras_serializable(package="mlecourse")
class NLLLoss(keras.losses.Loss):
    """Keras 3 loss ``(y_true, raw_params) -> NLL`` of a :class:`DistributionHead`.

    A ``keras.losses.Loss`` subclass rather than a function, so that Keras passes the targets
    as they are (it reshapes the targets of plain loss functions). :meth:`call` returns one NLL
    per example and Keras reduces it: with the default ``"sum_over_batch_size"`` that is the
    mean NLL (with ``sample_weight``, Keras divides ``sum(w * nll)`` by the batch size).
    """

    def __init__(self, head: DistributionHead, name: str | None = None, **kwargs: Any) -> None:
        """Wrap ``head``; ``name`` defaults to ``"<kind>_nll"``, ``kwargs`` go to Keras."""
        if not isinstance(head, DistributionHead):
            raise TypeError(f"head must be a DistributionHead; got {type(head).__name__}")
        super().__init__(name=name or f"{head.kind}_nll", **kwargs)
        self.head = head

    def call(self, y_true: TensorLike, y_pred: TensorLike) -> tf.Tensor:
        """One NLL per example (Keras reduces them)."""
        return self.head.nll(y_true, y_pred, reduction="none")

    def get_config(self) -> dict[str, Any]:
        """Keras's config plus the head (class name and fields), for saving."""
        config = super().get_config()
        config["head"] = {"class_name": type(self.head).__name__, "config": dict(vars(self.head))}
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> NLLLoss:
        """Rebuild the loss and its head from :meth:`get_config`."""
        config = dict(config)
        spec = config.pop("head")
        head = _HEADS[spec["class_name"]](**spec["config"])
        return cls(head, **config)


def nll_loss(head: DistributionHead, *, name: str | None = None, **kwargs: Any) -> NLLLoss:
    r"""Turn a head into a Keras loss: ``(y_true, raw_params) -> mean NLL``.

    .. math::

        L = \frac1N \sum_{i=1}^N -\log p(y_i \mid \theta(r_i))

    ``L = mean(-head(raw_params).log_prob(y_true))``

    Derived in Chapter 8, :eq:`eq-ch08-nll`: training a network by maximum likelihood is
    minimising this.

    Args:
        head: the distribution head the model's last layer feeds.
        name: the loss's name in Keras logs (default ``"<kind>_nll"``).
        **kwargs: passed to ``keras.losses.Loss`` (e.g. ``reduction="sum"``).

    Returns:
        An :class:`NLLLoss`, for ``model.compile(loss=...)`` or to call directly.

    Raises:
        TypeError: ``head`` is not a :class:`DistributionHead`.

    Examples:
        >>> loss = nll_loss(NormalHead(min_scale=0.0))
        >>> # loc 0, scale softplus(0.5413) = 1: the standard normal NLL at 0 and 1
        >>> print(f"{float(loss([0.0, 1.0], [[0.0, 0.5413], [0.0, 0.5413]])):.4f}")
        1.1689
    """
    return NLLLoss(head, name=name, **kwargs)
