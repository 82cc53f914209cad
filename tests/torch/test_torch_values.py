"""Every PyTorch value the book quotes, re-run with torch 2.13.0 (issue 17, section 2).

The book does not import torch: a chapter records each PyTorch value it quotes as a constant
``TORCH_NAME = ("<the call the book prints>", <value>)`` and asserts its NumPy computation
against it (the convention is in `tests/torch/book_torch.py` and CONTRIBUTING.md). This file
reads those constants out of every page of `_toc.yml` and

- re-runs each call with the installed torch and compares (one test id per constant,
  ``chapter::NAME``): a float64 result to 1e-12 relative; a float32 result to 1e-6 relative,
  a few float32 ulps, which is what a different summation order (another CPU, another SIMD
  path, another thread count) can change, while its recorded value must still be a float32
  number (``.tolist()`` of a float32 tensor holds nothing else, so a float64 value recorded
  for a float32 call fails even where the two agree to 1e-6); ints and bools exactly;
  ``"raises X"`` by the exception's type (X or a base class of it);
- checks that the page prints each recorded value (`book_torch.check_stated`);
- checks every PyTorch call the prose shows: a value printed next to it is either what the
  call gives when run as printed, or held by a ``TORCH_`` constant (`check_printed_call`).

The harness is tested on synthetic notebooks in `test_harness.py`, so an empty or broken finder
cannot make this file pass by finding nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.book_pages import load_cells, source, toc_pages
from tests.torch.book_torch import (
    PREFIX,
    Constant,
    PrintedCall,
    check_constant,
    check_printed_call,
    check_stated,
    find_constants,
    page_text,
    printed_calls,
)

PAGES = toc_pages()
CONSTANTS: dict[Path, list[Constant]] = {page: find_constants(page) for page in PAGES}
ALL_CONSTANTS = [c for found in CONSTANTS.values() for c in found]
NONE_YET = pytest.mark.skip(reason="no TORCH_ constant in any page of _toc.yml yet")


def _constant_params() -> list[object]:
    params = [pytest.param(page, c, id=c.id) for page, found in CONSTANTS.items() for c in found]
    return params or [pytest.param(None, None, id="no-constants", marks=NONE_YET)]


def _call_params() -> list[object]:
    params = []
    for page in PAGES:
        for call in printed_calls(page):
            if call.paired or call.raises or call.nearby:
                params.append(
                    pytest.param(page, call, id=f"{page.stem}::cell{call.cell}-line{call.line}")
                )
    return params or [pytest.param(None, None, id="no-calls", marks=NONE_YET)]


@pytest.mark.parametrize(("page", "const"), _constant_params())
def test_recorded_value_is_what_torch_gives(page: Path, const: Constant) -> None:
    failures = check_constant(const)
    assert not failures, f"{const.id} (cell {const.cell}):\n" + "\n".join(failures)


@pytest.mark.parametrize(("page", "const"), _constant_params())
def test_page_states_the_recorded_value(page: Path, const: Constant) -> None:
    failures = check_stated(const, page_text(page))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("page", "call"), _call_params())
def test_printed_call_is_next_to_a_value_it_gives(page: Path, call: PrintedCall) -> None:
    constants = CONSTANTS[page] if page.suffix == ".ipynb" else ALL_CONSTANTS
    failures = check_printed_call(call, constants)
    assert not failures, "\n".join(failures)


ASSIGNED = re.compile(rf"\b({PREFIX}\w+)\s*(?::[^=\n]*)?(?<![=!<>])=(?!=)")


@pytest.mark.parametrize("page", [p for p in PAGES if p.suffix == ".ipynb"], ids=lambda p: p.stem)
def test_the_finder_sees_every_torch_assignment(page: Path) -> None:
    """A second, cruder reading (a regex over the code) finds no TORCH_ name the finder missed."""
    by_regex = {
        name
        for cell in load_cells(page)
        if cell["cell_type"] == "code"
        for name in ASSIGNED.findall(source(cell))
    }
    by_finder = {c.name for c in CONSTANTS[page]}
    assert by_regex <= by_finder, f"assigned but not found: {sorted(by_regex - by_finder)}"
