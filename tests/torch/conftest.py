"""The PyTorch re-runs need torch 2.13.0 (the CPU build), a test-only dependency.

Without torch, none of this directory's files is collected (a module that imports torch cannot
be), and one item, ``tests/torch: torch is missing``, stands for them: outside CI it is skipped
with the one message below; under ``CI=true`` it fails, because CI installs torch (``make test``
depends on ``make torch``) and a CI run that re-runs no PyTorch value must not look green. A
torch other than 2.13 fails every test here: the book quotes torch 2.13.0.
"""

from __future__ import annotations

import os

import pytest

TORCH_VERSION = "2.13"
INSTALL = (
    "torch is not installed, so the PyTorch values the book quotes are not re-run. Install "
    "it (the CPU build, test-only) with `make torch`, or "
    "`.venv/bin/python -m pip install -c constraints.txt torch==2.13.0`."
)

try:
    import torch
except ImportError:
    torch = None


def torch_problem() -> str | None:
    """Why this directory cannot run here, or None."""
    if torch is None:
        return INSTALL
    if not torch.__version__.startswith(TORCH_VERSION):
        return (
            f"torch {torch.__version__} is installed, but the book quotes torch 2.13.0: "
            "`.venv/bin/python -m pip install -c constraints.txt torch==2.13.0`"
        )
    return None


if torch is None:
    collect_ignore_glob = ["*.py"]  # this conftest is not collected as a test module


class TorchMissing(pytest.Item):
    """The one item that reports a missing torch for the whole directory."""

    def runtest(self) -> None:
        if os.environ.get("CI") == "true":
            pytest.fail(INSTALL + " (CI=true: torch is required)", pytrace=False)
        pytest.skip(INSTALL)

    def reportinfo(self) -> tuple[str, int, str]:
        return "tests/torch", 0, "tests/torch: torch is missing"


def pytest_collection_modifyitems(session: pytest.Session, items: list[pytest.Item]) -> None:
    if torch is None:  # this conftest is loaded only when tests/torch is collected
        items.append(TorchMissing.from_parent(session, name="tests/torch: torch is missing"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    problem = torch_problem()
    if problem is not None and torch is not None:  # the wrong version
        pytest.fail(problem, pytrace=False)
