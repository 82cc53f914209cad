r"""The TensorFlow Probability twin of :mod:`mlecourse.losses`.

Same functions (the fifteen of the loss contract), same names, signatures
and semantics as the NumPy reference; each builds the ``tfd`` distribution the loss is the
negative log-likelihood of and returns ``-dist.log_prob(y_true)``, with weights, label
smoothing, ``ignore_index`` and the reduction applied around it (``huber_loss`` and
``pinball_loss`` have no ``tfd`` distribution and are written out; ``binary_focal_loss``
scales the Bernoulli NLL). Results are ``tf.Tensor``\ s, differentiable with
``tf.GradientTape``, and every function works directly as a Keras 3 ``loss=``
(``model.compile(loss=binary_cross_entropy)``) and inside ``tf.function``.

Decisions (written down once, here):

* **Which distribution.** ``binary_cross_entropy`` -> ``tfd.Bernoulli(logits=...)`` (or
  ``probs=`` clipped to ``[eps, 1 - eps]``, ``eps = np.finfo(dtype).eps``);
  ``sparse_categorical_cross_entropy`` -> ``tfd.Categorical``; ``categorical_cross_entropy``
  -> ``tfd.OneHotCategorical``; ``gaussian_nll`` -> ``tfd.Normal``; ``poisson_nll`` ->
  ``tfd.Poisson(log_rate=...)``; ``laplace_nll`` -> ``tfd.Laplace``. ``mean_squared_error``
  and ``mean_absolute_error`` are the Normal and Laplace NLLs with unit scale and their
  constants removed; each docstring shows how.
* **Soft targets** (label smoothing, probability targets) are not outcomes, so ``log_prob``
  alone cannot express them. The loss is then the *expected* NLL under the target
  distribution :math:`q`, i.e. the cross-entropy :math:`H(q, p) = E_{Y\sim q}[-\log p(Y)]`,
  written with the distribution's log-probabilities of the outcomes. For the categorical
  losses this is ``-OneHotCategorical(logits).log_prob(q)`` with ``q`` normalised to sum to
  one (TFP's one-hot log-pmf is linear in the event, and its gradient is exact only for
  events that sum to one, so class weights are applied as a rescaled target:
  :math:`-\sum_k c_k q_k \log p_k = m \cdot H(\tilde q, p)`, :math:`m = \sum_k c_k q_k`,
  :math:`\tilde q_k = c_k q_k / m`).
* **Probabilities** (``from_logits=False``) are clipped to ``[eps, 1 - eps]``,
  ``eps = np.finfo(dtype).eps``, exactly like the reference. Categorical probability rows are
  used as given, never renormalised (rows that do not sum to one warn, as in the reference);
  ``tfd.Categorical(probs=p)`` divides by :math:`\sum_k p_k`, so the twin adds
  :math:`m \log \sum_k p_k` back -- zero up to rounding for rows that do sum to one, and it
  makes the gradient with respect to ``p`` the reference's :math:`-q_k / p_k`.
* **Validation, dtype and reduction** are the reference's: the same normaliser of
  ``mlecourse._contract`` (on tensors through ``mlecourse.tfp._backend``) and the same
  ``mlecourse._contract.reduce``. Shape checks always run; value checks run in
  eager mode only, as TFP's ``validate_args`` (so a mean over zero weights raises eagerly and is
  0 in a graph). Non-tensor inputs go through ``np.asarray`` (a list of floats is float64).
* **Dropped constants** (``full=False``, and the constants of ``mean_absolute_error``) are
  dropped, never subtracted from the full NLL, so small losses keep their digits.
* **Inside Keras.** Keras 3 wraps a plain loss function so that a ``(N,)`` target meets a
  ``(N, 1)`` output with the rank of the output (it expands or squeezes a trailing axis of
  length 1 before calling the loss); Keras also casts targets to float32 and applies its own
  ``sample_weight`` on top of what is returned (with the default ``reduction="mean"`` a
  scalar comes back, so pass ``reduction="none"`` through a ``functools.partial`` if you need
  Keras's per-example weighting).
"""

from __future__ import annotations

import math
from typing import Any, Literal

import tensorflow as tf
import tensorflow_probability as tfp

from mlecourse import _contract as contract
from mlecourse import _docs
from mlecourse._backend import machine_eps
from mlecourse.special import smooth_labels
from mlecourse.tfp._backend import TF

tfd = tfp.distributions

__all__ = list(contract.LOSS_NAMES)

TensorLike = Any  # a tf.Tensor, tf.Variable, NumPy array, Python scalar or nested list

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_LOG_2 = math.log(2.0)

# The losses branch only on static facts (options, dtypes, static shapes), never on tensor
# values, so AutoGraph has nothing to convert: skipping it makes tracing (model.fit, tf.function)
# seconds faster.
_no_autograph = tf.autograph.experimental.do_not_convert


def _logits(z: tf.Tensor, from_logits: bool) -> tuple[tf.Tensor, tf.Tensor | None]:
    """Logits for ``tfd.(OneHot)Categorical``, and ``log Σ_k p_k`` for probability inputs.

    ``tfd.Categorical(probs=p)`` is ``Categorical(logits=log p)``, which divides by
    ``Σ_k p_k``; the second value lets the caller undo that and use ``p`` as given (clipped).
    """
    if from_logits:
        return z, None
    eps = machine_eps(z)
    log_p = tf.math.log(tf.clip_by_value(z, eps, 1 - eps))  # log 0 = -inf: clipped
    return log_p, tf.math.reduce_logsumexp(log_p, axis=-1)


def _expected_nll(logits: tf.Tensor, q: tf.Tensor, log_total: tf.Tensor | None) -> tf.Tensor:
    r"""``-Σ_k q_k log p_k`` from ``OneHotCategorical(logits).log_prob``, for any ``q >= 0``.

    The one-hot log-pmf is linear in the event, but its gradient (TF's fused
    ``softmax - event``) is exact only for events that sum to one; so the target is normalised
    and its mass ``m = Σ_k q_k`` multiplied back: ``-Σ_k q_k log p_k = m · H(q / m, p)``.
    ``log_total`` (probability inputs) adds ``m log Σ_k p_k`` back: ``p`` is used as given.
    """
    mass = tf.reduce_sum(q, axis=-1)
    safe_mass = tf.where(mass > 0, mass, tf.ones_like(mass))
    dist = tfd.OneHotCategorical(logits=logits, dtype=logits.dtype)
    nll = -dist.log_prob(q / safe_mass[..., None]) * mass
    return nll if log_total is None else nll - mass * log_total


