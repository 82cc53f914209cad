"""Every chapter's reader aids are in place (CONTRIBUTING, "A chapter notebook"):

- at least three self-check questions, each with a collapsed answer;
- a numeric answer (one with a digit) is asserted by the code cell right after it, tagged
  ``remove-cell``, which asserts and prints nothing;
- every exercise has Hint 1 then Hint 2, both collapsed, between the exercise and its solution;
- at least one explorable figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.book_pages import ROOT, load_cells, source

CHAPTERS = sorted((ROOT / "book" / "chapters").glob("*.ipynb"))
SELF_CHECK = re.compile(
    r"::::\{admonition\} Self-check\n:class: tip\n(?P<body>.*?)\n::::(?:\n|$)", re.DOTALL
)
ANSWER = re.compile(r":::\{admonition\} Answer\n:class: dropdown\n(?P<answer>.*?)\n:::", re.DOTALL)
EXERCISE = re.compile(r"\{exercise\}[^\n]*\n:label: (?P<label>[\w-]+)")
HINTS_THEN_SOLUTION = (
    r":::\{{admonition\}} Hint 1\n:class: dropdown\n.+?\n:::\s*\n"
    r":::\{{admonition\}} Hint 2\n:class: dropdown\n.+?\n:::\s*\n"
    r"```\{{solution-start\}} {label}\n"
)


def _numeric(lead: str) -> bool:
    """Whether an answer's bold lead states a number: a digit outside math and code, or a
    decimal number inside math (an exponent such as ``J^{-1}``, or a call such as
    ``C=0.01`` that the answer names, is not a numeric answer)."""
    outside = re.sub(r"\$[^$]*\$|`[^`]*`", "", lead)
    return bool(re.search(r"\d", outside) or re.search(r"\$[^$]*\d\.\d[^$]*\$", lead))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem[:2])
def test_self_checks_hints_and_explorable(path: Path) -> None:
    cells = load_cells(path)
    questions = 0
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = source(cell)
        for m in SELF_CHECK.finditer(text):
            questions += 1
            answer = ANSWER.search(m["body"])
            assert answer, f"{path.name}: a self-check without a collapsed answer:\n{m['body']}"
            bold = re.match(r"\s*\*\*(?P<lead>.*?)\*\*", answer["answer"], re.DOTALL)
            if bold and _numeric(bold["lead"]) and text.rstrip().endswith("::::"):
                after = cells[i + 1] if i + 1 < len(cells) else {}
                tags = after.get("metadata", {}).get("tags", [])
                assert after.get("cell_type") == "code" and "remove-cell" in tags, (
                    f"{path.name}: the numeric answer {bold['lead']!r} has no hidden cell after it"
                )
                assert "assert" in source(after), f"{path.name}: {bold['lead']!r} not asserted"
                assert not after.get("outputs"), f"{path.name}: a hidden check cell prints"
    assert questions >= 3, f"{path.name}: {questions} self-check questions (at least 3)"

    markdown = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    labels = [m["label"] for m in EXERCISE.finditer(markdown)]
    assert labels, f"{path.name} has no exercises"
    for label in labels:
        pattern = re.compile(HINTS_THEN_SOLUTION.format(label=re.escape(label)), re.DOTALL)
        assert pattern.search(markdown), (
            f"{path.name}: {label} lacks Hint 1 and Hint 2 before its solution"
        )

    code = "\n".join(source(c) for c in cells if c["cell_type"] == "code")
    assert "explorable.Explorable(" in code, f"{path.name} has no explorable figure"
