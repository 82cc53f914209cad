"""Link the whole book as one PDF from the HTML book, when `make pdf` has built it.

`make pdf` writes `_build/latex/mlecourse.pdf`. When that file exists at the time of an
HTML build, this extension

* copies it into the site as `mlecourse.pdf` (so the site carries it and works offline);
* adds "the whole book as one PDF" to the landing page, after its version line;
* adds a "book .pdf" entry to every page's download menu (the theme's menu otherwise
  offers only the page's source and the browser's print dialog).

Without the PDF nothing is added, so `make book` alone never links a missing file.
"""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

NAME = "mlecourse.pdf"


def _pdf(app: Sphinx) -> Path | None:
    path = Path(app.confdir) / "_build" / "latex" / NAME
    return path if app.builder.format == "html" and path.is_file() else None


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def _landing_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    pdf = _pdf(app)
    if pdf is None or docname != app.config.root_doc:
        return
    paragraph = nodes.paragraph(classes=["mlc-pdf-link"])
    paragraph += nodes.Text("Take it along: ")
    # relative to the page (book/intro.html); the PDF sits at the site's root
    href = posixpath.relpath(NAME, posixpath.dirname(docname))
    link = nodes.reference("", "", refuri=href)
    link += nodes.strong(text="the whole book as one PDF")
    paragraph += link
    paragraph += nodes.Text(f" ({_size(pdf)}), built from the same sources by ")
    paragraph += nodes.literal(text="make pdf")
    paragraph += nodes.Text(".")
    # after the version line, the first paragraph of the page
    section = next(iter(doctree.findall(nodes.section)), doctree)
    first = next(iter(section.findall(nodes.paragraph)), None)
    if first is None:
        section += paragraph
    else:
        first.parent.insert(first.parent.index(first) + 1, paragraph)


def _download_entry(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: object,
) -> None:
    if _pdf(app) is None:
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"](NAME, 1),
                    "text": "book .pdf",
                    "tooltip": "The whole book as one PDF",
                    "icon": "fas fa-book",
                    "label": "download-book-pdf-button",
                }
            )


def _copy(app: Sphinx, exception: Exception | None) -> None:
    pdf = _pdf(app)
    if exception is None and pdf is not None:
        shutil.copyfile(pdf, Path(app.outdir) / NAME)


def _landing_outdated(app: Sphinx, env: object, *changes: object) -> list[str]:
    # rewrite the landing page when the PDF exists: an incremental build links it too
    return [app.config.root_doc] if _pdf(app) is not None else []


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the three hooks (landing page, download menu, copy into the site)."""
    app.connect("env-get-outdated", _landing_outdated)
    app.connect("doctree-resolved", _landing_link)
    # after sphinx-book-theme builds the header buttons (priority 501)
    app.connect("html-page-context", _download_entry, priority=502)
    app.connect("build-finished", _copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
