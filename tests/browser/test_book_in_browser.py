"""The built book, checked the way a reader sees it: served on localhost and opened in
headless Chromium (Debian's `/usr/bin/chromium`, driven by Playwright).

Every page: no console errors, no failed or non-local requests (the book must work offline),
every image loaded, every equation typeset by MathJax (no raw TeX left in the visible text).
Every page reads on any screen (issue 9, section 4; the measurements live in `layout.py`): at
1280 px no display equation, table or code block is wider than its column, every figure has a
caption and real alt text, solutions show no docstring markup, no test marker (nbval) is
visible; at 390 px the page does not scroll sideways. Then: every internal link and anchor
resolves, a solution dropdown opens, the search page finds "cross-entropy", each chapter offers
its notebook for download, and dark mode is dark. Screenshots of every chapter at 1280 px and
390 px, light and dark, are saved to `_build/screenshots/` as artifacts.

Run after `make book` (``make test`` does both).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.browser import layout

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
SCREENSHOTS = HTML.parent / "screenshots"


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
CHAPTERS = [p for p in PAGES if p.startswith("book/chapters/")]


def test_book_was_built() -> None:
    assert (HTML / "index.html").is_file(), "no _build/html: run `make book` first"
    assert CHAPTERS, "the built book has no chapter pages"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


# The machine running the test may be busy (two cores, notebooks executing): give a page the
# time it needs rather than fail on Playwright's default 30 s.
PAGE_TIMEOUT_MS = 120_000


def _new_page(browser, **options):
    page = browser.new_page(**options)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    return page


class _Problems:
    """Everything that went wrong while one page loaded."""

    def __init__(self, page, base_url: str) -> None:
        self.items: list[str] = []
        host = urlsplit(base_url).netloc
        page.on("console", lambda m: m.type == "error" and self.items.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.items.append(f"page error: {e}"))
        page.on(
            "requestfailed",
            lambda r: self.items.append(f"request failed: {r.url} ({r.failure})"),
        )
        page.on(
            "response",
            lambda r: r.status >= 400 and self.items.append(f"HTTP {r.status}: {r.url}"),
        )

        def only_local(route) -> None:
            url = route.request.url
            if urlsplit(url).netloc == host or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                self.items.append(f"non-local request (the book must work offline): {url}")
                route.abort()

        page.route("**/*", only_local)


_WAIT_FOR_MATHJAX = layout.WAIT_FOR_MATHJAX

_UNRENDERED_MATH = """() => {
    const math = Array.from(document.querySelectorAll('.math, span.math, div.math'));
    const raw = math.filter(m => !m.querySelector('mjx-container'))
        .map(m => m.textContent.slice(0, 80));
    const clone = document.body.cloneNode(true);
    clone.querySelectorAll('pre, code, script, style, mjx-container, textarea')
        .forEach(e => e.remove());
    const text = clone.innerText || clone.textContent;
    const leftovers = ['$$', '\\\\(', '\\\\)', '\\\\[', '\\\\begin{'].filter(t => text.includes(t));
    const errors = Array.from(document.querySelectorAll('mjx-merror, [data-mjx-error]'))
        .map(e => e.getAttribute('data-mjx-error') || e.textContent.slice(0, 80));
    return {count: math.length, raw: raw, leftovers: leftovers, errors: errors};
}"""

_BROKEN_IMAGES = """() => Array.from(document.images)
    .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))"""


def _redirect(path: str) -> str | None:
    source = (HTML / path).read_text(encoding="utf-8")
    redirect = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', source, re.IGNORECASE)
    return redirect.group(1) if redirect else None


def _screenshot_name(path: str, width: int, scheme: str) -> str:
    return f"{Path(path).stem[:2]}-{width}-{scheme}.png"  # e.g. 04-390-dark.png


def _layout_report(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{len(items)} {what}:\n" + "\n".join(f"    {item}" for item in items[:8])
        for what, items in found.items()
        if items
    )


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_cleanly(browser, base_url: str, path: str) -> None:
    redirect = _redirect(path)
    if redirect:  # index.html only forwards to the first page: check where it points
        assert (HTML / path).parent.joinpath(redirect).is_file()
        return
    page = _new_page(browser, viewport=layout.DESKTOP)
    problems = _Problems(page, base_url)
    page.goto(urljoin(base_url, path), wait_until="load")
    mathjax = page.evaluate(_WAIT_FOR_MATHJAX)
    math = page.evaluate(_UNRENDERED_MATH)
    broken = page.evaluate(_BROKEN_IMAGES)
    found = layout.measure_desktop(page)
    if path in CHAPTERS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / _screenshot_name(path, 1280, "light")))
    page.close()
    assert not problems.items, "\n".join(problems.items)
    assert mathjax != "never loaded", "MathJax is configured but its script never loaded"
    assert not broken, f"images that did not load: {broken}"
    assert not math["raw"], f"{len(math['raw'])} equations not typeset, e.g. {math['raw'][:3]}"
    assert not math["leftovers"], f"raw TeX delimiters in the visible text: {math['leftovers']}"
    assert not math["errors"], f"MathJax could not typeset: {math['errors'][:3]}"
    assert not any(found.values()), f"{path} at 1280 px:\n{_layout_report(found)}"


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone(browser, base_url: str, path: str) -> None:
    """At 390 px (a phone) the page never scrolls sideways; wide content scrolls in its box."""
    if _redirect(path):
        return
    page = _new_page(browser, viewport=layout.PHONE)
    page.goto(urljoin(base_url, path), wait_until="load")
    page.evaluate(_WAIT_FOR_MATHJAX)
    sideways = page.evaluate(layout.PAGE_SCROLLS_SIDEWAYS)
    if path in CHAPTERS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / _screenshot_name(path, 390, "light")))
    page.close()
    assert not sideways, f"{path} at 390 px: {sideways[0]}"


_BACKGROUND_LUMINANCE = """() => {
    const rgb = getComputedStyle(document.body).backgroundColor.match(/\\d+(\\.\\d+)?/g)
        .slice(0, 3).map(Number);
    return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
}"""


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_in_dark_mode(browser, base_url: str, path: str) -> None:
    """A reader whose system is in dark mode gets the dark theme, at both widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for viewport in (layout.DESKTOP, layout.PHONE):
        page = _new_page(browser, viewport=viewport, color_scheme="dark")
        problems = _Problems(page, base_url)
        page.goto(urljoin(base_url, path), wait_until="load")
        page.evaluate(_WAIT_FOR_MATHJAX)
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        luminance = page.evaluate(_BACKGROUND_LUMINANCE)
        out = SCREENSHOTS / _screenshot_name(path, viewport["width"], "dark")
        page.screenshot(path=str(out))
        page.close()
        assert not problems.items, "\n".join(problems.items)
        assert theme == "dark", f"{path}: data-theme is {theme!r} for a dark-mode reader"
        assert luminance < 0.2, f"{path}: background luminance {luminance:.2f} in dark mode"
        assert out.stat().st_size > 10_000


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in {"a", "link"} and a.get("href"):
            self.hrefs.append(a["href"])
        if tag in {"img", "script"} and a.get("src"):
            self.hrefs.append(a["src"])


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves() -> None:
    assert PAGES, "no pages: run `make book` first"
    dead = []
    for rel in PAGES:
        page = HTML / rel
        for href in _parse(page).hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                dead.append(f"{rel}: {href} (no file {target.relative_to(HTML.resolve())})")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in _parse(target).ids:
                    dead.append(f"{rel}: {href} (no anchor #{parts.fragment})")
    assert not dead, f"{len(dead)} dead internal links:\n" + "\n".join(dead[:30])


