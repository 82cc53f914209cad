"""Chapter 5's checkers catch the chapter's own mistakes and accept other correct answers.

For every exercise: the reference solution passes every case; wrong implementations written
as a reader would write them (the traps the chapter names) fail with the expected diagnosis;
a trivially wrong one fails; and correct implementations written differently (SciPy's
``logsumexp``/``softmax``/``xlogy``/``stats.entropy``, a root finder, plain loops) pass.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import scipy.optimize
import scipy.special
import scipy.stats

from mlecourse.check import check
from mlecourse.solutions import ch05 as sol

REFERENCES = [
    ("ex-ch05-smoothing-margin", sol.smoothed_optimal_margin),
    ("ex-ch05-ce-from-logits", sol.cross_entropy_from_logits),
    ("ex-ch05-wiring", sol.torch_bce_loss),
    ("ex-ch05-jacobian", sol.softmax_jacobian),
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


# -- ex-ch05-smoothing-margin ----------------------------------------------------------------
def margin_without_one(num_classes, label_smoothing):  # log(K (1 - eps) / eps): the 1 lost
    k, eps = num_classes, label_smoothing
    q = 1 - eps + eps / k
    return math.log(k * (1 - eps) / eps), -q * math.log(q) - (1 - q) * math.log(eps / k)


def margin_target_one_minus_eps(num_classes, label_smoothing):  # observed class gets 1 - eps
    k, eps = num_classes, label_smoothing
    q = 1 - eps
    margin = math.log(q / (eps / k))
    return margin, -q * math.log(q) - (k - 1) * (eps / k) * math.log(eps / k)


def margin_loss_of_one_hot(num_classes, label_smoothing):  # minimum = -log p_y at the optimum
    k, eps = num_classes, label_smoothing
    q = 1 - eps + eps / k
    return math.log(1 + k * (1 - eps) / eps), -math.log(q)


def margin_one_other_class(num_classes, label_smoothing):  # entropy with one other class only
    k, eps = num_classes, label_smoothing
    q = 1 - eps + eps / k
    return math.log(1 + k * (1 - eps) / eps), -q * math.log(q) - eps / k * math.log(eps / k)


def margin_in_bits(num_classes, label_smoothing):  # log2 throughout
    k, eps = num_classes, label_smoothing
    q = 1 - eps + eps / k
    return math.log2(1 + k * (1 - eps) / eps), -q * math.log2(q) - (1 - q) * math.log2(eps / k)


def margin_swapped(num_classes, label_smoothing):  # (minimum, margin): the pair reversed
    margin, loss = sol.smoothed_optimal_margin(num_classes, label_smoothing)
    return loss, margin


def margin_refuses_eps_one(num_classes, label_smoothing):  # asserts eps < 1, which is allowed
    assert label_smoothing < 1, "label smoothing must be below 1"
    return sol.smoothed_optimal_margin(num_classes, label_smoothing)


def margin_zeros(num_classes, label_smoothing):
    return 0.0, 0.0


def margin_scipy(num_classes, label_smoothing):  # correct: log-ratio and stats.entropy
    k, eps = num_classes, label_smoothing
    target = np.full(k, eps / k)
    target[0] += 1 - eps
    return math.log(target[0]) - math.log(target[1]), float(scipy.stats.entropy(target))


def margin_loss_at_optimum(num_classes, label_smoothing):  # correct: part (a)'s loss at z*
    k, eps = num_classes, label_smoothing
    q = 1 - eps + eps / k
    z_star = math.log1p(k * (1 - eps) / eps)
    return z_star, float(np.logaddexp(z_star, math.log(k - 1)) - q * z_star)


def margin_root_finder(num_classes, label_smoothing):  # correct: solve dL/dz_y = 0 numerically
    k, eps = num_classes, label_smoothing
    q = 1 - eps + eps / k

    def loss(z):  # log(e^z + K - 1) - q z, written with logaddexp
        return np.logaddexp(z, math.log(k - 1)) - q * z

    def slope(z):
        return scipy.special.expit(z - math.log(k - 1)) - q

    z_star = scipy.optimize.brentq(slope, -60.0, 60.0, xtol=1e-15, rtol=1e-15)
    return z_star, float(loss(z_star))


# -- ex-ch05-ce-from-logits ------------------------------------------------------------------
def _weights(labels, logits, class_weight, ignore_index):
    y = np.asarray(labels)
    kept = np.ones(y.shape, bool) if ignore_index is None else y != ignore_index
    z = np.asarray(logits, dtype=np.float64)[kept]
    y = y[kept]
    c = np.ones(z.shape[1]) if class_weight is None else np.asarray(class_weight, float)
    return y, z, c[y], kept.size


def ce_naive_softmax(labels, logits, class_weight=None, ignore_index=None):
    y, z, w, _ = _weights(labels, logits, class_weight, ignore_index)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return float(np.sum(w * -np.log(p[np.arange(y.size), y])) / w.sum())


def _stable(z, y):
    z_max = z.max(axis=1, keepdims=True)
    lse = z_max[:, 0] + np.log(np.exp(z - z_max).sum(axis=1))
    return lse - z[np.arange(y.size), y]


def ce_divides_by_n(labels, logits, class_weight=None, ignore_index=None):  # weighted sum / N
    y, z, w, _ = _weights(labels, logits, class_weight, ignore_index)
    return float(np.sum(w * _stable(z, y)) / y.size)


def ce_ignored_still_counted(labels, logits, class_weight=None, ignore_index=None):
    y, z, w, n = _weights(labels, logits, class_weight, ignore_index)
    return float(np.sum(w * _stable(z, y)) / (w.sum() + (n - y.size)))


def ce_weights_accepted_not_used(labels, logits, class_weight=None, ignore_index=None):
    y, z, _, _ = _weights(labels, logits, None, ignore_index)
    return float(np.mean(_stable(z, y)))


def ce_column_block(labels, logits, class_weight=None, ignore_index=None):  # z[:, y]
    y, z, _, _ = _weights(labels, logits, class_weight, ignore_index)
    z_max = z.max(axis=1, keepdims=True)
    lse = z_max + np.log(np.exp(z - z_max).sum(axis=1, keepdims=True))
    return float(np.mean(lse - z[:, y]))


def ce_log_of_softmax(labels, logits, class_weight=None, ignore_index=None):
    # a stable softmax, then its log: p underflows to 0 at logits of +-1e4, log 0 = -inf
    y, z, w, _ = _weights(labels, logits, class_weight, ignore_index)
    p = scipy.special.softmax(z, axis=1)
    return float(np.sum(w * -np.log(p[np.arange(y.size), y])) / w.sum())


def ce_weight_by_position(labels, logits, class_weight=None, ignore_index=None):
    # c[i] (the i-th weight, cycled) where c[y_i] is meant
    y, z, _, _ = _weights(labels, logits, None, ignore_index)
    c = np.ones(y.size) if class_weight is None else np.resize(class_weight, y.size)
    return float(np.sum(c * _stable(z, y)) / c.sum())


def ce_sum(labels, logits, class_weight=None, ignore_index=None):  # the sum, not the mean
    y, z, w, _ = _weights(labels, logits, class_weight, ignore_index)
    return float(np.sum(w * _stable(z, y)))


def ce_zero(labels, logits, class_weight=None, ignore_index=None):
    return 0.0


def ce_scipy(labels, logits, class_weight=None, ignore_index=None):  # correct: SciPy, take
    y = np.asarray(labels)
    z = np.asarray(logits, dtype=np.float64)
    keep = y != ignore_index if ignore_index is not None else np.full(y.shape, True)
    y, z = y[keep], z[keep]
    log_p = z - scipy.special.logsumexp(z, axis=1, keepdims=True)
    nll = -np.take_along_axis(log_p, y[:, None], axis=1)[:, 0]
    w = np.ones(z.shape[1])[y] if class_weight is None else np.asarray(class_weight)[y]
    return float(np.average(nll, weights=w))


def ce_loop(labels, logits, class_weight=None, ignore_index=None):  # correct: one row at a time
    total, weight = 0.0, 0.0
    for label, row in zip(labels, logits, strict=True):
        if ignore_index is not None and label == ignore_index:
            continue
        row = [float(v) for v in row]
        top = max(row)
        lse = top + math.log(sum(math.exp(v - top) for v in row))
        c = 1.0 if class_weight is None else float(class_weight[label])
        total += c * (lse - row[label])
        weight += c
    return total / weight


# -- ex-ch05-wiring: torch_bce_loss ----------------------------------------------------------
def _refuse(p):
    if np.any((p < 0) | (p > 1)):
        raise ValueError("all elements of input should be between 0 and 1")


def bce_no_clamp(inputs, target):  # log(0) = -inf, and 0 * -inf = NaN
    p, y = np.asarray(inputs, float), np.asarray(target, float)
    _refuse(p)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


def bce_keras_clip(inputs, target):  # Keras's clip of the probability at 1e-7
    p, y = np.asarray(inputs, float), np.asarray(target, float)
    _refuse(p)
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


def _clamped(p, y):
    with np.errstate(divide="ignore"):
        return -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))


def bce_sum(inputs, target):  # reduction="sum"
    p, y = np.asarray(inputs, float), np.asarray(target, float)
    _refuse(p)
    return float(np.sum(_clamped(p, y)))


def bce_no_range_check(inputs, target):  # accepts log-probabilities and logits silently
    p, y = np.asarray(inputs, float), np.asarray(target, float)
    with np.errstate(invalid="ignore"):
        return float(np.mean(_clamped(p, y)))


def bce_log_likelihood(inputs, target):  # the log-likelihood, not its negative
    p, y = np.asarray(inputs, float), np.asarray(target, float)
    _refuse(p)
    return float(-np.mean(_clamped(p, y)))


def bce_runtime_error(inputs, target):  # PyTorch's RuntimeError, where a ValueError is asked
    p, y = np.asarray(inputs, float), np.asarray(target, float)
    if np.any((p < 0) | (p > 1)):
        raise RuntimeError("all elements of input should be between 0 and 1")
    return float(np.mean(_clamped(p, y)))


def bce_returns_input(inputs, target):
    return float(np.mean(inputs))


def bce_xlogy(inputs, target):  # correct: xlogy with the clamp written as max(y log p, -100 y)
    p, y = np.asarray(inputs, float), np.asarray(target, float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("input must be in [0, 1]")
    pos = np.maximum(scipy.special.xlogy(y, p), -100 * y)
    neg = np.maximum(scipy.special.xlog1py(1 - y, -p), -100 * (1 - y))
    return float(-np.mean(pos + neg))


def bce_loop(inputs, target):  # correct: a loop with math.log and log(1 - p)
    flat_p = np.ravel(inputs).tolist()
    flat_y = np.ravel(target).tolist()
    total = 0.0
    for p, y in zip(flat_p, flat_y, strict=True):
        if not 0 <= p <= 1:
            raise ValueError(f"not a probability: {p}")
        log_p = math.log(p) if p > 0 else -math.inf
        log_q = math.log(1 - p) if p < 1 else -math.inf
        total += -(y * max(log_p, -100.0) + (1 - y) * max(log_q, -100.0))
    return total / len(flat_p)


# -- ex-ch05-jacobian ------------------------------------------------------------------------
def _naive_p(z):
    e = np.exp(np.asarray(z, float))
    return e / e.sum()


def jacobian_naive_softmax(z):
    p = _naive_p(z)
    return np.diag(p) - np.outer(p, p)


def _p(z):
    return scipy.special.softmax(np.asarray(z, float))


def jacobian_flipped(z):  # p p^T - diag(p)
    p = _p(z)
    return np.outer(p, p) - np.diag(p)


def jacobian_dot_product(z):  # p @ p is a number, not the outer product
    p = _p(z)
    return np.diag(p) - p @ p


def jacobian_diagonal_only(z):  # the diagonal p (1 - p), off-diagonal forgotten
    p = _p(z)
    return np.diag(p * (1 - p))


def jacobian_vector(z):  # returns the diagonal as a vector
    p = _p(z)
    return p * (1 - p)


def jacobian_zeros(z):
    return np.zeros((np.size(z), np.size(z)))


def jacobian_loop(z):  # correct: entry by entry, p from exp(z - logsumexp(z))
    z = np.asarray(z, float)
    p = np.exp(z - scipy.special.logsumexp(z))
    k = z.size
    jac = np.empty((k, k))
    for j in range(k):
        for i in range(k):
            jac[j, i] = p[j] * ((1.0 if j == i else 0.0) - p[i])
    return jac


def jacobian_broadcast(z):  # correct: p[:, None] * (I - p[None, :]), in float32 for float32
    z = np.asarray(z)
    p = scipy.special.softmax(z)
    return p[:, None] * (np.eye(z.size, dtype=p.dtype) - p[None, :])


MUTANTS = [
    ("ex-ch05-smoothing-margin", margin_without_one, "margin"),
    ("ex-ch05-smoothing-margin", margin_target_one_minus_eps, "wrong"),
    ("ex-ch05-smoothing-margin", margin_loss_of_one_hot, "minimum"),
    ("ex-ch05-smoothing-margin", margin_one_other_class, "minimum"),
    ("ex-ch05-smoothing-margin", margin_in_bits, "factor"),
    ("ex-ch05-smoothing-margin", margin_swapped, "order"),
    ("ex-ch05-smoothing-margin", margin_refuses_eps_one, "raised"),
    ("ex-ch05-ce-from-logits", ce_naive_softmax, "nonfinite"),
    ("ex-ch05-ce-from-logits", ce_divides_by_n, "denominator"),
    ("ex-ch05-ce-from-logits", ce_ignored_still_counted, "denominator"),
    ("ex-ch05-ce-from-logits", ce_weights_accepted_not_used, "option_ignored"),
    ("ex-ch05-ce-from-logits", ce_column_block, "broadcast"),
    ("ex-ch05-ce-from-logits", ce_sum, "factor"),
    ("ex-ch05-ce-from-logits", ce_log_of_softmax, "nonfinite"),
    ("ex-ch05-ce-from-logits", ce_weight_by_position, "weighting"),
    ("ex-ch05-wiring", bce_no_clamp, "nonfinite"),
    ("ex-ch05-wiring", bce_keras_clip, "clip"),
    ("ex-ch05-wiring", bce_sum, "factor"),
    ("ex-ch05-wiring", bce_no_range_check, "no_error"),
    ("ex-ch05-wiring", bce_log_likelihood, "sign"),
    ("ex-ch05-wiring", bce_runtime_error, "wrong_error"),
    ("ex-ch05-jacobian", jacobian_naive_softmax, "nonfinite"),
    ("ex-ch05-jacobian", jacobian_flipped, "sign"),
    ("ex-ch05-jacobian", jacobian_dot_product, "wrong"),
    ("ex-ch05-jacobian", jacobian_diagonal_only, "diagonal"),
    ("ex-ch05-jacobian", jacobian_vector, "shape"),
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
        ("ex-ch05-smoothing-margin", margin_zeros),
        ("ex-ch05-ce-from-logits", ce_zero),
        ("ex-ch05-wiring", bce_returns_input),
        ("ex-ch05-jacobian", jacobian_zeros),
    ],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_a_trivial_answer_fails(label, trivial):
    report = _timed_check(label, trivial)
    assert not report.passed
    assert report.n_passed < report.n_cases


@pytest.mark.parametrize(
    ("label", "correct"),
    [
        ("ex-ch05-smoothing-margin", margin_scipy),
        ("ex-ch05-smoothing-margin", margin_root_finder),
        ("ex-ch05-smoothing-margin", margin_loss_at_optimum),
        ("ex-ch05-ce-from-logits", ce_scipy),
        ("ex-ch05-ce-from-logits", ce_loop),
        ("ex-ch05-wiring", bce_xlogy),
        ("ex-ch05-wiring", bce_loop),
        ("ex-ch05-jacobian", jacobian_loop),
        ("ex-ch05-jacobian", jacobian_broadcast),
    ],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_a_correct_implementation_written_differently_passes(label, correct):
    report = _timed_check(label, correct)
    assert report.passed, str(report)


def test_the_batteries_cover_the_chapters_traps():
    from mlecourse.check._ch05 import _bce_cases, _ce_cases, _jacobian_cases

    ce = _ce_cases()
    assert {c.option for c in ce} >= {"class_weight", "ignore_index"}
    assert any(np.max(np.abs(c.args[1])) >= 1e4 for c in ce)  # logits of +-1e4
    bce = _bce_cases()
    assert any(np.any(c.args[0] == 0) and np.any(c.args[0] == 1) for c in bce)
    assert sum(c.raises is ValueError for c in bce) == 2
    assert {c.group for c in _jacobian_cases()} >= {"extremes", "float32", "shapes"}


@pytest.mark.parametrize(
    ("label", "wrong", "words"),
    [  # the hint names the mistake the reader made, not a neighbouring one
        ("ex-ch05-ce-from-logits", ce_log_of_softmax, ["log(softmax(z))", "underflowed"]),
        ("ex-ch05-ce-from-logits", ce_naive_softmax, ["overflowed", "inf / inf = NaN"]),
        ("ex-ch05-wiring", bce_runtime_error, ["asks for a ValueError", "RuntimeError"]),
        ("ex-ch05-smoothing-margin", margin_refuses_eps_one, ["0 < eps <= 1"]),
    ],
    ids=lambda x: getattr(x, "__name__", None),
)
def test_the_hint_speaks_of_the_mistake(label, wrong, words):
    hint = _timed_check(label, wrong).first_failure.hint.text
    for word in words:
        assert word in hint, hint
