"""Chapter 5's batteries: smoothing's optimum, cross-entropy from logits, BCELoss, a Jacobian.

Each battery compares the reader's function with the tested solution in
:mod:`mlecourse.solutions.ch05` on typical inputs and on the traps the chapter names: the
smoothed target's 1 - eps + eps/K (not 1 - eps) and its entropy summed over all K classes; the
softmax of large logits, which overflows unless the largest logit is subtracted first
(logits of +-1e4, two logits of 1000); PyTorch's weighted mean, which divides by the sum of the
weights of the kept examples; ``ignore_index``; an ``(N, N)`` block picked by ``z[:, y]``;
``BCELoss``'s clamp of each logarithm at -100 (probabilities of exactly 0 and 1), which is not
Keras's clip of the probability at 1e-7; and the sign and the diagonal of
diag(p) - p p^T. Every exercise of the chapter asks for code, so every one has a battery.
"""

from __future__ import annotations

import numpy as np

from mlecourse.check._core import Case, Exercise, Hint
from mlecourse.solutions import ch05 as sol


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


# -- ex-ch05-smoothing-margin ------------------------------------------------------------------
def _margin_cases() -> list[Case]:
    return [
        Case("typical", (10, 0.1), note="K = 10, eps = 0.1: the chapter's figure"),
        Case("typical", (3, 0.1), note="K = 3, eps = 0.1"),
        Case("typical", (2, 0.25), note="two classes"),
        Case("extremes", (10, 1.0), note="eps = 1: the target is uniform, the margin 0"),
        Case("extremes", (2, 1e-6), note="eps = 1e-6: almost one-hot, a large margin"),
        Case("extremes", (1000, 0.1), note="K = 1000 classes"),
    ]


def _margin_diagnose(case: Case, expected: object, got: object) -> str | None:
    g, e = _floats(got), _floats(expected)
    if g is None or e is None or g.shape != (2,):
        return "pair"
    if _close(g[::-1], e, rtol=1e-10):
        return "order"
    margin_ok = _close(g[0], e[0], rtol=1e-10)
    loss_ok = _close(g[1], e[1], rtol=1e-10)
    if margin_ok and not loss_ok:
        return "minimum"
    if loss_ok and not margin_ok:
        return "margin"
    return None


_MARGIN = Exercise(
    label="ex-ch05-smoothing-margin",
    title="How confident does label smoothing allow a model to be?",
    signature="smoothed_optimal_margin(num_classes, label_smoothing) -> (margin, minimum_loss)",
    chapter=5,
    reference=sol.smoothed_optimal_margin,
    cases=_margin_cases,
    diagnose=_margin_diagnose,
    hints={
        "pair": Hint(
            "Return two numbers, (margin, minimum_loss): the optimal logit z_y first, then the "
            "smallest value of the smoothed loss.",
            "ex-ch05-smoothing-margin",
        ),
        "raised": Hint(
            "Your function raised. The exercise asks for every K >= 2 and 0 < eps <= 1: at "
            "eps = 1 the smoothed target is uniform and the margin log(1 + K (1 - eps) / eps) "
            "is log 1 = 0, and eps = 1e-6 or K = 1000 need no special case.",
            "ex-ch05-smoothing-margin",
        ),
        "order": Hint(
            "Both numbers are right but in the wrong order: return (margin, minimum_loss), the "
            "optimal logit z_y first.",
            "ex-ch05-smoothing-margin",
        ),
        "margin": Hint(
            "The minimum loss is right but the margin is not. With the other logits at 0, "
            "exp(z_y) = p_y / p_k, and at the optimum p is the smoothed target: 1 - eps + eps/K "
            "for the observed class (not 1 - eps) against eps/K for each other one, so "
            "z_y* = log(1 + K (1 - eps) / eps).",
            "thm-ch05-smoothing",
        ),
        "minimum": Hint(
            "The margin is right but the minimum loss is not. The minimum is the entropy of the "
            "smoothed target, a sum over all K classes: -q log q - (K - 1) (eps/K) log(eps/K) "
            "with q = 1 - eps + eps/K.",
            "thm-ch05-smoothing",
        ),
        "nonfinite": Hint(
            "inf or NaN: at eps = 1 the target is uniform and the margin is 0; "
            "log(K (1 - eps) / eps) is log 0 there. The margin is log(1 + K (1 - eps) / eps).",
            "thm-ch05-smoothing",
        ),
        "factor": Hint(
            "Both numbers are off by one factor: the book's logarithms are natural (nats), "
            "not log2 or log10.",
            "eq-ch05-smoothing",
        ),
        "wrong": Hint(
            "Both numbers are off. Write the smoothed target first: 1 - eps + eps/K for the "
            "observed class, eps/K for each of the K - 1 others (they sum to 1; eps is spread "
            "over all K classes, as in PyTorch and Keras, not as eps/(K - 1) over the others); "
            "the optimum p equals it, and the minimum is its entropy.",
            "eq-ch05-smoothing",
        ),
    },
)


