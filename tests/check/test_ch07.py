"""Chapter 7's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written
as a reader would write them (the traps the chapter names) fail with the expected diagnosis;
a trivially wrong one fails; and a correct implementation written differently (SciPy's
``xlogy``/``rel_entr``/``stats.entropy``, another closed form, a plain loop) passes.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import scipy.special
import scipy.stats

from mlecourse.check import check, exercises
from mlecourse.solutions import ch07 as sol

# The reference and every implementation checked below, by exercise: (label, reference).
REFERENCES = [
    ("ex-ch07-gaussian-kl", sol.gaussian_kl),
    ("ex-ch07-kl-div-loss", sol.kl_div_loss),
    ("ex-ch07-shannon-code", sol.shannon_code_lengths),
    ("ex-ch07-max-entropy", sol.entropy_gap_to_uniform),
]


@pytest.fixture(scope="module", autouse=True)
def _registry_loaded():
    exercises()  # the first call imports every chapter's battery (SciPy included): not timed


def _timed_check(label, fn):
    start = time.perf_counter()
    report = check(label, fn)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"check({label!r}) took {elapsed:.2f} s"
    return report


@pytest.mark.parametrize(("label", "reference"), REFERENCES)
def test_the_reference_passes_every_case(label, reference):
    report = _timed_check(label, reference)
    assert report.passed, str(report)
    assert report.n_passed == report.n_cases >= 7


# -- ex-ch07-gaussian-kl ---------------------------------------------------------------------
def kl_swapped(mu1, sigma1, mu2, sigma2):  # KL(Q || P): the expectation under the wrong one
    return math.log(sigma1 / sigma2) + (sigma2**2 + (mu1 - mu2) ** 2) / (2 * sigma1**2) - 0.5


def kl_no_half(mu1, sigma1, mu2, sigma2):  # forgot the entropy's -1/2
    return math.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2)


def kl_log_of_variances(mu1, sigma1, mu2, sigma2):  # log of the variance ratio
    return math.log(sigma2**2 / sigma1**2) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5


def kl_sigma_as_variance(mu1, sigma1, mu2, sigma2):  # var1 = sigma1, var2 = sigma2
    return 0.5 * math.log(sigma2 / sigma1) + (sigma1 + (mu1 - mu2) ** 2) / (2 * sigma2) - 0.5


def kl_wrong_denominator(mu1, sigma1, mu2, sigma2):  # the quadratic term over sigma1^2
    return math.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma1**2) - 0.5


def kl_variance_ratio_form(mu1, sigma1, mu2, sigma2):  # correct: r = sigma1^2 / sigma2^2
    r = (sigma1 / sigma2) ** 2
    return 0.5 * (r - 1.0 - math.log(r)) + (mu1 - mu2) ** 2 / (2 * sigma2**2)


# -- ex-ch07-kl-div-loss ---------------------------------------------------------------------
def _reduce(terms, reduction):
    if reduction == "none":
        return terms
    if reduction == "sum":
        return float(terms.sum())
    if reduction == "mean":
        return float(terms.mean())
    return float(terms.sum() / terms.shape[0])


def kl_div_naive(log_q, target, *, reduction="mean", log_target=False):  # 0 * log 0 = NaN
    p = np.exp(target) if log_target else np.asarray(target)
    return _reduce(p * (np.log(p) - log_q), reduction)


def kl_div_batchmean_as_mean(log_q, target, *, reduction="mean", log_target=False):
    p = np.exp(target) if log_target else np.asarray(target)
    terms = scipy.special.xlogy(p, p) - p * log_q
    if reduction == "mean":  # divides by the rows, not by the elements
        return float(terms.sum() / terms.shape[0])
    return _reduce(terms, reduction)


def kl_div_log_of_log(log_q, target, *, reduction="mean", log_target=False):
    p = np.exp(target) if log_target else np.asarray(target)
    return _reduce(scipy.special.xlogy(p, p) - p * np.log(log_q), reduction)  # log of log q


def kl_div_ignores_log_target(log_q, target, *, reduction="mean", log_target=False):
    p = np.asarray(target)
    return _reduce(scipy.special.xlogy(p, p) - p * log_q, reduction)


def kl_div_reversed(log_q, target, *, reduction="mean", log_target=False):  # KL(Q || P)
    p = np.exp(target) if log_target else np.asarray(target)
    q = np.exp(log_q)
    return _reduce(q * (log_q - np.log(p)), reduction)


def kl_div_through_q(log_q, target, *, reduction="mean", log_target=False):
    p = np.exp(target) if log_target else np.asarray(target)
    return _reduce(scipy.special.rel_entr(p, np.exp(log_q)), reduction)  # e^-800 = 0


def kl_div_rows(log_q, target, *, reduction="mean", log_target=False):  # 'none' summed
    p = np.exp(target) if log_target else np.asarray(target)
    terms = scipy.special.xlogy(p, p) - p * log_q
    return terms.sum(axis=-1) if reduction == "none" else _reduce(terms, reduction)


def kl_div_loop(log_q, target, *, reduction="mean", log_target=False):  # correct, plain Python
    log_q = np.asarray(log_q, dtype=float)
    target = np.asarray(target, dtype=float)
    terms = np.zeros(log_q.shape)
    for index in np.ndindex(log_q.shape):
        if log_target:
            p = math.exp(target[index])
            terms[index] = p * (target[index] - log_q[index])
        elif target[index] > 0:
            terms[index] = target[index] * (math.log(target[index]) - log_q[index])
    return _reduce(terms, reduction)


def kl_div_log_target_unweighted(log_q, target, *, reduction="mean", log_target=False):
    if log_target:  # log p (log p - log q): the weight exp(log p) forgotten
        return _reduce(target * (target - log_q), reduction)
    return _reduce(scipy.special.xlogy(target, target) - target * log_q, reduction)


def kl_div_epsilon(log_q, target, *, reduction="mean", log_target=False):
    p = np.exp(target) if log_target else np.asarray(target)
    return _reduce(p * (np.log(p + 1e-12) - log_q), reduction)  # no NaN, every term moved


def kl_div_where(log_q, target, *, reduction="mean", log_target=False):  # correct
    p = np.exp(target) if log_target else np.asarray(target)
    with np.errstate(divide="ignore", invalid="ignore"):  # np.where computes both sides
        return _reduce(np.where(p > 0, p * (np.log(p) - log_q), 0.0), reduction)


def kl_div_rel_entr(log_q, target, *, reduction="mean", log_target=False):  # correct
    p = np.exp(target) if log_target else np.asarray(target)
    terms = scipy.special.rel_entr(p, 1.0) - p * log_q  # rel_entr(p, 1) = p log p, 0 at 0
    return _reduce(terms, reduction)


# -- ex-ch07-shannon-code --------------------------------------------------------------------
def shannon_nats(p):
    p = np.asarray(p)
    out = np.zeros(p.shape, dtype=int)
    out[p > 0] = np.ceil(-np.log(p[p > 0]))
    return out


def shannon_floor(p):
    p = np.asarray(p)
    out = np.zeros(p.shape, dtype=int)
    out[p > 0] = np.floor(-np.log2(p[p > 0]))
    return out


def shannon_no_zero_case(p):
    return np.ceil(-np.log2(np.asarray(p))).astype(int)  # -log2(0) = inf


def shannon_log_ratio(p):
    p = np.asarray(p)
    out = np.zeros(p.shape, dtype=int)
    out[p > 0] = np.ceil(-np.log(p[p > 0]) / np.log(2))  # 29.000000000000004 for 2^-29
    return out


def shannon_floor_plus_one(p):  # floor + 1: one bit too many where -log2 p_k is whole
    p = np.asarray(p)
    lengths = np.zeros(p.size, dtype=int)
    lengths[p > 0] = np.floor(-np.log2(p[p > 0])).astype(int) + 1
    return lengths


def shannon_math_loop(p):  # correct: math.log2 in a list comprehension, a list returned
    return [0 if pk == 0 else math.ceil(-math.log2(pk)) for pk in p]


def shannon_by_halving(p):  # correct: the smallest whole l with 2^-l <= p_k, exactly
    lengths = []
    for pk in np.asarray(p, dtype=float):
        length = 0
        while pk > 0 and 2.0**-length > pk:
            length += 1
        lengths.append(length)
    return lengths


# -- ex-ch07-max-entropy ---------------------------------------------------------------------
def gap_naive(p):
    p = np.asarray(p)
    return math.log(p.size) + np.sum(p * np.log(p))  # 0 * log 0 = NaN


def gap_bits(p):
    p = np.asarray(p)
    return math.log2(p.size) + np.sum(scipy.special.xlogy(p, p)) / math.log(2)


def gap_flipped(p):
    p = np.asarray(p)
    return -np.sum(scipy.special.xlogy(p, p)) - math.log(p.size)


def gap_support_only(p):
    p = np.asarray(p)
    p = p[p > 0]  # drops the zeros, and with them the outcomes they belong to
    return math.log(p.size) + np.sum(p * np.log(p))


def gap_epsilon(p):  # an epsilon instead of the convention 0 log 0 = 0
    p = np.asarray(p)
    return math.log(p.size) + np.sum(p * np.log(p + 1e-12))


def gap_where(p):  # correct: np.where drops the NaN of 0 * log 0
    p = np.asarray(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        return math.log(p.size) + float(np.sum(np.where(p > 0, p * np.log(p), 0.0)))


def gap_scipy(p):  # correct: KL(P || U) with SciPy
    p = np.asarray(p)
    return scipy.stats.entropy(p, np.full(p.size, 1.0 / p.size))


def gap_xlogy(p):  # correct: log K - H(P) with xlogy
    p = np.asarray(p)
    return math.log(p.size) + float(np.sum(scipy.special.xlogy(p, p)))


def zeros_like_first(*args, **kwargs):
    return np.zeros_like(np.asarray(args[0], dtype=float))


MUTANTS = [
    ("ex-ch07-gaussian-kl", kl_swapped, "swapped"),
    ("ex-ch07-gaussian-kl", kl_no_half, "constant"),
    ("ex-ch07-gaussian-kl", kl_log_of_variances, "log_of_variances"),
    ("ex-ch07-gaussian-kl", kl_sigma_as_variance, "variances"),
    ("ex-ch07-gaussian-kl", kl_wrong_denominator, "denominator"),
    ("ex-ch07-kl-div-loss", kl_div_naive, "zero_target"),
    ("ex-ch07-kl-div-loss", kl_div_batchmean_as_mean, "reduction"),
    ("ex-ch07-kl-div-loss", kl_div_log_of_log, "log_input"),
    ("ex-ch07-kl-div-loss", kl_div_ignores_log_target, "option_ignored"),
    ("ex-ch07-kl-div-loss", kl_div_reversed, "direction"),
    ("ex-ch07-kl-div-loss", kl_div_through_q, "underflow"),
    ("ex-ch07-kl-div-loss", kl_div_rows, "shape"),
    ("ex-ch07-kl-div-loss", kl_div_log_target_unweighted, "log_target_weight"),
    ("ex-ch07-kl-div-loss", kl_div_epsilon, "epsilon"),
    ("ex-ch07-shannon-code", shannon_nats, "nats"),
    ("ex-ch07-shannon-code", shannon_floor, "floor"),
    ("ex-ch07-shannon-code", shannon_no_zero_case, "zero_probability"),
    ("ex-ch07-shannon-code", shannon_log_ratio, "rounding"),
    ("ex-ch07-shannon-code", shannon_floor_plus_one, "plus_one"),
    ("ex-ch07-max-entropy", gap_naive, "zero_probability"),
    ("ex-ch07-max-entropy", gap_bits, "bits"),
    ("ex-ch07-max-entropy", gap_epsilon, "epsilon"),
    ("ex-ch07-max-entropy", gap_flipped, "sign"),
    ("ex-ch07-max-entropy", gap_support_only, "support"),
]


@pytest.mark.parametrize(("label", "wrong", "code"), MUTANTS, ids=[m[1].__name__ for m in MUTANTS])
def test_each_realistic_mistake_fails_with_its_diagnosis(label, wrong, code):
    report = _timed_check(label, wrong)
    assert not report.passed
    failure = report.first_failure
    assert failure.diagnosis == code, str(report)
    assert failure.hint is not None and failure.hint.ref, "a chapter-specific hint"
    assert failure.hint.text in str(report)


def gaussian_kl_zero(mu1, sigma1, mu2, sigma2):
    return 0.0


def entropy_gap_zero(p):
    return 0.0


def shannon_zeros(p):
    return np.zeros(np.shape(p), dtype=int)


@pytest.mark.parametrize(
    ("label", "trivial"),
    [
        ("ex-ch07-gaussian-kl", gaussian_kl_zero),
        ("ex-ch07-kl-div-loss", zeros_like_first),
        ("ex-ch07-kl-div-loss", lambda log_q, target, **kwargs: log_q),  # returns its input
        ("ex-ch07-shannon-code", shannon_zeros),
        ("ex-ch07-max-entropy", entropy_gap_zero),
    ],
)
def test_a_trivial_answer_fails(label, trivial):
    report = _timed_check(label, trivial)
    assert not report.passed
    assert report.n_passed < report.n_cases


@pytest.mark.parametrize(
    ("label", "correct"),
    [
        ("ex-ch07-gaussian-kl", kl_variance_ratio_form),
        ("ex-ch07-kl-div-loss", kl_div_loop),
        ("ex-ch07-kl-div-loss", kl_div_rel_entr),
        ("ex-ch07-kl-div-loss", kl_div_where),
        ("ex-ch07-shannon-code", shannon_by_halving),
        ("ex-ch07-shannon-code", shannon_math_loop),
        ("ex-ch07-max-entropy", gap_scipy),
        ("ex-ch07-max-entropy", gap_where),
        ("ex-ch07-max-entropy", gap_xlogy),
    ],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_a_correct_implementation_written_differently_passes(label, correct):
    report = _timed_check(label, correct)
    assert report.passed, str(report)


def test_the_kl_div_battery_covers_every_reduction_and_log_target():
    from mlecourse.check._ch07 import _kl_div_cases

    cases = _kl_div_cases()
    reductions = {c.kwargs.get("reduction", "mean") for c in cases}
    assert reductions == {"none", "sum", "mean", "batchmean"}
    assert any(c.kwargs.get("log_target") for c in cases)
    groups = {c.group for c in cases}
    assert {"typical", "extremes", "float32", "shapes", "options"} <= groups


def test_pytorchs_own_kl_div_passes_the_kl_div_battery():
    """The exercise reproduces F.kl_div: PyTorch's function itself must pass (torch 2.x)."""
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional

    def kl_div_torch(log_q, target, *, reduction="mean", log_target=False):
        out = functional.kl_div(
            torch.as_tensor(np.asarray(log_q)),
            torch.as_tensor(np.asarray(target)),
            reduction=reduction,
            log_target=log_target,
        )
        return out.numpy() if reduction == "none" else float(out)

    report = _timed_check("ex-ch07-kl-div-loss", kl_div_torch)
    assert report.passed, str(report)


@pytest.mark.parametrize("label", [label for label, _ in REFERENCES])
@pytest.mark.parametrize(
    "returned", [None, "x", {"a": 1}, (1.0, 2.0), [[1.0]], math.nan, -1], ids=repr
)
def test_an_answer_of_another_kind_is_reported_not_raised(label, returned):
    report = check(label, lambda *args, **kwargs: returned)  # the diagnoses must not crash
    assert not report.passed and report.first_failure is not None
