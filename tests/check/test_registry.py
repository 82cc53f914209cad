"""Every registered battery against the book: labels, hint targets, and the reference itself.

- each exercise's label is an exercise of its chapter, and its title is that exercise's title;
- each hint's target is a label defined in that chapter (so the report's link resolves);
- each exercise that has a checker says so in the book ("Check your answer: `check(...)`" with
  the name the battery expects), and each such line names a registered exercise;
- the book's reference solution passes every case of its own battery.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlecourse.check import check, exercises
from mlecourse.check._core import CHAPTER_FILES
from mlecourse.check._registry import all_exercises
from tests.book_pages import ROOT, load_cells, source, toc_notebooks

CHAPTERS = ROOT / "book" / "chapters"
EXERCISE_RE = re.compile(r"```\{exercise\}\s*(?P<title>[^\n]*)\n:label: (?P<label>\S+)")
LABEL_RE = re.compile(
    r"^\((?P<target>[\w-]+)\)=$|^:label: (?P<directive>[\w-]+)$|\$\$ \((?P<eq>[\w-]+)\)$",
    re.MULTILINE,
)
CHECK_LINE_RE = re.compile(r'Check your answer: `check\("(?P<label>[\w-]+)", (?P<name>\w+)\)`')


def _markdown(chapter: int) -> str:
    path = CHAPTERS / f"{CHAPTER_FILES[chapter]}.ipynb"
    return "\n".join(source(c) for c in load_cells(path) if c["cell_type"] == "markdown")


def test_chapter_files_are_the_books_chapters() -> None:
    chapters = [p for p in toc_notebooks() if p.parent == CHAPTERS]
    assert [p.stem for p in chapters] == list(CHAPTER_FILES.values())


REGISTRY = all_exercises()


@pytest.mark.parametrize("label", sorted(REGISTRY))
def test_label_title_and_hint_targets_exist_in_the_chapter(label: str) -> None:
    exercise = REGISTRY[label]
    text = _markdown(exercise.chapter)
    titles = {m["label"]: m["title"].strip() for m in EXERCISE_RE.finditer(text)}
    assert label in titles, f"{label} is not an exercise of chapter {exercise.chapter}"
    assert exercise.title == titles[label], (exercise.title, titles[label])
    defined = {next(g for g in m.groups() if g) for m in LABEL_RE.finditer(text)}
    for code, hint in exercise.hints.items():
        if hint.ref:
            assert hint.ref in defined, f"{label}: hint {code!r} links {hint.ref!r}, not defined"


@pytest.mark.parametrize("label", sorted(REGISTRY))
def test_the_reference_passes_its_own_battery(label: str) -> None:
    exercise = REGISTRY[label]
    report = check(label, exercise.reference)
    assert report.passed, str(report)
    assert report.n_cases >= 4, f"{label}: a battery of {report.n_cases} cases is too thin"


def test_check_lines_in_the_book_match_the_registry() -> None:
    lines: dict[str, str] = {}
    for chapter in CHAPTER_FILES:
        for m in CHECK_LINE_RE.finditer(_markdown(chapter)):
            assert m["label"].startswith(f"ex-ch{chapter:02d}-"), m.group(0)
            lines[m["label"]] = m["name"]
    assert set(lines) == set(REGISTRY), {
        "lines without a battery": sorted(set(lines) - set(REGISTRY)),
        "batteries without a line": sorted(set(REGISTRY) - set(lines)),
    }
    for label, name in lines.items():
        assert REGISTRY[label].function_name == name, (label, name)


def test_exercises_lists_every_battery_in_order() -> None:
    infos = exercises()
    assert [i.label for i in infos] == list(REGISTRY)
    assert [i.chapter for i in infos] == sorted(i.chapter for i in infos)
    assert all(i.signature.split("(")[0] for i in infos)


def test_listing_does_not_import_tensorflow() -> None:
    import subprocess
    import sys

    code = (
        "import sys, mlecourse.check as c; c.exercises(); "
        "assert 'tensorflow' not in sys.modules, 'listing imported TensorFlow'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(ROOT))
