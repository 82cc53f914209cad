"""The cheat sheet cannot drift from the code: every name it prints resolves, every
mlecourse function it pairs with a Keras loss gives the same value on the same (seeded) data,
its "no built-in" claims hold against Keras (live) and PyTorch (the list recorded from torch
2.13.0), the PyTorch behaviours its rows state match values recorded from PyTorch itself, the
statements of its Part IV rows and of its scoring-rules block are checked (SciPy, scikit-learn,
Keras, statsmodels, numerical minimisation), and no table it renders is wider than four
columns."""

from __future__ import annotations

import importlib
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, optimize, special, stats

from mlecourse import cheatsheet, information, losses, scoring

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.tf


def _mlecourse_function(recipe: cheatsheet.LossRecipe):
    module = importlib.import_module(f"mlecourse.{recipe.mlecourse_module}")
    return getattr(module, recipe.mlecourse_loss)


def _huber(r: np.ndarray, delta: float) -> np.ndarray:
    """The Huber function by its definition (Huber 1964; = Keras Huber, torch HuberLoss)."""
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta))


def _inputs(recipe: cheatsheet.LossRecipe, rng: np.random.Generator):
    """Targets and predictions of the kind the recipe's row describes (float32, batch of 64)."""
    n, k = 64, 4
    name = recipe.mlecourse_loss
    if name == "binary_cross_entropy":
        shape = (n, 3) if "multi-label" in recipe.target else (n,)
        y = rng.integers(0, 2, size=shape).astype(np.float32)
        return y, rng.normal(0, 3, size=shape).astype(np.float32)
    if name == "categorical_cross_entropy":
        y = np.eye(k, dtype=np.float32)[rng.integers(0, k, size=n)]
        return y, rng.normal(0, 3, size=(n, k)).astype(np.float32)
    if name == "sparse_categorical_cross_entropy":
        return rng.integers(0, k, size=n), rng.normal(0, 3, size=(n, k)).astype(np.float32)
    if name == "poisson_nll":
        return rng.poisson(3.0, size=n).astype(np.float32), rng.gamma(2.0, 2.0, n).astype(
            np.float32
        )
    if name == "binary_focal_loss":
        # logits within +-12: Keras clips sigmoid(z) to [1e-7, 1 - 1e-7], inactive here
        y = rng.integers(0, 2, size=n).astype(np.float32)
        return y, np.clip(rng.normal(0, 3, size=n), -12, 12).astype(np.float32)
    if name == "kl_divergence":
        # soft targets and predictions with every entry > 1e-7: Keras's clipping is inactive
        y = rng.dirichlet(np.ones(k), size=n)
        return y, rng.dirichlet(np.ones(k), size=n)
    return rng.normal(size=n).astype(np.float32), (2 * rng.normal(size=n)).astype(np.float32)


@pytest.mark.parametrize("recipe", cheatsheet.RECIPES, ids=lambda r: r.loss)
def test_names_resolve(recipe: cheatsheet.LossRecipe) -> None:
    import keras
    import tensorflow_probability as tfp

    if recipe.mlecourse_loss:
        assert callable(_mlecourse_function(recipe))
    if recipe.tfd_class:
        assert hasattr(tfp.distributions, recipe.tfd_class)
    if recipe.keras_loss is not None:
        assert hasattr(keras.losses, recipe.keras_loss)
        assert recipe.keras_loss in (recipe.keras or "")
    # the heads a row points Keras users to exist in mlecourse.tfp.heads
    from mlecourse.tfp import heads

    for name in re.findall(r"\b(\w+Head|PinballLoss|nll_loss)\b", recipe.keras or ""):
        assert hasattr(heads, name), name
    # ... and `nll_loss(XHead())` builds a Keras loss as written
    for head in re.findall(r"`nll_loss\((\w+Head)\(\)\)`", recipe.keras or ""):
        assert isinstance(heads.nll_loss(getattr(heads, head)()), keras.losses.Loss)
    for name in re.findall(r"`(\w+)", recipe.sklearn):
        assert _resolves_in_sklearn_or_statsmodels(name), name


