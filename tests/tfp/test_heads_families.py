"""Heads for heavy tails, counts, positive values and quantiles.

Parameter links, NLL against SciPy and TFP, targets, training.

Expected values: SciPy 1.x log-densities (``stats.t``, ``stats.nbinom``, ``stats.gamma``,
``stats.lognorm``) of the parameters the links give, computed here in NumPy; ``-tfd.<Dist>
.log_prob`` built independently of the head; scikit-learn's ``mean_pinball_loss`` for the
quantile head.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
tfd = pytest.importorskip("tensorflow_probability").distributions
H = pytest.importorskip("mlecourse.tfp.heads")
T = pytest.importorskip("mlecourse.tfp.losses")
sk_metrics = pytest.importorskip("sklearn.metrics")

pytestmark = pytest.mark.tf


def softplus(x):
    return np.logaddexp(0.0, x)


def raw(seed: int, n: int, k: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, k))


# --------------------------------------------------------------------------- links and NLL


def test_num_params_and_dense_units():
    assert H.StudentTHead().num_params == 3
    assert H.StudentTHead(df=5.0).num_params == 2
    assert H.NegativeBinomialHead().num_params == 2
    assert H.GammaHead().num_params == 2
    assert H.LogNormalHead().num_params == 2
    assert H.QuantileHead((0.1, 0.5, 0.9)).num_params == 3
    assert H.QuantileHead((0.05, 0.95)).dense().units == 2


def test_student_t_head_nll_equals_scipy_and_tfd():
    r = raw(1, 8, 3)
    y = np.random.default_rng(2).standard_t(3.0, size=8) * 2.0
    head = H.StudentTHead(min_df=1.0, min_scale=0.01)
    loc, scale, df = r[:, 0], softplus(r[:, 1]) + 0.01, softplus(r[:, 2]) + 1.0
    expected = -stats.t.logpdf(y, df, loc, scale)  # SciPy's Student-t log-density
    got = head.nll(y, r, reduction="none").numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    by_tfd = -tfd.StudentT(df, loc, scale).log_prob(y).numpy()
    np.testing.assert_allclose(got, by_tfd, rtol=1e-12)
    assert float(head.nll(y, r)) == pytest.approx(expected.mean(), rel=1e-10)


def test_student_t_head_with_fixed_df():
    r = raw(3, 5, 2)
    y = np.linspace(-3.0, 3.0, 5)
    got = H.StudentTHead(df=4.0, min_scale=0.0).nll(y, r, reduction="none").numpy()
    expected = -stats.t.logpdf(y, 4.0, r[:, 0], softplus(r[:, 1]))
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_student_t_head_floors():
    dist = H.StudentTHead(min_df=2.0, min_scale=0.05)(np.array([[0.0, -1e4, -1e4]]))
    assert float(dist.scale[0]) == pytest.approx(0.05)
    assert float(dist.df[0]) == pytest.approx(2.0)


def test_negative_binomial_head_nll_equals_scipy_and_has_its_variance():
    r = raw(4, 8, 2)
    counts = np.array([0, 1, 3, 7, 0, 12, 2, 40], dtype=float)
    head = H.NegativeBinomialHead(min_total_count=0.01)
    mu, total = np.exp(r[:, 0]), softplus(r[:, 1]) + 0.01
    # SciPy counts failures before n successes of probability p: mean n (1 - p) / p = mu
    expected = -stats.nbinom.logpmf(counts, total, total / (total + mu))
    got = head.nll(counts, r, reduction="none").numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    dist = head(r)
    np.testing.assert_allclose(dist.mean().numpy(), mu, rtol=1e-12)
    np.testing.assert_allclose(dist.variance().numpy(), mu + mu**2 / total, rtol=1e-12)


def test_negative_binomial_head_tends_to_the_poisson_head():
    counts = np.array([0.0, 2.0, 5.0, 9.0])
    log_mu = np.log([0.5, 2.0, 4.0, 8.0])
    huge_r = np.full(4, 1e8)  # softplus(1e8) = 1e8: Var = mu + mu^2 / 1e8
    nb = H.NegativeBinomialHead().nll(counts, np.stack([log_mu, huge_r], 1), reduction="none")
    poisson = H.PoissonHead().nll(counts, log_mu[:, None], reduction="none")
    np.testing.assert_allclose(nb.numpy(), poisson.numpy(), rtol=1e-6)


def test_gamma_head_nll_equals_scipy():
    r = raw(5, 8, 2)
    y = np.random.default_rng(6).gamma(2.0, 1.5, size=8)
    head = H.GammaHead(min_mean=0.01, min_concentration=0.02)
    mean, shape = softplus(r[:, 0]) + 0.01, softplus(r[:, 1]) + 0.02
    expected = -stats.gamma.logpdf(y, shape, scale=mean / shape)  # rate a / mu
    got = head.nll(y, r, reduction="none").numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    np.testing.assert_allclose(head(r).mean().numpy(), mean, rtol=1e-12)


def test_lognormal_head_nll_equals_scipy():
    r = raw(7, 8, 2)
    y = np.random.default_rng(8).lognormal(0.5, 0.8, size=8)
    head = H.LogNormalHead(min_scale=0.01)
    loc, scale = r[:, 0], softplus(r[:, 1]) + 0.01
    expected = -stats.lognorm.logpdf(y, scale, scale=np.exp(loc))  # SciPy: s = sigma, e^mu
    got = head.nll(y, r, reduction="none").numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-10)


@pytest.mark.parametrize(
    "head",
    [H.StudentTHead(), H.NegativeBinomialHead(), H.GammaHead(), H.LogNormalHead()],
    ids=lambda h: type(h).__name__,
)
def test_float32_raw_outputs_give_float32_nll(head):
    r = raw(9, 4, head.num_params).astype(np.float32)
    y = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    got = head.nll(y, r, reduction="none")
    assert got.dtype == tf.float32
    expected = head.nll(y.astype(np.float64), r.astype(np.float64), reduction="none")
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=2e-5)


def test_each_head_nll_is_the_twin_loss_of_its_linked_parameters():
    # The head's links (softplus + floor, exp for the NB mean) feed the contract's losses.
    r = raw(12, 6, 3)
    y = np.array([0.5, 1.0, 2.0, 3.0, 5.0, 8.0])
    sp = softplus
    cases = [
        (H.StudentTHead(), r, T.student_t_nll(
            y, r[:, 0], df=sp(r[:, 2]) + 1.0, scale=sp(r[:, 1]) + 1e-3, reduction="none")),
        (H.StudentTHead(df=2.5), r[:, :2], T.student_t_nll(
            y, r[:, 0], df=2.5, scale=sp(r[:, 1]) + 1e-3, reduction="none")),
        (H.NegativeBinomialHead(), r[:, :2], T.negative_binomial_nll(
            np.round(y), np.exp(r[:, 0]), total_count=sp(r[:, 1]) + 1e-3, reduction="none")),
        (H.GammaHead(), r[:, :2], T.gamma_nll(
            y, sp(r[:, 0]) + 1e-3, concentration=sp(r[:, 1]) + 1e-3, reduction="none")),
        (H.LogNormalHead(), r[:, :2], T.lognormal_nll(
            y, r[:, 0], scale=sp(r[:, 1]) + 1e-3, reduction="none")),
    ]  # fmt: skip
    for head, raw_params, expected in cases:
        targets = np.round(y) if isinstance(head, H.NegativeBinomialHead) else y
        got = head.nll(targets, raw_params, reduction="none").numpy()
        np.testing.assert_allclose(got, expected.numpy(), rtol=1e-12, err_msg=repr(head))


# --------------------------------------------------------------------------- targets


@pytest.mark.parametrize(
    "head, y, message",
    [
        (H.NegativeBinomialHead(), [0.0, 1.5], "y_true must contain whole numbers"),
        (H.NegativeBinomialHead(), [-1.0, 2.0], "y_true must be >= 0"),
        (H.NegativeBinomialHead(), [np.nan, 2.0], "y_true must be finite"),
        (H.GammaHead(), [0.0, 1.0], "y_true must be > 0"),
        (H.GammaHead(), [-2.0, 1.0], "y_true must be > 0"),
        (H.LogNormalHead(), [0.0, 1.0], "y_true must be > 0"),
        (H.LogNormalHead(), [np.inf, 1.0], "y_true must be finite"),
        (H.StudentTHead(), [np.nan, 1.0], "y_true must be finite"),
        (H.QuantileHead(), [np.nan, 1.0], "y_true must be finite"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, list | str) else None,
)
def test_targets_outside_the_support_raise_named_errors(head, y, message):
    raw_params = np.zeros((2, head.num_params))
    loss = head.pinball if isinstance(head, H.QuantileHead) else head.nll
    with pytest.raises(ValueError, match=message):
        loss(y, raw_params)


def test_targets_of_shape_n1_raise_instead_of_broadcasting():
    y = np.ones((4, 1))
    for head in (H.StudentTHead(), H.NegativeBinomialHead(), H.GammaHead(), H.LogNormalHead()):
        with pytest.raises(ValueError, match=r"\(4, 4\) matrix"):
            head.nll(y, np.zeros((4, head.num_params)))
    with pytest.raises(ValueError, match=r"\(4, 4\) matrix"):
        H.QuantileHead().pinball(y, np.zeros((4, 3)))


def test_wrong_number_of_raw_outputs():
    with pytest.raises(ValueError, match=r"Dense\(3\)"):
        H.StudentTHead()(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"Dense\(2\)"):
        H.QuantileHead((0.25, 0.75)).pinball([1.0], np.zeros((1, 3)))


def test_bad_head_options():
    with pytest.raises(ValueError, match="df must be > 0"):
        H.StudentTHead(df=0.0)
    with pytest.raises(ValueError, match="min_df must be >= 0"):
        H.StudentTHead(min_df=-1.0)
    with pytest.raises(ValueError, match="min_total_count"):
        H.NegativeBinomialHead(min_total_count=-0.1)
    with pytest.raises(TypeError, match="min_mean"):
        H.GammaHead(min_mean="small")
    with pytest.raises(ValueError, match="min_scale"):
        H.LogNormalHead(min_scale=-1e-3)
    with pytest.raises(ValueError, match=r"quantiles must be < 1"):
        H.QuantileHead((0.5, 1.0))
    with pytest.raises(ValueError, match="strictly increasing"):
        H.QuantileHead((0.9, 0.1))
    with pytest.raises(ValueError, match="at least one level"):
        H.QuantileHead(())
    with pytest.raises(TypeError, match="quantiles must be a tuple"):
        H.QuantileHead(0.5)


# --------------------------------------------------------------------------- quantile head


def test_quantile_head_equals_sklearn_mean_pinball_loss_averaged_over_levels():
    rng = np.random.default_rng(10)
    levels = (0.1, 0.5, 0.9)
    y = rng.gamma(2.0, size=50)
    q = np.quantile(y, levels)[None, :] + rng.normal(scale=0.3, size=(50, 3))
    expected = np.mean(
        [sk_metrics.mean_pinball_loss(y, q[:, k], alpha=tau) for k, tau in enumerate(levels)]
    )
    head = H.QuantileHead(levels)
    assert float(head.pinball(y, q)) == pytest.approx(expected, rel=1e-12)
    twin = np.mean([T.pinball_loss(y, q[:, k], quantile=tau) for k, tau in enumerate(levels)])
    assert float(head.pinball(y, q)) == pytest.approx(twin, rel=1e-12)
    assert float(head.loss()(y.astype(np.float32), q.astype(np.float32))) == pytest.approx(
        expected, rel=1e-5
    )


def test_quantile_head_levels_come_back_as_floats_in_a_tuple():
    head = H.QuantileHead([0.25, 0.75])
    assert head.quantiles == (0.25, 0.75)
    assert H.QuantileHead((0.25, 0.75)) == head


# --------------------------------------------------------------------------- Keras


@pytest.mark.parametrize(
    "head",
    [
        H.StudentTHead(),
        H.StudentTHead(df=3.0),
        H.NegativeBinomialHead(),
        H.GammaHead(),
        H.LogNormalHead(),
    ],
    ids=lambda h: repr(h),
)
def test_keras_loss_serialises_with_its_head(head):
    loss = head.loss()
    clone = keras.losses.deserialize(keras.losses.serialize(loss))
    assert isinstance(clone, H.NLLLoss)
    assert clone.head == head
    assert loss.name == f"{head.kind}_nll"


def test_pinball_loss_serialises():
    loss = H.QuantileHead((0.2, 0.8)).loss()
    clone = keras.losses.deserialize(keras.losses.serialize(loss))
    assert isinstance(clone, H.PinballLoss)
    assert clone.head == H.QuantileHead((0.2, 0.8))


def _data(kind: str, n: int = 128):
    """Seeded data each head fits: x in [-1, 1], a target of the head's family."""
    rng = np.random.default_rng(11)
    x = rng.uniform(-1.0, 1.0, size=(n, 1))
    mean = np.exp(1.0 + x[:, 0])
    if kind == "counts":
        y = rng.negative_binomial(2.0, 2.0 / (2.0 + mean))
    elif kind == "positive":
        y = rng.gamma(3.0, mean / 3.0)
    else:
        y = 2.0 * x[:, 0] + rng.standard_t(2.0, size=n)
    return x.astype(np.float32), y.astype(np.float32)


