"""Solutions to the exercises of Chapter 3, *The negative log-likelihood*.

Each function is shown in the book with ``literalinclude :pyobject:`` and run by a code
cell that checks it; this module is the only copy of the code. The docstrings are plain
text because the book shows them as code.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt


def negative_nll_threshold(full: bool = True) -> float:
    """The standard deviation below which a Gaussian's NLL at its own mean is negative.

    Exercise ex-ch03-negative. At y = mu the squared-error term vanishes, and the
    Gaussian negative log-density is

        -log p(mu | mu, sigma) = log(sigma) + log(2 pi) / 2,

    negative exactly when sigma < 1 / sqrt(2 pi), where the peak density exceeds 1
    (chapter 1). Without the constant log(2 pi) / 2, as PyTorch's GaussianNLLLoss
    computes by default (full=False), the loss is log(sigma), negative exactly when
    sigma < 1.

    Args:
        full: keep the constant log(2 pi) / 2 (the full NLL), or drop it.

    Returns:
        1 / sqrt(2 pi), about 0.398942, with the constant; 1.0 without it.

    Examples:
        >>> print(f"{negative_nll_threshold():.6f}")
        0.398942
        >>> negative_nll_threshold(full=False)
        1.0
    """
    return 1.0 / math.sqrt(2.0 * math.pi) if full else 1.0


def poisson_regression_nll_hessian(X: npt.ArrayLike, w: npt.ArrayLike) -> np.ndarray:
    """Hessian of the Poisson-regression NLL with a log link: X^T diag(rate) X.

    Exercise ex-ch03-poisson-newton (equation eq-ch03-poisson-hessian). With
    rate_i = exp(x_i . w) and NLL(w) = sum_i (rate_i - y_i x_i . w + log y_i!), the
    Hessian is H = X.T @ (rate[:, None] * X). It does not depend on the counts y, and
    v . H v = sum_i rate_i (x_i . v)^2 >= 0: the NLL is convex.

    Args:
        X: design matrix, shape (n, d) (include a column of ones for an intercept).
        w: parameters, shape (d,).

    Returns:
        The (d, d) Hessian.

    Raises:
        ValueError: if the shapes do not fit together.

    Examples:
        >>> X = [[1.0, 0.0], [1.0, 1.0]]
        >>> poisson_regression_nll_hessian(X, [0.0, 0.0]).tolist()
        [[2.0, 1.0], [1.0, 1.0]]
    """
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if X.ndim != 2 or w.shape != (X.shape[1],):
        raise ValueError(
            f"X must be (n, d) and w (d,); got X {X.shape} and w {w.shape}",
        )
    rate = np.exp(X @ w)  # lambda_i = exp(x_i . w)
    return X.T @ (rate[:, None] * X)


def poisson_regression_newton(
    X: npt.ArrayLike, y: npt.ArrayLike, *, max_steps: int = 50, gtol: float = 1e-10
) -> tuple[np.ndarray, int]:
    """Fit Poisson regression (log link) by Newton's method, starting at w = 0.

    Exercise ex-ch03-poisson-newton. Each step solves H step = gradient with

        gradient = X^T (rate - y),   H = X^T diag(rate) X,   rate = exp(X w),

    and sets w <- w - step. The NLL is convex, so the only point where the gradient
    vanishes is the global minimum.

    Args:
        X: design matrix, shape (n, d) (include a column of ones for an intercept).
        y: counts, shape (n,), whole numbers >= 0.
        max_steps: the most Newton steps to take.
        gtol: stop when the largest entry of the mean gradient X^T (rate - y) / n is
            below this.

    Returns:
        The pair (w, steps) of the fitted parameters, shape (d,), and the number of
        Newton steps taken.

    Raises:
        ValueError: bad shapes, negative or fractional counts, or no convergence within
            max_steps (e.g. when all counts are 0 the minimum is at minus infinity).

    Examples:
        >>> w, steps = poisson_regression_newton([[1.0], [1.0]], [1.0, 3.0])
        >>> print(f"{w[0]:.6f}")  # log of the mean count, log 2
        0.693147
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(
            f"X must be (n, d) and y (n,); got X {X.shape} and y {y.shape}",
        )
    if np.any(y < 0) or np.any(y != np.round(y)):
        raise ValueError("y must hold counts: whole numbers >= 0")
    w = np.zeros(X.shape[1])
    for step in range(1, max_steps + 1):
        gradient = X.T @ (np.exp(X @ w) - y)  # X^T (rate - y)
        w = w - np.linalg.solve(poisson_regression_nll_hessian(X, w), gradient)
        if np.max(np.abs(X.T @ (np.exp(X @ w) - y))) / y.size < gtol:
            return w, step
    raise ValueError(f"Newton's method did not converge in {max_steps} steps")


