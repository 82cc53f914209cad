"""The cheat sheet cannot drift from the code: every name it prints resolves, every
mlecourse function it pairs with a Keras loss gives the same value on the same (seeded) data,
the PyTorch behaviours its rows state match values recorded from PyTorch itself, and no table
it renders is wider than four columns."""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pytest
from scipy import integrate, special, stats

from mlecourse import cheatsheet, information

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


@pytest.mark.parametrize(
    "recipe", [r for r in cheatsheet.RECIPES if r.keras_loss], ids=lambda r: r.loss
)
def test_mlecourse_loss_equals_its_keras_pair(recipe: cheatsheet.LossRecipe) -> None:
    import keras

    rng = np.random.default_rng(20261122)
    y, pred = _inputs(recipe, rng)
    theirs = float(getattr(keras.losses, recipe.keras_loss)(**recipe.keras_kwargs)(y, pred))
    if not recipe.mlecourse_loss:  # Huber: no mlecourse loss; the definition instead
        delta = recipe.keras_kwargs["delta"]
        ours = float(np.mean(_huber(y.astype(np.float64) - pred, delta)))
        np.testing.assert_allclose(theirs, ours, rtol=2e-6)
        return
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
    ],
    ids=["page", "summary", "keras-torch", "tfp"],
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