# -- ex-ch05-ce-from-logits --------------------------------------------------------------------
def _ce_cases() -> list[Case]:
    rng = np.random.default_rng(505)
    z_typ = rng.normal(0.0, 2.0, (5, 3)).round(2)
    y_typ = np.array([0, 2, 1, 1, 2])
    z_ext = np.array([[1e4, 0.0, -1e4], [0.3, -0.2, 0.1], [-1e4, 1e4, 0.0]])
    y_ext = np.array([2, 0, 1])
    weights = np.array([0.5, 2.0, 3.0])
    y_pad = np.array([0, -100, 1, 2, -100])
    return [
        Case("typical", (y_typ, z_typ), note="5 examples, 3 classes, logits ~ N(0, 2^2)"),
        Case("typical", (np.array([1]), np.array([[0.3, -0.2]])), note="one example, K = 2"),
        Case("extremes", (y_ext, z_ext), note="logits of +-1e4"),
        Case(
            "extremes",
            (np.array([0, 2]), np.array([[1000.0, 1000.0, 1000.0], [-5.0, 1000.0, 1000.0]])),
            note="equal logits of 1000: log 3 and log 2, not NaN",
        ),
        Case(
            "float32",
            (y_typ, z_typ.astype(np.float32)),
            rtol=1e-5,
            atol=1e-6,
            note="float32 logits",
        ),
        Case(
            "shapes",
            (np.zeros(3, dtype=int), np.array([[0.4], [-2.0], [7.0]])),
            note="K = 1: (N, 1) logits, loss 0",
        ),
        Case(
            "options",
            (y_typ, z_typ),
            {"class_weight": weights},
            option="class_weight",
            note="class_weight = [0.5, 2, 3]",
        ),
        Case(
            "options",
            (y_typ, z_typ),
            {"ignore_index": 1},
            option="ignore_index",
            note="ignore_index = 1, a class of the data",
        ),
        Case(
            "options",
            (y_pad, z_typ),
            {"ignore_index": -100},
            option="ignore_index",
            note="two labels are -100, PyTorch's padding",
        ),
        Case(
            "options",
            (y_pad, z_typ),
            {"class_weight": weights, "ignore_index": -100},
            option="class_weight",
            note="class weights and -100 labels together",
        ),
    ]


