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
head                           num_params  link from the raw outputs ``z``
=============================  ==========  ===============================================
:class:`NormalHead`            2           ``loc = z0``, ``scale = softplus(z1) + min_scale``
:class:`BernoulliHead`         1           ``logits = z0``
:class:`CategoricalHead`       K           ``logits = z``
:class:`PoissonHead`           1           ``log_rate = z0``
:class:`GaussianMixtureHead`   3J          logits, locs, ``softplus(raw scales) + min_scale``
=============================  ==========  ===============================================

The scale floor ``min_scale`` keeps a Gaussian from collapsing onto a single point, where its
likelihood would be unbounded (Chapter 6); it is in the units of the target.

Heads for targets the four textbook cases do not fit (Chapter 11):

==============================  ==========  ==============================================
head                            num_params  link from the raw outputs ``z``
==============================  ==========  ==============================================
:class:`StudentTHead`           3 (2)       ``loc = z0``, ``scale = softplus(z1) + min_scale``,
                                            ``df = softplus(z2) + min_df`` (or a fixed ``df``)
:class:`NegativeBinomialHead`   2           ``mean = exp(z0)``,
                                            ``total_count = softplus(z1) + min_total_count``
:class:`GammaHead`              2           ``mean = softplus(z0) + min_mean``,
                                            ``concentration = softplus(z1) + min_concentration``
:class:`LogNormalHead`          2           ``loc = z0``, ``scale = softplus(z1) + min_scale``
:class:`QuantileHead`           K           quantile ``k`` = ``z_k`` (no distribution: the
                                            pinball loss, averaged over the K quantiles)
==============================  ==========  ==============================================

Decisions, written down once here: every positive parameter is ``softplus(raw) + floor`` like
``NormalHead``'s scale (softplus grows linearly, so a large parameter does not explode the way
``exp`` would, and the floor keeps the likelihood bounded); the one exception is the mean of
the negative binomial, whose log link ``mean = exp(z0)`` is the Poisson head's log-rate
convention, so that a Poisson and a negative-binomial network read the same first output. Each
floor is in the units of the parameter it bounds and is documented with its head.
"""

from __future__ import annotations

import abc
import itertools
from dataclasses import dataclass
from typing import Any, Literal

import keras
import numpy as np
import tensorflow as tf
from tensorflow_probability import distributions as tfd

from mlecourse import _checks as checks
from mlecourse import _contract as contract
from mlecourse._backend import NUMPY
from mlecourse.tfp._backend import TF

TensorLike = Any  # a tf.Tensor, NumPy array or nested list (TensorFlow ships no type information)

__all__ = [
    "BernoulliHead",
    "CategoricalHead",
    "DistributionHead",
    "GammaHead",
    "GaussianMixtureHead",
    "LogNormalHead",
    "NLLLoss",
    "NegativeBinomialHead",
    "NormalHead",
    "PinballLoss",
    "PoissonHead",
    "QuantileHead",
    "StudentTHead",
    "nll_loss",
]


def _shape(shape: tf.TensorShape) -> tuple[int | None, ...]:
    """A static shape as a tuple (``()`` for an unknown rank)."""
    return tuple(shape.as_list()) if shape.rank is not None else ()


def _raw_params(raw_params: TensorLike, num_params: int, owner: str) -> tf.Tensor:
    """Raw outputs as a float tensor whose last axis has ``num_params`` entries."""
    raw = TF.prediction(raw_params, "raw_params")  # the losses' dtype policy: a list is float64
    if raw.shape.rank == 0 or (
        raw.shape.rank is not None and raw.shape[-1] is not None and raw.shape[-1] != num_params
    ):
        raise ValueError(
            f"raw_params of a {owner} must have {num_params} entries along the last axis "
            f"(use keras.layers.Dense({num_params})); got shape {_shape(raw.shape)}"
        )
    return raw


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
        return self.distribution(_raw_params(raw_params, self.num_params, type(self).__name__))

    def dense(self, **kwargs: Any) -> keras.layers.Dense:
        """A ``keras.layers.Dense(num_params)`` output layer (``kwargs`` go to ``Dense``)."""
        return keras.layers.Dense(self.num_params, **kwargs)

    def check_targets(self, y: np.ndarray) -> None:
        """Eager value checks of the targets (finite by default); subclasses add support checks."""
        checks.check_finite(y, "y_true")

    def nll(
        self,
        y_true: TensorLike,
        raw_params: TensorLike,
        *,
        reduction: Literal["mean", "sum", "none"] = "mean",
    ) -> tf.Tensor:
        r"""Negative log-likelihood of targets under the head's distribution.

        .. math::

            \mathcal{L}_i = -\log p(y_i \mid \theta(r_i))

        ``nll = -head(raw_params).log_prob(y_true)``

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
        dist = self(raw_params)
        y = tf.convert_to_tensor(y_true)
        _check_target_shape(y, dist, self)
        values = TF.values(y)  # None inside a graph: value checks run eagerly only
        if values is not None:
            self.check_targets(values)
        y = tf.cast(y, dist.dtype)
        nll = -dist.log_prob(y)
        return contract.reduce(TF, nll, None, reduction)

    def loss(self, **kwargs: Any) -> NLLLoss:
        """This head's Keras loss, :func:`nll_loss` (``kwargs`` go to it)."""
        return nll_loss(self, **kwargs)


