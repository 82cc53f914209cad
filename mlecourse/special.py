"""Numerically stable primitives: sigmoid, log_sigmoid, softplus, softmax, log_softmax, logsumexp.

Every loss of :mod:`mlecourse.losses` that works from logits is built from these. Each function
rewrites the textbook formula into a form that neither overflows nor cancels, and the identity
behind the rewrite is written as a comment where it is used.

Decisions (for every function here):

* **dtype** -- float32 (and float16) inputs give float32 results, float64 gives float64, integer and
  boolean inputs give float64 (the convention of ``mlecourse._checks``).
* **range** -- any finite input is fine, ±1e4 and ±1e300 included; results never overflow and no
  ``RuntimeWarning`` is emitted. Infinities follow the limits (``softplus(+inf) = +inf``,
  ``softplus(-inf) = 0``, ``sigmoid(-inf) = 0``); NaN propagates, as in NumPy and SciPy. These are
  primitives: validating NaN is the job of the losses that call them.
* **returns** -- a NumPy array, or a NumPy scalar for a scalar input (like a ufunc).
* **log1p** -- in float32, ``log1p(t)`` for ``t`` in ``[0, 1]`` (the only range needed here) is
  computed as ``log(u) - ((u - 1) - t) / u`` with ``u = 1 + t``: as accurate as ``np.log1p`` (a few
  ulps) but built on NumPy's SIMD-vectorised float32 ``log``, several times faster. Float64 uses
  ``np.log1p``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from mlecourse._checks import as_float, check_int, check_reduce_axes, check_scalar
from mlecourse._kernels import log1p_unit

__all__ = [
    "log_beta",
    "log_gamma_correction",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "sigmoid",
    "smooth_labels",
    "softmax",
    "softplus",
]


def smooth_labels(
    labels: npt.ArrayLike, alpha: float, *, num_classes: int | None = None
) -> np.ndarray:
    r"""Label smoothing: mix the targets with the uniform distribution over the classes.

    .. math::

        y' = (1 - \alpha)\, y + \frac{\alpha}{K}

    Python: ``(1 - alpha) * y + alpha / K``, as ``optax.smooth_labels(labels, alpha)``; Keras's
    and PyTorch's ``label_smoothing=alpha`` smooth the targets in the same way. ``K`` is the
    number of classes, the last axis of one-hot (or soft) ``labels``; a binary target ``y``
    (the probability of class 1) is smoothed with ``num_classes=2``, which gives
    ``y (1 - alpha) + alpha / 2``. The losses of :mod:`mlecourse.losses` call it with their
    ``label_smoothing``; the smoothed target is no longer an outcome, and the loss becomes the
    cross-entropy of the model under it (a change to the likelihood).

    Derived in Chapter 5, :eq:`eq-ch05-smoothing`.

    Args:
        labels: One-hot or soft targets, the classes on the last axis; or binary targets in
            ``[0, 1]`` with ``num_classes=2``. A tensor of the TFP twin is smoothed as it is.
            The values are not range-checked here (the losses check them).
        alpha: The smoothing :math:`\alpha \in [0, 1]`; 0 returns ``labels`` unchanged.
        num_classes: ``K``; ``None`` takes the length of the last axis of ``labels``.

    Returns:
        The smoothed targets, the shape of ``labels``; float32 for float32 input, else float64.

    Raises:
        TypeError: Non-numeric ``labels``, a non-real ``alpha`` or a non-integer
            ``num_classes``.
        ValueError: ``alpha`` outside ``[0, 1]``, ``num_classes < 1``.

    Examples:
        >>> smooth_labels(np.array([[0.0, 1.0, 0.0]]), 0.3)  # 0.3 / 3 = 0.1 to every class
        array([[0.1, 0.8, 0.1]])
        >>> smooth_labels(np.array([1.0, 0.0]), 0.2, num_classes=2)  # binary: y 0.8 + 0.1
        array([0.9, 0.1])
    """
    a = check_scalar(alpha, "alpha", low=0.0, high=1.0)
    # an array or a tensor is used as it is (no copy, no pass over it); anything else converted
    is_array = hasattr(labels, "dtype") and hasattr(labels, "shape")
    y: np.ndarray = labels if is_array else as_float(labels, "labels")  # type: ignore[assignment]
    k = y.shape[-1] if num_classes is None else check_int(num_classes, "num_classes", low=1)
    if not a:
        return y
    return y * (1 - a) + a / k


def _float_input(x: npt.ArrayLike, name: str = "x") -> np.ndarray:
    """``x`` as a float32/float64 ndarray (never a view that we could write into by mistake)."""
    return as_float(x, name)


def _softplus_tail(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``log1p(exp(-|x|))``, the bounded part of softplus (in ``[0, log 2]``)."""
    t = np.abs(x, out=np.empty_like(x) if out is None else out)
    np.negative(t, out=t)
    np.exp(t, out=t)  # exp(-|x|) in (0, 1]: cannot overflow
    return log1p_unit(t, out=t)


