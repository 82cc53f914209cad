"""Every explorable figure of the built book, driven the way a reader drives it (issue 19, §1).

For every page of `_build/html` (or ``BOOK_HTML``), every ``.mlc-explorable`` (made by
`mlecourse/explorable.py`), served on localhost and opened in headless Chromium with every
non-local request aborted:

- it renders: the SVG is visible with a non-zero size, the runtime wired it, the page loaded the
  runtime once from ``_static/explorable.js`` and carries no inline copy, no console error;
- the slider moves by keyboard (focus, ArrowRight, End, Home) and by value (every step): the
  moving paths' ``d`` change, the ``<output>`` reads ``EXPECTED[name](k)`` and ``aria-valuetext``
  follows. ``EXPECTED`` lives in `tests/browser/explorables/chNN.py` (``NN`` from the name
  ``fig-chNN-...``), where each chapter recomputes its readouts with `mlecourse`; a figure with
  no entry fails;
- without JavaScript it shows the SVG at its initial step and that step's readout;
- it is labelled: a visible ``<label for>``, the SVG's ``role="img"`` and alt text, a polite live
  ``<output>``;
- at 390 px nothing overflows (the figure and its controls fit the window and their own box);
- in both themes the label and the readout keep a contrast of at least 4.5:1 against the panel
  they sit on. (axe-core's wcag2a/wcag2aa rules run on every page, these figures included, in
  both themes in `test_accessibility.py`: not run a second time here, at 7-9 s a run.)

Screenshots of each figure at 1280 and 390 px, light and dark, go to
`_build/screenshots/explorables/`. Each chapter page must hold at least one explorable figure.
"""

from __future__ import annotations

import functools
import http.server
import importlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser import layout

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
SCREENSHOTS = HTML.parent / "screenshots" / "explorables"
MARKER = 'class="mlc-explorable"'
PAGE_TIMEOUT_MS = 120_000


def _pages() -> list[str]:
    if not HTML.is_dir():
        return []
    skip = {"_static", "_sources", "_images", "_sphinx_design_static"}
    return sorted(
        str(p.relative_to(HTML))
        for p in HTML.rglob("*.html")
        if not skip & set(p.relative_to(HTML).parts)
    )


PAGES = _pages()
EXPLORABLE_PAGES = [p for p in PAGES if MARKER in (HTML / p).read_text(encoding="utf-8")]