def _ce_parts(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Per-row losses of the kept rows, their weights, the labels and logits, and N."""
    labels, logits = (np.asarray(a) for a in case.args)
    z = logits.astype(np.float64)
    c = np.asarray(case.kwargs.get("class_weight", np.ones(z.shape[1])), dtype=np.float64)
    ignore = case.kwargs.get("ignore_index")
    kept = np.ones(labels.shape, bool) if ignore is None else labels != ignore
    y, zk = labels[kept].astype(int), z[kept]
    z_max = zk.max(axis=1, keepdims=True)
    lse = z_max[:, 0] + np.log(np.exp(zk - z_max).sum(axis=1))
    return lse - zk[np.arange(y.size), y], c[y], y, zk, labels.size


def _ce_diagnose(case: Case, expected: object, got: object) -> str | None:
    g = _floats(got)
    if g is None or g.shape != () or not np.isfinite(g):
        return None  # the generic codes: shape, nonfinite
    losses, w, y, zk, n = _ce_parts(case)
    if case.kwargs and (
        _close(g, np.sum(w * losses) / n) or _close(g, np.sum(w * losses) / y.size)
    ):
        if not _close(g, expected):
            return "denominator"
    if set(case.kwargs) == {"class_weight"} and not _close(g, expected):
        if not _close(g, np.mean(losses)):  # an unused option: the core says option_ignored
            return "weighting"
    if not case.kwargs and y.size > 1:  # z[:, y]: every row's logsumexp minus every label's
        block = (losses + zk[np.arange(y.size), y])[:, None] - zk[:, y]  # (N, N)
        if _close(g, block.mean()):
            return "broadcast"
    return None


_CE = Exercise(
    label="ex-ch05-ce-from-logits",
    title="Cross-entropy from logits, with PyTorch's options",
    signature=(
        "cross_entropy_from_logits(labels, logits, class_weight=None, ignore_index=None) -> float"
    ),
    chapter=5,
    reference=sol.cross_entropy_from_logits,
    cases=_ce_cases,
    diagnose=_ce_diagnose,
    hints={
        "nonfinite": Hint(
            "inf or NaN at large logits. Either exp(z) overflowed (exp(1e4) = inf, and "
            "inf / inf = NaN), or a probability underflowed to 0 and its log is -inf: "
            "log(softmax(z)) fails at logits of +-1e4 even with a stable softmax. Compute "
            "-log p_y from the logits, logsumexp(z) - z_y, with "
            "logsumexp(z) = z_max + log(sum(exp(z - z_max))).",
            "thm-ch05-lse",
        ),
        "weighting": Hint(
            "The class weights are applied wrongly: example i's loss is multiplied by "
            "c[y_i], the weight of its observed class (the weights indexed by the label, not "
            "by the position i), and the sum is divided by the sum of those same c[y_i].",
            "eq-ch05-class-weight",
        ),
        "denominator": Hint(
            "The weighted sum is right but the denominator is not: PyTorch's mean divides by "
            "the sum of the class weights c[y_i] of the kept examples, not by their number N "
            "(and an ignored example counts in neither the sum nor the denominator).",
            "eq-ch05-class-weight",
        ),
        "broadcast": Hint(
            "z[:, y] picks an (N, N) block (every row at every label), and its mean is not the "
            "loss. Pick one entry per row: z[np.arange(N), y].",
            "eq-ch05-ce-logits",
        ),
        "option_ignored": Hint(
            "The option of this case had no effect: class weights multiply each example's loss "
            "by c[y_i] (and divide by their sum); ignore_index drops the examples with that "
            "label from the sum and from the count, whatever class it names.",
            "sec-ch05-ignore-index",
        ),
        "raised": Hint(
            "Your function raised. If the labels hold ignore_index (-100 here), drop those rows "
            "before you index the logits with the labels: -100 is not a class.",
            "sec-ch05-ignore-index",
        ),
        "factor": Hint(
            "Off by a constant factor: the exercise asks for the mean over the examples, "
            "PyTorch's default, not the sum.",
            "eq-ch05-class-weight",
        ),
        "wrong": Hint(
            "Each example's loss is logsumexp(z_i) - z_i[y_i]: the log-sum-exp over the classes "
            "(axis 1) minus the logit of the observed class.",
            "eq-ch05-ce-logits",
        ),
    },
)


# -- ex-ch05-wiring: torch_bce_loss ------------------------------------------------------------
def _bce_cases() -> list[Case]:
    rng = np.random.default_rng(506)
    p = rng.uniform(0.05, 0.95, 6).round(3)
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    soft = rng.uniform(0.0, 1.0, 6).round(2)
    return [
        Case("typical", (p, y), note="6 probabilities, hard targets"),
        Case("typical", (p, soft), note="soft targets in [0, 1]"),
        Case(
            "extremes",
            (np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.0, 1.0])),
            note="probabilities of exactly 0 and 1: each log clamped at -100",
        ),
        Case(
            "extremes",
            (np.array([1e-50, 1e-30, 0.5]), np.array([1.0, 1.0, 0.0])),
            note="log(1e-50) = -115 is clamped, log(1e-30) = -69 is not",
        ),
        Case(
            "extremes",
            (np.array([0.0, 1.0]), np.array([0.3, 0.8])),
            note="soft targets at p = 0 and 1",
        ),
        Case(
            "float32",
            (p.astype(np.float32), y.astype(np.float32)),
            rtol=1e-5,
            atol=1e-6,
            note="float32 inputs",
        ),
        Case("shapes", (p[:, None], y[:, None]), note="(N, 1) columns"),
        Case("shapes", (p.reshape(2, 3), soft.reshape(2, 3)), note="a (2, 3) multi-label batch"),
        Case(
            "errors",
            (np.array([-0.1, -2.3, -0.7]), np.array([1.0, 0.0, 1.0])),
            raises=ValueError,
            note="log-probabilities (LogSigmoid + BCELoss)",
        ),
        Case(
            "errors",
            (np.array([0.2, 1.5]), np.array([1.0, 0.0])),
            raises=ValueError,
            note="a logit of 1.5 read as a probability",
        ),
    ]


def _bce_diagnose(case: Case, expected: object, got: object) -> str | None:
    g = _floats(got)
    if g is None or g.shape != () or not np.isfinite(g):
        return None
    p, y = (np.asarray(a, dtype=np.float64) for a in case.args)
    clipped = np.clip(p, 1e-7, 1 - 1e-7)
    keras = np.mean(-(y * np.log(clipped) + (1 - y) * np.log1p(-clipped)))
    if _close(g, keras, rtol=1e-6) and not _close(g, expected):
        return "clip"
    return None


_BCE = Exercise(
    label="ex-ch05-wiring",
    title="Right, acceptable or wrong? Wiring a classifier to its loss",
    signature="torch_bce_loss(inputs, target) -> float",
    chapter=5,
    reference=sol.torch_bce_loss,
    cases=_bce_cases,
    diagnose=_bce_diagnose,
    hints={
        "nonfinite": Hint(
            "inf or NaN at a probability of exactly 0 or 1: log(0) = -inf, and 0 * -inf is NaN. "
            "BCELoss clamps each logarithm, max(log p, -100) and max(log(1 - p), -100), before "
            "multiplying by y and 1 - y.",
            "ex-ch05-wiring",
        ),
        "clip": Hint(
            "This is Keras's clip of the probability to [1e-7, 1 - 1e-7] (a cap of 16.12 nats). "
            "PyTorch's BCELoss clamps the logarithm instead, at -100: a confident mistake costs "
            "100 nats.",
            "ex-ch05-wiring",
        ),
        "raised": Hint(
            "Your function raised. On an input outside [0, 1] the exercise asks for a "
            "ValueError (PyTorch raises a RuntimeError; here, raise ValueError); on every "
            "probability in [0, 1], 0 and 1 included, it must return a number: math.log(0) "
            "raises, np.log(0) gives -inf, which the clamp max(log p, -100) turns into -100.",
            "ex-ch05-wiring",
        ),
        "wrong_error": Hint(
            "On an input outside [0, 1] the exercise asks for a ValueError; PyTorch raises a "
            "RuntimeError there, but here raise ValueError.",
            "ex-ch05-wiring",
        ),
        "no_error": Hint(
            "An input outside [0, 1] is not a probability (it is a logit, or a log-probability "
            "from LogSigmoid): like PyTorch, refuse it, here with a ValueError.",
            "ex-ch05-wiring",
        ),
        "factor": Hint(
            "Off by a constant factor: BCELoss's default reduction is the mean over all "
            "entries, not the sum.",
            "ex-ch05-wiring",
        ),
        "sign": Hint(
            "Your loss has the opposite sign: the loss is minus the Bernoulli log-likelihood, "
            "-(y log p + (1 - y) log(1 - p)).",
            "ex-ch05-wiring",
        ),
        "wrong": Hint(
            "BCELoss is mean(-(y max(log p, -100) + (1 - y) max(log(1 - p), -100))), over all "
            "entries, with the inputs read as probabilities.",
            "ex-ch05-wiring",
        ),
    },
)


# -- ex-ch05-jacobian --------------------------------------------------------------------------
def _jacobian_cases() -> list[Case]:
    z = np.array([0.5, -1.2, 2.0, 0.1])
    return [
        Case("typical", (z,), note="4 logits"),
        Case("typical", (np.array([0.0, 0.0]),), note="two equal logits: p = (1/2, 1/2)"),
        Case("extremes", (np.array([1e4, 0.0, -1e4]),), note="logits of +-1e4: p one-hot, J = 0"),
        Case("extremes", (np.array([1000.0, 1000.0]),), note="two logits of 1000"),
        Case("float32", (z.astype(np.float32),), rtol=1e-5, atol=1e-7, note="float32 logits"),
        Case("shapes", (np.array([3.0]),), note="K = 1: a (1, 1) matrix of 0"),
        Case("shapes", (np.linspace(-1.0, 1.5, 6),), note="K = 6"),
    ]


def _jacobian_diagnose(case: Case, expected: object, got: object) -> str | None:
    g, e = _floats(got), _floats(expected)
    if g is None or e is None or g.shape != e.shape or not np.all(np.isfinite(g)):
        return None
    if _close(np.diag(g), np.diag(e)) and _close(g, np.diag(np.diag(e))):
        return "diagonal"
    return None


_JACOBIAN = Exercise(
    label="ex-ch05-jacobian",
    title="The softmax Jacobian",
    signature="softmax_jacobian(z) -> (K, K) array",
    chapter=5,
    reference=sol.softmax_jacobian,
    cases=_jacobian_cases,
    diagnose=_jacobian_diagnose,
    hints={
        "nonfinite": Hint(
            "inf or NaN at large logits: exp(1000) overflows. The softmax does not change when "
            "the same constant is subtracted from every logit: exponentiate z - max(z).",
            "thm-ch05-lse",
        ),
        "sign": Hint(
            "Your matrix has the opposite sign: dp_j/dz_k = p_j ([j = k] - p_k), i.e. "
            "diag(p) - p p^T, positive on the diagonal.",
            "eq-ch05-grad",
        ),
        "shape": Hint(
            "Return the whole K x K matrix dp_j/dz_k, not only its diagonal p_k (1 - p_k) or a "
            "vector.",
            "eq-ch05-grad",
        ),
        "diagonal": Hint(
            "Only the diagonal is right: off the diagonal dp_j/dz_k = -p_j p_k, which is not 0 "
            "(np.diag(p) - np.outer(p, p)).",
            "eq-ch05-grad",
        ),
        "wrong": Hint(
            "Each entry is dp_j/dz_k = p_j ([j = k] - p_k) with p = softmax(z): "
            "np.diag(p) - np.outer(p, p). (p @ p is a number, not the outer product.)",
            "eq-ch05-grad",
        ),
    },
)

EXERCISES = (_MARGIN, _CE, _BCE, _JACOBIAN)
