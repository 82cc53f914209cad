"""The HTML book links its PDF when `make pdf` built it (book/_ext/pdf_link.py).

`make test` builds the PDF before the HTML book, so under CI the site carries `mlecourse.pdf`,
the landing page links it, and every page's download menu offers it. Without the PDF (a plain
`make book`) nothing may link it: a link to a missing file would be a broken link.
"""

from __future__ import annotations

import os
from urllib.parse import urljoin

import pytest

from tests.browser.test_book_in_browser import HTML, _new_page, base_url  # noqa: F401

pytestmark = pytest.mark.browser

PDF = HTML / "mlecourse.pdf"


def test_the_pdf_is_linked_exactly_when_it_is_built(browser, base_url: str) -> None:  # noqa: F811
    if os.environ.get("CI") == "true":
        assert PDF.is_file(), "under CI, make test builds the PDF before the book"
    page = _new_page(browser)
    page.goto(urljoin(base_url, "index.html"))
    page.wait_for_url("**/book/intro.html")
    landing = page.locator(".mlc-pdf-link a[href$='mlecourse.pdf']")
    menu = page.locator(".dropdown-download-buttons a[href$='mlecourse.pdf']")
    if PDF.is_file():
        assert landing.count() == 1, "the landing page does not link the PDF"
        assert menu.count() == 1, "the download menu does not offer the PDF"
        response = page.request.get(urljoin(page.url, landing.get_attribute("href")))
        assert response.ok and response.body()[:5] == b"%PDF-"
    else:
        assert landing.count() == 0 and menu.count() == 0, "a link to a PDF that was not built"
    page.close()
