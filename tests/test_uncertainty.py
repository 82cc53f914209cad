"""Tests of ``mlecourse.uncertainty`` against independent references.

References: statsmodels 0.15 (``Logit(...).fit().bse``, ``GLM(..., Poisson()).fit().bse``),
scikit-learn's ``LogisticRegression`` (lbfgs: an unpenalised intercept and C = prior
variance), exact expectations over the Bernoulli and Poisson pmfs with SciPy, Monte Carlo
variance of the Gaussian score, and central finite differences of the NLL built from
``scipy.stats`` log-pmfs -- never the module's own formulas.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mlecourse import datasets
from mlecourse import uncertainty as u

sm = pytest.importorskip("statsmodels.api")
sklearn_lm = pytest.importorskip("sklearn.linear_model")


def _logit_data(n=200, seed=9):
    return datasets.logistic_regression(n, weights=(1.0, -0.5), bias=0.3, seed=seed)


def _poisson_data(n=200, seed=9):
    return datasets.poisson_counts(n, weights=(0.5, -0.3), bias=1.0, seed=seed)


# --- Fisher information -----------------------------------------------------------------


@pytest.mark.parametrize("p", [1e-6, 0.05, 0.3, 0.5, 0.99])
def test_bernoulli_fisher_is_expected_curvature(p):
    # -E[d2/dp2 log pmf] by summing over y in {0, 1}: -(-y/p^2 - (1-y)/(1-p)^2)
    expected = p / p**2 + (1 - p) / (1 - p) ** 2
    assert u.fisher_information("bernoulli", p=p) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("rate", [0.01, 1.0, 7.5, 300.0])
def test_poisson_fisher_is_variance_of_score(rate):
    # score d/drate log pmf = y/rate - 1; its variance under scipy's pmf, summed over y
    y = np.arange(0, int(rate + 40 * np.sqrt(rate) + 50))
    pmf = stats.poisson.pmf(y, rate)
    score = y / rate - 1.0
    assert u.fisher_information("poisson", rate=rate) == pytest.approx(
        np.sum(pmf * score**2), rel=1e-9
    )


def test_gaussian_fisher_is_covariance_of_score_by_monte_carlo():
    rng = np.random.default_rng(0)
    mu, sigma = 1.5, 2.0
    y = rng.normal(mu, sigma, size=400_000)
    score = np.stack([(y - mu) / sigma**2, -1 / sigma + (y - mu) ** 2 / sigma**3])
    mc = score @ score.T / y.size
    np.testing.assert_allclose(u.fisher_information("gaussian", mu=mu, sigma=sigma), mc, atol=0.01)


def test_fisher_broadcasts_and_keeps_float32():
    out = u.fisher_information("bernoulli", p=np.array([0.1, 0.5], np.float32))
    assert out.dtype == np.float32 and out.shape == (2,)
    gauss = u.fisher_information("gaussian", mu=0.0, sigma=np.array([1.0, 2.0, 4.0]))
    assert gauss.shape == (3, 2, 2)
    np.testing.assert_allclose(gauss[:, 1, 1], 2 / np.array([1.0, 4.0, 16.0]))


@pytest.mark.parametrize(
    ("distribution", "params", "match"),
    [
        ("binomial", {"p": 0.5}, "distribution must be one of"),
        ("bernoulli", {"theta": 0.5}, r"takes the parameters \('p',\)"),
        ("gaussian", {"mu": 0.0}, "takes the parameters"),
        ("bernoulli", {"p": 0.0}, r"open interval \(0, 1\)"),
        ("bernoulli", {"p": 1.0}, r"open interval \(0, 1\)"),
        ("poisson", {"rate": -1.0}, "rate must be > 0"),
        ("gaussian", {"mu": 0.0, "sigma": 0.0}, "sigma must be > 0"),
        ("poisson", {"rate": np.nan}, "rate must be finite"),
    ],
)
def test_fisher_bad_input(distribution, params, match):
    with pytest.raises(ValueError, match=match):
        u.fisher_information(distribution, **params)


def test_fisher_rejects_non_numeric():
    with pytest.raises(TypeError, match="p must contain real numbers"):
        u.fisher_information("bernoulli", p="half")


# --- fits and standard errors against statsmodels ----------------------------------------


def test_logistic_mle_and_wald_se_equal_statsmodels():
    data = _logit_data()
    reference = sm.Logit(data.y, sm.add_constant(data.X)).fit(disp=0)
    theta = u.fit_glm(data.X, data.y, family="bernoulli")
    se = u.wald_standard_errors(data.X, theta, family="bernoulli")
    np.testing.assert_allclose(theta, reference.params, rtol=1e-8)
    np.testing.assert_allclose(se, reference.bse, rtol=1e-8)


def test_poisson_mle_and_wald_se_equal_statsmodels():
    data = _poisson_data()
    reference = sm.GLM(data.y, sm.add_constant(data.X), family=sm.families.Poisson()).fit()
    theta = u.fit_glm(data.X, data.y, family="poisson")
    se = u.wald_standard_errors(data.X, theta, family="poisson")
    # statsmodels' IRLS stops at its own tolerance (1e-8 on the deviance)
    np.testing.assert_allclose(theta, reference.params, rtol=1e-7)
    np.testing.assert_allclose(se, reference.bse, rtol=1e-7)


def test_without_intercept_matches_statsmodels_without_constant():
    data = _poisson_data()
    reference = sm.GLM(data.y, data.X, family=sm.families.Poisson()).fit()
    theta = u.fit_glm(data.X, data.y, family="poisson", fit_intercept=False)
    assert theta.shape == (2,)
    np.testing.assert_allclose(theta, reference.params, rtol=1e-7)
    np.testing.assert_allclose(
        u.wald_standard_errors(data.X, theta, family="poisson", fit_intercept=False),
        reference.bse,
        rtol=1e-7,
    )


@pytest.mark.parametrize("family", ["bernoulli", "poisson"])
def test_observed_information_is_hessian_by_finite_differences(family):
    data = _logit_data(60) if family == "bernoulli" else _poisson_data(60)
    X1 = np.column_stack([np.ones(60), data.X])

    def nll(theta):
        z = X1 @ theta
        if family == "bernoulli":
            return -np.sum(stats.bernoulli.logpmf(data.y, 1 / (1 + np.exp(-z))))
        return -np.sum(stats.poisson.logpmf(data.y, np.exp(z)))

    theta, h = np.array([0.2, -0.4, 0.3]), 1e-4
    fd = np.empty((3, 3))
    for j in range(3):
        for k in range(3):
            e_j, e_k = np.eye(3)[j] * h, np.eye(3)[k] * h
            fd[j, k] = (
                nll(theta + e_j + e_k)
                - nll(theta + e_j - e_k)
                - nll(theta - e_j + e_k)
                + nll(theta - e_j - e_k)
            ) / (4 * h * h)
    np.testing.assert_allclose(u.observed_information(data.X, theta, family=family), fd, rtol=1e-5)


# --- the prior -------------------------------------------------------------------------


@pytest.mark.parametrize("c", [0.01, 0.3, 5.0])
def test_map_equals_sklearn_lbfgs_with_c_as_prior_variance(c):
    data = _logit_data(150, seed=3)
    clf = sklearn_lm.LogisticRegression(C=c, solver="lbfgs", tol=1e-12, max_iter=10_000)
    clf.fit(data.X, data.y)
    theta = u.fit_glm(data.X, data.y, family="bernoulli", prior_variance=c)
    # lbfgs stops on its projected-gradient tolerance: agreement to about 1e-6
    np.testing.assert_allclose(theta, np.r_[clf.intercept_, clf.coef_[0]], rtol=1e-5, atol=1e-7)


def test_map_exists_on_separable_data_and_mle_does_not():
    sep = datasets.logistic_regression(20, weights=(3.0, -1.5), bias=0.5, seed=36)
    with pytest.raises(ValueError, match="maximum-likelihood estimate does not exist"):
        u.fit_glm(sep.X, sep.y, family="bernoulli")
    theta = u.fit_glm(sep.X, sep.y, family="bernoulli", prior_variance=1.0)
    assert np.all(np.isfinite(theta)) and np.max(np.abs(theta)) < 10


def test_all_zero_counts_have_no_mle():
    with pytest.raises(ValueError, match="does not exist"):
        u.fit_glm(np.arange(5.0)[:, None], np.zeros(5), family="poisson", max_iter=30)


def test_collinear_columns_are_a_named_error():
    with pytest.raises(ValueError, match="Hessian of the NLL is singular"):
        u.fit_glm(np.ones((5, 1)), [0, 1, 0, 1, 1], family="bernoulli")


def test_prior_shrinks_weights_but_not_intercept():
    data = _logit_data(100, seed=5)
    free = u.fit_glm(data.X, data.y, family="bernoulli")
    tight = u.fit_glm(data.X, data.y, family="bernoulli", prior_variance=1e-6)
    assert np.max(np.abs(tight[1:])) < 1e-3 < np.max(np.abs(free[1:]))
    # with the weights pinned at 0 the intercept is the log-odds of the labels
    k = data.y.sum()
    assert tight[0] == pytest.approx(np.log(k / (100 - k)), abs=1e-3)


def test_map_standard_errors_include_the_prior_curvature():
    data = _logit_data(100, seed=5)
    theta = u.fit_glm(data.X, data.y, family="bernoulli", prior_variance=0.5)
    plain = u.observed_information(data.X, theta, family="bernoulli")
    post = u.observed_information(data.X, theta, family="bernoulli", prior_variance=0.5)
    np.testing.assert_allclose(post - plain, np.diag([0.0, 2.0, 2.0]), atol=1e-12)


def test_float32_in_float32_out():
    data = _logit_data()
    theta = u.fit_glm(data.X.astype(np.float32), data.y, family="bernoulli")
    assert theta.dtype == np.float32
    se = u.wald_standard_errors(data.X.astype(np.float32), theta, family="bernoulli")
    assert se.dtype == np.float32
    ref = u.fit_glm(data.X, data.y, family="bernoulli")
    np.testing.assert_allclose(theta, ref, rtol=1e-6)


def test_extreme_features_stay_finite():
    # large features: logits of order 1e3 at the start of the line search, no overflow
    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 1)) * 1e3
    y = (rng.random(80) < 0.5).astype(float)
    theta = u.fit_glm(X, y, family="bernoulli", prior_variance=1.0)
    assert np.all(np.isfinite(theta))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"X": np.ones(5), "y": np.zeros(5)}, ValueError, "X must be 2-D"),
        ({"X": np.ones((5, 1)), "y": np.zeros((5, 1))}, ValueError, r"y must have shape \(5,\)"),
        ({"X": np.ones((5, 1)), "y": np.full(5, 2.0)}, ValueError, "y must be labels in"),
        ({"X": np.ones((5, 1)), "y": np.full(5, 0.5)}, ValueError, "whole numbers"),
        ({"X": np.full((5, 1), np.nan), "y": np.zeros(5)}, ValueError, "X must be finite"),
        ({"X": np.ones((0, 1)), "y": np.zeros(0)}, ValueError, "X must not be empty"),
        ({"X": np.ones((5, 1)), "y": np.zeros(5), "family": "gamma"}, ValueError, "family"),
        (
            {"X": np.ones((5, 1)), "y": np.zeros(5), "prior_variance": 0.0},
            ValueError,
            "prior_variance must be > 0",
        ),
        (
            {"X": np.ones((5, 1)), "y": np.zeros(5), "prior_variance": "big"},
            TypeError,
            "prior_variance must be a real number",
        ),
        (
            {"X": np.ones((5, 1)), "y": np.zeros(5), "fit_intercept": 1},
            TypeError,
            "fit_intercept must be True or False",
        ),
        ({"X": [["a"]], "y": [0]}, TypeError, "X must contain real numbers"),
    ],
)
def test_fit_bad_input(kwargs, error, match):
    kwargs = {"family": "bernoulli", **kwargs}
    with pytest.raises(error, match=match):
        u.fit_glm(**kwargs)


def test_negative_counts_rejected():
    with pytest.raises(ValueError, match="y must be >= 0"):
        u.fit_glm(np.ones((3, 1)), [1.0, -1.0, 2.0], family="poisson")


def test_theta_shape_must_match_design():
    with pytest.raises(ValueError, match=r"theta must have shape \(3,\)"):
        u.wald_standard_errors(np.ones((4, 2)), [0.0, 0.0], family="bernoulli")


def test_a_group_of_zero_counts_is_named_as_a_missing_poisson_mle():
    # the referee's example (item 9.13): the group x = 1 has only zero counts, so its
    # log-rate -> -inf, although not every count is 0. With the design [1, x], the direction
    # v = (0, -1) gives design @ v = -x: <= 0 on every row, and 0 on the rows with counts > 0
    X, y = [[0], [0], [0], [1], [1], [1]], [2, 1, 3, 0, 0, 0]
    with pytest.raises(ValueError, match="does not exist: some direction v") as caught:
        u.fit_glm(X, y, family="poisson")
    message = str(caught.value)
    assert "design @ v <= 0 on every row and == 0 on every row with a count > 0" in message
    assert "a dummy column whose group has only zero counts" in message
    assert "separable" not in message  # the Bernoulli's condition, not this one
    # a prior makes the estimate exist, the dummy's weight large and negative
    theta = u.fit_glm(X, y, family="poisson", prior_variance=1.0)
    assert np.all(np.isfinite(theta)) and theta[1] < -1
    # one positive count in that group and the MLE exists: the log of each group's mean
    theta = u.fit_glm(X, [2, 1, 3, 0, 1, 0], family="poisson")
    np.testing.assert_allclose(theta, [np.log(2.0), np.log(1 / 3) - np.log(2.0)], rtol=1e-8)


def test_separable_classes_are_named_as_a_missing_bernoulli_mle():
    sep = datasets.logistic_regression(20, weights=(3.0, -1.5), bias=0.5, seed=36)
    with pytest.raises(ValueError, match="the classes are separable"):
        u.fit_glm(sep.X, sep.y, family="bernoulli")
