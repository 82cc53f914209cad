"""The self-check machinery on a synthetic exercise: every diagnosis, the report, the CLI.

The synthetic exercise is the mean weighted BCE from the logit, whose reference is the package's
``binary_cross_entropy`` (tested against PyTorch and Keras elsewhere). Each wrong implementation
below is written to produce one diagnosis; the test asserts that the report names it.
"""

from __future__ import annotations

import html
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from mlecourse import losses
from mlecourse.check import UnknownExerciseError, check, exercises
from mlecourse.check._cli import main as cli_main
from mlecourse.check._core import Case, Exercise, Hint, run_exercise


def _reference(y: np.ndarray, z: np.ndarray, pos_weight: float = 1.0) -> object:
    return losses.binary_cross_entropy(y, z, from_logits=True, pos_weight=pos_weight)


def _cases() -> list[Case]:
    rng = np.random.default_rng(7)
    y = (rng.random(6) < 0.5).astype(float)
    z = rng.normal(0.0, 3.0, 6)
    return [
        Case("typical", (y, z), note="6 examples"),
        Case("extremes", (np.array([1.0, 0.0]), np.array([-1e4, 1e4])), note="logits of +-1e4"),
        Case(
            "float32",
            (y.astype(np.float32), z.astype(np.float32)),
            rtol=1e-5,
            atol=1e-6,
            check_dtype=True,
        ),
        Case("options", (y, z), {"pos_weight": 3.0}, option="pos_weight", note="pos_weight 3"),
        Case("errors", (y, z), {"pos_weight": -1.0}, raises=ValueError, note="negative weight"),
    ]


def _reference_checked(y: np.ndarray, z: np.ndarray, pos_weight: float = 1.0) -> object:
    if pos_weight < 0:
        raise ValueError("pos_weight must be >= 0")
    return _reference(y, z, pos_weight)


EXERCISE = Exercise(
    label="ex-ch04-synthetic",
    title="A synthetic exercise",
    signature="weighted_bce(y, z, pos_weight=1.0) -> float",
    chapter=4,
    reference=_reference_checked,
    cases=_cases,
    hints={"nonfinite": Hint("log sigma(z) computed directly", "thm-ch04-stable")},
)


def _stable(y, z, pos_weight=1.0):
    if pos_weight < 0:
        raise ValueError("negative")
    # another stable form than the package's: logaddexp
    return np.mean(pos_weight * y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))


def _naive(y, z, pos_weight=1.0):
    if pos_weight < 0:
        raise ValueError("negative")
    p = 1 / (1 + np.exp(-z))
    return -np.mean(pos_weight * y * np.log(p) + (1 - y) * np.log(1 - p))


@pytest.mark.parametrize(
    ("wrong", "code"),
    [
        (_naive, "nonfinite"),
        (lambda y, z, pos_weight=1.0: len(y) * _stable(y, z, pos_weight), "factor"),
        (lambda y, z, pos_weight=1.0: -_stable(y, z, pos_weight), "sign"),
        (lambda y, z, pos_weight=1.0: np.float64(_stable(y, z, pos_weight)), "dtype"),
        (
            lambda y, z, pos_weight=1.0: _stable(y, z) if pos_weight >= 0 else 1 / 0,
            "option_ignored",
        ),
        (lambda y, z, pos_weight=1.0: _stable(y[:, None], z, pos_weight), "wrong"),
        (lambda y, z, pos_weight=1.0: np.zeros(()), "wrong"),
        (lambda y, z, pos_weight=1.0: np.asarray(y) * 0 + 1 / 0, "raised"),
    ],
)
def test_each_mistake_gets_its_diagnosis(wrong: object, code: str) -> None:
    report = run_exercise(EXERCISE, wrong)
    assert not report and not report.passed
    assert report.first_failure is not None
    assert report.first_failure.diagnosis == code, str(report)
    assert report.first_failure.hint is not None


