"""Solutions to the exercises of Chapter 11, *Choosing the likelihood for the target*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a
code cell that checks it; this module is the only copy of the code. ``WeibullHead``
builds on ``mlecourse.tfp.heads``, so importing this module imports TensorFlow (as
``mlecourse.tfp`` does); the other two functions use NumPy and SciPy only. Docstrings
are plain text, because the book shows the code itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import tensorflow as tf
import tensorflow_probability as tfp
from scipy import stats
from scipy.stats.distributions import rv_frozen

from mlecourse.tfp import heads

tfd = tfp.distributions


@dataclass(frozen=True)
class WeibullHead(heads.DistributionHead):
    """Weibull head: shape a = softplus(z0) + floor, scale b = softplus(z1) + floor.

    Exercise ex-ch11-weibull-head. The Weibull density of a duration y > 0 is
    (a / b) * (y / b)**(a - 1) * exp(-(y / b)**a): a < 1 gives a failure rate that
    falls with time, a = 1 the exponential distribution, a > 1 a rate that rises.
    Both parameters are positive, so each raw output goes through a softplus plus a
    floor, as in the package's heads; the loss is -tfd.Weibull(a, b).log_prob(y), and
    nll, nll_loss and the shape checks come from DistributionHead.

    Args:
        min_concentration: Floor of the shape a (>= 0).
        min_scale: Floor of the scale b (>= 0), in the target's units.

    Raises:
        ValueError: A floor that is negative or not a finite number.

    Examples:
        >>> head = WeibullHead(min_concentration=0.0, min_scale=0.0)
        >>> head.num_params
        2
        >>> # softplus(0.5413) = 1.0000: a = 1 and b = 1, the Exponential(1) at y = 2
        >>> print(f"{float(head.nll([2.0], [[0.5413, 0.5413]])):.4f}")
        2.0000
    """

    min_concentration: float = 1e-3
    min_scale: float = 1e-3
    kind = "weibull"

    def __post_init__(self) -> None:
        """Check the floors: finite numbers >= 0."""
        for name in ("min_concentration", "min_scale"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not np.isfinite(value)
                or value < 0
            ):
                raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")

    @property
    def num_params(self) -> int:
        """Two raw outputs, the raw shape and the raw scale."""
        return 2

    def distribution(self, raw_params: tf.Tensor) -> tfp.distributions.Weibull:
        """Weibull(softplus(z0) + min_concentration, softplus(z1) + min_scale)."""
        concentration = tf.math.softplus(raw_params[..., 0]) + self.min_concentration
        scale = tf.math.softplus(raw_params[..., 1]) + self.min_scale
        return tfd.Weibull(concentration=concentration, scale=scale)

    def check_targets(self, y: np.ndarray) -> None:
        """Targets are durations: finite and > 0."""
        if y.size and (not np.all(np.isfinite(y)) or np.any(y <= 0)):
            raise ValueError(
                "y_true of a WeibullHead must be finite durations > 0; got values in "
                f"[{np.min(y):g}, {np.max(y):g}]"
            )


def _positive_parameters(
    mean: npt.ArrayLike, total_count: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """The mean and the total count as float arrays, finite, > 0 and of one shape."""
    mu, r = np.asarray(mean), np.asarray(total_count)
    for name, arr in (("mean", mu), ("total_count", r)):
        if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
            raise TypeError(f"{name} must be numbers; got dtype {arr.dtype}")
        if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr <= 0):
            raise ValueError(f"{name} must be finite and > 0; got {arr!r}")
    if mu.ndim and r.ndim and mu.shape != r.shape:
        raise ValueError(
            "mean and total_count must be scalars or have the same shape; got shapes "
            f"{mu.shape} and {r.shape}"
        )
    dtype = np.result_type(mu.dtype, r.dtype, np.float32)
    return mu.astype(dtype), r.astype(dtype)


def negative_binomial_fisher_information(
    mean: npt.ArrayLike, total_count: npt.ArrayLike
) -> np.ndarray:
    """Fisher information about the mean in one negative-binomial count (r known).

    Exercise ex-ch11-nb-fisher. The score of y ~ NB(mean, r) is
    r * (y - mean) / (mean * (mean + r)); its variance is

        I(mean) = r / (mean * (mean + r)) = 1 / (mean + mean**2 / r),

    the reciprocal of the count's variance. As r grows it tends to the Poisson's
    1 / mean; n counts carry n times as much.

    Args:
        mean: The mean mu > 0, a scalar or an array.
        total_count: r > 0, a scalar or the shape of mean.

    Returns:
        I(mu), in the floating dtype of the inputs (float32 stays float32).

    Raises:
        TypeError: Non-numeric inputs.
        ValueError: A value that is not finite or not > 0, empty input, or two arrays
            of different shapes.

    Examples:
        >>> print(f"{negative_binomial_fisher_information(3.0, 2.0):.6f}")  # 2 / 15
        0.133333
        >>> print(f"{negative_binomial_fisher_information(3.0, 1e12):.6f}")  # ~ 1/3
        0.333333
    """
    mu, r = _positive_parameters(mean, total_count)
    return r / (mu * (mu + r))


def scipy_negative_binomial(
    mean: npt.ArrayLike, total_count: npt.ArrayLike
) -> rv_frozen:
    """SciPy's negative binomial with the given mean and total count r.

    Exercise ex-ch11-nb-parameterisation. scipy.stats.nbinom(n, p) counts failures
    before the n-th success, with mean n * (1 - p) / p, so a mean mu needs
    p = r / (r + mu): the complement of the probs = mu / (mu + r) that PyTorch's and
    TFP's NegativeBinomial(total_count, probs) take. Passing theirs to SciPy gives the
    mean r**2 / mu instead of mu.

    Args:
        mean: The mean mu > 0, a scalar or an array.
        total_count: r > 0, a scalar or the shape of mean.

    Returns:
        The frozen scipy.stats.nbinom(n=r, p=r / (r + mu)): mean mu, variance
        mu + mu**2 / r.

    Raises:
        TypeError: Non-numeric inputs.
        ValueError: A value that is not finite or not > 0, empty input, or two arrays
            of different shapes.

    Examples:
        >>> dist = scipy_negative_binomial(6.0, 2.0)
        >>> float(dist.mean()), float(dist.var())
        (6.0, 24.0)
    """
    mu, r = _positive_parameters(mean, total_count)
    return stats.nbinom(n=r, p=r / (r + mu))
