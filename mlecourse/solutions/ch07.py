r"""Solutions to the exercises of Chapter 7, *Cross-entropy, KL divergence and entropy*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt


def _distribution(p: npt.ArrayLike) -> np.ndarray:
    """A 1-D array of probabilities summing to 1, or a ValueError naming ``p``."""
    arr = np.asarray(p, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"p must be a non-empty 1-D array of probabilities; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
        raise ValueError(f"p must contain probabilities in [0, 1]; got {arr.tolist()}")
    if not math.isclose(float(arr.sum()), 1.0, rel_tol=0.0, abs_tol=1e-9):
        raise ValueError(f"p must sum to 1; got a sum of {arr.sum()!r}")
    return arr


def gaussian_kl(mu1: float, sigma1: float, mu2: float, sigma2: float) -> float:
    r"""KL divergence between two univariate Gaussians, in nats.

    Exercise ``ex-ch07-gaussian-kl``. For :math:`p = \mathcal N(\mu_1, \sigma_1^2)` and
    :math:`q = \mathcal N(\mu_2, \sigma_2^2)`:

    .. math::

        \mathrm{KL}(p \,\|\, q) = \log\frac{\sigma_2}{\sigma_1}
            + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2} - \frac12

    ``log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2)**2) / (2 * sigma2**2) - 0.5``

    Args:
        mu1: Mean of :math:`p`.
        sigma1: Standard deviation of :math:`p`, ``> 0``.
        mu2: Mean of :math:`q`.
        sigma2: Standard deviation of :math:`q`, ``> 0``.

    Returns:
        :math:`\mathrm{KL}(p \,\|\, q) \ge 0` as a float.

    Raises:
        ValueError: If a standard deviation is not positive or a value is not finite.

    Examples:
        >>> gaussian_kl(0.0, 1.0, 2.0, 1.0)  # equal variances: half the squared distance
        2.0
    """
    values = (mu1, sigma1, mu2, sigma2)
    if not all(math.isfinite(x) for x in values):
        raise ValueError(f"mu1, sigma1, mu2, sigma2 must be finite; got {values}")
    if sigma1 <= 0 or sigma2 <= 0:
        raise ValueError(f"sigma1 and sigma2 must be positive; got {sigma1!r} and {sigma2!r}")
    return float(math.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5)


def shannon_code_lengths(p: npt.ArrayLike) -> np.ndarray:
    r"""Codeword lengths of the Shannon code, :math:`\ell_k = \lceil -\log_2 p_k \rceil` bits.

    Exercise ``ex-ch07-shannon-code``. The lengths satisfy the Kraft inequality
    :math:`\sum_k 2^{-\ell_k} \le 1`, so a prefix code with these lengths exists, and its
    expected length :math:`L` obeys :math:`H_2(p) \le L < H_2(p) + 1`.

    ``lengths = ceil(-log2(p))``; outcomes with :math:`p_k = 0` never occur, need no
    codeword, and get length 0.

    Args:
        p: A distribution, 1-D, summing to 1.

    Returns:
        The lengths in bits, an int64 array of the shape of ``p``.

    Raises:
        ValueError: If ``p`` is not a 1-D distribution.

    Examples:
        >>> shannon_code_lengths([0.5, 0.25, 0.125, 0.125]).tolist()
        [1, 2, 3, 3]
        >>> shannon_code_lengths([0.4, 0.3, 0.2, 0.1]).tolist()
        [2, 2, 3, 4]
    """
    probs = _distribution(p)
    lengths = np.zeros(probs.shape, dtype=np.int64)
    positive = probs > 0
    lengths[positive] = np.ceil(-np.log2(probs[positive])).astype(np.int64)
    return lengths


def expected_code_length(p: npt.ArrayLike, lengths: npt.ArrayLike) -> float:
    r"""Expected codeword length :math:`L = \sum_k p_k \ell_k` in bits per symbol.

    Exercise ``ex-ch07-shannon-code``.

    Args:
        p: A distribution, 1-D, summing to 1.
        lengths: Codeword lengths in bits, same shape as ``p``, ``>= 0``.

    Returns:
        The expected length as a float.

    Raises:
        ValueError: If ``p`` is not a distribution, or ``lengths`` has another shape or a
            negative entry.

    Examples:
        >>> expected_code_length([0.5, 0.25, 0.125, 0.125], [1, 2, 3, 3])
        1.75
    """
    probs = _distribution(p)
    ell = np.asarray(lengths, dtype=np.float64)
    if ell.shape != probs.shape:
        raise ValueError(f"lengths must have the shape of p, {probs.shape}; got {ell.shape}")
    if np.any(ell < 0):
        raise ValueError(f"lengths must be >= 0; got {ell.tolist()}")
    return float(np.sum(probs * ell))


def entropy_gap_to_uniform(p: npt.ArrayLike) -> float:
    r"""How far the entropy of ``p`` is below its maximum, :math:`\log K - H(p)`, in nats.

    Exercise ``ex-ch07-max-entropy``. The gap equals :math:`\mathrm{KL}(p \,\|\, u)` with
    :math:`u` uniform on the :math:`K` outcomes, so it is :math:`\ge 0` (Gibbs' inequality)
    and 0 only for :math:`p = u`:

    .. math::

        \log K - H(p) = \sum_k p_k \log(K p_k)

    ``log(K) + sum(xlogy(p, p))`` (0 · log 0 = 0).

    Args:
        p: A distribution, 1-D, summing to 1.

    Returns:
        The gap as a float.

    Raises:
        ValueError: If ``p`` is not a 1-D distribution.

    Examples:
        >>> round(entropy_gap_to_uniform([1.0, 0.0]), 6)  # a certain outcome: log 2
        0.693147
    """
    probs = _distribution(p)
    positive = probs[probs > 0]
    return float(math.log(probs.size) + np.sum(positive * np.log(positive)))
