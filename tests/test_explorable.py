"""Tests of mlecourse.explorable (Agg backend: no display, no browser; the browser test is
tests/browser/test_explorables.py)."""

from __future__ import annotations

import base64
import importlib.util
import json
import re
import struct
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from nbval.plugin import get_sanitize_patterns

from mlecourse import explorable, likelihood, plotting

ROOT = Path(__file__).resolve().parents[1]
THETA = np.linspace(0.0, 1.0, 101)
N = 10
STEPS = range(N + 1)


@pytest.fixture(autouse=True)
def _book_style():
    with mpl.rc_context(plotting.book_style()):
        yield
    plt.close("all")


def _curve(n1: int) -> np.ndarray:
    values = likelihood.bernoulli_likelihood(THETA, [1] * n1 + [0] * (N - n1))
    return values / values.max()


def _coin(name: str = "fig-ch01-coin-test", initial: int = 3, **changes) -> explorable.Explorable:
    """The coin's relative likelihood and a marker at p-hat, as n1 changes (two moving lines)."""
    fig, ax = plotting.book_figure()
    ax.plot(THETA, _curve(5), color="0.6", label="static")
    curve = ax.plot(THETA, _curve(initial), label="likelihood")[0]
    marker = ax.plot([initial / N] * 2, [0, 1.05], ls="--", label="p-hat")[0]
    ax.set(ylim=(0, 1.05), xlabel="theta", ylabel="relative likelihood")
    ax.legend()
    arguments = dict(
        name=name,
        lines=[curve, marker],
        frames=[[(THETA, _curve(s)), ([s / N] * 2, [0, 1.05])] for s in STEPS],
        slider_label="number of ones n1",
        step_labels=[f"n1 = {s}" for s in STEPS],
        readouts=[f"n1 = {s}: p-hat = {s / N:.1f}" for s in STEPS],
        initial=initial,
        alt="The relative likelihood of a coin's theta; it peaks at n1 / 10.",
    )
    arguments |= changes
    return explorable.Explorable(fig, **arguments)


def _svg_path(svg: str, gid: str) -> str:
    """The d of the path matplotlib drew for the line with this gid."""
    group = re.search(rf'<g id="{re.escape(gid)}">\s*<path d="([^"]*)"', svg)
    assert group, f"no <g id={gid!r}> with a path in the SVG"
    return group.group(1)


def _pieces(d: str) -> list[np.ndarray]:
    """The polyline pieces of path data (M, L absolute; l relative): one (n, 2) array per M."""
    tokens = re.findall(r"[MLl]|-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", d)
    pieces: list[list[tuple[float, float]]] = []
    command, i = "", 0
    while i < len(tokens):
        if tokens[i] in "MLl":
            command, i = tokens[i], i + 1
            continue
        x, y = float(tokens[i]), float(tokens[i + 1])
        i += 2
        if command == "M":
            pieces.append([(x, y)])
            command = "L"  # pairs after an M's first are lines (SVG's implicit lineto)
        elif command == "L":
            pieces[-1].append((x, y))
        else:  # l: a step from the point before
            last = pieces[-1][-1]
            pieces[-1].append((last[0] + x, last[1] + y))
    return [np.array(p) for p in pieces]


def test_pieces_reads_absolute_and_relative_paths():
    assert [p.tolist() for p in _pieces("M 1 2 \nL 3 4 \nM 5 6 L 7 8")] == [
        [[1, 2], [3, 4]],
        [[5, 6], [7, 8]],
    ]
    assert [p.tolist() for p in _pieces("M1 2l2 2-1 1M0 0")] == [[[1, 2], [3, 4], [2, 5]], [[0, 0]]]


def test_output_is_deterministic():
    first, second = _coin(), _coin()
    assert first.html == second.html
    assert first.png == second.png
    assert first.text == second.text
    assert first._repr_mimebundle_() == second._repr_mimebundle_()


@pytest.mark.parametrize("initial", [0, 3, 10])
def test_the_frames_path_is_what_matplotlib_draws(initial):
    """Frame `initial`'s path equals the SVG path matplotlib drew for that line, to 0.1."""
    figure = _coin(initial=initial)
    for j in range(2):
        drawn = _pieces(_svg_path(figure.svg, f"fig-ch01-coin-test-moving-{j}"))
        ours = _pieces(figure.paths[initial][j])
        assert [p.shape for p in drawn] == [p.shape for p in ours]
        for a, b in zip(drawn, ours, strict=True):
            np.testing.assert_allclose(a, b, atol=0.05 + 1e-9)  # ours are rounded to 0.1


