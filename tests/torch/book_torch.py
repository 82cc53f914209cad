"""Find, check and re-run the PyTorch values the book quotes (no torch import at module level).

The convention (CONTRIBUTING.md, "PyTorch values"): in a notebook code cell, each PyTorch value
the book quotes is a top-level assignment

    TORCH_NAME = ("<one Python expression>", <value>)

The expression is exactly the call the book prints, dtype included, and uses only the names
``torch``, ``nn`` (``torch.nn``), ``F`` (``torch.nn.functional``) and literals. The value is
what ``.tolist()`` of the result gives (a float, int, bool or nested list of them), or the
string ``"raises <ExceptionName>"``. The same cell asserts that the chapter's NumPy computation
equals the value.

This module holds the pieces the tests in this directory use, written so that the tests can
also run them on small synthetic notebooks:

- `find_constants`: every ``TORCH_*`` assignment of a page, with what is wrong with it, if
  anything (an assignment that does not follow the convention is found, not ignored);
- `evaluate` and `compare`: the live re-run and the comparison at the dtype's tolerance;
- `number_tokens` and `states`: numbers as printed (``0.4906``, ``−1.825``,
  ``-1.38 \\times 10^{-75}``) and whether a printed number states a value to its printed digits;
- `printed_calls`: the PyTorch calls the prose shows, each with the value printed next to it.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.book_pages import load_cells, source

PREFIX = "TORCH_"
ALLOWED_NAMES = frozenset({"torch", "nn", "F"})
FLOAT64_RTOL = 1e-12
FLOAT32_RTOL = 1e-6
RAISES = re.compile(r"^raises ([A-Za-z_]\w*)$")


# ---------------------------------------------------------------------------------------------
# Finding the constants


@dataclass
class Constant:
    """One ``TORCH_*`` assignment found in a page."""

    page: str
    name: str
    cell: int  # index in the notebook's cells
    expression: str = ""
    value: Any = None
    problems: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.page}::{self.name}"


def _parseable(src: str) -> str:
    """The cell's source with IPython magics and shell escapes blanked (line numbers kept)."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in src.splitlines()
    )


def _expression_problems(expression: str) -> list[str]:
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as err:
        return [f"the expression is not one Python expression ({err.msg}): {expression!r}"]
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    problems = []
    if names - ALLOWED_NAMES:
        problems.append(
            f"the expression uses {sorted(names - ALLOWED_NAMES)}; only torch, nn, F and "
            "literals are allowed (write the tensors out, dtype included)"
        )
    if any(isinstance(n, ast.Lambda | ast.NamedExpr) for n in ast.walk(tree)):
        problems.append("the expression defines a lambda or assigns a name")
    if not any(isinstance(n, ast.Call) for n in ast.walk(tree)):
        problems.append("the expression calls nothing: it must be the call the book prints")
    return problems


def _value_problems(value: Any) -> list[str]:
    if isinstance(value, str):
        return [] if RAISES.match(value) else [f"a string value must be 'raises <Name>': {value!r}"]
    if isinstance(value, bool | int | float):
        return []
    if isinstance(value, list) and value:
        return [p for item in value for p in _value_problems(item) if not isinstance(item, str)]
    return [
        f"the value must be a float, int, bool, (nested) non-empty list of those or "
        f"'raises <Name>', not {type(value).__name__}: {value!r}"
    ]


def _asserts_name(tree: ast.Module, name: str) -> bool:
    """Does the cell assert something (``assert`` or an ``assert*`` call) and read ``name``?

    The name may reach the assertion through a table and a loop (chapter 7 does), so the test
    is only that the cell both asserts and reads the constant: a cell that records a value and
    never compares it fails.
    """
    asserts = any(
        isinstance(node, ast.Assert)
        or (
            isinstance(node, ast.Call)
            and "assert" in ast.unparse(node.func).rsplit(".", 1)[-1].lower()
        )
        for node in ast.walk(tree)
    )
    reads = any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        for node in ast.walk(tree)
    )
    return asserts and reads


