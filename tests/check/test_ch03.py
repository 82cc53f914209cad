"""Chapter 3's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written
as a reader would write them (the traps the chapter names) fail with the expected diagnosis;
a trivially wrong one fails; and correct implementations written differently (SciPy's fits,
root finders and optimisers, a damped Newton method, Newton as iteratively reweighted least
squares, the package's own fits and losses, a loop) pass.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy import optimize, stats

from mlecourse import losses, mle
from mlecourse.check import check
from mlecourse.solutions import ch03 as sol

REFERENCES = [
    ("ex-ch03-poisson-newton", sol.poisson_regression_newton),
    ("ex-ch03-held-out", sol.held_out_mean_nll),
    ("ex-ch03-conditional", sol.conditional_and_joint_mle),
]


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
    assert report.n_passed == report.n_cases >= 6


# -- ex-ch03-poisson-newton ------------------------------------------------------------------
def _newton(X, y, hessian, *, scale_gradient=1.0, sign=1.0, max_steps=100):
    """A reader's Newton loop, with the parts the mutants change passed in."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    theta, step = np.zeros(X.shape[1]), 0
    while step < max_steps:
        step += 1
        gradient = sign * X.T @ (np.exp(X @ theta) - y) * scale_gradient
        theta = theta - np.linalg.solve(hessian(X, theta), gradient)
        if np.max(np.abs(X.T @ (np.exp(X @ theta) - y))) / len(y) < 1e-10:
            break
    return theta, step


def _hessian(X, theta):
    return X.T @ (np.exp(X @ theta)[:, None] * X)


def newton_without_weights(X, y):  # H = X^T X: the weights diag(lambda) forgotten
    return _newton(X, y, lambda X, theta: X.T @ X)


def newton_count_weights(X, y):  # H = X^T diag(y) X: the counts where the rates belong
    return _newton(X, y, lambda X, theta: X.T @ (np.asarray(y, dtype=float)[:, None] * X))


def newton_mean_gradient(X, y):  # the mean gradient against the summed Hessian
    return _newton(X, y, _hessian, scale_gradient=1.0 / len(y))


def newton_wrong_sign(X, y):  # gradient of the log-likelihood: runs away, H turns singular
    return _newton(X, y, _hessian, sign=-1.0)


def newton_extra_intercept(X, y):  # a second column of ones: H is singular
    X1 = np.column_stack([np.ones(len(y)), X])
    return _newton(X1, y, _hessian)


def newton_column(X, y):  # y as a column: every iterate, and theta, is (d, 1)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)[:, None]
    theta = np.zeros((X.shape[1], 1))
    for step in range(1, 60):
        rate = np.exp(X @ theta)
        theta = theta - np.linalg.solve(X.T @ (rate * X), X.T @ (rate - y))
        if np.max(np.abs(X.T @ (np.exp(X @ theta) - y))) / len(y) < 1e-10:
            return theta, step
    raise ValueError("no convergence")


def newton_loose(X, y):  # stops once the gradient's norm is below 1e-3: not converged
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    theta, steps = np.zeros(X.shape[1]), 0
    gradient = X.T @ (np.exp(X @ theta) - y)
    while np.linalg.norm(gradient) > 1e-3:
        theta = theta - np.linalg.solve(_hessian(X, theta), gradient)
        steps += 1
        gradient = X.T @ (np.exp(X @ theta) - y)
    return theta, steps


def newton_theta_only(X, y):  # forgets the number of steps
    return _newton(X, y, _hessian)[0]


def newton_trivial(X, y):
    return np.zeros(np.shape(X)[1]), 1


def newton_damped(X, y):  # correct: Newton with step halving on the NLL, stop on the step
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)

    def nll(theta):
        z = X @ theta
        return np.sum(np.exp(z) - y * z)

    theta = np.zeros(X.shape[1])
    for step in range(1, 100):
        rate = np.exp(X @ theta)
        delta = np.linalg.solve(X.T @ (rate[:, None] * X), X.T @ (rate - y))
        t = 1.0
        while nll(theta - t * delta) > nll(theta) and t > 1e-8:
            t /= 2
        theta = theta - t * delta
        if np.max(np.abs(t * delta)) < 1e-12:
            return theta, step
    raise ValueError("no convergence")


