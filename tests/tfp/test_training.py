"""Keras 3 models trained by maximum likelihood reach the known answers (seeded, CPU, seconds)."""

from __future__ import annotations

import numpy as np
import pytest

from mlecourse import datasets

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
sklearn_lm = pytest.importorskip("sklearn.linear_model")
T = pytest.importorskip("mlecourse.tfp.losses")
H = pytest.importorskip("mlecourse.tfp.heads")

pytestmark = pytest.mark.tf


@pytest.fixture(autouse=True)
def _seed():
    keras.utils.set_random_seed(0)


def batches(x, y, batch_size):
    """An endless shuffled stream of batches: one ``fit`` epoch of many steps is much cheaper
    than many short epochs (Keras's per-epoch overhead dominates such tiny models)."""
    ds = tf.data.Dataset.from_tensor_slices((x.astype(np.float32), y.astype(np.float32)))
    return ds.shuffle(len(y), seed=0).repeat().batch(batch_size)


def test_logistic_regression_by_bernoulli_nll_matches_sklearn():
    data = datasets.logistic_regression(400, weights=(2.0, -1.0), bias=0.5, seed=1)
    X, y = data.X.astype(np.float32), data.y.astype(np.float32)
    # no penalty: scikit-learn 1.8 deprecated penalty=None in favour of C=inf
    reference = sklearn_lm.LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(X, y)

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    # the twin as a plain Keras loss: Keras expands y to (N, 1) to meet the (N, 1) logits
    model.compile(
        optimizer=keras.optimizers.Adam(0.1),
        loss=lambda y_true, z: T.binary_cross_entropy(y_true, z, from_logits=True),
    )
    full_batch = tf.data.Dataset.from_tensors((X, y)).repeat()
    model.fit(full_batch, epochs=1, steps_per_epoch=300, shuffle=False, verbose=0)
    w, b = model.layers[0].get_weights()
    np.testing.assert_allclose(w[:, 0], reference.coef_[0], atol=2e-3)
    np.testing.assert_allclose(b, reference.intercept_, atol=2e-3)


def test_heteroscedastic_gaussian_head_recovers_sigma_within_10_percent():
    data = datasets.heteroscedastic_regression(4000, seed=0)
    x, y = data.x[:, None].astype(np.float32), data.y.astype(np.float32)
    head = H.NormalHead(min_scale=1e-3)
    model = keras.Sequential(
        [
            keras.Input((1,)),
            keras.layers.Dense(32, activation="tanh"),
            keras.layers.Dense(32, activation="tanh"),
            head.dense(),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=H.nll_loss(head))
    model.fit(batches(x, y, 1000), epochs=1, steps_per_epoch=800, shuffle=False, verbose=0)
    grid = np.linspace(-2.5, 2.5, 11, dtype=np.float32)[:, None]
    dist = head(model(grid))
    sigma_hat = dist.stddev().numpy()
    sigma = data.noise_std(grid[:, 0])
    np.testing.assert_allclose(sigma_hat, sigma, rtol=0.10)
    np.testing.assert_allclose(dist.mean().numpy(), data.mean_function(grid[:, 0]), atol=0.1)


def test_mixture_density_network_beats_a_single_gaussian_on_held_out_nll():
    train = datasets.one_to_many(2000, seed=0)
    test = datasets.one_to_many(1000, seed=1)

    def fit(head):
        keras.utils.set_random_seed(0)
        model = keras.Sequential(
            [keras.Input((1,)), keras.layers.Dense(16, activation="tanh"), head.dense()]
        )
        model.compile(optimizer=keras.optimizers.Adam(0.02), loss=H.nll_loss(head))
        stream = batches(train.x[:, None], train.y, 250)
        model.fit(stream, epochs=1, steps_per_epoch=300, shuffle=False, verbose=0)
        return float(head.nll(test.y, model(test.x[:, None].astype(np.float32))))

    single = fit(H.NormalHead())
    mixture = fit(H.GaussianMixtureHead(2))
    # one Gaussian must cover both branches (sigma ~ sqrt(x)); two components need only the noise
    assert mixture < single - 0.5, (mixture, single)
