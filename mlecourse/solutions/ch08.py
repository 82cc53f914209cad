"""Solutions to the exercises of Chapter 8, *Training networks by maximum likelihood*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a
code cell that checks it; this module is the only copy of the code. The functions use
NumPy only (no TensorFlow), so they can be imported and tested anywhere. Docstrings are
plain text, because the book shows the code itself.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


def _finite(x: npt.ArrayLike, name: str) -> np.ndarray:
    """A finite float64 array, or a ValueError naming the argument."""
    arr = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got NaN or infinity")
    return arr


def poisson_nll_gradient(
    y: npt.ArrayLike, raw: npt.ArrayLike, *, activation: str = "exp"
) -> np.ndarray:
    """Derivative of the Poisson NLL with respect to the network's raw output.

    Exercise ex-ch08-poisson-link. The per-example loss is
    rate - y * log(rate) + log(y!) with rate = g^-1(z), the output activation applied to
    the raw output z (exp is the inverse of the log link; softplus is the inverse of the
    link softplus^-1). By the chain rule the derivative is (1 - y / rate) * d rate / dz,
    so

        exp (log link, rate = exp(z)):   exp(z) - y
        softplus (rate = softplus(z)):   sigmoid(z) * (1 - y / softplus(z))

    The first is "mean minus target"; the second tends to 1 as z grows (a far too large
    rate is corrected slowly) and to -y as z falls, like the first.

    Args:
        y: Counts (whole numbers >= 0), any shape broadcastable with raw.
        raw: Raw network outputs z (the log-rate for the exp activation).
        activation: "exp" (rate = exp(z): the Poisson's canonical log link) or
            "softplus" (rate = softplus(z)).

    Returns:
        The derivative of the loss with respect to z, one value per example.

    Raises:
        ValueError: If activation is unknown, an input is not finite, or y is not a
            count.

    Examples:
        >>> poisson_nll_gradient([0.0, 3.0], [0.0, 0.0]).tolist()  # e^0 - y
        [1.0, -2.0]
        >>> print(f"{poisson_nll_gradient(2.0, 0.0, activation='softplus'):.6f}")
        -0.942695
    """
    y = _finite(y, "y")
    z = _finite(raw, "raw")
    if np.any(y < 0) or np.any(y != np.round(y)):
        raise ValueError("y must be counts (whole numbers >= 0)")
    if activation == "exp":
        # lambda = exp(z): d lambda/dz = lambda, so (1 - y/lambda) * lambda = lambda - y
        return np.exp(z) - y
    if activation == "softplus":
        rate = np.logaddexp(0.0, z)  # softplus(z) = log(1 + e^z), without overflow
        slope = np.exp(-np.logaddexp(0.0, -z))  # d softplus / dz = sigmoid(z)
        return slope * (1.0 - y / rate)
    raise ValueError(f"activation must be 'exp' or 'softplus'; got {activation!r}")


def gaussian_mixture_nll(
    y: npt.ArrayLike, logits: npt.ArrayLike, means: npt.ArrayLike, scales: npt.ArrayLike
) -> np.ndarray:
    """Per-example negative log-likelihood of a Gaussian mixture, computed in log space.

    Exercise ex-ch08-mixture-nll. The mixture density network's output for one example
    is J mixing logits, J means and J standard deviations (scales > 0), and

        -log p(y) = -logsumexp_j(log_softmax(logits)_j + log N(y; mean_j, scale_j**2))

    Summing the densities themselves underflows to 0 (an infinite NLL) as soon as y lies
    a few dozen scales away from every component; the log-sum-exp never does.

    Args:
        y: Targets, shape (n,).
        logits: Mixing logits, shape (n, J).
        means: Component means, shape (n, J).
        scales: Component standard deviations, shape (n, J), all > 0.

    Returns:
        The NLL of each example, shape (n,).

    Raises:
        ValueError: If the shapes do not match, a value is not finite, or a scale is not
            positive.

    Examples:
        >>> nll = gaussian_mixture_nll([0.0], [[0.0, 0.0]], [[0.0, 0.0]], [[1.0, 1.0]])
        >>> print(f"{nll[0]:.6f}")  # two identical N(0, 1) components: 0.5 log(2 pi)
        0.918939
    """
    y = _finite(y, "y")
    logits, means, scales = (
        _finite(a, name)
        for a, name in ((logits, "logits"), (means, "means"), (scales, "scales"))
    )
    if y.ndim != 1 or logits.ndim != 2 or logits.shape[0] != y.shape[0]:
        raise ValueError(
            f"y must be (n,) and logits (n, J); got {y.shape} and {logits.shape}"
        )
    if means.shape != logits.shape or scales.shape != logits.shape:
        raise ValueError(
            "logits, means and scales must have the same shape (n, J); "
            f"got {logits.shape}, {means.shape} and {scales.shape}"
        )
    if np.any(scales <= 0):
        raise ValueError(f"scales must be positive; got minimum {scales.min()!r}")
    # log softmax(a)_k = a_k - logsumexp(a): never log(softmax(a)), which can give log 0
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_weights = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    standardised = (y[:, None] - means) / scales
    log_components = -np.log(scales) - _LOG_SQRT_2PI - 0.5 * standardised**2
    terms = log_weights + log_components
    # log sum_k exp(t_k) = m + log sum_k exp(t_k - m), m = max_k t_k: top term exp(0)
    top = terms.max(axis=-1, keepdims=True)
    log_density = top[:, 0] + np.log(np.sum(np.exp(terms - top), axis=-1))
    return -log_density


def collapsed_mixture_nll(
    y: npt.ArrayLike, scale: float, *, broad_scale: float = 1.0
) -> float:
    """Mean training NLL of a two-component mixture whose first component sits on y[0].

    Exercise ex-ch08-collapse. Equal mixing weights; component 1 is N(y[0], scale**2)
    and component 2 is N(mean(y), broad_scale**2). As scale -> 0 the first example's
    density grows like 1 / (2 * scale * sqrt(2 pi)) while every other example keeps at
    least half of the broad component's density, so the mean NLL falls below

        (log(2 * sqrt(2 pi) * scale)
         - sum_{i >= 2} log(N(y_i; mean(y), broad_scale**2) / 2)) / n

    without limit. Computed as
    gaussian_mixture_nll(y, 0, [y[0], mean(y)], [scale, broad_scale]).

    Args:
        y: The training targets, shape (n,), n >= 1.
        scale: The scale > 0 of the collapsing component (sigma in the book).
        broad_scale: The scale > 0 of the broad component.

    Returns:
        The mean NLL over the n examples.

    Raises:
        ValueError: If y is empty or not 1-D, or a scale is not positive and finite.

    Examples:
        >>> y = [1.0, 0.0, -0.5]
        >>> [round(collapsed_mixture_nll(y, sigma), 3) for sigma in (1.0, 1e-3, 1e-6)]
        [1.239, -0.612, -2.914]
    """
    y = _finite(y, "y")
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"y must be a non-empty 1-D array; got shape {y.shape}")
    for value, name in ((scale, "scale"), (broad_scale, "broad_scale")):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive and finite; got {value!r}")
    n = y.size
    means = np.tile([y[0], y.mean()], (n, 1))
    scales = np.tile([float(scale), float(broad_scale)], (n, 1))
    return float(np.mean(gaussian_mixture_nll(y, np.zeros((n, 2)), means, scales)))
