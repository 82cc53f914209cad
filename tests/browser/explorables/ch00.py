"""The demo figure of `tests/browser/fixtures/make_demo_book.py` (not a chapter of the book)."""

from tests.browser.fixtures.make_demo_book import EXPECTED

__all__ = ["EXPECTED"]