def _resolves_in_sklearn_or_statsmodels(name: str) -> bool:
    import sklearn.calibration
    import sklearn.linear_model
    import sklearn.metrics
    import statsmodels.api

    modules = (sklearn.metrics, sklearn.linear_model, sklearn.calibration, statsmodels.api)
    return any(hasattr(module, name) for module in modules)


@pytest.mark.parametrize("recipe", cheatsheet.RECIPES, ids=lambda r: r.loss)
def test_linked_function_is_documented(recipe: cheatsheet.LossRecipe) -> None:
    # {py:func} links resolve only for names the API page documents: automodule :members:
    # documents a module's __all__
    module = importlib.import_module(f"mlecourse.{recipe.mlecourse_module}")
    assert recipe.mlecourse_loss in module.__all__
    assert recipe.chapter in cheatsheet.CHAPTER_DOCS


@pytest.mark.parametrize("chapter", sorted(cheatsheet.CHAPTER_DOCS))
def test_linked_chapter_exists(chapter: int) -> None:
    # a {doc} link needs the notebook; tests/test_repository.py checks it is in _toc.yml
    doc = cheatsheet.CHAPTER_DOCS[chapter]
    assert doc.startswith("/book/chapters/") and doc.split("/")[-1].startswith(f"{chapter:02d}_")
    assert (ROOT / f"{doc.lstrip('/')}.ipynb").is_file(), doc


@pytest.mark.parametrize(
    "recipe", [r for r in cheatsheet.RECIPES if r.keras_loss], ids=lambda r: r.loss
)
def test_mlecourse_loss_equals_its_keras_pair(recipe: cheatsheet.LossRecipe) -> None:
    import keras

    rng = np.random.default_rng(20261122)
    y, pred = _inputs(recipe, rng)
    theirs = float(getattr(keras.losses, recipe.keras_loss)(**recipe.keras_kwargs)(y, pred))
    if recipe.keras_loss == "Huber":  # the definition as well (Huber 1964)
        ours = float(np.mean(_huber(y.astype(np.float64) - pred, recipe.keras_kwargs["delta"])))
        np.testing.assert_allclose(theirs, ours, rtol=2e-6)
    ours = np.mean(_mlecourse_function(recipe)(y, pred, **recipe.mlecourse_kwargs))
    if recipe.keras_loss == "Poisson":
        # Keras adds 1e-7 inside the log: log(rate + 1e-7); rates here are >= ~0.05, so the
        # difference is below 1e-5 relative.
        np.testing.assert_allclose(theirs, float(ours), rtol=1e-5)
    else:
        np.testing.assert_allclose(theirs, float(ours) * recipe.keras_scale, rtol=2e-6)


def test_huber_density_is_normalisable() -> None:
    # the Huber row's claim: exp(-Huber) has a finite integral (closed form: Gaussian part on
    # [-delta, delta] plus two exponential tails)
    for delta in (0.5, 1.0, 3.0):
        z, _ = integrate.quad(lambda r, d=delta: np.exp(-_huber(np.asarray(r), d)), -np.inf, np.inf)
        closed = (
            np.sqrt(2 * np.pi) * (2 * stats.norm.cdf(delta) - 1)
            + 2 * np.exp(-(delta**2) / 2) / delta
        )
        assert z == pytest.approx(closed, rel=1e-8)


def test_kl_row_is_cross_entropy_minus_target_entropy() -> None:
    rng = np.random.default_rng(7)
    p, q = rng.dirichlet(np.ones(5), size=9), rng.dirichlet(np.ones(5), size=9)
    np.testing.assert_allclose(
        information.kl_divergence(p, q),
        information.cross_entropy(p, q) - information.entropy(p),
        rtol=1e-12,
    )


# ---- PyTorch behaviours stated in the rows, pinned by values recorded with torch 2.13.0 (CPU),
# ---- float64 tensors, in a scratch environment (torch is not a dependency of this project).
_Q = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
_P = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])


