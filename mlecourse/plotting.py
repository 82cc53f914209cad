r"""The figures of the chapters: pmfs, likelihood curves and surfaces, losses.

Conventions (decided here, once):

* Every function draws on ``ax`` if given, otherwise on a new figure, and **returns the
  matplotlib Axes** -- never calls ``plt.show()``, never saves a file. The caller decides
  the layout and the output.
* Every axis is labelled; defaults use the course's notation (``theta``, ``mu``,
  ``sigma``) and are overridable with ``xlabel=``/``ylabel=``/``title=``.
* The arrays come from :mod:`mlecourse.likelihood`: a curve is ``values`` with the shape of
  ``theta``; a surface is ``values`` of shape ``(len(mu), len(sigma))``, exactly what
  ``gaussian_likelihood(mu[:, None], sigma[None, :], y)`` returns.
* Matplotlib is imported when a function is first called, not when :mod:`mlecourse` is
  imported (``import mlecourse`` stays fast and free of plotting dependencies).

**The book's one figure style** (:func:`use_book_style`, called once at the top of every
chapter; :func:`book_figure` for a new figure):

* One width, :data:`FIGURE_WIDTH` = 6.4 in, drawn at 100 dpi and stored at twice that
  resolution (``retina``), so a figure shows at 640 CSS px, inside the 688 px text column of a
  1280 px page, with its text at the size it was set.
* Every text element at least 10 pt at that size (ticks, legends and labels included).
* The Okabe--Ito colour-blind-safe palette, cycled together with line styles, so two curves
  differ in dash pattern as well as colour (they stay apart under deuteranopia and in print).
* An opaque white figure background, so figures stay readable in the book's dark mode.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from mlecourse import _checks as checks

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    import matplotlib.typing
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "FIGURE_WIDTH",
    "LINESTYLES",
    "OKABE_ITO",
    "book_figure",
    "plot_likelihood_curve",
    "plot_likelihood_surface",
    "plot_loss_vs_prediction",
    "plot_pmf",
    "use_book_style",
]

#: The width of every figure in the book, in inches (640 CSS px at 100 dpi).
FIGURE_WIDTH = 6.4

#: Okabe & Ito's colour-blind-safe palette, in the order the book cycles it (yellow last:
#: it is the weakest on white).
OKABE_ITO = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)

#: Line styles cycled with the colours, so that curve k has colour k and dash pattern k.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)), "-")

_MIN_POINTS = 10  # the smallest text size anywhere in a figure, at display size


def book_style() -> dict[matplotlib.typing.RcKeyType, object]:
    """The matplotlib rcParams of the book's figure style (see the module docstring)."""
    from cycler import cycler

    return {
        "figure.figsize": (FIGURE_WIDTH, 0.6 * FIGURE_WIDTH),
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "figure.constrained_layout.use": True,
        "font.size": _MIN_POINTS,
        "axes.titlesize": _MIN_POINTS + 1,
        "axes.labelsize": _MIN_POINTS,
        "xtick.labelsize": _MIN_POINTS,
        "ytick.labelsize": _MIN_POINTS,
        "legend.fontsize": _MIN_POINTS,
        "legend.title_fontsize": _MIN_POINTS,
        "legend.framealpha": 0.9,
        "axes.prop_cycle": cycler(color=list(OKABE_ITO)) + cycler(linestyle=list(LINESTYLES)),
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "lines.linewidth": 1.8,
        "image.cmap": "viridis",
    }


def use_book_style() -> None:
    """Apply the book's figure style to matplotlib, and store inline figures at 2x (retina).

    Called once in the first code cell of every chapter. Safe to call more than once.
    Outside IPython it only sets the rcParams.

    Examples:
        >>> use_book_style()
        >>> import matplotlib as mpl
        >>> mpl.rcParams["legend.fontsize"] >= 10
        True
    """
    import matplotlib as mpl

    mpl.rcParams.update(book_style())
    try:  # inside a notebook: store PNGs at twice the resolution, shown at 1x size
        from IPython import get_ipython

        if get_ipython() is not None:
            from matplotlib_inline.backend_inline import set_matplotlib_formats

            set_matplotlib_formats("retina")
    except ImportError:  # pragma: no cover - plain Python without IPython
        pass


def book_figure(
    nrows: int = 1, ncols: int = 1, *, height: float | None = None, **kwargs: Any
) -> tuple[Figure, Axes | np.ndarray]:
    """A new figure at the book's one width, with ``nrows`` x ``ncols`` Axes.

    Args:
        nrows: rows of panels.
        ncols: columns of panels.
        height: the figure height in inches; by default 0.6 of the width for one row and
            0.45 of the width per row otherwise.
        **kwargs: passed on to :func:`matplotlib.pyplot.subplots`.

    Returns:
        ``(figure, axes)`` as :func:`matplotlib.pyplot.subplots` returns them.

    Examples:
        >>> fig, (ax_left, ax_right) = book_figure(1, 2)
        >>> float(fig.get_figwidth())
        6.4
    """
    import matplotlib.pyplot as plt

    if height is None:
        height = 0.6 * FIGURE_WIDTH if nrows == 1 else 0.45 * FIGURE_WIDTH * nrows
    fig, axes = plt.subplots(nrows, ncols, figsize=(FIGURE_WIDTH, height), **kwargs)
    return fig, axes


