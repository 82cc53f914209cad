"""The whole book as one PDF (`make pdf`): a book a reader could print.

Reads `_build/latex/mlecourse.pdf` with poppler's `pdftotext` and LaTeX's log beside it.
Outside CI a missing PDF (or a machine without poppler) skips these tests; under CI
(`CI=true`, which `make pdf-check` also sets) it fails them: `make test` builds the PDF first.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tomllib
import yaml

from mlecourse import __version__
from tests.book_pages import ROOT, load_cells, source, toc_pages

LATEX = ROOT / "_build" / "latex"
PDF = LATEX / "mlecourse.pdf"
LOG = LATEX / "mlecourse.log"

# 497 pages on 2026-12-06 (11 chapters, the appendix and the API reference). Fewer than 300
# means chapters went missing; more than 800, that something (a table, an output) runs wild.
PAGES = (300, 800)

# The text block (`_config.yml`: A4, 2.2 cm left and right). A word whose box ends further
# right than this, or starts further left, is cut at the margin.
A4_WIDTH = 595.28
MARGIN = 2.2 / 2.54 * 72
SLACK = 1.0  # points: TeX's rounding, a glyph's side bearing

# Text that only an unconverted piece of MyST leaves in the output.
# (`{doc}` and `{py:func}` are left out: the API reference names them in a docstring.)
RAW_MYST = ("{prf:", "{eq}", "{ref}", "{numref}", "{cite", "```", ":::", "$$")

# Results sphinx-proof numbers within their chapter (kind as the PDF prints it).
RESULTS = ("theorem", "lemma", "proposition", "corollary", "definition")

IN_CI = os.environ.get("CI") == "true"


def require_pdf() -> None:
    """Skip without the PDF or poppler outside CI; fail under CI."""
    missing = [str(PDF)] if not PDF.is_file() else []
    missing += [tool for tool in ("pdftotext", "pdfinfo") if shutil.which(tool) is None]
    if missing:
        message = f"make pdf first (missing: {', '.join(missing)})"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@functools.cache
def pdf_text() -> str:
    """The PDF's text in reading order, pages separated by form feeds."""
    require_pdf()
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(PDF), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def compact(text: str) -> str:
    """Lower-case letters and digits only: robust to line breaks, hyphenation and quotes."""
    return re.sub(r"[\W_]+", "", text.lower())


def markdown(path: Path) -> str:
    """All the markdown of a page, cells joined."""
    return "\n".join(source(c) for c in load_cells(path) if c["cell_type"] == "markdown")


def title(path: Path) -> str:
    """A page's title: its first level-1 heading, without Markdown markup."""
    match = re.search(r"^# (.+)$", markdown(path), re.M)
    assert match, f"{path.name} has no '# ' title"
    return re.sub(r"[`*]", "", match.group(1)).strip()