def test_solution_dropdown_opens(browser, base_url: str) -> None:
    page = _new_page(browser)
    page.goto(urljoin(base_url, CHAPTERS[0]), wait_until="domcontentloaded")
    page.locator(".solution.dropdown .toggle-button, .solution.dropdown button").first.wait_for(
        state="attached", timeout=PAGE_TIMEOUT_MS
    )  # sphinx-togglebutton has folded the solutions
    solution = page.locator(".solution.dropdown").first
    assert solution.count() == 1, "chapter 1 has no solution dropdown"
    body = solution.locator(".admonition-title ~ *").first
    assert not body.is_visible(), "the solution must start folded"
    solution.locator(".admonition-title").first.click()
    body.wait_for(state="visible", timeout=30_000)
    assert body.is_visible()
    page.close()


def test_search_finds_cross_entropy(browser, base_url: str) -> None:
    page = _new_page(browser)
    page.goto(urljoin(base_url, "search.html?q=cross-entropy"), wait_until="load")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(state="attached", timeout=PAGE_TIMEOUT_MS)
    hits = results.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    page.close()
    assert any("chapters/" in h for h in hits), f"search results: {hits}"


def _skip_heavy_assets(route) -> None:
    url = route.request.url
    if "/mathjax/" in url or route.request.resource_type in {"image", "font"}:
        route.abort()
    else:
        route.continue_()


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_offers_its_notebook_for_download(browser, base_url: str, path: str) -> None:
    page = _new_page(browser)
    # Rendering is test_page_renders_cleanly's job: skip typesetting and images here (they are
    # most of a page's CPU time), and read the link as soon as the DOM is parsed.
    page.route("**/*", _skip_heavy_assets)
    page.goto(urljoin(base_url, path), wait_until="domcontentloaded")
    links = page.locator("a[href$='.ipynb']").evaluate_all("els => els.map(e => e.href)")
    assert links, f"{path} has no .ipynb download link"
    response = page.request.get(links[0])
    status, notebook = response.status, response.json()  # read before the page is closed
    page.close()
    assert status == 200
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_screenshot_of_a_chapter(browser, base_url: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _new_page(browser, viewport=layout.DESKTOP)
    page.goto(urljoin(base_url, CHAPTERS[0]), wait_until="load")
    page.evaluate(_WAIT_FOR_MATHJAX)
    out = SCREENSHOTS / "chapter01.png"
    page.screenshot(path=str(out))
    page.close()
    assert out.stat().st_size > 10_000