def test_torch_kl_div_batchmean_is_the_kl_and_mean_divides_by_elements() -> None:
    # F.kl_div(q.log(), p, reduction="batchmean") = 0.06620486569672553
    # F.kl_div(q.log(), p, reduction="mean")      = 0.022068288565575175
    kl_rows = information.kl_divergence(_P, _Q)
    assert kl_rows.mean() == pytest.approx(0.06620486569672553, rel=1e-12)
    assert kl_rows.sum() / _P.size == pytest.approx(0.022068288565575175, rel=1e-12)


def test_torch_gaussian_nll_takes_a_variance_and_drops_the_constant_by_default() -> None:
    # F.gaussian_nll_loss(mu, y, var) = 0.375; with full=True = 1.2939385332046727, for
    # mu = [0.5, -1, 2], y = [0, 0, 1], var = [0.25, 1, 4]
    mu, y, var = np.array([0.5, -1.0, 2.0]), np.array([0.0, 0.0, 1.0]), np.array([0.25, 1, 4])
    default = np.mean(0.5 * (np.log(var) + (y - mu) ** 2 / var))
    assert default == pytest.approx(0.375, rel=1e-12)
    assert default + 0.5 * np.log(2 * np.pi) == pytest.approx(1.2939385332046727, rel=1e-12)


def test_torch_poisson_nll_takes_a_log_rate_and_full_adds_stirling() -> None:
    # F.poisson_nll_loss(log(rate), y) = 0.5493232453601277;
    # F.poisson_nll_loss(log(rate), y, full=True) = 1.3546192547426585, rate = [0.5, 2, 4]
    rate, y = np.array([0.5, 2.0, 4.0]), np.array([0.0, 3.0, 2.0])
    default = np.mean(rate - y * np.log(rate))
    assert default == pytest.approx(0.5493232453601277, rel=1e-12)
    y_safe = np.where(y > 1, y, 1.0)  # torch masks the term to y > 1
    stirling = np.where(y > 1, y * np.log(y_safe) - y + 0.5 * np.log(2 * np.pi * y_safe), 0.0)
    assert default + stirling.mean() == pytest.approx(1.3546192547426585, rel=1e-12)
    exact = default + np.mean(special.gammaln(y + 1))
    assert abs(exact - 1.3546192547426585) > 1e-2  # Stirling, not the exact log y!


def test_torch_huber_and_smooth_l1() -> None:
    # F.huber_loss(0, [0.5, -2, 3], delta=1) = 1.375; delta=2: 2.0416666666666665;
    # F.smooth_l1_loss(0, [0.5, -2, 3], beta=2) = 1.0208333333333333
    r = np.array([0.5, -2.0, 3.0])
    assert np.mean(_huber(r, 1.0)) == pytest.approx(1.375, rel=1e-12)
    assert np.mean(_huber(r, 2.0)) == pytest.approx(2.0416666666666665, rel=1e-12)
    assert np.mean(_huber(r, 2.0)) / 2 == pytest.approx(1.0208333333333333, rel=1e-12)


def test_torch_mse_broadcast_of_n_against_n1() -> None:
    # F.mse_loss(tensor([1., 2., 3.]), tensor([[1.], [2.], [3.]])) = 1.3333333333333333,
    # with one UserWarning "Using a target size (torch.Size([3, 1])) that is different to
    # the input size (torch.Size([3]))..." -- the (3, 3) broadcast; the right loss is 0
    pred, target = np.array([1.0, 2.0, 3.0]), np.array([[1.0], [2.0], [3.0]])
    assert np.mean((pred - target) ** 2) == pytest.approx(1.3333333333333333, rel=1e-12)
    assert np.mean((pred - target[:, 0]) ** 2) == 0.0


