"""Solutions to the exercises of Chapter 7, *Cross-entropy, KL divergence and entropy*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a
code cell that checks it; this module is the only copy of the code. Docstrings are plain
text, because the book shows the code itself.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.special import xlogy

_REDUCTIONS = ("none", "sum", "mean", "batchmean")


def _distribution(p: npt.ArrayLike) -> np.ndarray:
    """A 1-D array of probabilities summing to 1, or a ValueError naming ``p``."""
    arr = np.asarray(p, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"p must be a non-empty 1-D array of probabilities; got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
        raise ValueError(f"p must contain probabilities in [0, 1]; got {arr.tolist()}")
    if not math.isclose(float(arr.sum()), 1.0, rel_tol=0.0, abs_tol=1e-9):
        raise ValueError(f"p must sum to 1; got a sum of {arr.sum()!r}")
    return arr


def gaussian_kl(mu1: float, sigma1: float, mu2: float, sigma2: float) -> float:
    """KL divergence KL(P || Q) between two univariate Gaussians, in nats.

    Exercise ex-ch07-gaussian-kl, for P = N(mu1, sigma1**2) and Q = N(mu2, sigma2**2):

        log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2)**2) / (2 * sigma2**2) - 1/2

    Args:
        mu1: Mean of P.
        sigma1: Standard deviation of P, > 0.
        mu2: Mean of Q.
        sigma2: Standard deviation of Q, > 0.

    Returns:
        KL(P || Q) >= 0 as a float.

    Raises:
        ValueError: If a standard deviation is not positive or a value is not finite.

    Examples:
        >>> gaussian_kl(0.0, 1.0, 2.0, 1.0)  # equal variances: half squared distance
        2.0
    """
    values = (mu1, sigma1, mu2, sigma2)
    if not all(math.isfinite(x) for x in values):
        raise ValueError(f"mu1, sigma1, mu2, sigma2 must be finite; got {values}")
    if sigma1 <= 0 or sigma2 <= 0:
        raise ValueError(
            f"sigma1 and sigma2 must be positive; got {sigma1!r} and {sigma2!r}"
        )
    return float(
        math.log(sigma2 / sigma1)
        + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2)
        - 0.5
    )


def kl_div_loss(
    log_q: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    reduction: str = "mean",
    log_target: bool = False,
) -> np.ndarray | float:
    """What PyTorch's F.kl_div(log_q, target) computes, in NumPy.

    Exercise ex-ch07-kl-div-loss. The model comes first, as log-probabilities log q_k;
    the target is the probabilities p_k (their logarithms with log_target=True).
    Elementwise:

        p_k * (log p_k - log q_k)        (0 where p_k = 0, as xlogy gives)

    then "none" (the elementwise terms), "sum", "mean" (the sum divided by the number of
    elements: not a KL divergence) or "batchmean" (the sum divided by the size of the
    first axis: the mean KL(P || Q) per example).

    Args:
        log_q: The model's log-probabilities, shape (N, K) (any shape for "mean"/"sum").
        target: The target probabilities p (or log p with log_target=True), same shape.
        reduction: "none", "sum", "mean" or "batchmean", as in PyTorch.
        log_target: Whether target holds log-probabilities.

    Returns:
        The elementwise terms for "none", otherwise a float.

    Raises:
        ValueError: If the shapes differ, a value is NaN, or reduction is unknown.

    Examples:
        >>> log_q = np.log([[0.5, 0.5]])
        >>> round(kl_div_loss(log_q, [[0.9, 0.1]], reduction="batchmean"), 6)
        0.368064
    """
    log_q = np.asarray(log_q, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if log_q.shape != target.shape:
        raise ValueError(
            "log_q and target must have the same shape; "
            f"got {log_q.shape} and {target.shape}"
        )
    if np.any(np.isnan(log_q)) or np.any(np.isnan(target)):
        raise ValueError("log_q and target must not contain NaN")
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}; got {reduction!r}")
    if log_target:
        terms = np.exp(target) * (target - log_q)
    else:
        terms = xlogy(target, target) - target * log_q  # 0 * log 0 = 0
    if reduction == "none":
        return terms
    if reduction == "sum":
        return float(terms.sum())
    if reduction == "mean":
        return float(terms.sum() / terms.size)
    return float(terms.sum() / terms.shape[0])  # batchmean


def shannon_code_lengths(p: npt.ArrayLike) -> np.ndarray:
    """Codeword lengths of the Shannon code, len(k) = ceil(-log2 p_k) bits.

    Exercise ex-ch07-shannon-code. The lengths satisfy the Kraft inequality
    sum_k 2**(-len(k)) <= 1, so a prefix code with these lengths exists, and its mean
    length sum_k p_k len(k) is at least H_2(P) and below H_2(P) + 1. Outcomes with
    p_k = 0 never occur, need no codeword, and get length 0.

    Args:
        p: A distribution, 1-D, summing to 1.

    Returns:
        The lengths in bits, an int64 array of the shape of p.

    Raises:
        ValueError: If p is not a 1-D distribution.

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
    """Mean codeword length sum_k p_k len(k), in bits per symbol.

    Exercise ex-ch07-shannon-code.

    Args:
        p: A distribution, 1-D, summing to 1.
        lengths: Codeword lengths in bits, same shape as p, >= 0.

    Returns:
        The mean length as a float.

    Raises:
        ValueError: If p is not a distribution, or lengths has another shape or a
            negative entry.

    Examples:
        >>> expected_code_length([0.5, 0.25, 0.125, 0.125], [1, 2, 3, 3])
        1.75
    """
    probs = _distribution(p)
    m = np.asarray(lengths, dtype=np.float64)
    if m.shape != probs.shape:
        raise ValueError(
            f"lengths must have the shape of p, {probs.shape}; got {m.shape}"
        )
    if np.any(m < 0):
        raise ValueError(f"lengths must be >= 0; got {m.tolist()}")
    return float(np.sum(probs * m))


def entropy_gap_to_uniform(p: npt.ArrayLike) -> float:
    """How far the entropy of p is below its maximum, log K - H(P), in nats.

    Exercise ex-ch07-max-entropy. The gap equals KL(P || U) with U uniform on the K
    outcomes, so it is >= 0 (Gibbs' inequality) and 0 only for P = U:

        log K - H(P) = sum_k p_k log(K p_k)        (0 * log 0 = 0)

    Args:
        p: A distribution, 1-D, summing to 1.

    Returns:
        The gap as a float.

    Raises:
        ValueError: If p is not a 1-D distribution.

    Examples:
        >>> round(entropy_gap_to_uniform([1.0, 0.0]), 6)  # a certain outcome: log 2
        0.693147
    """
    probs = _distribution(p)
    positive = probs[probs > 0]
    return float(math.log(probs.size) + np.sum(positive * np.log(positive)))