def held_out_mean_nll(
    y_train: npt.ArrayLike,
    y_test: npt.ArrayLike,
) -> dict[str, float]:
    """Fit a Gaussian and a Laplace by maximum likelihood, score both on held-out data.

    Exercise ex-ch03-held-out. Each model is fitted on y_train with its closed-form MLE
    (Chapter 2): the mean mu and the biased (ddof=0) standard deviation sigma for the
    Gaussian, the median loc and the mean absolute deviation b from it for the Laplace.
    The score is the mean NLL per test point, in nats (m test points):

        Gaussian: log(sigma) + log(2 pi) / 2 + sum_j (y_j - mu)^2 / (2 sigma^2) / m
        Laplace:  log(2 b) + sum_j abs(y_j - loc) / b / m

    Args:
        y_train: the sample the parameters are fitted on (at least two distinct values).
        y_test: the held-out sample they are scored on (same units).

    Returns:
        A dictionary with the keys "gaussian" and "laplace", each mapped to that model's
        mean held-out NLL; the lower one predicts the held-out data better.

    Raises:
        ValueError: if y_train is constant (a zero scale) or either sample is empty.

    Examples:
        >>> scores = held_out_mean_nll([-1.0, 0.0, 1.0], [0.0])
        >>> print(f"{scores['gaussian']:.6f} {scores['laplace']:.6f}")
        0.716206 0.287682
    """
    train = np.asarray(y_train, dtype=np.float64).ravel()
    test = np.asarray(y_test, dtype=np.float64).ravel()
    if train.size == 0 or test.size == 0:
        raise ValueError("y_train and y_test must be non-empty")
    mu, sigma = train.mean(), train.std()  # Gaussian MLE (ddof=0)
    loc = np.median(train)
    scale = np.mean(np.abs(train - loc))  # Laplace MLE
    if sigma == 0 or scale == 0:
        raise ValueError(
            "y_train is constant: the fitted scale is 0 and the NLL is unbounded",
        )
    squared_error = np.mean((test - mu) ** 2)
    gaussian = np.log(sigma) + 0.5 * np.log(2 * np.pi) + squared_error / (2 * sigma**2)
    laplace = np.log(2 * scale) + np.mean(np.abs(test - loc)) / scale
    return {"gaussian": float(gaussian), "laplace": float(laplace)}


def conditional_and_joint_mle(
    x: npt.ArrayLike, y: npt.ArrayLike
) -> tuple[float, float]:
    """The conditional and the joint MLE of theta when the inputs depend on theta too.

    Exercise ex-ch03-conditional. The model is x_i ~ N(theta, 1) and, given x_i,
    y_i ~ Poisson(exp(theta x_i)): one parameter in both factors of p(x, y | theta).
    Up to constants the two negative log-likelihoods are

        conditional: sum_i [exp(theta x_i) - y_i theta x_i]
        joint:       the same + sum_i (x_i - theta)^2 / 2,

    both convex in theta, so each minimiser is the unique root of its derivative,

        conditional: sum_i (exp(theta x_i) - y_i) x_i = 0
        joint:       sum_i (exp(theta x_i) - y_i) x_i - sum_i (x_i - theta) = 0,

    found here by bisection (a derivative of a convex function is increasing).

    Args:
        x: the inputs (at least one non-zero).
        y: the counts, same length.

    Returns:
        The two estimates ``(theta_conditional, theta_joint)``. They differ because the
        factor p(x | theta) carries information about theta, so it cannot be dropped.

    Raises:
        ValueError: if the shapes differ, a count is negative, every x is 0, or no
            finite minimiser exists (the NLL keeps falling as theta grows).

    Examples:
        >>> thetas = conditional_and_joint_mle([1.0, -1.0], [1.0, 1.0])
        >>> [round(theta, 6) for theta in thetas]
        [0.0, 0.0]
    """
    xs = np.asarray(x, dtype=np.float64).ravel()
    ys = np.asarray(y, dtype=np.float64).ravel()
    if xs.shape != ys.shape or xs.size == 0:
        sizes = f"{xs.size} and {ys.size}"
        raise ValueError(f"x and y need the same non-zero length; got {sizes}")
    if (ys < 0).any() or not np.any(xs != 0):
        raise ValueError("the counts must be >= 0 and at least one x must be non-zero")

    def conditional(theta: float) -> float:
        return float(np.sum((np.exp(theta * xs) - ys) * xs))

    def joint(theta: float) -> float:
        return conditional(theta) - float(np.sum(xs - theta))

    def root(derivative: Callable[[float], float]) -> float:
        lo, hi = -1.0, 1.0  # an increasing function: bracket its root, then bisect
        for _ in range(60):
            if derivative(lo) < 0 < derivative(hi):
                break
            lo, hi = 2.0 * lo, 2.0 * hi
        else:
            raise ValueError("no finite minimiser: the NLL falls as theta grows")
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if derivative(mid) > 0:
                hi = mid
            else:
                lo = mid
        return 0.5 * (lo + hi)

    return root(conditional), root(joint)