def _nll_of_label(pred: tf.Tensor, k: tf.Tensor, from_logits: bool) -> tf.Tensor:
    """``-log p_k`` per row (class axis last), from ``tfd.Categorical(logits).log_prob``."""
    logits, log_total = _logits(pred, from_logits)
    nll = -tfd.Categorical(logits=logits).log_prob(k)  # logsumexp(z) - z_k
    return nll if log_total is None else nll - log_total  # p as given (see _logits)


def _one_hot(k: tf.Tensor, like: tf.Tensor) -> tf.Tensor:
    """The one-hot rows ``e_k`` of the labels, in ``like``'s dtype and number of classes."""
    return tf.one_hot(k, like.shape[-1], dtype=like.dtype)


def _logaddexp(a: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
    """``log(e^a + e^b)`` elementwise, as ``np.logaddexp`` (TensorFlow has no such op)."""
    return tf.reduce_logsumexp(tf.stack([a, b]), axis=0)


def _bernoulli_nll(
    y: tf.Tensor, pred: tf.Tensor, from_logits: bool, pos_weight: tf.Tensor | None
) -> tf.Tensor:
    """The Bernoulli NLL of each element, ``-[c₊ y log p + (1 - y) log(1 - p)]``.

    Shared by :func:`binary_cross_entropy` and :func:`binary_focal_loss`; ``c₊`` is
    ``pos_weight`` (1 when ``None``). Deliberately written with ``tfd.Bernoulli.log_prob`` of
    the two outcomes: the expected NLL over them, two terms >= 0, nothing cancels.
    """
    wy = y if pos_weight is None else pos_weight * y  # c₊ y
    if not from_logits:
        eps = machine_eps(pred)
        p = tf.clip_by_value(pred, eps, 1 - eps)  # log 0 = -inf: clipped to [eps, 1 - eps]
        dist = tfd.Bernoulli(probs=p, dtype=pred.dtype)
    else:
        dist = tfd.Bernoulli(logits=pred, dtype=pred.dtype)  # log p(1) = -softplus(-z)
    return -(wy * dist.log_prob(1) + (1 - y) * dist.log_prob(0))


# ----------------------------------------------------------------------------- Bernoulli


@_no_autograph
def binary_cross_entropy(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    from_logits: bool = False,
    pos_weight: TensorLike | None = None,
    label_smoothing: float = 0.0,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Binary cross-entropy: the NLL of ``tfd.Bernoulli``.

    For a target :math:`y \in \{0, 1\}` and :math:`p = \sigma(z)` (``z`` the logit),

    .. math::

        \mathcal{L} = -\log \mathrm{Bernoulli}(y \mid p) = -y \log p - (1 - y) \log(1 - p)

    ``nll = -tfd.Bernoulli(logits=z).log_prob(y)``. TFP evaluates ``log p = -softplus(-z)`` and
    ``log(1 - p) = -softplus(z)``: finite and accurate for logits of any magnitude, ±1e4
    included.

    A soft target :math:`q \in [0, 1]` -- a soft label, or label smoothing
    :math:`q = y(1 - \varepsilon) + \varepsilon/2` -- is not an outcome; the loss is then the
    expected NLL over the two outcomes, :math:`-q \log p(1) - (1 - q) \log p(0)`, which is
    what TFP's Bernoulli log-pmf (written ``(1 - y) log(1 - p) + y log p``, linear in ``y``)
    returns for such a ``y``. ``pos_weight`` :math:`c_+` weighs the likelihood of the positive
    outcome (PyTorch's ``BCEWithLogitsLoss(pos_weight=)``):
    :math:`\mathcal{L} = -c_+ q \log p(1) - (1 - q) \log p(0)`, written with
    ``dist.log_prob(1)`` and
    ``dist.log_prob(0)``. No constant is dropped: the Bernoulli pmf has none.

    Probabilities (``from_logits=False``) are clipped to ``[eps, 1 - eps]``,
    ``eps = np.finfo(dtype).eps``: one element's loss is capped at ``-log(eps)`` (15.94 in
    float32, 36.04 in float64) and its gradient is 0 beyond the clip. Prefer logits.

    Derived in Chapter 4: :eq:`eq-ch04-bce`, :eq:`eq-ch04-stable`, :eq:`eq-ch04-pos-weight`.

    Args:
        y_true: targets in [0, 1] (0/1 labels, booleans or soft labels), same shape as
            ``y_pred``.
        y_pred: logits (``from_logits=True``) or probabilities of the positive class.
        from_logits: whether ``y_pred`` holds logits.
        pos_weight: :math:`c_+ \ge 0`: a scalar, one weight per label (the last axis of
            ``y_pred``) or the shape of ``y_pred``. Not part of the mean's denominator.
        label_smoothing: :math:`\varepsilon \in [0, 1]`.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        A ``tf.Tensor`` in the prediction's float dtype: a scalar, or ``y_pred``'s shape for
        ``reduction="none"``.

    Raises:
        ValueError: shapes that differ, empty input, a bad option or weight shape; in eager
            mode also NaN/inf, targets or probabilities outside [0, 1], negative weights.
        TypeError: non-numeric input, a non-bool ``from_logits``.

    Examples:
        >>> import numpy as np
        >>> y = np.array([1.0, 0.0, 1.0], dtype=np.float32)
        >>> z = np.array([2.0, -1.0, 0.0], dtype=np.float32)
        >>> loss = binary_cross_entropy(y, z, from_logits=True)
        >>> loss.dtype.name, f"{float(loss):.6f}"
        ('float32', '0.377779')
        >>> float(binary_cross_entropy([1.0], [0.0]))  # clipped: -log(eps) in float64
        36.04365338911715
    """
    args = contract.binary_args(
        TF, y_true, y_pred, from_logits=from_logits, pos_weight=pos_weight,
        label_smoothing=label_smoothing, sample_weight=sample_weight,
    )  # fmt: skip
    y = smooth_labels(args.y, args.smoothing, num_classes=2)  # y (1 − ε) + ε / 2
    nll = _bernoulli_nll(y, args.pred, args.from_logits, args.pos_weight)
    return contract.reduce(TF, nll, args.weights, reduction)


# ----------------------------------------------------------------------------- Categorical


@_no_autograph
def categorical_cross_entropy(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    from_logits: bool = False,
    class_weight: TensorLike | None = None,
    label_smoothing: float = 0.0,
    sample_weight: TensorLike | None = None,
    axis: int = -1,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Cross-entropy with one-hot (or soft) targets: the NLL of ``tfd.OneHotCategorical``.

    For a one-hot target :math:`\mathbf{y}` over :math:`K` classes, logits :math:`\mathbf{z}` and
    :math:`\mathbf{p} = \mathrm{softmax}(\mathbf{z})`,

    .. math::

        \mathcal{L} = -\log \mathrm{OneHotCategorical}(\mathbf{y} \mid \mathbf{p})
             = -\sum_{k=0}^{K-1} y_k \log p_k
             = \operatorname{logsumexp}(\mathbf{z}) - \sum_k y_k z_k

    ``nll = -tfd.OneHotCategorical(logits=z).log_prob(y)``. A soft target :math:`q` (a
    probability vector, or label smoothing :math:`q_k = y_k(1 - \varepsilon) + \varepsilon / K`)
    gives the expected NLL :math:`-\sum_k q_k \log p_k`, and class weights :math:`c_k` give
    :math:`-\sum_k c_k q_k \log p_k` (PyTorch's convention: the smoothing mass is weighted
    too), both evaluated with the one-hot log-pmf as the module docstring explains.

    Probabilities (``from_logits=False``) are clipped to ``[eps, 1 - eps]`` and used as given
    (rows that do not sum to 1 warn and are not renormalised).

    Derived in Chapter 5: :eq:`eq-ch05-ce`, :eq:`eq-ch05-class-weight`, :eq:`eq-ch05-smoothing`.

    Args:
        y_true: targets in [0, 1], one-hot or a probability vector per example, same shape as
            ``y_pred``. Rows that do not sum to 1 warn.
        y_pred: logits (``from_logits=True``) or probabilities, classes along ``axis``.
        from_logits: whether ``y_pred`` holds logits.
        class_weight: one weight :math:`c_k \ge 0` per class, shape ``(K,)``.
        label_smoothing: :math:`\varepsilon \in [0, 1]`.
        sample_weight: a scalar or one weight :math:`\omega_i \ge 0` per example (``y_pred``'s
            shape without ``axis``).
        axis: the class axis (``axis=1`` takes PyTorch's layout, ``(n, K, d1, ...)``).
        reduction: ``"mean"`` divides :math:`\sum_i \omega_i \mathcal{L}_i` by
            :math:`\sum_i \omega_i \sum_k c_k y_{ik}` (the class weight of the *unsmoothed*
            target; the number of examples without class weights); ``"sum"``; ``"none"``
            (:math:`\omega_i \mathcal{L}_i`, one per example).

    Returns:
        A ``tf.Tensor``: a scalar, or ``y_pred``'s shape without ``axis`` for
        ``reduction="none"``.

    Raises:
        ValueError: shapes that differ, empty input, a bad option, ``axis`` or weight shape;
            in eager mode also NaN/inf, values outside [0, 1], negative weights.
        TypeError: non-numeric input, a non-bool ``from_logits``, a non-integer ``axis``.

    Examples:
        >>> import numpy as np
        >>> y = np.array([[0.0, 1.0, 0.0]])
        >>> f = np.array([[1.0, 2.0, 0.5]])
        >>> print(f"{float(categorical_cross_entropy(y, f, from_logits=True)):.6f}")
        0.464369
        >>> p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
        >>> y = np.array([[1, 0, 0], [0, 0, 1]])
        >>> print(f"{float(categorical_cross_entropy(y, p)):.6f}")  # -(log 0.7 + log 0.8) / 2
        0.289909
    """
    args = contract.categorical_args(
        TF, y_true, y_pred, from_logits=from_logits, class_weight=class_weight,
        label_smoothing=label_smoothing, sample_weight=sample_weight, axis=axis,
    )  # fmt: skip
    cw = args.class_weight
    # the class weight of each target, Σ_k c_k y_k (unsmoothed): the mean's denominator
    w_y = None if cw is None else tf.reduce_sum(cw * args.y, axis=-1)
    y = smooth_labels(args.y, args.smoothing)  # y' = y (1 − ε) + ε / K
    logits, log_total = _logits(args.pred, args.from_logits)
    wy = y if cw is None else cw * y  # c_k y'_k
    nll = _expected_nll(logits, wy, log_total)  # -Σ_k c_k y'_k log p_k
    return contract.reduce(TF, nll, args.weights, reduction, w_y)


@_no_autograph
def sparse_categorical_cross_entropy(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    from_logits: bool = False,
    class_weight: TensorLike | None = None,
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    sample_weight: TensorLike | None = None,
    axis: int = -1,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Cross-entropy with integer class labels: the NLL of ``tfd.Categorical``.

    For a label :math:`y \in \{0, \dots, K-1\}` and logits :math:`\mathbf{z}`,

    .. math::

        \mathcal{L} = -\log \mathrm{Categorical}(y \mid \mathrm{softmax}(\mathbf{z}))
             = \operatorname{logsumexp}(\mathbf{z}) - z_y

    ``nll = -tfd.Categorical(logits=z).log_prob(y)`` (a log-sum-exp inside TFP, never
    ``log(softmax(z))``). With class weights :math:`c_k` and label smoothing
    :math:`\varepsilon` it is PyTorch's ``F.cross_entropy``:

    .. math::

        \mathcal{L} = -(1 - \varepsilon)\, c_y \log p_y
            - \frac{\varepsilon}{K} \sum_{k=0}^{K-1} c_k \log p_k

    the expected NLL under the smoothed target, evaluated as
    ``-OneHotCategorical(logits).log_prob(q)`` (see the module docstring).

    Derived in Chapter 5: :eq:`eq-ch05-ce-logits`, :eq:`eq-ch05-class-weight`,
    :eq:`eq-ch05-smoothing`.

    Args:
        y_true: integer class indices in ``[0, K)`` (whole-number floats accepted), the shape
            of ``y_pred`` without ``axis``; entries equal to ``ignore_index`` are skipped.
        y_pred: logits (``from_logits=True``) or probabilities, classes along ``axis``.
        from_logits: whether ``y_pred`` holds logits.
        class_weight: one weight :math:`c_k \ge 0` per class, shape ``(K,)``.
        ignore_index: a label value whose entries get loss 0 and leave both numerator and
            denominator of the mean (PyTorch pads with -100).
        label_smoothing: :math:`\varepsilon \in [0, 1]`.
        sample_weight: a scalar or one weight >= 0 per example (the shape of ``y_true``).
        axis: the class axis of ``y_pred``.
        reduction: ``"mean"`` divides :math:`\sum_i \omega_i \mathcal{L}_i` by
            :math:`\sum_i \omega_i c_{y_i}` (:math:`\omega_i` the sample weight) over the
            entries not ignored; ``"sum"``; ``"none"`` (``y_true``'s shape, ignored
            entries 0).

    Returns:
        A ``tf.Tensor``: a scalar, or ``y_true``'s shape for ``reduction="none"``.

    Raises:
        ValueError: a ``y_true`` of the wrong shape, empty input, a bad option, ``axis`` or
            weight shape; in eager mode also labels out of range or not whole, NaN/inf,
            probabilities outside [0, 1], negative weights, a mean over nothing.
        TypeError: non-numeric input, a non-integer ``ignore_index`` or ``axis``.

    Examples:
        >>> import numpy as np
        >>> f = np.array([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]], dtype=np.float32)
        >>> loss = sparse_categorical_cross_entropy([1, 2], f, from_logits=True)
        >>> loss.dtype.name, f"{float(loss):.6f}"
        ('float32', '0.286985')
        >>> loss = sparse_categorical_cross_entropy([1, -100], f, from_logits=True,
        ...                                         ignore_index=-100)
        >>> print(f"{float(loss):.6f}")
        0.464369
    """
    args = contract.sparse_args(
        TF, y_true, y_pred, from_logits=from_logits, class_weight=class_weight,
        ignore_index=ignore_index, label_smoothing=label_smoothing, sample_weight=sample_weight,
        axis=axis,
    )  # fmt: skip
    k, w, cw = args.labels, args.weights, args.class_weight
    if args.ignore_index is not None:  # an ignored entry leaves numerator and denominator
        kept = k != args.ignore_index
        k = tf.where(kept, k, tf.zeros_like(k))  # any valid class: its weight is 0
        w = tf.cast(kept, args.pred.dtype) if w is None else w * tf.cast(kept, w.dtype)
    w_k = None if cw is None else tf.gather(cw, k)  # the class weight of each target
    if args.smoothing:
        y = smooth_labels(_one_hot(k, args.pred), args.smoothing)  # y' = (1 − ε) e_k + ε / K
        logits, log_total = _logits(args.pred, args.from_logits)
        nll = _expected_nll(logits, y if cw is None else cw * y, log_total)  # -Σ_k c_k y'_k log p_k
    else:
        nll = _nll_of_label(args.pred, k, args.from_logits)  # -log p_k
        nll = nll if w_k is None else w_k * nll
    return contract.reduce(TF, nll, w, reduction, w_k)


# ----------------------------------------------------------------------------- Regression


@_no_autograph
def mean_squared_error(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Mean squared error: the Gaussian NLL with unit variance, constants removed.

    .. math::

        -\log \mathcal N(y \mid \hat y, 1) = \tfrac12 (y - \hat y)^2 + \tfrac12 \log 2\pi,

        \mathcal{L} = (y - \hat y)^2
             = 2\,[\log \mathcal N(y \mid y, 1) - \log \mathcal N(y \mid \hat y, 1)]

    ``nll = 2 * tfd.kl_divergence(tfd.Normal(y, 1), tfd.Normal(y_hat, 1))``

    The bracket is the NLL minus the smallest NLL any prediction could reach (that of
    :math:`\hat y = y`): the constant :math:`\tfrac12 \log 2\pi` cancels. For two Normals of
    equal scale that log-ratio is also their KL divergence, and TFP's closed-form KL computes
    it without ever adding the constant, so small residuals keep full relative accuracy
    (``-log_prob - 0.5 * log(2 * pi)`` would lose it to cancellation).

    Derived in Chapter 6, :eq:`eq-ch06-mse-nll`.

    Args:
        y_true: targets, same shape as ``y_pred``.
        y_pred: predicted means.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: {{value_error}}
        TypeError: {{type_error}}

    Examples:
        >>> print(f"{float(mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])):.6f}")  # 4/3
        1.333333
    """
    args = contract.regression_args(TF, y_true, y_pred, sample_weight=sample_weight)
    unit = tf.ones([], args.pred.dtype)
    # deliberately TFP's closed-form KL, 2 [log N(y | y, 1) - log N(y | ŷ, 1)] = (y - ŷ)²:
    # the constant ½ log 2π never enters
    nll = 2.0 * tfd.kl_divergence(tfd.Normal(args.y, unit), tfd.Normal(args.pred, unit))
    return contract.reduce(TF, nll, args.weights, reduction)


@_no_autograph
def mean_absolute_error(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Mean absolute error: the Laplace NLL with unit scale, its constant removed.

    .. math::

        \mathcal{L} = |y - \hat y| = -\log \mathrm{Laplace}(y \mid \hat y, 1) - \log 2

    ``nll = -tfd.Laplace(y_hat, 1).log_prob(y) - log(2)``

    Subtracting :math:`\log 2` costs an absolute error of about one ulp of :math:`\log 2`
    (6e-8 in float32) per element, which matters only for residuals that small; the gradient
    :math:`-\mathrm{sign}(y - \hat y)` is exact. The minimiser over a constant prediction is
    the median.

    Derived in Chapter 6, :eq:`eq-ch06-laplace-nll` with ``b = 1``.

    Args:
        y_true: targets, same shape as ``y_pred``.
        y_pred: predicted locations (medians).
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: {{value_error}}
        TypeError: {{type_error}}

    Examples:
        >>> print(f"{float(mean_absolute_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])):.6f}")  # 2/3
        0.666667
    """
    args = contract.regression_args(TF, y_true, y_pred, sample_weight=sample_weight)
    nll = tf.abs(args.y - args.pred)  # |y - ŷ|: -log Laplace(y | ŷ, 1) with log 2 dropped
    return contract.reduce(TF, nll, args.weights, reduction)


@_no_autograph
def gaussian_nll(
    y_true: TensorLike,
    mean: TensorLike,
    *,
    variance: TensorLike | None = None,
    std: TensorLike | None = None,
    log_variance: TensorLike | None = None,
    full: bool = True,
    eps: float = 1e-6,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Gaussian negative log-likelihood: the NLL of ``tfd.Normal``.

    .. math::

        \mathcal{L} = -\log \mathcal N(y \mid \mu, \sigma^2)
             = \tfrac12 \log \sigma^2 + \frac{(y - \mu)^2}{2\sigma^2} + \tfrac12 \log 2\pi

    ``nll = -tfd.Normal(mu, sqrt(max(var, eps))).log_prob(y)``

    Give at most one of ``variance``, ``std`` (``var = std**2``) and ``log_variance``
    (``var = exp(log_variance)``, used as ``scale = exp(log_variance / 2)`` so that it never
    overflows); none gives unit variance. Whichever is given, the variance is clamped below at
    ``eps`` like PyTorch's ``GaussianNLLLoss`` (the gradient through the clamp is 0).
    ``full=True`` is the true NLL; ``full=False`` drops :math:`\tfrac12 \log 2\pi`
    (PyTorch's default).

    Derived in Chapter 6, :eq:`eq-ch06-hetero`.

    Args:
        y_true: targets, same shape as ``mean``.
        mean: predicted means.
        variance: :math:`\sigma^2 \ge 0`, a scalar or ``mean``'s shape.
        std: :math:`\sigma \ge 0`, a scalar or ``mean``'s shape.
        log_variance: :math:`\log \sigma^2`, a scalar or ``mean``'s shape.
        full: include the constant :math:`\tfrac12 \log 2\pi`.
        eps: the variance floor, > 0.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: more than one of ``variance``/``std``/``log_variance``, shapes that
            differ, empty input, ``eps <= 0``, a bad option or parameter shape; in eager mode
            also a negative variance or std, NaN/inf, negative weights.
        TypeError: non-numeric input, a non-bool ``full``, a non-real ``eps``.

    Examples:
        >>> print(f"{float(gaussian_nll([0.0], [0.0])):.6f}")  # 0.5 * log(2 * pi)
        0.918939
        >>> print(f"{float(gaussian_nll([1.0, 3.0], [0.0, 0.0], std=2.0, full=False)):.6f}")
        1.318147
    """
    args = contract.gaussian_args(
        TF, y_true, mean, variance=variance, std=std, log_variance=log_variance,
        full=full, eps=eps, sample_weight=sample_weight,
    )  # fmt: skip
    s = tf.ones([], args.mean.dtype) if args.spread is None else args.spread  # none: unit variance
    r2 = tf.square(args.y - args.mean)  # (y - μ)²
    if args.spread_name == "log_variance":
        log_var = tf.maximum(s, math.log(args.floor))  # σ² >= eps  <=>  log σ² >= log eps
    else:
        var = tf.square(s) if args.spread_name == "std" else s  # σ²
        var = tf.maximum(var, args.floor)  # σ² >= eps (PyTorch's clamp)
        log_var = tf.math.log(var)
    if args.full:  # deliberately -tfd.Normal(μ, σ).log_prob(y), with σ = e^{½ log σ²}
        nll = -tfd.Normal(args.mean, tf.exp(0.5 * log_var)).log_prob(args.y)
    else:  # ½ log 2π dropped, not subtracted: small losses keep their digits
        nll = 0.5 * (log_var + r2 * tf.exp(-log_var))  # (y - μ)² / σ² = (y - μ)² e^{-log σ²}
    return contract.reduce(TF, nll, args.weights, reduction)


@_no_autograph
def poisson_nll(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    log_input: bool = True,
    full: bool = True,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Poisson negative log-likelihood of counts: the NLL of ``tfd.Poisson``.

    For a count :math:`y` and rate :math:`\lambda = e^{\eta}`,

    .. math::

        \mathcal{L} = -\log \mathrm{Poisson}(y \mid \lambda) = \lambda - y \log \lambda + \log y!

    ``nll = -tfd.Poisson(log_rate=eta).log_prob(y)``, with TFP's exact
    :math:`\log y! = \mathrm{lgamma}(y + 1)` (``full=True``); ``full=False`` drops it (it
    does not depend on :math:`\lambda`). Keras's ``Poisson`` loss is the ``full=False`` one
    from rates, with 1e-7 added inside the logarithm.

    Rates of 0 (``log_input=False``): as in the reference, the rate inside the logarithm is
    clamped below at ``eps = np.finfo(dtype).eps`` -- the distribution is
    ``Poisson(log_rate=log(max(rate, eps)))`` and the term :math:`\lambda` is restored
    exactly -- so ``y = 0`` with rate 0 gives the loss 0 and ``y > 0`` a finite one.

    Derived in Chapter 3, :eq:`eq-ch03-poisson-nll`, and Chapter 8, :eq:`eq-ch08-poisson-nll`
    (the Poisson head).

    Args:
        y_true: counts (whole numbers >= 0), same shape as ``y_pred``.
        y_pred: log-rates (``log_input=True``) or rates >= 0.
        log_input: whether ``y_pred`` holds :math:`\log \lambda`.
        full: include :math:`\log y!`.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: shapes that differ, empty input, a bad option or weight shape; in eager
            mode also negative or fractional counts, negative rates, NaN/inf.
        TypeError: non-numeric input, a non-bool ``log_input`` or ``full``.

    Examples:
        >>> import numpy as np
        >>> print(f"{float(poisson_nll([2], [np.log(3.0)])):.6f}")  # 3 - 2 log 3 + log 2
        1.495923
    """
    args = contract.poisson_args(
        TF, y_true, y_pred, log_input=log_input, full=full, sample_weight=sample_weight
    )
    y = args.y
    if args.log_input:
        log_rate = args.pred  # log λ
        rate = tf.exp(log_rate)
    else:
        rate = args.pred
        # log max(λ, eps): y = 0 keeps its exact loss λ, y > 0 with λ = 0 stays finite
        log_rate = tf.math.log(tf.maximum(rate, machine_eps(rate)))
    if args.full:  # deliberately -tfd.Poisson(log λ).log_prob(y), its e^{log λ} swapped for λ
        nll = -tfd.Poisson(log_rate=log_rate).log_prob(y) + (rate - tf.exp(log_rate))
    else:  # log y! dropped, not subtracted
        nll = rate - y * log_rate
    return contract.reduce(TF, nll, args.weights, reduction)


@_no_autograph
def laplace_nll(
    y_true: TensorLike,
    loc: TensorLike,
    *,
    scale: TensorLike = 1.0,
    full: bool = True,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Laplace negative log-likelihood: the NLL of ``tfd.Laplace``.

    .. math::

        \mathcal{L} = -\log \mathrm{Laplace}(y \mid \mu, b) = \frac{|y - \mu|}{b} + \log b + \log 2

    ``nll = -tfd.Laplace(mu, b).log_prob(y)``; ``full=False`` drops the constant
    :math:`\log 2` (with ``scale=1`` it is then the absolute error).

    Derived in Chapter 6, :eq:`eq-ch06-laplace-nll`.

    Args:
        y_true: targets, same shape as ``loc``.
        loc: predicted locations (medians).
        scale: :math:`b > 0`, a scalar or ``loc``'s shape.
        full: include the constant :math:`\log 2`.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: shapes that differ, empty input, a bad option or parameter shape; in
            eager mode also ``scale <= 0``, NaN/inf, negative weights.
        TypeError: non-numeric input, a non-bool ``full``.

    Examples:
        >>> print(f"{float(laplace_nll([1.0, 3.0], [0.0, 0.0], scale=2.0)):.6f}")  # 1 + log 4
        2.386294
    """
    args = contract.laplace_args(
        TF, y_true, loc, scale=scale, full=full, sample_weight=sample_weight
    )
    b = args.scale
    if args.full:  # deliberately -tfd.Laplace(μ, b).log_prob(y)
        nll = -tfd.Laplace(args.loc, b).log_prob(args.y)
    else:  # log 2 dropped, not subtracted
        nll = tf.abs(args.y - args.loc) / b + tf.math.log(b)  # |y - μ| / b + log b
    return contract.reduce(TF, nll, args.weights, reduction)


# ----------------------------------------------------------------------------- Exact likelihoods
# Heavy tails, counts, positive targets, robust and quantile regression (Chapter 11) and the
# focal loss (Chapter 10). Each NLL is exact (every constant kept, no ``full`` option), the
# reference's loss as ``-tfd.<Distribution>(...).log_prob(y)``.


@_no_autograph
def student_t_nll(
    y_true: TensorLike,
    loc: TensorLike,
    *,
    df: TensorLike,
    scale: TensorLike = 1.0,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Student-t negative log-likelihood: the NLL of ``tfd.StudentT``.

    With :math:`y \sim t_\nu(\mu, \sigma)` and :math:`u = (y - \mu)/\sigma`,

    .. math::

        \mathcal{L} = \log\sigma + \tfrac12\log\nu
             + \log \mathrm{B}\!\left(\tfrac{\nu}{2}, \tfrac12\right)
             + \frac{\nu + 1}{2}\,\log\!\left(1 + \frac{u^2}{\nu}\right)

    ``nll = -tfd.StudentT(df, loc, scale).log_prob(y)``. TFP writes the normaliser with the
    same Beta function (``lbeta(1/2, df/2)``) and the last term with ``log1p``, so it stays
    accurate as :math:`\nu` grows, where the loss tends to :func:`gaussian_nll` with
    ``std=scale``.

    Derived in Chapter 11, :eq:`eq-ch11-student-t-nll`.

    Args:
        y_true: targets, same shape as ``loc``.
        loc: predicted locations :math:`\mu`.
        df: degrees of freedom :math:`\nu > 0`, a scalar or ``loc``'s shape.
        scale: :math:`\sigma > 0`, a scalar or ``loc``'s shape.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: shapes that differ, empty input, a bad option or parameter shape; in
            eager mode also ``df <= 0``, ``scale <= 0``, NaN/inf, negative weights.
        TypeError: {{type_error}}

    Examples:
        >>> print(f"{float(student_t_nll([0.0], [0.0], df=1.0)):.6f}")  # Cauchy: log π
        1.144730
    """
    args = contract.student_t_args(TF, y_true, loc, df=df, scale=scale, sample_weight=sample_weight)
    nu, sigma = args.df, args.scale
    # deliberately -tfd.StudentT(ν, μ, σ).log_prob(y): TFP's lbeta normaliser, as log_beta here
    nll = -tfd.StudentT(df=nu, loc=args.loc, scale=sigma).log_prob(args.y)
    return contract.reduce(TF, nll, args.weights, reduction)


@_no_autograph
def negative_binomial_nll(
    y_true: TensorLike,
    mean: TensorLike,
    *,
    total_count: TensorLike,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Negative-binomial NLL of counts, by mean and ``total_count``: ``tfd.NegativeBinomial``.

    :math:`y \sim \operatorname{NB}(\mu, r)` has mean :math:`\mu` and variance
    :math:`\mu + \mu^2 / r`; the exact NLL is

    .. math::

        \mathcal{L} = r \log\!\left(1 + \frac{\mu}{r}\right)
             + y \log\!\left(1 + \frac{r}{\mu}\right)
             - \log \binom{y + r - 1}{y}

    ``nll = -tfd.NegativeBinomial(r, logits=log(mu) - log(r)).log_prob(y)``. TFP counts the
    successes, of probability ``sigmoid(logits)``, before ``total_count`` failures; its mean
    is ``total_count * exp(logits)``, so ``logits = log μ - log r`` gives the mean
    :math:`\mu` (written in log space: no ``μ / (μ + r)`` that rounds to 1), and
    ``require_integer_total_count=False`` lets :math:`r` be any positive number. As
    :math:`r \to \infty` the loss tends to :func:`poisson_nll` with rate :math:`\mu`.

    Derived in Chapter 11, :eq:`eq-ch11-negative-binomial-nll`.

    Args:
        y_true: counts (whole numbers >= 0), same shape as ``mean``.
        mean: predicted means :math:`\mu > 0`.
        total_count: :math:`r > 0`, a scalar or ``mean``'s shape (not necessarily whole).
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: shapes that differ, empty input, a bad option or parameter shape; in
            eager mode also negative or fractional counts, ``mean <= 0``,
            ``total_count <= 0``, NaN/inf, negative weights.
        TypeError: {{type_error}}

    Examples:
        >>> print(f"{float(negative_binomial_nll([0], [2.0], total_count=2.0)):.6f}")  # 2 log 2
        1.386294
    """
    args = contract.negative_binomial_args(
        TF, y_true, mean, total_count=total_count, sample_weight=sample_weight
    )
    y, mu, r = args.y, args.mean, args.total_count
    d = tf.math.log(mu) - tf.math.log(r)  # the logits of TFP's success probability: r e^d = μ
    # deliberately -tfd.NegativeBinomial(r, logits=d).log_prob(y)
    dist = tfd.NegativeBinomial(total_count=r, logits=d, require_integer_total_count=False)
    nll = -dist.log_prob(y)
    return contract.reduce(TF, nll, args.weights, reduction)


@_no_autograph
def gamma_nll(
    y_true: TensorLike,
    mean: TensorLike,
    *,
    concentration: TensorLike,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Gamma NLL of positive targets, by mean and shape: the NLL of ``tfd.Gamma``.

    :math:`y \sim \operatorname{Gamma}(\mu, a)` has shape :math:`a` (``concentration``) and
    rate :math:`a / \mu`: mean :math:`\mu`, variance :math:`\mu^2 / a`, and

    .. math::

        \mathcal{L} = a\left(\frac{y}{\mu} - \log\frac{y}{\mu}\right) + \log y + \log\Gamma(a)
            - a \log a

    ``nll = -tfd.Gamma(concentration=a, rate=a / mu).log_prob(y)``. TFP evaluates
    :math:`(a - 1)\log y - (a/\mu)\,y - \log\Gamma(a) + a \log(a/\mu)`, whose terms of size
    :math:`a \log a` cancel: the absolute error is about ``eps * a * log(a)``, which matters in
    float32 for large shapes (measured: 6e-4 at :math:`a = 1000`, against 4e-6 for the
    reference, which regroups the terms around :math:`y/\mu`). Pass float64 if you need
    those digits; at the shapes of everyday data (:math:`a \lesssim 100`) the twins agree to
    float32 precision.

    Derived in Chapter 11, :eq:`eq-ch11-gamma-nll`.

    Args:
        y_true: targets > 0, same shape as ``mean``.
        mean: predicted means :math:`\mu > 0`.
        concentration: the shape :math:`a > 0`, a scalar or ``mean``'s shape.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: shapes that differ, empty input, a bad option or parameter shape; in
            eager mode also targets <= 0, ``mean <= 0``, ``concentration <= 0``, NaN/inf,
            negative weights.
        TypeError: {{type_error}}

    Examples:
        >>> print(f"{float(gamma_nll([1.0], [1.0], concentration=1.0)):.6f}")  # Exponential(1)
        1.000000
    """
    args = contract.gamma_args(
        TF, y_true, mean, concentration=concentration, sample_weight=sample_weight
    )
    y, a = args.y, args.concentration  # a: the shape
    # deliberately -tfd.Gamma(a, rate=a / μ).log_prob(y)
    nll = -tfd.Gamma(concentration=a, rate=a / args.mean).log_prob(y)
    return contract.reduce(TF, nll, args.weights, reduction)


@_no_autograph
def lognormal_nll(
    y_true: TensorLike,
    loc: TensorLike,
    *,
    scale: TensorLike = 1.0,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Log-normal NLL of positive targets: the NLL of ``tfd.LogNormal``.

    :math:`\log y \sim \mathcal N(\mu, \sigma^2)`; the density of :math:`y` carries the
    Jacobian :math:`1/y`, so

    .. math::

        \mathcal{L} = \log y + \log\sigma + \tfrac12\log 2\pi + \frac{(\log y - \mu)^2}{2\sigma^2}

    ``nll = -tfd.LogNormal(mu, sigma).log_prob(y)`` (TFP's ``LogNormal`` is the ``Normal``
    pushed through ``exp``, and its ``log_prob`` subtracts the Jacobian term :math:`\log y`).

    Derived in Chapter 11, :eq:`eq-ch11-lognormal-nll`.

    Args:
        y_true: targets > 0, same shape as ``loc``.
        loc: :math:`\mu`, the predicted mean of :math:`\log y`.
        scale: :math:`\sigma > 0`, a scalar or ``loc``'s shape.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: shapes that differ, empty input, a bad option or parameter shape; in
            eager mode also targets <= 0, ``scale <= 0``, NaN/inf, negative weights.
        TypeError: {{type_error}}

    Examples:
        >>> print(f"{float(lognormal_nll([1.0], [0.0])):.6f}")  # log y = 0: ½ log 2π
        0.918939
    """
    args = contract.lognormal_args(TF, y_true, loc, scale=scale, sample_weight=sample_weight)
    sigma = args.scale
    # deliberately -tfd.LogNormal(μ, σ).log_prob(y), which includes the Jacobian term log y
    nll = -tfd.LogNormal(loc=args.loc, scale=sigma).log_prob(args.y)
    return contract.reduce(TF, nll, args.weights, reduction)


@_no_autograph
def huber_loss(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    delta: float = 1.0,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Huber loss: squared error for small residuals, absolute error beyond ``delta``.

    With the residual :math:`u = y - \hat y`,

    .. math::

        \mathcal{L}_\delta(u) = \begin{cases} \tfrac12 u^2 & |u| \le \delta \\
        \delta\,(|u| - \tfrac12\delta) & |u| > \delta \end{cases}

    No ``tfd`` distribution: TFP ships none whose log-density is the Huber loss, and the loss
    is returned without the normaliser of :math:`e^{-\mathcal{L}_\delta}` (Chapter 11 derives
    it), as
    in the reference. It equals Keras's ``Huber(delta)`` and PyTorch's ``HuberLoss(delta)``.

    Derived in Chapter 11, :eq:`eq-ch11-huber`.

    Args:
        y_true: targets, same shape as ``y_pred``.
        y_pred: predictions.
        delta: the threshold :math:`\delta > 0`.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: ``delta <= 0`` or not finite, shapes that differ, empty input, a bad
            option or weight shape; in eager mode also NaN/inf, negative weights.
        TypeError: non-numeric input, a non-real ``delta``.

    Examples:
        >>> print(f"{float(huber_loss([0.0], [3.0], delta=2.0)):.6f}")  # 2 (3 - 1)
        4.000000
    """
    args = contract.huber_args(TF, y_true, y_pred, delta=delta, sample_weight=sample_weight)
    d = args.delta
    abs_u = tf.abs(args.y - args.pred)  # |u| = |y − ŷ|
    nll = tf.where(abs_u <= d, 0.5 * tf.square(abs_u), d * (abs_u - 0.5 * d))
    return contract.reduce(TF, nll, args.weights, reduction)


@_no_autograph
def pinball_loss(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    quantile: float = 0.5,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Pinball (quantile) loss: its minimiser is the ``quantile``-quantile of the target.

    With the residual :math:`u = y - \hat y` and the level :math:`\tau \in (0, 1)`,

    .. math::

        \mathcal{L}_\tau(u) = \max\bigl(\tau u,\ (\tau - 1)\, u\bigr)

    the NLL of an asymmetric Laplace distribution up to a constant (TFP ships no such
    distribution, so the formula is written out, as in the reference). It equals
    scikit-learn's ``mean_pinball_loss(y_true, y_pred, alpha=quantile)``. For several
    quantiles at once, see :class:`mlecourse.tfp.heads.QuantileHead`.

    Derived in Chapter 11, :eq:`eq-ch11-pinball`.

    Args:
        y_true: targets, same shape as ``y_pred``.
        y_pred: predicted quantiles.
        quantile: the level :math:`\tau`, in the open interval (0, 1).
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        ValueError: ``quantile`` outside (0, 1), shapes that differ, empty input, a bad
            option or weight shape; in eager mode also NaN/inf, negative weights.
        TypeError: non-numeric input, a non-real ``quantile``.

    Examples:
        >>> loss = pinball_loss([1.0, 1.0], [0.0, 2.0], quantile=0.9, reduction="none")
        >>> [round(float(v), 6) for v in loss]
        [0.9, 0.1]
    """
    args = contract.pinball_args(TF, y_true, y_pred, quantile=quantile, sample_weight=sample_weight)
    tau = args.quantile
    u = args.y - args.pred  # u = y − ŷ
    nll = tf.maximum(tau * u, (tau - 1) * u)  # τ u if u >= 0, (τ − 1) u if u < 0
    return contract.reduce(TF, nll, args.weights, reduction)


@_no_autograph
def binary_focal_loss(
    y_true: TensorLike,
    y_pred: TensorLike,
    *,
    gamma: float = 2.0,
    alpha: float | None = None,
    from_logits: bool = False,
    sample_weight: TensorLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> tf.Tensor:
    r"""Binary focal loss (Lin et al., 2017): the Bernoulli NLL scaled down on easy examples.

    With :math:`p` the predicted probability of :math:`y = 1` and
    :math:`p_t = y\,p + (1 - y)(1 - p)` (soft labels included),

    .. math::

        \mathcal{L} = \beta_t\,(1 - p_t)^{\gamma}\,\bigl[-y \log p - (1 - y) \log(1 - p)\bigr]

    with :math:`\beta_t = y\beta + (1 - y)(1 - \beta)` when ``alpha`` :math:`= \beta` is given
    and 1 when it is ``None``. The bracket is :func:`binary_cross_entropy`, i.e.
    ``-tfd.Bernoulli`` log-probabilities; the factor is built from the same distribution's
    ``log_prob(1)`` and ``log_prob(0)``, in log space from logits (finite for logits of any
    size):

    .. math::

        \log(1 - p_t) = \operatorname{logaddexp}\bigl(\log y + \log(1 - p),\
        \log(1 - y) + \log p\bigr),

        (1 - p_t)^\gamma = e^{\gamma \log(1 - p_t)}

    Not a log-likelihood for :math:`\gamma > 0`; :math:`\gamma = 0` without ``alpha`` is
    :func:`binary_cross_entropy`. It equals Keras's ``BinaryFocalCrossentropy(gamma=...,
    from_logits=..., apply_class_balancing=alpha is not None, alpha=...)`` except where Keras
    clips probabilities to ``[1e-7, 1 - 1e-7]``; here they are clipped to
    ``[eps, 1 - eps]``, ``eps = np.finfo(dtype).eps``. From logits neither clips (Keras 3.15's
    TensorFlow backend recovers the logit from its sigmoid).

    Derived in Chapter 10, :eq:`eq-ch10-focal`.

    Args:
        y_true: targets in [0, 1] (0/1 labels, booleans or soft labels), same shape as
            ``y_pred``.
        y_pred: probabilities, or logits if ``from_logits=True``.
        gamma: the focusing exponent :math:`\gamma \ge 0`.
        alpha: the weight :math:`\beta \in [0, 1]` of the positives (negatives get
            :math:`1 - \beta`), or ``None`` for no class balancing.
        from_logits: whether ``y_pred`` holds logits.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        A ``tf.Tensor`` in the prediction's float dtype: a scalar, or ``y_pred``'s shape for
        ``reduction="none"``.

    Raises:
        ValueError: ``gamma < 0``, ``alpha`` outside [0, 1], shapes that differ, empty input,
            a bad option or weight shape; in eager mode also targets or probabilities outside
            [0, 1], NaN/inf, negative weights.
        TypeError: non-numeric input, a non-bool ``from_logits``, a non-real ``gamma`` or
            ``alpha``.

    Examples:
        >>> loss = binary_focal_loss([1.0, 0.0], [0.9, 0.9], reduction="none")
        >>> [round(float(v), 6) for v in loss]  # 0.1² (-log 0.9), 0.9² (-log 0.1)
        [0.001054, 1.865094]
    """
    args = contract.focal_args(
        TF, y_true, y_pred, gamma=gamma, alpha=alpha, from_logits=from_logits,
        sample_weight=sample_weight,
    )  # fmt: skip
    y, g = args.y, args.gamma
    bce = _bernoulli_nll(y, args.pred, args.from_logits, None)  # the cross-entropy per element
    if args.from_logits:
        log_p, log_q = (
            tf.math.log_sigmoid(args.pred),
            tf.math.log_sigmoid(-args.pred),
        )  # log p, log(1 − p)
        # 1 − p_t = y (1 − p) + (1 − y) p; log 0 = −inf drops a term of a hard label
        log_1m_pt = _logaddexp(tf.math.log(y) + log_q, tf.math.log1p(-y) + log_p)
        modulating = tf.exp(g * log_1m_pt)  # (1 − p_t)^γ = e^{γ log(1 − p_t)}: 1 when γ = 0
    else:
        eps = machine_eps(args.pred)
        p = tf.clip_by_value(args.pred, eps, 1 - eps)  # as in the cross-entropy
        modulating = (y * (1 - p) + (1 - y) * p) ** g  # (1 − p_t)^γ
    nll = modulating * bce
    if args.alpha is not None:
        nll = (y * args.alpha + (1 - y) * (1 - args.alpha)) * nll  # β_t = y β + (1 − y)(1 − β)
    return contract.reduce(TF, nll, args.weights, reduction)


# the shared contract text (sample_weight, reduction, Returns, Raises), written once in _docs
_docs.fill(globals(), __all__, _docs.TFP_LOSS)
