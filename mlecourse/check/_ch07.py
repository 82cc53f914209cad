"""Chapter 7's batteries: the Gaussian KL, PyTorch's KLDivLoss, Shannon codes, the entropy gap.

Each battery compares the reader's function with the tested solution in
:mod:`mlecourse.solutions.ch07` on typical inputs and on the traps the chapter names: a
probability of exactly 0 (the convention 0 log 0 = 0), log-probabilities where probabilities
are expected, the reductions of ``F.kl_div``, bits against nats, and the direction of a KL
divergence.
"""

from __future__ import annotations

import math

import numpy as np

from mlecourse.check._core import Case, Exercise, Hint
from mlecourse.solutions import ch07 as sol


def _close(got: object, value: object) -> bool:
    """Whether ``got`` equals ``value`` to a relative 1e-9 (same shape, finite)."""
    try:
        g, v = np.asarray(got, dtype=np.float64), np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if g.shape != v.shape or not np.all(np.isfinite(g)) or not np.all(np.isfinite(v)):
        return False
    return bool(np.allclose(g, v, rtol=1e-9, atol=1e-12))


def _near(got: object, value: object) -> bool:
    """Whether ``got`` is within 1e-6 of ``value`` (relative or absolute), finite and same shape.

    A value this close that still fails its case (at 1e-10) is the mark of an epsilon added
    inside a logarithm, log(p + 1e-12), or of a clip: every term moves by about the epsilon.
    """
    try:
        g, v = np.asarray(got, dtype=np.float64), np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if g.shape != v.shape or not np.all(np.isfinite(g)) or not np.all(np.isfinite(v)):
        return False
    return bool(np.allclose(g, v, rtol=1e-6, atol=1e-6))


def _nonfinite(got: object) -> bool:
    """Whether ``got`` is numeric and holds an inf or a NaN."""
    try:
        return not bool(np.all(np.isfinite(np.asarray(got, dtype=np.float64))))
    except (TypeError, ValueError):
        return False


# -- ex-ch07-gaussian-kl ---------------------------------------------------------------------
def _gaussian_kl_cases() -> list[Case]:
    rng = np.random.default_rng(701)
    mu1, mu2 = (float(v) for v in rng.normal(0.0, 2.0, 2))
    sigma1, sigma2 = (float(v) for v in rng.uniform(0.3, 3.0, 2))
    return [
        Case("typical", (0.0, 1.0, 1.0, 1.0), note="unit variances: half the squared distance"),
        Case("typical", (0.0, 1.0, 0.5, 2.0), note="sigma2 > sigma1"),
        Case("typical", (0.5, 2.0, 0.0, 1.0), note="sigma1 > sigma2"),
        Case("typical", (mu1, sigma1, mu2, sigma2), note="random parameters"),
        Case("extremes", (0.3, 1.5, 0.3, 1.5), note="P = Q: the divergence is 0"),
        Case("extremes", (0.0, 1e-8, 0.0, 1.0), note="a tiny sigma1"),
        Case("extremes", (0.0, 1.0, 0.0, 1e8), note="a huge sigma2"),
        Case("extremes", (0.0, 1.0, 0.0, 1e-4), note="a tiny sigma2: Q far narrower than P"),
        Case("extremes", (1e6, 1.0, -1e6, 1.0), note="means 2e6 apart"),
    ]


def _kl_formula(
    mu1: float, sigma1: float, mu2: float, sigma2: float, *, denominator: float
) -> float:
    return math.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * denominator**2) - 0.5


def _gaussian_kl_diagnose(case: Case, expected: object, got: object) -> str | None:
    mu1, sigma1, mu2, sigma2 = case.args
    try:
        if np.asarray(got).ndim != 0:
            return None
        g = float(np.asarray(got, dtype=np.float64))  # a number (a 0-d array, a float)
    except (TypeError, ValueError):
        return None  # a string, a dict: no diagnosis here
    if not math.isfinite(g):
        return None
    e = sol.gaussian_kl(mu1, sigma1, mu2, sigma2)  # the expected value, as a float
    if sigma1 != sigma2 and _close(g, sol.gaussian_kl(mu2, sigma2, mu1, sigma1)):
        return "swapped"
    if sigma1 != sigma2 and _close(g, _kl_formula(mu1, sigma1, mu2, sigma2, denominator=sigma1)):
        return "denominator"
    if sigma1 != sigma2 and _close(g, e + math.log(sigma2 / sigma1)):
        return "log_of_variances"
    as_variances = (mu1, math.sqrt(sigma1), mu2, math.sqrt(sigma2))
    if sigma1 != sigma2 and _close(g, sol.gaussian_kl(*as_variances)):
        return "variances"
    if any(math.isclose(g - e, c, rel_tol=1e-9) for c in (0.5, -0.5, 1.0, -1.0)):
        return "constant"
    return None


