r"""How sure is a maximum-likelihood estimate, and what a prior adds (Chapter 9).

Fisher information of three one-observation models, Newton's method for logistic and
Poisson regression with an optional Gaussian prior on the weights (the MAP estimate), and
the Wald standard errors from the curvature of the NLL at the estimate.

Decisions (written down once, here):

* **Parameters** are one vector :math:`\theta = (w_0, \mathbf w)` with the intercept first,
  as in Chapters 3 and 4. ``X`` holds the features only; with ``fit_intercept=True`` (the
  default) a column of ones is put in front of it. With ``fit_intercept=False`` the
  columns of ``X`` are used as given and every one of them gets the prior.
* **The prior** is :math:`\mathcal N(0, \sigma_0^2 \mathbf I)` on :math:`\mathbf w`
  (``prior_variance`` is :math:`\sigma_0^2`), never on the intercept, which has a flat
  prior: scikit-learn's ``LogisticRegression(C=c)`` with ``solver="lbfgs"`` is the same
  estimate with :math:`\sigma_0^2 = c`. ``prior_variance=None`` means no prior (the MLE).
* **The NLL is exact**: :math:`\sum_i [\operatorname{softplus}(z_i) - y_i z_i]` for the
  Bernoulli and :math:`\sum_i [e^{z_i} - y_i z_i + \log y_i!]` for the Poisson, with
  :math:`\mathbf z = \mathbf X\theta`; the MAP objective adds
  :math:`\|\mathbf w\|^2 / (2\sigma_0^2)`.
* **Newton's method** with a backtracking (Armijo) line search; it stops when the step is
  below ``tol`` relative to the parameters. With a canonical link the observed information
  (the Hessian of the NLL) does not depend on ``y`` and equals the expected one.
* **No estimate, no answer.** The MLE does not exist when the classes are separable
  (Bernoulli) or, for the Poisson, when some direction :math:`\mathbf v` of the parameters
  has :math:`(\tilde{\mathbf X} \mathbf v)_i \le 0` for every :math:`i` and
  :math:`(\tilde{\mathbf X} \mathbf v)_i = 0` wherever :math:`y_i > 0` (and
  :math:`\tilde{\mathbf X} \mathbf v \ne \mathbf 0`), with :math:`\tilde{\mathbf X}` the
  design matrix (the column of ones included with ``fit_intercept=True``): the NLL then
  keeps falling along :math:`\mathbf v`. Every count 0 is one case; a dummy column whose
  group has only zero counts is another, whatever the other groups' counts (Haberman 1974).
  The iterates then run off to infinity: a ``ValueError`` says so instead of returning a
  huge vector. A prior makes the estimate exist.
* **dtype**: computed in float64 (Newton's method needs the digits); the results have the
  dtype of ``X`` as the package's convention picks it (float32 stays float32).

Examples:
    >>> from mlecourse import uncertainty
    >>> float(uncertainty.fisher_information("bernoulli", p=0.2))
    6.25
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import expit, gammaln

from mlecourse import _checks as checks

__all__ = ["fisher_information", "fit_glm", "observed_information", "wald_standard_errors"]

FAMILIES = ("bernoulli", "poisson")
_DISTRIBUTIONS = {"bernoulli": ("p",), "poisson": ("rate",), "gaussian": ("mu", "sigma")}


def fisher_information(distribution: str, **params: npt.ArrayLike) -> np.ndarray:
    r"""Fisher information of one observation: minus the expected curvature of its log-density.

    :math:`\mathcal{I}(\theta) = -\E[\partial^2_\theta \log p(y \mid \theta)]`, the expectation over
    :math:`y \sim p(\cdot \mid \theta)`:

    .. math::

        \mathcal{I}(p) = \frac{1}{p(1-p)}, \quad \mathcal{I}(\lambda) = \frac{1}{\lambda}, \quad
        \mathcal{I}(\mu, \sigma) = \begin{pmatrix} 1/\sigma^2 & 0 \\ 0 & 2/\sigma^2 \end{pmatrix}

    In Python: ``1 / (p * (1 - p))``, ``1 / rate``, ``diag(1 / sigma**2, 2 / sigma**2)``.
    Derived in Chapter 9, :eq:`eq-ch09-fisher`; :math:`n` observations carry
    :math:`n\,\mathcal{I}(\theta)`.

    Args:
        distribution: ``"bernoulli"`` (parameter ``p`` in (0, 1)), ``"poisson"``
            (``rate`` > 0) or ``"gaussian"`` (``mu`` and ``sigma`` > 0, in this order of
            the matrix).
        **params: The parameters named above, scalars or arrays.

    Returns:
        An array shaped like the parameter; for the Gaussian, ``(..., 2, 2)`` matrices.

    Raises:
        ValueError: If the distribution is unknown, a parameter is missing, unexpected,
            not finite or outside its range.
        TypeError: If a parameter is not numeric.

    Examples:
        >>> float(fisher_information("poisson", rate=4.0))
        0.25
        >>> fisher_information("gaussian", mu=0.0, sigma=2.0).tolist()
        [[0.25, 0.0], [0.0, 0.5]]
    """
    if distribution not in _DISTRIBUTIONS:
        raise ValueError(
            f"distribution must be one of {tuple(_DISTRIBUTIONS)}; got {distribution!r}"
        )
    expected = _DISTRIBUTIONS[distribution]
    if set(params) != set(expected):
        raise ValueError(
            f"the {distribution} distribution takes the parameters {expected}; got {tuple(params)}"
        )
    values = {}
    for name in expected:
        arr = checks.as_float(params[name], name)
        checks.check_finite(arr, name)
        values[name] = arr
    if distribution == "bernoulli":
        p = values["p"]
        if p.size and (p.min() <= 0 or p.max() >= 1):
            raise ValueError(f"p must be in the open interval (0, 1); got {p.min()}..{p.max()}")
        return 1.0 / (p * (1.0 - p))
    if distribution == "poisson":
        checks.check_positive(values["rate"], "rate")
        return 1.0 / values["rate"]
    sigma = values["sigma"]
    checks.check_positive(sigma, "sigma")
    info = np.zeros((*np.broadcast_shapes(sigma.shape, values["mu"].shape), 2, 2), sigma.dtype)
    info[..., 0, 0] = 1.0 / sigma**2
    info[..., 1, 1] = 2.0 / sigma**2
    return info


def _design(X: npt.ArrayLike, fit_intercept: bool) -> tuple[np.ndarray, np.dtype]:
    arr = checks.as_float(X, "X")
    if arr.ndim != 2:
        raise ValueError(f"X must be 2-D (examples, features); got shape {arr.shape}")
    checks.check_nonempty(arr, "X")
    checks.check_finite(arr, "X")
    dtype = arr.dtype
    arr = arr.astype(np.float64)
    if checks.check_bool(fit_intercept, "fit_intercept"):
        arr = np.column_stack([np.ones(arr.shape[0]), arr])
    return arr, dtype


def _penalty(num_params: int, prior_variance: float | None, fit_intercept: bool) -> np.ndarray:
    """Diagonal of the prior's Hessian: 1 / prior_variance on the weights, 0 on w0."""
    if prior_variance is None:
        return np.zeros(num_params)
    s2 = checks.check_scalar(prior_variance, "prior_variance", low=0.0, low_open=True)
    penalty = np.full(num_params, 1.0 / s2)
    if fit_intercept:
        penalty[0] = 0.0  # a flat prior on the intercept
    return penalty


