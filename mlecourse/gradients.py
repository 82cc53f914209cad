r"""Analytic gradients of the reference losses, and a finite-difference gradient check.

For every loss of :mod:`mlecourse.losses` there is a function of the same name, signature
and options that returns the derivative of the loss with respect to its prediction. The
chapters derive these formulas by hand (binary cross-entropy in Chapter 4, categorical
cross-entropy in Chapter 5, the regression losses in Chapter 6) and then check them with
:func:`check_gradient`; a training loop written in NumPy can use them directly.

The identities, each used where it is implemented:

* :math:`\partial\,\mathrm{BCE}/\partial z = \sigma(z) - y` from logits,
  :math:`\partial\,\mathrm{BCE}/\partial p = -y/p + (1-y)/(1-p)` from probabilities;
* :math:`\partial\,\mathrm{CE}/\partial z_k = \mathrm{softmax}(\mathbf{z})_k - y_k` from logits;
* :math:`\partial\,\mathrm{MSE}/\partial \hat y = 2(\hat y - y)`,
  :math:`\partial\,\mathrm{MAE}/\partial \hat y = \operatorname{sign}(\hat y - y)`;
* Gaussian NLL: :math:`\partial/\partial\mu = (\mu - y)/\sigma^2`,
  :math:`\partial/\partial\sigma^2 = \tfrac12\big(1/\sigma^2 - (y-\mu)^2/\sigma^4\big)`;
* Chapters 10 and 11: the Student-t, negative-binomial, Gamma and log-normal NLLs
  with respect to the prediction *and* their shape and scale parameters (which bring in the
  digamma function :math:`\psi`), the Huber loss (:math:`\operatorname{clip}(\hat y - y,
  -\delta, \delta)`), the pinball loss and the focal loss.

Decisions (written down once, here):

* **What is differentiated.** The loss *as reduced*: for ``"mean"`` and ``"sum"`` the result
  is the gradient of that scalar, shaped like the prediction (so a mean divides every entry
  by the same denominator the loss uses). For ``"none"`` it is, for each element, the
  derivative of that element's (weighted) loss with respect to its own prediction -- the
  same array as the gradient of ``loss(..., reduction="none").sum()``, because no loss
  depends on another element's prediction. For the categorical losses an "element" is a
  whole row of class scores, and the result has the shape of ``y_pred``.
* **The function as implemented, not an idealisation.** Where the loss clips or clamps
  (probabilities to ``[eps, 1 - eps]``, a variance below ``eps``), the derivative is 0 on
  the clipped side, exactly what finite differences of the loss give and what autodiff
  gives for Keras's clipped cross-entropy. (PyTorch's ``GaussianNLLLoss`` clamps in a
  ``no_grad`` block and so passes a gradient through the clamp; ours does not.) At the
  clip boundary itself the unclipped formula is used.
* **Kinks.** The absolute value is not differentiable at 0: for the MAE and the Laplace
  NLL the subgradient ``sign(0) = 0`` is returned, as PyTorch and TensorFlow do.
* **Validation** is the loss's own: each gradient normalises its arguments with the same
  function of the contract (``mlecourse._contract``) as the loss of the same name, so
  it accepts exactly the inputs the loss accepts and raises the same errors; the loss itself
  is never evaluated. The same modelling steps (label smoothing, clamps, the ``ignore_index``
  mask) are written in the body, and the reduction divides by the contract's denominator
  (``mlecourse._contract.reduce_gradient``).
* **Return types.** A loss of the prediction alone returns one array. A loss with
  distribution parameters returns one :class:`~typing.NamedTuple` per loss, the same type on
  every call (:class:`GaussianGrad`, :class:`LaplaceGrad`, :class:`StudentTGrad`,
  :class:`NegativeBinomialGrad`, :class:`GammaGrad`, :class:`LogNormalGrad`): unpack it
  (``d_mean, d_spread = ...``) or read it by name (``grad.mean``).
* **dtype** -- the prediction's (float32 stays float32).

Examples:
    >>> import numpy as np
    >>> from mlecourse import gradients, losses
    >>> y, z = np.array([1.0, 0.0, 1.0]), np.array([0.5, -1.0, 2.0])
    >>> g = gradients.binary_cross_entropy(y, z, from_logits=True)
    >>> check = gradients.check_gradient(
    ...     lambda t: losses.binary_cross_entropy(y, t, from_logits=True), z, g)
    >>> check.ok
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from scipy.special import digamma

from mlecourse import _checks as checks
from mlecourse import _contract as contract
from mlecourse import _docs
from mlecourse._backend import NUMPY, machine_eps
from mlecourse.special import log_sigmoid, sigmoid, smooth_labels, softmax, softplus

__all__ = [
    "GammaGrad",
    "GaussianGrad",
    "GradientCheck",
    "LaplaceGrad",
    "LogNormalGrad",
    "NegativeBinomialGrad",
    "StudentTGrad",
    "check_gradient",
    *contract.LOSS_NAMES,
]


# ----------------------------------------------------------------------------- return types


class GaussianGrad(NamedTuple):
    """The gradient of :func:`gaussian_nll`: ``d_mean, d_spread = gradients.gaussian_nll(...)``.

    ``mean`` is the derivative with respect to ``mean``; ``spread`` the derivative with respect
    to whichever of ``variance``, ``std`` or ``log_variance`` was given, ``None`` when none was
    (unit variance).
    """

    mean: np.ndarray
    spread: np.ndarray | None


class LaplaceGrad(NamedTuple):
    """The gradient of :func:`laplace_nll` with respect to ``loc`` and ``scale``."""

    loc: np.ndarray
    scale: np.ndarray


class StudentTGrad(NamedTuple):
    """The gradient of :func:`student_t_nll` with respect to ``loc``, ``df`` and ``scale``."""

    loc: np.ndarray
    df: np.ndarray
    scale: np.ndarray


class NegativeBinomialGrad(NamedTuple):
    """The gradient of :func:`negative_binomial_nll` w.r.t. ``mean`` and ``total_count``."""

    mean: np.ndarray
    total_count: np.ndarray


class GammaGrad(NamedTuple):
    """The gradient of :func:`gamma_nll` with respect to ``mean`` and ``concentration``."""

    mean: np.ndarray
    concentration: np.ndarray


class LogNormalGrad(NamedTuple):
    """The gradient of :func:`lognormal_nll` with respect to ``loc`` and ``scale``."""

    loc: np.ndarray
    scale: np.ndarray


# ----------------------------------------------------------------------------- shared helpers


def _param_gradient(
    grad: np.ndarray,
    args: contract.LaplaceArgs[np.ndarray]
    | contract.GaussianArgs[np.ndarray]
    | contract.StudentTArgs[np.ndarray]
    | contract.NegativeBinomialArgs[np.ndarray]
    | contract.GammaArgs[np.ndarray]
    | contract.LogNormalArgs[np.ndarray],
    reduction: Literal["mean", "sum", "none"],
    param: np.ndarray,
) -> np.ndarray:
    """Reduce the derivative w.r.t. a distribution parameter ``param``.

    Per element as for the prediction; then, for ``"mean"``/``"sum"``, a scalar parameter
    (shared by every element) gets the sum of its per-element contributions, so the result
    has the parameter's shape, as autodiff would give.
    """
    like = args.loc if hasattr(args, "loc") else args.mean
    grad = np.asarray(np.broadcast_to(grad, like.shape), like.dtype)
    grad = contract.reduce_gradient(grad, args.weights, reduction)
    if reduction != "none" and np.ndim(param) == 0:
        return np.asarray(grad.sum(dtype=grad.dtype))
    return grad


def _categorical_grad(z: np.ndarray, coeff: np.ndarray, from_logits: bool) -> np.ndarray:
    """Derivative of ``𝓛 = -Σ_j a_j log p_j`` per row (class axis last), ``a = coeff``.

    From logits, ``p = softmax(z)``: ``∂𝓛/∂z_k = (Σ_j a_j) p_k − a_k`` (``p_k − y_k`` for a
    one-hot ``a``). From probabilities (used as given, clipped): ``∂𝓛/∂p_k = −a_k / p_k``,
    0 where the clip is active.
    """
    if from_logits:
        # ∂𝓛/∂z_k = Σ_j a_j (p_k − [j = k]) = A p_k − a_k, with A = Σ_j a_j
        return softmax(z, axis=-1) * coeff.sum(axis=-1, keepdims=True) - coeff
    eps = machine_eps(z)
    p = np.clip(z, eps, 1 - eps)
    return np.where(p == z, -coeff / p, 0)


# ----------------------------------------------------------------------------- Bernoulli


def binary_cross_entropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    pos_weight: npt.ArrayLike | None = None,
    label_smoothing: float = 0.0,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`mlecourse.losses.binary_cross_entropy` with respect to ``y_pred``.

    With smoothed targets :math:`y' = y(1-\varepsilon) + \varepsilon/2` and positive-class
    weight :math:`c_+`, one element's loss is
    :math:`\mathcal{L} = -[c_+ y' \log p + (1-y')\log(1-p)]`, whose derivatives are

    .. math::

        \frac{\partial \mathcal{L}}{\partial p} = -\frac{c_+ y'}{p} + \frac{1-y'}{1-p},
        \qquad
        \frac{\partial \mathcal{L}}{\partial z} = \sigma(z)\,(c_+ y' + 1 - y') - c_+ y'
        \;\overset{c_+=1}{=}\; \sigma(z) - y'

    (the second by the chain rule with :math:`\partial p / \partial z = p(1-p)`). In Python:
    ``sigmoid(z) * (pw * ys + 1 - ys) - pw * ys`` from logits,
    ``-pw * ys / p + (1 - ys) / (1 - p)`` from probabilities (``ys`` the smoothed target),
    then multiplied by ``sample_weight`` and, for ``"mean"``, divided by ``Σ sample_weight``
    (or the number of elements). Derived in Chapter 4, :eq:`eq-ch04-grad`.

    Probabilities outside ``[eps, 1 - eps]`` are clipped by the loss, so their derivative
    is 0 (the clipped loss is flat there): a prediction of exactly 0 for a positive label
    gets no gradient, the cost of clipping that Chapter 4 shows. Logits have no such gap.

    Args:
        y_true: Targets in ``[0, 1]``, same shape as ``y_pred``.
        y_pred: Probabilities, or logits if ``from_logits=True``.
        from_logits: Whether ``y_pred`` holds logits.
        pos_weight: :math:`c_+`: a scalar, one weight per label (last axis) or ``y_pred``'s shape.
        label_smoothing: ``ε`` in ``[0, 1]``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> binary_cross_entropy([1.0, 0.0], [0.0, 0.0], from_logits=True, reduction="sum")
        array([-0.5,  0.5])
        >>> binary_cross_entropy([1.0], [0.25], reduction="none")  # -1 / p
        array([-4.])
    """
    args = contract.binary_args(
        NUMPY, y_true, y_pred, from_logits=from_logits, pos_weight=pos_weight,
        label_smoothing=label_smoothing, sample_weight=sample_weight,
    )  # fmt: skip
    ys = smooth_labels(args.y, args.smoothing, num_classes=2)  # y' = y (1 − ε) + ε / 2
    pwt = ys if args.pos_weight is None else args.pos_weight * ys  # c₊ y'
    if args.from_logits:
        # ∂𝓛/∂z = σ(z)(c₊y' + 1 − y') − c₊y', which is σ(z) − y' when c₊ = 1
        grad = sigmoid(args.pred) * (pwt + (1 - ys)) - pwt
    else:
        # ∂𝓛/∂p = −c₊y'/p + (1 − y')/(1 − p) on the clipped p; 0 where the clip is active
        eps = machine_eps(args.pred)
        p = np.clip(args.pred, eps, 1 - eps)
        grad = np.where(p == args.pred, (1 - ys) / (1 - p) - pwt / p, 0)
    return contract.reduce_gradient(grad, args.weights, reduction)