_GAUSSIAN_KL = Exercise(
    label="ex-ch07-gaussian-kl",
    title="KL divergence between two Gaussians",
    signature="gaussian_kl(mu1, sigma1, mu2, sigma2) -> float",
    chapter=7,
    reference=sol.gaussian_kl,
    cases=_gaussian_kl_cases,
    diagnose=_gaussian_kl_diagnose,
    hints={
        "swapped": Hint(
            "You computed KL(Q || P): the roles of (mu1, sigma1) and (mu2, sigma2) are swapped. "
            "The expectation is under P = N(mu1, sigma1^2), and the KL divergence is not "
            "symmetric when sigma1 != sigma2.",
            "eq-ch07-population",
        ),
        "denominator": Hint(
            "The quadratic term divides by 2 sigma1^2; it comes from -log q, so it divides by "
            "2 sigma2^2, the variance of Q. Its expectation under P is "
            "(sigma1^2 + (mu1 - mu2)^2) / (2 sigma2^2).",
            "eq-ch07-gaussian-projection",
        ),
        "log_of_variances": Hint(
            "The log term is log(sigma2 / sigma1), the log of the ratio of standard "
            "deviations; you have the log of the ratio of variances, twice as large.",
            "eq-ch07-gaussian-projection",
        ),
        "variances": Hint(
            "sigma1 and sigma2 are standard deviations, not variances: P = N(mu1, sigma1^2).",
            "eq-ch07-gaussian-projection",
        ),
        "constant": Hint(
            "Off by a constant: KL(P || Q) = E_P[-log q(Y)] - h(P), and the differential "
            "entropy h(P) = 1/2 log(2 pi e sigma1^2) contributes the -1/2. The divergence must "
            "be 0 when P = Q.",
            "eq-ch07-population",
        ),
        "nonfinite": Hint(
            "inf or NaN for an extreme sigma: compute log(sigma2 / sigma1) (or log sigma2 - "
            "log sigma1) rather than integrating the densities, which underflow.",
            "eq-ch07-gaussian-projection",
        ),
        "wrong": Hint(
            "Write KL(P || Q) = E_P[-log q(Y)] - h(P): the first term is the expected Gaussian "
            "NLL of the chapter's KL-projection equation, the second 1/2 log(2 pi e sigma1^2).",
            "eq-ch07-gaussian-projection",
        ),
    },
)


# -- ex-ch07-kl-div-loss ---------------------------------------------------------------------
def _kl_div_cases() -> list[Case]:
    q_model = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
    p_target = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])
    log_q = np.log(q_model)
    rng = np.random.default_rng(702)
    q_batch, p_batch = rng.dirichlet(np.ones(4), size=(2, 5))
    one_hot = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    far_log_q = np.array([[-800.0, np.log(0.5), np.log(0.5)], [np.log(0.5), np.log(0.5), -800.0]])
    return [
        Case("typical", (log_q, p_target), note="the chapter's batch, reduction 'mean'"),
        Case("typical", (np.log(q_batch), p_batch), note="5 random rows of 4 classes"),
        Case("extremes", (log_q, one_hot), note="one-hot targets: p_k = 0 gives a 0 term"),
        Case(
            "extremes",
            (far_log_q, np.array([[0.2, 0.4, 0.4], [0.4, 0.4, 0.2]])),
            {"reduction": "sum"},
            note="log q = -800 (q underflows to 0) where p > 0",
        ),
        Case(
            "float32",
            (log_q.astype(np.float32), p_target.astype(np.float32)),
            {"reduction": "batchmean"},
            rtol=1e-5,
            atol=1e-7,
            note="float32 inputs (a float32 or float64 result)",
        ),
        Case(
            "shapes",
            (log_q, p_target),
            {"reduction": "none"},
            option="reduction",
            note="'none': the elementwise terms, shape (N, K)",
        ),
        Case(
            "shapes", (log_q[:1], p_target[:1]), {"reduction": "batchmean"}, note="one row (1, K)"
        ),
        Case(
            "options",
            (log_q, p_target),
            {"reduction": "batchmean"},
            option="reduction",
            note="'batchmean': the mean KL per row",
        ),
        Case("options", (log_q, p_target), {"reduction": "sum"}, option="reduction", note="'sum'"),
        Case(
            "options",
            (log_q, np.log(p_target)),
            {"reduction": "batchmean", "log_target": True},
            option="log_target",
            note="the target as log-probabilities",
        ),
    ]