def newton_irls(X, y):  # correct: Newton as iteratively reweighted least squares
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    theta, steps = np.zeros(X.shape[1]), 0
    while np.max(np.abs(X.T @ (np.exp(X @ theta) - y))) > 1e-9 * max(1.0, y.sum()):
        z = X @ theta
        rate = np.exp(z)
        root = np.sqrt(rate)  # weighted least squares of the working response z + (y - rate)/rate
        theta = np.linalg.lstsq(root[:, None] * X, root * (z + (y - rate) / rate), rcond=None)[0]
        steps += 1
        if steps > 100:
            raise RuntimeError("no convergence")
    return theta, steps


def newton_lstsq_loop(X, y):  # correct: one example at a time, lstsq, gradient-norm stop
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, d = X.shape
    theta = np.zeros(d)
    for steps in range(100):
        gradient, hessian = np.zeros(d), np.zeros((d, d))
        for i in range(n):
            rate_i = np.exp(X[i] @ theta)
            gradient += (rate_i - y[i]) * X[i]
            hessian += rate_i * np.outer(X[i], X[i])
        if np.linalg.norm(gradient) < 1e-9 * n:
            return theta, steps
        theta = theta - np.linalg.lstsq(hessian, gradient, rcond=None)[0]
    raise ValueError("no convergence")


@pytest.mark.parametrize(
    ("mutant", "diagnosis"),
    [
        (newton_without_weights, "slow"),
        (newton_count_weights, "slow"),
        (newton_mean_gradient, "slow"),
        (newton_wrong_sign, "raised"),
        (newton_extra_intercept, "raised"),
        (newton_theta_only, "pair"),
        (newton_column, "flat"),
        (newton_loose, "loose"),
        (newton_trivial, "wrong"),
    ],
)
def test_newton_mutants_fail_with_their_diagnosis(mutant, diagnosis):
    report = _timed_check("ex-ch03-poisson-newton", mutant)
    assert not report.passed
    assert report.first_failure.diagnosis == diagnosis, str(report)


@pytest.mark.parametrize("correct", [newton_damped, newton_lstsq_loop, newton_irls])
def test_newton_other_correct_implementations_pass(correct):
    report = _timed_check("ex-ch03-poisson-newton", correct)
    assert report.passed, str(report)


# -- ex-ch03-held-out ------------------------------------------------------------------------
def _fits(train, *, ddof=0, laplace_loc=np.median):
    train = np.ravel(train)
    loc = laplace_loc(train)
    return train.mean(), train.std(ddof=ddof), loc, np.mean(np.abs(train - loc))


HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)


def _scores(test, mu, sigma, loc, b, *, reduce=np.mean, gauss_const=HALF_LOG_2PI):
    test = np.ravel(test)
    gauss = reduce(np.log(sigma) + gauss_const + (test - mu) ** 2 / (2 * sigma**2))
    laplace = reduce(np.log(2 * b) + np.abs(test - loc) / b)
    return {"gaussian": float(gauss), "laplace": float(laplace)}


def held_out_ddof1(y_train, y_test):  # the unbiased standard deviation
    return _scores(y_test, *_fits(y_train, ddof=1))


def held_out_laplace_mean(y_train, y_test):  # the Laplace centred on the mean
    return _scores(y_test, *_fits(y_train, laplace_loc=np.mean))


def held_out_log_pdf(y_train, y_test):  # log of densities that underflow
    mu, sigma, loc, b = _fits(y_train)
    return {
        "gaussian": float(np.mean(np.log(stats.norm.pdf(np.ravel(y_test), mu, sigma)))) * -1,
        "laplace": float(np.mean(np.log(stats.laplace.pdf(np.ravel(y_test), loc, b)))) * -1,
    }


def held_out_sum(y_train, y_test):  # the summed NLL
    return _scores(y_test, *_fits(y_train), reduce=np.sum)


def held_out_fit_on_test(y_train, y_test):  # fitted on the points it is scored on
    return _scores(y_test, *_fits(y_test))


def held_out_no_constant(y_train, y_test):  # the Gaussian without log(2 pi) / 2
    return _scores(y_test, *_fits(y_train), gauss_const=0.0)


def held_out_swapped(y_train, y_test):
    scores = _scores(y_test, *_fits(y_train))
    return {"gaussian": scores["laplace"], "laplace": scores["gaussian"]}


def held_out_capitalised(y_train, y_test):  # the keys of the chapter's table
    scores = _scores(y_test, *_fits(y_train))
    return {"Gaussian": scores["gaussian"], "Laplace": scores["laplace"]}