def test_keras_warns_on_a_sigmoid_activation_with_from_logits() -> None:
    # the Bernoulli and one-hot rows' pitfall: Keras 3 on TensorFlow recognises the output of
    # a sigmoid activation, uses its logits and warns
    import keras

    model = keras.Sequential(
        [keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid", use_bias=False)]
    )
    model.layers[0].set_weights([np.array([[1.0]], dtype=np.float32)])
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = float(loss(np.array([[1.0]]), model(np.array([[-30.0]], dtype=np.float32))))
    assert any("from_logits=True" in str(w.message) for w in caught)
    assert value == pytest.approx(30.0, rel=1e-5)  # log(1 + e^30): the logit was used


# ---- "no built-in" claims. Keras is checked live; PyTorch against the list recorded with
# ---- torch 2.13.0 (CPU): [n for n in dir(torch.nn) if n.endswith("Loss")]
TORCH_NN_LOSSES = (
    "AdaptiveLogSoftmaxWithLoss", "BCELoss", "BCEWithLogitsLoss", "CTCLoss",
    "CosineEmbeddingLoss", "CrossEntropyLoss", "GaussianNLLLoss", "HingeEmbeddingLoss",
    "HuberLoss", "KLDivLoss", "L1Loss", "LinearCrossEntropyLoss", "MSELoss",
    "MarginRankingLoss", "MultiLabelMarginLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss",
    "NLLLoss", "PoissonNLLLoss", "SmoothL1Loss", "SoftMarginLoss", "TripletMarginLoss",
    "TripletMarginWithDistanceLoss",
)  # fmt: skip

# what a built-in loss for the row would be called (lower case, no separators)
_KEYWORDS = {
    "gaussian_nll": ("gaussiannll", "normalnll"),
    "student_t_nll": ("studentt",),
    "negative_binomial_nll": ("negativebinomial", "nbinom"),
    "gamma_nll": ("gamma",),
    "lognormal_nll": ("lognormal",),
    "pinball_loss": ("pinball", "quantile"),
    "binary_focal_loss": ("focal",),
}


def _claims_none(text: str | None) -> bool:
    return (text or "").startswith("no ")


@pytest.mark.parametrize("recipe", cheatsheet.RECIPES, ids=lambda r: r.loss)
def test_no_builtin_claims_hold(recipe: cheatsheet.LossRecipe) -> None:
    import keras

    # every torch.nn class a row names exists in torch 2.13.0
    for name in re.findall(r"nn\.(\w+)", recipe.torch):
        assert name in TORCH_NN_LOSSES, name
    keywords = _KEYWORDS.get(recipe.mlecourse_loss, ())
    if _claims_none(recipe.keras):
        assert keywords, f"say what a Keras built-in for {recipe.loss} would be called"
        keras_names = [n.lower() for n in dir(keras.losses)]
        assert not [n for n in keras_names if any(k in n for k in keywords)]
    if _claims_none(recipe.torch) or "no `torch.nn`" in recipe.torch:
        assert keywords, f"say what a PyTorch built-in for {recipe.loss} would be called"
        assert not [n for n in TORCH_NN_LOSSES if any(k in n.lower() for k in keywords)]


def test_tfp_has_no_asymmetric_laplace() -> None:
    # the pinball row: "no asymmetric-Laplace distribution in TFP"
    import tensorflow_probability as tfp

    (row,) = [r for r in cheatsheet.RECIPES if r.mlecourse_loss == "pinball_loss"]
    assert "no asymmetric-Laplace distribution in TFP" in row.tfp
    assert not [n for n in dir(tfp.distributions) if "asymmetric" in n.lower()]


# ---- the Part IV rows: values recorded with torch 2.13.0 (CPU, float64), and each statement
def test_torch_distributions_equal_the_part_iv_losses() -> None:
    # -torch.distributions.StudentT(4., 1., 2.).log_prob(3.) = 2.231835311857196
    assert losses.student_t_nll([3.0], [1.0], df=4.0, scale=2.0) == pytest.approx(
        2.231835311857196, rel=1e-12
    )
    # -NegativeBinomial(total_count=1.5, logits=log(mu / 1.5)).log_prob(y), y = [0, 3, 10],
    # mu = [2, 2, 4] (its .mean is mu)
    np.testing.assert_allclose(
        losses.negative_binomial_nll(
            [0, 3, 10], [2.0, 2.0, 4.0], total_count=1.5, reduction="none"
        ),
        [1.2709467905808052, 2.1670348151374403, 3.8250916462537665],
        rtol=1e-12,
    )
    # -Gamma(2.5, 2.5 / mu).log_prob(y), y = [0.5, 2, 7], mu = [1, 3, 4]
    np.testing.assert_allclose(
        losses.gamma_nll([0.5, 2.0, 7.0], [1.0, 3.0, 4.0], concentration=2.5, reduction="none"),
        [0.2836768116274493, 1.3674326582845546, 2.9158267200042887],
        rtol=1e-12,
    )
    # -LogNormal(loc=[0, 1, -0.5], scale=[1, 0.5, 2]).log_prob([0.5, 2, 7])
    np.testing.assert_allclose(
        losses.lognormal_nll(
            [0.5, 2.0, 7.0], [0.0, 1.0, -0.5], scale=np.array([1.0, 0.5, 2.0]), reduction="none"
        ),
        [0.46601785960382813, 1.1072558388012943, 4.305805419976404],
        rtol=1e-12,
    )
    # nn.HuberLoss(delta=0.5)(zeros(3), tensor([0.2, -1., 3.])) = 0.59
    assert losses.huber_loss([0.0, 0.0, 0.0], [0.2, -1.0, 3.0], delta=0.5) == pytest.approx(
        0.59, rel=1e-12
    )


def test_focal_row_describes_torchvision_without_values() -> None:
    # torchvision cannot be installed beside torch 2.13.0 here: the row states only what its
    # documentation says (defaults alpha=0.25, reduction='none'; alpha=-1 turns balancing off)
    (row,) = [r for r in cheatsheet.RECIPES if r.mlecourse_loss == "binary_focal_loss"]
    assert "alpha=0.25" in row.torch and "no reduction" in row.torch
    assert "docs.pytorch.org/vision" in row.pitfalls
    assert not re.search(r"\d\.\d{4,}", row.torch + row.pitfalls)  # no recorded values


def test_keras_categorical_losses_renormalise_then_clip() -> None:
    # the appendix's Keras conventions: probabilities are divided by their row sum, then
    # clipped to [1e-7, 1 - 1e-7]
    import keras

    text = (ROOT / "book" / "appendix" / "cheat_sheet.ipynb").read_text(encoding="utf-8")
    assert "first divide each row by its sum" in text
    cce = keras.losses.CategoricalCrossentropy()
    assert float(cce([[0.0, 1.0, 0.0]], [[1.0, 1.0, 2.0]])) == pytest.approx(
        -np.log(0.25), rel=1e-6
    )
    assert float(cce([[0.0, 1.0, 0.0]], [[0.5, 0.0, 0.5]])) == pytest.approx(
        -np.log(1e-7), rel=1e-6
    )


def test_keras_focal_ignores_alpha_without_class_balancing() -> None:
    import keras

    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, size=32).astype(np.float32)
    z = rng.normal(0, 2, size=32).astype(np.float32)
    plain = float(keras.losses.BinaryFocalCrossentropy(from_logits=True)(y, z))
    ignored = float(keras.losses.BinaryFocalCrossentropy(alpha=0.1, from_logits=True)(y, z))
    used = keras.losses.BinaryFocalCrossentropy(
        apply_class_balancing=True, alpha=0.1, from_logits=True
    )
    assert ignored == plain
    assert abs(float(used(y, z)) - plain) > 0.1 * plain
    ours = losses.binary_focal_loss(y, z, alpha=0.1, from_logits=True)
    np.testing.assert_allclose(float(used(y, z)), float(ours), rtol=2e-6)


