"""Chapter 2's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written
as a reader would write them (the traps the chapter names: SciPy's scale for the rate, the
unbiased (n - 1)/sum(y), a gradient step on the rate itself, the summed NLL, log(lambda)
returned, the gradient with respect to lambda applied to log(lambda), a variance or a sample
standard deviation for the standard error) fail with the expected diagnosis; a trivially wrong
one fails; and a correct implementation written differently (SciPy's ``expon.fit``, a NumPy
descent with the hand-derived gradient, Keras's SGD with its float32 learning rate, the package's
Fisher information, a central-difference curvature) passes.

The gradient-descent reference runs TensorFlow: TensorFlow is imported, and the reference
run once, before any check is timed (its first import takes several seconds, the checks not).
"""

from __future__ import annotations

import functools
import math
import time

import numpy as np
import pytest
import scipy.stats

from mlecourse import uncertainty
from mlecourse.check import check
from mlecourse.check._ch02 import _tape_cases
from mlecourse.solutions import ch02 as sol

TAPE = "ex-ch02-poisson-tape"
REFERENCES = [
    ("ex-ch02-exponential", sol.exponential_rate_mle),
    (TAPE, sol.poisson_rate_by_gradient_descent),
    ("ex-ch02-poisson-se", sol.poisson_rate_standard_error),
]


@functools.cache
def _warm_tensorflow() -> None:
    """Import TensorFlow and trace the reference once, outside any timed check."""
    sol.poisson_rate_by_gradient_descent([1, 2], steps=2)


def _timed_check(label, fn):
    if label == TAPE:
        _warm_tensorflow()
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


# -- ex-ch02-exponential ---------------------------------------------------------------------
def rate_as_scale(y):  # the mean waiting time: SciPy's scale, not the rate
    return float(np.mean(y))


def rate_unbiased(y):  # (n - 1) / sum(y): the unbiased estimator, not the MLE
    y = np.asarray(y, dtype=float).ravel()
    return (y.size - 1) / y.sum()


def rate_without_n(y):  # 1 / sum(y): the n of n log(lambda) forgotten
    return 1.0 / float(np.sum(y))


def rate_keepdims(y):  # the mean over axis 0: a (1,) array for a column
    return 1.0 / np.mean(np.asarray(y, dtype=float), axis=0)


def rate_fit_location(y):  # SciPy's expon.fit without floc=0 also fits a location, min(y)
    _, scale = scipy.stats.expon.fit(np.asarray(y, dtype=float).ravel())
    return 1 / scale


def rate_scipy(y):  # correct: one over SciPy's scale, location fixed at 0
    _, scale = scipy.stats.expon.fit(np.asarray(y, dtype=float).ravel(), floc=0)
    return 1.0 / scale


def rate_loop(y):  # correct: n / sum(y), one waiting time at a time
    total, n = 0.0, 0
    for t in np.asarray(y, dtype=float).ravel():
        total += t
        n += 1
    return n / total


# -- ex-ch02-poisson-tape --------------------------------------------------------------------
def tape_on_rate(y, *, learning_rate=0.2, steps=100):  # the colleague's loop: rate < 0
    import tensorflow as tf

    counts = tf.constant(np.asarray(y, dtype=float).ravel())
    rate = tf.Variable(1.0, dtype=tf.float64)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            nll = tf.reduce_mean(rate - counts * tf.math.log(rate))
        rate.assign_sub(learning_rate * tape.gradient(nll, rate))
    return float(rate)


def _descend(y, learning_rate, steps, grad):
    log_rate = 0.0
    for _ in range(steps):
        log_rate -= learning_rate * grad(math.exp(log_rate), y)
    return log_rate


def tape_returns_log_rate(y, *, learning_rate=0.2, steps=100):  # forgets exp at the end
    y = np.asarray(y, dtype=float).ravel()
    return _descend(y, learning_rate, steps, lambda rate, y: rate - y.mean())


def tape_wrong_gradient(y, *, learning_rate=0.2, steps=100):  # d/d lambda, applied to log
    y = np.asarray(y, dtype=float).ravel()
    return math.exp(_descend(y, learning_rate, steps, lambda rate, y: 1 - y.mean() / rate))