def held_out_package(y_train, y_test):  # the chapter's losses, variance floor eps = 1e-6 kept
    train, test = np.ravel(y_train), np.ravel(y_test)
    (mu, sigma), (loc, scale) = mle.gaussian(train), mle.laplace(train)
    ones = np.ones_like(test)
    return {
        "gaussian": float(losses.gaussian_nll(test, mu * ones, std=sigma)),
        "laplace": float(losses.laplace_nll(test, loc * ones, scale=scale)),
    }


def held_out_trivial(y_train, y_test):
    return {"gaussian": 0.0, "laplace": 0.0}


def held_out_scipy(y_train, y_test):  # correct: SciPy's MLE fits and log-densities
    train, test = np.ravel(y_train), np.ravel(y_test)
    return {
        "gaussian": -stats.norm.logpdf(test, *stats.norm.fit(train)).mean(),
        "laplace": -stats.laplace.logpdf(test, *stats.laplace.fit(train)).mean(),
    }


def held_out_package_small_eps(y_train, y_test):  # correct: the package, a floor below sigma^2
    train, test = np.ravel(y_train), np.ravel(y_test)
    (mu, sigma), (loc, scale) = mle.gaussian(train), mle.laplace(train)
    ones = np.ones_like(test)
    return {
        "gaussian": float(losses.gaussian_nll(test, mu * ones, std=sigma, eps=1e-300)),
        "laplace": float(losses.laplace_nll(test, loc * ones, scale=scale)),
    }