def find_constants(path: Path) -> list[Constant]:
    """Every ``TORCH_*`` constant of a page (a ``.md`` page has none), in order.

    Found by parsing each code cell with `ast`. A top-level assignment that breaks the
    convention is returned with its ``problems``; so is a ``TORCH_`` name assigned anywhere else
    (inside a function or a block, an annotated or augmented assignment, several targets), and a
    name assigned twice.
    """
    if path.suffix != ".ipynb":
        return []
    page = path.stem
    found: list[Constant] = []
    for index, cell in enumerate(load_cells(path)):
        if cell["cell_type"] != "code":
            continue
        src = _parseable(source(cell))
        try:
            tree = ast.parse(src)
        except SyntaxError as err:
            if PREFIX in src:
                found.append(Constant(page, "?", index, problems=[f"cell does not parse: {err}"]))
            continue
        top_level = set()
        for node in tree.body:
            if not isinstance(node, ast.Assign):
                continue
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if not any(n.startswith(PREFIX) for n in names):
                continue
            top_level.add(id(node))
            name = next(n for n in names if n.startswith(PREFIX))
            const = Constant(page, name, index)
            found.append(const)
            if len(node.targets) != 1:
                const.problems.append("assign one TORCH_ name alone (no a = b = ...)")
            try:
                literal = ast.literal_eval(node.value)
            except ValueError:
                const.problems.append(
                    f"not a literal: {ast.get_source_segment(src, node.value)!r}; write "
                    f'{name} = ("<call>", <value>), or, for a table built from TORCH_ '
                    f"constants, give it a name without the TORCH_ prefix"
                )
                continue
            if not (
                isinstance(literal, tuple) and len(literal) == 2 and isinstance(literal[0], str)
            ):
                const.problems.append(
                    f'not ("<call>", <value>) but {literal!r}: write {name} = ("<the call the '
                    f'book prints>", <value>)'
                )
                continue
            const.expression, const.value = literal
            const.problems += _expression_problems(const.expression)
            const.problems += _value_problems(const.value)
            if not _asserts_name(tree, name):
                const.problems.append(
                    f"the cell does not read {name} in a cell that asserts (the NumPy computation "
                    f"must be asserted equal to {name}[1])"
                )
        for node in ast.walk(tree):
            target_names = []
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and (
                id(node) not in top_level
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                target_names = [
                    n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)
                ]
            for name in target_names:
                if name.startswith(PREFIX):
                    found.append(
                        Constant(
                            page,
                            name,
                            index,
                            problems=["assigned other than as a top-level NAME = (...) statement"],
                        )
                    )
    seen: dict[str, Constant] = {}
    for const in found:
        if const.name in seen:
            const.problems.append(
                f"{const.name} is assigned twice (cells {seen[const.name].cell} and {const.cell})"
            )
        seen.setdefault(const.name, const)
    return found


# ---------------------------------------------------------------------------------------------
# Re-running and comparing


def namespace() -> dict[str, Any]:
    """The names an expression may use, bound to the installed torch.

    Python's builtins stay (torch's C code imports through them); `_expression_problems`
    already refuses any name but torch, nn and F.
    """
    import torch  # only the tests that re-run need torch

    return {"torch": torch, "nn": torch.nn, "F": torch.nn.functional}


@dataclass
class Live:
    """What an expression gave: the ``.tolist()`` value and its tolerance, or the exception."""

    value: Any = None
    rtol: float | None = None  # None: compared exactly
    error: BaseException | None = None

    @property
    def carried(self) -> int:
        """Significant digits the result's dtype carries (float32: 9, float64: 17)."""
        return 9 if self.rtol == FLOAT32_RTOL else 17


