"""The PyTorch re-run harness on throwaway synthetic notebooks (never book chapters).

Each check gets a must-pass and a must-fail case, so the book's tests cannot go green because a
finder found nothing or a check cannot fail. The values below were computed with torch 2.13.0.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tests.book_pages import toc_pages
from tests.torch.book_torch import (
    check_constant,
    check_printed_call,
    check_stated,
    find_constants,
    number_tokens,
    page_text,
    printed_calls,
)

# torch 2.13.0: F.poisson_nll_loss(input=log rate, target), log_input=True, full=True
POISSON64 = (
    "F.poisson_nll_loss(torch.tensor([2.0], dtype=torch.float64), "
    "torch.tensor([3.0], dtype=torch.float64), log_input=True, full=True)"
)
POISSON_CALL32 = (
    "torch.nn.PoissonNLLLoss()(torch.tensor([0.5, 1.0, 1.5]), torch.tensor([1.0, 3.0, 4.0]))"
)
POISSON_CALL64 = (
    "torch.nn.PoissonNLLLoss()(torch.tensor([0.5, 1.0, 1.5], dtype=torch.float64), "
    "torch.tensor([1.0, 3.0, 4.0], dtype=torch.float64))"
)
POISSON_MEAN64 = -0.2171026101675874  # the float64 result of POISSON_CALL64
POISSON_MEAN32 = -0.21710269153118134  # the float32 result of POISSON_CALL32


def _value(expression: str) -> object:
    from tests.torch.book_torch import evaluate

    live = evaluate(expression)
    assert live.error is None, live.error
    return live.value


def write_notebook(path: Path, cells: list[tuple[str, str] | tuple[str, str, str]]) -> Path:
    """A notebook of (kind, source) or (code, source, printed stdout) cells."""
    nb_cells = []
    for kind, src, *out in cells:
        cell: dict[str, object] = {"cell_type": kind, "metadata": {}, "source": src}
        if kind == "code":
            cell["execution_count"] = 1
            cell["outputs"] = (
                [{"output_type": "stream", "name": "stdout", "text": out[0]}] if out else []
            )
        nb_cells.append(cell)
    nb = {"cells": nb_cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def constant_cell(name: str, expression: str, value: object) -> str:
    return (
        f"{name} = ({expression!r}, {value!r})\n"
        f"np.testing.assert_allclose(ours, {name}[1], rtol=1e-12)\n"
    )


def test_poisson_example_of_the_convention() -> None:
    """The example given to the chapter editors: exp(z) - y z + Stirling's log y!, float64."""
    stirling = 3 * math.log(3) - 3 + 0.5 * math.log(2 * math.pi * 3)
    assert _value(POISSON64) == pytest.approx(math.exp(2.0) - 3 * 2.0 + stirling, rel=1e-12)


def test_finder_and_rerun_on_a_synthetic_book(tmp_path: Path) -> None:
    """End to end, through a _toc.yml: found, re-run, stated, each failure where it should be."""
    good = _value(POISSON64)
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - chapters:\n      - file: ch\n"
    )
    (tmp_path / "intro.md").write_text("# Intro\n")
    write_notebook(
        tmp_path / "ch.ipynb",
        [
            ("markdown", f"Recorded: `{POISSON64}` = {good:.10f}."),
            (
                "code",
                "import numpy as np\nours = 1.0\n" + constant_cell("TORCH_GOOD", POISSON64, good),
            ),
            ("code", constant_cell("TORCH_WRONG", POISSON64, good * (1 + 1e-9))),
            ("code", constant_cell("TORCH_DTYPE", POISSON_CALL32, POISSON_MEAN64)),
            (
                "code",
                constant_cell(
                    "TORCH_RAISES",
                    "F.nll_loss(torch.zeros(2, 3), torch.tensor([0.0, 1.0]))",
                    "raises RuntimeError",
                ),
            ),
            ("code", constant_cell("TORCH_NOT_RAISES", POISSON64, "raises ValueError")),
            ("code", constant_cell("TORCH_NAMES", "F.mse_loss(z_t, y_t)", 0.5)),
            (
                "code",
                "TORCH_OLD = 1.0  # the old convention: a bare value\nassert TORCH_OLD == 1.0",
            ),
            ("code", f"TORCH_UNCHECKED = ({POISSON64!r}, {good!r})"),
            ("code", "def f():\n    TORCH_HIDDEN = 1\n    return TORCH_HIDDEN"),
            (
                "code",
                "%matplotlib inline\n"
                + constant_cell("TORCH_INT", "torch.tensor([1, 2]).sum()", 3),
            ),
            ("code", constant_cell("TORCH_BOOL", "torch.isfinite(torch.tensor(1.0))", True)),
        ],
    )
    pages = toc_pages(tmp_path)
    assert [p.name for p in pages] == ["intro.md", "ch.ipynb"]
    found = {c.name: c for c in find_constants(pages[1])}
    assert set(found) == {
        "TORCH_GOOD",
        "TORCH_WRONG",
        "TORCH_DTYPE",
        "TORCH_RAISES",
        "TORCH_NOT_RAISES",
        "TORCH_NAMES",
        "TORCH_OLD",
        "TORCH_UNCHECKED",
        "TORCH_HIDDEN",
        "TORCH_INT",
        "TORCH_BOOL",
    }
    assert found["TORCH_GOOD"].id == "ch::TORCH_GOOD"
    verdict = {name: check_constant(c) for name, c in found.items()}
    passing = {"TORCH_GOOD", "TORCH_RAISES", "TORCH_INT", "TORCH_BOOL"}
    assert {name for name, failures in verdict.items() if not failures} == passing, verdict
    assert "relative difference" in verdict["TORCH_WRONG"][0]
    assert "float32" in verdict["TORCH_DTYPE"][0]  # agrees to 1e-6, but is a float64 number
    assert "returns" in verdict["TORCH_NOT_RAISES"][0]
    assert "z_t" in verdict["TORCH_NAMES"][0]
    assert "TORCH_OLD" in verdict["TORCH_OLD"][0]
    assert "asserts" in verdict["TORCH_UNCHECKED"][0]
    assert "top-level" in verdict["TORCH_HIDDEN"][0]
    # stated: TORCH_GOOD is printed in the markdown (10 decimals), TORCH_RAISES names its error
    text = page_text(pages[1])
    assert check_stated(found["TORCH_GOOD"], text) == []
    assert check_stated(found["TORCH_RAISES"], text) != []  # "RuntimeError" appears nowhere
    assert check_stated(found["TORCH_INT"], text) != []


