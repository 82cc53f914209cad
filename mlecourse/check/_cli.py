"""``python -m mlecourse check``: check a function in a file from the terminal.

``python -m mlecourse check LABEL FILE.py`` imports the function the exercise asks for (or
``--name NAME``) from ``FILE.py``, checks it, prints the report, and exits with 0 when every case
passed, 1 when one failed, and 2 when the command itself is wrong (unknown label, missing file
or function). ``python -m mlecourse check --list`` lists the checkable exercises.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import traceback
from pathlib import Path
from typing import TextIO

from mlecourse.check import UnknownExerciseError, check, exercises
from mlecourse.check._registry import find_exercise


def _load(path: Path, name: str) -> object:
    if not path.is_file():
        raise FileNotFoundError(f"FILE: no such file: {path}")
    spec = importlib.util.spec_from_file_location(f"_mlecourse_reader_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"FILE: cannot import {path} as Python")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.resolve().parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    if not hasattr(module, name):
        defined = sorted(
            k for k, v in vars(module).items() if callable(v) and not k.startswith("_")
        )
        raise AttributeError(
            f"{path} defines no {name!r} (the exercise asks for {name}; use --name to check "
            f"another); it defines: {', '.join(defined) or 'no functions'}"
        )
    return getattr(module, name)


def main(argv: list[str], out: TextIO | None = None) -> int:
    """Run the ``check`` command with ``argv`` (the arguments after ``check``)."""
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m mlecourse check",
        description="Check your solution to one of the book's exercises.",
    )
    parser.add_argument(
        "label", nargs="?", help="the exercise's label, e.g. ex-ch04-stable-weighted"
    )
    parser.add_argument("file", nargs="?", type=Path, help="the Python file with your solution")
    parser.add_argument("--name", help="the function's name in FILE (default: the exercise's)")
    parser.add_argument("--list", action="store_true", help="list the checkable exercises")
    args = parser.parse_args(argv)
    if args.list:
        for info in exercises():
            print(f"{info.label:<34} {info.signature}", file=out)
        return 0
    if args.label is None or args.file is None:
        parser.print_usage(sys.stderr)
        print("error: give LABEL and FILE (or --list)", file=sys.stderr)
        return 2
    exercise = find_exercise(args.label)
    try:
        if exercise is None:
            check(args.label, print)  # raises UnknownExerciseError with the close matches
            return 2  # pragma: no cover - check raised
        name = args.name or exercise.function_name
        solution = _load(args.file, name)
    except (UnknownExerciseError, FileNotFoundError, ImportError, AttributeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception:  # the reader's file failed to import: show where
        print(f"error: importing {args.file} failed:", file=sys.stderr)
        traceback.print_exc()
        return 2
    report = check(args.label, solution)
    print(report, file=out)
    return 0 if report else 1