def _focal_minimiser(p_star: float, gamma: float) -> float:
    """argmin_p of the expected focal loss under y ~ Bernoulli(p_star) (weights p*, 1 - p*)."""

    def expected(p: float) -> float:
        return float(
            losses.binary_focal_loss(
                [1.0, 0.0], [p, p], gamma=gamma, sample_weight=[p_star, 1 - p_star]
            )
        )

    res = optimize.minimize_scalar(
        expected, bounds=(1e-6, 1 - 1e-6), method="bounded", options={"xatol": 1e-10}
    )
    return float(res.x)


def test_focal_loss_is_not_a_likelihood() -> None:
    # the row: "not a likelihood for γ > 0". A loss l(y, p) is an NLL of y ∈ {0, 1} only if
    # exp(-l(0, p)) + exp(-l(1, p)) = 1 for every p; for γ = 0 (the BCE) it is
    p = np.linspace(0.05, 0.95, 19)

    def mass(gamma: float) -> np.ndarray:
        l1 = losses.binary_focal_loss(np.ones_like(p), p, gamma=gamma, reduction="none")
        l0 = losses.binary_focal_loss(np.zeros_like(p), p, gamma=gamma, reduction="none")
        return np.exp(-l0) + np.exp(-l1)

    np.testing.assert_allclose(mass(0.0), 1.0, rtol=1e-12)
    assert np.all(mass(2.0) > 1.05)  # more than one unit of probability: no pmf


