"""A failing self-check report, as the built book shows it (chapter 1 demonstrates one).

The report is the HTML of :meth:`mlecourse.check.Report._repr_html_`, stored in the executed
notebook and rendered by the book. In Chromium, at 1280 px and 390 px, light and dark:
it says FAILED with the counts by group, shows the first failing case (input, expected, got)
and the hint; the hint's link resolves to an element of the chapter it names; nothing in the
report is wider than the page at 390 px. (Its contrast, in both themes, is axe's to check:
`test_accessibility.py` runs on this page too.)
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.test_book_in_browser import HTML, _new_page, base_url  # noqa: F401

pytestmark = pytest.mark.browser

PAGE = "book/chapters/01_probability_and_likelihood.html"


def _report_facts(page) -> dict:
    return page.evaluate(
        """() => {
        const r = document.querySelector('.mlc-check-failed');
        if (!r) return null;
        const link = r.querySelector('.mlc-check-hint a');
        const wide = [r, ...r.querySelectorAll('pre, table')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.tagName);
        const box = r.getBoundingClientRect();
        return {
            text: r.innerText,
            href: link ? link.getAttribute('href') : null,
            wide: wide,
            right: box.right,
            viewport: document.documentElement.clientWidth,
            pageWide: document.documentElement.scrollWidth > window.innerWidth + 1,
        };
    }"""
    )


def test_the_failing_report_renders(browser, base_url: str) -> None:  # noqa: F811
    assert (HTML / PAGE).is_file(), f"{PAGE} not built: run `make book`"
    for width, theme in ((1280, "light"), (390, "light"), (390, "dark")):
        page = _new_page(browser, viewport={"width": width, "height": 900})
        page.goto(urljoin(base_url, PAGE))
        if theme == "dark":
            page.evaluate("document.documentElement.dataset.theme = 'dark'")
        facts = _report_facts(page)
        assert facts is not None, f"{PAGE} shows no failing check report"
        text = facts["text"]
        assert "FAILED" in text and "cases" in text, text
        assert "First failing case" in text and "expected" in text and "got" in text, text
        assert "Hint:" in text, text
        assert not facts["wide"], f"at {width} px, parts of the report overflow: {facts['wide']}"
        assert facts["right"] <= facts["viewport"] + 1, f"the report sticks out at {width} px"
        assert not facts["pageWide"], f"the page scrolls sideways at {width} px"
        href = facts["href"]
        page.close()
    assert href, "the hint has no link to the book"
    target = urljoin(urljoin(base_url, PAGE), href)
    anchor = urlsplit(target).fragment
    page = _new_page(browser)
    page.goto(target)
    assert page.locator(f"[id='{anchor}']").count() == 1, f"the hint links {href}: no such anchor"
    page.close()
