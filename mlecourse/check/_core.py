"""The machinery of :mod:`mlecourse.check`: cases, exercises, diagnoses and reports.

A chapter's battery (``mlecourse/check/_chNN.py``) lists :class:`Exercise` records. Each holds
the tested reference (a function of :mod:`mlecourse.solutions` or a package loss) and a
deterministic generator of :class:`Case` inputs. :func:`run_exercise` calls the reader's
function and the reference on every case, compares them, and turns the first failure's
signature (overflow, a constant factor, a flipped sign, a promoted dtype, an ignored option, a
broadcast) into a :class:`Hint` that points at the section of the book that explains it.

A wrong answer never raises: it is a failing case of the :class:`Report`. An exception raised
by the reader's function is caught and reported as the failure of that case.
"""

from __future__ import annotations

import contextlib
import copy
import html
import math
import signal
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: The chapter notebooks, by number: the targets of a hint's link.
CHAPTER_FILES: dict[int, str] = {
    1: "01_probability_and_likelihood",
    2: "02_maximum_likelihood_estimation",
    3: "03_negative_log_likelihood",
    4: "04_binary_cross_entropy",
    5: "05_categorical_cross_entropy",
    6: "06_gaussian_mean_squared_error",
    7: "07_cross_entropy_kl_entropy",
    8: "08_training_networks",
    9: "09_uncertainty_and_priors",
    10: "10_scoring_rules_and_calibration",
    11: "11_choosing_the_likelihood",
}

#: Case groups, in the order a report lists them (other names follow, in order of appearance).
GROUPS = ("typical", "extremes", "float32", "shapes", "options", "errors")


@dataclass(frozen=True)
class Hint:
    """What a failure most likely means, and where the book explains it.

    Args:
        text: One or two sentences in plain text (no LaTeX).
        ref: The label of the theorem, equation, section or exercise that explains it
            (``thm-ch04-stable``, ``eq-ch04-pos-weight``, ``sec-ch04-keras-clip``); empty for a
            generic hint.
    """

    text: str
    ref: str = ""


@dataclass(frozen=True)
class Case:
    """One input of a battery, and how its result is compared with the reference's.

    Args:
        group: The trap the case belongs to: ``"typical"``, ``"extremes"``, ``"float32"``,
            ``"shapes"``, ``"options"`` or ``"errors"``.
        args: Positional arguments of the call.
        kwargs: Keyword arguments of the call.
        note: What the case tests, in a few words ("logits of +-1e4").
        rtol: Relative tolerance of the comparison.
        atol: Absolute tolerance of the comparison.
        check_dtype: Require the result's dtype to equal the reference's (float32 stays float32).
        option: The keyword this case exercises; a wrong result equal to the reference called
            without it is diagnosed as ``option_ignored``.
        raises: The exception type(s) the exercise asks for on this input; the reference is not
            called.
    """

    group: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    rtol: float = 1e-10
    atol: float = 1e-12
    check_dtype: bool = False
    option: str | None = None
    raises: type[BaseException] | tuple[type[BaseException], ...] | None = None


Comparer = Callable[[Any, Any, Case], bool]
Diagnoser = Callable[[Case, Any, Any], "str | None"]
Caller = Callable[[Any, Case], Any]


@dataclass(frozen=True)
class Exercise:
    """A checkable exercise: its reference, its battery and its hints.

    Args:
        label: The exercise's label in the book (``ex-ch04-stable-weighted``).
        title: The exercise's title.
        signature: What the reader writes (``weighted_bce_with_logits(y, z, pos_weight=1.0)``).
        chapter: The chapter number.
        reference: The tested solution.
        cases: Returns the battery; deterministic (fixed seeds).
        hints: Diagnosis code -> hint, overriding the generic text of that code.
        diagnose: Runs before the generic diagnoses and may return a code of ``hints``.
        compare: Replaces the default comparison of expected and received results.
        call: How to call the reader's object (and the reference) on a case; default
            ``obj(*case.args, **case.kwargs)``.
        name: The name the reader's function or class has; default: ``signature`` up to ``(``.
    """

    label: str
    title: str
    signature: str
    chapter: int
    reference: Callable[..., Any]
    cases: Callable[[], Sequence[Case]]
    hints: Mapping[str, Hint] = field(default_factory=dict)
    diagnose: Diagnoser | None = None
    compare: Comparer | None = None
    call: Caller | None = None
    name: str = ""

    @property
    def function_name(self) -> str:
        """The name of the function or class the reader writes."""
        return self.name or self.signature.split("(", 1)[0].strip()