@pytest.mark.parametrize("k", [0, 5, 10])
def test_every_frame_is_what_matplotlib_draws_for_it(k):
    """Frame k of one figure is the path matplotlib draws when k is the initial step."""
    figure, drawn_at_k = _coin(initial=3), _coin(initial=k)
    for j in range(2):
        drawn = _pieces(_svg_path(drawn_at_k.svg, f"fig-ch01-coin-test-moving-{j}"))
        ours = _pieces(figure.paths[k][j])
        assert [p.shape for p in drawn] == [p.shape for p in ours]
        for a, b in zip(drawn, ours, strict=True):
            np.testing.assert_allclose(a, b, atol=0.05 + 1e-9)
    assert figure.paths[k] != figure.paths[3] if k != 3 else True  # the figure changes


def test_log_axes_and_two_panels():
    """Non-affine transforms (a log axis) and moving lines on two Axes."""
    fig, (left, right) = plotting.book_figure(1, 2)
    x = np.logspace(-3, 0, 50)
    a = left.plot(x, x, label="a")[0]
    b = right.plot(x, x**2)[0]
    left.set(xscale="log", yscale="log", ylim=(1e-7, 2))
    right.set(ylim=(0, 1))
    figure = explorable.Explorable(
        fig,
        name="fig-ch02-two-panels",
        lines=[a, b],
        frames=[[(x, x**p), (x, x ** (2 * p))] for p in (1.0, 1.5, 2.0)],
        slider_label="power p",
        step_labels=["p = 1", "p = 1.5", "p = 2"],
        readouts=["p = 1", "p = 1.5", "p = 2"],
        alt="Two power curves.",
    )
    for j in range(2):
        drawn = _pieces(_svg_path(figure.svg, f"fig-ch02-two-panels-moving-{j}"))
        np.testing.assert_allclose(drawn[0], _pieces(figure.paths[0][j])[0], atol=0.05 + 1e-9)


def test_non_finite_values_break_the_line_as_matplotlib_does():
    fig, ax = plotting.book_figure()
    x = np.linspace(0, 1, 9)
    holes = np.array([0.1, np.nan, 0.3, 0.4, np.inf, 0.6, 0.7, -np.inf, 0.9])
    line = ax.plot(x, holes)[0]
    ax.set_ylim(0, 1)
    figure = explorable.Explorable(
        fig,
        name="fig-ch03-holes",
        lines=[line],
        frames=[[(x, holes)], [(x, x)]],
        slider_label="step",
        step_labels=["with holes", "without"],
        readouts=["with holes", "without"],
        alt="A line with gaps.",
    )
    ours = _pieces(figure.paths[0][0])
    assert [len(p) for p in ours] == [1, 2, 2, 1]  # broken at the NaN and at both infinities
    drawn = _pieces(_svg_path(figure.svg, "fig-ch03-holes-moving-0"))
    assert [len(p) for p in drawn] == [1, 2, 2, 1]  # matplotlib breaks it at the same points
    for a, b in zip(drawn, ours, strict=True):
        np.testing.assert_allclose(a, b, atol=0.05 + 1e-9)
    assert figure.paths[1][0].count("M") == 1


def test_the_svg_holds_every_vertex_of_the_initial_frame():
    """Path simplification is off: a straight line of 200 points keeps its 200 vertices
    (matplotlib simplifies a path of 128 vertices or more), and the line is drawn at frame
    `initial` whatever data it was plotted with."""
    fig, ax = plotting.book_figure()
    x = np.linspace(0, 1, 200)
    line = ax.plot([0, 1], [1, 0])[0]  # not frame `initial`: the constructor sets it
    ax.set(xlim=(0, 1), ylim=(0, 1))
    figure = explorable.Explorable(
        fig,
        name="fig-ch03-straight",
        lines=[line],
        frames=[[(x, 0.5 * x)], [(x, x)]],
        slider_label="slope",
        step_labels=["1/2", "1"],
        readouts=["slope 1/2", "slope 1"],
        initial=1,
        alt="A straight line.",
    )
    (drawn,) = _pieces(_svg_path(figure.svg, "fig-ch03-straight-moving-0"))
    assert drawn.shape == (200, 2)
    np.testing.assert_allclose(drawn, _pieces(figure.paths[1][0])[0], atol=0.05 + 1e-9)
    np.testing.assert_array_equal(line.get_ydata(), x)


def test_path_d_clamps_and_rounds():
    xy = np.array([[0.04, -0.04], [1e12, -1e12], [12.34, 56.78]])
    assert explorable.path_d(xy) == "M0 0l100000-100000-99987.7 100056.8"
    assert explorable.path_d(np.array([[np.nan, 1.0]])) == ""


