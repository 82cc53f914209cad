"""Stored outputs print no digit that rounding decides (issue 17, section 3).

Strict nbval compares every stored output with a fresh run, so a digit that the CPU's
summation order decides makes the book fail on another kind of CPU: chapter 6's debugging
cell stored ``d_log_var 3.7e-10`` (AVX2) and printed ``1.0e-09`` on an AVX-512 machine.
``make notebooks-baseline`` re-runs nbval with NumPy at its baseline SIMD, but it cannot
imitate a CPU the machine lacks; this test reads the stored outputs instead.

The rule, over every notebook of `_toc.yml`:

- **Which outputs:** those strict nbval compares: code cells not tagged
  ``nbval-ignore-output`` or ``nbval-skip``; their stdout and their ``text/plain``,
  ``text/markdown`` and ``text/latex`` results (stderr and tracebacks are not compared).
- **Round-off-sized number:** a number in scientific notation with exponent -8 or below
  (``3.7e-10``, ``1.0e-09``, ``2.2e-16``, ``max abs diff 1.3e-12``), or a decimal below 1e-7
  written out (``0.000000001``), on a line that names an error, a difference or a residual
  (``error``, ``err``, ``diff``/``differ``, ``residual``, ``deviation``, ``discrepancy``,
  ``mismatch``, ``gap``, ``agree``), or under a header line that does. Such a number is a
  round-off error, a residual or the difference of two results that agree: its digits are
  what rounding decided. A small number that is a well-conditioned result (a tail
  probability ``5.8e-32``, ``0.5**1000 = 9.333e-302``, a loss of ``4.1e-09``) has all its
  printed digits right on any CPU and is not flagged.
- **Allowed:** the same number printed as a bound, right after ``<``, ``<=``, ``≤``,
  ``below``, ``under``, ``less than``, ``at most`` or ``within`` (``max abs diff < 1e-8``,
  ``error below 1e-9``), and asserted by the cell; and a bare power of ten (``1e-08``,
  ``1e-10``: no digit of it is a rounding's), which is how an input such as a tolerance, a clip
  constant or a step size echoes.

A notebook that breaks the rule fails with the list of its offending lines (cell index in the
notebook, nbval's ``Cell N`` counting code cells, and the line).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.book_pages import load_cells, source, toc_notebooks

SKIP_TAGS = frozenset({"nbval-ignore-output", "nbval-skip"})
MIMES = ("text/plain", "text/markdown", "text/latex")

_SCIENTIFIC = re.compile(r"(?<![\w.])[-+]?(?P<mant>\d+(?:\.\d*)?)[eE](?P<exp>[-+]?\d+)(?![\w.])")
_TINY_DECIMAL = re.compile(r"(?<![\w.])[-+]?0\.0{7,}[1-9]\d*(?![\w.])")
_ROUNDOFF_WORDS = re.compile(
    r"error|\berr\b|diff|residual|deviation|discrepanc|mismatch|\bgap\b|agree", re.IGNORECASE
)
_BOUND = re.compile(
    r"(?:<|<=|≤|\\le|\\leq|\bbelow|\bunder|\bless than|\bat most|\bwithin)\s*[$]?\s*$",
    re.IGNORECASE,
)


def roundoff_numbers(line: str, header: str = "") -> list[str]:
    """The round-off-sized numbers of a printed line that are not printed as a bound.

    ``header`` is the line printed before it (a table's header names its columns).

    >>> roundoff_numbers("max error d_log_var 3.7e-10, d_mu 1.0e-09 (tolerance 1e-08)")
    ['3.7e-10', '1.0e-09']
    >>> roundoff_numbers("max abs diff < 1e-8; error below 2.5e-10; loss 0.693147")
    []
    >>> roundoff_numbers("P(Y > 40) = 5.8e-32")
    []
    """
    if not (_ROUNDOFF_WORDS.search(line) or _ROUNDOFF_WORDS.search(header)):
        return []
    found = []
    for m in _SCIENTIFIC.finditer(line):
        if int(m.group("exp")) > -8 or m.group("mant") in {"1", "1."}:
            continue
        if _BOUND.search(line[: m.start()]):
            continue
        found.append(m.group(0))
    for m in _TINY_DECIMAL.finditer(line):
        if not _BOUND.search(line[: m.start()]):
            found.append(m.group(0))
    return found


def compared_text(cell: dict) -> list[str]:
    """The output text strict nbval compares for one code cell (none if tagged out)."""
    if SKIP_TAGS & set(cell.get("metadata", {}).get("tags", [])):
        return []
    texts = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stdout":
            texts.append(output.get("text", ""))
        elif kind in {"execute_result", "display_data"}:
            texts.extend(output.get("data", {}).get(mime, "") for mime in MIMES)
    return ["".join(t) if isinstance(t, list) else t for t in texts]


def offending_lines(path: Path) -> list[str]:
    """Every line of a notebook's compared outputs with a round-off-sized number as digits."""
    found = []
    code_index = -1
    for index, cell in enumerate(load_cells(path)):
        if cell["cell_type"] != "code":
            continue
        code_index += 1
        for text in compared_text(cell):
            lines = text.splitlines()
            for header, line in zip(["", *lines], lines, strict=False):
                if numbers := roundoff_numbers(line, header):
                    found.append(
                        f"{path.name} cell {index} (nbval Cell {code_index}): {line.strip()!r} "
                        f"-> {', '.join(numbers)}"
                    )
    return found


@pytest.mark.parametrize("path", toc_notebooks(), ids=lambda p: p.stem)
def test_stored_outputs_print_no_roundoff_digits(path: Path) -> None:
    offending = offending_lines(path)
    assert not offending, (
        "round-off-sized numbers printed with their digits (print a bound such as "
        "`< 1e-8` and assert it, or tag the cell nbval-ignore-output):\n" + "\n".join(offending)
    )


# ---------------------------------------------------------------------------------------------
# The rule itself, on synthetic lines


@pytest.mark.parametrize(
    "line",
    [
        "fixed: max error d_mean 6.4e-10, d_log_var 3.7e-10",
        "finite-difference error d_log_var 1.0e-09",
        "relative error of the float64 sum of logs: 2.220446049250313e-16",
        "max abs diff 1.3e-12",
        "residual: 4.4E-17",
        "finite-difference error 0.000000001",
        "differences: [ 1.2e-16 -3.4e-17  0.0e+00]",
        "gradient check, max err 5e-11",
        "error 2.5e-10 (tolerance 1e-08)",
        "mean and sum iterates differ by 8.4e-09",
        "the two agree to 7.1e-09",
    ],
)
def test_rule_flags_roundoff_digits(line: str) -> None:
    assert roundoff_numbers(line), line


def test_rule_reads_a_table_header() -> None:
    assert roundoff_numbers("d_mu   3.7e-10", header="param  max abs error")
    assert roundoff_numbers("gamma = 5  5.97e-10", header="gamma  loss at p = 0.9") == []


@pytest.mark.parametrize(
    "line",
    [
        "max abs diff < 1e-8",
        "max abs diff <= 1e-10",
        "finite-difference error below 1e-9",
        "all gradients agree to within 1e-10",
        "error ≤ 2.5e-10",
        "tolerance 1e-08, eps 1e-07, step 1e-6",
        "NLL 0.693147, KL 1.2e-05, p = 3.0e-07",  # exponent above -8: not round-off-sized
        "rate 0.0000001",  # 1e-7 written out: not below 1e-7
        "x_1e-9 and version 2.13.0",
        "log-likelihood -1234.567890",
        "P(Y > 40) = 5.8e-32",  # a well-conditioned small result, not round-off
        "0.5**1000 = 9.333e-302",
    ],
)
def test_rule_accepts_bounds_inputs_and_ordinary_numbers(line: str) -> None:
    assert roundoff_numbers(line) == [], line


def test_tagged_cells_and_stderr_are_not_read() -> None:
    """What nbval does not compare is not checked: tagged cells, stderr, tracebacks."""
    printed = {"output_type": "stream", "name": "stdout", "text": "err 3.7e-10\n"}
    assert compared_text({"metadata": {}, "outputs": [printed]}) == ["err 3.7e-10\n"]
    tagged = {"metadata": {"tags": ["nbval-ignore-output"]}, "outputs": [printed]}
    assert compared_text(tagged) == []
    stderr = {"output_type": "stream", "name": "stderr", "text": "err 3.7e-10\n"}
    assert compared_text({"metadata": {}, "outputs": [stderr]}) == []
    result = {"output_type": "execute_result", "data": {"text/plain": ["diff array([1.e-12])"]}}
    assert roundoff_numbers(compared_text({"metadata": {}, "outputs": [result]})[0]) == []
    result = {"output_type": "execute_result", "data": {"text/plain": ["diff array([1.5e-12])"]}}
    assert roundoff_numbers(compared_text({"metadata": {}, "outputs": [result]})[0])


def test_the_book_has_compared_outputs() -> None:
    """The reader reaches the outputs: a broken reader would make every notebook pass."""
    lines = [
        line
        for path in toc_notebooks()
        for cell in load_cells(path)
        if cell["cell_type"] == "code" and source(cell)
        for text in compared_text(cell)
        for line in text.splitlines()
    ]
    assert len(lines) > 100, len(lines)
