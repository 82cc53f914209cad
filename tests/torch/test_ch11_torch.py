"""Chapter 11's list of PyTorch loss classes, re-run with the installed torch.

Chapter 11 says that PyTorch ships no Student-t, negative-binomial, Gamma, log-normal or
quantile loss, and backs it with the list of loss classes of ``torch.nn``. The expression
needs ``dir()`` and a comprehension, so it cannot be a ``TORCH_`` constant
(`book_torch.py` allows only calls on ``torch``, ``nn``, ``F`` and literals). The notebook
therefore records it as

    torch_loss_classes = ("<expression>", [<the names it gives>])

a top-level assignment of a code cell. This file reads that assignment out of the notebook's
JSON with `ast` (as `book_torch.find_constants` does for the constants) and compares the
recorded list with what the expression gives now.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.book_pages import ROOT, load_cells, source
from tests.torch.book_torch import _parseable

torch = pytest.importorskip("torch", reason="install with: make torch")

NOTEBOOK = ROOT / "book" / "chapters" / "11_choosing_the_likelihood.ipynb"
NAME = "torch_loss_classes"
EXPRESSION = '[n for n in dir(torch.nn) if n.endswith("Loss")]'


def recorded(path: Path = NOTEBOOK) -> list[tuple[int, ast.Assign, object]]:
    """Every top-level ``torch_loss_classes = ...`` of the notebook: (cell, node, literal)."""
    found = []
    for index, cell in enumerate(load_cells(path)):
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(_parseable(source(cell)))
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == NAME for t in node.targets
            ):
                try:
                    literal = ast.literal_eval(node.value)
                except ValueError:
                    literal = None
                found.append((index, node, literal))
    return found


def test_the_list_is_recorded_once_as_expression_and_names():
    found = recorded()
    assert len(found) == 1, f"{NAME} is assigned {len(found)} times at top level"
    _, node, literal = found[0]
    assert len(node.targets) == 1
    assert isinstance(literal, tuple) and len(literal) == 2, (
        f'{NAME} must be the literal ("<expression>", [<names>]); got {literal!r}'
    )
    expression, names = literal
    assert expression == EXPRESSION
    assert isinstance(names, list) and names and all(isinstance(n, str) for n in names)


def test_the_prose_quotes_the_recorded_expression():
    prose = "\n".join(source(c) for c in load_cells(NOTEBOOK) if c["cell_type"] == "markdown")
    assert f"`{EXPRESSION}`" in prose


def test_the_recorded_list_is_what_torch_gives():
    (_, _, (expression, names)) = recorded()[0]
    live = eval(expression, {"torch": torch})  # the recorded expression, checked above
    assert live == names, (
        f"torch {torch.__version__}: only live {sorted(set(live) - set(names))}, "
        f"only recorded {sorted(set(names) - set(live))}"
    )