def tape_summed_nll(y, *, learning_rate=0.2, steps=100):  # tf.reduce_sum: n times the steps
    import tensorflow as tf

    counts = tf.constant(np.asarray(y, dtype=float).ravel())
    log_rate = tf.Variable(0.0, dtype=tf.float64)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            nll = tf.reduce_sum(tf.exp(log_rate) - log_rate * counts)
        log_rate.assign_sub(learning_rate * tape.gradient(nll, log_rate))
    return float(tf.exp(log_rate))


def tape_fixed_rate(y, *, learning_rate=0.2, steps=100):  # 1.5 from the exercise, always
    y = np.asarray(y, dtype=float).ravel()
    return math.exp(_descend(y, 1.5, steps, lambda rate, y: rate - y.mean()))


def tape_returns_mean(y, *, learning_rate=0.2, steps=100):  # the closed form, no descent
    return float(np.mean(y))


def tape_keras_sgd(y, *, learning_rate=0.2, steps=100):  # correct: Keras's SGD on log(lambda)
    import tensorflow as tf

    counts = tf.constant(np.asarray(y, dtype=float).ravel())
    log_rate = tf.Variable(0.0, dtype=tf.float64)
    optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate)  # keeps it in float32
    for _ in range(steps):
        with tf.GradientTape() as tape:
            nll = tf.reduce_mean(tf.exp(log_rate) - counts * log_rate)
        optimizer.apply_gradients([(tape.gradient(nll, log_rate), log_rate)])
    return float(tf.exp(log_rate))


def tape_numpy(y, *, learning_rate=0.2, steps=100):  # correct: the hand-derived gradient
    y = np.asarray(y, dtype=float).ravel()
    return math.exp(_descend(y, learning_rate, steps, lambda rate, y: rate - y.mean()))


def tape_tensorflow(y, *, learning_rate=0.2, steps=100):  # correct: tape and the full NLL
    import tensorflow as tf

    counts = tf.constant(np.asarray(y, dtype=float).ravel())
    log_rate = tf.Variable(0.0, dtype=tf.float64)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            log_pmf = counts * log_rate - tf.exp(log_rate) - tf.math.lgamma(counts + 1)
            nll = -tf.reduce_mean(log_pmf)
        log_rate.assign_sub(learning_rate * tape.gradient(nll, log_rate))
    return float(tf.exp(log_rate))


# -- ex-ch02-poisson-se ----------------------------------------------------------------------
def se_variance(y):  # mean(y) / n: no square root
    y = np.asarray(y, dtype=float).ravel()
    return y.mean() / y.size


def se_information(y):  # the observed information n / mean(y) itself
    y = np.asarray(y, dtype=float).ravel()
    return y.size / y.mean()


def se_sample_sd(y):  # the sample standard deviation over sqrt(n)
    y = np.asarray(y, dtype=float).ravel()
    return y.std(ddof=1) / math.sqrt(y.size)


def se_sqrt_mean_over_n(y):  # sqrt(mean(y)) / n
    y = np.asarray(y, dtype=float).ravel()
    return math.sqrt(y.mean()) / y.size


def se_fisher(y):  # correct: 1 / sqrt(n I(lambda_hat)) with the package's Fisher information
    y = np.asarray(y, dtype=float).ravel()
    info = uncertainty.fisher_information("poisson", rate=y.mean())
    return float(1 / np.sqrt(y.size * info))


def se_curvature(y):  # correct: -ell'' = sum(y) / lambda_hat^2, straight from the proof
    y = np.asarray(y, dtype=float).ravel()
    rate_hat = y.sum() / y.size
    return 1 / math.sqrt(y.sum() / rate_hat**2)


def se_finite_difference(y):  # correct: the curvature by a central difference of SciPy's ell
    y = np.asarray(y, dtype=float).ravel()
    rate_hat, h = y.mean(), 1e-4 * y.mean()

    def ell(rate):
        return scipy.stats.poisson(rate).logpmf(y).sum()

    curvature = (ell(rate_hat + h) - 2 * ell(rate_hat) + ell(rate_hat - h)) / h**2
    return 1 / math.sqrt(-curvature)


