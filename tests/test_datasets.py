"""Tests of mlecourse.datasets: determinism, shapes and dtypes, recovery of the truth, bad input."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlecourse import datasets

# One call per factory, with a seed left open.
FACTORIES: dict[str, Callable[[int], Any]] = {
    "coin_flips": lambda seed: datasets.coin_flips(50, 0.3, seed),
    "logistic_regression": lambda seed: datasets.logistic_regression(50, [1.0, -2.0], 0.5, seed),
    "gaussian_blobs": lambda seed: datasets.gaussian_blobs(20, [[0.0, 0.0], [3.0, 1.0]], 0.7, seed),
    "linear_regression": lambda seed: datasets.linear_regression(50, 2.0, -1.0, 0.5, seed),
    "heteroscedastic_regression": lambda seed: datasets.heteroscedastic_regression(50, seed),
    "one_to_many": lambda seed: datasets.one_to_many(50, seed),
    "poisson_counts": lambda seed: datasets.poisson_counts(50, [0.5, -0.3], 1.0, seed),
}


def _arrays(data: Any) -> dict[str, np.ndarray]:
    return {
        f.name: getattr(data, f.name)
        for f in dataclasses.fields(data)
        if isinstance(getattr(data, f.name), np.ndarray)
    }


# Arrays that are random draws (the others, e.g. true weights, do not depend on the seed).
RANDOM_FIELDS = {
    "coin_flips": ["y"],
    "logistic_regression": ["X", "y"],
    "gaussian_blobs": ["X", "y"],
    "linear_regression": ["x", "y"],
    "heteroscedastic_regression": ["x", "y"],
    "one_to_many": ["x", "y", "branch"],
    "poisson_counts": ["X", "y"],
}


@pytest.mark.parametrize("name", sorted(FACTORIES))
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_same_seed_gives_identical_arrays(name: str, seed: int) -> None:
    a, b = _arrays(FACTORIES[name](seed)), _arrays(FACTORIES[name](seed))
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
        assert a[key].dtype == b[key].dtype


@pytest.mark.parametrize("name", sorted(FACTORIES))
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 2))
def test_different_seed_gives_different_draws(name: str, seed: int) -> None:
    a, b = FACTORIES[name](seed), FACTORIES[name](seed + 1)
    # Continuous draws differ everywhere; the 0/1 vector of coin_flips coincides only with
    # probability <= 0.7**50 per pair. Require every random field to differ.
    for field in RANDOM_FIELDS[name]:
        assert not np.array_equal(getattr(a, field), getattr(b, field)), field


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_dataclasses_are_frozen(name: str) -> None:
    data = FACTORIES[name](0)
    field = dataclasses.fields(data)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(data, field, None)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_calls_do_not_share_arrays(name: str) -> None:
    a, b = FACTORIES[name](0), FACTORIES[name](0)
    for key, arr in _arrays(a).items():
        assert not np.shares_memory(arr, getattr(b, key)), key


# Integer class/branch labels are int64; every other array is float64.
INT64_FIELDS = {("gaussian_blobs", "y"), ("one_to_many", "branch")}


def test_float64_and_int64_dtypes() -> None:
    for name, make in FACTORIES.items():
        for key, arr in _arrays(make(0)).items():
            expected = np.int64 if (name, key) in INT64_FIELDS else np.float64
            assert arr.dtype == expected, (name, key, arr.dtype)


def test_coin_flips() -> None:
    data = datasets.coin_flips(20_000, theta=0.2, seed=0)
    assert data.y.shape == (20_000,)
    assert set(np.unique(data.y).tolist()) == {0.0, 1.0}
    assert data.theta == 0.2
    # the sample mean is within 4 standard errors sqrt(θ(1−θ)/n) = 0.0028 of θ
    assert abs(data.y.mean() - 0.2) < 4 * np.sqrt(0.2 * 0.8 / 20_000)
    assert datasets.coin_flips(10, theta=0.0).y.sum() == 0
    assert datasets.coin_flips(10, theta=1.0).y.sum() == 10


def test_logistic_regression_truth_is_consistent_and_recoverable() -> None:
    w, b = np.array([2.0, -1.0]), 0.5
    data = datasets.logistic_regression(20_000, w, b, seed=1)
    assert data.X.shape == (20_000, 2) and data.y.shape == (20_000,)
    np.testing.assert_array_equal(data.weights, w)
    assert data.bias == b
    np.testing.assert_allclose(data.logits, data.X @ w + b)
    np.testing.assert_allclose(data.probs, 1.0 / (1.0 + np.exp(-data.logits)))
    # Newton's method on the logistic NLL (the MLE) recovers the weights
    A = np.column_stack([data.X, np.ones(len(data.y))])
    theta = np.zeros(3)
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-A @ theta))
        theta -= np.linalg.solve(A.T @ (A * (p * (1 - p))[:, None]), A.T @ (p - data.y))
    np.testing.assert_allclose(theta, [2.0, -1.0, 0.5], atol=0.1)


def test_logistic_regression_extreme_logits_stay_finite() -> None:
    data = datasets.logistic_regression(100, [1e4], -1e4, seed=0)
    assert np.all(np.isfinite(data.probs))
    assert np.all((data.probs >= 0) & (data.probs <= 1))


def test_gaussian_blobs() -> None:
    centers = np.array([[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5]])
    data = datasets.gaussian_blobs(4000, centers, scale=[0.5, 1.0, 1.5], seed=2)
    assert data.X.shape == (12_000, 2) and data.num_classes == 3
    assert np.bincount(data.y).tolist() == [4000, 4000, 4000]
    np.testing.assert_array_equal(data.centers, centers)
    np.testing.assert_array_equal(data.scale, [0.5, 1.0, 1.5])
    for k in range(3):
        members = data.X[data.y == k]
        np.testing.assert_allclose(members.mean(axis=0), centers[k], atol=0.1)
        np.testing.assert_allclose(members.std(axis=0), data.scale[k], rtol=0.05)
    # rows are shuffled, not grouped by class
    assert len(np.unique(data.y[:30])) > 1


def test_gaussian_blobs_one_dimensional_centers() -> None:
    data = datasets.gaussian_blobs(5, [-1.0, 1.0], seed=0)
    assert data.X.shape == (10, 1) and data.centers.shape == (2, 1)


def test_linear_regression_least_squares_recovers_line() -> None:
    data = datasets.linear_regression(20_000, slope=2.0, intercept=-1.0, noise_std=0.5, seed=3)
    assert data.x.min() >= -3 and data.x.max() <= 3
    np.testing.assert_allclose(data.mean, 2.0 * data.x - 1.0)
    slope, intercept = np.polyfit(data.x, data.y, 1)
    np.testing.assert_allclose([slope, intercept], [2.0, -1.0], atol=0.02)
    rms = np.sqrt(np.mean((data.y - slope * data.x - intercept) ** 2))
    np.testing.assert_allclose(rms, 0.5, rtol=0.02)


def test_heteroscedastic_noise_std_matches_binned_residuals() -> None:
    data = datasets.heteroscedastic_regression(100_000, seed=4)
    np.testing.assert_allclose(data.noise_std([0.0, 1.0, -3.0]), [0.05, 0.1, 0.5])
    np.testing.assert_allclose(data.mean_function([0.0, np.pi / 2]), [0.0, 1.0], atol=1e-15)
    residual = data.y - data.mean_function(data.x)
    for low in np.arange(-3.0, 3.0, 0.5):
        in_bin = (data.x >= low) & (data.x < low + 0.5)
        # RMS residual in the bin vs the RMS of σ(x) over the same points
        expected = np.sqrt(np.mean(data.noise_std(data.x[in_bin]) ** 2))
        np.testing.assert_allclose(np.sqrt(np.mean(residual[in_bin] ** 2)), expected, rtol=0.05)


def test_one_to_many_branches() -> None:
    data = datasets.one_to_many(20_000, seed=5, noise_std=0.1)
    assert data.x.min() >= 0 and data.x.max() <= 4
    assert set(np.unique(data.branch).tolist()) == {0, 1}
    np.testing.assert_array_equal(data.branch_probs, [0.5, 0.5])
    assert abs(data.branch.mean() - 0.5) < 0.02
    means = data.branch_means(data.x)
    assert means.shape == (20_000, 2)
    own = means[np.arange(20_000), data.branch]
    np.testing.assert_allclose(np.std(data.y - own), 0.1, rtol=0.03)
    # for one x, both signs occur: the data is one-to-many
    far = data.x > 1.0
    assert (data.y[far] > 0).any() and (data.y[far] < 0).any()


def test_one_to_many_noise_free_lies_on_branches() -> None:
    data = datasets.one_to_many(100, seed=0, noise_std=0.0)
    np.testing.assert_allclose(data.y**2, data.x)


def test_poisson_counts() -> None:
    data = datasets.poisson_counts(20_000, [0.5, -0.3], 1.0, seed=6)
    assert np.all(data.y >= 0) and np.all(data.y == np.round(data.y))
    np.testing.assert_allclose(data.log_rate, data.X @ [0.5, -0.3] + 1.0)
    np.testing.assert_allclose(data.rate, np.exp(data.log_rate))
    # E[y] = E[rate]; Var(y - rate) = E[rate]
    np.testing.assert_allclose(data.y.mean(), data.rate.mean(), rtol=0.03)
    np.testing.assert_allclose(np.var(data.y - data.rate), data.rate.mean(), rtol=0.05)


@pytest.mark.parametrize(
    ("call", "exc", "words"),
    [
        (lambda: datasets.coin_flips(0), ValueError, ["n", ">= 1", "0"]),
        (lambda: datasets.coin_flips(2.5), TypeError, ["n", "integer", "2.5"]),
        (lambda: datasets.coin_flips(True), TypeError, ["n", "integer"]),
        (lambda: datasets.coin_flips(5, theta=1.5), ValueError, ["theta", "<= 1", "1.5"]),
        (lambda: datasets.coin_flips(5, theta=-0.1), ValueError, ["theta", ">= 0", "-0.1"]),
        (lambda: datasets.coin_flips(5, seed=-1), ValueError, ["seed", "non-negative", "-1"]),
        (lambda: datasets.coin_flips(5, seed=None), TypeError, ["seed", "None"]),
        (lambda: datasets.logistic_regression(5, [], 0.0), ValueError, ["weights", "empty"]),
        (lambda: datasets.logistic_regression(5, [[1.0]], 0.0), ValueError, ["weights", "1-D"]),
        (lambda: datasets.logistic_regression(5, [np.nan], 0.0), ValueError, ["weights", "finite"]),
        (lambda: datasets.logistic_regression(5, ["a"], 0.0), TypeError, ["weights"]),
        (lambda: datasets.logistic_regression(5, [1.0], np.inf), ValueError, ["bias", "finite"]),
        (lambda: datasets.gaussian_blobs(5, [[0.0, 0.0]]), ValueError, ["centers", "(1, 2)"]),
        (lambda: datasets.gaussian_blobs(5, [0.0, 1.0], 0.0), ValueError, ["scale", "> 0"]),
        (
            lambda: datasets.gaussian_blobs(5, [0.0, 1.0], [1.0, 2.0, 3.0]),
            ValueError,
            ["scale", "(3,)"],
        ),
        (lambda: datasets.gaussian_blobs(0, [0.0, 1.0]), ValueError, ["n_per_class", "0"]),
        (lambda: datasets.linear_regression(5, noise_std=-1.0), ValueError, ["noise_std", "-1"]),
        (lambda: datasets.linear_regression(5, slope="2"), TypeError, ["slope", "'2'"]),
        (lambda: datasets.heteroscedastic_regression(-3), ValueError, ["n", "-3"]),
        (lambda: datasets.one_to_many(5, noise_std=-0.1), ValueError, ["noise_std", "-0.1"]),
        (
            lambda: datasets.poisson_counts(5, [50.0], 10.0),
            ValueError,
            ["weights", "rates", "1e+08"],
        ),
    ],
)
def test_bad_input_names_the_argument(call: Callable[[], Any], exc: type, words: list[str]) -> None:
    with pytest.raises(exc) as info:
        call()
    for word in words:
        assert word in str(info.value), (word, str(info.value))
