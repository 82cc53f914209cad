"""Check your own solution to an exercise: ``check("ex-ch04-stable-weighted", my_function)``.

Every exercise of the book that asks for code has a battery of cases, generated
deterministically: typical values, the extremes the chapter warns about (logits of +-1e4,
probabilities of exactly 0 and 1, zero counts), float32 input, the (N, 1) against (N,) shapes,
and each option the exercise names. :func:`check` runs your function on every case, compares it
with the book's tested solution, and returns a :class:`Report`:

* ``bool(report)`` (and ``report.passed``) is true exactly when every case passed;
* it counts the passed cases by group;
* for the first failing case it shows the input, the expected and the received result, and a
  hint that names the likely cause (an overflow, sum versus mean, a flipped sign, a promoted
  dtype, an option with no effect, a broadcast to (N, N)) with the section that explains it.

A wrong answer is a failing report, never an exception; an exception raised by your function is
reported as the failure of its case. The report renders as HTML in Jupyter and as text in a
terminal, where ``python -m mlecourse check LABEL FILE.py`` checks the function of that name in
a file. Exercises are named by their label (each exercise's "Check your answer" line gives
it, e.g. ``ex-ch04-stable-weighted``): labels are stable, numbers change when a chapter does.

>>> from mlecourse.check import check
>>> def mean_log_loss(y, z, pos_weight=1.0):  # the naive formula, through the probability
...     import numpy as np
...     p = 1 / (1 + np.exp(-z))
...     return -np.mean(pos_weight * y * np.log(p) + (1 - y) * np.log(1 - p))
>>> report = check("ex-ch04-stable-weighted", mean_log_loss)
>>> bool(report)
False
>>> report.first_failure.diagnosis
'nonfinite'
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from mlecourse.check._core import CaseResult, Hint, Report, run_exercise
from mlecourse.check._registry import all_exercises, find_exercise

__all__ = [
    "CaseResult",
    "ExerciseInfo",
    "Hint",
    "Report",
    "UnknownExerciseError",
    "check",
    "exercises",
]


class UnknownExerciseError(LookupError):
    """No checkable exercise has this label; the message lists the close matches."""


@dataclass(frozen=True)
class ExerciseInfo:
    """A checkable exercise, as :func:`exercises` lists it.

    Attributes:
        label: The label to pass to :func:`check`.
        chapter: The chapter number.
        title: The exercise's title in the book.
        signature: The function or class the exercise asks for.
    """

    label: str
    chapter: int
    title: str
    signature: str


def exercises(chapter: int | None = None) -> list[ExerciseInfo]:
    """Every checkable exercise (of one chapter, if given), in the book's order."""
    return [
        ExerciseInfo(e.label, e.chapter, e.title, e.signature)
        for e in all_exercises().values()
        if chapter is None or e.chapter == chapter
    ]


def check(label: str, solution: object) -> Report:
    """Check your solution of the exercise ``label`` against the book's tested solution.

    Args:
        label: The exercise's label, e.g. ``"ex-ch04-stable-weighted"``.
        solution: Your function (or class, where the exercise asks for one).

    Returns:
        A :class:`Report`, true exactly when every case passed; it renders as HTML in Jupyter.

    Raises:
        UnknownExerciseError: No checkable exercise has that label (the message lists the
            closest labels).
        TypeError: ``solution`` is not callable.
    """
    exercise = find_exercise(label) if isinstance(label, str) else None
    if exercise is None:
        raise UnknownExerciseError(_unknown_message(label, list(all_exercises())))
    if not callable(solution):
        raise TypeError(
            f"solution must be your function (or class), not the result of calling it; "
            f"got {type(solution).__name__}"
        )
    return run_exercise(exercise, solution)


def _unknown_message(label: object, known: list[str]) -> str:
    text = str(label)
    message = f"label: no checkable exercise is labelled {text!r}."
    number = re.fullmatch(r"\s*(?:exercise\s*)?(\d+)\.(\d+)\s*", text, flags=re.IGNORECASE)
    if number:
        prefix = f"ex-ch{int(number.group(1)):02d}-"
        same_chapter = [k for k in known if k.startswith(prefix)]
        return (
            f"{message} Exercises are named by their label, not their number (numbers change "
            f"when a chapter does); the exercise's 'Check your answer' line gives its label. "
            f"Chapter {int(number.group(1))}'s checkable exercises: "
            f"{', '.join(same_chapter) or 'none'}."
        )
    contains = [k for k in known if len(text) >= 4 and text in k]
    close = contains[:3] or difflib.get_close_matches(text, known, n=3, cutoff=0.75)
    if close:
        return f"{message} Did you mean {' or '.join(repr(c) for c in close)}?"
    return f"{message} mlecourse.check.exercises() lists the {len(known)} checkable exercises."
