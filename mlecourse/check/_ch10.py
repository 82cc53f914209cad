"""Chapter 10's batteries: top-label ECE, a temperature that stays positive, focal minimiser.

Each battery compares the reader's function with the tested solution in
:mod:`mlecourse.solutions.ch10` on typical inputs and on the traps the chapter names: a
confidence of exactly 1 (which belongs to the last bin), bins closed on the wrong side, gaps
not weighted by their bins' sizes or summed with their signs; gradient descent on T that
steps below 0, very under- and over-confident logits, logits with no positive optimum; and an
expected focal loss with its weights exchanged, without gamma, with the exercise's gamma = 2
written in, or differentiated without the product rule.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from mlecourse.check._core import Case, Exercise, Hint
from mlecourse.solutions import ch10 as sol


def _scalar(got: object) -> float | None:
    """``got`` as a finite Python float, or ``None`` when it is not one number."""
    try:
        value = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if value.shape != () or not np.isfinite(value):
        return None
    return float(value)


# -- ex-ch10-top-label-ece -------------------------------------------------------------------
# Probabilities in hundredths, so that a report's input is readable; no confidence lies on an
# edge m/M of the bins used (M = 15, 1, 5, 10) except in the case that tests the edges with
# M = 4, whose edges 1/4, 1/2, 3/4 are exact in binary.
_PROBS_A = np.array(
    [
        [0.71, 0.17, 0.12],
        [0.23, 0.61, 0.16],
        [0.09, 0.38, 0.53],
        [0.87, 0.08, 0.05],
        [0.33, 0.29, 0.38],
        [0.13, 0.79, 0.08],
        [0.47, 0.41, 0.12],
        [0.21, 0.22, 0.57],
    ]
)
_LABELS_A = np.array([0, 1, 1, 0, 2, 1, 1, 2])


def _ece_cases() -> list[Case]:
    rng = np.random.default_rng(1001)
    probs_b = rng.dirichlet(np.full(4, 0.8), size=10)
    labels_b = np.array([rng.choice(4, p=row) for row in probs_b])
    one_hot = np.array(
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.61, 0.27, 0.12], [0.13, 0.31, 0.56]]
    )
    edges = np.array(
        [[0.5, 0.3, 0.2], [0.75, 0.15, 0.1], [0.1, 0.15, 0.75], [0.2, 0.5, 0.3], [0.67, 0.21, 0.12]]
    )
    binary = np.array([[0.93, 0.07], [0.29, 0.71], [0.61, 0.39], [0.17, 0.83], [0.53, 0.47]])
    return [
        Case("typical", (_PROBS_A, _LABELS_A), note="8 examples, 3 classes, 15 bins"),
        Case(
            "typical", (probs_b, labels_b), note="10 examples, 4 classes, labels drawn from probs"
        ),
        Case(
            "extremes",
            (one_hot, np.array([0, 2, 2, 1, 2])),
            note="confidences of exactly 1: they belong to the last bin",
        ),
        Case(
            "extremes",
            (edges, np.array([0, 1, 2, 1, 0])),
            {"n_bins": 4},
            option="n_bins",
            note="confidences 0.5 and 0.75 on bin edges: bins are [a, b)",
        ),
        Case(
            "extremes",
            (np.array([[0.3, 0.63, 0.07]]), np.array([2])),
            note="one example, wrong with confidence 0.63",
        ),
        Case(
            "extremes",
            (np.array([[0.97, 0.01, 0.02], [0.03, 0.01, 0.96]]), np.array([0, 2])),
            note="all right, confidences 0.97 and 0.96",
        ),
        Case(
            "float32",
            (probs_b.astype(np.float32), labels_b),
            rtol=1e-5,
            atol=1e-7,
            note="float32 probabilities",
        ),
        Case("shapes", (binary, np.array([0, 1, 1, 1, 1])), note="K = 2: two columns"),
        Case(
            "shapes",
            (_PROBS_A.tolist(), _LABELS_A.tolist()),
            note="Python lists instead of arrays",
        ),
        Case("options", (_PROBS_A, _LABELS_A), {"n_bins": 5}, option="n_bins", note="5 bins"),
        Case("options", (_PROBS_A, _LABELS_A), {"n_bins": 1}, option="n_bins", note="1 bin"),
    ]


def _ece_variant(
    confidence: np.ndarray,
    correct: np.ndarray,
    n_bins: int,
    *,
    weighted: bool = True,
    signed: bool = False,
    cap: bool = True,
    right_closed: bool = False,
) -> float:
    """The ECE of (confidence, correct) pairs, or one of the usual mistakes in computing it."""
    if right_closed:  # bins (a, b]
        bin_of = np.maximum(np.ceil(confidence * n_bins).astype(int) - 1, 0)
    else:
        bin_of = np.floor(confidence * n_bins).astype(int)
    if cap:
        bin_of = np.minimum(bin_of, n_bins - 1)
    total, gaps = 0.0, []
    for m in range(n_bins):  # without the cap, bin M (a confidence of 1) is never visited
        in_bin = bin_of == m
        if in_bin.any():
            gap = correct[in_bin].mean() - confidence[in_bin].mean()
            gaps.append(abs(gap))
            total += in_bin.mean() * (gap if signed else abs(gap))
    if not weighted:
        return float(np.mean(gaps)) if gaps else 0.0
    return abs(total)


def _ece_diagnose(case: Case, expected: object, got: object) -> str | None:
    g = _scalar(got)
    if g is None:
        return None
    probs = np.asarray(case.args[0], dtype=np.float64)
    labels = np.asarray(case.args[1])
    n_bins = int(case.kwargs.get("n_bins", 15))
    confidence = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == labels).astype(np.float64)
    label_prob = probs[np.arange(len(labels)), labels.astype(int)]
    variants = {
        "label_probability": _ece_variant(label_prob, correct, n_bins),
        "last_bin": _ece_variant(confidence, correct, n_bins, cap=False),
        "right_closed": _ece_variant(confidence, correct, n_bins, right_closed=True),
        "unweighted": _ece_variant(confidence, correct, n_bins, weighted=False),
        "signed": _ece_variant(confidence, correct, n_bins, signed=True),
    }
    e = _scalar(expected)
    for code, value in variants.items():
        if e is not None and math.isclose(value, e, rel_tol=1e-9, abs_tol=1e-12):
            continue  # this mistake makes no difference on this case
        if math.isclose(g, value, rel_tol=1e-9, abs_tol=1e-12):
            return code
    return None


_TOP_LABEL_ECE = Exercise(
    label="ex-ch10-top-label-ece",
    title="Top-label ECE from scratch",
    signature="top_label_ece(probs, labels, n_bins=15) -> float",
    chapter=10,
    reference=sol.top_label_ece,
    cases=_ece_cases,
    diagnose=_ece_diagnose,
    hints={
        "label_probability": Hint(
            "You binned the probability of each example's label. The top-label confidence is "
            "the largest probability, max_k p_ik, whatever the label; the label only decides "
            "whether the prediction argmax_k p_ik is correct.",
            "sec-ch10-calibration",
        ),
        "last_bin": Hint(
            "A confidence of exactly 1 fell outside your bins: floor(1 * M) = M is one past the "
            "last bin. Put it into the last bin, min(floor(c M), M - 1).",
            "eq-ch10-ece",
        ),
        "right_closed": Hint(
            "A confidence on an edge went into the bin below: the bins are [m/M, (m+1)/M), closed "
            "on the left, so 0.5 with M = 4 belongs to [0.5, 0.75).",
            "eq-ch10-ece",
        ),
        "unweighted": Hint(
            "You averaged the bins' gaps with equal weights. Each bin's gap is weighted by its "
            "share of the examples, |B_m| / n, so a bin with one example counts little.",
            "eq-ch10-ece",
        ),
        "signed": Hint(
            "Gaps of opposite signs cancelled: take the absolute value of each bin's gap, "
            "|accuracy - mean confidence|, before the weighted sum.",
            "eq-ch10-ece",
        ),
        "option_ignored": Hint(
            "n_bins had no effect: the number of bins M sets the bins [m/M, (m+1)/M).",
            "eq-ch10-ece",
        ),
        "raised": Hint(
            "Your function raised. If the case passed Python lists, convert them first, "
            "np.asarray(probs, dtype=float); otherwise skip the empty bins (their mean is "
            "undefined), and put a confidence of exactly 1 into the last bin rather than into "
            "bin M.",
            "eq-ch10-ece",
        ),
        "nonfinite": Hint(
            "NaN: an empty bin's mean is 0/0. Skip the bins that hold no example; they add "
            "nothing to the ECE.",
            "eq-ch10-ece",
        ),
        "wrong": Hint(
            "Per example, the confidence is the largest probability and the 'one' is whether "
            "its class is the label; then sum, over the non-empty bins, |B_m| / n times "
            "|mean correctness - mean confidence|.",
            "eq-ch10-ece",
        ),
    },
)


# -- ex-ch10-negative-temperature ------------------------------------------------------------
# The logits of 12 examples of the chapter's logistic model (seed 6), rounded to hundredths:
# 2 of them misclassified, so the maximum-likelihood temperature exists (0.84 for these).
# Multiplied by 0.3, as in the exercise, they send the exercise's gradient descent below 0.
_LOGITS = np.array(
    [-1.2, -4.69, -0.83, -1.52, -1.12, 0.34, -2.65, -3.14, -0.86, -2.42, -1.54, -1.16]
)
_LABELS = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])


def _temperature_cases() -> list[Case]:
    # The answer comes from an iterative fit: a relative 1e-4 accepts any converged method.
    def fit(group: str, logits: object, labels: object, note: str) -> Case:
        return Case(group, (logits, labels), note=note, rtol=1e-4, atol=0.0)

    return [
        fit("typical", 0.3 * _LOGITS, _LABELS, "under-confident: logits times 0.3, as in the text"),
        fit("typical", _LOGITS, _LABELS, "12 examples, 2 misclassified"),
        fit("typical", 3.0 * _LOGITS, _LABELS, "over-confident: the logits times 3"),
        fit("typical", np.array([2.0, -1.0, 0.5, -3.0]), np.array([1, 1, 0, 0]), "4 examples"),
        fit("extremes", 0.01 * _LOGITS, _LABELS, "very under-confident: times 0.01"),
        # times 100, not 1000: at w = 1 the curvature is then tiny (1.7e-13) but not 0, so a
        # Newton step halved as Hint 2 says terminates; times 1000 saturates every sigmoid,
        # the curvature is exactly 0, and a reader's halving of an infinite step would hang
        # the check instead of failing it (the reference handles that case; its own test)
        fit("extremes", 100.0 * _LOGITS, _LABELS, "very over-confident: logits up to 469"),
        fit(
            "extremes",
            np.array([3.0, -2.0, 1.0, -4.0, 0.5]),
            np.array([1, 0, 1, 0, 0]),
            "one misclassified example",
        ),
        fit(
            "float32",
            _LOGITS.astype(np.float32),
            _LABELS.astype(np.float32),
            "float32 logits and labels",
        ),
        fit("shapes", _LOGITS.tolist(), _LABELS.astype(int).tolist(), "Python lists"),
        Case(
            "errors",
            (-_LOGITS, _LABELS),
            raises=ValueError,
            note="logits worse than chance: no positive optimum",
        ),
        Case(
            "errors",
            (np.array([2.0, -1.0, 3.0, -0.5]), np.array([1, 0, 1, 0])),
            raises=ValueError,
            note="no example misclassified: the NLL falls as T -> 0",
        ),
    ]


def _temperature_diagnose(case: Case, expected: object, got: object) -> str | None:
    g, e = _scalar(got), _scalar(expected)
    if g is None or e is None:
        return None
    if g <= 0:
        return "negative"
    if g > 100 * e or g < e / 100:
        return "diverged"
    if not math.isclose(e, 1.0, rel_tol=1e-3) and math.isclose(g, 1.0 / e, rel_tol=1e-4):
        return "inverse"
    return None


_NEGATIVE_TEMPERATURE = Exercise(
    label="ex-ch10-negative-temperature",
    title="This temperature fit returns T < 0: fix it",
    signature="fit_temperature_newton(logits, labels) -> float",
    chapter=10,
    reference=sol.fit_temperature_newton,
    cases=_temperature_cases,
    diagnose=_temperature_diagnose,
    hints={
        "negative": Hint(
            "Your temperature is not positive: a step on T jumped past 0, where every prediction "
            "flips. Fit w = 1/T instead, whose NLL is a convex logistic regression, and halve any "
            "Newton step that would make w <= 0.",
            "sec-ch10-temperature",
        ),
        "diverged": Hint(
            "Your fit ran far from the optimum: an undamped Newton step on T, or a gradient step "
            "too large for the curvature, overshoots. In w = 1/T the NLL is convex, and a Newton "
            "step halved until the NLL falls always converges.",
            "sec-ch10-temperature",
        ),
        "inverse": Hint(
            "You returned w = 1/T, the weight of the logistic regression on the logits; the "
            "temperature is its inverse.",
            "eq-ch10-temperature",
        ),
        "no_error": Hint(
            "No positive temperature maximises the likelihood on this input, and the exercise "
            "asks for a ValueError there. Which inputs are these? Look at the sign of the "
            "derivative in w at w = 0, and at the NLL as w grows when no example is "
            "misclassified.",
            "ex-ch10-negative-temperature",
        ),
        "raised": Hint(
            "Your function raised an exception the exercise does not ask for. Where a positive "
            "temperature exists, return it (convert Python lists first, np.asarray(logits, "
            "dtype=float)); where none exists, raise a ValueError, not another exception.",
            "ex-ch10-negative-temperature",
        ),
        "wrong_error": Hint(
            "Where no positive temperature exists, the exercise asks for a ValueError: raise a "
            "ValueError, not another exception.",
            "ex-ch10-negative-temperature",
        ),
        "nonfinite": Hint(
            "inf or NaN: either the iteration diverged (an undamped step; halve any Newton step "
            "that raises the NLL), or exp(w z) overflowed for large logits (write the NLL as "
            "mean(softplus(w z) - y w z), with np.logaddexp(0, w z)).",
            "eq-ch10-temperature",
        ),
        "wrong": Hint(
            "Not the maximum-likelihood temperature: gradient descent with a fixed step stops "
            "short when the curvature is small and overshoots when it is large (it grows like "
            "1/T^3 as T -> 0). Newton's method on w = 1/T converges on every case.",
            "sec-ch10-temperature",
        ),
    },
)


# -- ex-ch10-focal-minimiser -----------------------------------------------------------------
# A root found by minimising the expected loss with a default tolerance (1e-5 in p) passes.
_FOCAL_RTOL, _FOCAL_ATOL = 5e-5, 1e-9


def _focal_cases() -> list[Case]:
    def at(group: str, p_star: float, gamma: float, note: str) -> Case:
        return Case(group, (p_star, gamma), note=note, rtol=_FOCAL_RTOL, atol=_FOCAL_ATOL)

    return [
        at("typical", 0.9, 2.0, "the exercise: p* = 0.9, gamma = 2"),
        at("typical", 0.3, 2.0, "p* = 0.3, gamma = 2"),
        at("typical", 0.1, 1.0, "gamma = 1"),
        at("typical", 0.75, 5.0, "gamma = 5"),
        at("typical", 0.5, 2.0, "p* = 1/2: the minimiser is 1/2"),
        at("extremes", 0.9, 0.0, "gamma = 0: the log score, proper"),
        at("extremes", 0.001, 2.0, "p* = 0.001"),
        at("extremes", 0.999, 2.0, "p* = 0.999"),
        at("extremes", 0.6, 20.0, "gamma = 20"),
        at("extremes", 0.99, 0.5, "gamma = 0.5 < 1"),
    ]


def _focal_root(p_star: float, gamma: float, *, swap: bool = False, product: bool = True) -> float:
    """The zero of the expected focal loss's derivative, or of a usual mistake in it."""
    weight_one, weight_zero = (1 - p_star, p_star) if swap else (p_star, 1 - p_star)

    def derivative(p: float) -> float:
        d_one = -((1 - p) ** gamma) / p
        d_zero = p**gamma / (1 - p)
        if product:
            d_one += gamma * (1 - p) ** (gamma - 1) * math.log(p)
            d_zero -= gamma * p ** (gamma - 1) * math.log1p(-p)
        return weight_one * d_one + weight_zero * d_zero

    return float(brentq(derivative, 1e-12, 1 - 1e-12, xtol=1e-15))