def _axes(ax: Axes | None) -> Axes:
    """``ax`` itself, or the Axes of a new figure."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # deferred: see the module docstring

    _, new_ax = plt.subplots()
    return new_ax


def _vector(x: npt.ArrayLike, name: str) -> np.ndarray:
    arr = checks.as_float(x, name, np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
    checks.check_nonempty(arr, name)
    return arr


def plot_likelihood_curve(
    theta: npt.ArrayLike,
    values: npt.ArrayLike,
    *,
    ax: Axes | None = None,
    mark_max: bool = True,
    label: str | None = None,
    xlabel: str = r"parameter $\theta$",
    ylabel: str = r"likelihood $L(\theta)$",
    title: str | None = None,
) -> Axes:
    r"""Plot a likelihood (or log-likelihood) curve over a grid of one parameter.

    Used in Chapter 1 for :math:`L(\theta) = \theta(1 - \theta)^4` and in Chapter 2 for the
    log-likelihood.

    Args:
        theta: the parameter grid, shape ``(G,)``.
        values: the likelihood at each grid point, shape ``(G,)``.
        ax: Axes to draw on; a new figure if None.
        mark_max: mark the grid maximiser with a dot and a dashed vertical line, labelled
            with its value (e.g. ``max at θ = 0.200``).
        label: legend label for the curve.
        xlabel: horizontal axis label.
        ylabel: vertical axis label.
        title: axes title (none if None).

    Returns:
        The Axes drawn on.

    Raises:
        ValueError: ``theta`` not 1-D, shapes that differ, or no finite value to mark.

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> theta = np.linspace(0, 1, 101)
        >>> ax = plot_likelihood_curve(theta, theta * (1 - theta) ** 4)
        >>> ax.get_xlabel()
        'parameter $\\theta$'
    """
    theta_arr = _vector(theta, "theta")
    values_arr = checks.as_float(values, "values", np.float64)
    checks.check_same_shape(theta_arr, values_arr, "theta", "values")
    ax = _axes(ax)
    ax.plot(theta_arr, values_arr, label=label)
    if mark_max:
        finite = np.isfinite(values_arr)
        if not finite.any():
            raise ValueError("values has no finite entry, so there is no maximum to mark")
        i = int(np.argmax(np.where(finite, values_arr, -np.inf)))
        ax.axvline(theta_arr[i], color="0.5", linestyle="--", linewidth=1)
        ax.plot(
            [theta_arr[i]],
            [values_arr[i]],
            "o",
            color="C3",
            label=f"max at {_symbol(xlabel)} = {theta_arr[i]:.3f}",
        )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    if label is not None or mark_max:
        ax.legend()
    return ax


def _symbol(axis_label: str) -> str:
    r"""The math part of an axis label (``'parameter $\theta$'`` -> ``'$\theta$'``)."""
    start, end = axis_label.find("$"), axis_label.rfind("$")
    return axis_label[start : end + 1] if 0 <= start < end else axis_label


def plot_likelihood_surface(
    mu: npt.ArrayLike,
    sigma: npt.ArrayLike,
    values: npt.ArrayLike,
    *,
    ax: Axes | None = None,
    mark_max: bool = True,
    levels: int = 20,
    cmap: str = "viridis",
    colorbar: bool = True,
    colorbar_label: str = r"likelihood $L(\mu, \sigma)$",
    xlabel: str = r"mean $\mu$",
    ylabel: str = r"standard deviation $\sigma$",
    title: str | None = None,
) -> Axes:
    r"""Plot a likelihood surface over a (mu, sigma) grid as filled contours.

    Used in Chapter 1 for the Gaussian likelihood of the data -1, 0, 1.

    Args:
        mu: grid of the first parameter (horizontal axis), shape ``(M,)``.
        sigma: grid of the second parameter (vertical axis), shape ``(S,)``.
        values: the surface, shape ``(M, S)`` -- ``values[i, j]`` belongs to
            ``(mu[i], sigma[j])``, as ``gaussian_likelihood(mu[:, None], sigma[None, :], y)``
            returns it.
        ax: Axes to draw on; a new figure if None.
        mark_max: mark the grid maximiser with a cross, labelled with its coordinates.
        levels: number of contour levels.
        cmap: matplotlib colormap name.
        colorbar: add a colorbar labelled ``colorbar_label``.
        colorbar_label: colorbar label.
        xlabel: horizontal axis label.
        ylabel: vertical axis label.
        title: axes title (none if None).

    Returns:
        The Axes drawn on (the colorbar, if any, is ``ax.figure.axes[-1]``).

    Raises:
        ValueError: grids not 1-D, or ``values`` not of shape ``(M, S)``.

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> mu, sigma = np.linspace(-1, 1, 21), np.linspace(0.5, 2, 16)
        >>> surface = np.exp(-mu[:, None] ** 2) / sigma[None, :]
        >>> plot_likelihood_surface(mu, sigma, surface).get_ylabel()
        'standard deviation $\\sigma$'
    """
    mu_arr = _vector(mu, "mu")
    sigma_arr = _vector(sigma, "sigma")
    values_arr = checks.as_float(values, "values", np.float64)
    expected = (mu_arr.size, sigma_arr.size)
    if values_arr.shape != expected:
        raise ValueError(
            f"values must have shape (len(mu), len(sigma)) = {expected}; got {values_arr.shape} "
            "(compute it with mu[:, None] and sigma[None, :])"
        )
    ax = _axes(ax)
    # contourf wants Z[row, col] = Z[y, x]: sigma runs down the rows, so transpose.
    filled = ax.contourf(mu_arr, sigma_arr, values_arr.T, levels=levels, cmap=cmap)
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, label=colorbar_label)
    if mark_max:
        masked = np.where(np.isfinite(values_arr), values_arr, -np.inf)
        i, j = np.unravel_index(int(np.argmax(masked)), masked.shape)
        ax.plot(
            [mu_arr[i]],
            [sigma_arr[j]],
            "x",
            color="white",
            markersize=10,
            markeredgewidth=2,
            label=(
                f"max at {_symbol(xlabel)} = {mu_arr[i]:.3f}, "
                f"{_symbol(ylabel)} = {sigma_arr[j]:.3f}"
            ),
        )
        ax.legend(loc="upper right")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    return ax


def plot_loss_vs_prediction(
    prediction: npt.ArrayLike,
    losses: npt.ArrayLike | Mapping[str, npt.ArrayLike],
    *,
    ax: Axes | None = None,
    xlabel: str = r"prediction $\hat y$",
    ylabel: str = "loss (nats)",
    title: str | None = None,
    ylim: tuple[float, float] | None = None,
) -> Axes:
    r"""Plot one or several losses as functions of the prediction.

    Used from Chapter 3 on, e.g. the binary cross-entropy :math:`-\log\hat y` and
    :math:`-\log(1 - \hat y)` against :math:`\hat y`, or MSE against MAE.

    Args:
        prediction: the grid of predictions (horizontal axis), shape ``(G,)``.
        losses: one array of shape ``(G,)``, or a mapping ``{legend label: array}`` to draw
            several curves on the same axes.
        ax: Axes to draw on; a new figure if None.
        xlabel: horizontal axis label.
        ylabel: vertical axis label (the default unit is nats: natural-log losses).
        title: axes title (none if None).
        ylim: optional y-limits (losses that go to infinity at the edges need them).

    Returns:
        The Axes drawn on.

    Raises:
        ValueError: ``prediction`` not 1-D, or a loss of another shape.

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> p = np.linspace(0.01, 0.99, 99)
        >>> ax = plot_loss_vs_prediction(p, {"y = 1": -np.log(p), "y = 0": -np.log1p(-p)})
        >>> [line.get_label() for line in ax.get_lines()]
        ['y = 1', 'y = 0']
    """
    x = _vector(prediction, "prediction")
    named = dict(losses) if isinstance(losses, Mapping) else {None: losses}
    ax = _axes(ax)
    for name, loss in named.items():
        loss_arr = checks.as_float(
            loss, "losses" if name is None else f"losses[{name!r}]", np.float64
        )
        checks.check_same_shape(x, loss_arr, "prediction", "losses" if name is None else repr(name))
        ax.plot(x, loss_arr, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if title is not None:
        ax.set_title(title)
    if isinstance(losses, Mapping):
        ax.legend()
    return ax


def plot_pmf(
    support: npt.ArrayLike,
    probs: npt.ArrayLike,
    *,
    ax: Axes | None = None,
    label: str | None = None,
    xlabel: str = "value $y$",
    ylabel: str = r"probability $p(y)$",
    title: str | None = None,
) -> Axes:
    r"""Plot a probability mass function as a stem plot (one stem per value of the support).

    Used in Chapter 1 next to a density drawn with ``ax.plot``: a pmf's stems are
    probabilities (each <= 1, summing to 1); a density's curve is not.

    Args:
        support: the values, shape ``(K,)``.
        probs: their probabilities, shape ``(K,)``.
        ax: Axes to draw on; a new figure if None.
        label: legend label.
        xlabel: horizontal axis label.
        ylabel: vertical axis label.
        title: axes title (none if None).

    Returns:
        The Axes drawn on.

    Raises:
        ValueError: shapes that differ, or probabilities outside [0, 1].

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> ax = plot_pmf([0, 1], [0.8, 0.2])
        >>> ax.get_ylabel()
        'probability $p(y)$'
    """
    support_arr = _vector(support, "support")
    probs_arr = checks.as_float(probs, "probs", np.float64)
    checks.check_same_shape(support_arr, probs_arr, "support", "probs")
    checks.check_in_range(probs_arr, "probs", 0, 1, what="probabilities")
    ax = _axes(ax)
    ax.stem(support_arr, probs_arr, label=label, basefmt=" ")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, max(1.05 * float(probs_arr.max()), 0.05))
    if title is not None:
        ax.set_title(title)
    if label is not None:
        ax.legend()
    return ax