def _check_target_shape(y: tf.Tensor, dist: tfd.Distribution, head: DistributionHead) -> None:
    """Targets must have exactly the distribution's batch shape: no (N, 1) vs (N,) broadcast."""
    if y.shape.rank is not None and dist.batch_shape.rank is not None:
        contract.check_batch_shape(_shape(y.shape), _shape(dist.batch_shape), type(head).__name__)


@dataclass(frozen=True)
class NormalHead(DistributionHead):
    r"""Gaussian head: ``loc = z0``, ``scale = softplus(z1) + min_scale``.

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
        checks.check_scalar(self.min_scale, "min_scale", low=0.0)

    @property
    def num_params(self) -> int:
        """Two raw outputs, the location and the raw scale."""
        return 2

    def distribution(self, raw_params: tf.Tensor) -> tfd.Normal:
        """``Normal(z0, softplus(z1) + min_scale)``."""
        scale = tf.math.softplus(raw_params[..., 1]) + self.min_scale
        return tfd.Normal(loc=raw_params[..., 0], scale=scale)


@dataclass(frozen=True)
class BernoulliHead(DistributionHead):
    r"""Bernoulli head: ``logits = z0``; its NLL is binary cross-entropy from logits.

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
        """``Bernoulli(logits=z0)``, in the dtype of the raw outputs."""
        return tfd.Bernoulli(logits=raw_params[..., 0], dtype=raw_params.dtype)

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are 0/1 outcomes."""
        checks.check_finite(y, "y_true")
        if y.size and not np.isin(y, (0, 1)).all():
            raise ValueError(
                "y_true of a BernoulliHead must be 0/1 outcomes; got values in "
                f"[{y.min():g}, {y.max():g}]"
            )


@dataclass(frozen=True)
class CategoricalHead(DistributionHead):
    r"""Categorical head: ``logits = z`` (K raw outputs); its NLL is sparse cross-entropy.

    Targets are class indices (integers, or whole-number floats as Keras passes them).
    Derived in Chapter 5, :eq:`eq-ch05-ce-logits`.

    Args:
        num_classes: The number of classes K >= 2.

    Examples:
        >>> head = CategoricalHead(3)
        >>> print(f"{float(head.nll([2], [[0.0, 0.0, 0.0]])):.6f}")  # log 3
        1.098612
    """

    num_classes: int
    kind = "categorical"

    def __post_init__(self) -> None:
        """Check ``num_classes``."""
        checks.check_int(self.num_classes, "num_classes", low=2)

    @property
    def num_params(self) -> int:
        """One raw output (logit) per class."""
        return self.num_classes

    def distribution(self, raw_params: tf.Tensor) -> tfd.Categorical:
        """``Categorical(logits=r)``."""
        return tfd.Categorical(logits=raw_params)

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are class indices in ``[0, K)``."""
        checks.check_class_labels(y, "y_true", self.num_classes)


@dataclass(frozen=True)
class PoissonHead(DistributionHead):
    r"""Poisson head: ``log_rate = z0`` (the canonical log link of Poisson regression).

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
        """``Poisson(log_rate=z0)``."""
        return tfd.Poisson(log_rate=raw_params[..., 0])

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are counts: whole numbers ``>= 0``."""
        checks.check_finite(y, "y_true")
        checks.check_positive(y, "y_true", strict=False)
        checks.check_integer_valued(y, "y_true")


