"""The likelihood -> loss cheat sheet, as data.

One row per modelling choice: the distribution assumed for the target, the output activation
(the inverse link) that maps a network's raw output to that distribution's parameter, the loss
it implies, and how Keras, PyTorch, TensorFlow Probability, optax and scikit-learn spell it.
The appendix page renders :func:`to_markdown` and :func:`scoring_table`, and Chapter 8 renders
:func:`summary_table` and :func:`framework_table`; ``tests/test_cheatsheet.py`` checks the
table against the libraries themselves (every Keras, TFP, scikit-learn and mlecourse name
resolves, each mlecourse function equals the Keras loss it is paired with, the rows that say
Keras or PyTorch has no built-in are checked against the libraries' lists of losses), and
``tests/torch/test_cheatsheet_torch.py`` runs every PyTorch behaviour the rows state with
torch 2.13.0. The optax spellings are taken from the optax documentation
(https://optax.readthedocs.io/en/latest/api/losses.html) and are not run: optax is not a
dependency of the book.

Layout decision (written down once, here): a page column is about 688 px wide, so no table
has more than four short columns. The summary is one four-column table; the framework
spellings are one small table per framework (or one card per loss in the appendix), never one
wide table with a column per library. In the summary, each loss links to its mlecourse
function (``{py:func}``) and to the chapter that derives it (``{doc}``, an absolute document
path, so the same Markdown works on every page that renders it).

Three rows are not the NLL of a standard distribution, and say so: the Huber loss (exp(-Huber)
has a finite integral, so it is an NLL up to a constant, of a density nobody names), the KL
divergence (the cross-entropy minus the entropy of the target, a constant for training) and
the focal loss (not a likelihood at all for gamma > 0, and not a proper scoring rule).

Derived across Chapters 4-11; summarised in the appendix "Cheat sheet".
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
        chapter: the chapter that derives the loss (linked from the summary).
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
    chapter: int = 0


RECIPES: tuple[LossRecipe, ...] = (
    LossRecipe(
        target="binary label y ∈ {0, 1}",
        distribution="Bernoulli(p)",
        activation="sigmoid: p = σ(z)",
        loss="binary cross-entropy",
        mlecourse_loss="binary_cross_entropy",
        chapter=4,
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
        target="binary label, most examples easy (dense detection)",
        distribution="none: not a likelihood for γ > 0",
        activation="sigmoid: p = σ(z)",
        loss="binary focal loss",
        mlecourse_loss="binary_focal_loss",
        chapter=10,
        mlecourse_kwargs={"gamma": 2.0, "from_logits": True},
        keras="`BinaryFocalCrossentropy(gamma=2.0, from_logits=True)`",
        keras_loss="BinaryFocalCrossentropy",
        keras_kwargs={"gamma": 2.0, "from_logits": True},
        torch=(
            "no `torch.nn` class; torchvision's `ops.sigmoid_focal_loss` takes logits, and its "
            "documentation gives class balancing `alpha=0.25` and no reduction as defaults"
        ),
        tfp="no distribution: it is not a log-likelihood",
        optax="`sigmoid_focal_loss(logits, labels)`",
        sklearn="none",
        pitfalls=(
            "(1 − p_t)^γ × BCE is not a proper scoring rule: the minimiser of its expected value "
            "is pulled towards 1/2 (γ = 2 and a true probability of 0.9 give 0.69), so its "
            "probabilities need recalibrating (temperature scaling); with a class-balancing "
            "weight the minimiser moves again, and need not lie above 1/2. Keras ignores "
            "`alpha` unless `apply_class_balancing=True`; torchvision balances by default, and "
            "`alpha=-1` turns it off (its documentation: https://docs.pytorch.org/vision/0.28/"
            "generated/torchvision.ops.sigmoid_focal_loss.html)."
        ),
    ),
    LossRecipe(
        target="several binary labels per example (multi-label)",
        distribution="independent Bernoullis, one per label",
        activation="sigmoid on each output",
        loss="binary cross-entropy, averaged over labels",
        mlecourse_loss="binary_cross_entropy",
        chapter=5,
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
        chapter=5,
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
        chapter=5,
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
        chapter=6,
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
        activation="identity for μ; softplus plus a floor, or exp of a log-scale, for σ",
        loss="Gaussian negative log-likelihood",
        mlecourse_loss="gaussian_nll",
        chapter=6,
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
            "the NLL of a density can be negative, which is not a bug. For σ, exp overflows in "
            "float32 past a raw output of about 88.7, and softplus plus a floor has a gradient "
            "that vanishes near the floor: both are in use (Chapter 8)."
        ),
    ),
    LossRecipe(
        target="real number, heavy-tailed noise",
        distribution="Laplace(μ, b) with b fixed",
        activation="identity: μ = z",
        loss="mean absolute error",
        mlecourse_loss="mean_absolute_error",
        chapter=6,
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
        mlecourse_loss="huber_loss",
        mlecourse_kwargs={"delta": 1.0},
        chapter=6,
        keras="`Huber(delta=1.0)`",
        keras_loss="Huber",
        keras_kwargs={"delta": 1.0},
        torch="`nn.HuberLoss(delta=1.0)(pred, target)`; `SmoothL1Loss(beta)` is Huber / beta",
        tfp="no distribution: write the loss, or `-log_prob` of a custom density",
        optax="`huber_loss(predictions, targets, delta=1.0)`",
        sklearn="none as a metric (`HuberRegressor` fits with it)",
        pitfalls=(
            "Quadratic for |error| ≤ δ and linear beyond, so δ is in the target's units; "
            "PyTorch's `SmoothL1Loss(beta)` equals `HuberLoss(delta=beta)` divided by beta. "
            "As a likelihood it needs its normaliser Z_δ (chapter 11) to compare or learn δ."
        ),
    ),
    LossRecipe(
        target="real number, tails of unknown weight",
        distribution="Student-t t_ν(μ, σ), ν and σ learned",
        activation="identity for μ; softplus plus a floor for σ and ν",
        loss="Student-t negative log-likelihood",
        mlecourse_loss="student_t_nll",
        chapter=11,
        keras="no built-in: `nll_loss(StudentTHead())` from `mlecourse.tfp.heads`",
        torch="no built-in loss: `-StudentT(df, loc, scale).log_prob(y)`, `torch.distributions`",
        tfp="`-tfd.StudentT(df=nu, loc=mu, scale=sigma).log_prob(y)`",
        tfd_class="StudentT",
        sklearn="none",
        pitfalls=(
            "σ is a scale, not the standard deviation (that is σ √(ν / (ν − 2)) for ν > 2, "
            "infinite for 1 < ν ≤ 2). ν = 1 is the Cauchy; as ν → ∞ the loss tends to the "
            "Gaussian NLL with standard deviation σ."
        ),
    ),
    LossRecipe(
        target="a quantile of a real number (prediction intervals)",
        distribution="asymmetric Laplace with location q_τ and scale 1",
        activation="identity: q_τ = z, one output per level τ",
        loss="pinball (quantile) loss",
        mlecourse_loss="pinball_loss",
        chapter=11,
        mlecourse_kwargs={"quantile": 0.9},
        keras="no built-in: `PinballLoss(quantiles)` of `mlecourse.tfp.heads` (a `QuantileHead`)",
        torch="no built-in loss: `torch.maximum(tau * u, (tau - 1) * u).mean()`, u = y − q",
        tfp="no asymmetric-Laplace distribution in TFP: write the loss",
        sklearn="`mean_pinball_loss(y_true, q, alpha=tau)`",
        pitfalls=(
            "The asymmetric-Laplace NLL is the pinball loss minus log(τ(1 − τ)), a constant; "
            "it is a working likelihood for the quantile, not a model of the noise. "
            "Quantiles trained as separate outputs can cross: count crossings on held-out data."
        ),
    ),
    LossRecipe(
        target="count y ∈ {0, 1, 2, …}",
        distribution="Poisson(λ)",
        activation="exp: λ = exp(z) (log link)",
        loss="Poisson negative log-likelihood",
        mlecourse_loss="poisson_nll",
        chapter=8,
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
            "the exact term. The mlecourse entry takes the rate, to match Keras's `Poisson`; "
            "from the raw output z, call it with the default `log_input=True`, as PyTorch does."
        ),
    ),
    LossRecipe(
        target="count whose variance exceeds its mean (overdispersed)",
        distribution="negative binomial NB(μ, r): variance μ + μ²/r",
        activation="exp: μ = exp(z) (log link); softplus plus a floor for r",
        loss="negative-binomial negative log-likelihood",
        mlecourse_loss="negative_binomial_nll",
        chapter=11,
        keras="no built-in: `nll_loss(NegativeBinomialHead())` from `mlecourse.tfp.heads`",
        torch=(
            "no built-in loss: `-NegativeBinomial(r, logits=log(mu / r)).log_prob(y)`, "
            "`torch.distributions`"
        ),
        tfp="`-tfd.NegativeBinomial(total_count=r, logits=log(mu / r)).log_prob(y)`",
        tfd_class="NegativeBinomial",
        sklearn="none (statsmodels: `NegativeBinomial`)",
        pitfalls=(
            "PyTorch and TFP build it from `total_count` and the logits log(μ / r), SciPy's "
            "`nbinom` from n = r and p = r / (r + μ): check that the mean comes out as μ. As "
            "r → ∞ it is the Poisson."
        ),
    ),
    LossRecipe(
        target="positive real number, spread growing with the mean (durations, amounts)",
        distribution="Gamma(μ, a): shape a, rate a/μ, variance μ²/a",
        activation="softplus plus a floor for μ and for a",
        loss="Gamma negative log-likelihood",
        mlecourse_loss="gamma_nll",
        chapter=11,
        keras="no built-in: `nll_loss(GammaHead())` from `mlecourse.tfp.heads`",
        torch="no built-in loss: `-Gamma(a, a / mu).log_prob(y)`, `torch.distributions`",
        tfp="`-tfd.Gamma(concentration=a, rate=a / mu).log_prob(y)`",
        tfd_class="Gamma",
        sklearn=(
            "`mean_gamma_deviance(y_true, mu)` = (2 / a) × (mean NLL − mean NLL of the "
            "saturated model μ = y)"
        ),
        pitfalls=(
            "y = 0 is outside the support: `gamma_nll` raises ValueError; shift the target or "
            "model the zeros apart. The coefficient of variation 1/√a is the same at every μ."
        ),
    ),
    LossRecipe(
        target="positive real number, skewed (prices, incomes)",
        distribution="LogNormal(μ, σ): log y ~ Normal(μ, σ²)",
        activation="identity for μ; softplus plus a floor for σ",
        loss="log-normal negative log-likelihood",
        mlecourse_loss="lognormal_nll",
        chapter=11,
        keras=(
            "no built-in: `nll_loss(LogNormalHead())` from `mlecourse.tfp.heads`. "
            "`MeanSquaredLogarithmicError` is 2 × (the σ = 1 Gaussian NLL of log(1 + y)) "
            "− log 2π: a model of 1 + y, not of y"
        ),
        torch="no built-in loss: `-LogNormal(mu, sigma).log_prob(y)`, `torch.distributions`",
        tfp="`-tfd.LogNormal(loc=mu, scale=sigma).log_prob(y)`",
        tfd_class="LogNormal",
        sklearn="`mean_squared_log_error(y_true, y_pred)`: log(1 + y), like Keras's MSLE",
        pitfalls=(
            "exp(μ) is the median, not the mean (exp(μ + σ²/2)). The NLL of y is the Gaussian "
            "NLL of log y plus log y: keep that term to compare it with a Gamma fit."
        ),
    ),
    LossRecipe(
        target="a probability vector (soft labels, a teacher's predictions)",
        distribution="Categorical(p) against a target distribution",
        activation="softmax: p = softmax(z) (log-softmax for PyTorch)",
        loss="KL divergence",
        mlecourse_loss="kl_divergence",
        chapter=7,
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
            "It is the cross-entropy minus the entropy of the target: as functions of the "
            "predicted probabilities, the same gradients and a different constant (Keras's "
            "clip aside: no gradient below 1e-7). Probabilities passed to PyTorch's "
            "`KLDivLoss` in place of log-probabilities give a negative value."
        ),
    ),
)


@dataclass(frozen=True)
class ScoringRule:
    """One row of the scoring-rules block: how a probability forecast is scored.

    Attributes:
        name: the score, with its value for one binary example.
        function: the dotted name of the mlecourse function that computes it.
        sklearn: the scikit-learn spelling.
        proper: whether its expected value is smallest at the true probability, and only
            there (strictly proper).
        verdict: what the table says about it.
    """

    name: str
    function: str
    sklearn: str
    proper: bool
    verdict: str


#: Scores of binary probability forecasts p of y ∈ {0, 1} (Chapter 10); the tests check each
#: verdict by minimising the expected score under y ~ Bernoulli(p*).
#:
#: :meta hide-value:
SCORING_RULES: tuple[ScoringRule, ...] = (
    ScoringRule(
        name="log score −log p(y), the NLL",
        function="mlecourse.losses.binary_cross_entropy",
        sklearn="`log_loss`",
        proper=True,
        verdict="strictly proper; unbounded: a confident mistake costs without limit",
    ),
    ScoringRule(
        name="Brier score (p − y)²",
        function="mlecourse.scoring.brier_score",
        sklearn="`brier_score_loss`",
        proper=True,
        verdict="strictly proper; at most 1 per example",
    ),
    ScoringRule(
        name="absolute error |y − p|",
        function="mlecourse.losses.mean_absolute_error",
        sklearn="`mean_absolute_error`",
        proper=False,
        verdict="not proper: its expectation is smallest at p = 0 or p = 1",
    ),
    ScoringRule(
        name="focal loss (1 − p_t)^γ × BCE, γ > 0",
        function="mlecourse.losses.binary_focal_loss",
        sklearn="none",
        proper=False,
        verdict="not proper: its minimiser is pulled towards 1/2",
    ),
    ScoringRule(
        name="expected calibration error (ECE)",
        function="mlecourse.scoring.expected_calibration_error",
        sklearn="none (`calibration_curve` gives the bins)",
        proper=False,
        verdict="not a scoring rule: always predicting the base rate scores 0",
    ),
)

_FRAMEWORKS = {
    "keras": "Keras 3",
    "torch": "PyTorch",
    "tfp": "TensorFlow Probability",
    "optax": "optax (from its documentation, not run)",
    "sklearn": "scikit-learn",
}


# The chapter notebooks by number, the ``{doc}`` targets of the summary's links (absolute
# document paths, so that the appendix and Chapter 8 render the same Markdown).
CHAPTER_DOCS = {
    4: "/book/chapters/04_binary_cross_entropy",
    5: "/book/chapters/05_categorical_cross_entropy",
    6: "/book/chapters/06_gaussian_mean_squared_error",
    7: "/book/chapters/07_cross_entropy_kl_entropy",
    8: "/book/chapters/08_training_networks",
    10: "/book/chapters/10_scoring_rules_and_calibration",
    11: "/book/chapters/11_choosing_the_likelihood",
}


def _cell(text: str | None) -> str:
    return (text or "—").replace("|", "\\|")


def _function(r: LossRecipe) -> str:
    """The dotted name of a row's mlecourse function (empty when the package has none)."""
    return f"mlecourse.{r.mlecourse_module}.{r.mlecourse_loss}" if r.mlecourse_loss else ""