def evaluate(expression: str) -> Live:
    """Run the expression with the installed torch, warnings recorded (not raised)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = eval(
                expression, namespace()
            )  # the book's own calls, checked by _expression_problems
    except Exception as err:  # the exception is the result
        return Live(error=err)
    return _as_live(result)


def _as_live(result: Any) -> Live:
    import torch

    if isinstance(result, torch.Tensor):
        if result.dtype == torch.float64:
            rtol: float | None = FLOAT64_RTOL
        elif result.dtype == torch.float32:
            rtol = FLOAT32_RTOL
        elif result.dtype in (
            torch.bool,
            torch.int8,
            torch.int16,
            torch.int32,
            torch.int64,
            torch.uint8,
        ):
            rtol = None
        else:
            raise TypeError(
                f"result dtype {result.dtype}: the book quotes float64, float32, "
                "integer or bool tensors"
            )
        return Live(result.detach().tolist(), rtol)
    if isinstance(result, tuple | list) and not isinstance(result, torch.Size):
        parts = [_as_live(r) for r in result]
        tolerances = {p.rtol for p in parts}
        rtol = max((t for t in tolerances if t is not None), default=None)
        return Live([p.value for p in parts], rtol)
    if isinstance(result, torch.Size):
        return Live(list(result), None)
    if isinstance(result, bool | int):
        return Live(result, None)
    if isinstance(result, float):
        return Live(result, FLOAT64_RTOL)  # a Python float is a double
    raise TypeError(f"the expression gave a {type(result).__name__}, not a tensor or number")


def compare(live: Live, recorded: Any) -> str | None:
    """None if the live result is the recorded value, else what differs."""
    if isinstance(recorded, str):
        expected = RAISES.match(recorded)
        assert expected, recorded
        if live.error is None:
            return f"the call returns {live.value!r}, but the book says it {recorded}"
        names = [c.__name__ for c in type(live.error).__mro__]
        if expected.group(1) not in names:
            raised = type(live.error).__name__
            return f"the call raises {raised} ({live.error}), not {expected.group(1)}"
        return None
    if live.error is not None:
        return f"the call raises {type(live.error).__name__}: {live.error}"
    if live.rtol == FLOAT32_RTOL:
        wide = [x for x in flat_numbers(recorded) if not _is_float32(x)]
        if wide:
            return (
                f"the call gives a float32 tensor, whose .tolist() holds float32 numbers only, "
                f"but {wide[0]!r} is not one: it was computed at another precision (print and "
                f"record the call with dtype=torch.float64, or record its float32 result)"
            )
    return _compare_values(live.value, recorded, live.rtol, "value")


def _is_float32(x: float | int | bool) -> bool:
    import numpy as np

    return isinstance(x, bool | int) or math.isinf(x) or float(np.float32(x)) == x


def _compare_values(live: Any, recorded: Any, rtol: float | None, where: str) -> str | None:
    if isinstance(recorded, list) or isinstance(live, list):
        if not (isinstance(recorded, list) and isinstance(live, list)):
            return f"{where}: live {live!r}, recorded {recorded!r} (shape differs)"
        if len(live) != len(recorded):
            return f"{where}: live has {len(live)} entries, recorded {len(recorded)}"
        for i, (a, b) in enumerate(zip(live, recorded, strict=True)):
            if (msg := _compare_values(a, b, rtol, f"{where}[{i}]")) is not None:
                return msg
        return None
    if isinstance(live, bool) or isinstance(recorded, bool):
        ok = isinstance(live, bool) and isinstance(recorded, bool) and live == recorded
        return None if ok else f"{where}: live {live!r}, recorded {recorded!r}"
    if rtol is None:
        ok = isinstance(recorded, int) and live == recorded
        return None if ok else f"{where}: live {live!r}, recorded {recorded!r} (compared exactly)"
    if math.isclose(float(live), float(recorded), rel_tol=rtol, abs_tol=0.0):
        return None
    return (
        f"{where}: live {live!r}, recorded {recorded!r} (relative difference "
        f"{abs(live - recorded) / max(abs(live), abs(recorded)):.2e} > {rtol:g})"
    )


def flat_numbers(value: Any) -> Iterator[float | int | bool]:
    """The scalars of a recorded value (a ``raises`` string has none)."""
    if isinstance(value, list):
        for item in value:
            yield from flat_numbers(item)
    elif not isinstance(value, str):
        yield value


# ---------------------------------------------------------------------------------------------
# Numbers as printed


@dataclass(frozen=True)
class Token:
    """A number as printed: its value, and half a unit of its last printed digit."""

    text: str
    value: float
    half_unit: float
    significant: int
    start: int = 0


_MINUS = "-\u2212"
_NUMBER = re.compile(
    rf"(?<![\w.])(?P<mant>[{_MINUS}]?\d+(?:\.\d+)?)"
    r"(?:(?:[eE](?P<exp>[-+\u2212]?\d+))"
    r"|(?:\s*(?:\\times|×|\\cdot)\s*10\^\{?(?P<texexp>[-\u2212]?\d+)\}?))?"
    r"(?![\w.]*\d)"
)
_VERSION = re.compile(r"\d+\.\d+\.\d+")


def number_tokens(text: str) -> list[Token]:
    """The numbers printed in ``text``, version strings (``2.13.0``) left out.

    >>> [t.text for t in number_tokens("torch 2.13.0 gives −1.825 and 1.38e-75, x_1")]
    ['−1.825', '1.38e-75']
    """
    versions = [m.span() for m in _VERSION.finditer(text)]
    tokens = []
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in versions):
            continue
        mant = m.group("mant").replace("\u2212", "-")
        exp_text = (m.group("exp") or m.group("texexp") or "0").replace("\u2212", "-")
        exp = int(exp_text)
        decimals = len(mant.split(".")[1]) if "." in mant else 0
        digits = mant.lstrip("-").replace(".", "").lstrip("0")
        tokens.append(
            Token(
                m.group(0),
                float(mant) * 10.0**exp,
                0.5 * 10.0 ** (exp - decimals),
                max(len(digits), 1),
                m.start(),
            )
        )
    return tokens


def _exact_significant(value: float) -> int:
    """Significant digits of the shortest repr: 1.0 -> 1, 1.825 -> 4."""
    mant = repr(abs(float(value))).split("e")[0]
    digits = mant.replace(".", "").strip("0")
    return max(len(digits), 1)


MIN_SIGNIFICANT = 3


def states(token: Token, value: float | int | bool, rtol: float = 0.0, carried: int = 17) -> bool:
    """Does the printed ``token`` state ``value`` to its printed digits?

    The value rounded to the token's last digit is the token, and the token has at least
    three significant digits unless the value needs fewer (``1.0``, ``0.5``): a ``0.5``
    somewhere on the page does not state 0.4906. For a live result, ``rtol`` is its dtype's
    tolerance (a few ulps a summation order can change), allowed on top of the rounding
    only if the token prints no more significant digits than the dtype carries (``carried``:
    9 for float32, 17 for float64): a float32 call printed next to a 16-digit value states a
    float64 number it cannot give, and that is not forgiven.

    >>> states(number_tokens("0.4906")[0], 0.49061742749046994)
    True
    >>> states(number_tokens("0.5")[0], 0.49061742749046994)
    False
    >>> states(number_tokens("-0.217102617")[0], -0.21710261702537537, 1e-6, 9)
    True
    >>> states(number_tokens("-0.2171026101675874")[0], -0.21710261702537537, 1e-6, 9)
    False
    """
    if isinstance(value, bool):
        return False
    value = float(value)
    if token.significant < min(MIN_SIGNIFICANT, _exact_significant(value)):
        return False
    slack = token.half_unit * (1 + 1e-9) + 1e-300
    if token.significant <= carried:
        slack += rtol * abs(value)
    return abs(token.value - value) <= slack


# ---------------------------------------------------------------------------------------------
# PyTorch calls shown in the prose

# A code span that shows a PyTorch call: torch./nn./F. then a name and "(", or a class named
# ...Loss( (PyTorch's loss classes; Keras's are not named so). tf.nn.softmax( is not one.
TORCH_CALL = re.compile(r"(?<![\w.])(?:(?:torch|nn|F)\.[A-Za-z_][\w.]*|[A-Z]\w*Loss)\s*\(")
_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*(\S*)")
# After a code span: "= value", "$= value$", "≈ value", "gives value", "raises Name".
_PAIRED = re.compile(
    r"\s*\$?\s*(?:(?P<eq>=|≈|\\approx|gives|returns)\s*\$?\s*"
    r"(?P<val>\[[^\]`]*\]|[-\u2212]?\d[\d.]*(?:[eE][-+\u2212]?\d+|\s*\\times\s*10\^\{?[-\u2212]?\d+\}?)?)"
    r"|(?P<raises>raises)\s+`?(?P<exc>[A-Za-z_]\w*))"
)
# Fenced blocks that hold code, not prose (MyST directives such as {exercise} hold prose).
_CODE_FENCES = (
    "",
    "python",
    "py",
    "python3",
    "ipython",
    "ipython3",
    "text",
    "console",
    "bash",
    "{code-block}",
    "{code-cell}",
    "{literalinclude}",
    "{math}",
)


@dataclass
class PrintedCall:
    """A PyTorch call shown in the prose, and what is printed next to it."""

    page: str
    cell: int
    line: int  # line of the cell (1-based) where the code span starts
    call: str
    paired: list[Token]  # the value printed after "=" (a list gives several)
    raises: str | None  # the exception named after "raises"
    nearby: list[Token]  # other value-like numbers on the same source line(s)

    def where(self) -> str:
        return f"{self.page} cell {self.cell} line {self.line}: `{self.call}`"


def prose_cells(path: Path) -> Iterator[tuple[int, str]]:
    """The prose of a page: markdown cells, and the Markdown that code cells display."""
    for index, cell in enumerate(load_cells(path)):
        if cell["cell_type"] == "markdown":
            yield index, source(cell)
        elif cell["cell_type"] == "code":
            for output in cell.get("outputs", []):
                md = output.get("data", {}).get("text/markdown")
                if md is not None:
                    yield index, md if isinstance(md, str) else "".join(md)


def _blank_code_blocks(text: str) -> str:
    """Replace the lines of fenced code blocks by empty lines (line numbers kept)."""
    out, fence = [], None
    for line in text.splitlines():
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            is_code = m.group(2).lower() in _CODE_FENCES
            out.append("")
            fence = (fence, is_code)
            continue
        if fence is not None and m and m.group(1).startswith(fence[0][0]) and not m.group(2):
            if len(m.group(1)) >= len(fence[0]):
                fence = None
                out.append("")
                continue
        out.append("" if fence is not None and fence[1] else line)
    return "\n".join(out)


def value_like(token: Token) -> bool:
    """A number that looks like a computed value: a decimal point or exponent, >= 3 digits."""
    return ("." in token.text or "e" in token.text.lower() or "10^" in token.text) and (
        token.significant >= MIN_SIGNIFICANT
    )


def printed_calls(path: Path) -> list[PrintedCall]:
    """Every PyTorch call shown in an inline code span of the page's prose.

    ``paired`` is the value printed right after the span (``` `call` = 0.4906 ```,
    ``` `call` $= [0.31, 0.69]$ ```); ``nearby`` are the other value-like numbers (see
    `value_like`) outside code spans on the source lines the span touches.
    """
    calls = []
    for index, raw in prose_cells(path):
        text = _blank_code_blocks(raw)
        spans = [(m.start(), m.end(), m.group(2)) for m in _SPAN.finditer(text)]
        for start, end, code in spans:
            if not TORCH_CALL.search(code):
                continue
            paired: list[Token] = []
            raises = None
            m = _PAIRED.match(text, end)
            if m and m.group("val"):
                paired = number_tokens(m.group("val"))
            elif m and m.group("raises"):
                raises = m.group("exc")
            # the source lines the span touches (and the value after it)
            stop = m.end() if m else end
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", stop)
            line_end = len(text) if line_end == -1 else line_end
            region = text[line_start:line_end]
            for s, e, _ in spans:  # numbers inside code spans are arguments, not values
                if s < line_end and e > line_start:
                    a, b = max(s, line_start) - line_start, min(e, line_end) - line_start
                    region = region[:a] + " " * (b - a) + region[b:]
            val_offset = m.start("val") - line_start if m and m.group("val") else -1
            nearby = [
                t
                for t in number_tokens(region)
                if value_like(t)
                and not (
                    val_offset >= 0 and val_offset <= t.start < val_offset + len(m.group("val"))
                )
            ]
            calls.append(
                PrintedCall(
                    path.stem,
                    index,
                    text.count("\n", 0, start) + 1,
                    " ".join(code.split()),
                    paired,
                    raises,
                    nearby,
                )
            )
    return calls


def self_contained(call: str) -> bool:
    """Can the printed call run as printed (only torch, nn, F and literals)?"""
    return not _expression_problems(call)


# ---------------------------------------------------------------------------------------------
# The checks, each returning what is wrong (an empty list: nothing)


def check_constant(const: Constant) -> list[str]:
    """The convention holds and the expression, run now, gives the recorded value."""
    if const.problems:
        return const.problems
    message = compare(evaluate(const.expression), const.value)
    return [] if message is None else [f"{const.expression} -> {message}"]


def page_text(path: Path) -> str:
    """What a reader sees of a page: its markdown and its code cells' outputs (not the code)."""
    parts = []
    for cell in load_cells(path):
        if cell["cell_type"] == "markdown":
            parts.append(source(cell))
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text = output.get("text", "")
                parts.append(text if isinstance(text, str) else "".join(text))
            for mime in ("text/plain", "text/markdown"):
                data = output.get("data", {}).get(mime)
                if data is not None:
                    parts.append(data if isinstance(data, str) else "".join(data))
    return "\n".join(parts)


