"""Two fixes for upstream defects that show up as errors in a reader's browser console.

1. jupyter-book 1.0.4 + sphinx-thebe 0.3.1 inject the same inline ``<script>`` that
   declares ``const THEBE_JS_URL`` twice per page, so every page throws "Identifier
   'THEBE_JS_URL' has already been declared". We drop exact duplicate scripts.
2. pydata-sphinx-theme reads the colour mode from ``localStorage`` and logs "Got invalid
   theme mode" on a reader's first visit (empty storage). A tiny script run before the
   theme's own normalises an empty mode to ``auto``.
3. docutils 0.21 gives each bibliography entry ``role="doc-biblioentry"``, which
   DPUB-ARIA 1.1 deprecates ("use listitem"); axe-core reports it (aria-deprecated-role)
   and, as a consequence, the entries' ``role="list"`` parent as a list without list
   items (aria-required-children). The entries become ``role="listitem"``.

The first two are found by ``tests/browser/test_book_in_browser.py`` (no console
errors), the third by ``tests/browser/test_accessibility.py``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

_THEME_MODE_FIX = (
    "if (!document.documentElement.dataset.mode) {"
    " document.documentElement.dataset.mode = localStorage.getItem('mode') || 'auto'; }"
)


def _dedupe_scripts(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in scripts:
        # The two copies differ only in filename None vs '' (both: an inline script).
        attributes = getattr(script, "attributes", {})
        key = (
            getattr(script, "filename", None) or "",
            repr(sorted(attributes.items())),
        )
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    scripts[:] = unique


_DEPRECATED_BIBLIOENTRY = ' role="doc-biblioentry"'


def _bibliography_entries_as_list_items(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    body = context.get("body")
    if body and _DEPRECATED_BIBLIOENTRY in body:
        context["body"] = body.replace(_DEPRECATED_BIBLIOENTRY, ' role="listitem"')


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect the script de-duplication and the bibliography fix; add the mode fix."""
    app.connect(
        "html-page-context", _dedupe_scripts, priority=100
    )  # early: a theme handler returns first
    app.connect("html-page-context", _bibliography_entries_as_list_items, priority=100)
    app.add_js_file(None, body=_THEME_MODE_FIX, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
