"""Small synthetic datasets whose true generating parameters are known.

Every chapter fits a model and then compares the estimate with the truth, so each
function here returns the sampled arrays *and* the parameters (or functions) that
generated them, bundled in a frozen dataclass. Nothing is ever downloaded.

Decisions (written down once, here):

* **Determinism** -- every function takes an integer ``seed`` (default 0) and draws
  from ``np.random.default_rng(seed)`` only. The same arguments give bit-identical
  arrays on every platform NumPy supports; a different seed gives different draws.
  ``None`` is not accepted: a course dataset that changes between runs would break the
  committed notebook outputs.
* **dtypes** -- features, targets and true parameters are float64; class labels are
  int64. Binary targets (``coin_flips``, ``logistic_regression``) are float64 0.0/1.0,
  ready for the losses; counts (``poisson_counts``) are float64 whole numbers.
* **shapes** -- design matrices are ``(n, d)``; one-dimensional regression inputs are
  ``(n,)`` (use ``x[:, None]`` to feed a Keras ``Dense`` layer); targets are ``(n,)``.
* **order** -- rows are in random order (never sorted by ``x`` or grouped by class), so
  slicing off the first rows gives an unbiased sample; sort by ``x`` to draw a curve.
* **frozen** -- the dataclasses are frozen (fields cannot be reassigned). The arrays
  themselves are fresh for every call and writable: changing them in place affects only
  that copy.

Examples:
    >>> from mlecourse import datasets
    >>> data = datasets.coin_flips(5, theta=0.2, seed=0)
    >>> data.y.shape, data.y.dtype, data.theta
    ((5,), dtype('float64'), 0.2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mlecourse import _checks as checks

__all__ = [
    "BlobsData",
    "CoinFlips",
    "HeteroscedasticData",
    "LinearRegressionData",
    "LogisticRegressionData",
    "OneToManyData",
    "PoissonCountsData",
    "coin_flips",
    "gaussian_blobs",
    "heteroscedastic_regression",
    "linear_regression",
    "logistic_regression",
    "one_to_many",
    "poisson_counts",
]

# Largest Poisson rate we agree to sample: beyond it the weights are almost surely a typo,
# and exp(log-rate) is on its way to overflow.
_MAX_POISSON_RATE = 1e8


def _parameter_vector(values: npt.ArrayLike, name: str) -> np.ndarray:
    """A finite, non-empty 1-D float64 parameter vector (a scalar becomes length 1)."""
    arr = checks.as_float(values, name, np.float64)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of numbers; got shape {arr.shape}")
    checks.check_nonempty(arr, name)
    checks.check_finite(arr, name)
    return arr.copy()


@dataclass(frozen=True)
class CoinFlips:
    """Independent Bernoulli(θ) draws.

    Attributes:
        y: Outcomes, float64 array of shape ``(n,)`` with values 0.0 and 1.0.
        theta: The true probability of a 1 ("heads").
    """

    y: np.ndarray
    theta: float


def coin_flips(n: int, theta: float = 0.3, seed: int = 0) -> CoinFlips:
    r"""Draw ``n`` independent coin flips with probability ``theta`` of heads.

    The model of Chapters 1 and 2: :math:`y_i \sim \mathrm{Bernoulli}(\theta)`,
    i.e. ``y_i = 1`` with probability ``theta``. Its MLE is the sample mean.

    Args:
        n: Number of flips, ``>= 1``.
        theta: Probability of a 1, in ``[0, 1]``.
        seed: Seed of ``np.random.default_rng``.

    Returns:
        A :class:`CoinFlips` with ``y`` (float64 0/1, shape ``(n,)``) and ``theta``.

    Raises:
        TypeError: If ``n`` or ``seed`` is not an integer, or ``theta`` not a number.
        ValueError: If ``n < 1``, ``theta`` is outside ``[0, 1]`` or ``seed < 0``.

    Examples:
        >>> data = coin_flips(1000, theta=0.2, seed=1)
        >>> bool(abs(data.y.mean() - 0.2) < 0.05)
        True
    """
    n = checks.check_int(n, "n", low=1)
    theta = checks.check_scalar(theta, "theta", low=0.0, high=1.0)
    rng = np.random.default_rng(checks.check_seed(seed))
    y = (rng.random(n) < theta).astype(np.float64)
    return CoinFlips(y=y, theta=theta)


@dataclass(frozen=True)
class LogisticRegressionData:
    """Binary labels from a logistic-regression model with known weights.

    Attributes:
        X: Features, float64 ``(n, d)``, independent standard normal entries.
        y: Labels, float64 ``(n,)`` with values 0.0 and 1.0.
        weights: The true weight vector, float64 ``(d,)``.
        bias: The true intercept.
        logits: The true logits ``X @ weights + bias``, float64 ``(n,)``.
        probs: The true probabilities ``sigmoid(logits)``, float64 ``(n,)``.
    """

    X: np.ndarray
    y: np.ndarray
    weights: np.ndarray
    bias: float
    logits: np.ndarray
    probs: np.ndarray


def logistic_regression(
    n: int,
    weights: npt.ArrayLike = (2.0, -1.0),
    bias: float = 0.5,
    seed: int = 0,
) -> LogisticRegressionData:
    r"""Sample a logistic-regression dataset (the model of Chapter 4).

    .. math::

        x_i \sim \mathcal N(0, I_d), \qquad
        y_i \mid x_i \sim \mathrm{Bernoulli}\big(\sigma(w^\top x_i + b)\big)

    In Python: ``X = rng.standard_normal((n, d))``, ``p = sigmoid(X @ w + b)``,
    ``y = (rng.random(n) < p)``.

    Args:
        n: Number of examples, ``>= 1``.
        weights: True weights, a sequence of ``d >= 1`` finite numbers.
        bias: True intercept.
        seed: Seed of ``np.random.default_rng``.

    Returns:
        A :class:`LogisticRegressionData` (``X``, ``y``, ``weights``, ``bias``, ``logits``,
        ``probs``).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``n < 1``, ``weights`` is empty, not 1-D or not finite, or ``seed < 0``.

    Examples:
        >>> data = logistic_regression(200, weights=[1.0, 0.0, -2.0], bias=0.0, seed=3)
        >>> data.X.shape, data.y.shape, sorted(set(data.y.tolist()))
        ((200, 3), (200,), [0.0, 1.0])
    """
    n = checks.check_int(n, "n", low=1)
    w = _parameter_vector(weights, "weights")
    b = checks.check_scalar(bias, "bias")
    rng = np.random.default_rng(checks.check_seed(seed))
    X = rng.standard_normal((n, w.size))
    logits = X @ w + b
    # sigmoid(z) = exp(-logaddexp(0, -z)): no overflow for logits of any sign
    probs = np.exp(-np.logaddexp(0.0, -logits))
    y = (rng.random(n) < probs).astype(np.float64)
    return LogisticRegressionData(X=X, y=y, weights=w, bias=b, logits=logits, probs=probs)


@dataclass(frozen=True)
class BlobsData:
    """Isotropic Gaussian clusters, one per class.

    Attributes:
        X: Features, float64 ``(num_classes * n_per_class, d)``, rows in random order.
        y: Integer class labels, int64, values in ``[0, num_classes)``.
        centers: The true class means, float64 ``(num_classes, d)``.
        scale: The true standard deviation of every coordinate, per class, float64
            ``(num_classes,)``.
        num_classes: Number of classes ``K``.
    """

    X: np.ndarray
    y: np.ndarray
    centers: np.ndarray
    scale: np.ndarray
    num_classes: int


def gaussian_blobs(
    n_per_class: int,
    centers: npt.ArrayLike = ((-2.0, 0.0), (2.0, 0.0), (0.0, 2.5)),
    scale: float | Sequence[float] = 1.0,
    seed: int = 0,
) -> BlobsData:
    r"""Sample a multi-class dataset of Gaussian blobs (for Chapter 5's softmax classifier).

    .. math::

        y_i = k, \qquad x_i \mid y_i = k \sim \mathcal N(c_k, s_k^2 I_d)

    In Python: ``X[y == k] = centers[k] + scale[k] * rng.standard_normal((n_per_class, d))``,
    then all rows are shuffled together. Every class has exactly ``n_per_class`` points.

    Args:
        n_per_class: Points per class, ``>= 1``.
        centers: Class means, shape ``(K, d)`` with ``K >= 2`` (a 1-D sequence is read as
            ``K`` one-dimensional centres).
        scale: Standard deviation, one number for all classes or one per class (``> 0``).
        seed: Seed of ``np.random.default_rng``.

    Returns:
        A :class:`BlobsData` (``X``, ``y``, ``centers``, ``scale``, ``num_classes``).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``n_per_class < 1``, fewer than 2 centres, ``scale`` not positive or
            of the wrong length, or non-finite values.

    Examples:
        >>> data = gaussian_blobs(50, centers=[[0.0, 0.0], [3.0, 3.0]], scale=0.5, seed=0)
        >>> data.X.shape, data.num_classes, np.bincount(data.y).tolist()
        ((100, 2), 2, [50, 50])
    """
    n_per_class = checks.check_int(n_per_class, "n_per_class", low=1)
    c = checks.as_float(centers, "centers", np.float64)
    if c.ndim == 1:
        c = c[:, None]
    if c.ndim != 2 or c.shape[0] < 2 or c.shape[1] < 1:
        raise ValueError(
            f"centers must have shape (num_classes, d) with num_classes >= 2; got shape {c.shape}"
        )
    checks.check_finite(c, "centers")
    num_classes, d = c.shape
    s = checks.as_float(scale, "scale", np.float64)
    if s.ndim == 0:
        s = np.full(num_classes, float(s))
    if s.shape != (num_classes,):
        raise ValueError(
            f"scale must be a number or have one entry per class, shape ({num_classes},); "
            f"got shape {s.shape}"
        )
    checks.check_finite(s, "scale")
    checks.check_positive(s, "scale")
    rng = np.random.default_rng(checks.check_seed(seed))
    y = np.repeat(np.arange(num_classes, dtype=np.int64), n_per_class)
    X = c[y] + s[y, None] * rng.standard_normal((y.size, d))
    order = rng.permutation(y.size)
    return BlobsData(
        X=X[order], y=y[order], centers=c.copy(), scale=s.copy(), num_classes=num_classes
    )


@dataclass(frozen=True)
class LinearRegressionData:
    """A straight line plus homoscedastic Gaussian noise.

    Attributes:
        x: Inputs, float64 ``(n,)``, uniform on ``[-3, 3]``.
        y: Targets, float64 ``(n,)``.
        mean: The noise-free line ``slope * x + intercept``, float64 ``(n,)``.
        slope: The true slope.
        intercept: The true intercept.
        noise_std: The true noise standard deviation σ.
    """

    x: np.ndarray
    y: np.ndarray
    mean: np.ndarray
    slope: float
    intercept: float
    noise_std: float


def linear_regression(
    n: int,
    slope: float = 2.0,
    intercept: float = -1.0,
    noise_std: float = 0.5,
    seed: int = 0,
) -> LinearRegressionData:
    r"""Sample ``y = slope * x + intercept + noise`` (the model of Chapter 6).

    .. math::

        x_i \sim \mathcal U(-3, 3), \qquad
        y_i \mid x_i \sim \mathcal N(a x_i + b, \sigma^2)

    In Python: ``y = slope * x + intercept + noise_std * rng.standard_normal(n)``.
    The Gaussian MLE of (a, b) is least squares, and σ̂ is the RMS residual.

    Args:
        n: Number of points, ``>= 1``.
        slope: True slope ``a``.
        intercept: True intercept ``b``.
        noise_std: True noise standard deviation σ, ``>= 0`` (0 gives points on the line).
        seed: Seed of ``np.random.default_rng``.

    Returns:
        A :class:`LinearRegressionData` (``x``, ``y``, ``mean``, ``slope``, ``intercept``,
        ``noise_std``).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``n < 1``, ``noise_std < 0``, a value is not finite, or ``seed < 0``.

    Examples:
        >>> data = linear_regression(100, slope=2.0, intercept=-1.0, noise_std=0.0, seed=0)
        >>> bool(np.allclose(data.y, 2.0 * data.x - 1.0))
        True
    """
    n = checks.check_int(n, "n", low=1)
    slope = checks.check_scalar(slope, "slope")
    intercept = checks.check_scalar(intercept, "intercept")
    noise_std = checks.check_scalar(noise_std, "noise_std", low=0.0)
    rng = np.random.default_rng(checks.check_seed(seed))
    x = rng.uniform(-3.0, 3.0, n)
    mean = slope * x + intercept
    y = mean + noise_std * rng.standard_normal(n)
    return LinearRegressionData(
        x=x, y=y, mean=mean, slope=slope, intercept=intercept, noise_std=noise_std
    )


@dataclass(frozen=True)
class HeteroscedasticData:
    """A curve plus Gaussian noise whose standard deviation depends on the input.

    The true functions are available as methods, so a fitted model can be compared
    with them on any grid: ``data.mean_function(grid)``, ``data.noise_std(grid)``.

    Attributes:
        x: Inputs, float64 ``(n,)``, uniform on ``[-3, 3]``.
        y: Targets, float64 ``(n,)``.
    """

    x: np.ndarray
    y: np.ndarray

    @staticmethod
    def mean_function(x: npt.ArrayLike) -> np.ndarray:
        """The true conditional mean ``μ(x) = sin(x)``."""
        return np.sin(np.asarray(x, dtype=np.float64))

    @staticmethod
    def noise_std(x: npt.ArrayLike) -> np.ndarray:
        """The true conditional standard deviation ``σ(x) = 0.05 + 0.05 * x**2``."""
        x = np.asarray(x, dtype=np.float64)
        return 0.05 + 0.05 * x**2


def heteroscedastic_regression(n: int, seed: int = 0) -> HeteroscedasticData:
    r"""Sample a regression problem with input-dependent noise (Chapter 6, learned variance).

    .. math::

        x_i \sim \mathcal U(-3, 3), \qquad
        y_i \mid x_i \sim \mathcal N\big(\sin x_i,\ \sigma(x_i)^2\big), \qquad
        \sigma(x) = 0.05 + 0.05\,x^2

    In Python: ``y = sin(x) + (0.05 + 0.05 * x**2) * rng.standard_normal(n)``. The noise
    standard deviation grows tenfold from the centre (0.05) to the edges (0.5), so a model
    with one global σ is visibly wrong, and a network that outputs (μ(x), σ(x)) and is
    trained on the Gaussian NLL recovers both functions. σ(x) is smooth and bounded away
    from 0, which suits a softplus head with a floor.

    Args:
        n: Number of points, ``>= 1``.
        seed: Seed of ``np.random.default_rng``.

    Returns:
        A :class:`HeteroscedasticData` with ``x``, ``y`` and the methods
        ``mean_function(x)`` and ``noise_std(x)``.

    Raises:
        TypeError: If ``n`` or ``seed`` is not an integer.
        ValueError: If ``n < 1`` or ``seed < 0``.

    Examples:
        >>> data = heteroscedastic_regression(500, seed=0)
        >>> data.noise_std([0.0, 3.0]).tolist()
        [0.05, 0.5]
    """
    n = checks.check_int(n, "n", low=1)
    rng = np.random.default_rng(checks.check_seed(seed))
    x = rng.uniform(-3.0, 3.0, n)
    y = HeteroscedasticData.mean_function(x) + HeteroscedasticData.noise_std(
        x
    ) * rng.standard_normal(n)
    return HeteroscedasticData(x=x, y=y)


@dataclass(frozen=True)
class OneToManyData:
    r"""Two-branch data: for one ``x`` there are two plausible ``y``, ``+√x`` and ``-√x``.

    The true conditional density is a two-component Gaussian mixture,

    .. math::

        p(y \mid x) = \tfrac12\,\mathcal N(y; \sqrt{x}, s^2)
                     + \tfrac12\,\mathcal N(y; -\sqrt{x}, s^2),

    which is exactly what a mixture density network with two components should learn
    (mixing weights ``branch_probs``, means ``branch_means(x)``, scale ``noise_std``). A
    network trained on the MSE instead predicts the conditional mean, 0, between the
    branches.

    Attributes:
        x: Inputs, float64 ``(n,)``, uniform on ``[0, 4]``.
        y: Targets, float64 ``(n,)``.
        branch: Which branch generated each point, int64 ``(n,)``: 0 for ``+√x``, 1 for ``-√x``.
        branch_probs: The true mixing weights, float64 ``(2,)`` (both 0.5).
        noise_std: The true standard deviation ``s`` around each branch.
    """

    x: np.ndarray
    y: np.ndarray
    branch: np.ndarray
    branch_probs: np.ndarray
    noise_std: float

    @staticmethod
    def branch_means(x: npt.ArrayLike) -> np.ndarray:
        """The two branch means ``[+√x, -√x]`` stacked on a last axis of length 2."""
        root = np.sqrt(np.asarray(x, dtype=np.float64))
        return np.stack([root, -root], axis=-1)


def one_to_many(n: int, seed: int = 0, *, noise_std: float = 0.1) -> OneToManyData:
    r"""Sample one-to-many data, ``y = ±√x + noise`` (Chapter 8, mixture density network).

    .. math::

        x_i \sim \mathcal U(0, 4), \quad k_i \sim \mathrm{Bernoulli}(1/2), \quad
        y_i = (-1)^{k_i} \sqrt{x_i} + s\,\varepsilon_i, \quad
        \varepsilon_i \sim \mathcal N(0, 1)

    In Python: ``y = np.where(branch == 0, 1.0, -1.0) * np.sqrt(x) + noise_std * eps``. It is
    the inverse of the parabola ``x = y**2``: a function from ``y`` to ``x``, but not from
    ``x`` to ``y``.

    Args:
        n: Number of points, ``>= 1``.
        seed: Seed of ``np.random.default_rng``.
        noise_std: Standard deviation ``s`` around each branch, ``>= 0``.

    Returns:
        A :class:`OneToManyData` (``x``, ``y``, ``branch``, ``branch_probs``, ``noise_std``,
        and the method ``branch_means(x)``).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``n < 1``, ``noise_std < 0`` or ``seed < 0``.

    Examples:
        >>> data = one_to_many(400, seed=0)
        >>> data.branch_means([4.0]).tolist()
        [[2.0, -2.0]]
        >>> bool(abs(data.y.mean()) < 0.2)  # the conditional mean sits between the branches
        True
    """
    n = checks.check_int(n, "n", low=1)
    noise_std = checks.check_scalar(noise_std, "noise_std", low=0.0)
    rng = np.random.default_rng(checks.check_seed(seed))
    x = rng.uniform(0.0, 4.0, n)
    branch = (rng.random(n) < 0.5).astype(np.int64)
    sign = np.where(branch == 0, 1.0, -1.0)
    y = sign * np.sqrt(x) + noise_std * rng.standard_normal(n)
    return OneToManyData(
        x=x, y=y, branch=branch, branch_probs=np.array([0.5, 0.5]), noise_std=noise_std
    )


@dataclass(frozen=True)
class PoissonCountsData:
    """Counts from a Poisson regression with a log link.

    Attributes:
        X: Features, float64 ``(n, d)``, independent standard normal entries.
        y: Counts, float64 ``(n,)`` of whole numbers ``>= 0``.
        weights: The true weight vector, float64 ``(d,)``.
        bias: The true intercept.
        log_rate: The true log-rates ``X @ weights + bias``, float64 ``(n,)``.
        rate: The true rates ``exp(log_rate)``, float64 ``(n,)``.
    """

    X: np.ndarray
    y: np.ndarray
    weights: np.ndarray
    bias: float
    log_rate: np.ndarray
    rate: np.ndarray


def poisson_counts(
    n: int,
    weights: npt.ArrayLike = (0.5, -0.3),
    bias: float = 1.0,
    seed: int = 0,
) -> PoissonCountsData:
    r"""Sample a Poisson-regression dataset (log link; the Poisson head of Chapter 8).

    .. math::

        x_i \sim \mathcal N(0, I_d), \qquad
        y_i \mid x_i \sim \mathrm{Poisson}\big(\exp(w^\top x_i + b)\big)

    In Python: ``rate = np.exp(X @ w + b)``, ``y = rng.poisson(rate)``.

    Args:
        n: Number of examples, ``>= 1``.
        weights: True weights, a sequence of ``d >= 1`` finite numbers.
        bias: True intercept (the log-rate at ``x = 0``).
        seed: Seed of ``np.random.default_rng``.

    Returns:
        A :class:`PoissonCountsData` (``X``, ``y``, ``weights``, ``bias``, ``log_rate``,
        ``rate``).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``n < 1``, ``weights`` is empty, not 1-D or not finite, ``seed < 0``,
            or the sampled rates exceed 1e8 (the weights are then almost surely a mistake).

    Examples:
        >>> data = poisson_counts(300, weights=[0.0], bias=np.log(4.0), seed=0)
        >>> bool(abs(data.y.mean() - 4.0) < 0.5), bool(np.all(data.y == np.round(data.y)))
        (True, True)
    """
    n = checks.check_int(n, "n", low=1)
    w = _parameter_vector(weights, "weights")
    b = checks.check_scalar(bias, "bias")
    rng = np.random.default_rng(checks.check_seed(seed))
    X = rng.standard_normal((n, w.size))
    log_rate = X @ w + b
    if log_rate.max() > np.log(_MAX_POISSON_RATE):
        raise ValueError(
            f"weights and bias give Poisson rates up to exp({log_rate.max():.4g}), above the "
            f"limit {_MAX_POISSON_RATE:g}; got weights={w.tolist()}, bias={b!r}"
        )
    rate = np.exp(log_rate)
    y = rng.poisson(rate).astype(np.float64)
    return PoissonCountsData(X=X, y=y, weights=w, bias=b, log_rate=log_rate, rate=rate)
