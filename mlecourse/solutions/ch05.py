"""Solutions to the exercises of Chapter 5, *Categorical → cross-entropy*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code. Plain NumPy, no
TensorFlow and no PyTorch: the ``torch_*`` functions re-implement what PyTorch's losses
compute, and the tests compare them with values recorded from torch 2.13.0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mlecourse import special


def smoothed_optimal_margin(
    num_classes: int, label_smoothing: float
) -> tuple[float, float]:
    """The loss-minimising logit margin under label smoothing, and the minimum loss.

    Exercise ex-ch05-smoothing-margin. With logit z_y for the observed class y and 0 for
    the other K - 1, the smoothed cross-entropy is smallest where the softmax equals the
    smoothed target: 1 - eps + eps / K for the observed class, eps / K for each other
    one. So z_y* = log(q_true / q_other) = log(1 + K (1 - eps) / eps), and the minimum
    is the entropy of the smoothed target,
    -q_true log q_true - (1 - q_true) log(eps / K).

    Args:
        num_classes: K >= 2.
        label_smoothing: eps in (0, 1] (with eps = 0 the margin is infinite).

    Returns:
        (margin, minimum_loss) in logit units and nats.

    Raises:
        ValueError: If num_classes < 2 or label_smoothing is not in (0, 1].

    Examples:
        >>> margin, loss = smoothed_optimal_margin(10, 0.1)
        >>> round(margin, 4), round(loss, 4)
        (4.5109, 0.5003)
    """
    if num_classes < 2:
        raise ValueError(f"num_classes must be >= 2; got {num_classes}")
    if not 0.0 < label_smoothing <= 1.0:
        raise ValueError(
            "label_smoothing must be in (0, 1] (0 gives an infinite margin); "
            f"got {label_smoothing}"
        )
    k, eps = num_classes, label_smoothing
    q_true, q_other = 1.0 - eps + eps / k, eps / k
    margin = math.log1p(k * (1.0 - eps) / eps)  # log(q_true / q_other)
    entropy = -q_true * math.log(q_true) - (1.0 - q_true) * math.log(q_other)
    return margin, entropy


def cross_entropy_from_logits(
    labels: npt.ArrayLike,
    logits: npt.ArrayLike,
    class_weight: npt.ArrayLike | None = None,
    ignore_index: int | None = None,
) -> float:
    """Mean cross-entropy from logits, with PyTorch's class weights and ignore_index.

    Exercise ex-ch05-ce-from-logits. Over the kept examples (label not equal to
    ignore_index), with c the class weights and z_i the logits of example i:

        sum_i c[y_i] * (logsumexp(z_i) - z_i[y_i]) / sum_i c[y_i]

    with logsumexp(z) = m + log(sum(exp(z - m))), m = max(z), so that no exponential
    overflows.

    Args:
        labels: Integer class indices, shape (N,).
        logits: Real scores, shape (N, K).
        class_weight: One weight >= 0 per class, shape (K,); all 1 if None.
        ignore_index: A label value to skip (e.g. PyTorch's -100), or None.

    Returns:
        The weighted mean loss (a Python float).

    Raises:
        ValueError: On shapes that do not fit, labels out of range, or when every
            entry is ignored or weighted 0 (the mean would be 0 / 0).

    Examples:
        >>> round(cross_entropy_from_logits([0, 1], [[0.0, 0.0], [1e4, 0.0]]), 6)
        5000.346574
    """
    y = np.asarray(labels)
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 2 or y.shape != z.shape[:1]:
        raise ValueError(
            f"logits must be (N, K) and labels (N,); got {z.shape} and {y.shape}"
        )
    num_classes = z.shape[1]
    c = (
        np.ones(num_classes)
        if class_weight is None
        else np.asarray(class_weight, np.float64)
    )
    if c.shape != (num_classes,):
        raise ValueError(
            f"class_weight must have shape ({num_classes},); got {c.shape}"
        )
    kept = np.ones(y.shape, bool) if ignore_index is None else y != ignore_index
    y_kept, z_kept = y[kept].astype(np.int64), z[kept]
    if np.any((y_kept < 0) | (y_kept >= num_classes)):
        raise ValueError(f"labels must be in [0, {num_classes - 1}] or ignore_index")
    m = z_kept.max(axis=1, keepdims=True)
    # logsumexp(z) = m + log(sum(exp(z - m))): every exponent <= 0
    lse = m[:, 0] + np.log(np.exp(z_kept - m).sum(axis=1))
    nll = lse - z_kept[np.arange(y_kept.size), y_kept]  # -log p_y = logsumexp(z) - z_y
    weights = c[y_kept]
    if weights.sum() == 0:
        raise ValueError(
            "the mean is undefined: no entry is kept with a non-zero weight"
        )
    return float(np.sum(weights * nll) / weights.sum())


def softmax_jacobian(z: npt.ArrayLike) -> np.ndarray:
    """The Jacobian of the softmax, d p_j / d z_k, for logits z.

    Exercise ex-ch05-jacobian: J = diag(p) - p p^T with p = softmax(z), in NumPy
    np.diag(p) - np.outer(p, p). It is symmetric, its rows sum to 0, and the all-ones
    vector spans its null space (the softmax ignores a common shift of the logits).

    Args:
        z: Logits, shape (K,).

    Returns:
        The (K, K) Jacobian, float64.

    Raises:
        ValueError: If z is not one-dimensional.

    Examples:
        >>> softmax_jacobian([0.0, 0.0]).tolist()
        [[0.25, -0.25], [-0.25, 0.25]]
    """
    logits = np.asarray(z, dtype=np.float64)
    if logits.ndim != 1:
        raise ValueError(f"z must be one-dimensional; got shape {logits.shape}")
    # softmax is shift-invariant: subtract the largest logit so that no exp overflows
    e = np.exp(logits - logits.max())
    p = e / e.sum()
    return np.diag(p) - np.outer(p, p)


# --- Exercise ex-ch05-wiring: PyTorch's losses re-implemented, and the wiring quiz ---


def torch_nll_loss(inputs: npt.ArrayLike, target: npt.ArrayLike) -> float:
    """PyTorch's NLLLoss (mean): minus the mean of the entry of the observed class.

    It takes no logarithm: it expects log-probabilities and picks -inputs[i, target[i]].

    Args:
        inputs: Shape (N, K), whatever the layer before produced.
        target: Class indices, shape (N,).

    Returns:
        -mean(inputs[i, target[i]]).

    Examples:
        >>> torch_nll_loss([[0.0, 2.0]], [1])
        -2.0
    """
    a, y = np.asarray(inputs, dtype=np.float64), np.asarray(target)
    return float(-np.mean(a[np.arange(y.size), y]))


def torch_cross_entropy(inputs: npt.ArrayLike, target: npt.ArrayLike) -> float:
    """PyTorch's CrossEntropyLoss (mean): NLLLoss of log_softmax(inputs).

    Args:
        inputs: Shape (N, K), read as logits.
        target: Class indices, shape (N,).

    Returns:
        mean(logsumexp(z_i) - z_i[y_i]).

    Examples:
        >>> round(torch_cross_entropy([[0.0, 0.0]], [1]), 6)
        0.693147
    """
    return torch_nll_loss(special.log_softmax(np.asarray(inputs, np.float64)), target)


def torch_bce_with_logits(inputs: npt.ArrayLike, target: npt.ArrayLike) -> float:
    """PyTorch's BCEWithLogitsLoss (mean): the Bernoulli NLL of logits, in log space.

    -(y log sigmoid(z) + (1 - y) log sigmoid(-z)), using log(1 - sigmoid(z)) =
    log_sigmoid(-z).

    Args:
        inputs: Logits z, any shape.
        target: Targets y in [0, 1], the same shape.

    Returns:
        The mean over all entries.

    Examples:
        >>> round(torch_bce_with_logits([0.0], [1.0]), 6)
        0.693147
    """
    z, y = np.asarray(inputs, np.float64), np.asarray(target, np.float64)
    return float(
        np.mean(-(y * special.log_sigmoid(z) + (1 - y) * special.log_sigmoid(-z)))
    )


def torch_bce_loss(inputs: npt.ArrayLike, target: npt.ArrayLike) -> float:
    """PyTorch's BCELoss (mean): the Bernoulli NLL, each log clamped at -100.

    The input is read as probabilities. Like PyTorch, it refuses inputs outside [0, 1]
    (PyTorch raises a RuntimeError with the message "all elements of input should be
    between 0 and 1").

    Args:
        inputs: Probabilities p, any shape.
        target: Targets y in [0, 1], the same shape.

    Returns:
        mean(-(y max(log p, -100) + (1 - y) max(log(1 - p), -100))).

    Raises:
        ValueError: If an input lies outside [0, 1].

    Examples:
        >>> torch_bce_loss([0.0], [1.0])
        100.0
    """
    p, y = np.asarray(inputs, np.float64), np.asarray(target, np.float64)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("all elements of input should be between 0 and 1")
    with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped like PyTorch
        log_p, log_1mp = np.maximum(np.log(p), -100.0), np.maximum(np.log1p(-p), -100.0)
    return float(np.mean(-(y * log_p + (1 - y) * log_1mp)))


@dataclass(frozen=True)
class Wiring:
    """One way of wiring a network's last layer to a loss, computed and judged.

    Attributes:
        task: "binary" or "multi-class".
        layer: The activation before the loss ("none" for raw logits).
        loss: The PyTorch loss class.
        value: The loss on the quiz's moderate logits (nan if it raises).
        verdict: "right", "acceptable" or "wrong".
        reason: Why, in a few words.
    """

    task: str
    layer: str
    loss: str
    value: float
    verdict: str
    reason: str


_LAYERS = {
    "none": lambda z: z,
    "Sigmoid": special.sigmoid,
    "LogSigmoid": special.log_sigmoid,
    "Softmax": special.softmax,
    "LogSoftmax": special.log_softmax,
}
_LOSSES = {
    "BCELoss": torch_bce_loss,
    "BCEWithLogitsLoss": torch_bce_with_logits,
    "NLLLoss": torch_nll_loss,
    "CrossEntropyLoss": torch_cross_entropy,
}
_QUIZ = (  # (task, layer, loss, reason)
    ("binary", "none", "BCEWithLogitsLoss", "the Bernoulli NLL, in log space"),
    ("binary", "Sigmoid", "BCELoss", "right value, but log(p) is clamped at -100"),
    ("binary", "Sigmoid", "BCEWithLogitsLoss", "double sigmoid: p in (0.5, 0.73)"),
    ("binary", "LogSigmoid", "BCELoss", "error: inputs are not in [0, 1]"),
    ("binary", "LogSigmoid", "BCEWithLogitsLoss", "log-probabilities read as logits"),
    ("binary", "none", "BCELoss", "error: logits are not in [0, 1]"),
    ("multi-class", "none", "CrossEntropyLoss", "the categorical NLL, in log space"),
    ("multi-class", "LogSoftmax", "NLLLoss", "exactly what CrossEntropyLoss does"),
    (
        "multi-class",
        "LogSoftmax",
        "CrossEntropyLoss",
        "redundant but exact: a shift of z",
    ),
    ("multi-class", "Softmax", "CrossEntropyLoss", "double softmax: loss has a floor"),
    ("multi-class", "Softmax", "NLLLoss", "-p_y, not -log p_y: not a likelihood"),
    ("multi-class", "none", "NLLLoss", "-z_y: unbounded below"),
)


def _wired_loss(layer: str, loss: str, z: np.ndarray, y: np.ndarray) -> float:
    """The loss of one wiring, or nan if the loss refuses its input."""
    try:
        return _LOSSES[loss](_LAYERS[layer](z), y)
    except ValueError:
        return math.nan


def wiring_quiz(
    z_binary: npt.ArrayLike,
    y_binary: npt.ArrayLike,
    z_multi: npt.ArrayLike,
    y_multi: npt.ArrayLike,
    *,
    scale: float = 100.0,
) -> list[Wiring]:
    """Compute every wiring of the quiz and judge it against the exact NLL.

    Exercise ex-ch05-wiring. A wiring is "right" if it returns the exact negative
    log-likelihood (BCE or categorical cross-entropy from logits, computed in log space)
    both on the given logits and on the logits multiplied by scale (confident outputs);
    "acceptable" if it is exact on the given logits only; "wrong" if it returns another
    number or raises.

    Args:
        z_binary: Logits of a binary classifier, shape (N,).
        y_binary: Its targets in {0, 1}, shape (N,).
        z_multi: Logits of a K-class classifier, shape (M, K).
        y_multi: Its class indices, shape (M,).
        scale: The factor that makes the logits confident.

    Returns:
        One Wiring per option, in the order of the quiz.

    Examples:
        >>> quiz = wiring_quiz([-3.0, 1.0], [1, 0], [[2.0, 0.0]], [1])
        >>> [w.verdict for w in quiz][:3]
        ['right', 'acceptable', 'wrong']
    """
    data = {
        "binary": (np.asarray(z_binary, np.float64), np.asarray(y_binary, np.float64)),
        "multi-class": (np.asarray(z_multi, np.float64), np.asarray(y_multi)),
    }
    exact = {"binary": torch_bce_with_logits, "multi-class": torch_cross_entropy}
    verdicts = []
    for task, layer, loss, reason in _QUIZ:
        z, y = data[task]
        ok = [
            math.isclose(
                _wired_loss(layer, loss, s * z, y), exact[task](s * z, y), rel_tol=1e-9
            )
            for s in (1.0, scale)
        ]
        verdict = "right" if all(ok) else "acceptable" if ok[0] else "wrong"
        value = _wired_loss(layer, loss, z, y)
        verdicts.append(Wiring(task, layer, loss, value, verdict, reason))
    return verdicts