# ----------------------------------------------------------------------------- Categorical


def categorical_cross_entropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    class_weight: npt.ArrayLike | None = None,
    label_smoothing: float = 0.0,
    sample_weight: npt.ArrayLike | None = None,
    axis: int = -1,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`mlecourse.losses.categorical_cross_entropy` w.r.t. ``y_pred``.

    With :math:`K` classes, smoothed targets :math:`y'_k = y_k(1-\varepsilon) + \varepsilon/K`,
    class weights :math:`c_k` and :math:`a_k = c_k y'_k`, one example's loss is
    :math:`\mathcal{L} = -\sum_j a_j \log p_j`, and

    .. math::

        \frac{\partial \mathcal{L}}{\partial z_k}
        = \Big(\sum_j a_j\Big)\,\mathrm{softmax}(\mathbf{z})_k - a_k
        \;\overset{c=1}{=}\; \mathrm{softmax}(\mathbf{z})_k - y'_k,
        \qquad
        \frac{\partial \mathcal{L}}{\partial p_k} = -\frac{a_k}{p_k}

    (from logits the Jacobian of the softmax, :math:`\partial \log p_j/\partial z_k =
    [j=k] - p_k`, collapses the sum; probabilities are used as given, not renormalised, so
    each :math:`p_k` is an independent input). In Python:
    ``softmax(z) * a.sum(axis, keepdims=True) - a`` or ``-a / p``, times ``sample_weight``;
    ``"mean"`` divides by the loss's denominator :math:`\sum_i \omega_i \sum_k c_k y_{ik}`
    (:math:`\omega_i` the sample weight, unsmoothed targets; :math:`\sum_i \omega_i` or the
    number of rows without class weights). Derived in Chapter 5,
    :eq:`eq-ch05-grad`.

    Args:
        y_true: One-hot or soft targets, same shape as ``y_pred``.
        y_pred: Probabilities along ``axis``, or logits if ``from_logits=True``.
        from_logits: Whether ``y_pred`` holds logits.
        class_weight: One weight :math:`c_k` per class, shape ``(K,)``.
        label_smoothing: ``ε`` in ``[0, 1]``.
        sample_weight: A scalar or one weight per example.
        axis: The class axis.
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        The worked example of Chapter 5, p = [0.23, 0.63, 0.14], y = [0, 1, 0]:

        >>> logits = np.log([0.23, 0.63, 0.14])  # softmax(logits) = p
        >>> categorical_cross_entropy([0, 1, 0], logits, from_logits=True)  # p − y
        array([ 0.23, -0.37,  0.14])
    """
    args = contract.categorical_args(
        NUMPY, y_true, y_pred, from_logits=from_logits, class_weight=class_weight,
        label_smoothing=label_smoothing, sample_weight=sample_weight, axis=axis,
    )  # fmt: skip
    cw = args.class_weight
    w_y = None if cw is None else np.sum(cw * args.y, axis=-1)  # Σ_k c_k y_k, unsmoothed
    y = smooth_labels(args.y, args.smoothing)  # y' = y (1 − ε) + ε / K
    coeff = y if cw is None else y * cw  # a_k = c_k y'_k
    grad = _categorical_grad(args.pred, coeff, args.from_logits)
    grad = contract.reduce_gradient(grad, args.weights, reduction, w_y, class_axis=True)
    return np.moveaxis(grad, -1, args.axis)


def sparse_categorical_cross_entropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    class_weight: npt.ArrayLike | None = None,
    ignore_index: int | None = None,
    label_smoothing: float = 0.0,
    sample_weight: npt.ArrayLike | None = None,
    axis: int = -1,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`mlecourse.losses.sparse_categorical_cross_entropy` w.r.t. ``y_pred``.

    For the label :math:`y \in \{0, \dots, K-1\}`, the loss of Chapter 5 is
    :math:`\mathcal{L} = -\sum_j a_j \log p_j` with :math:`a_k = (1-\varepsilon)\,c_y [k=y] +
    \tfrac{\varepsilon}{K} c_k` (class weights :math:`c_k`; PyTorch's ``cross_entropy`` with
    ``weight`` and ``label_smoothing``), so

    .. math::

        \frac{\partial \mathcal{L}}{\partial z_k}
        = \Big(\sum_j a_j\Big)\,\mathrm{softmax}(\mathbf{z})_k - a_k
        \;\overset{c=1,\ \varepsilon=0}{=}\; \mathrm{softmax}(\mathbf{z})_k - [k = y],

        \frac{\partial \mathcal{L}}{\partial p_k} = -\frac{a_k}{p_k}

    In Python: ``softmax(z) * a.sum(axis, keepdims=True) - a``, rows with
    ``y_true == ignore_index`` set to 0, times ``sample_weight``; ``"mean"`` divides by
    :math:`\sum_i \omega_i c_{y_i}` (:math:`\omega_i` the sample weight) over the rows not
    ignored. Derived in Chapter 5, :eq:`eq-ch05-grad`.

    Args:
        y_true: Integer class indices, shaped like ``y_pred`` without ``axis``.
        y_pred: Probabilities along ``axis``, or logits if ``from_logits=True``.
        from_logits: Whether ``y_pred`` holds logits.
        class_weight: One weight :math:`c_k` per class, shape ``(K,)``.
        ignore_index: A label value whose rows get gradient 0.
        label_smoothing: ``ε`` in ``[0, 1]``.
        sample_weight: A scalar or one weight per example.
        axis: The class axis of ``y_pred``.
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> logits = np.log([[0.23, 0.63, 0.14], [0.5, 0.25, 0.25]])
        >>> sparse_categorical_cross_entropy([1, -100], logits, from_logits=True,
        ...                                  ignore_index=-100)
        array([[ 0.23, -0.37,  0.14],
               [ 0.  ,  0.  ,  0.  ]])
    """
    args = contract.sparse_args(
        NUMPY, y_true, y_pred, from_logits=from_logits, class_weight=class_weight,
        ignore_index=ignore_index, label_smoothing=label_smoothing, sample_weight=sample_weight,
        axis=axis,
    )  # fmt: skip
    k, w, eps = args.labels, args.weights, args.smoothing
    if args.ignore_index is not None:  # an ignored entry leaves numerator and denominator
        kept = k != args.ignore_index
        k = np.where(kept, k, 0)  # any valid class: its weight is 0
        w = kept.astype(args.pred.dtype) if w is None else w * kept
    num_classes = args.pred.shape[-1]
    cw = np.ones(num_classes, args.pred.dtype) if args.class_weight is None else args.class_weight
    one_hot = np.arange(num_classes) == k[..., None]
    # a_k = (1 − ε) c_y [k = y] + (ε / K) c_k; an ignored row has sample weight 0
    coeff = (1 - eps) * cw[k][..., None] * one_hot + eps / num_classes * cw
    grad = _categorical_grad(args.pred, coeff, args.from_logits)
    w_k = None if args.class_weight is None else cw[k]  # the class weight of each target
    grad = contract.reduce_gradient(grad, w, reduction, w_k, class_axis=True)
    return np.moveaxis(grad, -1, args.axis)


