"""Chapter 4's batteries: the squared error's curvature in the logit, and a stable weighted BCE.

Each battery compares the reader's function with the tested solution in
:mod:`mlecourse.solutions.ch04` on typical inputs and on the traps the chapter names: logits of
+-1e4 (a sigmoid written as e^z / (1 + e^z), log sigma(z) computed through the probability,
probabilities clipped as Keras clips them), float32 inputs, (n, 1) columns, PyTorch's
convention for pos_weight (the weighted terms over n, not over the total weight), the sum
against the mean, and the second derivative's two terms. The exercise ex-ch04-intercept is
pen and paper and has no battery.
"""

from __future__ import annotations

import numpy as np

from mlecourse.check._core import Case, Exercise, Hint
from mlecourse.solutions import ch04 as sol


def _floats(x: object) -> np.ndarray | None:
    """``x`` as a float64 array, or ``None`` when it is not numeric."""
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _close(got: object, value: object, case: Case) -> bool:
    """Whether ``got`` equals ``value`` (same shape, finite) to the case's tolerances."""
    g, v = _floats(got), _floats(value)
    if g is None or v is None or g.shape != v.shape:
        return False
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(v))):
        return False
    return bool(np.allclose(g, v, rtol=max(case.rtol, 1e-9), atol=case.atol))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))  # sigma(z) = exp(-softplus(-z)): no overflow


def _softplus(t: np.ndarray) -> np.ndarray:
    return np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))


# -- ex-ch04-squared-error ---------------------------------------------------------------------
def _curvature_cases() -> list[Case]:
    z = np.array([-5.0, -2.0, 0.0, 0.5, 2.0, 5.0])
    z32 = np.array([-5.0, -1.0, 0.0, 1.0, 3.0], dtype=np.float32)
    return [
        Case(
            "typical",
            (z, np.ones(6)),
            note="positives; z = -5 is the exercise's confident mistake",
        ),
        Case("typical", (z, np.zeros(6)), note="negatives"),
        Case("typical", (-5.0, 1.0), note="one number: z = -5, y = 1"),
        Case(
            "typical",
            (np.array([-3.0, -1.0, 1.0, 3.0]), 1.0),
            note="an array of logits and one label for all of them",
        ),
        Case(
            "extremes",
            (np.array([-1e4, -40.0, 40.0, 1e4]), np.array([1.0, 0.0, 1.0, 0.0])),
            note="logits of +-40 and +-1e4: the curvature is below 1e-34",
        ),
        Case(
            "float32",
            (z32, np.ones(5, dtype=np.float32)),
            rtol=1e-5,
            atol=1e-7,
            note="float32 logits and labels (any precision of the result is accepted)",
        ),
        Case(
            "shapes",
            (z[:, None], np.ones((6, 1))),
            note="(n, 1) columns: the result is an (n, 1) column",
        ),
    ]