def test_focal_row_minimiser_is_pulled_towards_one_half() -> None:
    # the row: "γ = 2 and a true probability of 0.9 give 0.69"
    assert round(_focal_minimiser(0.9, 2.0), 2) == 0.69
    assert "γ = 2 and a true probability of 0.9 give 0.69" in " ".join(
        r.pitfalls for r in cheatsheet.RECIPES
    )
    for p_star in (0.6, 0.75, 0.99):  # towards 1/2, on the same side
        assert 0.5 < _focal_minimiser(p_star, 2.0) < p_star
    assert _focal_minimiser(0.9, 0.0) == pytest.approx(0.9, abs=1e-6)  # γ = 0: the BCE


def test_student_t_row() -> None:
    y, mu = np.array([-3.0, 0.2, 4.0]), np.array([0.5, 0.0, 1.0])
    # ν = 1 is the Cauchy
    np.testing.assert_allclose(
        losses.student_t_nll(y, mu, df=1.0, scale=2.0, reduction="none"),
        -stats.cauchy.logpdf(y, mu, 2.0),
        rtol=1e-12,
    )
    # ν -> ∞: the Gaussian NLL with standard deviation σ
    np.testing.assert_allclose(
        losses.student_t_nll(y, mu, df=1e9, scale=2.0, reduction="none"),
        losses.gaussian_nll(y, mu, std=2.0, reduction="none"),
        rtol=1e-7,
    )
    # σ is not the standard deviation: σ sqrt(ν / (ν - 2)) for ν > 2, infinite for 1 < ν <= 2
    assert stats.t(5.0, scale=2.0).std() == pytest.approx(2.0 * np.sqrt(5 / 3), rel=1e-12)
    assert stats.t(1.5, scale=2.0).std() == np.inf


def test_negative_binomial_row() -> None:
    import statsmodels.api as sm
    import tensorflow_probability as tfp

    y, mu, r = np.array([0.0, 1.0, 4.0, 17.0]), np.array([0.5, 2.0, 3.0, 9.0]), 2.5
    ours = losses.negative_binomial_nll(y, mu, total_count=r, reduction="none")
    # SciPy: n = r, p = r / (r + mu)
    np.testing.assert_allclose(ours, -stats.nbinom.logpmf(y, r, r / (r + mu)), rtol=1e-12)
    # TFP: total_count and logits log(mu / r); its mean is mu
    dist = tfp.distributions.NegativeBinomial(total_count=r, logits=np.log(mu / r))
    np.testing.assert_allclose(dist.mean().numpy(), mu, rtol=1e-12)
    np.testing.assert_allclose(-dist.log_prob(y).numpy(), ours, rtol=1e-10)
    # r -> ∞: the Poisson
    np.testing.assert_allclose(
        losses.negative_binomial_nll(y, mu, total_count=1e10, reduction="none"),
        losses.poisson_nll(y, mu, log_input=False, full=True, reduction="none"),
        rtol=1e-7,
    )
    assert hasattr(sm, "NegativeBinomial")