def _mlecourse_call(r: LossRecipe) -> str:
    """The mlecourse spelling of a row, linked to its API entry, or a dash."""
    if not r.mlecourse_loss:
        return "—"
    options = ", ".join(f"`{k}={v!r}`" for k, v in r.mlecourse_kwargs.items())
    link = f"{{py:func}}`~{_function(r)}`"
    return f"{link} with {options}" if options else link


def _linked_loss(r: LossRecipe) -> str:
    """The loss's name linked to its function, and the chapter that derives it."""
    name = f"{{py:func}}`{r.loss} <{_function(r)}>`" if r.mlecourse_loss else r.loss
    if r.chapter in CHAPTER_DOCS:
        name += f" ({{doc}}`Ch. {r.chapter} <{CHAPTER_DOCS[r.chapter]}>`)"
    return name


def _first_code(text: str | None) -> str:
    """The call itself: the first code span of a spelling, or its first clause.

    A spelling that starts with code keeps its first code span; one that does not
    (``"no built-in: write ..."``) is kept up to its first ``". "`` or ``"; "`` outside code.
    """
    if not text:
        return "—"
    if text.startswith("`"):
        match = re.search(r"`[^`]+`", text)
        return match.group(0) if match else text
    in_code = False
    for i, char in enumerate(text):
        in_code ^= char == "`"
        if not in_code and text[i : i + 2] in (". ", "; "):
            return text[:i]
    return text