def test_a_correct_different_implementation_passes() -> None:
    report = run_exercise(EXERCISE, _stable)
    assert report and report.passed, str(report)
    assert report.n_passed == report.n_cases == 5
    assert report.groups == {
        "typical": (1, 1),
        "extremes": (1, 1),
        "float32": (1, 1),
        "options": (1, 1),
        "errors": (1, 1),
    }
    assert report.first_failure is None
    assert "PASSED, 5 of 5 cases" in str(report)


def test_shape_broadcast_and_missing_error() -> None:
    def per_example_matrix(y, z, pos_weight=1.0):
        return y[:, None] * 0 + z[None, :] * 0 + _stable(y, z, pos_weight)

    report = run_exercise(EXERCISE, lambda y, z, pos_weight=1.0: per_example_matrix(y, z))
    assert report.first_failure is not None
    assert report.first_failure.diagnosis == "broadcast"
    assert "(6, 6)" in report.first_failure.detail

    report = run_exercise(EXERCISE, lambda y, z, pos_weight=1.0: np.full(3, 0.5))
    assert report.first_failure is not None and report.first_failure.diagnosis == "shape"

    no_check = run_exercise(EXERCISE, lambda y, z, pos_weight=1.0: _stable(y, z, abs(pos_weight)))
    failure = no_check.first_failure
    assert failure is not None and failure.diagnosis == "no_error"
    assert no_check.groups["errors"] == (0, 1)
    assert "raises ValueError" in str(no_check)


def test_mutating_the_input_is_reported() -> None:
    def in_place(y, z, pos_weight=1.0):
        z *= 1.0 + 1e-3
        return _stable(y, z / (1.0 + 1e-3), pos_weight)

    report = run_exercise(EXERCISE, in_place)
    assert report.first_failure is not None
    assert report.first_failure.diagnosis == "mutated_input"


def test_a_raising_function_is_shown_against_the_expected_value() -> None:
    report = run_exercise(EXERCISE, lambda y, z, pos_weight=1.0: 1 / 0)
    failure = report.first_failure
    assert failure is not None and failure.diagnosis == "raised"
    assert failure.error == "raised ZeroDivisionError: division by zero"
    assert failure.expected is not None
    text = str(report)
    assert f"expected:   {float(failure.expected):.6f}" in text, text
    assert "got:        raised ZeroDivisionError: division by zero" in text


def test_a_diagnosis_that_raises_falls_back_to_the_generic_one() -> None:
    def broken(case: Case, expected: object, got: object) -> str:
        raise TypeError("a battery's diagnosis written for arrays met a string")

    exercise = Exercise("ex-ch04-broken", "t", "f(y, z)", 4, _reference, _cases, diagnose=broken)
    report = run_exercise(exercise, lambda y, z, pos_weight=1.0: "a string")
    assert report.first_failure is not None and report.first_failure.diagnosis == "wrong"


def test_another_exception_where_one_is_asked_for() -> None:
    def refuses_with_runtime_error(y, z, pos_weight=1.0):
        if pos_weight < 0:
            raise RuntimeError("negative weight")
        return _stable(y, z, pos_weight)

    report = run_exercise(EXERCISE, refuses_with_runtime_error)
    failure = report.first_failure
    assert failure is not None and failure.diagnosis == "wrong_error", str(report)
    assert "expected:   raises ValueError" in str(report)
    assert "raised RuntimeError: negative weight" in str(report)


def test_a_function_that_never_returns_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from mlecourse.check import _core

    monkeypatch.setattr(_core, "CASE_TIME_LIMIT_S", 0.2)

    def loops(y, z, pos_weight=1.0):
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # a reader's catch-all must not swallow the time limit
                pass

    start = time.perf_counter()
    report = run_exercise(EXERCISE, loops)
    assert time.perf_counter() - start < 5 * 0.2 * len(_cases()) + 1
    failure = report.first_failure
    assert failure is not None and failure.diagnosis == "timeout"
    assert failure.error == "stopped: did not return within 0.2 s"


def test_python_lists_are_shown_as_lists() -> None:
    exercise = Exercise(
        "ex-ch04-lists",
        "t",
        "f(y, z)",
        4,
        _reference,
        lambda: [Case("typical", ([1.0, 0.0], [0.25, -1e4]))],
    )
    text = str(run_exercise(exercise, lambda y, z: 0.5))
    assert "f([1, 0], [0.25, -10000])" in text, text


