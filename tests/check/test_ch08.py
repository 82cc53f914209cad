"""Chapter 8's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written
as a reader would write them (the traps the chapter names) fail with the expected diagnosis;
a trivially wrong one fails; and a correct implementation written differently (SciPy's
``expit``/``logsumexp``/``log_softmax``/``norm.logpdf``, another form of the gradient) passes.
No TensorFlow: the solutions and the batteries are NumPy.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import scipy.special
import scipy.stats

from mlecourse.check import check, exercises
from mlecourse.solutions import ch08 as sol

REFERENCES = [
    ("ex-ch08-poisson-link", sol.poisson_nll_gradient),
    ("ex-ch08-mixture-nll", sol.gaussian_mixture_nll),
    ("ex-ch08-collapse", sol.collapsed_mixture_nll),
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


# -- ex-ch08-poisson-link --------------------------------------------------------------------
def grad_naive_softplus(y, raw, activation="exp"):
    y, z = np.asarray(y, dtype=float), np.asarray(raw, dtype=float)
    if activation == "exp":
        return np.exp(z) - y
    rate = np.log(1 + np.exp(z))  # 0 below z = -37, inf above 709
    return np.exp(z) / (1 + np.exp(z)) * (1 - y / rate)


def grad_no_chain_rule(y, raw, activation="exp"):
    y, z = np.asarray(y, dtype=float), np.asarray(raw, dtype=float)
    rate = np.exp(z) if activation == "exp" else np.logaddexp(0, z)
    return 1 - y / rate  # dL/d rate, not dL/dz


def grad_canonical_everywhere(y, raw, activation="exp"):
    y, z = np.asarray(y, dtype=float), np.asarray(raw, dtype=float)
    rate = np.exp(z) if activation == "exp" else np.logaddexp(0, z)
    return rate - y  # "mean minus target", also for the softplus


def grad_ignores_activation(y, raw, activation="exp"):
    return np.exp(np.asarray(raw, dtype=float)) - np.asarray(y, dtype=float)


def grad_flipped(y, raw, activation="exp"):  # the gradient of the log-likelihood
    y, z = np.asarray(y, dtype=float), np.asarray(raw, dtype=float)
    if activation == "exp":
        return y - np.exp(z)
    return scipy.special.expit(z) * (y / np.logaddexp(0, z) - 1)


def grad_summed(y, raw, activation="exp"):  # one number for the batch
    return np.sum(sol.poisson_nll_gradient(y, raw, activation=activation))


def grad_other_form(y, raw, activation="exp"):  # correct: expit, and e^z (1 - y e^-z)
    y, z = np.asarray(y, dtype=float), np.asarray(raw, dtype=float)
    if activation == "exp":
        return np.exp(z) * (1 - y * np.exp(-z))
    softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
    sigmoid = scipy.special.expit(z)
    return sigmoid - y * sigmoid / softplus


# -- ex-ch08-mixture-nll ---------------------------------------------------------------------
def grad_bernoulli_form(y, raw, activation="exp"):  # sigmoid(z) - y: the Bernoulli's form
    y, z = np.asarray(y, dtype=float), np.asarray(raw, dtype=float)
    if activation == "exp":
        return np.exp(z) - y
    return scipy.special.expit(z) - y


def grad_log1p(y, raw, activation="exp"):  # correct: log1p(e^z) keeps e^-40
    y, z = np.asarray(y, dtype=float), np.asarray(raw, dtype=float)
    if activation == "exp":
        return np.exp(z) - y
    with np.errstate(over="ignore"):  # e^750 = inf: the rate is inf, and y / inf = 0 there
        return scipy.special.expit(z) * (1 - y / np.log1p(np.exp(z)))


def _log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def mixture_densities(y, logits, means, scales):  # sums the densities themselves
    weights = scipy.special.softmax(logits, axis=1)
    dens = scipy.stats.norm.pdf(np.asarray(y)[:, None], means, scales)
    return -np.log(np.sum(weights * dens, axis=1))


def mixture_naive_softmax(y, logits, means, scales):  # log(exp(a) / sum exp(a))
    log_w = np.log(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True))
    log_n = scipy.stats.norm.logpdf(np.asarray(y)[:, None], means, scales)
    return -scipy.special.logsumexp(log_w + log_n, axis=1)


def mixture_variances(y, logits, means, scales):  # scales read as variances
    z = (np.asarray(y)[:, None] - means) ** 2 / (2 * scales)
    log_n = -0.5 * np.log(2 * np.pi * scales) - z
    return -scipy.special.logsumexp(_log_softmax(logits) + log_n, axis=1)


def mixture_unnormalised(y, logits, means, scales):  # exp(logits) as the weights
    log_n = scipy.stats.norm.logpdf(np.asarray(y)[:, None], means, scales)
    return -scipy.special.logsumexp(logits + log_n, axis=1)


def mixture_mean(y, logits, means, scales):  # the mean NLL, not per example
    return float(np.mean(sol.gaussian_mixture_nll(y, logits, means, scales)))


def mixture_flipped(y, logits, means, scales):  # the log-likelihood
    return -sol.gaussian_mixture_nll(y, logits, means, scales)


def mixture_softmax_no_axis(y, logits, means, scales):  # SciPy's default axis=None
    log_w = scipy.special.log_softmax(logits)  # normalised over the whole (n, J) array
    log_n = scipy.stats.norm.logpdf(np.asarray(y)[:, None], means, scales)
    return -scipy.special.logsumexp(log_w + log_n, axis=1)


def mixture_no_constant(y, logits, means, scales):  # the Gaussian's -log(2 pi)/2 dropped
    log_n = -np.log(scales) - 0.5 * ((np.asarray(y)[:, None] - means) / scales) ** 2
    return -scipy.special.logsumexp(_log_softmax(logits) + log_n, axis=1)


def mixture_logsumexp_weights(y, logits, means, scales):  # correct: logsumexp's b = weights
    log_n = scipy.stats.norm.logpdf(np.asarray(y)[:, None], means, scales)
    return -scipy.special.logsumexp(log_n, b=scipy.special.softmax(logits, axis=1), axis=1)


def mixture_scipy(y, logits, means, scales):  # correct: SciPy's log_softmax and logsumexp
    log_w = scipy.special.log_softmax(logits, axis=1)
    log_n = scipy.stats.norm.logpdf(np.asarray(y)[:, None], means, scales)
    return -scipy.special.logsumexp(log_w + log_n, axis=1)


def mixture_loop(y, logits, means, scales):  # correct: one example at a time
    out = []
    for yi, a, m, s in zip(y, logits, means, scales, strict=True):
        log_w = a - (max(a) + math.log(sum(math.exp(v - max(a)) for v in a)))
        terms = [
            lw - math.log(sj) - 0.5 * math.log(2 * math.pi) - 0.5 * ((yi - mj) / sj) ** 2
            for lw, mj, sj in zip(log_w, m, s, strict=True)
        ]
        top = max(terms)
        out.append(-(top + math.log(sum(math.exp(t - top) for t in terms))))
    return np.array(out)


# -- ex-ch08-collapse ------------------------------------------------------------------------
def _collapse_terms(y, scale, *, centre=None, var=False, half=True):
    y = np.asarray(y, dtype=float)
    broad_mean = y.mean() if centre is None else centre
    sd = math.sqrt(scale) if var else scale
    log_half = math.log(0.5) if half else 0.0
    return np.stack(
        [
            log_half + scipy.stats.norm.logpdf(y, y[0], sd),
            log_half + scipy.stats.norm.logpdf(y, broad_mean, 1.0),
        ]
    )


def collapse_densities(y, scale):  # sums the densities themselves
    y = np.asarray(y, dtype=float)
    dens = 0.5 * scipy.stats.norm.pdf(y, y[0], scale) + 0.5 * scipy.stats.norm.pdf(y, y.mean(), 1.0)
    return float(-np.mean(np.log(dens)))


def collapse_sum(y, scale):  # the training NLL summed, not averaged
    return float(-np.sum(scipy.special.logsumexp(_collapse_terms(y, scale), axis=0)))


def collapse_no_weights(y, scale):  # forgot the mixing weights 1/2
    terms = _collapse_terms(y, scale, half=False)
    return float(-np.mean(scipy.special.logsumexp(terms, axis=0)))


def collapse_variance(y, scale):  # N(y_1, scale) instead of N(y_1, scale^2)
    return float(-np.mean(scipy.special.logsumexp(_collapse_terms(y, scale, var=True), axis=0)))


def collapse_broad_at_zero(y, scale):  # the broad component N(0, 1)
    terms = _collapse_terms(y, scale, centre=0.0)
    return float(-np.mean(scipy.special.logsumexp(terms, axis=0)))


def collapse_the_bound(y, scale):  # the exercise's upper bound over n, not the NLL
    y = np.asarray(y, dtype=float)
    broad = np.log(0.5) + scipy.stats.norm.logpdf(y[1:], y.mean(), 1.0)
    return float((np.log(2 * np.sqrt(2 * np.pi) * scale) - np.sum(broad)) / y.size)


def collapse_logaddexp(y, scale):  # correct: np.logaddexp of the two log-densities
    y = np.asarray(y, dtype=float)
    pair = scipy.stats.norm.logpdf(y, y[0], scale), scipy.stats.norm.logpdf(y, y.mean(), 1.0)
    return float(-np.mean(np.log(0.5) + np.logaddexp(*pair)))


def collapse_scipy(y, scale):  # correct: SciPy's logsumexp with b = 1/2 weights
    y = np.asarray(y, dtype=float)
    log_n = np.stack(
        [scipy.stats.norm.logpdf(y, y[0], scale), scipy.stats.norm.logpdf(y, y.mean(), 1.0)]
    )
    return float(-np.mean(scipy.special.logsumexp(log_n, axis=0, b=0.5)))


MUTANTS = [
    ("ex-ch08-poisson-link", grad_naive_softplus, "naive_softplus"),
    ("ex-ch08-poisson-link", grad_no_chain_rule, "chain_rule"),
    ("ex-ch08-poisson-link", grad_canonical_everywhere, "canonical"),
    ("ex-ch08-poisson-link", grad_ignores_activation, "option_ignored"),
    ("ex-ch08-poisson-link", grad_flipped, "sign"),
    ("ex-ch08-poisson-link", grad_summed, "shape"),
    ("ex-ch08-poisson-link", grad_bernoulli_form, "canonical"),
    ("ex-ch08-mixture-nll", mixture_densities, "underflow"),
    ("ex-ch08-mixture-nll", mixture_softmax_no_axis, "softmax_axis"),
    ("ex-ch08-mixture-nll", mixture_no_constant, "constant"),
    ("ex-ch08-collapse", collapse_the_bound, "bound"),
    ("ex-ch08-mixture-nll", mixture_naive_softmax, "softmax_overflow"),
    ("ex-ch08-mixture-nll", mixture_variances, "variances"),
    ("ex-ch08-mixture-nll", mixture_unnormalised, "unnormalised"),
    ("ex-ch08-mixture-nll", mixture_mean, "reduced"),
    ("ex-ch08-mixture-nll", mixture_flipped, "sign"),
    ("ex-ch08-collapse", collapse_densities, "underflow"),
    ("ex-ch08-collapse", collapse_sum, "factor"),
    ("ex-ch08-collapse", collapse_no_weights, "weights"),
    ("ex-ch08-collapse", collapse_variance, "variances"),
    ("ex-ch08-collapse", collapse_broad_at_zero, "broad_mean"),
]


@pytest.mark.parametrize(("label", "wrong", "code"), MUTANTS, ids=[m[1].__name__ for m in MUTANTS])
def test_each_realistic_mistake_fails_with_its_diagnosis(label, wrong, code):
    report = _timed_check(label, wrong)
    assert not report.passed
    failure = report.first_failure
    assert failure.diagnosis == code, str(report)
    assert failure.hint is not None and failure.hint.ref, "a chapter-specific hint"
    assert failure.hint.text in str(report)


@pytest.mark.parametrize(
    ("label", "trivial"),
    [
        ("ex-ch08-poisson-link", lambda y, raw, activation="exp": np.zeros_like(raw)),
        ("ex-ch08-poisson-link", lambda y, raw, activation="exp": raw),  # returns its input
        ("ex-ch08-mixture-nll", lambda y, logits, means, scales: np.zeros(np.shape(y))),
        ("ex-ch08-collapse", lambda y, scale: 0.0),
    ],
)
def test_a_trivial_answer_fails(label, trivial):
    report = _timed_check(label, trivial)
    assert not report.passed


@pytest.mark.parametrize(
    ("label", "correct"),
    [
        ("ex-ch08-poisson-link", grad_other_form),
        ("ex-ch08-poisson-link", grad_log1p),
        ("ex-ch08-mixture-nll", mixture_scipy),
        ("ex-ch08-mixture-nll", mixture_logsumexp_weights),
        ("ex-ch08-collapse", collapse_logaddexp),
        ("ex-ch08-mixture-nll", mixture_loop),
        ("ex-ch08-collapse", collapse_scipy),
    ],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_a_correct_implementation_written_differently_passes(label, correct):
    report = _timed_check(label, correct)
    assert report.passed, str(report)


def test_the_poisson_battery_reaches_both_failures_of_a_naive_softplus():
    """log(1 + e^z) is 0 at z = -40 and inf at z = 750: the battery has both."""
    from mlecourse.check._ch08 import _poisson_cases

    softplus_z = np.concatenate(
        [np.ravel(c.args[1]) for c in _poisson_cases() if c.kwargs.get("activation") == "softplus"]
    )
    with np.errstate(over="ignore"):
        naive = np.log(1 + np.exp(softplus_z))
    assert np.any(naive == 0) and np.any(np.isinf(naive))


@pytest.mark.parametrize("label", [label for label, _ in REFERENCES])
@pytest.mark.parametrize(
    "returned", [None, "x", {"a": 1}, (1.0, 2.0), [[1.0]], math.nan, -1], ids=repr
)
def test_an_answer_of_another_kind_is_reported_not_raised(label, returned):
    report = check(label, lambda *args, **kwargs: returned)
    assert not report.passed and report.first_failure is not None