MUTANTS = [
    ("ex-ch02-exponential", rate_as_scale, "scale"),
    ("ex-ch02-exponential", rate_unbiased, "unbiased"),
    ("ex-ch02-exponential", rate_without_n, "factor"),
    ("ex-ch02-exponential", rate_keepdims, "shape"),
    ("ex-ch02-exponential", rate_fit_location, "location"),
    (TAPE, tape_on_rate, "negative_rate"),
    (TAPE, tape_returns_log_rate, "log_rate"),
    (TAPE, tape_wrong_gradient, "chain_rule"),
    (TAPE, tape_summed_nll, "sum_not_mean"),
    (TAPE, tape_fixed_rate, "option_ignored"),
    (TAPE, tape_returns_mean, "converged"),
    ("ex-ch02-poisson-se", se_variance, "variance"),
    ("ex-ch02-poisson-se", se_information, "information"),
    ("ex-ch02-poisson-se", se_sample_sd, "sample_sd"),
    ("ex-ch02-poisson-se", se_sqrt_mean_over_n, "sqrt_n"),
]


@pytest.mark.parametrize(("label", "wrong", "code"), MUTANTS, ids=[m[1].__name__ for m in MUTANTS])
def test_each_realistic_mistake_fails_with_its_diagnosis(label, wrong, code):
    report = _timed_check(label, wrong)
    assert not report.passed
    failure = report.first_failure
    assert failure.diagnosis == code, str(report)
    assert failure.hint is not None
    assert failure.hint.text in str(report)
    if code != "shape":  # the generic shape hint is the right one
        assert failure.hint.ref, "a chapter-specific hint"


def test_the_colleagues_loop_fails_on_its_own_data():
    report = _timed_check(TAPE, tape_on_rate)
    first = report.first_failure
    assert first.case.args[0] == [0, 0, 1, 0, 0, 0, 0, 1, 0, 0]
    assert first.case.kwargs["learning_rate"] == 1.5 and first.got < 0


@pytest.mark.parametrize(
    ("label", "trivial"),
    [
        ("ex-ch02-exponential", lambda y: 0.0),
        ("ex-ch02-exponential", lambda y: y),  # returns its input
        (TAPE, lambda y, *, learning_rate=0.2, steps=100: 0.0),
        (TAPE, lambda y, *, learning_rate=0.2, steps=100: float(np.mean(y))),  # no descent
        ("ex-ch02-poisson-se", lambda y: 0.0),
        ("ex-ch02-poisson-se", lambda y: y),  # returns its input
    ],
)
def test_a_trivial_answer_fails(label, trivial):
    report = _timed_check(label, trivial)
    assert not report.passed
    assert report.n_passed < report.n_cases


@pytest.mark.parametrize(
    ("label", "correct"),
    [
        ("ex-ch02-exponential", rate_scipy),
        ("ex-ch02-exponential", rate_loop),
        (TAPE, tape_numpy),
        (TAPE, tape_tensorflow),
        (TAPE, tape_keras_sgd),
        ("ex-ch02-poisson-se", se_fisher),
        ("ex-ch02-poisson-se", se_curvature),
        ("ex-ch02-poisson-se", se_finite_difference),
    ],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_a_correct_implementation_written_differently_passes(label, correct):
    report = _timed_check(label, correct)
    assert report.passed, str(report)


def test_the_tape_battery_covers_both_options_and_the_colleagues_case():
    cases = _tape_cases()
    assert {c.option for c in cases} - {None} == {"learning_rate", "steps"}
    assert any(
        c.args[0] == [0, 0, 1, 0, 0, 0, 0, 1, 0, 0] and c.kwargs["learning_rate"] == 1.5
        for c in cases
    )
    # the first step of the colleague's loop, 1 - 1.5 * (1 - 0.2) = -0.2, leaves (0, inf)
    assert math.isclose(
        tape_on_rate([0, 0, 1, 0, 0, 0, 0, 1, 0, 0], learning_rate=1.5, steps=1),
        -0.2,
        rel_tol=1e-12,
    )