def expected_readout(name: str) -> Callable[[int], str]:
    """``EXPECTED[name]`` of `tests/browser/explorables/chNN.py`; fails when there is none."""
    chapter = re.fullmatch(r"fig-(ch\d{2})-.+", name)
    assert chapter, f"{name}: an explorable figure's name is fig-chNN-..."
    module_name = f"tests.browser.explorables.{chapter.group(1)}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError:
        pytest.fail(f"{name}: no {module_name.replace('.', '/')}.py with its EXPECTED readouts")
    expected = getattr(module, "EXPECTED", {})
    assert name in expected, f"{name}: no entry in {module_name}.EXPECTED"
    return expected[name]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _open(browser, base_url: str, path: str, problems: list[str], **options):
    """A page loaded from the local server; every other request is aborted and recorded."""
    page = browser.new_page(**options)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    host = urlsplit(base_url).netloc
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))

    def only_local(route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == host or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            problems.append(f"non-local request (the book must work offline): {url}")
            route.abort()

    page.route("**/*", only_local)
    page.goto(urljoin(base_url, path), wait_until="load")
    return page


# The state of one figure: its slider, readout and the d of each moving path.
_STATE = """root => {
    const data = JSON.parse(root.querySelector('script.mlc-explorable-frames').textContent);
    const input = root.querySelector('input[type=range]');
    const paths = data.gids.map(g => {
        const n = document.getElementById(g);
        return n && (n.tagName.toLowerCase() === 'path' ? n : n.querySelector('path'));
    });
    return {
        value: Number(input.value),
        max: Number(input.max),
        valuetext: input.getAttribute('aria-valuetext'),
        output: root.querySelector('output').textContent,
        d: paths.map(p => p ? p.getAttribute('d') : null),
        frames: data.d,
        valuetexts: data.valuetexts,
    };
}"""

_SET_VALUE = """(root, k) => {
    const input = root.querySelector('input[type=range]');
    input.value = String(k);
    input.dispatchEvent(new Event('input', {bubbles: true}));
}"""

_STRUCTURE = """root => {
    const svg = root.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    const input = root.querySelector('input[type=range]');
    const label = input && input.id
        ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
    const output = root.querySelector('output');
    return {
        svgWidth: box.width, svgHeight: box.height,
        svgVisible: !!svg && getComputedStyle(svg).visibility !== 'hidden'
            && getComputedStyle(svg).display !== 'none',
        role: svg && svg.getAttribute('role'),
        alt: svg && (svg.getAttribute('aria-label') || '').trim(),
        wired: root.hasAttribute('data-mlc-wired'),
        label: label ? label.innerText.trim() : '',
        labelVisible: !!label && label.getBoundingClientRect().width > 0,
        live: output && output.getAttribute('aria-live'),
        inlineRuntimes: document.querySelectorAll('script.mlc-explorable-runtime').length,
        servedRuntimes: Array.from(document.scripts)
            .filter(s => /_static\\/explorable\\.js/.test(s.src)).length,
        figureId: (root.closest('figure') || {}).id || '',
        caption: ((root.closest('figure') || document).querySelector('figcaption') || {})
            .textContent || '',
    };
}"""

# The figure and its controls fit the window and their own boxes.
_OVERFLOW = """root => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const e of [root, root.closest('figure'), root.querySelector('svg'),
                     root.querySelector('.mlc-explorable-controls'),
                     root.querySelector('input'), root.querySelector('output'),
                     root.querySelector('label')]) {
        if (!e) continue;
        const r = e.getBoundingClientRect();
        const tag = e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined
            ? '.' + String(e.className).split(' ')[0] : '');
        if (r.right > width + 1)
            out.push(`${tag}: right edge ${Math.round(r.right)} px > ${width}`);
        if (e.scrollWidth > e.clientWidth + 1 && e.tagName.toLowerCase() !== 'svg')
            out.push(`${tag}: scrollWidth ${e.scrollWidth} > clientWidth ${e.clientWidth}`);
    }
    return out;
}"""

# Contrast of the label's and the readout's text against the first opaque background behind it.
_CONTRAST = """root => {
    const rgba = c => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
        const f = v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = e => {
        for (let a = e; a; a = a.parentElement) {
            const c = rgba(getComputedStyle(a).backgroundColor);
            if (c.length >= 3 && (c.length < 4 || c[3] > 0.99)) return c;
        }
        return [255, 255, 255];
    };
    return ['label', 'output'].map(sel => {
        const e = root.querySelector(sel) || document.querySelector(
            `label[for="${CSS.escape(root.querySelector('input').id)}"]`);
        const fg = lum(rgba(getComputedStyle(e).color)), bg = lum(background(e));
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        return {what: sel, ratio: ratio, color: getComputedStyle(e).color,
                background: 'rgb(' + background(e).slice(0, 3).join(', ') + ')'};
    });
}"""


def test_book_was_built() -> None:
    assert (HTML / "index.html").is_file(), f"no {HTML}: run `make book` first"


def test_every_chapter_has_an_explorable_figure() -> None:
    """Issue 19: at least one explorable figure per chapter."""
    chapters = [p for p in PAGES if p.startswith("book/chapters/")]
    if not chapters:
        pytest.skip(f"{HTML} has no chapter pages (a demo build)")
    missing = [p for p in chapters if p not in EXPLORABLE_PAGES]
    assert not missing, f"chapters without an explorable figure: {missing}"


def _names(page) -> list[str]:
    return page.locator(".mlc-explorable").evaluate_all(
        "els => els.map(e => e.getAttribute('data-name'))"
    )


def _check_figure(page, name: str, expected: Callable[[int], str]) -> list[str]:
    """Render, keyboard and value checks of one figure; the list of what is wrong."""
    root = page.locator(f'.mlc-explorable[data-name="{name}"]')
    wrong: list[str] = []
    s = root.evaluate(_STRUCTURE)
    if not (s["svgVisible"] and s["svgWidth"] > 100 and s["svgHeight"] > 50):
        wrong.append(f"SVG not rendered: {s['svgWidth']} x {s['svgHeight']} px")
    if not s["wired"]:
        wrong.append("the runtime did not wire the figure")
    if s["inlineRuntimes"] or s["servedRuntimes"] != 1:
        wrong.append(
            f"runtime not served once: {s['inlineRuntimes']} inline copies, "
            f"{s['servedRuntimes']} scripts from _static/explorable.js"
        )
    if s["role"] != "img" or not s["alt"]:
        wrong.append(f"SVG role {s['role']!r}, alt text {s['alt']!r}")
    if not (s["label"] and s["labelVisible"]):
        wrong.append("the slider has no visible <label for>")
    if s["live"] != "polite":
        wrong.append(f"<output> aria-live is {s['live']!r}")
    if s["figureId"] != name or not s["caption"].strip():
        wrong.append(f"not inside a captioned <figure id={name!r}> (id {s['figureId']!r})")

    start = root.evaluate(_STATE)
    n = start["max"] + 1
    if n < 2:
        return [*wrong, f"{n} steps"]

    def check(state: dict, k: int, how: str) -> None:
        if state["value"] != k:
            wrong.append(f"{how}: slider at {state['value']}, expected {k}")
            return
        want = expected(k)
        if state["output"] != want:
            wrong.append(f"{how}: readout {state['output']!r}, expected {want!r}")
        if state["valuetext"] != state["valuetexts"][k]:
            wrong.append(f"{how}: aria-valuetext {state['valuetext']!r}")
        if state["d"] != state["frames"][k]:
            wrong.append(f"{how}: the moving paths are not frame {k}")

    check(start, start["value"], "as loaded")
    # keyboard: a reader tabs to the slider and uses the arrow keys, End and Home
    keyboard = root.locator("input[type=range]")
    keyboard.focus()
    if start["value"] < n - 1:
        page.keyboard.press("ArrowRight")
        check(root.evaluate(_STATE), start["value"] + 1, "ArrowRight")
    page.keyboard.press("End")
    end = root.evaluate(_STATE)
    check(end, n - 1, "End")
    page.keyboard.press("Home")
    home = root.evaluate(_STATE)
    check(home, 0, "Home")
    if end["d"] == home["d"]:
        wrong.append("the moving paths are the same at the first and the last step")
    # by value: every step
    for k in range(n):
        root.evaluate(_SET_VALUE, k)
        check(root.evaluate(_STATE), k, f"value {k}")
    root.evaluate(_SET_VALUE, start["value"])
    return wrong


@pytest.mark.parametrize("path", EXPLORABLE_PAGES)
def test_explorable_figures_render_and_move(browser, base_url: str, path: str) -> None:
    problems: list[str] = []
    page = _open(browser, base_url, path, problems, viewport=layout.DESKTOP)
    names = _names(page)
    assert names, f"{path}: no .mlc-explorable found in the browser"
    assert len(set(names)) == len(names), f"{path}: a figure name twice: {names}"
    wrong = {}
    for name in names:
        found = _check_figure(page, name, expected_readout(name))
        if found:
            wrong[name] = found
    page.close()
    assert not problems, "\n".join(problems)
    assert not wrong, "\n".join(f"{n}:\n  " + "\n  ".join(w[:10]) for n, w in wrong.items())


_NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _to_dark(page) -> str:
    """The reader's system turns to dark mode (the theme follows it in its `auto` mode)."""
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")
    return page.evaluate("() => document.documentElement.dataset.theme")


# Without JavaScript: the static SVG at the initial step, the readout of that step.
_STATIC = """root => {
    const svg = root.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    return {width: box.width, height: box.height,
            value: Number(root.querySelector('input[type=range]').getAttribute('value')),
            output: root.querySelector('output').textContent,
            images: root.querySelectorAll('img').length};
}"""


@pytest.mark.parametrize("path", EXPLORABLE_PAGES)
def test_explorable_figures_without_javascript(browser, base_url: str, path: str) -> None:
    """A reader without JavaScript sees each figure at its initial step, with its readout."""
    problems: list[str] = []
    page = _open(
        browser, base_url, path, problems, viewport=layout.DESKTOP, java_script_enabled=False
    )
    wrong = []
    for name in _names(page):
        s = page.locator(f'.mlc-explorable[data-name="{name}"]').evaluate(_STATIC)
        if not (s["width"] > 100 and s["height"] > 50) or s["images"]:
            wrong.append(f"{name}: SVG {s['width']} x {s['height']} px, {s['images']} images")
        if s["output"] != expected_readout(name)(s["value"]):
            wrong.append(f"{name}: readout {s['output']!r} at step {s['value']}")
    page.close()
    # (the theme's preloaded scripts are cancelled without JavaScript: not the figure's affair)
    assert not [p for p in problems if "non-local" in p], "\n".join(problems)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", EXPLORABLE_PAGES)
def test_explorable_figures_fit_a_phone_and_read_in_both_themes(
    browser, base_url: str, path: str
) -> None:
    """One page, as a reader turns the phone and the system to dark mode: 1280 px light, 390 px
    light, 390 px dark, 1280 px dark. Screenshots of each figure in each state."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    wrong: list[str] = []
    page = _open(browser, base_url, path, problems, viewport=layout.DESKTOP, color_scheme="light")
    states = [("light", layout.DESKTOP), ("light", layout.PHONE)]
    states += [("dark", layout.PHONE), ("dark", layout.DESKTOP)]
    for scheme, viewport in states:
        page.set_viewport_size(viewport)
        page.evaluate(_NEXT_FRAMES)  # the page laid out again at the new width
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        if scheme == "dark" and theme != "dark":
            theme = _to_dark(page)
        if theme != scheme:
            wrong.append(f"{viewport['width']} px: data-theme {theme!r}, wanted {scheme}")
        for name in _names(page):
            root = page.locator(f'.mlc-explorable[data-name="{name}"]')
            where = f"{name} at {viewport['width']} px, {scheme}"
            if viewport is layout.PHONE:
                wrong += [f"{where}: {o}" for o in root.evaluate(_OVERFLOW)]
            for c in root.evaluate(_CONTRAST):
                if c["ratio"] < 4.5:
                    wrong.append(
                        f"{where}: {c['what']} contrast {c['ratio']:.2f} "
                        f"({c['color']} on {c['background']})"
                    )
            figure = page.locator(f"figure#{name}")
            target = figure if figure.count() else root
            target.scroll_into_view_if_needed()
            target.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport['width']}-{scheme}.png"))
    page.close()
    assert not problems, "\n".join(problems)
    assert not wrong, "\n".join(wrong[:20])