def test_gamma_row() -> None:
    from sklearn.metrics import mean_gamma_deviance

    rng = np.random.default_rng(11)
    y, mu = rng.gamma(2.0, 1.5, size=50), rng.uniform(0.5, 5.0, size=50)
    for a in (0.7, 2.5, 40.0):
        # mean_gamma_deviance = (2 / a) (mean NLL - mean NLL of the saturated model mu = y)
        excess = losses.gamma_nll(y, mu, concentration=a) - losses.gamma_nll(y, y, concentration=a)
        assert mean_gamma_deviance(y, mu) == pytest.approx(2 / a * excess, rel=1e-9)
        # the coefficient of variation is 1 / sqrt(a) at every mean
        for m in (0.1, 3.0):
            dist = stats.gamma(a, scale=m / a)
            assert dist.std() / dist.mean() == pytest.approx(1 / np.sqrt(a), rel=1e-12)
    with pytest.raises(ValueError):  # y = 0 is outside the support
        losses.gamma_nll([0.0, 1.0], [1.0, 1.0], concentration=2.0)


def test_lognormal_row() -> None:
    import keras
    from sklearn.metrics import mean_squared_log_error

    rng = np.random.default_rng(12)
    y, y_hat = rng.lognormal(0.5, 1.0, size=40), rng.lognormal(0.5, 0.5, size=40)
    # Keras MSLE = 2 x (the sigma = 1 Gaussian NLL of log(1 + y) at log(1 + y_hat)) - log 2π
    msle = float(keras.losses.MeanSquaredLogarithmicError()(y, y_hat))
    gauss = losses.gaussian_nll(np.log1p(y), np.log1p(y_hat))
    assert msle == pytest.approx(2 * gauss - np.log(2 * np.pi), rel=1e-5)  # Keras in float32
    # scikit-learn's mean_squared_log_error is the same log(1 + y) error
    assert mean_squared_log_error(y, y_hat) == pytest.approx(
        np.mean((np.log1p(y) - np.log1p(y_hat)) ** 2), rel=1e-12
    )
    # the NLL of y is the Gaussian NLL of log y plus log y (the Jacobian)
    mu, sigma = rng.normal(size=40), rng.uniform(0.3, 2.0, size=40)
    np.testing.assert_allclose(
        losses.lognormal_nll(y, mu, scale=sigma, reduction="none"),
        losses.gaussian_nll(np.log(y), mu, std=sigma, reduction="none") + np.log(y),
        rtol=1e-12,
    )
    # exp(mu) is the median, exp(mu + sigma^2 / 2) the mean
    dist = stats.lognorm(s=0.8, scale=np.exp(0.3))
    assert dist.median() == pytest.approx(np.exp(0.3), rel=1e-12)
    assert dist.mean() == pytest.approx(np.exp(0.3 + 0.8**2 / 2), rel=1e-12)


def test_pinball_row() -> None:
    from sklearn.metrics import mean_pinball_loss

    rng = np.random.default_rng(13)
    y, q = rng.normal(size=60), rng.normal(size=60)
    for tau in (0.1, 0.5, 0.9):
        assert losses.pinball_loss(y, q, quantile=tau) == pytest.approx(
            mean_pinball_loss(y, q, alpha=tau), rel=1e-12
        )
        # asymmetric Laplace, scale 1: density tau (1 - tau) exp(-pinball) integrates to 1,
        # so its NLL is the pinball loss minus log(tau (1 - tau))
        total, _ = integrate.quad(
            lambda r, t=tau: t * (1 - t) * np.exp(-max(t * r, (t - 1) * r)), -np.inf, np.inf
        )
        assert total == pytest.approx(1.0, rel=1e-9)


# ---- the scoring-rules block
def _expected_score(rule: cheatsheet.ScoringRule, p: float, p_star: float) -> float:
    """E[score] of the forecast p when y ~ Bernoulli(p_star): weights p*, 1 - p* on y = 1, 0."""
    module, name = rule.function.rsplit(".", 1)
    score = getattr(importlib.import_module(module), name)
    return float(score([1.0, 0.0], [p, p], sample_weight=[p_star, 1 - p_star]))


