"""The contract's shared docstring text (``mlecourse._docs``) is filled into every loss.

The placeholders (``{{sample_weight}}``, ``{{reduction}}``, ``{{returns}}``, and the
``Raises`` entries ``{{type_error}}``, ``{{value_error}}``, ``{{raises}}``) are replaced at
import; a placeholder left over, or a fragment with an unknown name, would show on the API
pages. The TFP twin is filled by the same function (its import is tested under tests/tfp).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mlecourse import _contract, _docs, gradients, losses

ROOT = Path(__file__).resolve().parents[1] / "mlecourse"


@pytest.mark.parametrize("module", [losses, gradients], ids=lambda m: m.__name__)
def test_every_placeholder_is_filled(module) -> None:
    for name in module.__all__:
        doc = getattr(module, name).__doc__ or ""
        assert "{{" not in doc and "{pred}" not in doc and "{name}" not in doc, name


@pytest.mark.parametrize(
    ("path", "fragments"),
    [
        ("losses.py", _docs.NUMPY_LOSS),
        ("gradients.py", _docs.GRADIENT),
        ("tfp/losses.py", _docs.TFP_LOSS),
    ],
)
def test_every_placeholder_in_the_source_names_a_fragment(path: str, fragments) -> None:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for line in (ast.get_docstring(node, clean=False) or "").splitlines():
                match = _docs._PLACEHOLDER.match(line)
                if match:
                    names.add(match["name"])
    assert names, path
    assert names <= set(fragments), f"{path}: unknown fragments {names - set(fragments)}"


def test_a_gradient_raises_as_its_own_loss() -> None:
    for name in _contract.LOSS_NAMES:
        doc = getattr(gradients, name).__doc__
        assert f"TypeError: As :func:`mlecourse.losses.{name}`." in doc
        assert f"ValueError: As :func:`mlecourse.losses.{name}`." in doc


def test_the_plain_losses_raise_the_contract_text() -> None:
    for name in ("mean_squared_error", "mean_absolute_error"):
        doc = getattr(losses, name).__doc__
        assert "TypeError: Non-numeric inputs." in doc
        assert "ValueError: Shapes that differ, empty inputs, NaN/inf, a bad" in doc


def test_fill_text_wraps_an_entry_and_keeps_code_spans_whole() -> None:
    doc = "    Raises:\n        ValueError: {{value_error}}\n        TypeError: {{raises}}\n"
    fragments = {
        "value_error": "a long entry " * 6 + "``a code span that must stay whole``.",
        "raises": "As :func:`mlecourse.losses.{name}` for ``{pred}``.",
    }
    out = _docs.fill_text(doc, fragments, "y_pred", "huber_loss").splitlines()
    assert out[0] == "    Raises:"
    assert out[1].startswith("        ValueError: a long entry")
    assert all(len(line) <= 96 for line in out)
    assert out[2].startswith("            ") and "``a code span that must stay whole``." in out[2]
    assert out[3] == "        TypeError: As :func:`mlecourse.losses.huber_loss` for ``y_pred``."