def softplus(x: npt.ArrayLike) -> np.ndarray:
    r"""Softplus, ``log(1 + exp(x))``: the smooth ReLU and the negative log-sigmoid of ``-x``.

    .. math::

        \operatorname{softplus}(x) = \log(1 + e^{x}) = \max(x, 0) + \log(1 + e^{-|x|})

    Python: ``np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))``.

    Derived in Chapter 4, :eq:`eq-ch04-stable` (the binary cross-entropy from logits is built
    on it).

    Args:
        x: Real numbers of any shape.

    Returns:
        ``softplus(x)``, same shape; float32 for float32 input, else float64.

    Raises:
        TypeError: If ``x`` is not numeric.

    Examples:
        >>> import numpy as np
        >>> softplus(np.array([-1e4, 0.0, 1e4]))
        array([0.00000000e+00, 6.93147181e-01, 1.00000000e+04])
    """
    x = _float_input(x)
    # log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}); e^{-|x|} <= 1 never overflows
    out = _softplus_tail(x)
    out += np.maximum(x, 0)
    return out[()]


def log_sigmoid(x: npt.ArrayLike) -> np.ndarray:
    r"""``log(sigmoid(x))``, the Bernoulli log-probability of a 1, without overflow or ``log(0)``.

    .. math::

        \log \sigma(x) = -\operatorname{softplus}(-x) = \min(x, 0) - \log(1 + e^{-|x|})

    Python: ``np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))``.

    Derived in Chapter 4, :eq:`eq-ch04-stable` (log-likelihood of a Bernoulli with logit ``x``).

    Args:
        x: Real numbers (logits) of any shape.

    Returns:
        ``log(sigmoid(x))`` (always ``<= 0``), same shape and float dtype rules as :func:`softplus`.

    Raises:
        TypeError: If ``x`` is not numeric.

    Examples:
        >>> import numpy as np
        >>> log_sigmoid(np.array([-1e4, 0.0, 1e4]))
        array([-1.00000000e+04, -6.93147181e-01,  0.00000000e+00])
    """
    x = _float_input(x)
    # log sigmoid(x) = -softplus(-x) = min(x, 0) - log1p(e^{-|x|})
    out = _softplus_tail(x)
    np.subtract(np.minimum(x, 0), out, out=out)
    return out[()]


def sigmoid(x: npt.ArrayLike) -> np.ndarray:
    r"""The logistic sigmoid ``1 / (1 + exp(-x))``, the Bernoulli mean for logit ``x``.

    .. math::

        \sigma(x) = \frac{1}{1 + e^{-x}} =
        \begin{cases} 1 / (1 + e^{-|x|}) & x \ge 0 \\
        e^{-|x|} / (1 + e^{-|x|}) & x < 0 \end{cases}

    Python: ``np.where(x >= 0, 1, t) / (1 + t)`` with ``t = np.exp(-np.abs(x))``.

    Derived in Chapter 4, :eq:`eq-ch04-model` (logistic regression as a Bernoulli model).

    Args:
        x: Real numbers (logits) of any shape.

    Returns:
        Values in ``[0, 1]``, same shape and float dtype rules as :func:`softplus`. For
        ``x < log(tiny)`` the result underflows to 0 (or a subnormal) gracefully.

    Raises:
        TypeError: If ``x`` is not numeric.

    Examples:
        >>> import numpy as np
        >>> sigmoid(np.array([-1e4, 0.0, 2.0, 1e4]))
        array([0.        , 0.5       , 0.88079708, 1.        ])
    """
    x = _float_input(x)
    # e^{-|x|} is in (0, 1]: the branch for x < 0 uses e^x / (1 + e^x) = t / (1 + t)
    t = np.abs(x, out=np.empty_like(x))
    np.negative(t, out=t)
    np.exp(t, out=t)
    numerator = np.where(x >= 0, x.dtype.type(1), t)
    t += 1
    np.divide(numerator, t, out=t)
    return t[()]