def test_autoscaled_limits_are_frozen_when_every_frame_fits():
    fig, ax = plotting.book_figure()
    x = np.linspace(0, 1, 11)
    line = ax.plot(x, x)[0]  # x and y autoscaled from the initial frame
    frames = [[(x, 0.5 * x)], [(x, x)]]
    limits = (ax.get_xlim(), ax.get_ylim())
    explorable.Explorable(
        fig,
        name="fig-ch04-frozen",
        lines=[line],
        frames=frames,
        slider_label="slope",
        step_labels=["1/2", "1"],
        readouts=["slope 1/2", "slope 1"],
        initial=1,
        alt="A line.",
    )
    assert not ax.get_autoscalex_on() and not ax.get_autoscaley_on()
    assert (ax.get_xlim(), ax.get_ylim()) == limits


def test_autoscaled_limits_hold_the_initial_frame_even_if_plotted_with_other_data():
    fig, ax = plotting.book_figure()
    x = np.linspace(0, 1, 11)
    line = ax.plot(x, 0 * x)[0]  # plotted flat; frame `initial` reaches y = 2
    explorable.Explorable(
        fig,
        name="fig-ch04-initial",
        lines=[line],
        frames=[[(x, 2 * x)], [(x, x)]],
        slider_label="slope",
        step_labels=["2", "1"],
        readouts=["slope 2", "slope 1"],
        alt="A line.",
    )
    low, high = ax.get_ylim()
    assert low <= 0 and high >= 2


def test_autoscaled_limits_that_cut_a_frame_are_refused():
    fig, ax = plotting.book_figure()
    x = np.linspace(0, 1, 11)
    line = ax.plot(x, x)[0]
    with pytest.raises(ValueError, match=r"y-limits .* autoscaled .* frames\[1\]\[0\].*set_ylim"):
        explorable.Explorable(
            fig,
            name="fig-ch04-cut",
            lines=[line],
            frames=[[(x, x)], [(x, 3 * x)]],
            slider_label="slope",
            step_labels=["1", "3"],
            readouts=["slope 1", "slope 3"],
            alt="A line.",
        )


def test_the_display_bundle():
    figure = _coin()
    data, metadata = figure._repr_mimebundle_()
    assert set(data) == {"text/html", "image/png", "text/plain"}
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1280, 768)  # 6.4 x 3.84 in at the book's 200 dpi
    assert metadata == {"image/png": {"width": 640, "height": 384}}  # shown at 100 dpi
    assert not plt.fignum_exists(figure.figure.number), "the figure must be closed"


def test_the_text_form_lists_every_readout():
    figure = _coin()
    expected = (
        "Explorable figure fig-ch01-coin-test: slider 'number of ones n1', 11 steps, "
        "initial step 3\n" + "\n".join(f"  {s}: n1 = {s}: p-hat = {s / N:.1f}" for s in STEPS)
    )
    assert figure.text == expected == repr(figure)
    assert figure._repr_mimebundle_()[0]["text/plain"] == expected


def test_the_html():
    figure = _coin(alt='A "quoted" <alt> & more')
    page = figure.html
    name = "fig-ch01-coin-test"
    assert page.startswith(f'<div class="mlc-explorable" data-name="{name}">')
    assert page.endswith(explorable.END_MARKER + "\n")
    svg_root = re.search(r"<svg[^>]*>", page).group(0)
    assert 'viewBox="0 0 460.8 276.48"' in svg_root
    assert not re.search(r'\s(width|height)="', svg_root)
    assert 'role="img"' in svg_root
    assert 'aria-label="A &quot;quoted&quot; &lt;alt&gt; &amp; more"' in svg_root
    assert f'<label for="{name}-slider">number of ones n1</label>' in page
    assert (
        f'<input type="range" id="{name}-slider" min="0" max="10" step="1" value="3" '
        'aria-valuetext="n1 = 3">'
    ) in page
    assert 'aria-live="polite">n1 = 3: p-hat = 0.3</output>' in page
    markup = page[: page.index(explorable.RUNTIME_TAG)]  # the runtime's code is no markup
    ids = re.findall(r'\bid="([^"]+)"', markup)
    assert all(i.startswith(name + "-") for i in ids), [i for i in ids if not i.startswith(name)]
    assert len(ids) == len(set(ids))
    refs = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', markup)
    assert refs and all((a or b) in ids for a, b in refs)  # every reference resolves
    assert "*{" not in page.replace(f"#{name}-svg *{{", "")  # matplotlib's CSS stays scoped
    assert "<?xml" not in page and "<metadata>" not in page
    frames = json.loads(
        re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S).group(1)
    )
    assert frames["gids"] == [f"{name}-moving-0", f"{name}-moving-1"]
    assert frames["d"] == [list(step) for step in figure.paths]
    assert frames["readouts"] == list(figure.readouts)
    assert frames["valuetexts"] == list(figure.step_labels)
    assert page.count(explorable.RUNTIME_TAG) == 1
    assert explorable.runtime_js() in page