def summary_table() -> str:
    """The cheat sheet's summary: one row per recipe, four columns.

    Each loss links to its mlecourse function (``{py:func}``) and to the chapter that
    derives it (``{doc}``); render the Markdown as MyST (``nb_render_markdown_format: myst``).

    Returns:
        A Markdown table with the columns target, distribution, output activation and
        loss.

    Examples:
        >>> print(summary_table().splitlines()[0])
        | target | distribution | output activation | loss |
    """
    lines = ["| target | distribution | output activation | loss |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {_cell(r.target)} | {_cell(r.distribution)} | {_cell(r.activation)} "
        f"| {_cell(_linked_loss(r))} |"
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


def scoring_table() -> str:
    """Which scores of a probability forecast are proper: four columns, one row per score.

    Returns:
        A Markdown table with the columns score, mlecourse, scikit-learn and proper?; each
        mlecourse function is linked (``{py:func}``).

    Examples:
        >>> print(scoring_table().splitlines()[0])
        | score | mlecourse | scikit-learn | proper? |
    """
    lines = ["| score | mlecourse | scikit-learn | proper? |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {_cell(s.name)} | {{py:func}}`~{s.function}` | {_cell(s.sklearn)} "
        f"| {_cell(s.verdict)} |"
        for s in SCORING_RULES
    ]
    return "\n".join(lines) + "\n"
