"""What the reader sees, decided in one place (issue 9, section 4).

1. **Stylesheet.** ``book/_static/mlecourse.css``: code that fits its column at
   1280 px, inline code that wraps, wide equations and tables that scroll inside
   their own box on a phone.
2. **Solutions as clean code.** The chapters show each exercise solution with
   ``literalinclude :pyobject:`` from ``mlecourse/solutions/chNN.py``, so the code
   lives once. Its docstrings are written for the API reference (reST ``.. math::``,
   Google ``Args:``); in a solution dropdown they read as noise. Every
   ``literalinclude`` of a file under ``mlecourse/solutions/`` shows the code without
   its docstrings (the API reference keeps them).
3. **One citation style.** In-text citations are author-year
   (``bibtex_reference_style: author_year``: "Bishop, 2006"). The bibliography's
   labels read the same through the pybtex style ``author_year_labels`` registered
   here (pybtex's default labels read "Bis06").
4. **API pages list every function** in the page contents: the theme shows headings
   one level deep, and the functions sit one level below the module headings. A long
   name (``sparse_categorical_cross_entropy()``) wraps inside that column: the
   stylesheet lets its code wrap, and a ``<wbr>`` after each ``_`` and ``.`` makes the
   line break between words of the name rather than inside one.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from pybtex.database import Entry, Person
from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude

STATIC = Path(__file__).resolve().parents[1] / "_static"
SOLUTIONS = ("mlecourse/solutions/",)
API_PAGES = "book/appendix/api_"


# -- 2. solutions without docstrings ------------------------------------------------


def strip_docstrings(code: str) -> str:
    """``code`` without the docstrings of its functions and classes (whole lines).

    A docstring followed by a blank line takes the blank line with it. Code that does
    not parse (a fragment) is returned unchanged.
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    lines = code.splitlines(keepends=True)
    drop: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        first = node.body[0] if node.body else None
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
            and len(node.body) > 1  # a body that is only a docstring stays valid Python
        ):
            start, end = first.lineno - 1, (first.end_lineno or first.lineno) - 1
            drop.update(range(start, end + 1))
            if end + 1 < len(lines) and not lines[end + 1].strip():
                drop.add(end + 1)
    return "".join(line for i, line in enumerate(lines) if i not in drop)


class SolutionLiteralInclude(LiteralInclude):
    """``literalinclude`` that drops the docstrings of the exercise solutions."""

    def run(self) -> list[nodes.Node]:
        """Include as Sphinx does; drop the docstrings if the file is a solution."""
        result = super().run()
        for top in result:
            for block in top.findall(nodes.literal_block):
                source = str(block.get("source", "")).replace("\\", "/")
                if not any(part in source for part in SOLUTIONS):
                    continue
                clean = strip_docstrings(block.astext())
                block.rawsource = clean
                block.children = [nodes.Text(clean)]
        return result


# -- 3. author-year labels in the bibliography --------------------------------------


def _last_names(person: Person) -> str:
    return " ".join(person.last_names).replace("{", "").replace("}", "")


class AuthorYearLabels(BaseLabelStyle):
    """Labels as the text cites them: "Bishop, 2006", "Goodfellow et al., 2016"."""

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        """One label per entry, in order; a repeated label gets a letter: 2006a."""
        labels = [self._label(entry) for entry in sorted_entries]
        repeated = Counter(labels)
        seen: Counter[str] = Counter()
        for label in labels:
            if repeated[label] > 1:  # two works of one author in one year: 2006a, 2006b
                seen[label] += 1
                label = f"{label}{'abcdefghijklmnopqrstuvwxyz'[seen[label] - 1]}"
            yield label

    @staticmethod
    def _label(entry: Entry) -> str:
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        year = entry.fields.get("year", "n.d.")
        if not persons:
            return f"{entry.fields.get('title', entry.key)[:20]}, {year}"
        if len(persons) == 1:
            names = _last_names(persons[0])
        elif len(persons) == 2:
            names = f"{_last_names(persons[0])} and {_last_names(persons[1])}"
        else:
            names = f"{_last_names(persons[0])} et al."
        return f"{names}, {year}"


class AuthorYearStyle(UnsrtStyle):
    """pybtex's unsrt entries, labelled and sorted by author and year."""

    default_label_style = AuthorYearLabels
    default_sorting_style = "author_year_title"


# -- 4. the API pages' table of contents --------------------------------------------


def _deeper_toc_on_api_pages(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if pagename.startswith(API_PAGES):
        # page title (1) > module heading (2) > function (3): show all three levels
        context["theme_show_toc_level"] = 3
    if context.get("toc"):  # the theme renders the page contents from this HTML later
        context["toc"] = _CODE_IN_TOC.sub(_break_after_separators, context["toc"])


_CODE_IN_TOC = re.compile(r'(<span class="pre">)([^<]*)(</span>)')


def _break_after_separators(match: re.Match[str]) -> str:
    """``a_b.c`` -> ``a_<wbr>b.<wbr>c``: a line may break after each separator."""
    name = re.sub(r"([_.])(?=.)", r"\1<wbr>", match.group(2))
    return f"{match.group(1)}{name}{match.group(3)}"


# -- setup --------------------------------------------------------------------------


def _add_static_path(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive, the citation style, the stylesheet and the page hook."""
    register_plugin("pybtex.style.formatting", "author_year_labels", AuthorYearStyle)
    app.add_directive("literalinclude", SolutionLiteralInclude, override=True)
    app.connect("builder-inited", _add_static_path)
    app.add_css_file("mlecourse.css")
    app.connect("html-page-context", _deeper_toc_on_api_pages, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
