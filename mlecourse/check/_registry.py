"""The registry of checkable exercises: each chapter's ``_chNN`` module, imported on first use.

A chapter module defines ``EXERCISES``, a tuple of :class:`mlecourse.check._core.Exercise`.
Modules that need TensorFlow import it inside their functions, so listing the exercises never
imports TensorFlow.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from functools import cache

from mlecourse.check._core import CHAPTER_FILES, Exercise


@cache
def chapter_exercises(chapter: int) -> dict[str, Exercise]:
    """The exercises of one chapter, by label (importing only that chapter's battery)."""
    module_name = f"mlecourse.check._ch{chapter:02d}"
    if chapter not in CHAPTER_FILES or importlib.util.find_spec(module_name) is None:
        return {}
    module = importlib.import_module(module_name)
    found: dict[str, Exercise] = {}
    for exercise in getattr(module, "EXERCISES", ()):
        if exercise.label in found:
            raise RuntimeError(f"exercise {exercise.label!r} is registered twice")
        if exercise.chapter != chapter:
            raise RuntimeError(
                f"exercise {exercise.label!r} says chapter {exercise.chapter} but is "
                f"registered in {module_name}"
            )
        found[exercise.label] = exercise
    return found


def find_exercise(label: str) -> Exercise | None:
    """The exercise labelled ``label``, importing only its chapter's battery; else ``None``."""
    match = re.fullmatch(r"ex-ch(\d\d)-[\w-]+", label)
    if match is None:
        return None
    return chapter_exercises(int(match.group(1))).get(label)


def all_exercises() -> dict[str, Exercise]:
    """Every registered exercise, by label, in chapter order."""
    found: dict[str, Exercise] = {}
    for chapter in sorted(CHAPTER_FILES):
        found.update(chapter_exercises(chapter))
    return found
