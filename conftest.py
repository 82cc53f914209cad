"""Repository-wide pytest configuration.

Hypothesis: see the profiles below.

nbval compares every output of a notebook cell with the stored one. TensorFlow writes
unpredictable logging to stderr, and stderr is not part of what a chapter teaches (the
book hides it too: ``nb_output_stderr: remove`` in ``_config.yml``), so stderr is left
out of the comparison. Everything on stdout and every displayed value is still compared.

TensorFlow's C++ start-up chatter is quieted here (``TF_CPP_MIN_LOG_LEVEL=2``, unless set),
before any test imports TensorFlow: the package itself never changes the environment.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow is first imported

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
    """After an nbval run, print how long each notebook took to execute (the book's budget).

    Per notebook: the total cell time, the first code cell (the imports: TensorFlow alone
    costs several seconds, a floor no chapter can lower by making its own cells cheaper) and
    the rest, then the sums over the notebooks that ran. nbval names a notebook's items
    ``path::Cell N``, N counting code cells only, so ``Cell 0`` is the import cell.
    """
    first: dict[str, float] = {}
    rest: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            path, _, cell = getattr(report, "nodeid", "").partition("::")
            if path.endswith(".ipynb") and getattr(report, "when", "") == "call":
                first.setdefault(path, 0.0)
                rest.setdefault(path, 0.0)
                bucket = first if cell == "Cell 0" else rest
                bucket[path] += report.duration
    if not first:
        return
    write = terminalreporter.write_line
    terminalreporter.section("notebook execution time")
    write(f"{'total':>8s} {'imports':>8s} {'rest':>8s}  notebook (seconds of cell time)")
    for path in sorted(first):
        total = first[path] + rest[path]
        write(f"{total:8.1f} {first[path]:8.1f} {rest[path]:8.1f}  {path}")
    total_first, total_rest = sum(first.values()), sum(rest.values())
    write(
        f"{total_first + total_rest:8.1f} {total_first:8.1f} {total_rest:8.1f}  "
        f"sum over {len(first)} notebooks (cells only; budget 120 s for the whole book)"
    )
