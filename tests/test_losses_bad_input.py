"""Bad input to every public loss: the exception type, and a message naming the argument, what was
expected and the value received (``pytest.raises(match=...)`` checks both).

The matrix is built from cases shared by all fifteen functions (shapes, (N, 1) vs (N,), NaN/inf,
empty arrays, non-numeric input, unknown reduction, bad sample weights) plus the cases specific
to each function. ``test_case_count`` pins the size of the matrix, so that a case cannot vanish
silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

from mlecourse import losses as L

Case = tuple[str, Callable[[], object], type[Exception], str]

# name -> (function, kwargs making a valid call, name of the prediction argument, a valid y_true
# and prediction of 3 elements / rows)
Z3 = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]])
FUNCTIONS = {
    "binary_cross_entropy": (L.binary_cross_entropy, {}, "y_pred", [1, 0, 1], [0.9, 0.2, 0.6]),
    "categorical_cross_entropy": (L.categorical_cross_entropy, {}, "y_pred", np.eye(3), Z3),
    "sparse_categorical_cross_entropy": (
        L.sparse_categorical_cross_entropy,
        {},
        "y_pred",
        [2, 0, 1],
        Z3,
    ),
    "mean_squared_error": (L.mean_squared_error, {}, "y_pred", [1.0, 2.0, 3.0], [1.0, 2.5, 3.0]),
    "mean_absolute_error": (L.mean_absolute_error, {}, "y_pred", [1.0, 2.0, 3.0], [1.0, 2.5, 3.0]),
    "gaussian_nll": (L.gaussian_nll, {"std": 1.0}, "mean", [1.0, 2.0, 3.0], [1.0, 2.5, 3.0]),
    "poisson_nll": (L.poisson_nll, {}, "y_pred", [1, 0, 4], [0.1, -0.5, 1.0]),
    "laplace_nll": (L.laplace_nll, {"scale": 2.0}, "loc", [1.0, 2.0, 3.0], [1.0, 2.5, 3.0]),
    # heavy tails, counts, positive targets, robust and quantile regression, focal
    "student_t_nll": (L.student_t_nll, {"df": 3.0}, "loc", [1.0, 2.0, 3.0], [1.0, 2.5, 3.0]),
    "negative_binomial_nll": (
        L.negative_binomial_nll,
        {"total_count": 2.0},
        "mean",
        [1, 0, 4],
        [0.5, 1.0, 2.0],
    ),
    "gamma_nll": (L.gamma_nll, {"concentration": 2.0}, "mean", [1.0, 2.0, 3.0], [1.0, 2.5, 3.0]),
    "lognormal_nll": (L.lognormal_nll, {"scale": 1.0}, "loc", [1.0, 2.0, 3.0], [0.0, 0.5, 1.0]),
    "huber_loss": (L.huber_loss, {}, "y_pred", [1.0, 2.0, 3.0], [1.0, 2.5, 3.0]),
    "pinball_loss": (L.pinball_loss, {"quantile": 0.9}, "y_pred", [1.0, 2.0, 3.0], [1.0, 2.5, 3.0]),
    "binary_focal_loss": (L.binary_focal_loss, {}, "y_pred", [1, 0, 1], [0.9, 0.2, 0.6]),
}


def call(name: str, y=None, pred=None, **overrides) -> Callable[[], object]:
    fn, kwargs, _, y0, p0 = FUNCTIONS[name]
    y = y0 if y is None else y
    pred = p0 if pred is None else pred
    return lambda: fn(y, pred, **{**kwargs, **overrides})


def common_cases(name: str) -> list[Case]:
    _, _, pred_name, y0, p0 = FUNCTIONS[name]
    y0, p0 = np.asarray(y0), np.asarray(p0, dtype=float)
    per_example = (3,)
    cases: list[Case] = []
    if name == "sparse_categorical_cross_entropy":
        cases += [
            (
                "wrong shape",
                call(name, y=[0, 1]),
                ValueError,
                r"y_true must hold one class index per example.*\(3,\); got shape \(2,\)",
            ),
            (
                "(N,1) vs (N,)",
                call(name, y=y0[:, None]),
                ValueError,
                r"y_true .*\(3,\); got shape \(3, 1\) \(a trailing axis of length 1",
            ),
        ]
    else:
        short = y0[:2]
        cases += [
            (
                "wrong shape",
                call(name, y=short),
                ValueError,
                rf"y_true and {pred_name} must have the same shape; "
                rf"got {re.escape(str(short.shape))}",
            ),
            (
                "(N,1) vs (N,)",
                call(name, y=y0[..., None]),
                ValueError,
                rf"y_true and {pred_name} must have the same shape; got "
                rf"{re.escape(str(y0[..., None].shape))} and {re.escape(str(p0.shape))} "
                r"\(one has an extra axis of length 1",
            ),
        ]
    bad_pred = p0.copy()
    bad_pred.flat[1] = np.nan
    cases += [
        (
            "NaN prediction",
            call(name, pred=bad_pred),
            ValueError,
            rf"{pred_name} must be finite; got 1 NaN or infinite value\(s\).*\(nan\)",
        ),
        (
            "empty",
            call(name, y=y0[:0], pred=p0[:0]),
            ValueError,
            rf"{pred_name} must not be empty; got an array of shape \(0,",
        ),
        (
            "unknown reduction",
            call(name, reduction="avg"),
            ValueError,
            r"reduction must be one of \('mean', 'sum', 'none'\); got 'avg'",
        ),
        (
            "non-numeric prediction",
            call(name, pred=np.array(["a", "b", "c"])),
            TypeError,
            rf"{pred_name} must contain real numbers.*got dtype <U1",
        ),
        (
            "sample_weight wrong shape",
            call(name, sample_weight=[1.0, 2.0]),
            ValueError,
            rf"sample_weight must be a scalar or have the shape .*{re.escape(str(per_example))}; "
            r"got \(2,\)",
        ),
        (
            "negative sample_weight",
            call(name, sample_weight=[1.0, -2.0, 1.0]),
            ValueError,
            r"sample_weight must be >= 0; got 1 value\(s\) violating it, values in \[-2, 1\]",
        ),
    ]
    if name != "sparse_categorical_cross_entropy":
        bad_y = y0.astype(float).copy()
        bad_y.flat[0] = np.inf
        cases.append(
            (
                "inf target",
                call(name, y=bad_y),
                ValueError,
                r"y_true must (be finite|be .* in \[0, 1\]); got .*(inf|values in)",
            )
        )
    return cases


BCE, CCE, SCE = (
    "binary_cross_entropy",
    "categorical_cross_entropy",
    "sparse_categorical_cross_entropy",
)
T, NB, GA, LN, HU, PB, FO = (
    "student_t_nll",
    "negative_binomial_nll",
    "gamma_nll",
    "lognormal_nll",
    "huber_loss",
    "pinball_loss",
    "binary_focal_loss",
)
SPECIFIC: list[tuple[str, Case]] = [
    (BCE, ("probabilities outside [0, 1]", call(BCE, pred=[-0.3, 0.5, 1.2]), ValueError,
           r"y_pred must be probabilities in \[0, 1\] when from_logits=False; got values in "
           r"\[-0.3, 1.2\]")),
    (BCE, ("target outside [0, 1]", call(BCE, y=[2, 0, 1]), ValueError,
           r"y_true must be labels \(0/1 or soft labels\) in \[0, 1\]; got values in \[0, 2\]")),
    (BCE, ("pos_weight wrong shape", call(BCE, pos_weight=[1.0, 2.0]), ValueError,
           r"pos_weight must be a scalar, one weight per label .*; got shape \(2,\)")),
    (BCE, ("negative pos_weight", call(BCE, pos_weight=-1.0), ValueError,
           r"pos_weight must be >= 0; .*values in \[-1, -1\]")),
    (BCE, ("label_smoothing above 1", call(BCE, label_smoothing=1.5), ValueError,
           r"label_smoothing must be <= 1; got 1.5")),
    (BCE, ("from_logits not bool", call(BCE, from_logits="yes"), TypeError,
           r"from_logits must be True or False; got 'yes'")),
    (BCE, ("NaN logits", call(BCE, pred=[0.0, np.nan, 1.0], from_logits=True), ValueError,
           r"y_pred must be finite; got 1 NaN .*index \(1,\) \(nan\)")),
    (CCE, ("probabilities outside [0, 1]", call(CCE, pred=Z3 * 2 - 0.5), ValueError,
           r"y_pred must be probabilities in \[0, 1\] when from_logits=False; got values in "
           r"\[-0.3, 1.1\]")),
    (CCE, ("class axis differs", call(CCE, y=np.eye(3)[:, :2]), ValueError,
           r"y_true and y_pred must have the same shape; got \(3, 2\) and \(3, 3\)")),
    (CCE, ("class_weight wrong length", call(CCE, class_weight=[1.0, 2.0]), ValueError,
           r"class_weight must have one weight per class, shape \(3,\); got shape \(2,\)")),
    (CCE, ("negative class_weight", call(CCE, class_weight=[1.0, -2.0, 1.0]), ValueError,
           r"class_weight must be >= 0; .*values in \[-2, 1\]")),
    (CCE, ("axis out of range", call(CCE, axis=2), ValueError,
           r"axis must be in \[-2, 1\] for an array with 2 dimension\(s\); got 2")),
    (CCE, ("axis not an int", call(CCE, axis=1.5), TypeError, r"axis must be an integer; got 1.5")),
    (CCE, ("scalar prediction", call(CCE, y=1.0, pred=0.5), ValueError,
           r"y_pred must have a class axis .*; got a scalar 0.5")),
    (CCE, ("target outside [0, 1]", call(CCE, y=np.eye(3) * 3), ValueError,
           r"y_true must be class probabilities .* in \[0, 1\]; got values in \[0, 3\]")),
    (SCE, ("label out of range", call(SCE, y=[0, 3, 1]), ValueError,
           r"y_true must be class indices in \[0, 2\]; got 1 value\(s\) outside, e.g. 3")),
    (SCE, ("negative label", call(SCE, y=[0, -1, 1]), ValueError,
           r"y_true must be class indices in \[0, 2\]; got 1 value\(s\) outside, e.g. -1")),
    (SCE, ("label out of range with ignore_index", call(SCE, y=[0, 5, -100], ignore_index=-100),
           ValueError, r"y_true must be class indices in \[0, 2\] \(or ignore_index=-100\);.*e.g. "
                       r"5")),
    (SCE, ("non-integer label", call(SCE, y=[0.0, 1.5, 1.0]), ValueError,
           r"y_true must contain whole numbers; got (np.float64\()?1.5\)? at index \(1,\)")),
    (SCE, ("NaN label", call(SCE, y=[0.0, np.nan, 1.0]), ValueError,
           r"y_true must be finite; got 1 NaN .*\(nan\)")),
    (SCE, ("ignore_index not an int", call(SCE, ignore_index="pad"), TypeError,
           r"ignore_index must be an integer; got 'pad'")),
    (SCE, ("class_weight wrong length", call(SCE, class_weight=[1.0, 2.0, 3.0, 4.0]), ValueError,
           r"class_weight must have one weight per class, shape \(3,\); got shape \(4,\)")),
    (SCE, ("probabilities outside [0, 1]", call(SCE, pred=-Z3), ValueError,
           r"y_pred must be probabilities in \[0, 1\] when from_logits=False; got values in "
           r"\[-0.8, -0.1\]")),
    (SCE, ("label_smoothing negative", call(SCE, label_smoothing=-0.1), ValueError,
           r"label_smoothing must be >= 0; got -0.1")),
    ("gaussian_nll", ("negative variance",
                      call("gaussian_nll", std=None, variance=[1.0, -0.5, 2.0]),
                      ValueError, r"variance must be >= 0; got 1 value\(s\).*\[-0.5, 2\]")),
    ("gaussian_nll", ("negative std", call("gaussian_nll", std=-1.0), ValueError,
                      r"std must be >= 0; got 1 value\(s\).*\[-1, -1\]")),
    ("gaussian_nll", ("two of variance/std", call("gaussian_nll", variance=1.0), ValueError,
                      r"at most one of variance, std, log_variance; got variance=1.0, std=1.0")),
    ("gaussian_nll", ("std and log_variance", call("gaussian_nll", log_variance=[0.0, 0.0, 0.0]),
                      ValueError, r"at most one of .*; got std=1.0, log_variance=an array of shape "
                                  r"\(3,\)")),
    ("gaussian_nll", ("variance (N,1) vs mean (N,)",
                      call("gaussian_nll", std=None, variance=np.ones((3, 1))), ValueError,
                      r"variance must be a scalar or have the shape of mean \(3,\); got shape \(3, "
                      r"1\)")),
    ("gaussian_nll", ("NaN log_variance",
                      call("gaussian_nll", std=None, log_variance=[0.0, np.nan, 0.0]),
                      ValueError, r"log_variance must be finite; got 1 NaN .*\(nan\)")),
    ("gaussian_nll", ("eps zero", call("gaussian_nll", eps=0.0), ValueError, r"eps must be > 0; "
                                                                             r"got 0.0")),
    ("gaussian_nll", ("full not bool", call("gaussian_nll", full=1), TypeError,
                      r"full must be True or False; got 1")),
    ("poisson_nll", ("negative count", call("poisson_nll", y=[1, -1, 4]), ValueError,
                     r"y_true must be >= 0; got 1 value\(s\) violating it, values in \[-1, 4\]")),
    ("poisson_nll", ("fractional count", call("poisson_nll", y=[1.0, 1.5, 4.0]), ValueError,
                     r"y_true must contain whole numbers; got (np.float64\()?1.5\)? at index "
                     r"\(1,\)")),
    ("poisson_nll", ("negative rate", call("poisson_nll", log_input=False), ValueError,
                     r"y_pred must be >= 0; got 1 value\(s\) violating it, values in \[-0.5, 1\]")),
    ("poisson_nll", ("log_input not bool", call("poisson_nll", log_input="yes"), TypeError,
                     r"log_input must be True or False; got 'yes'")),
    ("laplace_nll", ("zero scale", call("laplace_nll", scale=0.0), ValueError,
                     r"scale must be > 0; got 1 value\(s\) violating it, values in \[0, 0\]")),
    ("laplace_nll", ("negative scale", call("laplace_nll", scale=[1.0, -1.0, 1.0]), ValueError,
                     r"scale must be > 0; got 1 value\(s\).*\[-1, 1\]")),
    ("laplace_nll", ("scale wrong shape", call("laplace_nll", scale=[1.0, 2.0]), ValueError,
                     r"scale must be a scalar or have the shape of loc \(3,\); got shape \(2,\)")),
    ("laplace_nll", ("inf scale", call("laplace_nll", scale=np.inf), ValueError,
                     r"scale must be finite; got 1 NaN or infinite value\(s\).*\(inf\)")),
    # heavy tails, counts, positive targets, Huber, pinball, focal: parameters > 0, supports
    (T, ("zero df", call(T, df=0.0), ValueError,
         r"df must be > 0; got 1 value\(s\) violating it, values in \[0, 0\]")),
    (T, ("negative df", call(T, df=[3.0, -1.0, 3.0]), ValueError,
         r"df must be > 0; got 1 value\(s\) violating it, values in \[-1, 3\]")),
    (T, ("df (N,1) vs loc (N,)", call(T, df=np.ones((3, 1))), ValueError,
         r"df must be a scalar or have the shape of loc \(3,\); got shape \(3, 1\)")),
    (T, ("NaN df", call(T, df=np.nan), ValueError,
         r"df must be finite; got 1 NaN or infinite value\(s\).*\(nan\)")),
    (T, ("df not numeric", call(T, df="3"), TypeError,
         r"df must contain real numbers .*; got dtype <U1")),
    (T, ("zero scale", call(T, scale=0.0), ValueError,
         r"scale must be > 0; got 1 value\(s\) violating it, values in \[0, 0\]")),
    (NB, ("negative count", call(NB, y=[1, -1, 4]), ValueError,
          r"y_true must be >= 0 \(counts of the negative binomial distribution\); got 1 "
          r"value\(s\) violating it, values in \[-1, 4\]")),
    (NB, ("fractional count", call(NB, y=[1.0, 0.5, 4.0]), ValueError,
          r"y_true must contain whole numbers; got (np.float64\()?0.5\)? at index \(1,\)")),
    (NB, ("zero mean", call(NB, pred=[0.5, 0.0, 2.0]), ValueError,
          r"mean must be > 0; got 1 value\(s\) violating it, values in \[0, 2\]")),
    (NB, ("zero total_count", call(NB, total_count=0.0), ValueError,
          r"total_count must be > 0; got 1 value\(s\) violating it, values in \[0, 0\]")),
    (NB, ("total_count wrong shape", call(NB, total_count=[1.0, 2.0]), ValueError,
          r"total_count must be a scalar or have the shape of mean \(3,\); got shape \(2,\)")),
    (GA, ("target 0: the support edge", call(GA, y=[1.0, 0.0, 3.0]), ValueError,
          r"y_true must be > 0 \(the support of the gamma distribution\); got 1 value\(s\) "
          r"violating it, values in \[0, 3\]")),
    (GA, ("negative target", call(GA, y=[-1.0, 2.0, 3.0]), ValueError,
          r"y_true must be > 0 \(the support of the gamma distribution\);.*\[-1, 3\]")),
    (GA, ("negative mean", call(GA, pred=[1.0, -2.5, 3.0]), ValueError,
          r"mean must be > 0; got 1 value\(s\) violating it, values in \[-2.5, 3\]")),
    (GA, ("zero concentration", call(GA, concentration=[2.0, 0.0, 1.0]), ValueError,
          r"concentration must be > 0; got 1 value\(s\) violating it, values in \[0, 2\]")),
    (GA, ("inf concentration", call(GA, concentration=np.inf), ValueError,
          r"concentration must be finite; got 1 NaN or infinite value\(s\).*\(inf\)")),
    (LN, ("target 0: the support edge", call(LN, y=[0.0, 2.0, 3.0]), ValueError,
          r"y_true must be > 0 \(the support of the log-normal distribution\); got 1 "
          r"value\(s\) violating it, values in \[0, 3\]")),
    (LN, ("negative scale", call(LN, scale=-1.0), ValueError,
          r"scale must be > 0; got 1 value\(s\) violating it, values in \[-1, -1\]")),
    (LN, ("scale wrong shape", call(LN, scale=[1.0, 2.0]), ValueError,
          r"scale must be a scalar or have the shape of loc \(3,\); got shape \(2,\)")),
    (HU, ("zero delta", call(HU, delta=0.0), ValueError, r"delta must be > 0; got 0.0")),
    (HU, ("negative delta", call(HU, delta=-1), ValueError, r"delta must be > 0; got -1.0")),
    (HU, ("inf delta", call(HU, delta=np.inf), ValueError, r"delta must be finite; got inf")),
    (HU, ("delta an array", call(HU, delta=[1.0, 2.0, 3.0]), TypeError,
          r"delta must be a real number; got \[1.0, 2.0, 3.0\]")),
    (PB, ("quantile 0", call(PB, quantile=0.0), ValueError,
          r"quantile must be in the open interval \(0, 1\); got 0.0")),
    (PB, ("quantile 1", call(PB, quantile=1), ValueError,
          r"quantile must be in the open interval \(0, 1\); got 1.0")),
    (PB, ("quantile as a percentage", call(PB, quantile=90), ValueError,
          r"quantile must be in the open interval \(0, 1\); got 90.0")),
    (PB, ("NaN quantile", call(PB, quantile=np.nan), ValueError,
          r"quantile must be finite; got nan")),
    (PB, ("quantile not a number", call(PB, quantile="0.9"), TypeError,
          r"quantile must be a real number; got '0.9'")),
    (FO, ("negative gamma", call(FO, gamma=-0.5), ValueError, r"gamma must be >= 0; got -0.5")),
    (FO, ("gamma not a number", call(FO, gamma=None), TypeError,
          r"gamma must be a real number; got None")),
    (FO, ("alpha above 1", call(FO, alpha=1.5), ValueError, r"alpha must be <= 1; got 1.5")),
    (FO, ("alpha a bool", call(FO, alpha=True), TypeError, r"alpha must be a real number; got "
                                                          r"True")),
    (FO, ("probabilities outside [0, 1]", call(FO, pred=[-0.3, 0.5, 1.2]), ValueError,
          r"y_pred must be probabilities in \[0, 1\] when from_logits=False; got values in "
          r"\[-0.3, 1.2\]")),
    (FO, ("target outside [0, 1]", call(FO, y=[2, 0, 1]), ValueError,
          r"y_true must be labels \(0/1 or soft labels\) in \[0, 1\]; got values in \[0, 2\]")),
    (FO, ("from_logits not bool", call(FO, from_logits="yes"), TypeError,
          r"from_logits must be True or False; got 'yes'")),
]  # fmt: skip

ALL_CASES: list[tuple[str, Case]] = [
    (name, case) for name in FUNCTIONS for case in common_cases(name)
] + SPECIFIC
EXPECTED_CASE_COUNT = 15 * 9 - 1 + 40 + 35  # 15 functions; sparse has no inf-target case


def test_case_count():
    assert len(ALL_CASES) == EXPECTED_CASE_COUNT


@pytest.mark.parametrize(
    ("function", "case"), ALL_CASES, ids=[f"{fn}-{case[0]}" for fn, case in ALL_CASES]
)
def test_bad_input(function, case):
    _, fn, exc, pattern = case
    with pytest.raises(exc, match=pattern):
        fn()


def test_mean_over_nothing_is_an_error():
    with pytest.raises(ValueError, match=r"reduction='mean' is undefined: the weights .* sum to 0"):
        L.mean_squared_error([1.0, 2.0], [1.0, 2.0], sample_weight=0.0)