def _kl_div_diagnose(case: Case, expected: object, got: object) -> str | None:
    log_q, target = case.args
    kwargs = dict(case.kwargs)
    log_target = bool(kwargs.get("log_target", False))
    if case.option == "log_target":
        # log p read as p: log of a negative number, or the log_target=False value
        without = {k: v for k, v in kwargs.items() if k != "log_target"}
        with np.errstate(all="ignore"):
            as_probabilities = sol.kl_div_loss(log_q, target, **without)
        if _nonfinite(got) or _close(got, as_probabilities):
            return "option_ignored"
    p = np.exp(target) if log_target else np.asarray(target)
    if _nonfinite(got) and not _nonfinite(expected):
        if np.any(p == 0):
            return "zero_target"
        if np.min(log_q) < -700:
            return "underflow"
        return "log_input"
    reduction = kwargs.get("reduction", "mean")
    if reduction != "none":
        for other in ("sum", "mean", "batchmean"):
            if other != reduction and _close(
                got, sol.kl_div_loss(log_q, target, **{**kwargs, "reduction": other})
            ):
                return "reduction"
    with np.errstate(all="ignore"):
        # KL(Q || P): the model's q as the target, log p as the model
        reverse_target = log_q if log_target else np.exp(log_q)
        reverse = sol.kl_div_loss(np.log(p), reverse_target, **kwargs)
    if _close(got, reverse):
        return "direction"
    if log_target:
        # log p used as the weight of each term: target * (target - log q), no exp
        unweighted = np.asarray(target) * (np.asarray(target) - np.asarray(log_q))
        if _close(got, _reduce(unweighted, reduction)):
            return "log_target_weight"
    if _near(got, expected):
        return "epsilon"
    return None


def _reduce(terms: np.ndarray, reduction: str) -> np.ndarray | float:
    """PyTorch's reductions of elementwise terms (as :func:`sol.kl_div_loss` applies them)."""
    if reduction == "none":
        return terms
    if reduction == "sum":
        return float(terms.sum())
    if reduction == "mean":
        return float(terms.sum() / terms.size)
    return float(terms.sum() / terms.shape[0])


_KL_DIV_LOSS = Exercise(
    label="ex-ch07-kl-div-loss",
    title="PyTorch's KLDivLoss in NumPy",
    signature='kl_div_loss(log_q, target, *, reduction="mean", log_target=False)',
    chapter=7,
    reference=sol.kl_div_loss,
    cases=_kl_div_cases,
    diagnose=_kl_div_diagnose,
    hints={
        "reduction": Hint(
            "Your result is another reduction's: 'mean' divides the sum of the terms by the "
            "number of elements (N times K), 'batchmean' by the number of rows N, 'sum' by "
            "nothing.",
            "sec-ch07-kl-losses",
        ),
        "factor": Hint(
            "Off by a constant factor: 'mean' divides the sum of the terms by the number of "
            "elements (N times K), 'batchmean' by the number of rows N, 'sum' by nothing.",
            "sec-ch07-kl-losses",
        ),
        "zero_target": Hint(
            "NaN where a target probability is 0: p log p computed as 0 * log 0 = 0 * (-inf). "
            "Use the convention 0 log 0 = 0 (scipy.special.xlogy(p, p)).",
            "eq-ch07-definitions",
        ),
        "underflow": Hint(
            "inf or NaN where log q is very negative: you exponentiated log q (e^-800 = 0 in "
            "float64) and took its log again. Use log q as given: p_k (log p_k - log q_k).",
            "sec-ch07-kl-losses",
        ),
        "log_input": Hint(
            "NaN: the first argument is already log q (negative numbers), and its log is NaN. "
            "The elementwise term is p_k (log p_k - log q_k), with log q_k used as given.",
            "sec-ch07-kl-losses",
        ),
        "option_ignored": Hint(
            "The option of this case had no effect. With log_target=True the target holds "
            "log p: the term is exp(log p) (log p - log q).",
            "sec-ch07-kl-losses",
        ),
        "log_target_weight": Hint(
            "With log_target=True the target holds log p, so the weight of each term is "
            "p = exp(target): the term is exp(log p) (log p - log q), not log p (log p - log q).",
            "sec-ch07-kl-losses",
        ),
        "epsilon": Hint(
            "Close (within 1e-6) but not equal: the mark of an epsilon inside a log, "
            "log(p + 1e-12), or of a clip, which moves every term a little. The convention "
            "0 log 0 = 0 needs no epsilon: scipy.special.xlogy(p, p) is exactly 0 where p = 0.",
            "eq-ch07-definitions",
        ),
        "direction": Hint(
            "You computed the divergence the other way round, KL(Q || P). F.kl_div(log_q, "
            "target) is KL(target || model): the expectation is under the target p.",
            "sec-ch07-kl-losses",
        ),
        "sign": Hint(
            "The opposite sign: the term is p_k (log p_k - log q_k), which sums to a divergence "
            ">= 0 (Gibbs' inequality).",
            "thm-ch07-gibbs",
        ),
        "shape": Hint(
            "reduction='none' returns the elementwise terms, shape (N, K), as PyTorch does; the "
            "other reductions return one number.",
            "sec-ch07-kl-losses",
        ),
    },
)


