"""The likelihood -> loss cheat sheet, as data.

One row per modelling choice: the distribution assumed for the target, the output activation
(the inverse link) that maps a network's raw output to that distribution's parameter, the loss
it implies, and how Keras, PyTorch, TensorFlow Probability, optax and scikit-learn spell it.
The appendix page renders :func:`to_markdown`; ``tests/test_cheatsheet.py`` checks the table
against the libraries themselves (every Keras, TFP and mlecourse name resolves, and each
mlecourse loss equals the Keras loss it is paired with), so the page cannot drift from the code.

Derived across Chapters 4-8; summarised in the appendix "Cheat sheet".
"""

from __future__ import annotations

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
        mlecourse_loss: function name in :mod:`mlecourse.losses`.
        mlecourse_kwargs: the options that select this recipe.
        keras: the Keras 3 spelling (``None`` when Keras has no built-in).
        keras_loss: class name in ``keras.losses`` (for the automatic check), or ``None``.
        keras_kwargs: constructor options of that class.
        keras_scale: the factor c with ``keras_loss == c * mlecourse_loss`` (and the offset).
        torch: the PyTorch spelling.
        tfp: the TensorFlow Probability spelling, as -log_prob of a distribution.
        tfd_class: the ``tfp.distributions`` class name (for the automatic check).
        optax: the optax spelling (``optax.losses`` returns per-example losses, no reduction).
        sklearn: the scikit-learn metric.
        pitfalls: what goes wrong in practice.
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


RECIPES: tuple[LossRecipe, ...] = (
    LossRecipe(
        target="binary label y ∈ {0, 1}",
        distribution="Bernoulli(θ)",
        activation="sigmoid: θ = σ(z)",
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
            "Keras defaults to `from_logits=False` and clips probabilities to [1e-7, 1 − 1e-7]; "
            "a sigmoid layer followed by a with-logits loss applies the sigmoid twice."
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
        activation="softmax: p = softmax(f)",
        loss="categorical cross-entropy",
        mlecourse_loss="categorical_cross_entropy",
        mlecourse_kwargs={"from_logits": True},
        keras="`CategoricalCrossentropy(from_logits=True)`",
        keras_loss="CategoricalCrossentropy",
        keras_kwargs={"from_logits": True},
        torch="`nn.CrossEntropyLoss()(logits, probs)` — takes logits, applies log-softmax",
        tfp="`-tfd.OneHotCategorical(logits=f).log_prob(y)`",
        tfd_class="OneHotCategorical",
        optax="`softmax_cross_entropy(logits, labels)`",
        sklearn="`log_loss(y_true, proba)`",
        pitfalls=(
            "A softmax layer before `CrossEntropyLoss` (or `from_logits=True`) applies the "
            "softmax twice: it still trains, badly."
        ),
    ),
    LossRecipe(
        target="one class of K, integer index",
        distribution="Categorical(p)",
        activation="softmax: p = softmax(f)",
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
        tfp="`-tfd.Categorical(logits=f).log_prob(k)`",
        tfd_class="Categorical",
        optax="`softmax_cross_entropy_with_integer_labels(logits, labels)`",
        sklearn="`log_loss(y_true, proba)`",
        pitfalls="`NLLLoss` expects log-probabilities: giving it probabilities or logits is wrong.",
    ),
    LossRecipe(
        target="real number, constant noise",
        distribution="Normal(μ, σ²) with σ fixed",
        activation="identity: μ = f",
        loss="mean squared error",
        mlecourse_loss="mean_squared_error",
        keras="`MeanSquaredError()`",
        keras_loss="MeanSquaredError",
        torch="`nn.MSELoss()(pred, target)`",
        tfp="`-tfd.Normal(loc=mu, scale=1.).log_prob(y)` = MSE/2 + ½ log 2π",
        tfd_class="Normal",
        optax="`squared_error(predictions, targets)`; `l2_loss` is half of it",
        sklearn="`mean_squared_error(y_true, y_pred)`",
        pitfalls=(
            "Targets of shape (N, 1) against predictions of shape (N,) broadcast to (N, N) "
            "in NumPy and PyTorch: the loss is silently wrong."
        ),
    ),
    LossRecipe(
        target="real number, noise that depends on x",
        distribution="Normal(μ, σ²) with σ learned",
        activation="identity for μ; softplus or exp for σ (or σ²)",
        loss="Gaussian negative log-likelihood",
        mlecourse_loss="gaussian_nll",
        keras="no built-in: write `-tfd.Normal(mu, sigma).log_prob(y)` as the loss",
        torch="`nn.GaussianNLLLoss()(mu, target, var)` — a VARIANCE; `full=False` drops ½ log 2π",
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
        activation="identity: μ = f",
        loss="mean absolute error",
        mlecourse_loss="mean_absolute_error",
        keras="`MeanAbsoluteError()`",
        keras_loss="MeanAbsoluteError",
        torch="`nn.L1Loss()(pred, target)`",
        tfp="`-tfd.Laplace(loc=mu, scale=1.).log_prob(y)` = MAE + log 2",
        tfd_class="Laplace",
        optax="not in `optax.losses`: `jnp.abs(predictions - targets)`",
        sklearn="`mean_absolute_error(y_true, y_pred)`",
        pitfalls="Its minimiser is the conditional median, not the mean.",
    ),
    LossRecipe(
        target="count y ∈ {0, 1, 2, …}",
        distribution="Poisson(λ)",
        activation="exp: λ = exp(η) (log link)",
        loss="Poisson negative log-likelihood",
        mlecourse_loss="poisson_nll",
        mlecourse_kwargs={"log_input": False, "full": False},
        keras="`Poisson()(y_true, rate)` — takes the RATE, computes λ − y log(λ + 1e-7)",
        keras_loss="Poisson",
        torch="`nn.PoissonNLLLoss()(log_rate, target)` — takes the LOG-RATE by default",
        tfp="`-tfd.Poisson(log_rate=eta).log_prob(y)` (includes log y!)",
        tfd_class="Poisson",
        optax="not in `optax.losses`: `-jax.scipy.stats.poisson.logpmf(y, rate)`",
        sklearn="`mean_poisson_deviance(y_true, rate)` (twice the NLL minus its minimum)",
        pitfalls=(
            "Keras wants the rate and PyTorch the log-rate by default; the log y! term is "
            "dropped by both (`full=False`), so their values differ from the true NLL."
        ),
    ),
)


