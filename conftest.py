"""Repository-wide pytest configuration.

Hypothesis: see the profiles below.

nbval compares every output of a notebook cell with the stored one. TensorFlow writes
unpredictable logging to stderr, and stderr is not part of what a chapter teaches (the
book hides it too: ``nb_output_stderr: remove`` in ``_config.yml``), so stderr is left
out of the comparison. Everything on stdout and every displayed value is still compared.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Property tests: no per-example deadline (this machine and CI are shared and noisy, and a
# slow example is not a wrong one). Under CI the examples are derandomised, so a submission
# never fails on a draw that the author's run did not see; locally they stay random.
settings.register_profile("mlecourse", deadline=None, print_blob=True)
settings.register_profile("ci", parent=settings.get_profile("mlecourse"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "mlecourse")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        notebook = item.parent
        skip = getattr(notebook, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            notebook.skip_compare = (*skip, "stderr")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """After an nbval run, print how long each notebook took to execute (the book's budget)."""
    totals: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            path = getattr(report, "nodeid", "").split("::")[0]
            if path.endswith(".ipynb") and getattr(report, "when", "") == "call":
                totals[path] = totals.get(path, 0.0) + report.duration
    if totals:
        terminalreporter.section("notebook execution time")
        for path, seconds in sorted(totals.items()):
            terminalreporter.write_line(f"{seconds:7.1f} s  {path}")
        terminalreporter.write_line(f"{sum(totals.values()):7.1f} s  total (cells only)")