def check_stated(const: Constant, text: str) -> list[str]:
    """Every number of the constant's value is printed on the page, to its printed digits.

    A float is stated by a printed number that it rounds to, with at least three significant
    digits (fewer only if the value needs fewer: 1.0, 0.5); an int by the same integer; a bool
    by True/False; ``raises X`` by the name X. Only what a reader sees counts (markdown and
    outputs), never the code cell that holds the constant.
    """
    if const.problems:
        return []  # check_constant reports them
    tokens = number_tokens(text)
    missing = []
    if isinstance(const.value, str):
        name = RAISES.match(const.value).group(1)  # type: ignore[union-attr]
        if not re.search(rf"\b{re.escape(name)}\b", text):
            missing.append(const.value)
    for x in flat_numbers(const.value):
        if isinstance(x, bool):
            ok = re.search(rf"\b{x}\b", text, re.IGNORECASE) is not None
        elif isinstance(x, int):
            ok = any(t.value == x and "." not in t.text for t in tokens)
        else:
            ok = any(states(t, x) for t in tokens)
        if not ok:
            missing.append(repr(x))
    if not missing:
        return []
    return [f"{const.id}: the page's text and outputs do not state {', '.join(missing)}"]


def check_printed_call(call: PrintedCall, constants: list[Constant]) -> list[str]:
    """A PyTorch call shown in the prose is next to no number it cannot give.

    - A call that runs as printed (only torch, nn, F and literals) with a value after it
      (`` `call` = 0.4906``, ``raises RuntimeError``) is run now, and the value must be what
      it gives, to the printed digits (see `states`: a float64 value printed next to a float32
      call fails).
    - Any other number printed after a call, and every value-like number on the same source
      line as a call (see `value_like`), must be stated by a ``TORCH_*`` constant of the page,
      whose test re-runs it.
    """
    values = [x for c in constants if not c.problems for x in flat_numbers(c.value)]
    failures = []
    unheld = list(call.nearby)
    if self_contained(call.call) and (call.paired or call.raises):
        live = evaluate(call.call)
        if call.raises:
            message = compare(live, f"raises {call.raises}")
            if message:
                failures.append(f"{call.where()} raises {call.raises}? {message}")
        elif live.error is not None:
            failures.append(f"{call.where()} raises {type(live.error).__name__}: {live.error}")
        else:
            got = list(flat_numbers(live.value))
            if len(got) != len(call.paired):
                failures.append(
                    f"{call.where()} gives {live.value!r}, but {len(call.paired)} number(s) "
                    f"are printed: {[t.text for t in call.paired]}"
                )
            else:
                for token, x in zip(call.paired, got, strict=True):
                    if not states(token, x, live.rtol or 0.0, live.carried):
                        failures.append(f"{call.where()} gives {x!r}, not the printed {token.text}")
    else:
        unheld = call.paired + unheld
    for token in unheld:
        if not any(states(token, x) for x in values):
            failures.append(
                f"{call.where()} is printed next to {token.text}, which no TORCH_ constant of "
                "the page holds (so no test re-runs it)"
            )
    return failures