def test_text_is_drawn_as_outlines_with_no_font_left_to_the_browser():
    """Mathtext from matplotlib's own fonts (STIX for \\mathcal) would show as empty boxes."""
    fig, ax = plotting.book_figure()
    line = ax.plot([0, 1], [0, 1])[0]
    ax.set(xlabel="logit z", ylabel=r"$\partial \mathcal{L}_i / \partial z$", ylim=(0, 1))
    figure = explorable.Explorable(
        fig,
        name="fig-ch04-glyphs",
        lines=[line],
        frames=[[([0, 1], [0, 1])], [([0, 1], [1, 0])]],
        slider_label="step",
        step_labels=["up", "down"],
        readouts=["up", "down"],
        alt="A line.",
    )
    assert "<text" not in figure.svg and "font-family" not in figure.svg
    glyphs = set(re.findall(r'<path id="(fig-ch04-glyphs-[^"]+)"', figure.svg))
    used = set(re.findall(r'xlink:href="#([^"]+)"', figure.svg))
    assert any("STIX" in g for g in glyphs), "no glyph of the mathtext font"
    assert used <= set(re.findall(r'\bid="([^"]+)"', figure.svg))


def test_a_readout_cannot_end_the_script_early():
    figure = _coin(readouts=[f"</script><b>{s}</b>" for s in STEPS])
    payload = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', figure.html, re.S)
    assert json.loads(payload.group(1))["readouts"][3] == "</script><b>3</b>"
    assert "&lt;/script&gt;&lt;b&gt;3&lt;/b&gt;</output>" in figure.html


def test_two_figures_share_no_id():
    ids = []
    for name in ("fig-ch01-a", "fig-ch01-b"):
        page = _coin(name=name).html
        ids.append(set(re.findall(r'\bid="([^"]+)"', page[: page.index(explorable.RUNTIME_TAG)])))
    assert not ids[0] & ids[1]


def test_the_runtime_is_small_and_dependency_free():
    code = explorable.runtime_js()
    assert len(code.encode()) < 3000
    assert not re.search(r"\b(import|require|fetch|XMLHttpRequest)\b|https?://", code)


def test_nbval_sanitising_replaces_the_whole_html_payload():
    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())
    html = _coin().html
    for regex, replace in patterns:
        html = re.sub(regex, replace, html)
    assert html == "<EXPLORABLE-FIGURE-HTML>\n"


def test_the_notebook_output_shows_an_image_until_trusted():
    """Before JupyterLab trusts an output it drops scripts and SVG: the figure is then an image
    of the SVG, whose alt text is the figure's."""
    figure = _coin()
    image = re.search(
        r'<img class="mlc-explorable-static" alt="([^"]*)" src="([^"]*)"', figure.html
    )
    assert image, "no fallback image"
    assert image.group(1) == figure.alt.replace("'", "&#x27;")
    prefix = "data:image/svg+xml;base64,"
    assert image.group(2).startswith(prefix)
    assert base64.b64decode(image.group(2)[len(prefix) :]).decode() == figure.svg
    assert f"{explorable.SVG_TAG}\n{figure.svg}</script>\n" in figure.html


def test_the_book_page_has_the_svg_inline_and_no_inline_runtime():
    figure = _coin()
    page = explorable.book_html(figure.html)
    assert page == (
        f'<div class="mlc-explorable" data-name="{figure.name}">\n'
        + figure.svg
        + figure.html[figure.html.index('<div class="mlc-explorable-controls">') :].replace(
            f"{explorable.RUNTIME_TAG}\n{explorable.runtime_js()}</script>\n", ""
        )
    )
    assert "<img" not in page and '<script type="image/svg+xml"' not in page
    assert explorable.RUNTIME_TAG not in page and "function wire" not in page
    two = explorable.book_html("<p>before</p>\n" + figure.html + _coin(name="fig-ch01-b").html)
    assert two.count("<svg") == 2 and "<img" not in two and explorable.RUNTIME_TAG not in two
    assert explorable.book_html("<p>no figure</p>") == "<p>no figure</p>"


