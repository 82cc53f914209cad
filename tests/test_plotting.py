"""Tests of mlecourse.plotting (Agg backend: no display, no files)."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from mlecourse import likelihood as lik
from mlecourse import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_likelihood_curve_draws_the_data_and_marks_the_maximum():
    theta = np.linspace(0, 1, 101)
    values = lik.bernoulli_likelihood(theta, [0, 0, 0, 1, 0])
    ax = plotting.plot_likelihood_curve(theta, values, title="coin")
    assert isinstance(ax, Axes)
    assert ax.get_xlabel() == r"parameter $\theta$"
    assert ax.get_ylabel() == r"likelihood $L(\theta)$"
    assert ax.get_title() == "coin"
    curve, marker = ax.get_lines()[0], ax.get_lines()[-1]
    np.testing.assert_array_equal(curve.get_xdata(), theta)
    np.testing.assert_array_equal(curve.get_ydata(), values)
    np.testing.assert_allclose(marker.get_xdata(), [0.2])
    np.testing.assert_allclose(marker.get_ydata(), [0.08192])
    assert marker.get_label() == r"max at $\theta$ = 0.200"
    assert ax.get_legend() is not None


def test_likelihood_curve_on_given_axes_without_marker():
    _, given = plt.subplots()
    theta = np.linspace(0.1, 0.9, 9)
    ax = plotting.plot_likelihood_curve(
        theta, np.log(theta), ax=given, mark_max=False, ylabel="log-likelihood"
    )
    assert ax is given
    assert len(ax.get_lines()) == 1
    assert ax.get_ylabel() == "log-likelihood"
    assert ax.get_legend() is None


def test_likelihood_curve_ignores_minus_inf_when_marking():
    theta = np.array([0.0, 0.5, 1.0])
    ax = plotting.plot_likelihood_curve(theta, np.array([-np.inf, -1.0, -np.inf]))
    np.testing.assert_allclose(ax.get_lines()[-1].get_xdata(), [0.5])


def test_likelihood_surface_shape_orientation_and_labels():
    mu = np.linspace(-1, 1, 41)
    sigma = np.linspace(0.3, 2.0, 35)
    values = lik.gaussian_likelihood(mu[:, None], sigma[None, :], [-1.0, 0.0, 1.0])
    ax = plotting.plot_likelihood_surface(mu, sigma, values)
    assert isinstance(ax, Axes)
    assert ax.get_xlabel() == r"mean $\mu$"
    assert ax.get_ylabel() == r"standard deviation $\sigma$"
    # axis limits follow the grids: mu horizontal, sigma vertical
    assert ax.get_xlim() == pytest.approx((-1, 1))
    assert ax.get_ylim() == pytest.approx((0.3, 2.0))
    (marker,) = ax.get_lines()
    i, j = np.unravel_index(np.argmax(values), values.shape)
    assert marker.get_xdata()[0] == mu[i]
    assert marker.get_ydata()[0] == sigma[j]
    colorbar_axes = ax.figure.axes[-1]
    assert colorbar_axes is not ax
    assert colorbar_axes.get_ylabel() == r"likelihood $L(\mu, \sigma)$"
    assert len(ax.collections) >= 1  # the filled contours


def test_likelihood_surface_rejects_transposed_values():
    mu, sigma = np.linspace(-1, 1, 4), np.linspace(0.5, 2, 3)
    with pytest.raises(ValueError, match=r"values must have shape .* \(4, 3\); got \(3, 4\)"):
        plotting.plot_likelihood_surface(mu, sigma, np.ones((3, 4)))


def test_loss_vs_prediction_single_and_several():
    p = np.linspace(0.01, 0.99, 50)
    ax = plotting.plot_loss_vs_prediction(p, -np.log(p), ylim=(0, 5))
    assert ax.get_xlabel() == r"prediction $\hat y$"
    assert ax.get_ylabel() == "loss (nats)"
    assert ax.get_ylim() == (0, 5)
    assert ax.get_legend() is None
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), -np.log(p))

    ax2 = plotting.plot_loss_vs_prediction(
        p, {"y = 1": -np.log(p), "y = 0": -np.log1p(-p)}, title="BCE"
    )
    assert [line.get_label() for line in ax2.get_lines()] == ["y = 1", "y = 0"]
    assert ax2.get_legend() is not None
    assert ax2.get_title() == "BCE"


def test_loss_vs_prediction_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        plotting.plot_loss_vs_prediction(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="prediction must be one-dimensional"):
        plotting.plot_loss_vs_prediction(np.zeros((3, 1)), np.zeros(3))


def test_plot_pmf_stems():
    ax = plotting.plot_pmf([0, 1, 2], [0.2, 0.5, 0.3], label="Categorical")
    assert ax.get_xlabel() == "value $y$"
    assert ax.get_ylabel() == r"probability $p(y)$"
    assert ax.get_legend() is not None
    assert ax.get_ylim()[1] <= 1.0
    with pytest.raises(ValueError, match=r"probs must be probabilities"):
        plotting.plot_pmf([0, 1], [1.5, -0.5])


def test_import_mlecourse_does_not_import_matplotlib():
    code = (
        "import sys, mlecourse, mlecourse.likelihood; "
        "print('matplotlib' in sys.modules, 'tensorflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_importing_plotting_defers_pyplot():
    code = "import sys, mlecourse.plotting; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
