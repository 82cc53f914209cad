"""The cheat sheet cannot drift from the code: every name it prints resolves, and every
mlecourse loss it pairs with a Keras loss gives the same value on the same (seeded) data."""

from __future__ import annotations

import numpy as np
import pytest

from mlecourse import cheatsheet, losses

pytestmark = pytest.mark.tf


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
    return rng.normal(size=n).astype(np.float32), rng.normal(size=n).astype(np.float32)


@pytest.mark.parametrize("recipe", cheatsheet.RECIPES, ids=lambda r: r.loss)
def test_names_resolve(recipe: cheatsheet.LossRecipe) -> None:
    import keras
    import tensorflow_probability as tfp

    assert callable(getattr(losses, recipe.mlecourse_loss))
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
    ours = getattr(losses, recipe.mlecourse_loss)(y, pred, **recipe.mlecourse_kwargs)
    theirs = getattr(keras.losses, recipe.keras_loss)(**recipe.keras_kwargs)(y, pred)
    if recipe.keras_loss == "Poisson":
        # Keras adds 1e-7 inside the log: log(rate + 1e-7); rates here are >= ~0.05, so the
        # difference is below 1e-5 relative.
        np.testing.assert_allclose(float(theirs), float(ours), rtol=1e-5)
    else:
        np.testing.assert_allclose(float(theirs), float(ours) * recipe.keras_scale, rtol=2e-6)


def test_markdown_has_one_row_per_recipe() -> None:
    text = cheatsheet.to_markdown()
    for recipe in cheatsheet.RECIPES:
        assert text.count(f"| {recipe.target} |") == 1
    rows = [
        line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| ---")
    ]
    # two tables, each a header row and one row per recipe
    assert len(rows) == 2 * (len(cheatsheet.RECIPES) + 1)
