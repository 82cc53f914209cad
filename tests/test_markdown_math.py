"""Inline math must not be broken by a line that Markdown reads as a list item.

Chapter 4 once wrapped ``$... \\log(1`` / ``- q)$`` across two lines. CommonMark lets a bullet
(``-``, ``+``, ``*``) or an ordered item (``1.``) interrupt a paragraph, so the second line
became a list item: the formula was cut in two, and JupyterLab showed raw TeX (the browser test
caught it as ``\\E left as text``). This test finds every Markdown line of every page in
``_toc.yml`` that starts with a list marker while an inline ``$...$`` of its paragraph is open.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.book_pages import load_cells, page_id, source, toc_pages

SINGLE_DOLLAR = re.compile(r"(?<![\\$])\$(?!\$)")
LIST_MARKER = re.compile(r"\s*([-+*]|\d+[.)])\s")


def broken_inline_math(markdown: str) -> list[str]:
    """The lines that start a list item inside an open inline formula (empty: none)."""
    found, open_math, in_display = [], False, False
    for line in markdown.split("\n"):
        if not line.strip():
            open_math = False  # a blank line ends the paragraph, and any inline math with it
            continue
        stripped = line.strip()
        if stripped.startswith("$$"):
            one_line = len(stripped) > 2 and stripped.endswith("$$") and not in_display
            if not one_line:
                in_display = not in_display  # "$$" opens; "$$" or "$$ (label)" closes
            continue
        if in_display:
            continue
        if open_math and LIST_MARKER.match(line):
            found.append(line)
        if len(SINGLE_DOLLAR.findall(line)) % 2:
            open_math = not open_math
    return found


def test_rule_catches_a_formula_cut_by_a_bullet() -> None:
    bad = "the loss $-\\log(1\n- q)$ is minimised"
    good = "the loss\n$-\\log(1 - q)$ is minimised\n\n- a real list item with $q$"
    assert broken_inline_math(bad) == ["- q)$ is minimised"]
    assert broken_inline_math(good) == []
    assert broken_inline_math("$a$ and $b\n+ c$") == ["+ c$"]


@pytest.mark.parametrize("page", toc_pages(), ids=page_id)
def test_no_inline_formula_is_cut_by_a_list_marker(page: Path) -> None:
    broken = [
        f"cell {index}: {line!r}"
        for index, cell in enumerate(load_cells(page))
        if cell["cell_type"] == "markdown"
        for line in broken_inline_math(source(cell))
    ]
    assert not broken, f"{page.name}: a list marker inside $...$ cuts the formula: {broken}"
