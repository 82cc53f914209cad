"""Every page for every reader (issue 19, section 4): axe-core on the built book.

axe-core (bundled by ``axe-playwright-python``) runs in headless Chromium on every page of
``_build/html``, in the light theme and then in the dark one, with the WCAG 2.0 and 2.1 rules of
levels A and AA (tags ``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``). A page passes with zero
violations; a failure lists each one as rule, target and page, with axe's own message (for a
contrast: the two colours and their ratio).

axe's colour-contrast rule costs several milliseconds a text element, and a chapter has about
10,000 of them (mostly the tokens of its code cells), so it runs on one element of each distinct
look: same colour, size, weight, opacity, text shadow and stack of backgrounds (the ancestors'
colours and images up to the first opaque one). For text drawn over its own ancestors, as all
HTML text of this book is, that is everything its contrast depends on; text laid over an image or
another element's box would need the rule on every element. Measured on chapter 4 on a busy
two-core machine: 24 s for every element, 5 s for one of each of its 59 looks, the same
failing looks found (each is reported once, with its first element). Every other rule
runs on the whole page.

Every HTML page is a reader page and is checked: the chapters and appendices, the landing page,
and the generated ones a reader reaches from the page header or a link (search, general index,
module index, proof index). Only ``index.html`` is skipped: it holds no content, just a redirect
to the landing page, which is checked itself.

On the same load, at 1280 px: no entry of the page-contents column (the right-hand sidebar)
is wider than the column, so long API names such as ``sparse_categorical_cross_entropy()`` wrap
instead of being cut at the window's edge.

Run after `make book` (``make test`` does both).
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import layout
from tests.browser.test_book_in_browser import (  # noqa: F401 (base_url is a fixture)
    PAGE_TIMEOUT_MS,
    PAGES,
    _redirect,
    base_url,
)

pytestmark = pytest.mark.browser

RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {  # every rule of these tags but the colour contrast, on the whole page
    "runOnly": {"type": "tag", "values": RULES},
    "rules": {"color-contrast": {"enabled": False}},
    "resultTypes": ["violations"],
}
CONTRAST_OPTIONS = {
    "runOnly": {"type": "rule", "values": ["color-contrast"]},
    "resultTypes": ["violations"],
}
CONTRAST_CONTEXT = {"include": [["[data-axe-sample]"]]}

# Marks one element of each distinct look (see the module docstring) with data-axe-sample, and
# returns how many elements hold text and how many looks there are.
_SAMPLE_EACH_LOOK = """() => {
    const clear = 'rgba(0, 0, 0, 0)';
    const look = e => {
        const s = getComputedStyle(e);
        const parts = [s.color, s.fontSize, s.fontWeight, s.opacity, s.textShadow];
        for (let a = e; a; a = a.parentElement) {
            const t = getComputedStyle(a);
            if (a !== e && t.opacity !== '1') parts.push('opacity ' + t.opacity);
            if (t.backgroundImage !== 'none') parts.push(t.backgroundImage);
            if (t.backgroundColor !== clear) {
                parts.push(t.backgroundColor);
                if (!t.backgroundColor.startsWith('rgba')) break;  // opaque: nothing shows through
            }
        }
        return parts.join(' | ');
    };
    const hasText = e => Array.from(e.childNodes)
        .some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    for (const e of document.querySelectorAll('[data-axe-sample]'))
        e.removeAttribute('data-axe-sample');
    const looks = new Set();
    let texts = 0;
    for (const e of document.body.querySelectorAll('*')) {
        if (!hasText(e)) continue;
        texts++;
        const k = look(e);
        if (!looks.has(k)) { looks.add(k); e.setAttribute('data-axe-sample', ''); }
    }
    return [texts, looks.size];
}"""
READER_PAGES = [p for p in PAGES if not _redirect(p)]

# The theme switch is a CSS transition: axe must read the colours once it has finished, or it
# sees a mixture of the two themes.
_DARK_THEME = """async () => {
    document.documentElement.dataset.theme = 'dark';
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
    return document.documentElement.dataset.theme;
}"""

# Each link of the page-contents column inside its own box, and inside the column's.
_CONTENTS_OVERFLOW = """() => {
    const column = document.querySelector('.bd-sidebar-secondary');
    if (!column || column.offsetParent === null) return [];
    const edge = column.getBoundingClientRect().left + column.clientLeft + column.clientWidth;
    const found = [];
    if (column.scrollWidth > column.clientWidth)
        found.push(`the column scrolls: scrollWidth ${column.scrollWidth} > ${column.clientWidth}`);
    for (const a of column.querySelectorAll('.toc-entry a')) {
        const right = a.getBoundingClientRect().right;
        if (a.scrollWidth > a.clientWidth || right > edge + 0.5)
            found.push(`${a.textContent.trim()}: scrollWidth ${a.scrollWidth}, ` +
                       `clientWidth ${a.clientWidth}, right edge ${right.toFixed(0)} > ` +
                       `column ${edge.toFixed(0)}`);
    }
    return found;
}"""


def _violations(page, axe: Axe, path: str, theme: str) -> list[str]:
    """axe's violations on the page as it is now: every rule, then the contrast of each look."""
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    texts, looks = page.evaluate(_SAMPLE_EACH_LOOK)
    assert 0 < looks <= texts, (path, theme, texts, looks)
    contrast = axe.run(page, context=CONTRAST_CONTEXT, options=CONTRAST_OPTIONS).response
    violations += contrast["violations"]
    found = []
    for rule in violations:
        for node in rule["nodes"]:
            checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
            why = "; ".join(c["message"] for c in checks if c.get("message")) or rule["help"]
            found.append(
                f"{rule['id']} ({rule['impact']}) on {path} [{theme}]: "
                f"{' '.join(map(str, node['target']))}\n    {why}"
            )
    return found


def test_every_reader_page_is_checked() -> None:
    assert READER_PAGES, "no pages: run `make book` first"
    # the landing page is checked, the redirect to it is not (also in a demo book, BOOK_HTML=...)
    assert any(p.endswith("intro.html") for p in READER_PAGES) and "index.html" not in READER_PAGES


@pytest.mark.parametrize("path", READER_PAGES)
def test_page_passes_axe_in_both_themes(browser, base_url: str, path: str) -> None:  # noqa: F811
    page = browser.new_page(viewport=layout.DESKTOP, color_scheme="light")
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(urljoin(base_url, path), wait_until="load")
    page.evaluate(layout.WAIT_FOR_MATHJAX)  # axe must see the typeset equations
    axe = Axe()
    assert page.evaluate("() => document.documentElement.dataset.theme") == "light"
    contents = page.evaluate(_CONTENTS_OVERFLOW)
    found = _violations(page, axe, path, "light")
    assert page.evaluate(_DARK_THEME) == "dark"
    found += _violations(page, axe, path, "dark")
    page.close()
    assert not found, f"{len(found)} WCAG 2.1 A/AA violations (axe-core):\n" + "\n".join(found)
    assert not contents, (
        f"{path} at 1280 px: page-contents entries wider than their column:\n"
        + "\n".join(contents[:10])
    )
