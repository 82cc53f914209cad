"""Chapter 3's batteries: a Poisson-regression Newton fitter, held-out scores, two MLEs.

The three exercises: Newton's method for Poisson regression, the held-out scores of a Gaussian
and a Laplace, and the conditional against the joint MLE. Each battery compares the reader's
function with the tested solution in :mod:`mlecourse.solutions.ch03` on typical inputs and on
the traps the chapter names: the Hessian's weights diag(lambda) and the direction of Newton's
step, the maximum-likelihood standard deviation (1/n, not 1/(n - 1)) and the Laplace's median,
a density that rounds to 0 before its log is taken, fitting on the held-out data, and a factor
p(x | theta) that cannot be dropped. The exercise ex-ch03-negative is pen and paper and has no
battery.
"""

from __future__ import annotations

import math
from typing import cast

import numpy as np

from mlecourse import datasets
from mlecourse.check._core import Case, Exercise, Hint
from mlecourse.solutions import ch03 as sol


def _floats(x: object) -> np.ndarray | None:
    """``x`` as a float64 array, or ``None`` when it is not numeric."""
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return a


def _close(got: object, value: object, *, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    """Whether ``got`` equals ``value`` (same shape, both finite) to the tolerances."""
    g, v = _floats(got), _floats(value)
    if g is None or v is None or g.shape != v.shape:
        return False
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(v))):
        return False
    return bool(np.allclose(g, v, rtol=rtol, atol=atol))


