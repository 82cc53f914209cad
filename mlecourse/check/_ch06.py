"""Chapter 6's batteries: the profile NLL, the Laplace MLE, weighted least squares, a gradient.

Each battery compares the reader's function with the tested solution in
:mod:`mlecourse.solutions.ch06` on typical inputs and on the traps the chapter names: the
maximum-likelihood sigma^2 is the MSE (divided by n, around 0, not the residuals' variance);
the total NLL, not the mean, with its constant; the (N, 1)-against-(N,) broadcast, which the
profile exercise asks to refuse; the Laplace location is a median (any median, for an even
sample) and the scale the mean absolute deviation from it; known noise levels divide the rows
by sigma_i (weights 1/sigma_i^2); and the two bugs of the hand-written gradient, the sign of
the mean's and the variance multiplied instead of divided, at tiny and huge variances. Every
exercise of the chapter asks for code, so every one has a battery.
"""

from __future__ import annotations

import math

import numpy as np

from mlecourse.check._core import Case, Exercise, Hint
from mlecourse.solutions import ch06 as sol


def _floats(x: object) -> np.ndarray | None:
    """``x`` as a float64 array, or ``None`` when it is not numeric."""
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _close(got: object, value: object, *, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    """Whether ``got`` equals ``value`` (same shape, both finite) to the tolerances."""
    g, v = _floats(got), _floats(value)
    if g is None or v is None or g.shape != v.shape:
        return False
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(v))):
        return False
    return bool(np.allclose(g, v, rtol=rtol, atol=atol))


def _pair(got: object) -> tuple[object, object] | None:
    """The reader's two results, or ``None`` when ``got`` is not a pair."""
    if isinstance(got, np.ndarray) and got.shape[:1] == (2,):
        return got[0], got[1]
    if isinstance(got, (tuple, list)) and len(got) == 2:
        return got[0], got[1]
    return None


# -- ex-ch06-profile ---------------------------------------------------------------------------
def _profile_cases() -> list[Case]:
    rng = np.random.default_rng(606)
    y = rng.normal(0.0, 1.0, 8).round(2)
    pred = (y - rng.normal(0.3, 0.5, 8)).round(2)  # residuals with a mean of about 0.3
    small = rng.normal(0.0, 1.0, 5).round(2)
    return [
        Case("typical", (y, pred), note="8 examples; the residuals do not average to 0"),
        Case(
            "typical",
            (np.array([1.0, -1.0]), np.array([0.0, 0.0])),
            note="MSE = 1: (n/2)(1 + log 2 pi)",
        ),
        Case("extremes", (np.array([3.0]), np.array([1.0])), note="a single example, MSE = 4"),
        Case(
            "extremes",
            (1e-8 * small, np.zeros(5)),
            note="residuals of 1e-8: a negative NLL",
        ),
        Case("extremes", (1e8 * small, np.zeros(5)), note="residuals of 1e8"),
        Case(
            "float32",
            (y.astype(np.float32), pred.astype(np.float32)),
            rtol=1e-5,
            atol=1e-6,
            note="float32 inputs",
        ),
        Case("shapes", (y[:, None], pred[:, None]), note="both (N, 1) columns"),
        Case(
            "errors",
            (y, pred[:, None]),
            raises=ValueError,
            note="(N,) targets against (N, 1) predictions",
        ),
    ]


def _profile_at(n: int, mse: float) -> float:
    return n / 2 * (1.0 + math.log(2 * math.pi * mse))


def _profile_diagnose(case: Case, expected: object, got: object) -> str | None:
    g = _floats(got)
    if g is None or g.shape != () or not np.isfinite(g):
        return None
    u = (np.asarray(case.args[0], np.float64) - np.asarray(case.args[1], np.float64)).ravel()
    n, e = u.size, float(expected)  # type: ignore[arg-type]
    if n > 1 and np.var(u) > 0 and _close(g, _profile_at(n, float(np.var(u)))):
        return "variance"
    if n > 1 and _close(g, _profile_at(n, float(np.sum(u**2) / (n - 1)))):
        return "ddof"
    constants = (n / 2 * math.log(2 * math.pi), n / 2, n / 2 * (1 + math.log(2 * math.pi)))
    if any(_close(g, e - c) for c in constants):
        return "constant"
    return None