#: The generic text of every diagnosis code (an exercise's ``hints`` override them).
GENERIC_HINTS: dict[str, Hint] = {
    "raised": Hint(
        "Your function raised an exception on an input where the exercise expects a result."
    ),
    "no_error": Hint("The exercise asks for an error on this input; your function returned."),
    "wrong_error": Hint(
        "The exercise asks for an error on this input, and your function raised one, but of "
        "another type: raise the exception the exercise names (see 'expected')."
    ),
    "timeout": Hint(
        "Your function did not return within the time limit: a loop that never ends (a step "
        "that stays infinite, a stopping rule that is never met)?"
    ),
    "mutated_input": Hint(
        "Your function changed its input array in place; work on a copy (or build a new array)."
    ),
    "shape": Hint(
        "The result has the wrong shape: check which axis you reduce over, and whether you "
        "return a scalar, a vector or a matrix."
    ),
    "broadcast": Hint(
        "The result is (N, N) where (N,) was expected: an (N, 1) array met an (N,) array and "
        "NumPy broadcast them to a matrix. Flatten (or index) one of them first."
    ),
    "dtype": Hint(
        "float32 input should give a float32 result; a float64 constant or np.float64 "
        "conversion promoted it."
    ),
    "nonfinite": Hint(
        "inf or NaN where the answer is finite: an exp overflowed or a log met 0. Rewrite the "
        "formula in log space so that no intermediate value leaves the floating-point range."
    ),
    "option_ignored": Hint("The option of this case had no effect on your result."),
    "sign": Hint("Your result has the opposite sign: a log-likelihood against its negative?"),
    "factor": Hint(
        "Your result is a constant multiple of the expected one: a sum where the mean is asked "
        "(or the reverse), or a missing constant factor."
    ),
    "wrong": Hint("The values differ from the reference's."),
}


@dataclass
class CaseResult:
    """The outcome of one case.

    Attributes:
        case: The case.
        ok: Whether the reader's result matched.
        expected: The reference's result (``None`` for a ``raises`` case).
        got: The reader's result (``None`` when it raised).
        error: The reader's exception, one line, or ``None``.
        diagnosis: The failure's code (``None`` when ``ok``).
        hint: The hint of that code.
        detail: A short measure of the difference (the largest error, the factor, ...).
    """

    case: Case
    ok: bool
    expected: Any = None
    got: Any = None
    error: str | None = None
    diagnosis: str | None = None
    hint: Hint | None = None
    detail: str = ""