@pytest.mark.parametrize(
    "rule",
    [r for r in cheatsheet.SCORING_RULES if "calibration" not in r.name],
    ids=lambda r: r.name,
)
def test_scoring_rule_verdicts(rule: cheatsheet.ScoringRule) -> None:
    grid = np.linspace(0.001, 0.999, 999)
    for p_star in (0.2, 0.7, 0.85):
        scores = [_expected_score(rule, p, p_star) for p in grid]
        best = grid[int(np.argmin(scores))]
        if rule.proper:  # the true probability, to the grid's step
            assert best == pytest.approx(p_star, abs=1e-3)
        else:  # somewhere else
            assert abs(best - p_star) > 0.05
    if "p = 0 or p = 1" in rule.verdict:  # the absolute error: E = p* + p (1 - 2 p*), linear
        assert _expected_score(rule, 0.999, 0.7) < _expected_score(rule, 0.7, 0.7)
        assert _expected_score(rule, 0.001, 0.2) < _expected_score(rule, 0.2, 0.2)


def test_scoring_rule_bounds() -> None:
    (log_score,) = [r for r in cheatsheet.SCORING_RULES if r.name.startswith("log score")]
    (brier,) = [r for r in cheatsheet.SCORING_RULES if r.name.startswith("Brier")]
    # the log score grows without limit for a confident mistake; the Brier score stops at 1
    mistakes = [_expected_score(log_score, p, 1.0) for p in (1e-3, 1e-6, 1e-12)]
    assert mistakes[0] < mistakes[1] < mistakes[2] and mistakes[2] > 27
    assert _expected_score(brier, 0.0, 1.0) == 1.0
    assert "unbounded" in log_score.verdict and "at most 1" in brier.verdict


def test_ece_of_the_base_rate_is_zero() -> None:
    (ece,) = [r for r in cheatsheet.SCORING_RULES if "calibration" in r.name]
    assert ece.function == "mlecourse.scoring.expected_calibration_error" and not ece.proper
    rng = np.random.default_rng(14)
    p_true = rng.uniform(size=500)
    y = (rng.uniform(size=500) < p_true).astype(int)
    base_rate = np.full(500, y.mean())
    # 0 up to the rounding of sum(y) - sum(p) over 500 examples
    assert scoring.expected_calibration_error(y, base_rate) == pytest.approx(0.0, abs=1e-13)
    # ... while the true probabilities, a better forecast, do not score 0 on a finite sample
    assert scoring.expected_calibration_error(y, p_true) > 0.01


@pytest.mark.parametrize("rule", cheatsheet.SCORING_RULES, ids=lambda r: r.name)
def test_scoring_rule_names_resolve(rule: cheatsheet.ScoringRule) -> None:
    module, name = rule.function.rsplit(".", 1)
    assert name in importlib.import_module(module).__all__
    for sk_name in re.findall(r"`(\w+)", rule.sklearn):
        assert _resolves_in_sklearn_or_statsmodels(sk_name), sk_name


# ---- the rendered page: narrow tables, one row and one card per recipe
def _tables(text: str) -> list[list[str]]:
    tables, current = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def test_markdown_has_one_row_and_one_card_per_recipe() -> None:
    text = cheatsheet.to_markdown()
    for recipe in cheatsheet.RECIPES:
        assert text.count(f"| {recipe.target} |") == 1
        assert text.count(f"### {recipe.loss}: {recipe.distribution}") == 1
    (summary,) = _tables(text)
    assert len(summary) == 2 + len(cheatsheet.RECIPES)


@pytest.mark.parametrize(
    "text",
    [
        cheatsheet.to_markdown(),
        cheatsheet.summary_table(),
        cheatsheet.framework_table(["keras", "torch"]),
        cheatsheet.framework_table(["tfp"], short=False),
        cheatsheet.scoring_table(),
    ],
    ids=["page", "summary", "keras-torch", "tfp", "scoring"],
)
def test_no_table_is_wider_than_four_columns(text: str) -> None:
    for table in _tables(text):
        widths = {line.replace("\\|", "").count("|") - 1 for line in table}
        assert widths == {max(widths)} and max(widths) <= 4


def test_framework_table_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="frameworks"):
        cheatsheet.framework_table(["jax"])
    with pytest.raises(ValueError, match="frameworks"):
        cheatsheet.framework_table(["keras", "torch", "tfp"])