def _axis_max(x: np.ndarray, axis: int | tuple[int, ...] | None) -> np.ndarray:
    """Max over ``axis`` (keepdims), with non-finite maxima replaced by 0 so ``x - m`` is safe."""
    m = np.asarray(np.max(x, axis=axis, keepdims=True))
    if not np.isfinite(m).all():  # a row of -inf (or containing +inf): shift by 0 instead
        m = np.where(np.isfinite(m), m, x.dtype.type(0))
    return m


def logsumexp(
    x: npt.ArrayLike, axis: int | tuple[int, ...] | None = None, keepdims: bool = False
) -> np.ndarray:
    r"""``log(sum(exp(x)))`` along ``axis`` without overflow: the log-normaliser of a softmax.

    .. math::

        \operatorname{LSE}(x) = \log \sum_k e^{x_k} = m + \log \sum_k e^{x_k - m},
        \quad m = \max_k x_k

    Python: ``m + np.log(np.sum(np.exp(x - m), axis=axis))``, ``m = x.max(axis, keepdims=True)``.

    Derived in Chapter 5, :eq:`eq-ch05-lse` (the cross-entropy from logits is
    ``logsumexp(z) - z[y]``, :eq:`eq-ch05-ce-logits`).

    Args:
        x: Real numbers of any shape.
        axis: Axis or axes to reduce; ``None`` (default) reduces all of them.
        keepdims: Keep the reduced axes with length 1.

    Returns:
        The log-sum-exp, float32 for float32 input, else float64.

    Raises:
        TypeError: If ``x`` is not numeric or ``axis`` is not an int/tuple/None.
        ValueError: If ``x`` is empty or ``axis`` is out of bounds.

    Examples:
        >>> import numpy as np
        >>> float(logsumexp(np.array([1000.0, 1000.0])))  # 1000 + log 2
        1000.6931471805599
        >>> logsumexp(np.array([[0.0, 0.0], [1e4, -1e4]]), axis=1)
        array([6.93147181e-01, 1.00000000e+04])
    """
    x = _float_input(x)
    check_reduce_axes(x.shape, axis)
    m = _axis_max(x, axis)
    # log sum_k e^{x_k} = m + log sum_k e^{x_k - m}: every exponent is <= 0, the largest is 0
    e = np.subtract(x, m, out=np.empty_like(x))
    np.exp(e, out=e)
    s = np.asarray(np.sum(e, axis=axis, keepdims=True))
    with np.errstate(divide="ignore"):  # a sum of 0 only for all -inf: log 0 = -inf is right
        np.log(s, out=s)
    s += m
    if not keepdims:
        s = np.squeeze(s, axis=axis) if axis is not None else s.reshape(())
    return s[()]