def _cell(text: str | None) -> str:
    return (text or "—").replace("|", "\\|")


def to_markdown() -> str:
    """Render the cheat sheet as Markdown: one summary table, then the framework spellings.

    Examples:
        >>> print(to_markdown().splitlines()[0])
        | target | distribution | output activation | loss | `mlecourse.losses` |
    """
    lines = [
        "| target | distribution | output activation | loss | `mlecourse.losses` |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in RECIPES:
        options = ", ".join(f"{k}={v!r}" for k, v in r.mlecourse_kwargs.items())
        call = f"`{r.mlecourse_loss}({options})`" if options else f"`{r.mlecourse_loss}`"
        lines.append(
            f"| {_cell(r.target)} | {_cell(r.distribution)} | {_cell(r.activation)} "
            f"| {_cell(r.loss)} | {_cell(call)} |"
        )
    lines += [
        "",
        "| loss | Keras 3 | PyTorch | TensorFlow Probability | optax | scikit-learn |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in RECIPES:
        lines.append(
            f"| {_cell(r.loss)} ({_cell(r.distribution)}) | {_cell(r.keras)} | {_cell(r.torch)} "
            f"| {_cell(r.tfp)} | {_cell(r.optax)} | {_cell(r.sklearn)} |"
        )
    lines += ["", "**Pitfalls**", ""]
    lines += [f"- *{r.loss}* ({r.distribution}): {r.pitfalls}" for r in RECIPES if r.pitfalls]
    return "\n".join(lines) + "\n"
