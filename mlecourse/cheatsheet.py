"""The likelihood -> loss cheat sheet, as data.

One row per modelling choice: the distribution assumed for the target, the output activation
(the inverse link) that maps a network's raw output to that distribution's parameter, the loss
it implies, and how Keras, PyTorch, TensorFlow Probability, optax and scikit-learn spell it.
The appendix page renders :func:`to_markdown` and Chapter 8 renders :func:`summary_table` and
:func:`framework_table`; ``tests/test_cheatsheet.py`` checks the table against the libraries
themselves (every Keras, TFP and mlecourse name resolves, each mlecourse function equals the
Keras loss it is paired with, and the PyTorch behaviours the rows state match values recorded
with torch 2.13.0), so the page cannot drift from the code.

Layout decision (written down once, here): a page column is about 688 px wide, so no table
has more than four short columns. The summary is one four-column table; the framework
spellings are one small table per framework (or one card per loss in the appendix), never one
wide table with a column per library.

Two rows are not the NLL of a standard distribution, and say so: the Huber loss (exp(-Huber)
has a finite integral, so it is an NLL up to a constant, of a density nobody names), and the
KL divergence (the cross-entropy minus the entropy of the target, a constant for training).

Derived across Chapters 4-8; summarised in the appendix "Cheat sheet".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LossRecipe:
    """One row of the cheat sheet.

    Attributes:
        target: what the target looks like.
        distribution: the likelihood assumed for the target.
        activation: the output activation (inverse link) giving the distribution's parameter.
        loss: the name of the loss it implies.
        mlecourse_loss: function name in ``mlecourse.<mlecourse_module>`` (empty when the
            package has none).
        mlecourse_kwargs: the options that select this recipe.
        keras: the Keras 3 spelling (``None`` when Keras has no built-in).
        keras_loss: class name in ``keras.losses`` (for the automatic check), or ``None``.
        keras_kwargs: constructor options of that class.
        keras_scale: the factor c with ``keras_loss == c * mlecourse_loss`` (and the offset).
        torch: the PyTorch spelling.
        tfp: the TensorFlow Probability spelling, as -log_prob of a distribution.
        tfd_class: the ``tfp.distributions`` class name (for the automatic check), or empty.
        optax: the optax spelling (``optax.losses`` returns per-example losses, no reduction).
        sklearn: the scikit-learn metric.
        pitfalls: what goes wrong in practice.
        mlecourse_module: the :mod:`mlecourse` module holding ``mlecourse_loss``.
    """

    target: str
    distribution: str
    activation: str
    loss: str
    mlecourse_loss: str
    mlecourse_kwargs: dict[str, Any] = field(default_factory=dict)
    keras: str | None = None
    keras_loss: str | None = None
    keras_kwargs: dict[str, Any] = field(default_factory=dict)
    keras_scale: float = 1.0
    torch: str = ""
    tfp: str = ""
    tfd_class: str = ""
    optax: str = ""
    sklearn: str = ""
    pitfalls: str = ""
    mlecourse_module: str = "losses"


RECIPES: tuple[LossRecipe, ...] = (
    LossRecipe(
        target="binary label y ∈ {0, 1}",
        distribution="Bernoulli(p)",
        activation="sigmoid: p = σ(z)",
        loss="binary cross-entropy",
        mlecourse_loss="binary_cross_entropy",
        mlecourse_kwargs={"from_logits": True},
        keras="`BinaryCrossentropy(from_logits=True)(y_true, logits)`",
        keras_loss="BinaryCrossentropy",
        keras_kwargs={"from_logits": True},
        torch="`nn.BCEWithLogitsLoss()(logits, target)` — prediction first; `pos_weight=`",
        tfp="`-tfd.Bernoulli(logits=z).log_prob(y)`",
        tfd_class="Bernoulli",
        optax="`sigmoid_binary_cross_entropy(logits, labels)`",
        sklearn="`log_loss(y_true, proba)` — probabilities, not logits",
        pitfalls=(
            "Keras defaults to `from_logits=False` and clips probabilities it cannot trace "
            "back to logits to [1e-7, 1 − 1e-7]; in PyTorch, an `nn.Sigmoid` before "
            "`BCEWithLogitsLoss` applies the sigmoid twice, silently (Keras 3 on TensorFlow "
            "detects a sigmoid layer followed by `from_logits=True`, warns and uses its "
            "logits; do not rely on it)."
        ),
    ),
    LossRecipe(
        target="several binary labels per example (multi-label)",
        distribution="independent Bernoullis, one per label",
        activation="sigmoid on each output",
        loss="binary cross-entropy, averaged over labels",
        mlecourse_loss="binary_cross_entropy",
        mlecourse_kwargs={"from_logits": True},
        keras="`BinaryCrossentropy(from_logits=True)`",
        keras_loss="BinaryCrossentropy",
        keras_kwargs={"from_logits": True},
        torch="`nn.BCEWithLogitsLoss()(logits, target)`",
        tfp="`-tfd.Independent(tfd.Bernoulli(logits=z), 1).log_prob(y)`",
        tfd_class="Bernoulli",
        optax="`sigmoid_binary_cross_entropy(logits, labels)`",
        sklearn="`log_loss` per label",
        pitfalls="A softmax here forces the labels to compete: use it only for one-of-K.",
    ),
    LossRecipe(
        target="one class of K, one-hot vector",
        distribution="Categorical(p) (one-hot encoded)",
        activation="softmax: p = softmax(z)",
        loss="categorical cross-entropy",
        mlecourse_loss="categorical_cross_entropy",
        mlecourse_kwargs={"from_logits": True},
        keras="`CategoricalCrossentropy(from_logits=True)`",
        keras_loss="CategoricalCrossentropy",
        keras_kwargs={"from_logits": True},
        torch="`nn.CrossEntropyLoss()(logits, probs)` — takes logits, applies log-softmax",
        tfp="`-tfd.OneHotCategorical(logits=z).log_prob(y)`",
        tfd_class="OneHotCategorical",
        optax="`softmax_cross_entropy(logits, labels)`",
        sklearn="`log_loss(y_true, proba)`",
        pitfalls=(
            "In PyTorch, an `nn.Softmax` before `CrossEntropyLoss` applies the softmax twice: "
            "it still trains, badly. Keras 3 on TensorFlow detects a softmax activation "
            "followed by `from_logits=True` and warns; do not rely on it."
        ),
    ),
    LossRecipe(
        target="one class of K, integer index",
        distribution="Categorical(p)",
        activation="softmax: p = softmax(z)",
        loss="sparse categorical cross-entropy",
        mlecourse_loss="sparse_categorical_cross_entropy",
        mlecourse_kwargs={"from_logits": True},
        keras="`SparseCategoricalCrossentropy(from_logits=True)`",
        keras_loss="SparseCategoricalCrossentropy",
        keras_kwargs={"from_logits": True},
        torch=(
            "`nn.CrossEntropyLoss()(logits, index)`, or `nn.NLLLoss()` after "
            "`log_softmax`; `weight=`, `ignore_index=`, `label_smoothing=`"
        ),
        tfp="`-tfd.Categorical(logits=z).log_prob(k)`",
        tfd_class="Categorical",
        optax="`softmax_cross_entropy_with_integer_labels(logits, labels)`",
        sklearn="`log_loss(y_true, proba)`",
        pitfalls="`NLLLoss` expects log-probabilities: giving it probabilities or logits is wrong.",
    ),
    LossRecipe(
        target="real number, constant noise",
        distribution="Normal(μ, σ²) with σ fixed",
        activation="identity: μ = z",
        loss="mean squared error",
        mlecourse_loss="mean_squared_error",
        keras="`MeanSquaredError()`",
        keras_loss="MeanSquaredError",
        torch="`nn.MSELoss()(pred, target)`",
        tfp="`-tfd.Normal(loc=mu, scale=1.).log_prob(y)`: its mean is MSE/2 + ½ log 2π",
        tfd_class="Normal",
        optax="`squared_error(predictions, targets)`; `l2_loss` is half of it",
        sklearn="`mean_squared_error(y_true, y_pred)`",
        pitfalls=(
            "Targets of shape (N, 1) against predictions of shape (N,) broadcast to (N, N): "
            "silently in NumPy, with only a UserWarning in PyTorch's `MSELoss` (Keras "
            "squeezes the extra axis)."
        ),
    ),
    LossRecipe(
        target="real number, noise that depends on x",
        distribution="Normal(μ, σ²) with σ learned",
        activation="identity for μ; softplus (plus a floor) or exp for σ",
        loss="Gaussian negative log-likelihood",
        mlecourse_loss="gaussian_nll",
        keras="no built-in: write `-tfd.Normal(mu, sigma).log_prob(y)` as the loss",
        torch=(
            "`nn.GaussianNLLLoss()(mu, target, var)` — a VARIANCE; by default "
            "(`full=False`) it drops ½ log 2π"
        ),
        tfp="`-tfd.Normal(loc=mu, scale=sigma).log_prob(y)` — a STANDARD DEVIATION",
        tfd_class="Normal",
        optax="not in `optax.losses`: `-jax.scipy.stats.norm.logpdf(y, mu, sigma)`",
        sklearn="none",
        pitfalls=(
            "Passing a standard deviation where a variance is expected (or the reverse); "
            "the NLL of a density can be negative, which is not a bug."
        ),
    ),
    LossRecipe(
        target="real number, heavy-tailed noise",
        distribution="Laplace(μ, b) with b fixed",
        activation="identity: μ = z",
        loss="mean absolute error",
        mlecourse_loss="mean_absolute_error",
        keras="`MeanAbsoluteError()`",
        keras_loss="MeanAbsoluteError",
        torch="`nn.L1Loss()(pred, target)`",
        tfp="`-tfd.Laplace(loc=mu, scale=1.).log_prob(y)`: its mean is MAE + log 2",
        tfd_class="Laplace",
        optax="not in `optax.losses`: `jnp.abs(predictions - targets)`",
        sklearn="`mean_absolute_error(y_true, y_pred)`",
        pitfalls="Its minimiser is the conditional median, not the mean.",
    ),
    LossRecipe(
        target="real number with outliers",
        distribution="none standard: ∝ exp(−Huber(y − μ)), which has a finite integral",
        activation="identity: μ = z",
        loss="Huber loss",
        mlecourse_loss="",
        keras="`Huber(delta=1.0)`",
        keras_loss="Huber",
        keras_kwargs={"delta": 1.0},
        torch="`nn.HuberLoss(delta=1.0)(pred, target)`; `SmoothL1Loss(beta)` is Huber / beta",
        tfp="no distribution: write the loss, or `-log_prob` of a custom density",
        optax="`huber_loss(predictions, targets, delta=1.0)`",
        sklearn="none as a metric (`HuberRegressor` fits with it)",
        pitfalls=(
            "Quadratic for |error| ≤ δ and linear beyond, so δ is in the target's units; "
            "PyTorch's `SmoothL1Loss(beta)` equals `HuberLoss(delta=beta)` divided by beta."
        ),
    ),
    LossRecipe(
        target="count y ∈ {0, 1, 2, …}",
        distribution="Poisson(λ)",
        activation="exp: λ = exp(z) (log link)",
        loss="Poisson negative log-likelihood",
        mlecourse_loss="poisson_nll",
        mlecourse_kwargs={"log_input": False, "full": False},
        keras="`Poisson()(y_true, rate)` — takes the RATE, computes λ − y log(λ + 1e-7)",
        keras_loss="Poisson",
        torch="`nn.PoissonNLLLoss()(log_rate, target)` — takes the LOG-RATE by default",
        tfp="`-tfd.Poisson(log_rate=z).log_prob(y)` (includes log y!)",
        tfd_class="Poisson",
        optax="not in `optax.losses`: `-jax.scipy.stats.poisson.logpmf(y, rate)`",
        sklearn=(
            "`mean_poisson_deviance(y_true, rate)` = 2 × (mean NLL − mean NLL of the "
            "saturated model λ = y)"
        ),
        pitfalls=(
            "Keras wants the rate and PyTorch the log-rate by default; Keras always drops "
            "log y! and PyTorch does by default, so their values differ from the true NLL. "
            "PyTorch's `full=True` adds Stirling's approximation of log y! (for y > 1), not "
            "the exact term."
        ),
    ),
    LossRecipe(
        target="a probability vector (soft labels, a teacher's predictions)",
        distribution="Categorical(p) against a target distribution",
        activation="softmax: p = softmax(z) (log-softmax for PyTorch)",
        loss="KL divergence",
        mlecourse_loss="kl_divergence",
        mlecourse_module="information",
        keras="`KLDivergence()(y_true, probs)` — clips both arguments to [1e-7, 1]",
        keras_loss="KLDivergence",
        torch=(
            "`nn.KLDivLoss(reduction='batchmean')(log_probs, target)` — LOG-probabilities "
            "first; the default `'mean'` divides by the number of elements"
        ),
        tfp="`tfd.kl_divergence(tfd.Categorical(probs=y), tfd.Categorical(logits=z))`",
        tfd_class="Categorical",
        optax="`kl_divergence(log_predictions, targets)`",
        sklearn="none",
        pitfalls=(
            "It is the cross-entropy minus the entropy of the target: the same gradients, a "
            "different constant. Probabilities passed to PyTorch's `KLDivLoss` in place of "
            "log-probabilities give a negative value."
        ),
    ),
)

_FRAMEWORKS = {
    "keras": "Keras 3",
    "torch": "PyTorch",
    "tfp": "TensorFlow Probability",
    "optax": "optax",
    "sklearn": "scikit-learn",
}


def _cell(text: str | None) -> str:
    return (text or "—").replace("|", "\\|")


def _mlecourse_call(r: LossRecipe) -> str:
    """The mlecourse spelling of a row, or a dash when the package has none."""
    if not r.mlecourse_loss:
        return "—"
    options = ", ".join(f"{k}={v!r}" for k, v in r.mlecourse_kwargs.items())
    name = (
        r.mlecourse_loss
        if r.mlecourse_module == "losses"
        else (f"{r.mlecourse_module}.{r.mlecourse_loss}")
    )
    return f"`{name}({options})`" if options else f"`{name}`"


def _first_code(text: str | None) -> str:
    """The first inline-code span of a spelling (the call itself), or the whole text.

    A spelling that does not start with code (``"no built-in: write ..."``) is kept whole.
    """
    if not text:
        return "—"
    if not text.startswith("`"):
        return text
    match = re.search(r"`[^`]+`", text)
    return match.group(0) if match else text


def summary_table() -> str:
    """The cheat sheet's summary: one row per recipe, four columns.

    Returns:
        A Markdown table with the columns target, distribution, output activation and
        loss.

    Examples:
        >>> print(summary_table().splitlines()[0])
        | target | distribution | output activation | loss |
    """
    lines = ["| target | distribution | output activation | loss |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {_cell(r.target)} | {_cell(r.distribution)} | {_cell(r.activation)} | {_cell(r.loss)} |"
        for r in RECIPES
    ]
    return "\n".join(lines) + "\n"


def framework_table(frameworks: Sequence[str] = ("keras", "torch"), *, short: bool = True) -> str:
    """The frameworks' spellings of each loss, at most three columns wide.

    Args:
        frameworks: one or two of ``"keras"``, ``"torch"``, ``"tfp"``, ``"optax"``,
            ``"sklearn"``.
        short: keep only the call itself (the first code span of each spelling), not the
            notes that follow it.

    Returns:
        A Markdown table with the loss and one column per framework.

    Raises:
        ValueError: If a framework is unknown, or more than two are asked for.

    Examples:
        >>> print(framework_table(["keras"]).splitlines()[0])
        | loss | Keras 3 |
    """
    names = list(frameworks)
    unknown = [f for f in names if f not in _FRAMEWORKS]
    if unknown or not 1 <= len(names) <= 2:
        raise ValueError(f"frameworks must be one or two of {sorted(_FRAMEWORKS)}; got {names!r}")
    header = "| loss | " + " | ".join(_FRAMEWORKS[f] for f in names) + " |"
    lines = [header, "| --- |" + " --- |" * len(names)]
    for r in RECIPES:
        spellings = [getattr(r, f) for f in names]
        shown = [_first_code(s) if short else (s or "—") for s in spellings]
        lines.append(f"| {_cell(r.loss)} | " + " | ".join(_cell(s) for s in shown) + " |")
    return "\n".join(lines) + "\n"


def to_markdown() -> str:
    """Render the cheat sheet as Markdown: the summary table, then one card per loss.

    Each card is a heading and a short list (the mlecourse, Keras, PyTorch, TFP, optax and
    scikit-learn spellings, and the pitfall), so nothing is wider than the text column.

    Examples:
        >>> print(to_markdown().splitlines()[0])
        | target | distribution | output activation | loss |
    """
    lines = [summary_table()]
    for r in RECIPES:
        lines += ["", f"### {r.loss}: {r.distribution}", ""]
        lines.append(f"- **target**: {r.target}; **link**: {r.activation}")
        lines.append(f"- **mlecourse**: {_mlecourse_call(r)}")
        for key, label in _FRAMEWORKS.items():
            lines.append(f"- **{label}**: {getattr(r, key) or '—'}")
        if r.pitfalls:
            lines.append(f"- **pitfall**: {r.pitfalls}")
    return "\n".join(lines) + "\n"
