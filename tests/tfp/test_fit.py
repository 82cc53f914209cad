"""Numeric MLE by tf.GradientTape recovers the closed forms of mlecourse.mle."""

from __future__ import annotations

import numpy as np
import pytest

from mlecourse import mle

tf = pytest.importorskip("tensorflow")
F = pytest.importorskip("mlecourse.tfp.fit")

pytestmark = pytest.mark.tf

RNG = np.random.default_rng(42)


def test_normal_recovers_mean_and_biased_std():
    y = RNG.normal(2.0, 3.0, size=400)
    result = F.fit_mle("normal", y)
    mu_hat, sigma_hat = mle.gaussian(y)  # closed form, ddof=0
    assert result.converged
    assert result.params["loc"] == pytest.approx(mu_hat, rel=1e-6)
    assert result.params["scale"] == pytest.approx(sigma_hat, rel=1e-6)
    assert result.nll_history.shape == (result.num_steps + 1,)
    assert result.nll_history[0] > result.nll


def test_bernoulli_poisson_laplace_and_categorical():
    flips = (RNG.random(300) < 0.3).astype(float)
    assert F.fit_mle("bernoulli", flips).params["probs"] == pytest.approx(
        mle.bernoulli(flips), rel=1e-5
    )
    counts = RNG.poisson(4.0, size=300)
    assert F.fit_mle("poisson", counts).params["rate"] == pytest.approx(
        mle.poisson(counts), rel=1e-5
    )
    y = RNG.laplace(1.0, 2.0, size=301)  # odd n: a unique median
    laplace = F.fit_mle("laplace", y)
    assert laplace.params["loc"] == pytest.approx(mle.laplace(y).loc, abs=1e-4)
    assert laplace.params["scale"] == pytest.approx(mle.laplace(y).scale, rel=2e-3)
    labels = RNG.integers(0, 3, size=200)
    cat = F.fit_mle("categorical", labels)
    np.testing.assert_allclose(
        cat.distribution.probs_parameter().numpy(), mle.categorical(labels, 3), atol=1e-5
    )


def test_custom_distribution_with_bijector():
    tfd, tfb = F.tfd, F.tfb
    y = RNG.exponential(scale=0.5, size=500)
    result = F.fit_mle(
        lambda rate: tfd.Exponential(rate=rate),
        y,
        init={"rate": 1.0},
        bijectors={"rate": tfb.Softplus()},
    )
    assert result.params["rate"] == pytest.approx(1.0 / y.mean(), rel=1e-5)  # 1 / mean


def test_errors():
    with pytest.raises(ValueError, match="one of"):
        F.fit_mle("gumbel", [1.0])
    with pytest.raises(ValueError, match="init"):
        F.fit_mle(lambda loc: F.tfd.Normal(loc, 1.0), [1.0])
    with pytest.raises(ValueError, match="finite"):
        F.fit_mle("normal", [1.0, np.nan])
    with pytest.raises(ValueError, match="outside the support"):
        F.fit_mle("normal", [1.0, 2.0], init={"scale": -1.0})
    with pytest.raises(TypeError):
        F.fit_mle(3, [1.0])
