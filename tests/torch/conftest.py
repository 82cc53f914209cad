"""The PyTorch re-runs need torch 2.13.0 (the CPU build), a test-only dependency.

Outside CI, a machine without torch skips every test of this directory with the one message
below (pytest's summary groups them into one line). Under ``CI=true`` a missing torch fails
them instead: CI installs torch (``make test`` depends on ``make torch``), so a CI run that
does not re-run the PyTorch values must not look green. A torch other than 2.13 fails them
everywhere: the book quotes torch 2.13.0.
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


def pytest_runtest_setup(item: pytest.Item) -> None:
    problem = torch_problem()
    if problem is None:
        return
    if torch is None and os.environ.get("CI") != "true":
        pytest.skip(INSTALL)
    pytest.fail(problem + (" (CI=true: torch is required)" if torch is None else ""), False)
