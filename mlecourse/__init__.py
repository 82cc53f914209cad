"""mlecourse: the companion package of the course *From likelihood to loss*.

Every loss of a deep-learning framework is the negative log-likelihood of a distribution.
This package holds the reference implementations the chapters derive, and the exercise
solutions, as plain importable functions.

Submodules (loaded on first use, so ``import mlecourse`` stays fast and never imports
TensorFlow; only :mod:`mlecourse.tfp` does):

* :mod:`mlecourse.special` -- stable primitives (log_sigmoid, logsumexp, ...)
* :mod:`mlecourse.likelihood` -- log-likelihoods of five distributions
* :mod:`mlecourse.mle` -- closed-form maximum-likelihood estimators
* :mod:`mlecourse.losses` -- NumPy reference losses (the public loss contract)
* :mod:`mlecourse.information` -- entropy, cross-entropy, KL divergence
* :mod:`mlecourse.gradients` -- analytic loss gradients and a finite-difference check
* :mod:`mlecourse.uncertainty` -- Fisher information, standard errors and MAP fits (Chapter 9)
* :mod:`mlecourse.scoring` -- Brier score, reliability curve, ECE, temperature scaling (Chapter 10)
* :mod:`mlecourse.datasets` -- small deterministic synthetic datasets
* :mod:`mlecourse.plotting` -- the figures of the chapters
* :mod:`mlecourse.explorable` -- the explorable figures (a slider over precomputed frames)
* :mod:`mlecourse.check` -- check your own solution to an exercise
* :mod:`mlecourse.tfp` -- the TensorFlow Probability twin and Keras 3 heads
* :mod:`mlecourse.solutions` -- exercise solutions, one module per chapter
* :mod:`mlecourse.cheatsheet` -- the likelihood -> loss table of the appendix
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - what `__getattr__` returns, spelled out for type checkers
    from mlecourse import (
        cheatsheet,
        check,
        datasets,
        environment,
        explorable,
        gradients,
        information,
        likelihood,
        losses,
        mle,
        plotting,
        scoring,
        solutions,
        special,
        tfp,
        uncertainty,
    )
    from mlecourse.environment import check_environment

__version__ = "1.0.0"

# Listed literally (not built from `_SUBMODULES`) so that linters and type checkers read it.
__all__ = [
    "__version__",
    "cheatsheet",
    "check",
    "check_environment",
    "datasets",
    "environment",
    "explorable",
    "gradients",
    "information",
    "likelihood",
    "losses",
    "mle",
    "plotting",
    "scoring",
    "solutions",
    "special",
    "tfp",
    "uncertainty",
]

_SUBMODULES = frozenset(__all__) - {"__version__", "check_environment"}


def __getattr__(name: str) -> object:
    """Import submodules lazily (PEP 562): ``mlecourse.losses`` works without an explicit import.

    Type checkers read the submodules' types from the ``TYPE_CHECKING`` imports above.
    """
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name == "check_environment":
        return importlib.import_module(f"{__name__}.environment").check_environment
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