@dataclass(frozen=True)
class GaussianMixtureHead(DistributionHead):
    r"""Mixture-density head: J Gaussians with learned weights, means and scales.

    Raw outputs ``(..., 3J)`` are read as ``[logits (J) | locs (J) | raw scales (J)]``:

    .. math::

        p(y \mid x) = \sum_{j=0}^{J-1} \pi_j(x)\, \mathcal N(y \mid \mu_j(x), \sigma_j(x)^2),

        \pi = \mathrm{softmax}(\text{logits}), \qquad
        \sigma_j = \mathrm{softplus}(s_j) + \text{min\_scale}

    ``tfd.MixtureSameFamily(tfd.Categorical(logits=...), tfd.Normal(locs, scales))``. A single
    Gaussian fitted to one-to-many data (two branches of y for one x) predicts their average,
    where no data lie; the mixture keeps both. Derived in Chapter 8, :eq:`eq-ch08-mdn`.

    Args:
        num_components: J >= 1.
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
        checks.check_int(self.num_components, "num_components", low=1)
        checks.check_scalar(self.min_scale, "min_scale", low=0.0)

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


# ------------------------------------------------ heavy tails, counts, positive values, quantiles


def _check_counts(y: np.ndarray, distribution: str) -> None:
    """Counts: finite whole numbers ``>= 0`` (the losses' check and message)."""
    checks.check_finite(y, "y_true")
    contract.check_counts(NUMPY, y, distribution)


def _check_positive_targets(y: np.ndarray, distribution: str) -> None:
    """Positive values: finite and ``> 0``, the support (the losses' check and message)."""
    checks.check_finite(y, "y_true")
    contract.check_positive_support(NUMPY, y, distribution)


def _positive(raw: tf.Tensor, floor: float) -> tf.Tensor:
    """``softplus(raw) + floor``: a positive parameter, bounded below, linear for large raw."""
    return tf.math.softplus(raw) + floor


@dataclass(frozen=True)
class StudentTHead(DistributionHead):
    r"""Student-t head: ``loc = z0``, ``scale = softplus(z1) + min_scale``, ``df`` learned.

    The degrees of freedom are ``df = softplus(z2) + min_df``, or a fixed ``df``.

    A regression robust to outliers: the Student-t NLL grows like
    :math:`\tfrac{\nu + 1}{2} \log (y - \mu)^2` in the residual, not quadratically, so a few
    gross errors cannot drag the fitted line. The network learns the degrees of freedom
    :math:`\nu` too: a small :math:`\nu` says "heavy tails", a large one recovers the Gaussian
    (:math:`\nu \to \infty`). Pass ``df=`` to fix :math:`\nu` instead; the head then needs
    two raw outputs.

    ``min_df = 1`` (the default) keeps :math:`\nu > 1`, where the mean exists, so ``loc`` is
    the conditional mean as well as the median; tails as heavy as the Cauchy's
    (:math:`\nu = 1`) are excluded. Between 1 and 2 the variance is infinite
    (``dist.stddev()`` returns ``inf``); the NLL stays finite.

    Derived in Chapter 11, :eq:`eq-ch11-student-t-nll`.

    Args:
        df: a fixed :math:`\nu > 0`, or ``None`` (default) to learn it per input.
        min_df: the floor of a learned :math:`\nu` (>= 0).
        min_scale: the floor of the scale (>= 0), in the target's units.

    Examples:
        >>> head = StudentTHead()
        >>> head.num_params, StudentTHead(df=4.0).num_params
        (3, 2)
        >>> dist = head([[0.0, 0.5413, 0.5413]])  # softplus(0.5413) = 1.0000
        >>> [round(float(t[0]), 3) for t in (dist.loc, dist.scale, dist.df)]
        [0.0, 1.001, 2.0]
    """

    df: float | None = None
    min_df: float = 1.0
    min_scale: float = 1e-3
    kind = "student_t"

    def __post_init__(self) -> None:
        """Check ``df``, ``min_df`` and ``min_scale``."""
        if self.df is not None:
            checks.check_scalar(self.df, "df", low=0.0, low_open=True)
        checks.check_scalar(self.min_df, "min_df", low=0.0)
        checks.check_scalar(self.min_scale, "min_scale", low=0.0)

    @property
    def num_params(self) -> int:
        """Three raw outputs (location, raw scale, raw df); two with a fixed ``df``."""
        return 2 if self.df is not None else 3

    def distribution(self, raw_params: tf.Tensor) -> tfd.StudentT:
        """``StudentT(df, z0, softplus(z1) + min_scale)``."""
        scale = _positive(raw_params[..., 1], self.min_scale)
        if self.df is None:
            df = _positive(raw_params[..., 2], self.min_df)
        else:
            df = tf.fill(tf.shape(scale), tf.cast(self.df, scale.dtype))
        return tfd.StudentT(df=df, loc=raw_params[..., 0], scale=scale)


@dataclass(frozen=True)
class NegativeBinomialHead(DistributionHead):
    r"""Negative-binomial head: ``mean = exp(z0)``, ``r = softplus(z1) + min_total_count``.

    Counts whose variance exceeds their mean (overdispersion):
    :math:`\mathrm{Var}(y) = \mu + \mu^2 / r`. The first raw output is the log-mean, as the
    :class:`PoissonHead`'s log-rate, and the network learns the total count :math:`r` (the
    shape); :math:`r \to \infty` is the Poisson. TFP's ``NegativeBinomial`` counts successes
    with probability ``sigmoid(logits)`` before ``total_count`` failures, and its mean is
    ``total_count * exp(logits)``; so ``logits = log(mean) - log(r)``, computed in log space
    from ``z0`` (no mean of exactly 0, no ``mean / (mean + r)`` rounding to 1). The total count
    need not be a whole number (``require_integer_total_count=False``).

    The floor ``min_total_count`` bounds the overdispersion: :math:`\mu^2 / r` at most
    :math:`\mu^2 / \text{min\_total\_count}`.

    Derived in Chapter 11, :eq:`eq-ch11-negative-binomial-nll`.

    Args:
        min_total_count: the floor of :math:`r` (>= 0).

    Examples:
        >>> head = NegativeBinomialHead()
        >>> dist = head([[np.log(3.0), 0.5413]])  # mean 3, r = softplus(0.5413) + 0.001
        >>> print(f"{float(dist.mean()[0]):.4f} {float(dist.variance()[0]):.3f}")  # 3 + 9/r
        3.0000 11.991
    """

    min_total_count: float = 1e-3
    kind = "negative_binomial"

    def __post_init__(self) -> None:
        """Check ``min_total_count``."""
        checks.check_scalar(self.min_total_count, "min_total_count", low=0.0)

    @property
    def num_params(self) -> int:
        """Two raw outputs, the log-mean and the raw total count."""
        return 2

    def distribution(self, raw_params: tf.Tensor) -> tfd.NegativeBinomial:
        """``NegativeBinomial(r, logits=z0 - log r)``: mean ``e^z0``, variance ``μ + μ²/r``."""
        total_count = _positive(raw_params[..., 1], self.min_total_count)
        logits = raw_params[..., 0] - tf.math.log(total_count)  # log μ - log r
        return tfd.NegativeBinomial(
            total_count=total_count, logits=logits, require_integer_total_count=False
        )

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are counts: whole numbers ``>= 0``."""
        _check_counts(y, "negative binomial")


@dataclass(frozen=True)
class GammaHead(DistributionHead):
    r"""Gamma head: ``mean = softplus(z0) + min_mean``, ``a = softplus(z1) + min_concentration``.

    Positive, right-skewed targets (durations, amounts) whose spread grows with their mean:
    :math:`\mathrm{Var}(y) = \mu^2 / a`, a constant coefficient of variation
    :math:`1/\sqrt a`. ``tfd.Gamma(concentration=a, rate=a / μ)``, as the contract's
    :func:`~mlecourse.tfp.losses.gamma_nll`.

    Derived in Chapter 11, :eq:`eq-ch11-gamma-nll`.

    Args:
        min_mean: the floor of the mean (>= 0), in the target's units.
        min_concentration: the floor of the shape (concentration) :math:`a` (>= 0).

    Examples:
        >>> head = GammaHead(min_mean=0.0, min_concentration=0.0)
        >>> # mean softplus(0.5413) = 1 and concentration 1: Exponential(1), -log e^{-2} = 2
        >>> print(f"{float(head.nll([2.0], [[0.5413, 0.5413]])):.4f}")
        2.0000
    """

    min_mean: float = 1e-3
    min_concentration: float = 1e-3
    kind = "gamma"

    def __post_init__(self) -> None:
        """Check the floors."""
        checks.check_scalar(self.min_mean, "min_mean", low=0.0)
        checks.check_scalar(self.min_concentration, "min_concentration", low=0.0)

    @property
    def num_params(self) -> int:
        """Two raw outputs, the raw mean and the raw concentration."""
        return 2

    def distribution(self, raw_params: tf.Tensor) -> tfd.Gamma:
        """``Gamma(a, rate=a / μ)``."""
        mean = _positive(raw_params[..., 0], self.min_mean)
        concentration = _positive(raw_params[..., 1], self.min_concentration)
        return tfd.Gamma(concentration=concentration, rate=concentration / mean)

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are positive values, ``y > 0``."""
        _check_positive_targets(y, "gamma")


@dataclass(frozen=True)
class LogNormalHead(DistributionHead):
    r"""Log-normal head: ``loc = z0``, ``scale = softplus(z1) + min_scale`` (of ``log y``).

    :math:`\log y \sim \mathcal N(\mu, \sigma^2)`: a Gaussian regression of :math:`\log y`,
    whose NLL in :math:`y` adds the Jacobian term :math:`\log y`. The median of :math:`y` is
    :math:`e^\mu`, its mean :math:`e^{\mu + \sigma^2/2}` (``dist.mean()``).

    Derived in Chapter 11, :eq:`eq-ch11-lognormal-nll`.

    Args:
        min_scale: the floor of :math:`\sigma` (>= 0), in units of ``log y``.

    Examples:
        >>> head = LogNormalHead(min_scale=0.0)
        >>> print(f"{float(head.nll([1.0], [[0.0, 0.5413]])):.4f}")  # ½ log 2π at y = e^0
        0.9189
    """

    min_scale: float = 1e-3
    kind = "lognormal"

    def __post_init__(self) -> None:
        """Check ``min_scale``."""
        checks.check_scalar(self.min_scale, "min_scale", low=0.0)

    @property
    def num_params(self) -> int:
        """Two raw outputs, the location and the raw scale of ``log y``."""
        return 2

    def distribution(self, raw_params: tf.Tensor) -> tfd.LogNormal:
        """``LogNormal(z0, softplus(z1) + min_scale)``."""
        scale = _positive(raw_params[..., 1], self.min_scale)
        return tfd.LogNormal(loc=raw_params[..., 0], scale=scale)

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are positive values, ``y > 0``."""
        _check_positive_targets(y, "log-normal")


@dataclass(frozen=True)
class QuantileHead:
    r"""Several quantiles at once: raw output ``k`` is the predicted ``quantiles[k]``-quantile.

    Not a distribution head: no density is assumed, only the K conditional quantiles
    :math:`q_{\tau_k}(x)`, each trained by its pinball loss
    :math:`\mathcal{L}_\tau(u) = \max(\tau u, (\tau - 1) u)`, :math:`u = y - q`, whose expected
    value is smallest at the :math:`\tau`-quantile (the NLL of an asymmetric Laplace
    distribution up to constants). The loss of one example is the *average* over the K
    quantiles, so the loss of a head with one quantile :math:`\tau` is
    :func:`~mlecourse.tfp.losses.pinball_loss` with ``quantile=τ``, and the mean over a batch
    is the average of the K per-quantile mean pinball losses (scikit-learn's
    ``mean_pinball_loss``, one per quantile).

    The outputs are the quantiles themselves (identity link), so ``model(x)[:, k]`` is the
    ``quantiles[k]``-quantile. **Limitation:** nothing forces the K outputs to be ordered; a
    network trained on little data can predict crossing quantiles (the 10% above the 50%) at
    some inputs. Count them on held-out data; sorting each row of the outputs
    (``tf.sort(model(x), axis=-1)``) removes crossings and never increases the pinball loss
    (Chernozhukov et al., 2010). Monotone parameterisations are out of scope here.

    Derived in Chapter 11, :eq:`eq-ch11-pinball`.

    Args:
        quantiles: the levels :math:`\tau_k`, each in (0, 1), strictly increasing.

    Examples:
        >>> head = QuantileHead((0.1, 0.9))
        >>> head.num_params
        2
        >>> # y = 1 against quantiles 0 and 2: 0.1 * 1 and (1 - 0.9) * 1, averaged
        >>> print(f"{float(head.pinball([1.0], [[0.0, 2.0]])):.4f}")
        0.1000
    """

    quantiles: tuple[float, ...] = (0.1, 0.5, 0.9)
    kind = "quantile"

    def __post_init__(self) -> None:
        """Check the levels: at least one, each in (0, 1), strictly increasing."""
        if isinstance(self.quantiles, str) or not isinstance(self.quantiles, tuple | list):
            raise TypeError(
                f"quantiles must be a tuple of levels in (0, 1); got {self.quantiles!r}"
            )
        levels = tuple(
            checks.check_scalar(q, "quantiles", low=0.0, high=1.0, low_open=True, high_open=True)
            for q in self.quantiles
        )
        if not levels or any(b <= a for a, b in itertools.pairwise(levels)):
            raise ValueError(
                f"quantiles must be at least one level, strictly increasing; got {levels}"
            )
        object.__setattr__(self, "quantiles", levels)

    @property
    def num_params(self) -> int:
        """One raw output per quantile."""
        return len(self.quantiles)

    def dense(self, **kwargs: Any) -> keras.layers.Dense:
        """A ``keras.layers.Dense(num_params)`` output layer (``kwargs`` go to ``Dense``)."""
        return keras.layers.Dense(self.num_params, **kwargs)

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are finite."""
        checks.check_finite(y, "y_true")

    def pinball(
        self,
        y_true: TensorLike,
        raw_params: TensorLike,
        *,
        reduction: Literal["mean", "sum", "none"] = "mean",
    ) -> tf.Tensor:
        r"""Pinball loss averaged over the quantiles.

        .. math::

            \mathcal{L}_i = \frac1K \sum_{k=0}^{K-1} \mathcal{L}_{\tau_k}(y_i - q_{ik}), \qquad
            \mathcal{L}_\tau(u) = \max(\tau u, (\tau - 1) u)

        Args:
            y_true: targets of shape ``raw_params.shape[:-1]``.
            raw_params: predicted quantiles ``(..., K)``.
            reduction: ``"mean"``, ``"sum"`` or ``"none"`` (one loss per example).

        Returns:
            A ``tf.Tensor``: a scalar, or the batch shape for ``reduction="none"``.

        Raises:
            ValueError: targets whose shape is not ``raw_params.shape[:-1]``, a last axis that
                is not K long, a bad ``reduction``; in eager mode also NaN/inf targets.
        """
        q = _raw_params(raw_params, self.num_params, type(self).__name__)
        y = tf.convert_to_tensor(y_true)
        if y.shape.rank is not None and q.shape.rank is not None:
            contract.check_batch_shape(_shape(y.shape), _shape(q.shape)[:-1], type(self).__name__)
        values = TF.values(y)  # None inside a graph: value checks run eagerly only
        if values is not None:
            self.check_targets(values)
        tau = tf.constant(self.quantiles, q.dtype)
        residual = tf.cast(y, q.dtype)[..., None] - q  # u = y - q_k, one column per level
        per_level = tf.maximum(tau * residual, (tau - 1.0) * residual)  # 𝓛_τ(u) >= 0
        loss = tf.reduce_mean(per_level, axis=-1)
        return contract.reduce(TF, loss, None, reduction)

    def loss(self, **kwargs: Any) -> PinballLoss:
        """This head's Keras loss, :class:`PinballLoss` (``kwargs`` go to it)."""
        return PinballLoss(self.quantiles, **kwargs)


_HEADS = {
    cls.__name__: cls
    for cls in (
        NormalHead, BernoulliHead, CategoricalHead, PoissonHead, GaussianMixtureHead,
        StudentTHead, NegativeBinomialHead, GammaHead, LogNormalHead,
    )
}  # fmt: skip


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


@keras.saving.register_keras_serializable(package="mlecourse")
class PinballLoss(keras.losses.Loss):
    """Keras 3 loss ``(y_true, predicted quantiles) -> pinball loss`` of a :class:`QuantileHead`.

    :meth:`call` returns :meth:`QuantileHead.pinball` per example (averaged over the
    quantiles); Keras averages over the batch. The pinball loss of one quantile is derived in
    Chapter 11, :eq:`eq-ch11-pinball`.

    Examples:
        >>> loss = QuantileHead((0.1, 0.5, 0.9)).loss()
        >>> loss.name
        'pinball'
    """

    def __init__(
        self, quantiles: tuple[float, ...] = (0.1, 0.5, 0.9), name: str | None = None,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        """Check ``quantiles`` (see :class:`QuantileHead`); ``kwargs`` go to Keras."""
        self.head = QuantileHead(tuple(quantiles))
        super().__init__(name=name or "pinball", **kwargs)

    def call(self, y_true: TensorLike, y_pred: TensorLike) -> tf.Tensor:
        """One loss per example (Keras reduces them)."""
        return self.head.pinball(y_true, y_pred, reduction="none")

    def get_config(self) -> dict[str, Any]:
        """Keras's config plus the quantile levels."""
        return {**super().get_config(), "quantiles": list(self.head.quantiles)}