def _calls(tmp_path: Path, markdown: str, constants: str = "") -> list[list[str]]:
    cells: list[tuple[str, str] | tuple[str, str, str]] = [("markdown", markdown)]
    if constants:
        cells.append(("code", "import numpy as np\nours = 0\n" + constants))
    path = write_notebook(tmp_path / "syn.ipynb", cells)
    consts = find_constants(path)
    calls = printed_calls(path)
    assert calls, "the checker found no printed call in the synthetic notebook"
    return [check_printed_call(call, consts) for call in calls]


def test_printed_float32_call_next_to_a_float64_value_fails(tmp_path: Path) -> None:
    """The referee's error (chapter 3): the call runs in float32, the value is float64."""
    (failures,) = _calls(
        tmp_path, f"Recorded with torch 2.13.0:\n`{POISSON_CALL32}`\n= {POISSON_MEAN64!r}."
    )
    assert failures and "not the printed" in failures[0]


def test_printed_call_with_its_dtype_passes(tmp_path: Path) -> None:
    assert _calls(tmp_path, f"`{POISSON_CALL64}` $= {POISSON_MEAN64!r}$") == [[]]
    assert _calls(tmp_path, f"- `{POISSON_CALL32}` = {POISSON_MEAN32!r}") == [[]]
    assert _calls(tmp_path, f"`{POISSON_CALL32}` = −0.2171027 (float32)") == [[]]


def test_printed_raises(tmp_path: Path) -> None:
    call = "F.nll_loss(torch.zeros(2, 3), torch.tensor([0.0, 1.0]))"
    assert _calls(tmp_path, f"`{call}` raises `RuntimeError`.") == [[]]
    (failures,) = _calls(tmp_path, f"`{call}` raises `ValueError`.")
    assert failures


def test_printed_list_value(tmp_path: Path) -> None:
    call = (
        'nn.BCEWithLogitsLoss(reduction="none")(torch.tensor([10., -10.], dtype=torch.float64), '
        "torch.tensor([1., 0.], dtype=torch.float64))"
    )
    value = _value(call)
    assert _calls(tmp_path, f"`{call}` $= [{value[0]!r},\n{value[1]!r}]$.") == [[]]
    (failures,) = _calls(tmp_path, f"`{call}` $= [{value[0]!r}, 0.5]$.")
    assert failures


def test_call_with_chapter_names_needs_a_constant(tmp_path: Path) -> None:
    """`F.cross_entropy(z_t, y_t)` cannot run as printed: its number must be a constant's."""
    md = "- `F.cross_entropy(z_t, y_t)` = 0.4906"
    (failures,) = _calls(tmp_path, md)
    assert failures and "no TORCH_ constant" in failures[0]
    held = constant_cell(
        "TORCH_CE",
        "F.cross_entropy(torch.tensor([[1.0, 2.0]], dtype=torch.float64), torch.tensor([1]))",
        0.49061742749046994,
    )
    assert _calls(tmp_path, md, held) == [[]]
    (failures,) = _calls(tmp_path, "- `F.cross_entropy(z_t, y_t)` = 0.4907", held)
    assert failures  # 0.49061... does not round to 0.4907


def test_number_on_the_same_line_as_a_call_needs_a_constant(tmp_path: Path) -> None:
    md = "With `nn.HuberLoss(delta=0.5)(input, target)` the loss is 0.66898 here, half of 1.33796."
    (failures,) = _calls(tmp_path, md)
    assert len(failures) == 2
    held = constant_cell(
        "TORCH_HUBER", "nn.HuberLoss(delta=0.5)(torch.tensor([0.0]), torch.tensor([1.0]))", 0.66898
    ) + constant_cell("TORCH_HUBER_2", "torch.tensor(1.33796, dtype=torch.float64) * 1", 1.33796)
    assert _calls(tmp_path, md, held) == [[]]
    # versions, arguments inside the code span, and short numbers are not quoted values
    assert _calls(tmp_path, "torch 2.13.0: `nn.HuberLoss(delta=1.0)(a, b)` with δ = 0.5") == [[]]


def test_number_tokens() -> None:
    tokens = number_tokens("= −1.825, $-1.38 \\times 10^{-75}$, 1e-7, torch 2.13.0, x_1 [0.5,")
    assert [t.text for t in tokens] == ["−1.825", "-1.38 \\times 10^{-75}", "1e-7", "0.5"]
    assert tokens[0].value == -1.825 and tokens[1].value == pytest.approx(-1.38e-75)