@pytest.mark.parametrize(
    "head, kind",
    [
        (H.StudentTHead(), "real"),
        (H.NegativeBinomialHead(), "counts"),
        (H.GammaHead(), "positive"),
        (H.LogNormalHead(), "positive"),
        (H.QuantileHead((0.1, 0.5, 0.9)), "real"),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, str) else None,
)
def test_head_trains_a_keras_model_and_its_loss_decreases(head, kind):
    keras.utils.set_random_seed(0)
    x, y = _data(kind)
    model = keras.Sequential([keras.Input((1,)), head.dense()])
    # jit_compile=False: XLA-compiling a two-step epoch costs more than it saves
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=head.loss(), jit_compile=False)
    history = model.fit(x, y, epochs=4, batch_size=64, verbose=0)
    losses = history.history["loss"]
    assert all(np.isfinite(losses))
    assert losses[-1] < losses[0]


# --------------------------------------------------------------------------- known answers
# Linear models on seeded data whose truth the model family contains; one full-batch epoch of
# many steps (Keras's per-epoch overhead dominates such tiny models).


def _fit_full_batch(head, x, y, steps):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), head.dense()])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=head.loss(), jit_compile=False)
    data = tf.data.Dataset.from_tensors((x, y)).repeat()
    model.fit(data, epochs=1, steps_per_epoch=steps, shuffle=False, verbose=0)
    return model