def _focal_diagnose(case: Case, expected: object, got: object) -> str | None:
    g, e = _scalar(got), _scalar(expected)
    if g is None or e is None:
        return None
    p_star, gamma = (float(a) for a in case.args)

    def near(value: float) -> bool:
        return not math.isclose(value, e, rel_tol=1e-3) and math.isclose(
            g, value, rel_tol=1e-4, abs_tol=1e-9
        )

    if near(p_star):
        return "proper"
    if near(_focal_root(p_star, gamma, swap=True)):
        return "swapped"
    if gamma > 0 and near(_focal_root(p_star, gamma, product=False)):
        return "product_rule"
    if gamma != 2.0 and near(_focal_root(p_star, 2.0)):
        return "fixed_gamma"
    return None


_FOCAL_MINIMISER = Exercise(
    label="ex-ch10-focal-minimiser",
    title="Where the expected focal loss is smallest",
    signature="expected_focal_minimizer(p_star, gamma) -> float",
    chapter=10,
    reference=sol.expected_focal_minimizer,
    cases=_focal_cases,
    diagnose=_focal_diagnose,
    hints={
        "proper": Hint(
            "You returned p*, the minimiser of the expected log score. For gamma > 0 the factors "
            "(1 - p)^gamma and p^gamma move the minimiser towards 1/2: the focal loss is not "
            "proper.",
            "eq-ch10-focal",
        ),
        "swapped": Hint(
            "Your minimiser is 1 minus the right one: the weights are exchanged. The expected "
            "loss is p* L(p, 1) + (1 - p*) L(p, 0), with L(p, 1) = -(1 - p)^gamma log p.",
            "eq-ch10-expected-score",
        ),
        "product_rule": Hint(
            "You differentiated only the logarithm. -(1 - p)^gamma log p is a product: its "
            "derivative also has the term gamma (1 - p)^(gamma - 1) log p.",
            "thm-ch10-focal-gradient",
        ),
        "fixed_gamma": Hint(
            "Your answer is the minimiser for gamma = 2 whatever gamma is: the exercise's "
            "gamma = 2 is written into your derivative. Use the argument gamma, as in "
            "(1 - p)^gamma and gamma (1 - p)^(gamma - 1) log p.",
            "eq-ch10-focal",
        ),
        "raised": Hint(
            "Your function raised. The derivative is -inf at p = 0 and +inf at p = 1 (log 0, "
            "division by 0): bracket the root strictly inside, e.g. [1e-12, 1 - 1e-12].",
            "eq-ch10-focal",
        ),
        "nonfinite": Hint(
            "NaN or inf: the derivative contains log p, log(1 - p) and 1/p, 1/(1 - p); evaluate "
            "it strictly inside (0, 1).",
            "eq-ch10-focal",
        ),
        "wrong": Hint(
            "Set the derivative in p of p* L(p, 1) + (1 - p*) L(p, 0) to zero and solve with a "
            "root-finder to full precision (a grid of forecasts is too coarse).",
            "eq-ch10-expected-score",
        ),
    },
)

EXERCISES = (_TOP_LABEL_ECE, _NEGATIVE_TEMPERATURE, _FOCAL_MINIMISER)
