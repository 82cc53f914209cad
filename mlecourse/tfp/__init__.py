"""The TensorFlow Probability twin of :mod:`mlecourse` and its Keras-3 distribution heads.

Importing this package imports TensorFlow (a few seconds); ``import mlecourse`` alone never
does. Submodules load on first use:

* :mod:`mlecourse.tfp.losses` -- the fifteen losses of :mod:`mlecourse.losses`, same names,
  signatures and semantics, each NLL computed as ``-tfd.<Distribution>(...).log_prob(y)``
  (Huber and pinball, which are losses rather than NLLs, as their formulas);
* :mod:`mlecourse.tfp.heads` -- Keras-3 distribution heads (raw network outputs -> ``tfd``
  distribution) and :func:`~mlecourse.tfp.heads.nll_loss`, which turns a head into a loss;
* :mod:`mlecourse.tfp.fit` -- numeric maximum likelihood with ``tf.GradientTape``
  (:func:`~mlecourse.tfp.fit.fit_mle`);
* :mod:`mlecourse.tfp.legacy` -- the ``tf_keras`` + ``tfp.layers`` path older material uses.

Importing it changes nothing in the user's environment. TensorFlow's C++ start-up chatter is
the caller's to silence (``TF_CPP_MIN_LOG_LEVEL=2`` before TensorFlow is first imported): the
course's kernel spec (``tools/install_kernel.py``) and the test configuration (``conftest.py``)
set it.

``tf``, ``tfp``, ``tfd`` and ``tfb`` are re-exported for the chapters that import them from here;
new code should import TensorFlow and TFP directly.

Examples:
    >>> import mlecourse.tfp as mtfp
    >>> float(mtfp.losses.binary_cross_entropy([1.0], [0.0], from_logits=True))  # log 2
    0.6931471805599453
"""

from __future__ import annotations

import importlib
from types import ModuleType

import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions
tfb = tfp.bijectors

_SUBMODULES = ("losses", "heads", "fit", "legacy")

__all__ = ["tf", "tfb", "tfd", "tfp", *_SUBMODULES]


def __getattr__(name: str) -> ModuleType:
    """Load submodules lazily (``mlecourse.tfp.heads`` imports Keras only when used)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, submodules included (for tab completion)."""
    return sorted(__all__)