# -- ex-ch03-poisson-newton --------------------------------------------------------------------
def _design(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """A column of ones, then d - 1 standard normal inputs rounded to 2 decimals (readable)."""
    return np.column_stack([np.ones(n), rng.standard_normal((n, d - 1)).round(2)])


def _newton_cases() -> list[Case]:
    rng = np.random.default_rng(303)
    X_typ = _design(rng, 12, 3)
    y_typ = rng.poisson(np.exp(X_typ @ np.array([0.5, 0.3, -0.2]))).astype(float)
    chapter = datasets.poisson_counts(400, weights=(0.5, -0.3), bias=1.0, seed=5)
    X_chapter = np.column_stack([np.ones(400), chapter.X])
    X_big = _design(rng, 15, 3)
    y_big = rng.poisson(np.exp(X_big @ np.array([2.3, 0.3, -0.2]))).astype(float)
    X_zeros = _design(rng, 30, 3)
    y_zeros = rng.poisson(np.exp(X_zeros @ np.array([-2.5, 0.3, 0.2]))).astype(float)
    X_one = _design(rng, 6, 2)
    y_one = np.array([0.0, 1.0, 3.0, 1.0, 2.0, 0.0])
    return [
        Case("typical", (X_typ, y_typ), note="12 counts, an intercept and two inputs"),
        Case(
            "typical",
            (np.ones((4, 1)), np.array([0.0, 2.0, 5.0, 1.0])),
            note="intercept only: theta = log(mean count) = log 2",
        ),
        Case("typical", (X_chapter, chapter.y), note="the chapter's 400 counts"),
        Case("extremes", (X_big, y_big), note="counts around 10: a long way from theta = 0"),
        Case("extremes", (X_zeros, y_zeros), note="30 counts, all but one of them 0"),
        Case("shapes", (X_one, y_one), note="one input: theta has shape (2,)"),
    ]


def _newton_parts(got: object) -> tuple[np.ndarray, float] | None:
    """The reader's (theta, steps), or ``None`` when the result is not such a pair."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    theta, steps = _floats(got[0]), _floats(got[1])
    if theta is None or steps is None or steps.shape != () or not np.isfinite(steps):
        return None
    if float(steps) != round(float(steps)):
        return None
    return theta, float(steps)


# Any Newton fitter that stops once the gradient is tiny reaches the same point; its step
# count may differ from the reference's by its stopping rule (or be smaller with a line
# search), but a step that ignores the weights diag(lambda) converges linearly, if at all.
_EXTRA_STEPS = 5


def _newton_compare(expected: object, got: object, case: Case) -> bool:
    theta_ref, steps_ref = cast(tuple[np.ndarray, int], expected)
    parts = _newton_parts(got)
    if parts is None:
        return False
    theta, steps = parts
    if not _close(theta, theta_ref, rtol=1e-6, atol=1e-6):
        return False
    return 1 <= steps <= steps_ref + _EXTRA_STEPS


def _newton_diagnose(case: Case, expected: object, got: object) -> str | None:
    theta_ref, steps_ref = cast(tuple[np.ndarray, int], expected)
    parts = _newton_parts(got)
    if parts is None:
        return "pair"
    theta, steps = parts
    if theta.shape != np.shape(theta_ref):
        return "flat" if theta.size == np.size(theta_ref) else "shape"
    if not np.all(np.isfinite(theta)):
        return "nonfinite"
    if _close(theta, theta_ref, rtol=1e-6, atol=1e-6):
        return "slow"
    if _close(theta, theta_ref, rtol=1e-3, atol=1e-3):  # near, not there: why did it stop?
        return "slow" if steps > steps_ref + _EXTRA_STEPS else "loose"
    return None


_NEWTON = Exercise(
    label="ex-ch03-poisson-newton",
    title="Newton's method for Poisson regression",
    signature="poisson_regression_newton(X, y) -> (theta, steps)",
    chapter=3,
    reference=sol.poisson_regression_newton,
    cases=_newton_cases,
    compare=_newton_compare,
    diagnose=_newton_diagnose,
    hints={
        "pair": Hint(
            "Return a pair (theta, steps): the fitted parameters, one per column of X, and the "
            "number of Newton steps taken (a whole number).",
            "ex-ch03-poisson-newton",
        ),
        "flat": Hint(
            "theta has one entry per column of X but the wrong shape: return a flat vector of "
            "shape (d,). A column y[:, None] (or a (d, 1) start) makes every iterate a column; "
            "keep y one-dimensional, or np.ravel theta before returning it.",
            "eq-ch03-poisson-hessian",
        ),
        "shape": Hint(
            "theta has one entry per column of X. X is already the design matrix, its first "
            "column the ones of the intercept: do not add another column of ones.",
            "eq-ch03-poisson-hessian",
        ),
        "slow": Hint(
            "Your fit approaches the minimum, but in many more steps than Newton's method needs. "
            "A Newton step solves H step = gradient "
            "with the Hessian H = X^T diag(lambda) X, lambda_i = exp(x_i . theta) at the current "
            "theta. With other weights (none, or the counts y_i), or with a gradient and a "
            "Hessian scaled differently (a mean and a sum), the step is no longer Newton's and "
            "converges linearly.",
            "eq-ch03-poisson-hessian",
        ),
        "loose": Hint(
            "Close, but not converged: theta is within 1e-3 of the minimiser, and the battery "
            "asks for 1e-6. Near the minimum each Newton step about doubles the correct digits, "
            "so a few more steps cost nothing: stop when the largest entry of "
            "X^T (lambda - y) / n is below a tiny tolerance, such as 1e-10.",
            "ex-ch03-poisson-newton",
        ),
        "nonfinite": Hint(
            "inf or NaN in theta: the iterates ran away and exp(X theta) overflowed. Check the "
            "step's direction, theta <- theta - H^-1 X^T (lambda - y) with lambda = exp(X theta), "
            "and the weights diag(lambda) of H.",
            "eq-ch03-poisson-hessian",
        ),
        "raised": Hint(
            "Your function raised. Pure Newton steps from theta = 0 converge on every input of "
            "this battery. A singular H means a repeated column (X already holds the column of "
            "ones) or iterates that ran away until every exp(X theta) underflowed; if yours ran "
            "away or gave up, check the step's direction, theta <- theta - H^-1 X^T "
            "(lambda - y), and that H holds the weights diag(lambda).",
            "eq-ch03-poisson-hessian",
        ),
        "wrong": Hint(
            "A different point: the gradient X^T (lambda - y) must vanish at the answer, with "
            "lambda = exp(X theta). Check that you stop on the gradient, not after a fixed "
            "number of steps.",
            "thm-ch03-poisson-convex",
        ),
    },
)


# -- ex-ch03-held-out --------------------------------------------------------------------------
def _held_out_cases() -> list[Case]:
    # Odd training sizes only: with an even number of points every value between the two
    # middle ones is a Laplace MLE of the location, and the held-out score depends on which.
    rng = np.random.default_rng(304)
    train_t = rng.standard_t(3, size=301) * 2.0 + 1.0
    test_t = rng.standard_t(3, size=200) * 2.0 + 1.0
    normal_train, normal_test = rng.normal(0.0, 1.0, 7).round(3), rng.normal(0.0, 1.0, 5).round(3)
    return [
        Case(
            "typical",
            (normal_train, normal_test),
            note="7 training and 5 held-out points from N(0, 1)",
        ),
        Case(
            "typical",
            (np.array([-1.0, 0.0, 1.0]), np.array([0.0])),
            note="the smallest sample: 3 training points, 1 held-out point",
        ),
        Case("typical", (train_t, test_t), note="301 and 200 points from a Student-t(3)"),
        Case(
            "extremes",
            (np.array([-1.0, 0.0, 1.0, 0.5, -0.5]), np.array([0.0, 40.0])),
            note="a held-out point at 40: its Gaussian density underflows to 0",
        ),
        Case(
            "extremes",
            (1e-8 * np.array([-1.0, 2.0, 0.0, -3.0, 1.0]), 1e-8 * np.array([0.5, -2.0, 1.0])),
            note="a tiny spread, 1e-8: negative NLLs",
        ),
        Case(
            "extremes",
            (1e8 * np.array([-1.0, 2.0, 0.0, -3.0, 1.0]), 1e8 * np.array([0.5, 4.0])),
            note="a huge spread, 1e8",
        ),
        Case(
            "shapes",
            (normal_train[:, None], normal_test[:, None]),
            note="both samples as (n, 1) columns",
        ),
    ]


def _scores(train: np.ndarray, test: np.ndarray, *, ddof: int = 0, loc: str = "median") -> dict:
    """The two held-out scores, with the variant fits the diagnoses look for."""
    with np.errstate(all="ignore"):  # a variant fit may have a zero scale: inf, no warning
        return _scores_unguarded(train, test, ddof=ddof, loc=loc)


def _scores_unguarded(train: np.ndarray, test: np.ndarray, *, ddof: int, loc: str) -> dict:
    mu, sigma = train.mean(), train.std(ddof=ddof)
    centre = np.median(train) if loc == "median" else train.mean()
    b = np.mean(np.abs(train - centre))
    gauss = np.log(sigma) + 0.5 * np.log(2 * np.pi) + np.mean((test - mu) ** 2) / (2 * sigma**2)
    laplace = np.log(2 * b) + np.mean(np.abs(test - centre)) / b
    return {"gaussian": float(gauss), "laplace": float(laplace)}


def _floored_gaussian(train: np.ndarray, test: np.ndarray, eps: float = 1e-6) -> float:
    """The Gaussian's held-out score with the variance clamped below at eps (PyTorch's floor)."""
    var = max(float(train.var()), eps)
    return float(
        0.5 * np.log(var)
        + 0.5 * np.log(2 * np.pi)
        + np.mean((test - train.mean()) ** 2) / (2 * var)
    )


def _held_out_diagnose(case: Case, expected: object, got: object) -> str | None:
    if not isinstance(got, dict):
        return "not_a_dict"
    if sorted(got) != ["gaussian", "laplace"]:
        return "keys"
    exp = cast(dict[str, float], expected)
    try:
        g = {k: float(np.asarray(got[k], dtype=np.float64)) for k in got}
    except (TypeError, ValueError):
        return "wrong"  # not a number: the generic text
    if not all(math.isfinite(v) for v in g.values()):
        return "nonfinite"
    train = np.asarray(case.args[0], dtype=np.float64).ravel()
    test = np.asarray(case.args[1], dtype=np.float64).ravel()
    e_g, e_l = exp["gaussian"], exp["laplace"]
    if _close(g["gaussian"], e_l) and _close(g["laplace"], e_g) and not _close(e_g, e_l):
        return "swapped"
    if train.var() < 1e-6 and _close(g["gaussian"], _floored_gaussian(train, test)):
        return "variance_floor"
    if _close(g["gaussian"], _scores(train, test, ddof=1)["gaussian"]):
        return "ddof"
    if _close(g["laplace"], _scores(train, test, loc="mean")["laplace"]):
        return "laplace_mean"
    if test.size > 1 and all(_close(g[k], test.size * exp[k]) for k in g):
        return "sum"
    on_test = _scores(test, test)
    if test.size > 2 and all(_close(g[k], on_test[k]) for k in g):
        return "fit_on_test"
    if _close(g["gaussian"] + 0.5 * math.log(2 * math.pi), e_g) or _close(
        g["laplace"] + math.log(2), e_l
    ):
        return "constant"
    return None


_HELD_OUT = Exercise(
    label="ex-ch03-held-out",
    title="Gaussian or Laplace?",
    signature='held_out_mean_nll(y_train, y_test) -> {"gaussian": float, "laplace": float}',
    chapter=3,
    reference=sol.held_out_mean_nll,
    cases=_held_out_cases,
    diagnose=_held_out_diagnose,
    name="held_out_mean_nll",
    hints={
        "not_a_dict": Hint(
            'Return a dictionary {"gaussian": ..., "laplace": ...}: each model\'s mean NLL on '
            "y_test.",
            "ex-ch03-held-out",
        ),
        "keys": Hint(
            'The dictionary has exactly the keys "gaussian" and "laplace" (lower case).',
            "ex-ch03-held-out",
        ),
        "nonfinite": Hint(
            "inf or NaN: a held-out point far out has a density that underflows to 0, and "
            "log 0 = -inf. Write the log-density itself, log(sigma) + log(2 pi)/2 + "
            "(y - mu)^2 / (2 sigma^2) and log(2 b) + |y - mu| / b, never log(pdf).",
            "ex-ch03-held-out",
        ),
        "swapped": Hint(
            'The two scores are swapped: "gaussian" holds the Laplace\'s mean NLL and the reverse.',
            "ex-ch03-held-out",
        ),
        "variance_floor": Hint(
            "Your Gaussian score is that of a variance clamped at 1e-6, as "
            "mlecourse.losses.gaussian_nll and PyTorch's GaussianNLLLoss clamp it by default "
            "(eps=1e-6). Here the fitted sigma is below 1e-3, its variance below that floor: "
            "pass an eps below sigma^2, or write the log-density, log(sigma) + log(2 pi)/2 + "
            "(y - mu)^2 / (2 sigma^2), yourself.",
            "ex-ch03-held-out",
        ),
        "ddof": Hint(
            "The Gaussian's MLE of sigma divides by n (np.std's default, ddof=0), not by n - 1: "
            "the unbiased variance is not the maximum-likelihood one (chapter 2).",
            "ex-ch03-held-out",
        ),
        "laplace_mean": Hint(
            "The Laplace's MLE of the location is the median of y_train, not its mean; its "
            "scale b is the mean absolute deviation from that median (chapter 2).",
            "ex-ch03-held-out",
        ),
        "sum": Hint(
            "Each score is the sum over the held-out points, n times too large: the exercise "
            "asks for the mean NLL per point.",
            "ex-ch03-held-out",
        ),
        "fit_on_test": Hint(
            "Your parameters come from y_test: fit on y_train, then score on y_test. Fitted on "
            "the points it is scored on, a model looks better than it predicts.",
            "sec-ch03-held-out",
        ),
        "constant": Hint(
            "Off by a constant: the Gaussian's NLL has log(2 pi)/2 per point, the Laplace's "
            "log 2 (its density is exp(-|y - mu| / b) / (2 b)). A held-out comparison needs "
            "every constant, since the two models drop different ones.",
            "ex-ch03-held-out",
        ),
        "wrong": Hint(
            "Fit on y_train: the Gaussian's mean and standard deviation (1/n), the Laplace's "
            "median and mean absolute deviation from it; then average the negative "
            "log-densities over y_test.",
            "ex-ch03-held-out",
        ),
    },
)


# -- ex-ch03-conditional -----------------------------------------------------------------------
def _conditional_cases() -> list[Case]:
    rng = np.random.default_rng(305)
    x_small = rng.normal(0.3, 1.0, 12).round(2)
    y_small = rng.poisson(np.exp(0.3 * x_small)).astype(float)
    rng_c = np.random.default_rng(10)  # the chapter's 300 pairs
    x_c = rng_c.normal(0.7, 1.0, size=300)
    y_c = rng_c.poisson(np.exp(0.7 * x_c)).astype(float)
    x_neg = rng.normal(-1.5, 1.0, 40).round(2)
    y_neg = rng.poisson(np.exp(-1.5 * x_neg)).astype(float)
    x_far = rng.normal(3.0, 1.0, 20).round(2)
    y_far = rng.poisson(np.exp(0.7 * x_far)).astype(float)
    return [
        Case("typical", (x_small, y_small), note="12 pairs, theta = 0.3"),
        Case("typical", (x_c, y_c), note="the chapter's 300 pairs, theta = 0.7"),
        Case(
            "typical",
            (np.array([1.0, -1.0]), np.array([1.0, 1.0])),
            note="two pairs: both estimates are 0",
        ),
        Case(
            "extremes",
            (np.array([2.0]), np.array([3.0])),
            note="one pair: the conditional MLE is log(3) / 2",
        ),
        Case("extremes", (x_neg, y_neg), note="theta = -1.5, inputs around -1.5: counts up to 118"),
        Case("extremes", (x_far, y_far), note="inputs around 3: counts up to 31"),
        Case("shapes", (x_small[:, None], y_small[:, None]), note="(n, 1) columns"),
    ]


def _conditional_compare(expected: object, got: object, case: Case) -> bool:
    # The estimates are roots of increasing functions: any root finder or optimiser that is
    # run to convergence meets 1e-5 (SciPy's bounded minimize_scalar stops at 1e-5).
    return _close(got, expected, rtol=1e-6, atol=1e-5)


def _conditional_diagnose(case: Case, expected: object, got: object) -> str | None:
    g = _floats(got)
    if g is None or g.shape != (2,):
        return "pair"
    if not np.all(np.isfinite(g)):
        return "nonfinite"
    cond, joint = (float(v) for v in cast(tuple[float, float], expected))
    x = np.asarray(case.args[0], dtype=np.float64).ravel()
    y = np.asarray(case.args[1], dtype=np.float64).ravel()

    def close(a: float, b: float) -> bool:
        return _close(a, b, rtol=1e-6, atol=1e-5)

    distinct = not close(cond, joint)
    if distinct and close(g[0], joint) and close(g[1], cond):
        return "swapped"
    if distinct and close(g[0], cond) and close(g[1], cond):
        return "dropped"
    if close(g[0], cond) and not close(g[1], joint):

        def plus(theta: float) -> float:  # the joint derivative with the sign of x - theta flipped
            return float(np.sum((np.exp(theta * x) - y) * x) + np.sum(x - theta))

        if abs(plus(float(g[1]))) < 1e-4 * (1.0 + np.sum(np.abs(x))):
            return "joint_sign"
        return "joint"
    return None


_CONDITIONAL = Exercise(
    label="ex-ch03-conditional",
    title="When the inputs' distribution cannot be dropped",
    signature="conditional_and_joint_mle(x, y) -> (theta_conditional, theta_joint)",
    chapter=3,
    reference=sol.conditional_and_joint_mle,
    cases=_conditional_cases,
    compare=_conditional_compare,
    diagnose=_conditional_diagnose,
    hints={
        "pair": Hint(
            "Return two numbers, (theta_conditional, theta_joint): the conditional estimate first.",
            "ex-ch03-conditional",
        ),
        "swapped": Hint(
            "The two estimates are in the wrong order: the conditional one first, then the "
            "joint one.",
            "ex-ch03-conditional",
        ),
        "dropped": Hint(
            "Your joint estimate equals the conditional one: you dropped log p(x_i | theta), "
            "but here it depends on theta (x_i ~ N(theta, 1)), so it stays in the joint NLL as "
            "sum_i (x_i - theta)^2 / 2.",
            "eq-ch03-conditional",
        ),
        "joint_sign": Hint(
            "The joint estimate solves the wrong equation: the derivative of "
            "sum_i (x_i - theta)^2 / 2 in theta is -sum_i (x_i - theta), so the joint "
            "derivative is sum_i (exp(theta x_i) - y_i) x_i - sum_i (x_i - theta).",
            "eq-ch03-conditional",
        ),
        "joint": Hint(
            "The conditional estimate is right, the joint one is not: the joint NLL is the "
            "conditional one plus sum_i (x_i - theta)^2 / 2, the NLL of the inputs under "
            "N(theta, 1).",
            "eq-ch03-conditional",
        ),
        "nonfinite": Hint(
            "inf or NaN: the search for the root left the range where exp(theta x_i) is "
            "finite. Both derivatives increase with theta: bracket the root from a small "
            "interval outwards, then bisect.",
            "thm-ch03-poisson-convex",
        ),
        "wrong": Hint(
            "The conditional NLL is sum_i (exp(theta x_i) - y_i theta x_i), whose derivative "
            "is sum_i (exp(theta x_i) - y_i) x_i: the log-rate theta x_i has derivative x_i.",
            "eq-ch03-poisson-nll",
        ),
    },
)

EXERCISES = (_NEWTON, _HELD_OUT, _CONDITIONAL)
