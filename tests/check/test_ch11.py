"""Chapter 11's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written as
a reader would write them (the traps the chapter names) fail with the expected diagnosis; a
trivially wrong one fails; and a correct implementation written differently passes. The Weibull
head needs TensorFlow (the solution module imports it): its first import is not timed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pytest
import scipy.stats
import tensorflow as tf
import tensorflow_probability as tfp

from mlecourse.check import check, exercises
from mlecourse.solutions import ch11 as sol
from mlecourse.tfp import heads

pytestmark = pytest.mark.tf
tfd = tfp.distributions

REFERENCES = [
    ("ex-ch11-weibull-head", sol.WeibullHead),
    ("ex-ch11-nb-fisher", sol.negative_binomial_fisher_information),
    ("ex-ch11-nb-parameterisation", sol.scipy_negative_binomial),
]


@pytest.fixture(scope="module", autouse=True)
def _registry_loaded():
    exercises()  # the first call imports every chapter's battery: not timed
    check("ex-ch11-weibull-head", sol.WeibullHead)  # TensorFlow's first graph work: not timed


def _timed_check(label, obj):
    start = time.perf_counter()
    report = check(label, obj)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"check({label!r}) took {elapsed:.2f} s"
    return report


@pytest.mark.parametrize(("label", "reference"), REFERENCES)
def test_the_reference_passes_every_case(label, reference):
    report = _timed_check(label, reference)
    assert report.passed, str(report)
    assert report.n_passed == report.n_cases >= 5


def _fails_with(label, obj, code):
    report = _timed_check(label, obj)
    assert not report.passed
    failure = report.first_failure
    assert failure.diagnosis == code, str(report)
    return report


# -- ex-ch11-weibull-head --------------------------------------------------------------------
def _weibull_head(distribution, check_targets=None):
    """A reader's head class: the given distribution(self, raw) and support check."""
    body = {"distribution": distribution}
    if check_targets is not None:
        body["check_targets"] = check_targets

    @dataclass(frozen=True)
    class Head(type("Base", (heads.DistributionHead,), body)):
        min_concentration: float = 1e-3
        min_scale: float = 1e-3
        kind = "weibull"

        @property
        def num_params(self):
            return 2

    return Head


def _refuse_nonpositive(self, y):
    if np.any(y <= 0):
        raise ValueError(f"y_true must be > 0; got {y}")


def _swapped(self, raw):
    a = tf.math.softplus(raw[..., 1]) + self.min_concentration
    b = tf.math.softplus(raw[..., 0]) + self.min_scale
    return tfd.Weibull(concentration=a, scale=b)


def _exp_activation(self, raw):
    a = tf.exp(raw[..., 0]) + self.min_concentration
    b = tf.exp(raw[..., 1]) + self.min_scale
    return tfd.Weibull(concentration=a, scale=b)


def _no_floor(self, raw):
    return tfd.Weibull(
        concentration=tf.math.softplus(raw[..., 0]), scale=tf.math.softplus(raw[..., 1])
    )


def _default_floors(self, raw):  # the defaults typed in: the constructor's floors ignored
    a = tf.math.softplus(raw[..., 0]) + 1e-3
    b = tf.math.softplus(raw[..., 1]) + 1e-3
    return tfd.Weibull(concentration=a, scale=b)


def _right(self, raw):
    a = tf.math.softplus(raw[..., 0]) + self.min_concentration
    b = tf.math.softplus(raw[..., 1]) + self.min_scale
    return tfd.Weibull(concentration=a, scale=b)


def _right_with_bijector(self, raw):  # softplus as a bijector, the floors as a shift
    softplus = tfp.bijectors.Softplus()
    a = softplus.forward(raw[..., 0]) + self.min_concentration
    b = softplus.forward(raw[..., 1]) + self.min_scale
    return tfd.Weibull(concentration=a, scale=b)


def _message_without_y_true(self, y):
    if np.any(y <= 0):
        raise ValueError("durations must be positive")


@pytest.mark.parametrize(
    ("head", "code"),
    [
        (_weibull_head(_swapped, _refuse_nonpositive), "swapped"),
        (_weibull_head(_exp_activation, _refuse_nonpositive), "activation"),
        (_weibull_head(_no_floor, _refuse_nonpositive), "no_floor"),
        (_weibull_head(_default_floors, _refuse_nonpositive), "option_ignored"),
        (_weibull_head(_right), "no_error"),  # no support check: a duration of 0 passes
        (_weibull_head(_right, _message_without_y_true), "wrong_error"),
    ],
    ids=["swapped", "exp", "no-floor", "default-floors", "no-support-check", "message"],
)
def test_weibull_mistakes_are_caught(head, code):
    report = _fails_with("ex-ch11-weibull-head", head, code)
    if code == "wrong_error":
        assert "does not name y_true" in report.first_failure.error


def test_weibull_trivial_answer_fails():
    def gaussian(self, raw):  # any head of two parameters: a Normal instead of a Weibull
        return tfd.Normal(raw[..., 0], tf.math.softplus(raw[..., 1]) + self.min_scale)

    assert not _timed_check("ex-ch11-weibull-head", _weibull_head(gaussian, _refuse_nonpositive))


