"""Distribution heads: parameter links, NLL values, shape checks and the Keras loss."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.special import expit, logsumexp

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
H = pytest.importorskip("mlecourse.tfp.heads")

pytestmark = pytest.mark.tf


def softplus(x):
    return np.logaddexp(0.0, x)


RNG = np.random.default_rng(0)
RAW2 = RNG.normal(size=(6, 2))


def test_num_params():
    assert H.NormalHead().num_params == 2
    assert H.BernoulliHead().num_params == 1
    assert H.PoissonHead().num_params == 1
    assert H.CategoricalHead(5).num_params == 5
    assert H.GaussianMixtureHead(3).num_params == 9
    assert H.GaussianMixtureHead(3).dense().units == 9


def test_normal_head_nll_equals_scipy():
    y = RNG.normal(size=6)
    head = H.NormalHead(min_scale=0.01)
    scale = softplus(RAW2[:, 1]) + 0.01
    expected = -stats.norm.logpdf(y, RAW2[:, 0], scale)  # SciPy 1.x norm.logpdf
    got = head.nll(y, RAW2, reduction="none").numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert float(head.nll(y, RAW2)) == pytest.approx(expected.mean(), rel=1e-12)
    assert float(head.nll(y, RAW2, reduction="sum")) == pytest.approx(expected.sum(), rel=1e-12)


def test_normal_head_scale_floor():
    dist = H.NormalHead(min_scale=0.05)(np.array([[0.0, -1e4]]))
    assert float(dist.stddev()[0]) == pytest.approx(0.05)


def test_bernoulli_head_is_bce_from_logits():
    from mlecourse import losses

    z = RNG.normal(size=(7, 1))
    y = (RNG.random(7) < 0.5).astype(float)
    got = H.BernoulliHead().nll(y, z)
    assert float(got) == pytest.approx(losses.binary_cross_entropy(y, z[:, 0], from_logits=True))
    assert float(H.BernoulliHead()(z).mean()[0]) == pytest.approx(expit(z[0, 0]))


def test_categorical_head_is_sparse_ce():
    f = RNG.normal(size=(5, 4))
    labels = np.array([0, 3, 2, 1, 3])
    got = H.CategoricalHead(4).nll(labels, f, reduction="none").numpy()
    expected = logsumexp(f, axis=1) - f[np.arange(5), labels]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    # Keras passes float labels: whole-number floats are accepted
    np.testing.assert_allclose(
        H.CategoricalHead(4).nll(labels.astype(np.float32), f, reduction="none").numpy(),
        expected,
        rtol=1e-12,
    )


def test_poisson_head_log_link():
    eta = RNG.normal(size=(5, 1))
    counts = np.array([0.0, 1.0, 4.0, 2.0, 7.0])
    got = H.PoissonHead().nll(counts, eta, reduction="none").numpy()
    expected = -stats.poisson.logpmf(counts, np.exp(eta[:, 0]))
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_mixture_head_density():
    head = H.GaussianMixtureHead(2, min_scale=0.0)
    raw = RNG.normal(size=(4, 6))
    y = RNG.normal(size=4)
    w = np.exp(raw[:, :2] - logsumexp(raw[:, :2], axis=1, keepdims=True))
    locs, scales = raw[:, 2:4], softplus(raw[:, 4:6])
    density = (w * stats.norm.pdf(y[:, None], locs, scales)).sum(axis=1)
    got = head.nll(y, raw, reduction="none").numpy()
    np.testing.assert_allclose(got, -np.log(density), rtol=1e-10)


def test_n1_targets_against_batch_n_raise_instead_of_broadcasting():
    y = RNG.normal(size=(6, 1))
    with pytest.raises(ValueError, match=r"\(6, 6\) matrix") as err:
        H.NormalHead().nll(y, RAW2)
    assert "y.reshape(-1)" in str(err.value)
    with pytest.raises(ValueError, match="batch shape"):
        H.NLLLoss(H.BernoulliHead())(np.zeros((6, 1)), np.zeros((6, 1)))


def test_shape_error_also_inside_tf_function():
    loss = H.nll_loss(H.NormalHead())

    @tf.function(input_signature=[tf.TensorSpec([None, 1]), tf.TensorSpec([None, 2])])
    def f(y, raw):
        return loss(y, raw)

    with pytest.raises(ValueError, match="batch shape"):
        f.get_concrete_function()


def test_wrong_number_of_raw_params():
    with pytest.raises(ValueError, match=r"Dense\(2\)"):
        H.NormalHead()(np.zeros((3, 3)))


def test_target_support_is_checked_eagerly():
    with pytest.raises(ValueError, match="0/1"):
        H.BernoulliHead().nll([0.0, 2.0], np.zeros((2, 1)))
    with pytest.raises(ValueError, match="class indices"):
        H.CategoricalHead(3).nll([0, 3], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="whole numbers"):
        H.PoissonHead().nll([0.5, 1.0], np.zeros((2, 1)))


def test_bad_head_options():
    with pytest.raises(ValueError):
        H.CategoricalHead(1)
    with pytest.raises(TypeError):
        H.GaussianMixtureHead(2.5)
    with pytest.raises(ValueError):
        H.NormalHead(min_scale=-1.0)
    with pytest.raises(TypeError):
        H.nll_loss("normal")


def test_keras_loss_is_mean_nll_and_serialises():
    head = H.GaussianMixtureHead(2)
    loss = H.nll_loss(head)
    raw = RNG.normal(size=(5, 6)).astype(np.float32)
    y = RNG.normal(size=5).astype(np.float32)
    assert float(loss(y, raw)) == pytest.approx(float(head.nll(y, raw)), rel=1e-6)
    assert loss.name == "gaussian_mixture_nll"
    clone = keras.losses.deserialize(keras.losses.serialize(loss))
    assert isinstance(clone, H.NLLLoss)
    assert clone.head == head


def test_keras_loss_trains_a_model_with_targets_of_shape_n():
    keras.utils.set_random_seed(0)
    x = RNG.normal(size=(64, 1)).astype(np.float32)
    y = (2.0 * x[:, 0] + 0.1 * RNG.normal(size=64)).astype(np.float32)
    head = H.NormalHead()
    model = keras.Sequential([keras.Input((1,)), head.dense()])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=head.loss())
    history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