def test_quantile_head_recovers_linear_quantiles_and_their_coverage():
    # y = x + (0.2 + x) e, e ~ N(0, 1): the tau-quantile is x + (0.2 + x) z_tau, linear in x.
    rng = np.random.default_rng(13)
    x = rng.uniform(0.0, 1.0, (600, 1)).astype(np.float32)
    y = (x[:, 0] + (0.2 + x[:, 0]) * rng.normal(size=600)).astype(np.float32)
    levels = (0.1, 0.5, 0.9)
    model = _fit_full_batch(H.QuantileHead(levels), x, y, steps=400)
    x_new = rng.uniform(0.0, 1.0, (4000, 1)).astype(np.float32)
    y_new = x_new[:, 0] + (0.2 + x_new[:, 0]) * rng.normal(size=4000)
    q = model(x_new).numpy()
    below = [(y_new < q[:, k]).mean() for k in range(3)]
    np.testing.assert_allclose(below, levels, atol=0.035)  # held-out fraction below each
    assert abs(((y_new > q[:, 0]) & (y_new < q[:, 2])).mean() - 0.8) < 0.05
    w, b = model.layers[0].get_weights()
    z = stats.norm.ppf(levels)  # the true slopes 1 + z_tau and intercepts 0.2 z_tau
    np.testing.assert_allclose(w[0], 1.0 + z, atol=0.15)
    np.testing.assert_allclose(b, 0.2 * z, atol=0.08)


def test_negative_binomial_head_recovers_the_log_mean_and_the_total_count():
    # counts ~ NB(mean e^{1 + x}, r = 2): the head's first output is the log-mean.
    rng = np.random.default_rng(14)
    x = rng.uniform(0.0, 1.0, (600, 1)).astype(np.float32)
    mean = np.exp(1.0 + x[:, 0])
    counts = rng.negative_binomial(2.0, 2.0 / (2.0 + mean)).astype(np.float32)
    head = H.NegativeBinomialHead()
    model = _fit_full_batch(head, x, counts, steps=400)
    w, b = model.layers[0].get_weights()
    np.testing.assert_allclose([w[0, 0], b[0]], [1.0, 1.0], atol=0.2)
    total_count = head(model(x)).total_count.numpy()
    assert 1.4 < total_count.mean() < 2.8  # r = 2, estimated from 600 counts