_PROFILE = Exercise(
    label="ex-ch06-profile",
    title="The NLL at the best σ",
    signature="profile_gaussian_nll(y_true, y_pred) -> float",
    chapter=6,
    reference=sol.profile_gaussian_nll,
    cases=_profile_cases,
    diagnose=_profile_diagnose,
    hints={
        "variance": Hint(
            "You used the variance of the residuals (around their mean). The maximum-likelihood "
            "sigma^2 is the MSE, the mean of the squared residuals around 0: the predictions "
            "are the Gaussian's mean, and the residuals need not average to 0.",
            "eq-ch06-sigma-hat",
        ),
        "ddof": Hint(
            "You divided the sum of squared errors by n - 1. The maximum-likelihood sigma^2 "
            "divides by n: sigma_hat^2 = SSE / n = MSE.",
            "eq-ch06-sigma-hat",
        ),
        "constant": Hint(
            "Off by a constant: the minimum is (n/2)(1 + log(2 pi MSE)). Keep the 1 (from "
            "SSE / (2 sigma_hat^2) = n/2) and the 2 pi of the density.",
            "eq-ch06-profile",
        ),
        "factor": Hint(
            "Off by a constant factor: the exercise asks for the total NLL, a sum over the n "
            "examples, (n/2)(1 + log(2 pi MSE)); not the mean, and with the factor 1/2.",
            "eq-ch06-profile",
        ),
        "raised": Hint(
            "Your function raised. On (N,) targets against (N, 1) predictions the exercise asks "
            "for a ValueError (an assert raises AssertionError instead); on every other case, "
            "(N, 1) columns and a single example included, it must return the NLL.",
            "ex-ch06-profile",
        ),
        "wrong_error": Hint(
            "On (N,) targets against (N, 1) predictions the exercise asks for a ValueError; an "
            "assert raises AssertionError instead. Compare the shapes and raise ValueError.",
            "ex-ch06-profile",
        ),
        "no_error": Hint(
            "(N,) targets against (N, 1) predictions broadcast to an (N, N) matrix of every "
            "target minus every prediction. Compare the shapes and raise a ValueError.",
            "sec-ch06-shapes",
        ),
        "nonfinite": Hint(
            "inf or NaN: with a single example the residuals' variance (or SSE / (n - 1)) is "
            "0 / 0 or log 0. The maximum-likelihood sigma^2 is the MSE, SSE / n.",
            "eq-ch06-sigma-hat",
        ),
        "wrong": Hint(
            "The minimum over sigma of the total NLL is (n/2)(1 + log(2 pi MSE)) with "
            "MSE = mean((y_true - y_pred)^2).",
            "eq-ch06-profile",
        ),
    },
)


# -- ex-ch06-laplace-scale ---------------------------------------------------------------------
def _laplace_cases() -> list[Case]:
    rng = np.random.default_rng(608)
    odd = rng.laplace(1.0, 2.0, 7).round(2)
    even = rng.laplace(-0.5, 1.0, 6).round(2)
    return [
        Case("typical", (odd,), note="7 values: one median"),
        Case("typical", (even,), note="6 values: any point between the middle two is a median"),
        Case("typical", (np.array([0.0, 1.0, 5.0]),), note="(1, 5/3)"),
        Case(
            "extremes",
            (np.array([0.0, 1.0, 2.0, 3.0, 100.0]),),
            note="an outlier: the median stays at 2",
        ),
        Case("extremes", (np.full(4, 2.5),), note="no spread: the scale is 0"),
        Case("extremes", (1e-8 * odd,), note="a scale of about 1e-8"),
        Case("extremes", (1e8 * even,), note="a scale of about 1e8"),
        Case("float32", (odd.astype(np.float32),), rtol=1e-5, atol=1e-6, note="float32 values"),
        Case("shapes", (odd[:, None],), note="an (N, 1) column"),
    ]