# -- ex-ch07-shannon-code --------------------------------------------------------------------
def _shannon_cases() -> list[Case]:
    rng = np.random.default_rng(703)
    tiny = 2.0**-29  # -log(p) / log(2) rounds to 29.000000000000004 for this p
    return [
        Case("typical", (np.array([0.5, 0.25, 0.125, 0.125]),), note="a dyadic distribution"),
        Case("typical", (np.array([0.4, 0.3, 0.2, 0.1]),), note="the docstring's example"),
        Case("typical", (rng.dirichlet(np.ones(8)),), note="8 random probabilities"),
        Case(
            "extremes",
            (np.array([0.5, 0.0, 0.25, 0.25]),),
            note="p_k = 0: an outcome that never occurs gets length 0",
        ),
        Case("extremes", (np.array([1.0]),), note="one certain outcome: length 0"),
        Case(
            "extremes",
            (np.array([0.5, 0.25, 0.125, 0.125 - tiny, tiny]),),
            note="p_k = 2^-29 exactly: its length is 29",
        ),
        Case(
            "extremes",
            (np.array([1.0 - 1e-300, 1e-300]),),
            note="p_k = 1e-300: 997 bits (1 - 1e-300 is 1.0 in float64: length 0)",
        ),
    ]


def _shannon_diagnose(case: Case, expected: object, got: object) -> str | None:
    p = np.asarray(case.args[0], dtype=np.float64)
    try:
        g = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if g.shape != p.shape:
        return None
    positive = p > 0
    if np.any(~positive) and not np.array_equal(g[~positive], np.zeros(int((~positive).sum()))):
        return "zero_probability"
    with np.errstate(all="ignore"):
        bits = -np.log2(np.where(positive, p, 1.0))
        nats = np.ceil(-np.log(np.where(positive, p, 1.0)))
        by_ratio = np.ceil(-np.log(np.where(positive, p, 1.0)) / np.log(2.0))
    if np.array_equal(g[positive], nats[positive]):
        return "nats"
    if np.array_equal(g[positive], np.floor(bits)[positive]) or np.array_equal(
        g[positive], np.round(bits)[positive]
    ):
        return "floor"
    if np.array_equal(g[positive], by_ratio[positive]):
        return "rounding"
    if np.array_equal(g[positive], np.floor(bits)[positive] + 1):
        return "plus_one"
    return None