def held_out_loop(y_train, y_test):  # correct: plain Python, sorted sample for the median
    train = sorted(float(v) for v in np.ravel(y_train))
    test = [float(v) for v in np.ravel(y_test)]
    n, m = len(train), len(test)
    mu = sum(train) / n
    var = sum((v - mu) ** 2 for v in train) / n
    median = train[n // 2]  # n is odd in every case of the battery
    b = sum(abs(v - median) for v in train) / n
    gauss = sum(0.5 * np.log(2 * np.pi * var) + (v - mu) ** 2 / (2 * var) for v in test) / m
    laplace = sum(np.log(2 * b) + abs(v - median) / b for v in test) / m
    return {"laplace": laplace, "gaussian": gauss}


@pytest.mark.parametrize(
    ("mutant", "diagnosis"),
    [
        (held_out_ddof1, "ddof"),
        (held_out_laplace_mean, "laplace_mean"),
        (held_out_log_pdf, "nonfinite"),
        (held_out_sum, "sum"),
        (held_out_fit_on_test, "fit_on_test"),
        (held_out_no_constant, "constant"),
        (held_out_swapped, "swapped"),
        (held_out_capitalised, "keys"),
        (held_out_package, "variance_floor"),
        (held_out_trivial, "wrong"),
    ],
)
def test_held_out_mutants_fail_with_their_diagnosis(mutant, diagnosis):
    report = _timed_check("ex-ch03-held-out", mutant)
    assert not report.passed
    assert report.first_failure.diagnosis == diagnosis, str(report)


@pytest.mark.parametrize("correct", [held_out_scipy, held_out_loop, held_out_package_small_eps])
def test_held_out_other_correct_implementations_pass(correct):
    report = _timed_check("ex-ch03-held-out", correct)
    assert report.passed, str(report)


# -- ex-ch03-conditional ---------------------------------------------------------------------
def _derivatives(x, y):
    x, y = np.ravel(np.asarray(x, dtype=float)), np.ravel(np.asarray(y, dtype=float))

    def conditional(theta):
        return np.sum((np.exp(theta * x) - y) * x)

    def joint(theta):
        return conditional(theta) - np.sum(x - theta)

    return x, y, conditional, joint


def _brentq(f):
    lo, hi = -1.0, 1.0
    for _ in range(60):
        if f(lo) < 0 < f(hi):
            return optimize.brentq(f, lo, hi, xtol=1e-14)
        lo, hi = 2 * lo, 2 * hi
    raise ValueError("no sign change: no root")


def conditional_dropped(x, y):  # the factor p(x | theta) dropped from the joint NLL
    _, _, conditional, _ = _derivatives(x, y)
    theta = _brentq(conditional)
    return theta, theta


def conditional_swapped(x, y):
    _, _, conditional, joint = _derivatives(x, y)
    return _brentq(joint), _brentq(conditional)


def conditional_joint_sign(x, y):  # d/dtheta (x - theta)^2 / 2 taken as +(x - theta)
    x, _, conditional, _ = _derivatives(x, y)
    return _brentq(conditional), _brentq(lambda t: conditional(t) + np.sum(x - t))


def conditional_joint_no_half(x, y):  # the inputs' NLL written (x - theta)^2, no 1/2
    x, _, conditional, _ = _derivatives(x, y)
    return _brentq(conditional), _brentq(lambda t: conditional(t) - 2 * np.sum(x - t))


def conditional_rate_without_x(x, y):  # the log-rate theta instead of theta x_i
    x, y = np.ravel(np.asarray(x, dtype=float)), np.ravel(np.asarray(y, dtype=float))
    return (
        _brentq(lambda t: np.sum(np.exp(t) - y)),
        _brentq(lambda t: np.sum(np.exp(t) - y) - np.sum(x - t)),
    )


def conditional_trivial(x, y):
    return 0.0, 0.0


def conditional_brentq(x, y):  # correct: SciPy's root finder on both derivatives
    _, _, conditional, joint = _derivatives(x, y)
    return _brentq(conditional), _brentq(joint)


def conditional_minimize_scalar(x, y):  # correct: minimise both NLLs, SciPy's defaults
    x, y, _, _ = _derivatives(x, y)

    def cond_nll(t):
        return np.sum(np.exp(t * x) - y * t * x)

    def joint_nll(t):
        return cond_nll(t) + np.sum((x - t) ** 2) / 2

    return tuple(
        optimize.minimize_scalar(f, bounds=(-5.0, 5.0), method="bounded").x
        for f in (cond_nll, joint_nll)
    )


def conditional_brent(x, y):  # correct: SciPy's unbounded Brent minimisation of both NLLs
    x, y, _, _ = _derivatives(x, y)
    return (
        optimize.minimize_scalar(lambda t: np.sum(np.exp(t * x) - y * t * x)).x,
        optimize.minimize_scalar(lambda t: np.sum(np.exp(t * x) - y * t * x + (x - t) ** 2 / 2)).x,
    )


def conditional_newton(x, y):  # correct: Newton's method on each derivative, as a list
    x, y, conditional, joint = _derivatives(x, y)
    out = []
    for f, extra in ((conditional, 0.0), (joint, float(x.size))):
        theta = 0.0
        for _ in range(100):
            step = f(theta) / (np.sum(x**2 * np.exp(theta * x)) + extra)
            theta -= np.clip(step, -1.0, 1.0)
            if abs(step) < 1e-13:
                break
        out.append(theta)
    return out


@pytest.mark.parametrize(
    ("mutant", "diagnosis"),
    [
        (conditional_dropped, "dropped"),
        (conditional_swapped, "swapped"),
        (conditional_joint_sign, "joint_sign"),
        (conditional_joint_no_half, "joint"),
        (conditional_rate_without_x, "wrong"),
        (conditional_trivial, "wrong"),
    ],
)
def test_conditional_mutants_fail_with_their_diagnosis(mutant, diagnosis):
    report = _timed_check("ex-ch03-conditional", mutant)
    assert not report.passed
    assert report.first_failure.diagnosis == diagnosis, str(report)


@pytest.mark.parametrize(
    "correct",
    [conditional_brentq, conditional_minimize_scalar, conditional_brent, conditional_newton],
)
def test_conditional_other_correct_implementations_pass(correct):
    report = _timed_check("ex-ch03-conditional", correct)
    assert report.passed, str(report)


def test_hint_texts_name_the_mistake():
    # the report's words for the mistakes a second reader made (not only the diagnosis code)
    slow = _timed_check("ex-ch03-poisson-newton", newton_count_weights).first_failure.hint.text
    assert "counts y_i" in slow and "diag(lambda)" in slow
    floor = _timed_check("ex-ch03-held-out", held_out_package).first_failure.hint.text
    assert "1e-6" in floor and "eps" in floor
    rate = _timed_check("ex-ch03-conditional", conditional_rate_without_x).first_failure
    assert "derivative x_i" in rate.hint.text


def test_case_notes_say_what_the_data_hold():
    # the notes are printed in the report: their numbers must be the data's
    from mlecourse.check import _ch03

    notes = {c.note: c for c in _ch03._conditional_cases()}
    assert np.max(notes["theta = -1.5, inputs around -1.5: counts up to 118"].args[1]) == 118
    assert np.max(notes["inputs around 3: counts up to 31"].args[1]) == 31
    newton = {c.note: c for c in _ch03._newton_cases()}
    zeros = newton["30 counts, all but one of them 0"].args[1]
    assert zeros.size == 30 and np.count_nonzero(zeros) == 1
