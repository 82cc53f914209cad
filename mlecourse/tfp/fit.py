r"""Numeric maximum likelihood with ``tf.GradientTape`` (Chapter 2).

When no closed form exists, the MLE is found by minimising the mean NLL
:math:`-\frac1n \sum_i \log p(y_i \mid \theta)` with gradient descent. Parameters with
constraints (a scale > 0, a probability in (0, 1), a probability vector on the simplex) are
optimised in an unconstrained space and mapped through a bijector:
``theta = bijector.forward(u)`` with ``u`` a free ``tf.Variable``. :func:`fit_mle` does this
for any ``tfd`` distribution and returns the estimates with the NLL history, so a chapter can
plot the descent and compare the end point with the closed form of :mod:`mlecourse.mle`.

Decisions (written down once, here):

* **Objective**: the *mean* NLL, so the learning rate does not depend on the sample size (the
  argmin is the same as the sum's, Chapter 3).
* **Optimiser**: Adam (``keras.optimizers.Adam``) with a fixed learning rate; on these full-batch
  (deterministic) objectives it converges to the optimum to machine precision. Stop when the
  largest gradient entry is below ``gtol``; where the NLL has a kink (Laplace) the step size
  is halved each time the NLL stops improving for ``patience`` steps, and the fit stops after
  ``max_halvings`` halvings. At most ``max_steps`` steps.
* **Defaults for the course's families** (pass the name as a string): ``"bernoulli"``
  (``probs`` through a Sigmoid), ``"categorical"`` (free ``logits``; read the probabilities
  with ``result.distribution.probs_parameter()``. ``tfb.SoftmaxCentered`` would be the
  bijector of choice, but TFP 0.25 calls ``np.reshape(newshape=...)``, removed in NumPy 2.4),
  ``"normal"`` and ``"laplace"`` (``loc``, and ``scale`` through a Softplus), ``"poisson"``
  (``rate`` through an Exp). Start values are deliberately generic (0, 1, 1/2, uniform), not
  moment estimates, so that the descent has something to do.
* **dtype**: float64 unless the data are float32.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# TensorFlow's log level is set once, by `mlecourse.tfp` (imported before this module).
import keras
import numpy as np
import numpy.typing as npt
import tensorflow as tf
from tensorflow_probability import bijectors as tfb
from tensorflow_probability import distributions as tfd

from mlecourse import _checks as checks

__all__ = ["FAMILIES", "FitResult", "fit_mle"]


@dataclass(frozen=True)
class Family:
    """A named distribution family: constructor, start values and constraining bijectors."""

    make: Callable[..., tfd.Distribution]
    init: Callable[[np.ndarray], dict[str, Any]]
    bijectors: Callable[[], dict[str, tfb.Bijector]]


def _num_classes(y: np.ndarray) -> int:
    labels = checks.check_class_labels(y, "data", int(np.max(y)) + 1 if y.size else 1)
    return max(int(labels.max()) + 1, 2)


#: The families :func:`fit_mle` knows by name.
FAMILIES: dict[str, Family] = {
    "bernoulli": Family(
        make=lambda probs: tfd.Bernoulli(probs=probs),
        init=lambda y: {"probs": 0.5},
        bijectors=lambda: {"probs": tfb.Sigmoid()},
    ),
    "categorical": Family(
        make=lambda logits: tfd.Categorical(logits=logits),
        init=lambda y: {"logits": np.zeros(_num_classes(y))},
        bijectors=dict,
    ),
    "normal": Family(
        make=lambda loc, scale: tfd.Normal(loc=loc, scale=scale),
        init=lambda y: {"loc": 0.0, "scale": 1.0},
        bijectors=lambda: {"scale": tfb.Softplus()},
    ),
    "laplace": Family(
        make=lambda loc, scale: tfd.Laplace(loc=loc, scale=scale),
        init=lambda y: {"loc": 0.0, "scale": 1.0},
        bijectors=lambda: {"scale": tfb.Softplus()},
    ),
    "poisson": Family(
        make=lambda rate: tfd.Poisson(rate=rate),
        init=lambda y: {"rate": 1.0},
        bijectors=lambda: {"rate": tfb.Exp()},
    ),
}


@dataclass(frozen=True)
class FitResult:
    """What :func:`fit_mle` found.

    Attributes:
        params: the estimates in the constrained space (Python floats for scalars, arrays
            otherwise), by parameter name.
        nll_history: the mean NLL before each step, then the final one (length
            ``num_steps + 1``).
        num_steps: the number of gradient steps taken.
        converged: whether a stopping rule (``gtol`` or ``max_halvings``) ended the fit
            before ``max_steps``.
        distribution: the fitted distribution.
    """

    params: dict[str, Any]
    nll_history: np.ndarray = field(repr=False)
    num_steps: int
    converged: bool
    distribution: tfd.Distribution = field(repr=False)

    @property
    def nll(self) -> float:
        """The final mean NLL."""
        return float(self.nll_history[-1])


def fit_mle(
    distribution: str | Callable[..., tfd.Distribution],
    data: npt.ArrayLike,
    init: Mapping[str, npt.ArrayLike] | None = None,
    *,
    bijectors: Mapping[str, tfb.Bijector] | None = None,
    learning_rate: float = 0.1,
    max_steps: int = 2000,
    gtol: float = 1e-8,
    patience: int = 50,
    max_halvings: int = 12,
) -> FitResult:
    r"""Maximum-likelihood estimates by gradient descent on the mean NLL.

    .. math::

        \hat\theta = \arg\min_\theta -\frac1n \sum_{i=1}^n \log p(y_i \mid \theta),
        \qquad \theta = b(u),\ u \in \mathbb R^d

    ``nll = -tf.reduce_mean(make(**{k: b[k].forward(u[k])}).log_prob(data))``, differentiated
    with ``tf.GradientTape`` with respect to the free variables ``u``.

    Derived in Chapter 2 (numeric MLE with a custom log-likelihood).

    Args:
        distribution: a family name from :data:`FAMILIES` (``"bernoulli"``, ``"categorical"``,
            ``"normal"``, ``"laplace"``, ``"poisson"``), or a callable taking the parameters
            as keyword arguments and returning a ``tfd.Distribution``.
        data: the i.i.d. sample (its first axes are the sample; a distribution with an event
            shape takes the trailing ones).
        init: start values of the parameters, in the constrained space. Required for a
            callable; for a family name it overrides the defaults.
        bijectors: parameter name -> ``tfb.Bijector`` mapping the real line onto the
            parameter's support (e.g. ``tfb.Softplus()`` for a scale). Parameters not listed
            are unconstrained. For a family name it overrides the defaults.
        learning_rate: Adam's learning rate (> 0).
        max_steps: the largest number of steps (>= 1).
        gtol: stop when every gradient entry (unconstrained space) is below ``gtol``.
        patience: halve the learning rate when the NLL has not improved for this many steps
            (Adam circles the minimum of a kinked NLL, such as the Laplace's, whose gradient
            does not vanish there).
        max_halvings: stop (converged) after this many halvings.

    Returns:
        A :class:`FitResult`.

    Raises:
        ValueError: an unknown family, a missing ``init``, a bad option, empty or non-finite
            data, or a start value outside the bijector's range.
        TypeError: non-numeric data or a ``distribution`` that is neither.

    Examples:
        >>> result = fit_mle("bernoulli", [0, 0, 0, 1, 0])
        >>> print(f"{result.params['probs']:.4f}")  # the closed form: 1/5
        0.2000
        >>> bool(result.nll_history[0] > result.nll)
        True
    """
    lr = checks.check_scalar(learning_rate, "learning_rate", low=0.0, low_open=True)
    max_steps = checks.check_int(max_steps, "max_steps", low=1)
    patience = checks.check_int(patience, "patience", low=1)
    max_halvings = checks.check_int(max_halvings, "max_halvings", low=0)
    gtol = checks.check_scalar(gtol, "gtol", low=0.0)
    y = checks.as_float(data, "data")
    checks.check_nonempty(y, "data")
    checks.check_finite(y, "data")
    dtype = tf.float32 if y.dtype == np.float32 else tf.float64

    if isinstance(distribution, str):
        if distribution not in FAMILIES:
            raise ValueError(f"distribution must be one of {tuple(FAMILIES)}; got {distribution!r}")
        family = FAMILIES[distribution]
        make = family.make
        start = {**family.init(y), **(init or {})}
        maps = {**family.bijectors(), **(bijectors or {})}
    elif callable(distribution):
        if not init:
            raise ValueError("init (start values of the parameters) is required for a callable")
        make, start, maps = distribution, dict(init), dict(bijectors or {})
    else:
        raise TypeError(
            f"distribution must be a family name or a callable; got {type(distribution).__name__}"
        )
    unknown = set(maps) - set(start)
    if unknown:
        raise ValueError(f"bijectors for parameters without a start value: {sorted(unknown)}")

    y_t = tf.constant(y, dtype)
    names = list(start)
    chains = {n: maps.get(n, tfb.Identity()) for n in names}
    free = {}
    for n in names:
        value = tf.constant(np.asarray(start[n], dtype=dtype.as_numpy_dtype))
        u = chains[n].inverse(value)
        if not np.all(np.isfinite(u.numpy())):
            raise ValueError(
                f"init[{n!r}] = {np.asarray(start[n])!r} is outside the support of its "
                f"bijector {type(chains[n]).__name__}"
            )
        free[n] = tf.Variable(u, name=n)
    variables = [free[n] for n in names]
    optimizer = keras.optimizers.Adam(learning_rate=lr)

    def constrained() -> dict[str, tf.Tensor]:
        return {n: chains[n].forward(free[n]) for n in names}

    def mean_nll() -> tf.Tensor:
        return -tf.reduce_mean(make(**constrained()).log_prob(y_t))

    @tf.function(autograph=False)
    def step() -> tuple[tf.Tensor, tf.Tensor]:
        with tf.GradientTape() as tape:
            loss = mean_nll()
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables, strict=True))
        return loss, tf.reduce_max([tf.reduce_max(tf.abs(g)) for g in grads])

    history: list[float] = []
    converged = False
    best, since_best, halvings = np.inf, 0, 0
    for _ in range(max_steps):
        loss, largest_gradient = step()
        history.append(float(loss))
        if float(largest_gradient) < gtol:
            converged = True
            break
        # At a kink (the Laplace's |y - loc|) the gradient never vanishes and Adam circles the
        # minimum: when the NLL has not improved for `patience` steps, halve the step size.
        if history[-1] < best:
            best, since_best = history[-1], 0
        else:
            since_best += 1
        if since_best >= patience:
            halvings += 1
            if halvings > max_halvings:
                converged = True
                break
            optimizer.learning_rate.assign(optimizer.learning_rate * 0.5)
            since_best = 0
    final = float(mean_nll())
    estimates = {n: _plain(v.numpy()) for n, v in constrained().items()}
    return FitResult(
        params=estimates,
        nll_history=np.asarray([*history, final]),
        num_steps=len(history),
        converged=converged,
        distribution=make(**constrained()),
    )


def _plain(x: np.ndarray) -> float | np.ndarray:
    return float(x) if np.ndim(x) == 0 else np.asarray(x)