# ----------------------------------------------------------------------------- Regression


def mean_squared_error(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`mlecourse.losses.mean_squared_error` with respect to ``y_pred``.

    .. math::

        \frac{\partial}{\partial \hat y}\,(y - \hat y)^2 = 2\,(\hat y - y)

    In Python: ``2 * (y_pred - y_true)``, times ``sample_weight``; ``"mean"`` divides by
    ``Σ sample_weight`` (or the number of elements). Derived in Chapter 6
    (:eq:`eq-ch06-mse-nll`: the Gaussian NLL with unit variance, whose gradient is half of this).

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predictions.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> mean_squared_error([1.0, 2.0], [2.0, 2.0])  # 2 (ŷ − y) / n
        array([1., 0.])
    """
    args = contract.regression_args(NUMPY, y_true, y_pred, sample_weight=sample_weight)
    grad = 2 * (args.pred - args.y)  # ∂(y − ŷ)²/∂ŷ = 2(ŷ − y)
    return contract.reduce_gradient(grad, args.weights, reduction)


def mean_absolute_error(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray:
    r"""(Sub)gradient of :func:`mlecourse.losses.mean_absolute_error` w.r.t. ``y_pred``.

    .. math::

        \frac{\partial}{\partial \hat y}\,|y - \hat y| = \operatorname{sign}(\hat y - y)

    In Python: ``np.sign(y_pred - y_true)``, times ``sample_weight``; ``"mean"`` divides by
    ``Σ sample_weight`` (or the number of elements). At ``y_pred == y_true`` the absolute value
    has no derivative; every number in ``[-1, 1]`` is a subgradient and 0 is returned, as
    PyTorch and TensorFlow do. Derived in Chapter 6 (:eq:`eq-ch06-laplace-nll` with
    unit scale).

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predictions.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> mean_absolute_error([1.0, 2.0, 3.0], [0.0, 2.0, 5.0], reduction="sum")
        array([-1.,  0.,  1.])
    """
    args = contract.regression_args(NUMPY, y_true, y_pred, sample_weight=sample_weight)
    grad = np.sign(args.pred - args.y)  # ∂|y − ŷ|/∂ŷ = sign(ŷ − y), 0 at ŷ = y
    return contract.reduce_gradient(grad, args.weights, reduction)


def gaussian_nll(
    y_true: npt.ArrayLike,
    mean: npt.ArrayLike,
    *,
    variance: npt.ArrayLike | None = None,
    std: npt.ArrayLike | None = None,
    log_variance: npt.ArrayLike | None = None,
    full: bool = True,
    eps: float = 1e-6,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> GaussianGrad:
    r"""Gradient of :func:`mlecourse.losses.gaussian_nll` w.r.t. the mean and the given spread.

    With the residual :math:`u = y - \mu` and :math:`\mathcal{L} = \tfrac12\log\sigma^2 +
    u^2/(2\sigma^2)\ (+\tfrac12\log 2\pi)`,

    .. math::

        \frac{\partial \mathcal{L}}{\partial \mu} = \frac{\mu - y}{\sigma^2}, \qquad
        \frac{\partial \mathcal{L}}{\partial \sigma^2} = \frac12\Big(\frac1{\sigma^2}
            - \frac{u^2}{\sigma^4}\Big),

        \frac{\partial \mathcal{L}}{\partial \sigma} = \frac1\sigma - \frac{u^2}{\sigma^3}, \qquad
        \frac{\partial \mathcal{L}}{\partial \log\sigma^2}
        = \frac12\Big(1 - \frac{u^2}{\sigma^2}\Big)

    In Python, e.g. for ``variance``: ``((mean - y) / var, 0.5 * (1 / var - u**2 / var**2))``.
    Each vanishes at the MLE (:math:`\mu = y`, :math:`\sigma^2 = u^2`); the log-variance form
    is bounded in ``u``, one reason it trains stably. The constant ``½ log 2π`` (``full``)
    does not change the gradient. Where the variance is below ``eps`` the loss uses ``eps``
    (a constant), so the derivative with respect to the spread is 0 there, and the derivative
    with respect to the mean uses ``eps`` as the variance. Derived in Chapter 6,
    :eq:`eq-ch06-param-grads`.

    Args:
        y_true: Targets, same shape as ``mean``.
        mean: Predicted means.
        variance: ``σ² >= 0``, a scalar or the shape of ``mean``.
        std: ``σ >= 0``, a scalar or the shape of ``mean``.
        log_variance: ``log σ²``, a scalar or the shape of ``mean``.
        full: Include ``½ log 2π`` in the loss (no effect on the gradient).
        eps: The variance floor, ``> 0``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        ``(d_mean, d_spread)``: ``d_mean`` shaped like ``mean``; ``d_spread`` the derivative
        with respect to whichever of ``variance``, ``std`` or ``log_variance`` was given
        (``None`` if none was), shaped like that argument for ``"mean"``/``"sum"`` (a scalar
        spread shared by all elements gets the sum of their contributions) and like ``mean``
        for ``"none"``. Both in the dtype of ``mean``.

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> d_mean, d_var = gaussian_nll([1.0], [0.0], variance=[0.5])
        >>> d_mean, d_var  # (0 − 1) / 0.5 and ½ (1/0.5 − 1/0.25)
        (array([-2.]), array([-1.]))
    """
    args = contract.gaussian_args(
        NUMPY, y_true, mean, variance=variance, std=std, log_variance=log_variance,
        full=full, eps=eps, sample_weight=sample_weight,
    )  # fmt: skip
    s = np.ones((), args.mean.dtype) if args.spread is None else args.spread  # none: unit variance
    u2 = np.square(args.y - args.mean)  # u² = (y − μ)²
    if args.spread_name == "log_variance":
        log_var = np.maximum(s, math.log(args.floor))  # σ² >= eps  <=>  log σ² >= log eps
        inv_var = np.exp(-log_var)
        d_spread = 0.5 * (1 - u2 * inv_var)  # ∂𝓛/∂(log σ²) = ½ (1 − u² / σ²)
        unclamped = log_var == s
    else:
        var = np.square(s) if args.spread_name == "std" else s  # σ²
        clamped_var = np.maximum(var, args.floor)  # σ² >= eps (PyTorch's clamp)
        inv_var = 1 / clamped_var
        d_var = 0.5 * inv_var * (1 - u2 * inv_var)  # ∂𝓛/∂σ² = ½ (1/σ² − u²/σ⁴)
        by_std = args.spread_name == "std"  # ∂𝓛/∂σ = 2σ · ∂𝓛/∂σ² = 1/σ − u²/σ³
        d_spread = 2 * s * d_var if by_std else d_var
        unclamped = clamped_var == var
    d_mean = contract.reduce_gradient((args.mean - args.y) * inv_var, args.weights, reduction)
    if args.spread is None:
        return GaussianGrad(d_mean, None)
    # below eps the loss uses the constant eps: no derivative w.r.t. the spread there
    d_spread = np.where(unclamped, d_spread, 0)
    return GaussianGrad(d_mean, _param_gradient(d_spread, args, reduction, args.spread))


def poisson_nll(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    log_input: bool = True,
    full: bool = True,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`mlecourse.losses.poisson_nll` with respect to ``y_pred``.

    With :math:`\mathcal{L} = \lambda - y\log\lambda + \log y!`:

    .. math::

        \frac{\partial \mathcal{L}}{\partial \eta} = e^{\eta} - y \quad (\eta = \log\lambda), \qquad
        \frac{\partial \mathcal{L}}{\partial \lambda} = 1 - \frac{y}{\lambda}

    In Python: ``np.exp(eta) - y`` (``log_input=True``, the canonical link: prediction minus
    target, like the cross-entropies) or ``1 - y / rate``. ``log y!`` (``full``) does not
    depend on the rate. Where a rate is below ``eps = np.finfo(dtype).eps`` the loss takes
    the logarithm of ``eps`` (a constant), so the derivative there is 1. A log-rate above
    about 709 (float64) gives an infinite derivative, as the loss is infinite. Derived in
    Chapter 8 (the Poisson head; :eq:`eq-ch08-canonical-grad`, prediction minus target).

    Args:
        y_true: Counts, same shape as ``y_pred``.
        y_pred: Log-rates (``log_input=True``) or rates.
        log_input: Whether ``y_pred`` holds ``log λ``.
        full: Include ``log y!`` in the loss (no effect on the gradient).
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> poisson_nll([2.0, 0.0], np.log([2.0, 0.5]), reduction="sum")  # λ − y
        array([0. , 0.5])
    """
    args = contract.poisson_args(
        NUMPY, y_true, y_pred, log_input=log_input, full=full, sample_weight=sample_weight
    )
    if args.log_input:
        with np.errstate(over="ignore"):  # e^η for η > 709 is +inf, as the loss is
            grad = np.exp(args.pred) - args.y  # ∂(e^η − yη)/∂η = e^η − y
    else:
        eps = machine_eps(args.pred)
        # ∂(λ − y log λ)/∂λ = 1 − y/λ; below eps the log term is the constant y log eps
        grad = np.where(args.pred >= eps, 1 - args.y / np.maximum(args.pred, eps), 1)
    return contract.reduce_gradient(grad, args.weights, reduction)


def laplace_nll(
    y_true: npt.ArrayLike,
    loc: npt.ArrayLike,
    *,
    scale: npt.ArrayLike = 1.0,
    full: bool = True,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> LaplaceGrad:
    r"""(Sub)gradient of :func:`mlecourse.losses.laplace_nll` w.r.t. the location and the scale.

    With :math:`\mathcal{L} = |y - \mu|/b + \log b\ (+\log 2)`:

    .. math::

        \frac{\partial \mathcal{L}}{\partial \mu} = \frac{\operatorname{sign}(\mu - y)}{b}, \qquad
        \frac{\partial \mathcal{L}}{\partial b} = \frac1b - \frac{|y - \mu|}{b^2}

    In Python: ``(np.sign(loc - y) / b, 1 / b - np.abs(y - loc) / b**2)``. At ``loc == y`` the
    subgradient ``sign(0) = 0`` is returned (as for :func:`mean_absolute_error`). The scale's
    derivative vanishes at :math:`b = |y - \mu|`, the per-element MLE. ``full`` does not
    change the gradient. Derived in Chapter 6 from :eq:`eq-ch06-laplace-nll`.

    Args:
        y_true: Targets, same shape as ``loc``.
        loc: Predicted locations.
        scale: ``b > 0``, a scalar or the shape of ``loc``.
        full: Include ``log 2`` in the loss (no effect on the gradient).
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        ``(d_loc, d_scale)``: ``d_loc`` shaped like ``loc``; ``d_scale`` shaped like ``scale``
        for ``"mean"``/``"sum"`` (a scalar scale gets the sum of the contributions) and like
        ``loc`` for ``"none"``. Both in the dtype of ``loc``.

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> d_loc, d_scale = laplace_nll([1.0, 3.0], [0.0, 3.0], scale=2.0, reduction="sum")
        >>> d_loc, float(d_scale)  # ½ (1/2 − 1/4) + (1/2 − 0) summed
        (array([-0.5,  0. ]), 0.75)
    """
    args = contract.laplace_args(
        NUMPY, y_true, loc, scale=scale, full=full, sample_weight=sample_weight
    )
    b = args.scale
    # ∂𝓛/∂μ = sign(μ − y) / b (subgradient 0 at μ = y);  ∂𝓛/∂b = 1/b − |y − μ|/b²
    d_loc = contract.reduce_gradient(np.sign(args.loc - args.y) / b, args.weights, reduction)
    d_scale = 1 / b - np.abs(args.y - args.loc) / np.square(b)
    return LaplaceGrad(d_loc, _param_gradient(d_scale, args, reduction, b))


# ----------------------------------------------------------------------------- Exact likelihoods


def student_t_nll(
    y_true: npt.ArrayLike,
    loc: npt.ArrayLike,
    *,
    df: npt.ArrayLike,
    scale: npt.ArrayLike = 1.0,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> StudentTGrad:
    r"""Gradient of :func:`mlecourse.losses.student_t_nll` w.r.t. the location, df and scale.

    With :math:`u = (y - \mu)/\sigma` and the loss :math:`\mathcal{L}` of
    :eq:`eq-ch11-student-t-nll`,

    .. math::

        \frac{\partial \mathcal{L}}{\partial \mu}
        = -\frac{(\nu + 1)\, u}{\sigma\,(\nu + u^2)}, \qquad
        \frac{\partial \mathcal{L}}{\partial \sigma} = \frac{\nu\,(1 - u^2)}{\sigma\,(\nu + u^2)},

        \frac{\partial \mathcal{L}}{\partial \nu} &= \frac12\Big[\frac1\nu
            + \psi\big(\tfrac\nu2\big) - \psi\big(\tfrac{\nu+1}2\big)\Big] \\
            &\quad + \frac12\log\Big(1 + \frac{u^2}{\nu}\Big)
            - \frac{(\nu + 1)\, u^2}{2\nu\,(\nu + u^2)}

    with :math:`\psi` the digamma function (the derivative of :math:`\log\Gamma`). The pull of
    a residual on :math:`\mu` is bounded and falls back to 0 for large :math:`|z|`: an outlier
    is discounted, where the Gaussian's pull :math:`(\mu - y)/\sigma^2` grows without bound.
    In Python: ``-(df + 1) * z / (scale * (df + z**2))`` and so on. Derived in Chapter 11 from
    :eq:`eq-ch11-student-t-nll`.

    Args:
        y_true: Targets, same shape as ``loc``.
        loc: Predicted locations.
        df: :math:`\nu > 0`, a scalar or the shape of ``loc``.
        scale: :math:`\sigma > 0`, a scalar or the shape of ``loc``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        ``(d_loc, d_df, d_scale)``: ``d_loc`` shaped like ``loc``; ``d_df`` and ``d_scale``
        shaped like ``df`` and ``scale`` for ``"mean"``/``"sum"`` (a scalar parameter gets the
        sum of the contributions) and like ``loc`` for ``"none"``. All in the dtype of ``loc``.

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> d_loc, d_df, d_scale = student_t_nll([1.0], [0.0], df=[3.0], scale=[1.0])
        >>> d_loc, d_scale  # −(3 + 1) · 1 / (3 + 1) and 3 (1 − 1) / (3 + 1)
        (array([-1.]), array([0.]))
    """
    args = contract.student_t_args(
        NUMPY, y_true, loc, df=df, scale=scale, sample_weight=sample_weight
    )
    nu, sigma = args.df, args.scale
    u = (args.y - args.loc) / sigma
    w = nu + np.square(u)  # ν + u²
    d_loc = -(nu + 1) * u / (sigma * w)  # bounded in u: the outlier's pull fades
    d_scale = nu * (1 - np.square(u)) / (sigma * w)  # 1/σ − (ν + 1) u² / (σ (ν + u²))
    # ½ [1/ν + ψ(ν/2) − ψ((ν+1)/2)] is the derivative of ½ log ν + log B(ν/2, ½)
    d_df = 0.5 * (
        1 / nu + digamma(nu / 2) - digamma((nu + 1) / 2)
        + np.log1p(np.square(u) / nu) - (nu + 1) * np.square(u) / (nu * w)
    )  # fmt: skip
    return StudentTGrad(
        contract.reduce_gradient(d_loc, args.weights, reduction),
        _param_gradient(d_df, args, reduction, nu),
        _param_gradient(d_scale, args, reduction, sigma),
    )


def negative_binomial_nll(
    y_true: npt.ArrayLike,
    mean: npt.ArrayLike,
    *,
    total_count: npt.ArrayLike,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> NegativeBinomialGrad:
    r"""Gradient of :func:`mlecourse.losses.negative_binomial_nll` w.r.t. the mean and ``r``.

    With :math:`\mathcal{L} = r\log(1 + \mu/r) + y\log(1 + r/\mu) - \log\binom{y + r - 1}{y}`,

    .. math::

        \frac{\partial \mathcal{L}}{\partial \mu} = \frac{r\,(\mu - y)}{\mu\,(r + \mu)},

        \frac{\partial \mathcal{L}}{\partial r} = \log\Big(1 + \frac{\mu}{r}\Big)
            + \frac{y - \mu}{r + \mu} + \psi(r) - \psi(r + y)

    (:math:`\psi` the digamma function). The first vanishes at :math:`\mu = y` and, as
    :math:`r \to \infty`, tends to the Poisson's :math:`1 - y/\mu`. With a log link
    :math:`\mu = e^{z}` the chain rule gives :math:`\partial\mathcal{L}/\partial z =
    r(\mu - y)/(r + \mu)`, the Poisson's :math:`\mu - y` damped for large means. In Python:
    ``r * (mu - y) / (mu * (r + mu))`` and
    ``np.log1p(mu / r) + (y - mu) / (r + mu) + digamma(r) - digamma(r + y)``. Derived in
    Chapter 11 from :eq:`eq-ch11-negative-binomial-nll`.

    Args:
        y_true: Counts, same shape as ``mean``.
        mean: Predicted means :math:`\mu > 0`.
        total_count: :math:`r > 0`, a scalar or the shape of ``mean``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        ``(d_mean, d_total_count)``: ``d_mean`` shaped like ``mean``; ``d_total_count`` shaped
        like ``total_count`` for ``"mean"``/``"sum"`` and like ``mean`` for ``"none"``. Both in
        the dtype of ``mean``.

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> d_mean, d_r = negative_binomial_nll([3, 2], [2.0, 2.0], total_count=2.0,
        ...                                     reduction="none")
        >>> d_mean  # 2 (2 − 3) / (2 · 4) and 0 at μ = y
        array([-0.25,  0.  ])
    """
    args = contract.negative_binomial_args(
        NUMPY, y_true, mean, total_count=total_count, sample_weight=sample_weight
    )
    y, mu, r = args.y, args.mean, args.total_count
    d_mean = r * (mu - y) / (mu * (r + mu))  # ∂/∂μ [r log1p(μ/r) + y log1p(r/μ)]
    # ∂/∂r log B(r, y) = ψ(r) − ψ(r + y) (0 for y = 0, where the binomial term is absent);
    # log1p(μ/r) = softplus(log μ − log r), as in the loss
    d_r = softplus(np.log(mu) - np.log(r)) + (y - mu) / (r + mu) + digamma(r) - digamma(r + y)
    return NegativeBinomialGrad(
        contract.reduce_gradient(d_mean, args.weights, reduction),
        _param_gradient(d_r, args, reduction, r),
    )


def gamma_nll(
    y_true: npt.ArrayLike,
    mean: npt.ArrayLike,
    *,
    concentration: npt.ArrayLike,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> GammaGrad:
    r"""Gradient of :func:`mlecourse.losses.gamma_nll` w.r.t. the mean and the shape.

    With :math:`\mathcal{L} = a\bigl(y/\mu - \log(y/\mu)\bigr) + \log y + \log\Gamma(a) -
    a\log a`,

    .. math::

        \frac{\partial \mathcal{L}}{\partial \mu} = \frac{a\,(\mu - y)}{\mu^2}, \qquad
        \frac{\partial \mathcal{L}}{\partial a} = \frac{y}{\mu} - 1 - \log\frac{y}{\mu}
            + \psi(a) - \log a

    (:math:`\psi` the digamma function). With a log link :math:`\mu = e^{z}`,
    :math:`\partial\mathcal{L}/\partial z = a(1 - y/\mu)`. The shape's derivative is the
    difference of two terms :math:`\ge 0` on average: :math:`y/\mu - 1 - \log(y/\mu)` measures
    the spread of the data, :math:`\log a - \psi(a) \approx 1/(2a)` that of the model. In
    Python: ``a * (mu - y) / mu**2`` and
    ``y / mu - 1 - np.log(y / mu) + digamma(a) - np.log(a)``. Derived in
    Chapter 11 from :eq:`eq-ch11-gamma-nll`.

    Args:
        y_true: Targets ``> 0``, same shape as ``mean``.
        mean: Predicted means :math:`\mu > 0`.
        concentration: The shape :math:`a > 0`, a scalar or the shape of ``mean``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        ``(d_mean, d_concentration)``: ``d_mean`` shaped like ``mean``; ``d_concentration``
        shaped like ``concentration`` for ``"mean"``/``"sum"`` and like ``mean`` for
        ``"none"``. Both in the dtype of ``mean``.

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> d_mean, d_a = gamma_nll([2.0], [1.0], concentration=[3.0])
        >>> d_mean  # 3 (1 − 2) / 1
        array([-3.])
    """
    args = contract.gamma_args(
        NUMPY, y_true, mean, concentration=concentration, sample_weight=sample_weight
    )
    mu, a = args.mean, args.concentration  # a: the shape
    t = args.y / mu
    d_mean = a * (mu - args.y) / np.square(mu)  # ∂/∂μ a (y/μ + log μ)
    d_a = t - 1 - np.log(t) + digamma(a) - np.log(a)  # ψ(a) − log a: from log Γ(a) − a log a
    return GammaGrad(
        contract.reduce_gradient(d_mean, args.weights, reduction),
        _param_gradient(d_a, args, reduction, a),
    )


def lognormal_nll(
    y_true: npt.ArrayLike,
    loc: npt.ArrayLike,
    *,
    scale: npt.ArrayLike = 1.0,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> LogNormalGrad:
    r"""Gradient of :func:`mlecourse.losses.lognormal_nll` w.r.t. the location and the scale.

    The Gaussian NLL's gradient with :math:`\log y` in place of :math:`y` (the extra
    :math:`\log y` of the density does not depend on the parameters):

    .. math::

        \frac{\partial \mathcal{L}}{\partial \mu} = \frac{\mu - \log y}{\sigma^2}, \qquad
        \frac{\partial \mathcal{L}}{\partial \sigma}
        = \frac1\sigma - \frac{(\log y - \mu)^2}{\sigma^3}

    In Python: ``(loc - np.log(y)) / scale**2`` and
    ``1 / scale - (np.log(y) - loc) ** 2 / scale**3``. Derived in Chapter 11 from
    :eq:`eq-ch11-lognormal-nll`.

    Args:
        y_true: Targets ``> 0``, same shape as ``loc``.
        loc: :math:`\mu`, the predicted mean of :math:`\log y`.
        scale: :math:`\sigma > 0`, a scalar or the shape of ``loc``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        ``(d_loc, d_scale)``: ``d_loc`` shaped like ``loc``; ``d_scale`` shaped like ``scale``
        for ``"mean"``/``"sum"`` and like ``loc`` for ``"none"``. Both in the dtype of ``loc``.

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> d_loc, d_scale = lognormal_nll([np.e], [0.0], scale=[0.5])
        >>> d_loc, d_scale  # (0 − 1) / 0.25 and 2 − 1 / 0.125
        (array([-4.]), array([-6.]))
    """
    args = contract.lognormal_args(NUMPY, y_true, loc, scale=scale, sample_weight=sample_weight)
    sigma, u = args.scale, np.log(args.y) - args.loc  # u = log y − μ
    d_loc = -u / np.square(sigma)
    d_scale = 1 / sigma - np.square(u) / sigma**3
    return LogNormalGrad(
        contract.reduce_gradient(d_loc, args.weights, reduction),
        _param_gradient(d_scale, args, reduction, sigma),
    )


def huber_loss(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    delta: float = 1.0,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`mlecourse.losses.huber_loss` with respect to ``y_pred``.

    .. math::

        \frac{\partial \mathcal{L}_\delta}{\partial \hat y} = \operatorname{clip}(\hat y - y,
        -\delta, \delta)

    The residual :math:`\hat y - y` itself (the MSE's half-gradient) while
    :math:`|y - \hat y| \le \delta`, then :math:`\pm\delta`: the influence of an outlier is
    capped. The loss is differentiable everywhere (both pieces have slope :math:`\pm\delta`
    at :math:`|u| = \delta`). In Python: ``np.clip(y_pred - y, -delta, delta)``. Derived in
    Chapter 11 from :eq:`eq-ch11-huber`.

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predictions.
        delta: The threshold :math:`\delta > 0`.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> huber_loss([0.0, 0.0, 0.0], [0.5, -1.0, 3.0], reduction="none")
        array([ 0.5, -1. ,  1. ])
    """
    args = contract.huber_args(NUMPY, y_true, y_pred, delta=delta, sample_weight=sample_weight)
    grad = np.clip(args.pred - args.y, -args.delta, args.delta)  # ŷ − y, capped at ±δ
    return contract.reduce_gradient(grad, args.weights, reduction)


def pinball_loss(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    quantile: float = 0.5,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray:
    r"""(Sub)gradient of :func:`mlecourse.losses.pinball_loss` with respect to ``y_pred``.

    With :math:`u = y - \hat y`:

    .. math::

        \frac{\partial \mathcal{L}_\tau}{\partial \hat y} = \begin{cases} -\tau & u > 0 \\
        1 - \tau & u < 0 \end{cases}

    and 0 at the kink :math:`u = 0` (a subgradient: any value in :math:`[-\tau, 1 - \tau]`
    is one; 0 matches the ``sign(0) = 0`` of :func:`mean_absolute_error`). Summed over the
    data, it vanishes when a fraction :math:`\tau` of the targets lies below the prediction:
    the minimiser is the :math:`\tau`-quantile. In Python:
    ``np.where(u > 0, -tau, np.where(u < 0, 1 - tau, 0))`` with ``u = y - y_pred``. Derived
    in Chapter 11 from :eq:`eq-ch11-pinball`.

    Args:
        y_true: Targets, same shape as ``y_pred``.
        y_pred: Predicted quantiles.
        quantile: :math:`\tau` in ``(0, 1)``.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> pinball_loss([1.0, 1.0, 1.0], [0.0, 2.0, 1.0], quantile=0.9, reduction="none")
        array([-0.9,  0.1,  0. ])
    """
    args = contract.pinball_args(
        NUMPY, y_true, y_pred, quantile=quantile, sample_weight=sample_weight
    )
    tau, u = args.quantile, args.y - args.pred
    # ∂ max(τ u, (τ − 1) u)/∂ŷ: −τ below the target, 1 − τ above it, 0 on it
    grad = np.where(u > 0, -tau, np.where(u < 0, 1 - tau, 0)).astype(u.dtype)
    return contract.reduce_gradient(grad, args.weights, reduction)


def binary_focal_loss(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    gamma: float = 2.0,
    alpha: float | None = None,
    from_logits: bool = False,
    sample_weight: npt.ArrayLike | None = None,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> np.ndarray:
    r"""Gradient of :func:`mlecourse.losses.binary_focal_loss` with respect to ``y_pred``.

    The loss is :math:`\mathcal{L} = \beta_t F B` with :math:`F = (1 - p_t)^\gamma`, the
    cross-entropy :math:`B = -y\log p - (1 - y)\log(1 - p)` and
    :math:`1 - p_t = y(1 - p) + (1 - y)p`, whose derivative in :math:`p` is :math:`1 - 2y`.
    By the product rule, with :math:`F'` the derivative of :math:`F` in :math:`p`,

    .. math::

        F' = \gamma\,(1 - 2y)(1 - p_t)^{\gamma - 1},

        \frac{\partial \mathcal{L}}{\partial p} = \beta_t\Big[F' B
            + F\Big(\frac{1 - y}{1 - p} - \frac{y}{p}\Big)\Big],

        \frac{\partial \mathcal{L}}{\partial z} = \beta_t\big[F' p(1 - p)\, B + F\,(p - y)\big]

    (the last with :math:`\partial p/\partial z = p(1 - p)`). With :math:`\gamma = 0` it is
    the cross-entropy's :math:`p - y`; for :math:`\gamma > 0` an easy example
    (:math:`p_t \to 1`) gets a gradient smaller by about :math:`(1 - p_t)^\gamma`. From
    logits the factor :math:`(1 - p_t)^{\gamma - 1} p (1 - p)` is computed as one
    exponential of log-sigmoids, finite for logits of any size. Probabilities outside
    ``[eps, 1 - eps]`` are clipped by the loss, so their derivative is 0. Derived in
    Chapter 10 from :eq:`eq-ch10-focal`.

    Args:
        y_true: Targets in ``[0, 1]``, same shape as ``y_pred``.
        y_pred: Probabilities, or logits if ``from_logits=True``.
        gamma: :math:`\gamma \ge 0`.
        alpha: :math:`\beta \in [0, 1]` or ``None``.
        from_logits: Whether ``y_pred`` holds logits.
        sample_weight: {{sample_weight}}
        reduction: {{reduction}}

    Returns:
        {{returns}}

    Raises:
        TypeError: {{raises}}
        ValueError: {{raises}}

    Examples:
        >>> binary_focal_loss([1.0, 0.0], [0.0, 0.0], gamma=0.0, from_logits=True,
        ...                   reduction="none")  # the cross-entropy's σ(z) − y
        array([-0.5,  0.5])
    """
    args = contract.focal_args(
        NUMPY, y_true, y_pred, gamma=gamma, alpha=alpha, from_logits=from_logits,
        sample_weight=sample_weight,
    )  # fmt: skip
    y, g = args.y, args.gamma
    if args.from_logits:
        log_p, log_q = log_sigmoid(args.pred), log_sigmoid(-args.pred)  # log p, log(1 − p)
        with np.errstate(divide="ignore"):  # log 0 = −inf: the term of a hard label drops
            log_1m_pt = np.logaddexp(np.log(y) + log_q, np.log1p(-y) + log_p)
        bce = -(y * log_p + (1 - y) * log_q)
        # γ (1 − 2y)(1 − p_t)^(γ−1) p (1 − p), as one exponential of log-space terms
        d_factor = g * (1 - 2 * y) * np.exp((g - 1) * log_1m_pt + log_p + log_q)
        grad = d_factor * bce + np.exp(g * log_1m_pt) * (np.exp(log_p) - y)
    else:
        eps = machine_eps(args.pred)
        p = np.clip(args.pred, eps, 1 - eps)
        one_minus_pt = y * (1 - p) + (1 - y) * p
        bce = -(y * np.log(p) + (1 - y) * np.log1p(-p))
        d_factor = g * (1 - 2 * y) * one_minus_pt ** (g - 1)  # ∂(1 − p_t)^γ / ∂p
        d_bce = (1 - y) / (1 - p) - y / p
        grad = np.where(p == args.pred, d_factor * bce + one_minus_pt**g * d_bce, 0)
    if args.alpha is not None:
        grad = (y * args.alpha + (1 - y) * (1 - args.alpha)) * grad  # β_t
    return contract.reduce_gradient(grad, args.weights, reduction)


# ----------------------------------------------------------------------------- gradient check


@dataclass(frozen=True)
class GradientCheck:
    """The outcome of :func:`check_gradient`.

    Attributes:
        analytic: The gradient that was checked, float64, shaped like ``x``.
        numeric: The central finite-difference estimate, float64, shaped like ``x``.
        max_abs_error: ``max |analytic - numeric|``.
        max_rel_error: ``max |analytic - numeric| / max(|analytic|, |numeric|)`` over the
            entries where that denominator exceeds ``atol`` (entries where both gradients are
            essentially 0 have no meaningful relative error); 0 if there are none.
        ok: Whether ``|analytic - numeric| <= atol + rtol * |numeric|`` everywhere (the test
            of :func:`numpy.allclose`, with the finite-difference estimate as reference).
    """

    analytic: np.ndarray
    numeric: np.ndarray
    max_abs_error: float
    max_rel_error: float
    ok: bool

    def __str__(self) -> str:
        """One line: the verdict and the largest errors."""
        verdict = "ok" if self.ok else "MISMATCH"
        return (
            f"gradient check {verdict}: max abs error {self.max_abs_error:.3g}, "
            f"max rel error {self.max_rel_error:.3g} over {self.numeric.size} entries"
        )


def check_gradient(
    f: Callable[[np.ndarray], npt.ArrayLike],
    x: npt.ArrayLike,
    analytic_grad: npt.ArrayLike,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-8,
) -> GradientCheck:
    r"""Compare an analytic gradient with central finite differences of ``f`` at ``x``.

    .. math::

        \frac{\partial f}{\partial x_i} \approx
        \frac{f(x + h_i e_i) - f(x - h_i e_i)}{2 h_i},
        \qquad h_i = \mathrm{eps}\cdot\max(1, |x_i|)

    In Python: ``(f(x_plus) - f(x_minus)) / (x_plus[i] - x_minus[i])``, one pair of calls
    per entry of ``x`` (so keep ``x`` small). The error of the estimate is about
    :math:`h^2 |f'''| + \epsilon_{\text{mach}} |f| / h`, roughly ``1e-10`` relative with the
    default ``eps`` in float64: evaluate ``f`` in float64 (float32 would leave about
    ``1e-1`` of noise). Near a kink of ``f`` (``abs(x)`` at 0, a clipping edge) finite differences
    straddle it and disagree with any one-sided or sub-gradient. Used in Chapters 4-6 to
    check every derived gradient. Nothing is raised on a mismatch: look at ``.ok`` and the
    errors.

    Args:
        f: A function of one array, shaped like ``x``, returning a scalar.
        x: The point, any shape; it is copied to float64 and never modified.
        analytic_grad: The gradient to check, shaped like ``x``.
        eps: Relative step ``> 0``.
        rtol: Relative tolerance for ``ok``.
        atol: Absolute tolerance for ``ok`` (and the floor of the relative error).

    Returns:
        A :class:`GradientCheck` with ``analytic``, ``numeric``, ``max_abs_error``,
        ``max_rel_error`` and ``ok``.

    Raises:
        TypeError: If ``f`` is not callable, or an array or tolerance is not numeric.
        ValueError: If ``x`` is empty or not finite, ``analytic_grad`` is not shaped like
            ``x``, a tolerance is negative (``eps`` not positive), or ``f`` does not return a
            single finite number.

    Examples:
        The derivative of ``sum(x**3)`` is ``3 x**2``:

        >>> x = np.array([1.0, -2.0])
        >>> result = check_gradient(lambda t: np.sum(t**3), x, 3 * x**2)
        >>> result.ok, bool(result.max_rel_error < 1e-8)
        (True, True)
        >>> check_gradient(lambda t: np.sum(t**3), x, 2 * x**2).ok
        False
    """
    if not callable(f):
        raise TypeError(f"f must be a callable taking an array and returning a scalar; got {f!r}")
    x0 = checks.as_float(x, "x", np.float64).copy()
    checks.check_nonempty(x0, "x")
    checks.check_finite(x0, "x")
    analytic = checks.as_float(analytic_grad, "analytic_grad", np.float64)
    checks.check_same_shape(analytic, x0, "analytic_grad", "x")
    checks.check_finite(analytic, "analytic_grad")
    eps = checks.check_scalar(eps, "eps", low=0.0, low_open=True)
    rtol = checks.check_scalar(rtol, "rtol", low=0.0)
    atol = checks.check_scalar(atol, "atol", low=0.0)

    def value(point: np.ndarray) -> float:
        out = np.asarray(f(point.copy()))
        if out.size != 1:
            raise ValueError(f"f must return a scalar; got an array of shape {out.shape}")
        val = float(out.reshape(()))
        if not np.isfinite(val):
            raise ValueError(f"f must return a finite value; got {val!r}")
        return val

    value(x0)  # one call up front, so that a bad f fails before the loop
    numeric = np.empty_like(x0)
    flat_x, flat_n = x0.reshape(-1), numeric.reshape(-1)
    for i in range(flat_x.size):
        xi = flat_x[i]
        h = eps * max(1.0, abs(xi))
        plus, minus = xi + h, xi - h
        flat_x[i] = plus
        f_plus = value(x0)
        flat_x[i] = minus
        f_minus = value(x0)
        flat_x[i] = xi
        # divide by the step actually taken: xi ± h are rounded, their difference is not 2h
        flat_n[i] = (f_plus - f_minus) / (plus - minus)
    abs_err = np.abs(analytic - numeric)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    meaningful = scale > atol
    rel = abs_err[meaningful] / scale[meaningful]
    return GradientCheck(
        analytic=analytic.copy(),
        numeric=numeric,
        max_abs_error=float(abs_err.max()),
        max_rel_error=float(rel.max()) if rel.size else 0.0,
        ok=bool(np.all(abs_err <= atol + rtol * np.abs(numeric))),
    )


# the shared contract text (sample_weight, reduction, Returns, Raises), written once in _docs
_docs.fill(globals(), __all__, _docs.GRADIENT)
