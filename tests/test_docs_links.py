"""Docstrings and chapters link each other (issue 10, item 5).

* every equation label a docstring of the package cites (``eq-chNN-...``) is defined in a
  chapter (``$$ ... $$ (eq-chNN-...)``), so the ``:eq:`` links of the API pages resolve;
* every public function of the loss modules, their gradients, the special primitives and the
  heads cites at least one equation label;
* every public loss of :mod:`mlecourse.losses` is linked from a chapter with
  ``{py:func}`mlecourse.losses.<name>``` (or its ``~`` form).

Read from the source files (``ast``), so TensorFlow is never imported here.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from mlecourse import _contract

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mlecourse"
BOOK = ROOT / "book"
LABEL = re.compile(r"\beq-ch\d\d-[A-Za-z0-9-]*[A-Za-z0-9]")
# The modules whose public functions implement an equation of the book.
CITING = ("losses.py", "gradients.py", "special.py", "tfp/losses.py", "tfp/heads.py")
# return types, not formulas: they cite no equation
NO_EQUATION = {
    "check_gradient", "GradientCheck", "DistributionHead", "NLLLoss", "GaussianGrad",
    "LaplaceGrad", "StudentTGrad", "NegativeBinomialGrad", "GammaGrad", "LogNormalGrad",
}  # fmt: skip


def book_sources() -> dict[Path, str]:
    """The text of every chapter and page: markdown cells of notebooks, and .md files."""
    texts = {}
    for path in sorted(BOOK.rglob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[path] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    for path in sorted(BOOK.rglob("*.md")):
        texts[path] = path.read_text(encoding="utf-8")
    return texts


def defined_labels() -> set[str]:
    """Equation labels the book defines: ``$$ ... $$ (label)`` or a math directive's ``:label:``."""
    labels = set()
    for text in book_sources().values():
        labels |= set(re.findall(r"\$\$\s*\((eq-[\w-]+)\)", text))
        labels |= set(re.findall(r":label:\s*(eq-[\w-]+)", text))
    return labels


def public_docstrings(relative: str) -> dict[str, str]:
    """Docstrings of the public top-level functions and classes of one module."""
    tree = ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))
    return {
        node.name: ast.get_docstring(node) or ""
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")
    }


def test_every_cited_label_exists_in_a_chapter():
    labels = defined_labels()
    assert len(labels) > 50, "no equation labels found: has the book moved?"
    cited = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for label in LABEL.findall(path.read_text(encoding="utf-8")):
            cited.setdefault(label, path.relative_to(ROOT).as_posix())
    assert cited, "no docstring cites an equation label"
    missing = {label: where for label, where in cited.items() if label not in labels}
    assert not missing, f"labels cited in the package but defined in no chapter: {missing}"


@pytest.mark.parametrize("relative", CITING)
def test_every_public_function_cites_its_equation(relative):
    docs = public_docstrings(relative)
    assert docs, relative
    uncited = [
        name for name, doc in docs.items() if name not in NO_EQUATION and not LABEL.search(doc)
    ]
    assert not uncited, f"{relative}: docstrings citing no eq-chNN-... label: {uncited}"


def linked_losses() -> set[str]:
    """Losses of mlecourse.losses that some chapter links with {py:func}."""
    pattern = re.compile(r"\{py:func\}`~?mlecourse\.losses\.(\w+)`")
    linked = set()
    for path, text in book_sources().items():
        if "chapters" in path.parts:
            linked |= set(pattern.findall(text))
    return linked


def test_every_public_loss_is_linked_from_a_chapter():
    missing = sorted(set(_contract.LOSS_NAMES) - linked_losses())
    assert not missing, f"losses no chapter links with {{py:func}}: {missing}"


def test_links_point_to_real_losses():
    unknown = linked_losses() - set(_contract.LOSS_NAMES)
    assert not unknown, f"chapters link mlecourse.losses functions that do not exist: {unknown}"