def test_the_book_extension_rewrites_raw_html_nodes():
    from docutils import nodes

    spec = importlib.util.spec_from_file_location(
        "explorable_ext", ROOT / "book" / "_ext" / "explorable.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    html = _coin().html
    doctree = nodes.document(None, None)
    doctree += nodes.raw(html, html, format="html", classes=["output", "text_html"])
    doctree += nodes.raw("<p>other</p>", "<p>other</p>", format="html")

    class App:
        class builder:
            format = "html"

    module._as_book_pages(App, doctree, "page")
    first, second = list(doctree.findall(nodes.raw))
    assert first.astext() == explorable.book_html(html)
    assert first["classes"] == ["output", "text_html"] and first["format"] == "html"
    assert second.astext() == "<p>other</p>"


def _line_with(**style):
    fig, ax = plotting.book_figure()
    line = ax.plot([0, 1], [0, 1], **style)[0]
    return fig, line


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "fig-1-coin"}, r"name must be 'fig-chNN-'.*received fig-1-coin"),
        ({"name": "fig-ch01-Coin"}, r"name must be .*received fig-ch01-Coin"),
        ({"lines": []}, r"lines must be a non-empty list"),
        (
            {"frames": [[(THETA, _curve(0)), ([0, 0], [0, 1])]]},
            r"frames must be .*at least 2.*received 1",
        ),
        (
            {"frames": [[(THETA, _curve(s))] for s in STEPS]},
            r"frames\[0\] must be 2 \(x, y\) pairs.*received 1",
        ),
        (
            {"frames": [[(THETA, _curve(s)[:-1]), ([0, 0], [0, 1])] for s in STEPS]},
            r"frames\[0\]\[0\] must be 1-D x and y of one length.*\(101,\) and \(100,\)",
        ),
        (
            {"frames": [[(THETA,), ([0, 0], [0, 1])] for s in STEPS]},
            r"frames\[0\]\[0\] must be an \(x, y\) pair",
        ),
        (
            {"frames": [[(THETA, ["a"] * 101), ([0, 0], [0, 1])] for s in STEPS]},
            r"frames\[0\]\[0\] must be .*numeric",
        ),
        ({"step_labels": ["n1"] * 3}, r"step_labels must be a list of 11 strings.*received 3"),
        ({"readouts": "n1"}, r"readouts must be a list of 11 strings.*received str"),
        ({"readouts": [""] * 11}, r"readouts must be non-empty strings.*at step 0"),
        ({"initial": 11}, r"initial must be a step index in \[0, 10\]; received 11"),
        ({"initial": -1}, r"initial must be a step index in \[0, 10\]; received -1"),
        ({"initial": True}, r"initial must be an int step index; received True"),
        ({"alt": " "}, r"alt must be a non-empty description"),
        ({"alt": "figures/coin.png"}, r"alt must be a description of the figure, not a file name"),
        ({"slider_label": ""}, r"slider_label must be a non-empty string"),
    ],
)
def test_errors_name_the_argument(change, message):
    with pytest.raises(ValueError, match=message):
        _coin(**change)


def test_lines_must_be_moving_lines_of_this_figure():
    _, foreign = _line_with()
    with pytest.raises(ValueError, match=r"lines\[0\] must be a line drawn on an Axes of fig"):
        _coin(lines=[foreign, foreign])
    fig, ax = plotting.book_figure()
    marked = ax.plot([0, 1], [0, 1], "o-")[0]
    steps = ax.plot([0, 1], [0, 1], drawstyle="steps")[0]
    bare = ax.plot([0, 1], [0, 1], ls="none", marker=".")[0]
    for line, message in [
        (marked, r"lines\[0\] must be a line without markers; received o"),
        (steps, r"lines\[0\] must be drawstyle 'default'; received steps"),
        (bare, r"lines\[0\] must be a line with a line style"),
    ]:
        with pytest.raises(ValueError, match=message):
            explorable.Explorable(
                fig,
                name="fig-ch05-bad",
                lines=[line],
                frames=[[([0, 1], [0, 1])]] * 2,
                slider_label="s",
                step_labels=["a", "b"],
                readouts=["a", "b"],
                alt="A line.",
            )
    with pytest.raises(TypeError, match="lines\\[0\\] must be a Line2D"):
        explorable.Explorable(
            fig, name="fig-ch05-bad", lines=["line"], frames=[[([0], [0])]] * 2,
            slider_label="s", step_labels=["a", "b"], readouts=["a", "b"], alt="A line.",
        )  # fmt: skip
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        explorable.Explorable(
            ax, name="fig-ch05-bad", lines=[marked], frames=[[([0], [0])]] * 2,
            slider_label="s", step_labels=["a", "b"], readouts=["a", "b"], alt="A line.",
        )  # fmt: skip