_SHANNON_CODE = Exercise(
    label="ex-ch07-shannon-code",
    title="Shannon code lengths",
    signature="shannon_code_lengths(p) -> lengths",
    chapter=7,
    reference=sol.shannon_code_lengths,
    cases=_shannon_cases,
    diagnose=_shannon_diagnose,
    hints={
        "zero_probability": Hint(
            "An outcome with p_k = 0 never occurs and needs no codeword: give it length 0 "
            "(-log2 0 is inf, and inf does not convert to an integer).",
            "ex-ch07-shannon-code",
        ),
        "nats": Hint(
            "Lengths in nats: a codeword is a string of bits, so the surprise is -log2 p_k "
            "(np.log2), not -ln p_k.",
            "eq-ch07-source-coding",
        ),
        "floor": Hint(
            "A codeword has a whole number of bits at least the surprise -log2 p_k: round up "
            "(ceil). Rounding down, or to the nearest whole number, can break the Kraft "
            "inequality.",
            "eq-ch07-source-coding",
        ),
        "plus_one": Hint(
            "floor(-log2 p_k) + 1 is the ceiling only when -log2 p_k is not a whole number: "
            "for p_k = 1/2 it gives 2 bits where 1 suffices. Use np.ceil(-np.log2(p)).",
            "eq-ch07-source-coding",
        ),
        "rounding": Hint(
            "-log(p) / log(2) is not exact: for p = 2^-29 it is 29.000000000000004, and ceil "
            "makes it 30. np.log2 is exact for powers of 2.",
            "eq-ch07-source-coding",
        ),
    },
)


# -- ex-ch07-max-entropy ---------------------------------------------------------------------
def _entropy_gap_cases() -> list[Case]:
    rng = np.random.default_rng(704)
    return [
        Case("typical", (np.array([0.5, 0.25, 0.125, 0.125]),), note="the chapter's P"),
        Case("typical", (np.array([0.7, 0.2, 0.1]),), note="three outcomes"),
        Case("typical", (rng.dirichlet(np.ones(10)),), note="10 random probabilities"),
        Case("extremes", (np.full(10, 0.1),), note="the uniform P: the gap is 0"),
        Case("extremes", (np.array([0.0, 1.0, 0.0]),), note="a certain outcome: log 3"),
        Case("extremes", (np.array([0.5, 0.5, 0.0, 0.0]),), note="two of four outcomes"),
        Case("extremes", (rng.dirichlet(np.full(1000, 0.05)),), note="1000 outcomes, many ~0"),
    ]


def _entropy_gap_diagnose(case: Case, expected: object, got: object) -> str | None:
    p = np.asarray(case.args[0], dtype=np.float64)
    if _nonfinite(got) and np.any(p == 0):
        return "zero_probability"
    if _close(got, np.asarray(expected, dtype=np.float64) / math.log(2.0)):
        return "bits"
    positive = p[p > 0]
    if positive.size < p.size and _close(
        got, math.log(positive.size) + float(np.sum(positive * np.log(positive)))
    ):
        return "support"
    if _near(got, expected):
        return "epsilon"
    return None


_ENTROPY_GAP = Exercise(
    label="ex-ch07-max-entropy",
    title="The uniform distribution has the largest entropy",
    signature="entropy_gap_to_uniform(p) -> float",
    chapter=7,
    reference=sol.entropy_gap_to_uniform,
    cases=_entropy_gap_cases,
    diagnose=_entropy_gap_diagnose,
    hints={
        "zero_probability": Hint(
            "NaN where some p_k = 0: 0 * log 0 is NaN in floating point. The entropy uses the "
            "convention 0 log 0 = 0: skip those terms, or use scipy.special.xlogy(p, p).",
            "eq-ch07-definitions",
        ),
        "bits": Hint(
            "Off by the factor 1 / ln 2 = 1.4427: bits where the exercise asks for nats (the "
            "natural logarithm throughout, np.log, for log K and for H(P)).",
            "eq-ch07-definitions",
        ),
        "epsilon": Hint(
            "Close (within 1e-6) but not equal: the mark of an epsilon inside a log, "
            "p log(p + 1e-12), which moves every term a little. The convention 0 log 0 = 0 "
            "needs no epsilon: skip the terms with p_k = 0, or use scipy.special.xlogy(p, p).",
            "eq-ch07-definitions",
        ),
        "sign": Hint(
            "The opposite sign: the gap is log K - H(P) = KL(P || U) >= 0, not H(P) - log K.",
            "thm-ch07-gibbs",
        ),
        "support": Hint(
            "K is the number of outcomes of the distribution, zeros included: a P that puts "
            "no mass on some outcomes is far from the uniform distribution on all K.",
            "thm-ch07-gibbs",
        ),
    },
)


EXERCISES = (_GAUSSIAN_KL, _KL_DIV_LOSS, _SHANNON_CODE, _ENTROPY_GAP)