def chapters() -> list[tuple[int, Path]]:
    """(number, page) of every chapter in a numbered part of `_toc.yml`, numbered as the
    HTML book numbers them."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = {p.relative_to(ROOT).with_suffix("").as_posix(): p for p in toc_pages()}
    numbered = [
        pages[chapter["file"]]
        for part in toc["parts"]
        if part.get("numbered")
        for chapter in part["chapters"]
    ]
    return list(enumerate(numbered, start=1))


def results(path: Path, kind: str) -> int:
    """How many ``{prf:<kind>}`` directives a page has."""
    return len(re.findall(rf"^\s*(?:`{{3,}}|:{{3,}})\{{prf:{kind}\}}", markdown(path), re.M))


def test_pdf_pages_in_range() -> None:
    require_pdf()
    info = subprocess.run(["pdfinfo", str(PDF)], check=True, capture_output=True, text=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    assert PAGES[0] <= pages <= PAGES[1], f"{pages} pages, expected {PAGES[0]}-{PAGES[1]}"


def test_title_page_shows_the_version() -> None:
    first_page = pdf_text().split("\f")[0]
    assert f"Version {__version__}" in first_page, first_page


def test_every_page_title_is_in_the_pdf() -> None:
    text = compact(pdf_text())
    missing = [title(p) for p in toc_pages() if compact(title(p)) not in text]
    assert not missing, f"page titles not found in the PDF: {missing}"


def test_chapters_numbered_as_in_the_html_book() -> None:
    # The contents (the first pages, laid out) list "<n>  <title>" for chapter n of the
    # numbered parts: LaTeX's chapter numbers are the HTML book's, Notation and the appendix
    # unnumbered.
    contents = subprocess.run(
        ["pdftotext", "-layout", "-l", "12", "-enc", "UTF-8", str(PDF), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for number, page in chapters():
        line = rf"^\s*{number}\s+{re.escape(title(page))}\s+\d+\s*$"
        assert re.search(line, contents, re.M), f"contents: no '{number} {title(page)}'"
    for page in toc_pages():
        if page not in dict(chapters()).values() and page.stem != "intro":
            line = rf"^\s*{re.escape(title(page))}\s+\d+\s*$"
            assert re.search(line, contents, re.M), f"contents: '{title(page)}' numbered"


@pytest.mark.parametrize("kind", RESULTS)
def test_every_result_numbered(kind: str) -> None:
    # The k-th {prf:<kind>} of chapter n heads its box as "<Kind> n.k (title)", or "<Kind> n.k"
    # alone on its line: the number the HTML book shows, for every directive.
    text = pdf_text()
    for number, page in chapters():
        expected = {f"{number}.{k}" for k in range(1, results(page, kind) + 1)}
        heading = rf"^{kind.title()} ({number}\.\d+)(?: \(|$)"
        found = set(re.findall(heading, text, re.M))
        assert found == expected, f"chapter {number} ({page.name}), {kind}: {sorted(found)}"


def figures(path: Path) -> int:
    """How many numbered figures a page has: cells with a MyST-NB figure caption, and
    ``{figure}`` directives."""
    cells = load_cells(path)
    captioned = sum(
        1 for c in cells if c["metadata"].get("mystnb", {}).get("figure", {}).get("caption")
    )
    return captioned + len(re.findall(r"^\s*(?:`{3,}|:{3,})\{figure\}", markdown(path), re.M))


def test_every_figure_numbered() -> None:
    # Chapter n's figures are "Fig. n.1", "Fig. n.2", ... under their images, as in the HTML
    # book (LaTeX restarts the count at each chapter).
    text = pdf_text()
    for number, page in chapters():
        expected = {f"{number}.{k}" for k in range(1, figures(page) + 1)}
        found = set(re.findall(rf"^Fig\. ({number}\.\d+):", text, re.M))
        assert found == expected, f"chapter {number} ({page.name}): figures {sorted(found)}"


def test_every_proof_ends_with_a_square() -> None:
    # tools/pdf_book.py sets a proof as text ended by a square (not an untitled box): one
    # square per {prf:proof} of the book.
    proofs = sum(
        len(re.findall(r"^\s*(?:`{3,}|:{3,})\{prf:proof\}", markdown(p), re.M)) for p in toc_pages()
    )
    assert proofs >= 20, proofs
    assert pdf_text().count("\u25a1") == proofs


def test_results_counted() -> None:
    # The parametrised test above must have something to find.
    assert sum(results(p, "theorem") for _, p in chapters()) >= 20
    assert sum(figures(p) for _, p in chapters()) >= 33  # at least 3 a chapter


def test_bibliography() -> None:
    text = pdf_text()
    assert "Bibliography" in text
    # Every entry of references.bib (`:all:`) with its title in the bibliography's pages.
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    titles = re.findall(r"^\s*title\s*=\s*[{\"](.+?)[}\"],?\s*$", bib, re.M | re.I)
    assert len(titles) >= 10, titles
    back = compact(text[text.rindex("Bibliography") - 20_000 :])
    missing = [t for t in titles if "\\" not in t and compact(t) not in back]
    assert not missing, f"bibliography entries not in the PDF: {missing}"


def test_no_raw_myst() -> None:
    text = pdf_text()
    found = {marker: text.count(marker) for marker in RAW_MYST if marker in text}
    assert not found, f"raw MyST in the PDF: {found}"


def test_latex_resolved_every_reference_and_character() -> None:
    require_pdf()
    log = LOG.read_text(encoding="utf-8", errors="replace")
    problems = re.findall(
        r"^(?:LaTeX Warning: (?:Hyper reference|Reference|Citation) .*|Missing character: .*)$",
        log,
        re.M,
    )
    assert not problems, "\n".join(problems[:20])


@functools.cache
def words_outside_margins() -> list[str]:
    """Every word whose box crosses the text block's left or right edge, with its page."""
    require_pdf()
    html = subprocess.run(
        ["pdftotext", "-bbox", str(PDF), "-"], check=True, capture_output=True, text=True
    ).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", html).replace('xmlns="', 'x="'))
    outside = []
    for number, page in enumerate(root.iter("page"), start=1):
        width = float(page.get("width"))
        assert abs(width - A4_WIDTH) < 1, f"page {number} is {width} pt wide, not A4"
        for word in page.iter("word"):
            x_min, x_max = float(word.get("xMin")), float(word.get("xMax"))
            if x_min < MARGIN - SLACK or x_max > width - MARGIN + SLACK:
                outside.append(f"page {number}: {word.text!r} x {x_min:.1f}-{x_max:.1f}")
    return outside


def test_no_line_cut_at_the_margin() -> None:
    # Code is set so that 88 characters fit (`_config.yml`), and longer lines wrap: no word of
    # the text, code or output, crosses the edge of the text block.
    outside = words_outside_margins()
    assert not outside, f"{len(outside)} words cross the margin:\n" + "\n".join(outside[:30])


# -- the version and the macros: no PDF needed -------------------------------------------


def test_one_version_everywhere() -> None:
    # pyproject.toml, mlecourse.__version__, the landing page, CITATION.cff and the
    # changelog's newest entry name the same version (the PDF's title page: above).
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    landing = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    newest = re.search(r"^## (\S+)", changelog, re.M)
    assert pyproject["project"]["version"] == __version__
    assert str(citation["version"]) == __version__
    assert newest and newest.group(1) == __version__, newest
    assert len(re.findall(rf"^\*Version {re.escape(__version__)}\b", landing, re.M)) == 1


def test_latex_macros_are_the_mathjax_macros() -> None:
    # tools/pdf_book.py defines in LaTeX exactly the macros _config.yml gives MathJax.
    sys.path.insert(0, str(ROOT / "tools"))
    from pdf_book import latex_macros

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    macros = config["sphinx"]["config"]["mathjax3_config"]["tex"]["macros"]
    assert {"NLL", "KL", "E", "argmax", "argmin"} <= set(macros)
    lines = latex_macros(macros).splitlines()
    assert len(lines) == len(macros)
    for line, (name, body) in zip(lines, macros.items(), strict=True):
        assert line == f"\\providecommand{{\\{name}}}{{}}\\renewcommand{{\\{name}}}{{{body}}}"
    assert latex_macros({"pr": ["\\Pr(#1)", 1]}) == (
        "\\providecommand{\\pr}{}\\renewcommand{\\pr}[1]{\\Pr(#1)}"
    )