@pytest.mark.parametrize("distribution", [_right, _right_with_bijector], ids=["tf", "bijector"])
def test_weibull_correct_variants_pass(distribution):
    report = _timed_check("ex-ch11-weibull-head", _weibull_head(distribution, _refuse_nonpositive))
    assert report.passed, str(report)


# -- ex-ch11-nb-fisher -----------------------------------------------------------------------
def fisher_poisson(mean, total_count):
    return 1.0 / np.asarray(mean) + 0.0 * np.asarray(total_count)


def fisher_variance(mean, total_count):
    mu, r = np.asarray(mean), np.asarray(total_count)
    return mu + mu**2 / r


def fisher_r_inverted(mean, total_count):
    mu, r = np.asarray(mean), np.asarray(total_count)
    return 1.0 / (mu + mu**2 * r)


def fisher_square_root(mean, total_count):
    mu, r = np.asarray(mean), np.asarray(total_count)
    return np.sqrt(r / (mu * (mu + r)))


def fisher_r_dropped(mean, total_count):  # the score's r squared, Var(y)'s 1/r not cancelled
    mu, r = np.asarray(mean), np.asarray(total_count)
    return 1.0 / (mu * (mu + r))


def fisher_promoted(mean, total_count):
    mu, r = np.asarray(mean, dtype=np.float64), np.asarray(total_count, dtype=np.float64)
    return r / (mu * (mu + r))


@pytest.mark.parametrize(
    ("fn", "code"),
    [
        (fisher_poisson, "poisson"),
        (fisher_variance, "variance"),
        (fisher_r_inverted, "r_inverted"),
        (fisher_square_root, "square_root"),
        (fisher_r_dropped, "r_dropped"),
        (fisher_promoted, "dtype"),
    ],
)
def test_fisher_mistakes_are_caught(fn, code):
    _fails_with("ex-ch11-nb-fisher", fn, code)


def test_fisher_trivial_answer_fails():
    assert not _timed_check("ex-ch11-nb-fisher", lambda mean, total_count: np.zeros_like(mean))


def _fisher_by_the_score(mean, total_count):
    # the variance of the score r (y - mu) / (mu (mu + r)) = r^2 Var(y) / (mu (mu + r))^2
    mu, r = np.asarray(mean), np.asarray(total_count)
    variance = mu + mu * mu / r
    return (r / (mu * (mu + r))) ** 2 * variance


def _fisher_reciprocal_variance(mean, total_count):
    mu, r = np.asarray(mean), np.asarray(total_count)
    return 1 / (mu + mu**2 / r)


@pytest.mark.parametrize("fn", [_fisher_by_the_score, _fisher_reciprocal_variance])
def test_fisher_correct_variants_pass(fn):
    report = _timed_check("ex-ch11-nb-fisher", fn)
    assert report.passed, str(report)


# -- ex-ch11-nb-parameterisation -------------------------------------------------------------
def nb_torch_probs(mean, total_count):  # the colleague's port
    return scipy.stats.nbinom(total_count, np.asarray(mean) / (np.asarray(mean) + total_count))


def nb_swapped(mean, total_count):
    mu, r = np.asarray(mean), np.asarray(total_count)
    return scipy.stats.nbinom(mu, r / (mu + r))  # the mean where the total count goes


def nb_poisson(mean, total_count):
    return scipy.stats.poisson(mean)


def nb_wrong_p(mean, total_count):  # p = r / mu: not a probability for r > mu
    mu, r = np.asarray(mean), np.asarray(total_count)
    return scipy.stats.nbinom(r, np.minimum(r / (mu + 2 * r), 1.0))


@pytest.mark.parametrize(
    ("fn", "code"),
    [
        (nb_torch_probs, "torch_probs"),
        (nb_swapped, "swapped"),
        (nb_poisson, "poisson"),
        (nb_wrong_p, "wrong"),
    ],
)
def test_nb_mistakes_are_caught(fn, code):
    _fails_with("ex-ch11-nb-parameterisation", fn, code)


def test_nb_trivial_answers_fail():
    assert not _timed_check("ex-ch11-nb-parameterisation", lambda m, r: scipy.stats.nbinom(1, 0.5))
    _fails_with("ex-ch11-nb-parameterisation", lambda m, r: m, "raised")  # not a distribution


def _nb_from_odds(mean, total_count):
    mu, r = np.asarray(mean, dtype=float), np.asarray(total_count, dtype=float)
    return scipy.stats.nbinom(n=r, p=1.0 / (1.0 + mu / r))


def _nb_from_complement(mean, total_count):
    mu, r = np.asarray(mean, dtype=float), np.asarray(total_count, dtype=float)
    return scipy.stats.nbinom(r, 1.0 - mu / (mu + r))


@pytest.mark.parametrize("fn", [_nb_from_odds, _nb_from_complement])
def test_nb_correct_variants_pass(fn):
    report = _timed_check("ex-ch11-nb-parameterisation", fn)
    assert report.passed, str(report)