def log_softmax(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    r"""Log-probabilities of the softmax along ``axis``: ``x - logsumexp(x)``.

    .. math::

        \log \operatorname{softmax}(x)_k = x_k - \log \sum_j e^{x_j}
        = (x_k - m) - \log \sum_j e^{x_j - m}

    Python: ``x - logsumexp(x, axis=axis, keepdims=True)``; never ``np.log(softmax(x))``, which
    returns ``-inf`` as soon as a probability underflows.

    Derived in Chapter 5, :eq:`eq-ch05-lse` (the log-likelihood of a Categorical with
    logits ``x``).

    Args:
        x: Logits of any shape.
        axis: The class axis (default: the last).

    Returns:
        Log-probabilities (all ``<= 0``), same shape as ``x``.

    Raises:
        TypeError: If ``x`` is not numeric or ``axis`` is not an int.
        ValueError: If ``x`` is empty or ``axis`` is out of bounds.

    Examples:
        >>> import numpy as np
        >>> log_softmax(np.array([1e4, 0.0, -1e4]))
        array([ 0.e+00, -1.e+04, -2.e+04])
    """
    x = _float_input(x)
    check_reduce_axes(x.shape, axis)
    m = _axis_max(x, axis)
    shifted = np.subtract(x, m, out=np.empty_like(x))  # x - m <= 0
    e = np.exp(shifted)
    s = np.asarray(np.sum(e, axis=axis, keepdims=True))
    with np.errstate(divide="ignore"):  # a sum of 0 only for all -inf: log 0 = -inf is right
        np.log(s, out=s)
    shifted -= s
    return shifted[()]


def softmax(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    r"""The softmax along ``axis``: the Categorical probabilities whose logits are ``x``.

    .. math::

        \operatorname{softmax}(x)_k = \frac{e^{x_k}}{\sum_j e^{x_j}}
        = \frac{e^{x_k - m}}{\sum_j e^{x_j - m}}, \quad m = \max_j x_j

    Python: ``e / e.sum(axis, keepdims=True)`` with ``e = np.exp(x - x.max(axis, keepdims=True))``.

    Derived in Chapter 5, :eq:`eq-ch05-model`.

    Args:
        x: Logits of any shape.
        axis: The class axis (default: the last).

    Returns:
        Probabilities summing to 1 along ``axis``, same shape as ``x``.

    Raises:
        TypeError: If ``x`` is not numeric or ``axis`` is not an int.
        ValueError: If ``x`` is empty or ``axis`` is out of bounds.

    Examples:
        >>> import numpy as np
        >>> softmax(np.array([1e4, 1e4, -1e4]))
        array([0.5, 0.5, 0. ])
    """
    x = _float_input(x)
    check_reduce_axes(x.shape, axis)
    # the shift by the max makes the largest exponent 0: no overflow, the sum is >= 1
    e = np.subtract(x, _axis_max(x, axis), out=np.empty_like(x))
    np.exp(e, out=e)
    e /= np.sum(e, axis=axis, keepdims=True)
    return e[()]


# ----------------------------------------------------------- log-gamma and log-beta

_HALF_LOG_2PI = 0.5 * float(np.log(2 * np.pi))
# Stirling's series for log Γ(x) − [(x − ½) log x − x + ½ log 2π]: B_2k / (2k (2k − 1) x^(2k−1))
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156)


def _float64_and_dtype(*xs: npt.ArrayLike) -> tuple[list[np.ndarray], np.dtype]:
    """The inputs as float64 arrays, and the dtype of the result (float32 only if all are)."""
    arrays = [_float_input(x) for x in xs]
    small = all(arr.dtype == np.float32 for arr in arrays)
    return [arr.astype(np.float64) for arr in arrays], np.dtype(np.float32 if small else np.float64)


def log_gamma_correction(x: npt.ArrayLike) -> np.ndarray:
    r"""The remainder of Stirling's formula, ``log Γ(x) − [(x − ½) log x − x + ½ log 2π]``.

    .. math::

        R(x) = \log\Gamma(x) - \bigl[(x - \tfrac12)\log x - x + \tfrac12\log 2\pi\bigr],

        R(x) = \frac{1}{12x} - \frac{1}{360x^3} + \frac{1}{1260x^5} - \dots
        \quad (x \to \infty)

    Python: for ``x >= 10`` the first seven terms of that series (the next is below 3e-17
    there), and the difference itself below 10, where its terms are small enough to keep
    about 1e-14. Written as ``gammaln(x) - (x - 0.5) * np.log(x) + x`` for a large ``x`` it
    would subtract numbers of size ``x log x`` and lose every digit; the Gamma NLL with a
    large shape and the log-Beta function (:func:`log_beta`) need it exactly. It is R's
    ``lgammacor`` and TFP's ``tfp.math.log_gamma_correction``.

    Derived in Chapter 11, :eq:`eq-ch11-gamma-nll` (the normaliser of the Gamma density).

    Args:
        x: Positive real numbers of any shape.

    Returns:
        ``R(x)``, same shape; float32 for float32 input, else float64 (computed in float64).

    Raises:
        TypeError: If ``x`` is not numeric.

    Examples:
        >>> import numpy as np
        >>> log_gamma_correction(np.array([1.0, 10.0, 1e12]))  # R(1) = 1 − ½ log 2π
        array([8.10614668e-02, 8.33056343e-03, 8.33333333e-14])
    """
    (x,), dtype = _float64_and_dtype(x)
    large = x >= 10
    xl = np.where(large, x, 10.0)  # placeholders keep both branches finite
    xs = np.where(large, 1.0, x)
    inv = 1 / xl
    inv2 = inv * inv  # 1 / x², which underflows harmlessly where x² would overflow
    series = np.zeros_like(xl)
    for coeff in reversed(_STIRLING):  # Horner: (c₁ + inv² (c₂ + inv² (…))) / x
        series = coeff + inv2 * series
    direct = gammaln(xs) - ((xs - 0.5) * np.log(xs) - xs + _HALF_LOG_2PI)
    return np.where(large, series * inv, direct).astype(dtype)[()]


def log_beta(a: npt.ArrayLike, b: npt.ArrayLike) -> np.ndarray:
    r"""``log B(a, b)``, the logarithm of the Beta function, accurate for all ``a, b > 0``.

    .. math::

        \log \mathrm{B}(a, b) = \log\Gamma(a) + \log\Gamma(b) - \log\Gamma(a + b)

    Python: that sum when both arguments are below 10; otherwise, with ``p <= q`` the two
    arguments, Stirling's formula for each large log-gamma with :func:`log_gamma_correction`
    for its remainder, so that the terms of size ``q log q`` cancel algebraically instead of
    numerically (R's ``lbeta``). The straightforward sum loses digits as soon as one argument
    is large (``log B(5e5, 0.5)`` by about 2e-10 in ``scipy.special.betaln``, which switches
    to an asymptotic form only beyond a ratio of 1e6). The Student-t normaliser
    ``B(ν/2, ½)`` and the negative-binomial coefficient ``1 / (y B(r, y))`` need it for large
    ``ν`` and ``r``.

    Derived in Chapter 11, :eq:`eq-ch11-student-t-nll` and
    :eq:`eq-ch11-negative-binomial-nll`.

    Args:
        a: Positive real numbers.
        b: Positive real numbers, broadcastable against ``a``.

    Returns:
        ``log B(a, b)``, the broadcast shape; float32 if both inputs are float32, else float64
        (computed in float64).

    Raises:
        TypeError: If ``a`` or ``b`` is not numeric.

    Examples:
        >>> import numpy as np
        >>> float(log_beta(0.5, 0.5))  # B(½, ½) = π
        1.14473
        >>> float(log_beta(5e5, 0.5))  # ½ log π − ½ log(5e5) + 1/(4·5e5) − …
        -5.988816495777464
    """
    (a, b), dtype = _float64_and_dtype(a, b)
    p, q = np.minimum(a, b), np.maximum(a, b)
    s = p + q
    corr_q = log_gamma_correction(q) - log_gamma_correction(s)
    with np.errstate(divide="ignore", invalid="ignore"):  # the unused branches of tiny p
        # both large: Stirling for Γ(p), Γ(q) and Γ(p + q), regrouped around p / (p + q)
        both = (
            -0.5 * np.log(q) + _HALF_LOG_2PI + log_gamma_correction(p) + corr_q
            + (p - 0.5) * np.log(p / s) + q * np.log1p(-p / s)
        )  # fmt: skip
        # p small, q large: Γ(p) exactly, Stirling for Γ(q) and Γ(p + q)
        one = gammaln(p) + corr_q + p - p * np.log(s) + (q - 0.5) * np.log1p(-p / s)
    neither = gammaln(p) + gammaln(q) - gammaln(s)
    return np.where(p >= 10, both, np.where(q >= 10, one, neither)).astype(dtype)[()]
