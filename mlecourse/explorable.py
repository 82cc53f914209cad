r"""Explorable figures: a book figure whose moving lines follow a slider, offline.

An explorable figure is a matplotlib figure in the book's style
(:func:`mlecourse.plotting.book_figure`) whose *moving lines* are redrawn by a small
hand-written script (about 2 KB, no dependency) from frames computed in Python when the
notebook executes. The control is a
native, labelled ``<input type="range">`` with an ``<output>`` readout: keyboard-operable and
announced by screen readers. Without JavaScript the page shows the initial frame; the PDF
gets a PNG of it.

Decided here, once:

* **The SVG** is matplotlib's own, with a fixed hash salt and no date, so two builds are
  byte-identical. Its text is drawn as glyph outlines (``svg.fonttype="path"``), as in the
  PNG figures: with ``"none"`` a browser sets the text in whatever font it has (a reader
  without DejaVu Sans gets other widths) and shows mathtext glyphs from matplotlib's own
  fonts (``\mathcal{L}`` comes from STIX) as empty boxes. The alt text carries the meaning
  (``role="img"`` hides an SVG's text from screen readers in any case). The root has a
  ``viewBox`` and no width or height, so the figure scales to the column (640 CSS px at most,
  as the book's other figures; 390 px on a phone). Every ``id`` inside it is prefixed with the
  figure's name, so two figures on one page never share an id, and matplotlib's global
  ``*{...}`` stylesheet is scoped to this SVG.
* **The frames** are SVG path data, one ``d`` per moving line per step, computed from the
  line's own transform as matplotlib draws it into the SVG (72 units per inch, y downwards),
  rounded to 0.1 unit (a fifth of a CSS pixel at the book's width), written as steps from
  point to point (:func:`path_d`), clamped to :data:`COORDINATE_LIMIT`, and broken (a new
  ``M``) at every non-finite value, as matplotlib breaks a line at NaN. Path simplification
  is off when the SVG is saved, so the initial frame's path has the vertices of the data,
  exactly what the frames hold.
* **Axes limits** must not depend on the step. A limit the caller fixed (``ax.set_ylim``)
  stays. A limit matplotlib is still autoscaling is frozen at construction *if every frame of
  every moving line lies inside it*; otherwise :class:`Explorable` raises and asks the caller
  to fix it (the limits autoscaled from the initial frame would cut the other frames).
* **The figure is rendered once, at construction, and closed** (the inline backend would
  otherwise show it a second time as a plain PNG): build it completely before.

The display bundle (``_repr_mimebundle_``): ``text/html`` (the SVG, the control, the frames
as JSON and the runtime script), ``image/png`` (the initial frame, at the book's 200 dpi, for
LaTeX and PDF) and ``text/plain`` (the name, the slider label, the steps and every readout: the
form the notebook tests compare; they replace the HTML payload, whose path coordinates may
differ in a last rounded digit from one CPU to another).

In the book, the Sphinx extension ``book/_ext/explorable.py`` serves the runtime once from
``_static`` and removes the inline copies from the pages; MyST-NB wraps the output in the
numbered figure with the cell's ``mystnb.figure`` caption and name.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # pragma: no cover - imported for annotations only
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

__all__ = ["COORDINATE_LIMIT", "NAME_PATTERN", "Explorable", "book_html", "path_d", "runtime_js"]

#: The pattern of a figure's name, ``fig-chNN-`` then lower-case words joined by hyphens (the
#: HTML id of its MyST-NB figure, and the key of its entry in the browser test's expectations).
NAME_PATTERN = re.compile(r"fig-ch\d{2}(?:-[a-z0-9]+)+")

#: Path coordinates are clamped to [-COORDINATE_LIMIT, COORDINATE_LIMIT] SVG units (the figure
#: is 460.8 units wide): a point far outside the axes stays far outside, and the visible part
#: of a segment towards it moves by less than the 0.1-unit rounding.
COORDINATE_LIMIT = 1e5

_SVG_DPI = 72  # matplotlib's SVG backend draws at 72 units per inch
_PNG_DPI = 200  # the book's savefig.dpi: figures stored at twice their 100-dpi display size
_DISPLAY_DPI = 100  # the book's figure.dpi: the PNG is shown at this size
_GID = "moving-{j}"
_RUNTIME = "mlecourse/_static/explorable.js"
#: Written after every explorable's HTML: ``tests/nbval_sanitize.cfg`` replaces everything from
#: the opening ``<div class="mlc-explorable"`` to this marker.
END_MARKER = "<!-- /mlc-explorable -->"
#: The inline runtime's script tag, which the book's Sphinx extension removes from the pages.
RUNTIME_TAG = '<script class="mlc-explorable-runtime">'
#: In a notebook output the SVG waits in this script element (see :func:`book_html`).
SVG_TAG = '<script type="image/svg+xml" class="mlc-explorable-svg">'
_STATIC_IMG = re.compile(r'<img class="mlc-explorable-static"[^>]*>\n')
_SVG_SCRIPT = re.compile(re.escape(SVG_TAG) + r"\n(<svg.*?</svg>\n)</script>\n", re.DOTALL)
_RUNTIME_SCRIPT = re.compile(re.escape(RUNTIME_TAG) + r".*?</script>\n", re.DOTALL)


@cache
def runtime_js() -> str:
    """The runtime script that wires every explorable figure of a page (package data)."""
    return (resources.files("mlecourse") / "_static" / "explorable.js").read_text(encoding="utf-8")


def book_html(output: str) -> str:
    """The HTML of a notebook output as a page of the built book carries it.

    In a notebook output (``Explorable.html``) the figure is an ``<img>`` of the SVG, and the
    SVG itself waits in a ``<script type="image/svg+xml">``: JupyterLab sanitises the HTML of
    an output it does not trust (a notebook opened with its stored outputs), keeping the
    image and dropping the scripts (an inline ``<svg>`` would leave its tick labels behind as
    loose text); once trusted (after Run All), the runtime puts the SVG in place of the image.
    A page of the book has the SVG inline (the static frame without JavaScript), no image,
    and no inline runtime (the book serves it once from ``_static``). Text that holds no
    explorable figure is returned unchanged.

    Args:
        output: ``text/html`` of a notebook output.

    Returns:
        The same HTML with, for every explorable figure, the image removed, the SVG unwrapped
        and the inline runtime removed.
    """
    if SVG_TAG not in output and RUNTIME_TAG not in output:
        return output
    output = _STATIC_IMG.sub("", output)
    output = _SVG_SCRIPT.sub(lambda m: m.group(1), output)
    return _RUNTIME_SCRIPT.sub("", output)


def _fail(argument: str, expected: str, received: object) -> ValueError:
    return ValueError(f"Explorable: {argument} must be {expected}; received {received}")


def _texts(argument: str, values: object, steps: int) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise _fail(argument, f"a list of {steps} strings, one per step", type(values).__name__)
    if len(values) != steps:
        raise _fail(argument, f"a list of {steps} strings (one per step)", f"{len(values)}")
    bad = [k for k, v in enumerate(values) if not isinstance(v, str) or not v.strip()]
    if bad:
        raise _fail(argument, "non-empty strings", f"{values[bad[0]]!r} at step {bad[0]}")
    return tuple(values)


def _pair(k: int, j: int, pair: object) -> tuple[np.ndarray, np.ndarray]:
    where = f"frames[{k}][{j}]"
    if not isinstance(pair, Sequence | np.ndarray) or len(pair) != 2:
        raise _fail(where, "an (x, y) pair of 1-D arrays", type(pair).__name__)
    try:
        x, y = (np.array(v, dtype=float) for v in pair)
    except (TypeError, ValueError) as error:
        raise _fail(where, "an (x, y) pair of numeric arrays", error) from None
    if x.ndim != 1 or y.ndim != 1 or x.shape != y.shape or x.size < 1:
        raise _fail(where, "1-D x and y of one length >= 1", f"shapes {x.shape} and {y.shape}")
    x.flags.writeable = y.flags.writeable = False
    return x, y


def _format(value: float) -> str:
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def path_d(xy: np.ndarray) -> str:
    """SVG path data of a polyline, broken at every non-finite point (display units).

    Args:
        xy: an ``(n, 2)`` array of SVG coordinates.

    Returns:
        ``"Mx y" "ldx dy dx dy ..."``: each coordinate rounded to 0.1 and clamped to
        :data:`COORDINATE_LIMIT`, the first point of a piece absolute, the next ones as steps
        from the point before (between rounded points, so they add up to the rounded points;
        about 35% shorter than absolute coordinates for a curve of a few hundred points). A
        point that is not finite ends the current piece; the next finite point starts a new
        one with ``M``.

    Examples:
        >>> import numpy as np
        >>> path_d(np.array([[0.0, 1.04], [2.0, np.nan], [3.0, 4.0], [5.56, -1e9], [6, 1]]))
        'M0 1M3 4l2.6-100004 0.4 100001'
    """
    finite = np.isfinite(xy).all(axis=1)
    rounded = np.round(np.clip(np.where(finite[:, None], xy, 0.0), -COORDINATE_LIMIT,
                                COORDINATE_LIMIT), 1)  # fmt: skip
    parts: list[str] = []
    previous: tuple[float, float] | None = None  # the last point of the current piece
    for (x, y), ok in zip(rounded.tolist(), finite.tolist(), strict=True):
        if not ok:
            previous = None
            continue
        if previous is None:
            parts.append(f"M{_format(x)} {_format(y)}")
            first_step = True
        else:
            dx, dy = round(x - previous[0], 1), round(y - previous[1], 1)
            step = f"{_format(dx)} {_format(dy)}".replace(" -", "-")
            parts.append(("l" if first_step else ("" if step[0] == "-" else " ")) + step)
            first_step = False
        previous = (x, y)
    return "".join(parts)


class Explorable:
    """A book figure whose moving lines follow a slider (see the module docstring).

    Args:
        fig: the finished figure, from :func:`mlecourse.plotting.book_figure`; its moving lines
            drawn at frame ``initial``. It is rendered now and closed.
        name: ``fig-chNN-slug``, unique in the book (:data:`NAME_PATTERN`); the same as the
            cell's ``mystnb.figure.name``.
        lines: the ``Line2D`` artists that move (solid or dashed lines, no markers).
        frames: per step, one ``(x, y)`` pair per moving line; non-finite values break a line.
        slider_label: the visible label of the slider.
        step_labels: per step, what a screen reader announces for the slider's value.
        readouts: per step, the text of the ``<output>`` next to the slider.
        initial: the step drawn first (in the static SVG and the PNG).
        alt: the alt text: what the figure shows.

    Attributes:
        frames: ``frames[k][j]`` is the ``(x, y)`` of moving line ``j`` at step ``k`` (read-only
            float arrays).
        readouts: ``readouts[k]``, the readout at step ``k``.
        paths: ``paths[k][j]``, the SVG path data of line ``j`` at step ``k``.
        svg: the static SVG (frame ``initial``), as embedded in the HTML.
        png: the PNG of frame ``initial`` (bytes).

    Raises:
        ValueError: an argument that does not fit (the message names it, says what was
            expected and what was received).
        TypeError: ``fig`` is not a matplotlib Figure or a line is not a ``Line2D``.
    """

    def __init__(
        self,
        fig: Figure,
        *,
        name: str,
        lines: Sequence[Line2D],
        frames: Sequence[Sequence[tuple[npt.ArrayLike, npt.ArrayLike]]],
        slider_label: str,
        step_labels: Sequence[str],
        readouts: Sequence[str],
        initial: int = 0,
        alt: str,
    ) -> None:
        """Check every argument, render the SVG, the frames and the PNG, close ``fig``."""
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D

        if not isinstance(fig, Figure):
            raise TypeError(f"Explorable: fig must be a matplotlib Figure; received {fig!r}")
        if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
            raise _fail("name", "'fig-chNN-' and lower-case words, e.g. 'fig-ch01-coin'", name)
        if not isinstance(lines, Sequence) or not lines:
            raise _fail("lines", "a non-empty list of the Line2D artists that move", lines)
        for j, line in enumerate(lines):
            if not isinstance(line, Line2D):
                raise TypeError(f"Explorable: lines[{j}] must be a Line2D; received {line!r}")
            if line.axes is None or line.axes.figure is not fig or line not in line.axes.lines:
                raise _fail(f"lines[{j}]", "a line drawn on an Axes of fig", line)
            if line.get_linestyle() in ("None", " ", ""):
                raise _fail(f"lines[{j}]", "a line with a line style", "linestyle 'None'")
            if line.get_marker() not in (None, "None", " ", ""):
                raise _fail(f"lines[{j}]", "a line without markers", line.get_marker())
            if line.get_drawstyle() != "default":
                raise _fail(f"lines[{j}]", "drawstyle 'default'", line.get_drawstyle())
        if len({id(line) for line in lines}) != len(lines):
            raise _fail("lines", "distinct Line2D artists", "the same line twice")
        if isinstance(frames, str) or not isinstance(frames, Sequence) or len(frames) < 2:
            received = len(frames) if isinstance(frames, Sequence) else type(frames).__name__
            raise _fail("frames", "a list of at least 2 steps", received)
        steps = len(frames)
        parsed = []
        for k, frame in enumerate(frames):
            if not isinstance(frame, Sequence) or len(frame) != len(lines):
                received = len(frame) if isinstance(frame, Sequence) else type(frame).__name__
                raise _fail(f"frames[{k}]", f"{len(lines)} (x, y) pairs (one per line)", received)
            parsed.append(tuple(_pair(k, j, pair) for j, pair in enumerate(frame)))
        if not isinstance(slider_label, str) or not slider_label.strip():
            raise _fail("slider_label", "a non-empty string", repr(slider_label))
        if not isinstance(alt, str) or not alt.strip():
            raise _fail("alt", "a non-empty description of the figure", repr(alt))
        if re.fullmatch(r"\S*([\\/]\S*|\.(png|jpe?g|svg|gif|pdf))", alt.strip(), re.IGNORECASE):
            raise _fail("alt", "a description of the figure, not a file name", repr(alt))
        if isinstance(initial, bool) or not isinstance(initial, int | np.integer):
            raise _fail("initial", "an int step index", repr(initial))
        if not 0 <= initial < steps:
            raise _fail("initial", f"a step index in [0, {steps - 1}]", initial)

        self.name = name
        self.slider_label = slider_label
        self.alt = alt
        self.initial = int(initial)
        self.frames: tuple[tuple[tuple[np.ndarray, np.ndarray], ...], ...] = tuple(parsed)
        self.step_labels = _texts("step_labels", step_labels, steps)
        self.readouts = _texts("readouts", readouts, steps)
        self.figure = fig
        self.lines = tuple(lines)

        for j, line in enumerate(self.lines):
            x, y = self.frames[self.initial][j]
            line.set_data(x, y)
            line.set_gid(_GID.format(j=j))
            xy = np.column_stack([x, y])
            if line.axes is not None:  # autoscaled limits then hold the initial frame
                line.axes.update_datalim(xy[np.isfinite(xy).all(axis=1)])
        self._fix_limits()
        self.svg, self.paths = self._render_svg()
        self.png = self._render_png()
        import matplotlib.pyplot as plt

        plt.close(fig)

    # -- construction ---------------------------------------------------------------------

    @property
    def steps(self) -> int:
        """The number of steps (positions of the slider)."""
        return len(self.frames)

    def _fix_limits(self) -> None:
        """Freeze autoscaled limits that hold every frame; raise for those that do not."""
        for ax in dict.fromkeys(line.axes for line in self.lines):
            if ax is None:  # pragma: no cover - checked in __init__
                continue
            ax.autoscale_view()
            mine = [j for j, line in enumerate(self.lines) if line.axes is ax]
            for axis, index, autoscaled, get, set_ in (
                ("x", 0, ax.get_autoscalex_on(), ax.get_xlim, ax.set_xlim),
                ("y", 1, ax.get_autoscaley_on(), ax.get_ylim, ax.set_ylim),
            ):
                if not autoscaled:
                    continue
                low, high = sorted(get())
                for k, frame in enumerate(self.frames):
                    for j in mine:
                        values = frame[j][index]
                        values = values[np.isfinite(values)]
                        if values.size and (values.min() < low or values.max() > high):
                            raise ValueError(
                                f"Explorable: the {axis}-limits of the Axes of lines[{j}] are "
                                f"autoscaled to ({low:.6g}, {high:.6g}) from the initial frame, "
                                f"but frames[{k}][{j}] reaches {axis} in "
                                f"[{values.min():.6g}, {values.max():.6g}]; fix them with "
                                f"ax.set_{axis}lim(...) so that every step fits"
                            )
                set_(get())  # frozen: autoscale off, the same limits at every step

    def _render_svg(self) -> tuple[str, tuple[tuple[str, ...], ...]]:
        import matplotlib as mpl
        from matplotlib.backend_bases import DrawEvent
        from matplotlib.backends.backend_svg import RendererSVG

        fig = self.figure
        seen: dict[str, Any] = {}

        def on_draw(event: DrawEvent) -> None:  # the transforms exactly as the SVG draws
            renderer = getattr(event.renderer, "_vector_renderer", event.renderer)  # mixed mode
            if isinstance(renderer, RendererSVG):
                seen["height"] = renderer.height
                seen["transforms"] = [line.get_transform().frozen() for line in self.lines]

        callback = fig.canvas.mpl_connect("draw_event", on_draw)
        buffer = io.StringIO()
        try:
            with mpl.rc_context(
                {"svg.hashsalt": self.name, "svg.fonttype": "path", "path.simplify": False}
            ):
                fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches=None)
        finally:
            fig.canvas.mpl_disconnect(callback)
        if "transforms" not in seen:  # pragma: no cover - matplotlib always emits draw_event
            raise RuntimeError("Explorable: matplotlib did not report the SVG draw")
        height, transforms = seen["height"], seen["transforms"]
        paths = []
        for frame in self.frames:
            step = []
            for (x, y), transform in zip(frame, transforms, strict=True):
                with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                    xy = transform.transform(np.column_stack([x, y]))
                xy[:, 1] = height - xy[:, 1]
                step.append(path_d(xy))
            paths.append(tuple(step))
        return self._clean_svg(buffer.getvalue()), tuple(paths)

    def _clean_svg(self, svg: str) -> str:
        name = self.name
        svg = svg[svg.index("<svg") :]  # no XML declaration or DOCTYPE inside HTML
        svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
        # ids unique in the page: every id and every reference to one gets the figure's name
        svg = re.sub(r'\bid="([^"]+)"', rf'id="{name}-\1"', svg)
        svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{name}-\1)", svg)
        svg = re.sub(r'(xlink:href|href)="#([^"]+)"', rf'\1="#{name}-\2"', svg)
        # matplotlib's stylesheet applies to `*`: inside a page, only to this SVG
        svg = svg.replace("*{", f"#{name}-svg *{{", 1)
        root_end = svg.index(">")
        root = svg[:root_end]
        root = re.sub(r'\s(width|height)="[^"]*"', "", root)
        root += (
            f' id="{name}-svg" role="img" aria-label="{html.escape(self.alt)}"'
            ' style="display: block; width: 100%; max-width: 640px; height: auto"'
        )
        svg = root + svg[root_end:].rstrip() + "\n"
        if "</script" in svg.lower():  # pragma: no cover - matplotlib escapes text as &lt;
            raise ValueError("Explorable: the SVG would end its script element early")
        return svg

    def _render_png(self) -> bytes:
        # The layout the SVG was drawn with, kept (and not computed a second time)
        self.figure.set_layout_engine("none")
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=_PNG_DPI, metadata={"Software": None})
        return buffer.getvalue()

    # -- display --------------------------------------------------------------------------

    @property
    def html(self) -> str:
        """The ``text/html`` output: the figure, the labelled slider, the readout, the frames.

        The figure is an image of the SVG, and the SVG itself (see :func:`book_html`).
        """
        name, k = self.name, self.initial
        data = {
            "gids": [f"{name}-{_GID.format(j=j)}" for j in range(len(self.lines))],
            "d": [list(step) for step in self.paths],
            "readouts": list(self.readouts),
            "valuetexts": list(self.step_labels),
        }
        frames = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        frames = frames.replace("</", "<\\/")  # never ends the script element early
        e = html.escape
        image = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return (
            f'<div class="mlc-explorable" data-name="{name}">\n'
            f'<img class="mlc-explorable-static" alt="{e(self.alt)}" '
            f'src="data:image/svg+xml;base64,{image}" '
            'style="display: block; width: 100%; max-width: 640px; height: auto">\n'
            f"{SVG_TAG}\n{self.svg}</script>\n"
            '<div class="mlc-explorable-controls">\n'
            f'<label for="{name}-slider">{e(self.slider_label)}</label>\n'
            f'<input type="range" id="{name}-slider" min="0" max="{self.steps - 1}" step="1" '
            f'value="{k}" aria-valuetext="{e(self.step_labels[k])}">\n'
            f'<output id="{name}-readout" for="{name}-slider" aria-live="polite">'
            f"{e(self.readouts[k])}</output>\n"
            "</div>\n"
            f'<script type="application/json" class="mlc-explorable-frames">{frames}</script>\n'
            "</div>\n"
            f"{RUNTIME_TAG}\n{runtime_js()}</script>\n"
            f"{END_MARKER}\n"
        )

    @property
    def text(self) -> str:
        """The ``text/plain`` output: the name, the slider, the steps and every readout."""
        lines = [
            f"Explorable figure {self.name}: slider {self.slider_label!r}, {self.steps} steps, "
            f"initial step {self.initial}"
        ]
        lines += [f"  {k}: {readout}" for k, readout in enumerate(self.readouts)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        """The ``text/plain`` form."""
        return self.text

    def _repr_mimebundle_(
        self, include: object = None, exclude: object = None
    ) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
        """What IPython displays: ``text/html``, ``image/png`` and ``text/plain``."""
        width, height = (round(v * _DISPLAY_DPI) for v in self.figure.get_size_inches())
        data = {
            "text/html": self.html,
            "image/png": base64.b64encode(self.png).decode("ascii"),
            "text/plain": self.text,
        }
        return data, {"image/png": {"width": width, "height": height}}