def _family(family: str) -> str:
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}; got {family!r}")
    return family


def _targets(y: npt.ArrayLike, n: int, family: str) -> np.ndarray:
    arr = checks.as_float(y, "y", np.float64)
    if arr.shape != (n,):
        raise ValueError(f"y must have shape ({n},) to match X; got shape {arr.shape}")
    checks.check_finite(arr, "y")
    if family == "bernoulli":
        checks.check_in_range(arr, "y", 0.0, 1.0, what="labels")
        checks.check_integer_valued(arr, "y")
    else:
        checks.check_positive(arr, "y", strict=False)
        checks.check_integer_valued(arr, "y")
    return arr


def _curvature(z: np.ndarray, family: str) -> np.ndarray:
    """Second derivative of one NLL term in its linear predictor z."""
    if family == "bernoulli":
        return expit(z) * expit(-z)  # sigma(z) (1 - sigma(z)), no cancellation
    return np.exp(z)  # lambda = e^z


def _objective(
    theta: np.ndarray, X: np.ndarray, y: np.ndarray, family: str, pen: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """Penalised NLL, its gradient and its Hessian (the observed information)."""
    z = X @ theta
    if family == "bernoulli":
        nll = np.sum(np.logaddexp(0.0, z) - y * z)  # softplus(z) - y z
        residual = np.where(y == 1, -expit(-z), expit(z))  # sigma(z) - y, no cancellation
    else:
        nll = np.sum(np.exp(z) - y * z + gammaln(y + 1))  # lambda - y log(lambda) + log y!
        residual = np.exp(z) - y
    nll = nll + 0.5 * np.sum(pen * theta**2)
    grad = X.T @ residual + pen * theta
    hessian = X.T @ (_curvature(z, family)[:, None] * X) + np.diag(pen)
    return float(nll), grad, hessian


def fit_glm(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    family: str,
    prior_variance: float | None = None,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> np.ndarray:
    r"""Logistic or Poisson regression by Newton's method: the MLE, or the MAP estimate.

    Minimises :math:`\NLL(\theta) + \|\mathbf w\|^2 / (2\sigma_0^2)`, the negative log of
    the posterior :eq:`eq-ch09-map` under the prior :math:`\mathcal N(0, \sigma_0^2
    \mathbf I)` on the weights (no prior term when ``prior_variance`` is None). Newton's
    step is :math:`\theta \leftarrow \theta - t\,\mathbf H^{-1}\mathbf g` with the gradient
    and Hessian of Chapters 3 and 4 (plus :math:`1/\sigma_0^2` on the weights' diagonal).
    In Python: ``theta -= t * np.linalg.solve(hessian, grad)``.

    Args:
        X: Features, shape ``(n, d)``.
        y: Targets, shape ``(n,)``: 0/1 labels (``"bernoulli"``) or counts (``"poisson"``).
        family: ``"bernoulli"`` (logit link) or ``"poisson"`` (log link).
        prior_variance: :math:`\sigma_0^2 > 0`, or None for the MLE.
        fit_intercept: Prepend a column of ones (an unpenalised intercept).
        tol: Stop when the largest step is below ``tol * (1 + max |theta|)``.
        max_iter: At most this many Newton steps.

    Returns:
        :math:`\hat\theta`, shape ``(d + 1,)`` with the intercept first (``(d,)`` without).

    Raises:
        ValueError: Bad shapes or values, collinear columns without a prior, or when the
            estimate does not exist (separable classes; for the Poisson, a direction
            :math:`\mathbf v` with :math:`\tilde{\mathbf X}\mathbf v \le 0` on every row and
            :math:`= 0` on every row with :math:`y_i > 0`, such as a dummy column whose group
            has only zero counts), or Newton's method does not converge.
        TypeError: If an argument has the wrong type.

    Examples:
        >>> theta = fit_glm([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1], family="bernoulli")
        >>> np.round(theta, 4).tolist()
        [-1.3623, 0.9082]
    """
    design, dtype = _design(X, fit_intercept)
    family = _family(family)
    targets = _targets(y, design.shape[0], family)
    pen = _penalty(design.shape[1], prior_variance, fit_intercept)
    tol = checks.check_scalar(tol, "tol", low=0.0, low_open=True)
    max_iter = checks.check_int(max_iter, "max_iter", low=1)
    theta = np.zeros(design.shape[1])
    for _ in range(max_iter):
        nll, grad, hessian = _objective(theta, design, targets, family, pen)
        try:
            step = np.linalg.solve(hessian, grad)
        except np.linalg.LinAlgError:
            raise ValueError(
                "the Hessian of the NLL is singular: the columns of X (and the column of "
                "ones, with fit_intercept=True) must be linearly independent, or pass "
                "prior_variance"
            ) from None
        t = 1.0  # Armijo backtracking: halve until the objective falls enough
        while (
            _objective(theta - t * step, design, targets, family, pen)[0]
            > nll - 1e-4 * t * (grad @ step)
            and t > 1e-10
        ):
            t /= 2.0
        theta = theta - t * step
        if np.max(np.abs(t * step)) <= tol * (1.0 + np.max(np.abs(theta))):
            break
    else:
        why = (
            "the classes are separable by the columns of the design"
            if family == "bernoulli"
            else "some direction v of the parameters has design @ v <= 0 on every row and "
            "== 0 on every row with a count > 0, so the NLL keeps falling along v (e.g. all "
            "counts 0, or a dummy column whose group has only zero counts)"
        )
        raise ValueError(
            f"Newton's method did not converge in max_iter={max_iter} steps (|theta| reached "
            f"{np.max(np.abs(theta)):.3g}); without a prior this means the maximum-likelihood "
            f"estimate does not exist: {why}. Pass prior_variance"
        )
    return theta.astype(dtype)


def observed_information(
    X: npt.ArrayLike,
    theta: npt.ArrayLike,
    *,
    family: str,
    prior_variance: float | None = None,
    fit_intercept: bool = True,
) -> np.ndarray:
    r"""The Hessian of the (penalised) NLL at ``theta``: the observed information.

    .. math::

        \mathcal{J}(\theta) = \mathbf X^\top S\,\mathbf X + \operatorname{diag}(0, 1/\sigma_0^2,
        \dots), \quad S = \operatorname{diag}\big(p_i(1 - p_i)\big) \text{ or }
        \operatorname{diag}(\lambda_i)

    In Python: ``X.T @ (s[:, None] * X) + np.diag(penalty)``. Derived in Chapter 3
    (Poisson), Chapter 4 (Bernoulli) and Chapter 9, :eq:`eq-ch09-wald-se`.

    Args:
        X: Features, shape ``(n, d)``.
        theta: Parameters, shape ``(d + 1,)`` (intercept first) or ``(d,)``.
        family: ``"bernoulli"`` or ``"poisson"``.
        prior_variance: :math:`\sigma_0^2`, or None (no prior term).
        fit_intercept: Whether ``theta[0]`` is an intercept.

    Returns:
        The ``(len(theta), len(theta))`` matrix.

    Raises:
        ValueError: If the shapes do not match or a value is invalid.
        TypeError: If an argument has the wrong type.

    Examples:
        >>> observed_information([[0.0], [2.0]], [0.0, 0.0], family="bernoulli").tolist()
        [[0.5, 0.5], [0.5, 1.0]]
    """
    design, dtype = _design(X, fit_intercept)
    family = _family(family)
    params = checks.as_float(theta, "theta", np.float64)
    if params.shape != (design.shape[1],):
        raise ValueError(
            f"theta must have shape ({design.shape[1]},) for X with {design.shape[1]} columns "
            f"(intercept included: {fit_intercept}); got shape {params.shape}"
        )
    checks.check_finite(params, "theta")
    pen = _penalty(design.shape[1], prior_variance, fit_intercept)
    curvature = _curvature(design @ params, family)
    return (design.T @ (curvature[:, None] * design) + np.diag(pen)).astype(dtype)


def wald_standard_errors(
    X: npt.ArrayLike,
    theta: npt.ArrayLike,
    *,
    family: str,
    prior_variance: float | None = None,
    fit_intercept: bool = True,
) -> np.ndarray:
    r"""Wald standard errors: square roots of the diagonal of the inverse observed information.

    .. math::

        \operatorname{se}(\hat\theta_j) = \sqrt{\big[\mathcal{J}(\hat\theta)^{-1}\big]_{jj}}

    In Python: ``np.sqrt(np.diag(np.linalg.inv(J)))``. Derived in Chapter 9,
    :eq:`eq-ch09-wald-se`; equal to statsmodels' ``Logit(...).fit().bse`` and
    ``GLM(..., family=Poisson()).fit().bse`` at the MLE. With a prior they are the
    standard deviations of the Laplace approximation to the posterior.

    Args:
        X: Features, shape ``(n, d)``.
        theta: The estimate, shape ``(d + 1,)`` (intercept first) or ``(d,)``.
        family: ``"bernoulli"`` or ``"poisson"``.
        prior_variance: :math:`\sigma_0^2`, or None.
        fit_intercept: Whether ``theta[0]`` is an intercept.

    Returns:
        One standard error per parameter.

    Raises:
        ValueError: If the shapes do not match or a value is invalid.
        TypeError: If an argument has the wrong type.

    Examples:
        >>> se = wald_standard_errors([[0.0], [2.0]], [0.0, 0.0], family="bernoulli")
        >>> np.round(se, 4).tolist()
        [2.0, 1.4142]
    """
    info = observed_information(
        X, theta, family=family, prior_variance=prior_variance, fit_intercept=fit_intercept
    )
    return np.sqrt(np.diag(np.linalg.inv(info.astype(np.float64)))).astype(info.dtype)
