r"""Entropy, cross-entropy and KL divergence of discrete distributions (Chapter 7).

The three quantities are tied by one identity, which Chapter 7 derives and every test
checks:

.. math::

    H(p, q) = H(p) + \mathrm{KL}(p \,\|\, q)

so minimising a cross-entropy (an NLL) over the model :math:`q` is minimising the KL
divergence from the data distribution :math:`p`.

Decisions (written down once, here):

* **Units** -- natural logarithms (nats) by default; ``base=2`` gives bits, any
  ``base > 0, != 1`` is accepted. One nat is :math:`1/\ln 2 \approx 1.4427` bits.
* **Distributions lie along** ``axis`` (default: the last); every other axis is a batch
  axis, so a ``(N, K)`` array gives ``N`` results. A 1-D input gives a NumPy scalar.
* **0 · log 0 = 0** (the limit :math:`x\log x \to 0`), via :func:`scipy.special.xlogy` and
  :func:`scipy.special.rel_entr`: outcomes with :math:`p_k = 0` contribute nothing and never
  produce NaN or a RuntimeWarning.
* **q = 0 where p > 0 gives +inf** for the cross-entropy and the KL divergence. That is the
  true value (an outcome the model calls impossible costs infinitely many nats), not an
  error; use it as a signal, or smooth the model's probabilities.
* **Validation** -- values must be finite probabilities in ``[0, 1]`` and ``p`` and ``q``
  must have the same shape (no broadcasting). Slices that do not sum to 1 (beyond
  ``sqrt(eps)`` of the dtype) raise a ``UserWarning``, like scikit-learn's ``log_loss``,
  and the result is computed from the values as given. Unlike
  :func:`scipy.stats.entropy`, nothing is silently renormalised: a forgotten softmax should
  be visible.
* **dtype** -- float32 stays float32. For the two-argument functions the model ``q``
  decides the dtype, as the predictions do for the losses.

Examples:
    >>> from mlecourse.information import entropy, cross_entropy, kl_divergence
    >>> p, q = [0.5, 0.5], [0.25, 0.75]
    >>> h = entropy(p, base=2)
    >>> ce, kl = cross_entropy(p, q, base=2), kl_divergence(p, q, base=2)
    >>> float(h), bool(np.isclose(ce, h + kl))
    (1.0, True)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import rel_entr, xlogy

from mlecourse import _checks as checks

__all__ = ["cross_entropy", "entropy", "kl_divergence"]


def _distribution(
    x: npt.ArrayLike, name: str, axis: int, dtype: np.dtype | None = None
) -> tuple[np.ndarray, int]:
    """Validate probabilities laid out along ``axis``; return them and the normalised axis."""
    arr = checks.as_float(x, name, dtype)
    if arr.ndim == 0:
        raise ValueError(
            f"{name} must be a distribution: an array with at least one dimension whose "
            f"entries along axis sum to 1; got the scalar {arr.item()!r}"
        )
    ax = checks.check_axis(axis, arr.ndim)
    checks.check_nonempty(arr, name)
    checks.check_finite(arr, name)
    checks.check_in_range(arr, name, 0.0, 1.0, what="probabilities")
    return arr, ax


def _single(p: npt.ArrayLike, axis: int) -> tuple[np.ndarray, int]:
    """Validate ``p`` for :func:`entropy`; warn (at the user's call) if it is not normalised."""
    arr, ax = _distribution(p, "p", axis)
    checks.warn_if_not_normalized(arr, "p", ax)
    return arr, ax


def _pair(p: npt.ArrayLike, q: npt.ArrayLike, axis: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Validate ``p`` and ``q`` together: same shape, ``q``'s float dtype for both."""
    q_arr = checks.as_float(q, "q")
    p_arr = checks.as_float(p, "p", q_arr.dtype)
    checks.check_same_shape(p_arr, q_arr, "p", "q")
    q_arr, ax = _distribution(q_arr, "q", axis)
    p_arr, _ = _distribution(p_arr, "p", axis)
    checks.warn_if_not_normalized(p_arr, "p", ax)
    checks.warn_if_not_normalized(q_arr, "q", ax)
    return p_arr, q_arr, ax


def _in_base(nats: np.ndarray, base: float | None, dtype: np.dtype) -> np.ndarray:
    """Convert a result in nats to ``base`` (log_b x = ln x / ln b); ``+ 0`` turns −0.0 into 0.0."""
    if base is None:
        return nats + dtype.type(0)
    b = checks.check_scalar(base, "base", low=0.0, low_open=True)
    if b == 1.0:
        raise ValueError("base must be > 0 and != 1 (log base 1 is undefined); got 1.0")
    return nats / dtype.type(np.log(b)) + dtype.type(0)


def entropy(
    p: npt.ArrayLike, *, base: float | None = None, axis: int = -1
) -> np.ndarray | np.floating:
    r"""Shannon entropy of a discrete distribution: the expected surprise :math:`-\log p_k`.

    .. math::

        H(p) = -\sum_k p_k \log p_k

    In Python: ``H = -np.sum(xlogy(p, p), axis=axis)`` (with 0·log 0 = 0), divided by
    ``log(base)`` when ``base`` is given. Derived in Chapter 7.

    In the coding view (``base=2``), :math:`H(p)` is a lower bound on the average length in
    bits of any code for outcomes drawn from :math:`p`; the shortest symbol code (Huffman's)
    needs between :math:`H(p)` and :math:`H(p) + 1` bits on average, exactly :math:`H(p)` when
    every probability is a power of 1/2, where an outcome of probability 1/2 costs 1 bit and
    one of probability 1/4 costs 2 bits.

    Args:
        p: Probabilities along ``axis``, each slice summing to 1.
        base: Logarithm base; ``None`` for nats, ``2`` for bits.
        axis: The axis that holds the outcomes.

    Returns:
        The entropy, :math:`\ge 0`, with ``axis`` removed (a NumPy scalar for 1-D ``p``).

    Raises:
        TypeError: If ``p`` is not numeric, or ``axis`` / ``base`` has the wrong type.
        ValueError: If ``p`` is a scalar, empty, not finite or outside ``[0, 1]``;
            if ``axis`` is out of range; if ``base <= 0`` or ``base == 1``.

    Warns:
        UserWarning: If a slice of ``p`` does not sum to 1.

    Examples:
        >>> float(entropy([0.5, 0.5], base=2))  # a fair coin: 1 bit
        1.0
        >>> float(entropy([0.25, 0.25, 0.25, 0.25], base=2))  # 4 equal outcomes: 2 bits
        2.0
        >>> entropy([[1.0, 0.0], [0.5, 0.5]]).tolist()  # nats; a certain outcome: 0
        [0.0, 0.6931471805599453]
    """
    arr, ax = _single(p, axis)
    # xlogy(0, 0) = 0: impossible outcomes contribute nothing
    nats = -np.sum(xlogy(arr, arr), axis=ax)
    return _in_base(nats, base, arr.dtype)


def cross_entropy(
    p: npt.ArrayLike, q: npt.ArrayLike, *, base: float | None = None, axis: int = -1
) -> np.ndarray | np.floating:
    r"""Cross-entropy of a model ``q`` relative to a distribution ``p``.

    The expected surprise under ``q`` of outcomes drawn from ``p``; with ``p`` the one-hot
    (or empirical) distribution of the labels, it is the categorical NLL of Chapter 5.

    .. math::

        H(p, q) = -\sum_k p_k \log q_k = H(p) + \mathrm{KL}(p \,\|\, q)

    In Python: ``H = -np.sum(xlogy(p, q), axis=axis)``. Derived in Chapter 7. Where
    ``q_k = 0`` and ``p_k > 0`` the result is ``+inf`` (the true value); where ``p_k = 0``
    the term is 0 whatever ``q_k``.

    Args:
        p: The reference distribution (e.g. the labels), probabilities along ``axis``.
        q: The model's distribution, same shape as ``p``.
        base: Logarithm base; ``None`` for nats, ``2`` for bits.
        axis: The axis that holds the outcomes.

    Returns:
        :math:`H(p, q) \ge H(p)`, with ``axis`` removed (a NumPy scalar for 1-D inputs),
        in ``q``'s float dtype.

    Raises:
        TypeError: If an input is not numeric, or ``axis`` / ``base`` has the wrong type.
        ValueError: If the shapes differ, an input is a scalar, empty, not finite or
            outside ``[0, 1]``, ``axis`` is out of range, ``base <= 0`` or ``base == 1``.

    Warns:
        UserWarning: If a slice of ``p`` or ``q`` does not sum to 1.

    Examples:
        >>> round(float(cross_entropy([0, 1, 0], [0.23, 0.63, 0.14])), 3)  # -ln 0.63
        0.462
        >>> float(cross_entropy([0.0, 1.0], [1.0, 0.0]))  # q rules out what p says happens
        inf
    """
    p_arr, q_arr, ax = _pair(p, q, axis)
    # xlogy(p, q) = p·log q, 0 when p = 0 (even if q = 0), -inf when q = 0 < p
    nats = -np.sum(xlogy(p_arr, q_arr), axis=ax)
    return _in_base(nats, base, q_arr.dtype)


def kl_divergence(
    p: npt.ArrayLike, q: npt.ArrayLike, *, base: float | None = None, axis: int = -1
) -> np.ndarray | np.floating:
    r"""Kullback-Leibler divergence of ``q`` from ``p``: the extra cost of coding ``p`` with ``q``.

    .. math::

        \mathrm{KL}(p \,\|\, q) = \sum_k p_k \log \frac{p_k}{q_k} = H(p, q) - H(p)

    In Python: ``KL = np.sum(rel_entr(p, q), axis=axis)``. Derived in Chapter 7.
    :math:`\mathrm{KL} \ge 0` with equality iff ``p == q`` (Gibbs' inequality); for
    normalised inputs it can come out as a rounding error below 0 (about ``-1e-17``)
    when ``q`` is extremely close to ``p``. It is not symmetric in ``p`` and ``q``. It is
    ``+inf`` where ``q_k = 0 < p_k``.

    Args:
        p: The reference distribution, probabilities along ``axis``.
        q: The approximating distribution, same shape as ``p``.
        base: Logarithm base; ``None`` for nats, ``2`` for bits.
        axis: The axis that holds the outcomes.

    Returns:
        The divergence, with ``axis`` removed (a NumPy scalar for 1-D inputs), in ``q``'s
        float dtype.

    Raises:
        TypeError: If an input is not numeric, or ``axis`` / ``base`` has the wrong type.
        ValueError: If the shapes differ, an input is a scalar, empty, not finite or
            outside ``[0, 1]``, ``axis`` is out of range, ``base <= 0`` or ``base == 1``.

    Warns:
        UserWarning: If a slice of ``p`` or ``q`` does not sum to 1.

    Examples:
        >>> float(kl_divergence([0.5, 0.5], [0.5, 0.5]))
        0.0
        >>> float(kl_divergence([1.0, 0.0], [0.5, 0.5], base=2))  # log2(1 / 0.5)
        1.0
    """
    p_arr, q_arr, ax = _pair(p, q, axis)
    # rel_entr(p, q) = p·log(p/q) for p, q > 0; 0 when p = 0; +inf when q = 0 < p
    nats = np.sum(rel_entr(p_arr, q_arr), axis=ax)
    return _in_base(nats, base, q_arr.dtype)