def _medians(case: Case) -> tuple[float, float]:
    """The smallest and the largest median of the case's sample."""
    y = np.sort(np.asarray(case.args[0], np.float64).ravel())
    return float(y[(y.size - 1) // 2]), float(y[y.size // 2])


def _laplace_compare(expected: object, got: object, case: Case) -> bool:
    parts = _pair(got)
    if parts is None:
        return False
    loc, scale = _floats(parts[0]), _floats(parts[1])
    if loc is None or scale is None or loc.shape != () or scale.shape != ():
        return False
    lo, hi = _medians(case)
    slack = case.rtol * max(abs(lo), abs(hi)) + case.atol
    in_between = lo - slack <= float(loc) <= hi + slack
    scale_ref = _floats(expected)[1]  # type: ignore[index]  # the reference's (loc, scale)
    return in_between and _close(scale, scale_ref, rtol=case.rtol, atol=case.atol)


def _laplace_diagnose(case: Case, expected: object, got: object) -> str | None:
    parts = _pair(got)
    if parts is None:
        return "pair"
    loc, scale = _floats(parts[0]), _floats(parts[1])
    if loc is None or scale is None or loc.shape != () or scale.shape != ():
        return "pair"
    if not (np.isfinite(loc) and np.isfinite(scale)):
        return "nonfinite"
    if _laplace_compare(expected, (parts[1], parts[0]), case):
        return "order"
    y = np.asarray(case.args[0], np.float64).ravel()
    lo, hi = _medians(case)
    loc_ok = lo - 1e-9 * max(abs(lo), 1.0) <= float(loc) <= hi + 1e-9 * max(abs(hi), 1.0)
    mean = float(np.mean(y))
    if not loc_ok and _close(loc, mean):
        return "mean"
    if loc_ok:
        med = float(loc)
        if _close(scale, np.mean(np.abs(y - mean))):
            return "scale_around_mean"
        if _close(scale, np.std(y)) or _close(scale, np.sqrt(np.mean((y - med) ** 2))):
            return "std"
        if _close(scale, np.median(np.abs(y - med))):
            return "mad"
        if y.size > 1 and _close(scale, np.sum(np.abs(y - med)) / (y.size - 1)):
            return "n_minus_1"
    return None


_LAPLACE = Exercise(
    label="ex-ch06-laplace-scale",
    title="The Laplace scale",
    signature="laplace_mle(y) -> (loc, scale)",
    chapter=6,
    reference=sol.laplace_mle,
    cases=_laplace_cases,
    compare=_laplace_compare,
    diagnose=_laplace_diagnose,
    hints={
        "pair": Hint(
            "Return two numbers, (loc, scale): the location first, then the scale b.",
            "ex-ch06-laplace-scale",
        ),
        "order": Hint(
            "Both numbers are right but in the wrong order: return (loc, scale), the median "
            "first, then the scale b.",
            "ex-ch06-laplace-scale",
        ),
        "mean": Hint(
            "Your location is the mean. The Laplace NLL's location term is sum |y_i - mu|, "
            "which a median minimises (chapter 2); the mean minimises the squared error.",
            "eq-ch06-laplace-nll",
        ),
        "scale_around_mean": Hint(
            "The scale is the mean absolute deviation from the median (the fitted location), "
            "not from the mean.",
            "eq-ch06-laplace-nll",
        ),
        "std": Hint(
            "That is a standard deviation (a root-mean-square deviation). The Laplace's "
            "maximum-likelihood scale is the mean absolute deviation, b = mean |y_i - mu|.",
            "eq-ch06-laplace-nll",
        ),
        "mad": Hint(
            "That is the median absolute deviation. Setting dNLL/db = n/b - sum|y_i - mu| / b^2 "
            "to 0 gives the mean of the absolute deviations.",
            "eq-ch06-laplace-nll",
        ),
        "n_minus_1": Hint(
            "You divided by n - 1. The maximum-likelihood scale divides the sum of absolute "
            "deviations by n.",
            "eq-ch06-laplace-nll",
        ),
        "wrong": Hint(
            "loc is a median of y (for an even sample any point between the two middle "
            "values), and scale the mean absolute deviation from it.",
            "eq-ch06-laplace-nll",
        ),
    },
)


# -- ex-ch06-wls -------------------------------------------------------------------------------
def _wls_cases() -> list[Case]:
    rng = np.random.default_rng(607)
    n = 6
    x = rng.uniform(-2.0, 2.0, n).round(2)
    X = np.column_stack([x, np.ones(n)])
    sigma = rng.uniform(0.1, 2.0, n).round(2)
    y = (2.0 * x - 1.0 + sigma * rng.normal(size=n)).round(3)
    sigma_wide = np.array([1e-3, 30.0, 0.02, 1e3, 0.5, 60.0])
    y_wide = (2.0 * x - 1.0 + sigma_wide * rng.normal(size=n)).round(3)
    X3 = np.column_stack([x, x**2, np.ones(n)])
    return [
        Case("typical", (X, y, sigma), note="6 examples, a slope and an intercept"),
        Case(
            "typical",
            (X[:3], np.array([1.0, 3.0, 5.0]), np.array([1.0, 0.5, 2.0])),
            note="3 examples on an exact line",
        ),
        Case("extremes", (X, y_wide, sigma_wide), rtol=1e-9, note="sigma from 1e-3 to 1e3"),
        Case("extremes", (X, y, np.full(n, 1e-6)), rtol=1e-9, note="every sigma 1e-6"),
        Case("extremes", (X, y, np.full(n, 1e6)), rtol=1e-9, note="every sigma 1e6"),
        Case(
            "float32",
            (X.astype(np.float32), y.astype(np.float32), sigma.astype(np.float32)),
            rtol=1e-4,
            atol=1e-5,
            note="float32 inputs",
        ),
        Case("shapes", (x[:, None], y, sigma), note="one column: X is (N, 1)"),
        Case("shapes", (X3, y, sigma), rtol=1e-9, note="three columns"),
    ]


def _wls_fit(X: np.ndarray, y: np.ndarray, row_factor: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(X * row_factor[:, None], y * row_factor, rcond=None)[0]


def _wls_diagnose(case: Case, expected: object, got: object) -> str | None:
    g = _floats(got)
    e = _floats(expected)
    if g is None or e is None or g.shape != e.shape or not np.all(np.isfinite(g)):
        return None
    X, y, sigma = (np.asarray(a, np.float64) for a in case.args)
    variants = {
        "squared": _wls_fit(X, y, 1 / sigma**2),
        "weights_one_over_sigma": _wls_fit(X, y, 1 / np.sqrt(sigma)),
        "unweighted": _wls_fit(X, y, np.ones_like(sigma)),
        "y_only": np.linalg.lstsq(X, y / sigma, rcond=None)[0],
        "multiplied": _wls_fit(X, y, sigma),
    }
    for code, w in variants.items():
        if _close(g, w, rtol=1e-6) and not _close(w, expected, rtol=1e-6):
            return code
    return None


_WLS = Exercise(
    label="ex-ch06-wls",
    title="Known, unequal noise: weighted least squares",
    signature="weighted_least_squares(X, y, sigma) -> (d,) array",
    chapter=6,
    reference=sol.weighted_least_squares,
    cases=_wls_cases,
    diagnose=_wls_diagnose,
    hints={
        "squared": Hint(
            "You divided the rows by sigma_i^2. The NLL is a constant plus "
            "1/2 sum((y_i - x_i^T w) / sigma_i)^2: divide each row of X and y by sigma_i, and "
            "the square of the residual makes the weight 1/sigma_i^2.",
            "eq-ch06-hetero",
        ),
        "weights_one_over_sigma": Hint(
            "You weighted the squared residuals by 1/sigma_i (rows divided by sqrt(sigma_i)). "
            "The Gaussian NLL weights them by 1/sigma_i^2 (sklearn's sample_weight = "
            "1 / sigma**2).",
            "eq-ch06-hetero",
        ),
        "unweighted": Hint(
            "sigma had no effect: this is ordinary least squares. Divide each row of X and "
            "each y_i by sigma_i before solving.",
            "eq-ch06-hetero",
        ),
        "y_only": Hint(
            "You divided y by sigma_i but not the rows of X: the residual y_i - x_i^T w is "
            "divided as a whole, so both sides are.",
            "eq-ch06-hetero",
        ),
        "multiplied": Hint(
            "You multiplied by sigma_i: a noisy example must count less, so divide by it.",
            "eq-ch06-hetero",
        ),
        "raised": Hint(
            "Your function raised. To divide each row of the (n, d) matrix X by its sigma_i, "
            "give sigma an axis: X / sigma[:, None].",
            "ex-ch06-wls",
        ),
        "wrong": Hint(
            "The maximum-likelihood weights solve ordinary least squares on the rows "
            "x_i / sigma_i and the targets y_i / sigma_i (np.linalg.lstsq).",
            "thm-ch06-least-squares",
        ),
    },
)


# -- ex-ch06-debug-gradient --------------------------------------------------------------------
def _gradient_cases() -> list[Case]:
    rng = np.random.default_rng(609)
    y, mean, log_var = rng.normal(0.0, 1.0, (3, 4)).round(2)
    return [
        Case("typical", (y, mean, log_var), note="4 examples"),
        Case(
            "typical",
            (np.array([1.0]), np.array([0.0]), np.array([0.0])),
            note="u = 1, variance 1: (-1, 0)",
        ),
        Case(
            "extremes",
            (np.array([1.0, 0.5]), np.array([0.0, 0.0]), np.array([-30.0, 30.0])),
            note="log-variances of -30 and 30",
        ),
        Case(
            "extremes",
            (np.array([0.5, 2.0]), np.array([0.0, 0.0]), np.array([-300.0, 300.0])),
            note="log-variances of -300 and 300",
        ),
        Case(
            "float32",
            tuple(a.astype(np.float32) for a in (y, mean, log_var)),
            rtol=1e-5,
            atol=1e-6,
            note="float32 inputs",
        ),
        Case(
            "shapes",
            (y[:, None], mean[:, None], log_var[:, None]),
            note="(N, 1) columns: (N, 1) gradients",
        ),
    ]


def _gradient_parts(got: object, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray] | None:
    parts = _pair(got)
    if parts is None:
        return None
    d_mean, d_log_var = _floats(parts[0]), _floats(parts[1])
    if d_mean is None or d_log_var is None or d_mean.shape != shape or d_log_var.shape != shape:
        return None
    return d_mean, d_log_var


def _gradient_diagnose(case: Case, expected: object, got: object) -> str | None:
    y, mean, log_var = (np.asarray(a, np.float64) for a in case.args)
    parts = _gradient_parts(got, y.shape)
    if parts is None:
        return "pair"
    d_mean, d_log_var = parts
    if not (np.all(np.isfinite(d_mean)) and np.all(np.isfinite(d_log_var))):
        return "nonfinite"
    e_mean, e_log_var = (np.asarray(part, np.float64) for part in expected)  # type: ignore[attr-defined]
    if _close(d_mean, e_log_var) and _close(d_log_var, e_mean):
        return "order"
    u, v = y - mean, np.exp(log_var)
    with np.errstate(over="ignore"):
        times_v = 0.5 * (1 - u**2 * v)
    mean_flipped = _close(d_mean, -e_mean) and not _close(d_mean, e_mean)
    log_var_times_v = _close(d_log_var, times_v) and not _close(times_v, e_log_var)
    if mean_flipped and log_var_times_v:
        return "both"
    if mean_flipped:
        return "mean_sign"
    if log_var_times_v:
        return "times_variance"
    if _close(d_mean, e_mean):
        if _close(d_log_var, (v - u**2) / (2 * v**2)):
            return "variance_coordinate"
        if _close(d_log_var, (v - u**2) / v**1.5):
            return "std_coordinate"
    return None


_GRADIENT = Exercise(
    label="ex-ch06-debug-gradient",
    title="Debug a hand-written gradient",
    signature="gaussian_nll_gradients(y_true, mean, log_variance) -> (d_mean, d_log_var)",
    chapter=6,
    reference=sol.gaussian_nll_gradients,
    cases=_gradient_cases,
    diagnose=_gradient_diagnose,
    hints={
        "pair": Hint(
            "Return two arrays, (d_mean, d_log_var), each of the shape of y_true.",
            "ex-ch06-debug-gradient",
        ),
        "order": Hint(
            "Both derivatives are right but in the wrong order: return (d_mean, d_log_var), "
            "as the buggy version does.",
            "ex-ch06-debug-gradient",
        ),
        "both": Hint(
            "Both bugs are still there: the mean's derivative has the wrong sign, and the "
            "log-variance's multiplies u^2 by v where it should divide.",
            "eq-ch06-param-grads",
        ),
        "mean_sign": Hint(
            "d_mean has the wrong sign: dL/dmu = -(y - mu) / v = (mu - y) / v. With the sign "
            "flipped, gradient descent moves the mean away from the data.",
            "eq-ch06-mean-grad",
        ),
        "times_variance": Hint(
            "d_log_var multiplies u^2 by v: dL/dlog(sigma^2) = (1 - u^2 / v) / 2, a division "
            "by v = exp(log_var).",
            "eq-ch06-param-grads",
        ),
        "variance_coordinate": Hint(
            "That is the derivative in the variance v. The exercise asks for the one in the "
            "log-variance: multiply by dv/dlog(sigma^2) = v, giving (1 - u^2 / v) / 2.",
            "eq-ch06-param-grads",
        ),
        "std_coordinate": Hint(
            "That is the derivative in the standard deviation sigma. The exercise asks for the "
            "one in the log-variance, (1 - u^2 / v) / 2.",
            "eq-ch06-param-grads",
        ),
        "nonfinite": Hint(
            "inf or NaN at a log-variance of +-300, where both derivatives are finite: "
            "v = exp(+-300) is finite, but a higher power of it overflows or underflows "
            "(v^3 = exp(900) = inf), and 0 * inf is NaN. Divide by v once: "
            "d_mean = (mean - y) / v, d_log_var = (1 - u^2 / v) / 2.",
            "eq-ch06-param-grads",
        ),
        "wrong": Hint(
            "With v = exp(log_var) and u = y - mean: d_mean = -u / v and "
            "d_log_var = (1 - u^2 / v) / 2.",
            "eq-ch06-param-grads",
        ),
    },
)

EXERCISES = (_PROFILE, _LAPLACE, _WLS, _GRADIENT)