@dataclass
class Report:
    """The result of checking one exercise: true exactly when every case passed.

    Renders as plain text (``str``) and as HTML in Jupyter.
    """

    exercise: Exercise
    results: list[CaseResult]

    @property
    def passed(self) -> bool:
        """Whether every case passed."""
        return all(r.ok for r in self.results)

    def __bool__(self) -> bool:
        return self.passed

    @property
    def n_cases(self) -> int:
        """The number of cases."""
        return len(self.results)

    @property
    def n_passed(self) -> int:
        """The number of cases that passed."""
        return sum(r.ok for r in self.results)

    @property
    def groups(self) -> dict[str, tuple[int, int]]:
        """The numbers of passed and of all cases in each group, in the order of the groups."""
        counts: dict[str, list[int]] = {}
        for r in self.results:
            c = counts.setdefault(r.case.group, [0, 0])
            c[0] += r.ok
            c[1] += 1
        order = [g for g in GROUPS if g in counts] + [g for g in counts if g not in GROUPS]
        return {g: (counts[g][0], counts[g][1]) for g in order}

    @property
    def first_failure(self) -> CaseResult | None:
        """The first failing case, or ``None``."""
        return next((r for r in self.results if not r.ok), None)

    # -- rendering -------------------------------------------------------------------------
    def _summary(self) -> str:
        verdict = "PASSED" if self.passed else "FAILED"
        return f"{self.exercise.label}: {verdict}, {self.n_passed} of {self.n_cases} cases"

    def _group_line(self) -> str:
        return ", ".join(f"{g} {p}/{t}" for g, (p, t) in self.groups.items())

    def _failure_lines(self) -> list[tuple[str, str]]:
        r = self.first_failure
        assert r is not None
        case = r.case
        rows = [("case", f"{case.group}: {case.note}" if case.note else case.group)]
        rows.append(("input", _format_call(self.exercise.function_name, case)))
        if case.raises is not None:
            rows.append(("expected", f"raises {_exception_names(case.raises)}"))
        else:
            rows.append(("expected", _format_value(r.expected)))
        rows.append(("got", r.error if r.error is not None else _format_value(r.got)))
        if r.detail:
            rows.append(("difference", r.detail))
        return rows

    def __str__(self) -> str:
        lines = [self._summary(), f"  {self._group_line()}"]
        if not self.passed:
            lines.append("First failing case:")
            for key, value in self._failure_lines():
                lines.append(f"  {key + ':':<11} {_indent(value, 14)}")
            hint = self.first_failure.hint if self.first_failure else None
            if hint is not None:
                lines.append(f"Hint: {hint.text}")
                if hint.ref:
                    lines.append(f"  See {_where(self.exercise.chapter, hint.ref)}.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        ok = self.passed
        status = "passed" if ok else "failed"
        # Inline styles and its own colours: the report reads the same in the book, in
        # JupyterLab and in either theme, whatever they do to tables, captions and links
        # (dark text on white, WCAG AA; the left rule marks the verdict).
        rule = "#1b7f3b" if ok else "#b3261e"
        box = (
            f"border-left:4px solid {rule};padding:0.25em 0.75em;margin:0.5em 0;"
            "max-width:100%;background:#ffffff;color:#1f2328"
        )
        cell = (
            "margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font-size:0.9em;"
            "color:inherit;background:transparent;border:0;padding:0"
        )
        parts = [
            f'<div class="mlc-check mlc-check-{status}" role="status" style="{box}">',
            f'<p class="mlc-check-summary"><strong>{html.escape(self._summary())}</strong></p>',
            '<p class="mlc-check-groups">' + html.escape(self._group_line()) + "</p>",
        ]
        if not ok:
            parts.append(
                '<table class="mlc-check-failure" '
                'style="border-collapse:collapse;width:100%;color:inherit">'
                '<caption style="text-align:left;color:inherit">First failing case</caption>'
            )
            for key, value in self._failure_lines():
                parts.append(
                    f'<tr><th scope="row" style="text-align:left;vertical-align:top;'
                    f'padding-right:0.75em;color:inherit">{html.escape(key)}</th>'
                    f'<td><pre style="{cell}">{html.escape(value)}</pre></td></tr>'
                )
            parts.append("</table>")
            hint = self.first_failure.hint if self.first_failure else None
            if hint is not None:
                link = ""
                if hint.ref:
                    href = html.escape(_href(self.exercise.chapter, hint.ref), quote=True)
                    text = html.escape(_where(self.exercise.chapter, hint.ref))
                    link = f' See <a href="{href}" style="color:#0b57d0">{text}</a>.'
                parts.append(
                    f'<p class="mlc-check-hint"><strong>Hint:</strong> {html.escape(hint.text)}'
                    f"{link}</p>"
                )
        parts.append("</div>")
        return "".join(parts)


# -- running a battery ------------------------------------------------------------------------
def run_exercise(exercise: Exercise, obj: object) -> Report:
    """Check ``obj`` (the reader's function or class) against every case of ``exercise``."""
    results = [_run_case(exercise, obj, case) for case in exercise.cases()]
    return Report(exercise, results)


class CaseTimeout(BaseException):  # not Exception: a reader's `except Exception` must not catch it
    """A call ran past :data:`CASE_TIME_LIMIT_S` (a reader's loop that never ends)."""


#: Seconds one call may take before it is stopped and reported (POSIX, main thread only; the
#: first call of a TensorFlow battery pays TensorFlow's import, 5-20 s on a busy machine).
CASE_TIME_LIMIT_S = 60.0


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`CaseTimeout` in the body after ``seconds`` (where SIGALRM is available)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield  # Windows, a thread, or someone else's timer running: no limit
        return

    def stop(signum: int, frame: object) -> None:
        raise CaseTimeout(f"did not return within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _call(exercise: Exercise, obj: object, case: Case) -> object:
    # A naive formula warns as it overflows; the report says so instead (no stray warnings).
    with _time_limit(CASE_TIME_LIMIT_S), warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if exercise.call is not None:
            return exercise.call(obj, case)
        if not callable(obj):
            raise TypeError(f"a solution must be callable; got {type(obj).__name__}")
        return obj(*case.args, **case.kwargs)


def _run_case(exercise: Exercise, obj: object, case: Case) -> CaseResult:
    def hint(code: str) -> Hint:
        return exercise.hints.get(code, GENERIC_HINTS.get(code, GENERIC_HINTS["wrong"]))

    inputs = copy.deepcopy((case.args, dict(case.kwargs)))
    reader_case = Case(case.group, *copy.deepcopy((case.args, dict(case.kwargs))), note=case.note)
    try:
        got = _call(exercise, obj, reader_case)
    except CaseTimeout as exc:
        return CaseResult(
            case, False, error=f"stopped: {exc}", diagnosis="timeout", hint=hint("timeout")
        )
    except Exception as exc:  # the reader's code may raise anything; report it
        message = _one_line_exception(exc)
        if case.raises is not None and isinstance(exc, case.raises):
            return CaseResult(case, True, error=message)
        if case.raises is not None:  # an error was asked for, but another one
            return CaseResult(
                case, False, error=message, diagnosis="wrong_error", hint=hint("wrong_error")
            )
        expected = None
        if case.raises is None:  # show what the answer should have been
            expected = _call(exercise, exercise.reference, Case(case.group, *copy.deepcopy(inputs)))
        return CaseResult(
            case,
            False,
            expected=expected,
            error=message,
            diagnosis="raised",
            hint=hint("raised"),
        )
    if case.raises is not None:
        return CaseResult(case, False, got=got, diagnosis="no_error", hint=hint("no_error"))
    if not _same_structure_equal(inputs, (reader_case.args, dict(reader_case.kwargs))):
        return CaseResult(
            case, False, got=got, diagnosis="mutated_input", hint=hint("mutated_input")
        )

    expected = _call(exercise, exercise.reference, Case(case.group, *copy.deepcopy(inputs)))
    if exercise.compare is not None:
        ok = exercise.compare(expected, got, case)
    else:
        ok = _matches(expected, got, case)
    if ok:
        return CaseResult(case, True, expected=expected, got=got)

    code: str | None = None
    if exercise.diagnose is not None:
        try:
            code = exercise.diagnose(case, expected, got)
        except Exception:  # a battery's diagnosis must never turn a report into a crash
            code = None
    detail = ""
    if code is None:
        code, detail = _diagnose(exercise, case, expected, got)
    else:
        detail = _error_measure(expected, got)
    return CaseResult(
        case, False, expected=expected, got=got, diagnosis=code, hint=hint(code), detail=detail
    )


def _same_structure_equal(a: object, b: object) -> bool:
    """Whether two (nested) inputs are equal, NaN equal to NaN."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_structure_equal(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(
            _same_structure_equal(x, y) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
        except TypeError:
            return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    try:
        return bool(a == b) or (a != a and b != b)
    except Exception:  # an object without equality: assume untouched
        return True


def _leaves(x: object) -> list[Any] | None:
    """The leaves of a tuple/list/dict result, or ``None`` when ``x`` is one leaf."""
    if isinstance(x, dict):
        return [x[k] for k in sorted(x)]
    if isinstance(x, (tuple, list)) and not _is_numeric_sequence(x):
        return list(x)
    return None


def _is_numeric_sequence(x: Sequence[Any]) -> bool:
    return all(isinstance(v, (int, float, np.number, bool, np.bool_)) for v in x)


def _matches(expected: object, got: object, case: Case) -> bool:
    exp_leaves, got_leaves = _leaves(expected), _leaves(got)
    if exp_leaves is not None:
        if isinstance(expected, dict):
            if not isinstance(got, dict) or sorted(got) != sorted(expected):
                return False
        if got_leaves is None or len(got_leaves) != len(exp_leaves):
            return False
        return all(_matches(e, g, case) for e, g in zip(exp_leaves, got_leaves, strict=True))
    if expected is None or isinstance(expected, str):
        return bool(got == expected)
    try:
        e, g = np.asarray(expected), np.asarray(got)
    except Exception:
        return False
    if e.shape != g.shape:
        return False
    if case.check_dtype and e.dtype != g.dtype:
        return False
    if e.dtype.kind in "biu" and g.dtype.kind in "biu":
        return bool(np.array_equal(e, g))
    if e.dtype.kind == "b" or g.dtype.kind == "b":
        return bool(np.array_equal(e, g))
    try:
        return bool(np.allclose(g, e, rtol=case.rtol, atol=case.atol, equal_nan=True))
    except TypeError:
        return False


def _as_float_array(x: object) -> np.ndarray | None:
    try:
        a = np.asarray(x)
    except Exception:
        return None
    if a.dtype.kind not in "biuf":
        return None
    return a.astype(np.float64)


def _diagnose(exercise: Exercise, case: Case, expected: object, got: object) -> tuple[str, str]:
    """The generic diagnosis of a wrong result: (code, detail)."""
    if _leaves(expected) is not None:
        return "wrong", "the structure or one of the parts of the result differs"
    e, g = _as_float_array(expected), _as_float_array(got)
    if e is None or g is None:
        return "wrong", f"expected a {type(expected).__name__}, got a {type(got).__name__}"
    if e.shape != g.shape:
        detail = f"expected shape {e.shape}, got shape {g.shape}"
        n = e.shape[0] if e.ndim == 1 else None
        if g.ndim == 2 and g.shape[0] == g.shape[1] and e.ndim <= 1 and g.shape[0] > 1:
            if n is None or n == g.shape[0] or e.ndim == 0:
                return "broadcast", detail
        return "shape", detail
    got_dtype = np.asarray(got).dtype
    exp_dtype = np.asarray(expected).dtype
    if case.check_dtype and got_dtype != exp_dtype:
        return "dtype", f"expected dtype {exp_dtype}, got dtype {got_dtype}"
    bad = ~np.isfinite(g) & np.isfinite(e)
    if np.any(bad):
        if bad.size == 1:
            return "nonfinite", "the result is inf or NaN; the expected value is finite"
        return "nonfinite", f"inf or NaN at {int(bad.sum())} of {bad.size} entries"
    if case.option is not None:
        without = {k: v for k, v in case.kwargs.items() if k != case.option}
        try:
            baseline = _call(
                exercise, exercise.reference, Case(case.group, copy.deepcopy(case.args), without)
            )
        except Exception:  # the reference needs the option; no diagnosis from it
            baseline = None
        if baseline is not None and _matches(baseline, got, case):
            return "option_ignored", f"same as without {case.option}={case.kwargs[case.option]!r}"
    finite = np.isfinite(e) & np.isfinite(g)
    if np.any(finite & (e != 0)):
        if _matches(-e, g, case):
            return "sign", _error_measure(expected, got)
        nz = finite & (np.abs(e) > 1e-300)
        ratios = g[nz] / e[nz]
        c = float(ratios[0]) if ratios.size else math.nan
        n = _first_length(case.args)
        named = _named_factor(c, n)
        # One number is a multiple of any other: only a recognisable factor says something.
        if (
            math.isfinite(c)
            and c != 0
            and not math.isclose(c, 1.0, rel_tol=1e-6)
            # an expected value of exactly 1 makes any answer of 2 "a missing 1/2": there only
            # n and 1/n, which depend on the case, say something
            and (
                int(nz.sum()) >= 2
                or named.startswith(("n = ", "1/n"))
                or (named and not np.all(np.abs(e[nz]) == 1.0))
            )
            and np.allclose(g, c * e, rtol=max(case.rtol, 1e-9), atol=case.atol)
        ):
            return "factor", f"got = {c:.6g} x expected" + (f" ({named})" if named else "")
    return "wrong", _error_measure(expected, got)


def _named_factor(c: float, n: int | None) -> str:
    """A recognisable constant factor, said in words ("" when it is none of them)."""
    if n is not None and n > 1 and math.isclose(c, n, rel_tol=1e-9):
        return f"n = {n}, the number of examples: a sum where the mean is asked?"
    if n is not None and n > 1 and math.isclose(c, 1 / n, rel_tol=1e-9):
        return f"1/n with n = {n}: a mean where the sum is asked?"
    named = {
        2.0: "2: a missing 1/2?",
        0.5: "1/2: a 1/2 too many?",
        1 / math.log(2): "1/log 2: bits where nats are asked?",
        math.log(2): "log 2: nats where bits are asked?",
    }
    for value, text in named.items():
        if math.isclose(c, value, rel_tol=1e-9):
            return text
    return ""


def _first_length(args: tuple[Any, ...]) -> int | None:
    for a in args:
        shape = np.shape(a)
        if len(shape) >= 1:
            return int(shape[0])
    return None


def _error_measure(expected: object, got: object) -> str:
    e, g = _as_float_array(expected), _as_float_array(got)
    if e is None or g is None or e.shape != g.shape:
        return ""
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(g - e)
    finite = np.isfinite(err)
    if not np.any(finite):
        return "no finite difference"
    worst = float(np.max(err[finite]))
    scale = float(np.max(np.abs(e[finite]))) if np.any(finite) else 0.0
    rel = f", relative {worst / scale:.2g}" if scale > 0 else ""
    return f"largest absolute error {worst:.3g}{rel}"


# -- formatting -------------------------------------------------------------------------------
def _format_value(x: object) -> str:
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k!r}: {_format_value(v)}" for k, v in x.items()) + "}"
    if isinstance(x, (tuple, list)) and not _is_numeric_sequence(x):
        inner = ", ".join(_format_value(v) for v in x)
        return f"({inner})" if isinstance(x, tuple) else f"[{inner}]"
    if isinstance(x, (list, tuple)) and len(x) <= 12:  # a Python sequence, as the reader typed
        inner = ", ".join(_format_scalar(v) for v in x)
        return f"[{inner}]" if isinstance(x, list) else f"({inner}{',' if len(x) == 1 else ''})"
    if isinstance(x, (np.ndarray, np.generic)) or _is_number(x) or isinstance(x, list):
        a = np.asarray(x)
        if a.dtype.kind in "biufc":
            text = np.array2string(
                a, precision=6, threshold=12, edgeitems=3, max_line_width=72, separator=", "
            )
            if a.dtype.kind == "f" and a.dtype != np.float64:
                text += f"  (dtype {a.dtype})"
            elif isinstance(x, np.ndarray) and a.ndim and a.dtype.kind == "f":
                text += f"  (shape {a.shape})" if a.ndim > 1 else ""
            return text
    text = repr(x)
    return text if len(text) <= 200 else text[:197] + "..."


def _format_scalar(v: object) -> str:
    if isinstance(v, (bool, np.bool_)):
        return repr(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return f"{float(v):.6g}"  # type: ignore[arg-type]


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float, bool, np.number, np.bool_))


def _format_call(name: str, case: Case) -> str:
    args = [_format_value(a) for a in case.args]
    args += [f"{k}={_format_value(v)}" for k, v in case.kwargs.items()]
    one_line = f"{name}({', '.join(args)})"
    if len(one_line) <= 72 and "\n" not in one_line:
        return one_line
    return f"{name}(\n" + "".join(f"    {_indent(a, 4)},\n" for a in args) + ")"


def _indent(text: str, n: int) -> str:
    return text.replace("\n", "\n" + " " * n)


def _one_line_exception(exc: BaseException) -> str:
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return f"raised {last}"


def _exception_names(raises: type[BaseException] | tuple[type[BaseException], ...]) -> str:
    types = raises if isinstance(raises, tuple) else (raises,)
    return " or ".join(t.__name__ for t in types)


def _where(chapter: int, ref: str) -> str:
    return f"chapter {chapter}, {ref}"


def _href(chapter: int, ref: str) -> str:
    anchor = f"equation-{ref}" if ref.startswith("eq-") else ref
    return f"{CHAPTER_FILES[chapter]}.html#{anchor}"