def test_an_expected_value_of_one_is_not_called_a_factor() -> None:
    exercise = Exercise(
        "ex-ch04-one",
        "t",
        "f(x)",
        4,
        lambda x: 1.0,
        lambda: [Case("typical", (3.0,))],
    )
    report = run_exercise(exercise, lambda x: 2.0)
    assert report.first_failure is not None and report.first_failure.diagnosis == "wrong"


def test_sum_versus_mean_is_named() -> None:
    report = run_exercise(EXERCISE, lambda y, z, pos_weight=1.0: 6 * _stable(y, z, pos_weight))
    assert report.first_failure is not None
    assert "n = 6" in report.first_failure.detail
    assert "sum where the mean is asked" in report.first_failure.detail


def test_report_text_and_html() -> None:
    report = run_exercise(EXERCISE, _naive)
    text = str(report)
    assert text.splitlines()[0] == "ex-ch04-synthetic: FAILED, 4 of 5 cases"
    assert "extremes 0/1" in text
    assert "logits of +-1e4" in text
    assert "got:        inf" in text
    assert "Hint: log sigma(z) computed directly" in text
    assert "See chapter 4, thm-ch04-stable." in text
    page = report._repr_html_()
    assert page.startswith('<div class="mlc-check mlc-check-failed" role="status"')
    assert '<a href="04_binary_cross_entropy.html#thm-ch04-stable" style=' in page
    assert html.escape("weighted_bce([1., 0.]") in page
    assert repr(report) == text


def test_equation_hints_link_to_the_equation_anchor() -> None:
    exercise = Exercise(
        "ex-ch04-eq",
        "t",
        "f(y, z)",
        4,
        _reference,
        lambda: [Case("typical", (np.ones(2), np.zeros(2)))],
        hints={"wrong": Hint("see the equation", "eq-ch04-pos-weight")},
    )
    page = run_exercise(exercise, lambda y, z: 0.0)._repr_html_()
    assert 'href="04_binary_cross_entropy.html#equation-eq-ch04-pos-weight"' in page


def test_unknown_labels_list_close_matches() -> None:
    known = [e.label for e in exercises()]
    if known:
        with pytest.raises(UnknownExerciseError, match=f"Did you mean '{known[0]}'"):
            check(known[0][:-1] + "x", print)
    with pytest.raises(UnknownExerciseError, match="named by their label, not their number"):
        check("4.2", print)
    with pytest.raises(UnknownExerciseError, match="exercises\\(\\) lists"):
        check("zzz", print)


def test_a_non_callable_solution_is_a_type_error() -> None:
    if not exercises():
        pytest.skip("no battery registered yet")
    with pytest.raises(TypeError, match="solution must be your function"):
        check(exercises()[0].label, 0.5)


def test_cli_reports_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    infos = exercises()
    if not infos:
        pytest.skip("no battery registered yet")
    info = infos[0]
    file = tmp_path / "mine.py"
    file.write_text("def not_it():\n    return 0\n")
    assert cli_main([info.label, str(file)]) == 2
    assert "defines no" in capsys.readouterr().err
    assert cli_main(["no-such-label", str(file)]) == 2
    assert cli_main([info.label, str(tmp_path / "missing.py")]) == 2
    assert cli_main(["--list"]) == 0
    listed = capsys.readouterr().out
    assert all(i.label in listed for i in infos)

    name = info.signature.split("(", 1)[0]
    file.write_text(f"def {name}(*args, **kwargs):\n    return 0.0\n")
    assert cli_main([info.label, str(file)]) == 1
    assert "FAILED" in capsys.readouterr().out


def test_python_dash_m_runs_the_check_command(tmp_path: Path) -> None:
    file = tmp_path / "mine.py"
    file.write_text(
        textwrap.dedent(
            """
            def anything():
                return 0
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "mlecourse", "check", "no-such-label", str(file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "no checkable exercise is labelled 'no-such-label'" in result.stderr
