"""Explorable figures in the built book (issue 19, section 1).

The figures are made by ``mlecourse/explorable.py``. Each figure's notebook
output carries its own copy of the runtime script (about 2 KB), so that
JupyterLab runs the slider after Run All. In the book:

1. **The runtime is served once**: ``mlecourse/_static/explorable.js`` (package
   data) is copied to ``_static/explorable.js`` and loaded by every page
   (``app.add_js_file``), and the inline copies are removed from the pages' HTML
   (``doctree-resolved``, HTML builders only, with ``explorable.book_html``, which
   also puts the SVG inline in place of the image JupyterLab shows before it
   trusts an output). The runtime is idempotent: it wires each figure once.
2. **The stylesheet** ``book/_static/explorable.css``: the figure scales to the
   column, the controls wrap on a phone and read in both themes, and in dark mode
   the SVG gets the filter the theme gives every image.

The caption, the figure number and the ``{numref}`` target come from MyST-NB: it
wraps the output of a cell with ``mystnb.figure`` metadata in a numbered
``<figure>``, whatever the chosen MIME type (``text/html`` here, ``image/png``
for LaTeX).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from mlecourse import explorable
from sphinx.application import Sphinx

RUNTIME_DIR = Path(explorable.__file__).resolve().parent / "_static"
STATIC = Path(__file__).resolve().parents[1] / "_static"


def _add_static_paths(app: Sphinx) -> None:
    for path in (str(RUNTIME_DIR), str(STATIC)):
        if path not in app.config.html_static_path:
            app.config.html_static_path.append(path)


def _as_book_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each explorable figure as a page carries it (``explorable.book_html``)."""
    if app.builder.format != "html":
        return
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        page = explorable.book_html(text)
        if page != text:
            new = nodes.raw(page, page, format=raw.get("format", "html"))
            new["classes"] = list(raw.get("classes", []))
            raw.replace_self(new)


def setup(app: Sphinx) -> dict[str, Any]:
    """Serve the runtime and the stylesheet; strip the inline runtimes from pages."""
    app.connect("builder-inited", _add_static_paths)
    app.add_js_file("explorable.js")
    app.add_css_file("explorable.css")
    app.connect("doctree-resolved", _as_book_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