def _squared_error_variants(z: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """The curvatures a reader gets from the likely slips of the derivation."""
    s = _sigmoid(z)
    ds = s * _sigmoid(-z)  # s' = s (1 - s)
    return {
        "gauss_newton": 2.0 * ds**2,  # the product rule's second term forgotten
        "sign_second": 2.0 * ds**2 - 2.0 * (s - y) * ds * (1.0 - 2.0 * s),  # s'' = s'(2s - 1)
        "bce": ds,  # the BCE's curvature instead of the squared error's
        "first_derivative": 2.0 * (s - y) * ds,  # one derivative only
    }


def _curvature_diagnose(case: Case, expected: object, got: object) -> str | None:
    g, e = _floats(got), _floats(expected)
    if g is None or e is None or g.shape != e.shape or not np.all(np.isfinite(g)):
        return None  # the generic diagnoses: shape, broadcast, nonfinite
    z = np.asarray(case.args[0], dtype=np.float64)
    y = np.asarray(case.args[1], dtype=np.float64)
    for code, value in _squared_error_variants(z, y).items():
        if _close(g, value, case):
            return code
    swapped = sol.squared_error_logit_curvature(y, z)  # the reader's (y, z) order
    if np.shape(swapped) == g.shape and _close(g, swapped, case):
        return "order"
    return None


_SQUARED_ERROR = Exercise(
    label="ex-ch04-squared-error",
    title="Why not the squared error on the probability?",
    signature="squared_error_logit_curvature(z, y) -> array",
    chapter=4,
    reference=sol.squared_error_logit_curvature,
    cases=_curvature_cases,
    diagnose=_curvature_diagnose,
    hints={
        "gauss_newton": Hint(
            "You have only 2 s'^2 (with s = sigmoid(z), s' = s (1 - s)): the product rule on "
            "2 (s - y) s' gives a second term, 2 (s - y) s'', and it is the one that turns the "
            "curvature negative for a confident mistake.",
            "thm-ch04-gradient",
        ),
        "sign_second": Hint(
            "The second term has the wrong sign: s'' = s (1 - s)(1 - 2 s), so the curvature is "
            "2 s'^2 + 2 (s - y) s (1 - s)(1 - 2 s).",
            "thm-ch04-gradient",
        ),
        "bce": Hint(
            "That is the BCE's curvature, sigma(z)(1 - sigma(z)). The exercise asks for the "
            "squared error's, the second derivative of (sigma(z) - y)^2 in z.",
            "thm-ch04-convex",
        ),
        "first_derivative": Hint(
            "That is the first derivative, 2 (s - y) s'. Differentiate once more, with the "
            "product rule.",
            "thm-ch04-gradient",
        ),
        "factor": Hint(
            "Off by a constant factor: the derivative of (s - y)^2 is 2 (s - y) s', and the 2 "
            "stays in the second derivative (the loss is (sigma(z) - y)^2, not half of it).",
            "thm-ch04-gradient",
        ),
        "order": Hint(
            "Your function reads its arguments as (y, z): this exercise's signature is "
            "squared_error_logit_curvature(z, y), the logits first (the weighted BCE of the "
            "next exercise takes (y, z)).",
            "ex-ch04-squared-error",
        ),
        "nonfinite": Hint(
            "inf or NaN for a large |z|: an exp overflowed inside your sigmoid (e^z / (1 + e^z) "
            "is inf / inf at z = 1e4). Use a sigmoid that never overflows, such as "
            "mlecourse.special.sigmoid or scipy.special.expit, or 1 / (1 + e^-z) for z >= 0 and "
            "e^z / (1 + e^z) for z < 0.",
            "thm-ch04-stable",
        ),
        "raised": Hint(
            "Your function raised. The battery calls it on NumPy arrays, on plain floats "
            "(z = -5.0, y = 1.0), on an array of logits with one label for all of them, and on "
            "(n, 1) columns: convert with np.asarray and let NumPy broadcast.",
            "ex-ch04-squared-error",
        ),
        "wrong": Hint(
            "With s = sigmoid(z), s' = s (1 - s) and s'' = s' (1 - 2 s), the second derivative "
            "of (s - y)^2 is 2 s'^2 + 2 (s - y) s''.",
            "thm-ch04-gradient",
        ),
    },
)


# -- ex-ch04-stable-weighted -------------------------------------------------------------------
def _weighted_cases() -> list[Case]:
    rng = np.random.default_rng(404)
    y = (rng.random(8) < 0.4).astype(float)
    z = rng.normal(0.0, 3.0, 8).round(2)
    y_t, z_t = np.array([1.0, 0.0, 0.0, 1.0]), np.array([2.0, -1.0, 0.5, -3.0])
    y_x = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    z_x = np.array([1e4, -1e4, -1e4, 1e4, 0.3])
    return [
        Case("typical", (y, z), note="8 examples, logits ~ N(0, 3^2)"),
        Case(
            "typical",
            (np.array([1.0, 0.0]), np.zeros(2)),
            note="logits 0: every term is log 2",
        ),
        Case(
            "extremes",
            (y_x[:4], z_x[:4]),
            note="logits of +-1e4, right and wrong: the loss is (0 + 0 + 1e4 + 1e4) / 4",
        ),
        Case(
            "extremes",
            (y_x, z_x),
            {"pos_weight": 2.5},
            option="pos_weight",
            note="logits of +-1e4 with pos_weight = 2.5",
        ),
        Case(
            "float32",
            (y.astype(np.float32), z.astype(np.float32)),
            rtol=1e-5,
            atol=1e-6,
            note="float32 labels and logits (a float32 or float64 result is accepted)",
        ),
        Case(
            "float32",
            (y_x[:4].astype(np.float32), z_x[:4].astype(np.float32)),
            rtol=1e-5,
            atol=1e-6,
            note="float32 logits of +-1e4",
        ),
        Case("shapes", (y[:, None], z[:, None]), note="(n, 1) columns"),
        Case(
            "options",
            (y_t, z_t),
            {"pos_weight": 3.0},
            option="pos_weight",
            note="pos_weight = 3: PyTorch's BCEWithLogitsLoss gives 2.7034711898871184",
        ),
        Case(
            "options",
            (y, z),
            {"pos_weight": 0.5},
            option="pos_weight",
            note="pos_weight = 0.5: positives count half",
        ),
        Case(
            "options",
            (y_t, z_t),
            {"pos_weight": 0.0},
            option="pos_weight",
            note="pos_weight = 0: only the negatives count",
        ),
    ]


def _weighted_terms(y: np.ndarray, z: np.ndarray, c: float) -> np.ndarray:
    return c * y * _softplus(-z) + (1.0 - y) * _softplus(z)


def _weighted_diagnose(case: Case, expected: object, got: object) -> str | None:
    g = _floats(got)
    if g is None or g.size != 1 or not np.all(np.isfinite(g)):
        return None  # the generic diagnoses: shape, nonfinite
    y = np.asarray(case.args[0], dtype=np.float64).ravel()
    z = np.asarray(case.args[1], dtype=np.float64).ravel()
    c = float(case.kwargs.get("pos_weight", 1.0))
    terms = _weighted_terms(y, z, c)
    total_weight = float(np.sum(1.0 + (c - 1.0) * y))
    if c != 1.0 and total_weight > 0 and _close(g, terms.sum() / total_weight, case):
        return "weight_denominator"
    if c != 1.0 and _close(g, np.mean(y * _softplus(-z) + c * (1.0 - y) * _softplus(z)), case):
        return "weight_on_negative"
    if _close(g, np.mean(_weighted_terms(z, y, c)), case):  # the reader's (z, y) order
        return "order"
    with np.errstate(all="ignore"):
        p = 1.0 / (1.0 + np.exp(-z))
        for eps in (1e-7, 1e-12, 1e-15, np.finfo(np.float64).eps):
            q = np.clip(p, eps, 1.0 - eps)
            clipped = -np.mean(c * y * np.log(q) + (1.0 - y) * np.log1p(-q))
            if not _close(clipped, expected, case) and _close(g, clipped, case):
                return "clipped"
    return None


_STABLE_WEIGHTED = Exercise(
    label="ex-ch04-stable-weighted",
    title="A stable weighted BCE from scratch",
    signature="weighted_bce_with_logits(y, z, pos_weight=1.0) -> float",
    chapter=4,
    reference=sol.weighted_bce_with_logits,
    cases=_weighted_cases,
    diagnose=_weighted_diagnose,
    hints={
        "nonfinite": Hint(
            "inf or NaN at large |z|: either sigma(z) rounded to 0 or 1 before its log was "
            "taken, or an exp overflowed (log(1 + exp(z)) is inf at z = 1e4, and 0 * inf is "
            "NaN). From the logit, -log sigma(z) = softplus(-z) and -log(1 - sigma(z)) = "
            "softplus(z), with softplus(t) = max(t, 0) + log1p(exp(-|t|)), whose exponent is "
            "never positive.",
            "thm-ch04-stable",
        ),
        "clipped": Hint(
            "Your loss clips the probability into [eps, 1 - eps], as Keras does: finite, but "
            "capped, so a confidently wrong logit of -1e4 costs -log(eps) (16 nats with Keras's "
            "eps = 1e-7) instead of 1e4. Compute the loss from the logit, with softplus, and "
            "nothing needs clipping.",
            "sec-ch04-keras-clip",
        ),
        "order": Hint(
            "Your function reads its arguments as (z, y): this exercise's signature is "
            "weighted_bce_with_logits(y, z, pos_weight=1.0), the labels first, as in Keras and "
            "mlecourse.losses (PyTorch's BCEWithLogitsLoss takes the logits first).",
            "ex-ch04-stable-weighted",
        ),
        "factor": Hint(
            "Off by a constant factor (the difference line names it): the exercise asks for the "
            "mean over the n examples (PyTorch's convention), not the sum, in nats (natural "
            "logarithms).",
            "eq-ch04-pos-weight",
        ),
        "weight_denominator": Hint(
            "You divided by the total weight, sum_i (1 + (c+ - 1) y_i). PyTorch's "
            "BCEWithLogitsLoss(pos_weight=c) divides the weighted terms by n, the number of "
            "examples.",
            "eq-ch04-pos-weight",
        ),
        "weight_on_negative": Hint(
            "pos_weight multiplies the positive term, c+ y_i log sigma(z_i), not the negative one.",
            "eq-ch04-pos-weight",
        ),
        "option_ignored": Hint(
            "pos_weight had no effect: the positive term of every example is multiplied by "
            "c+ = pos_weight.",
            "eq-ch04-pos-weight",
        ),
        "wrong": Hint(
            "The loss of example i is c+ y_i softplus(-z_i) + (1 - y_i) softplus(z_i); the "
            "exercise asks for its mean over the n examples.",
            "eq-ch04-pos-weight",
        ),
    },
)

EXERCISES = (_SQUARED_ERROR, _STABLE_WEIGHTED)
