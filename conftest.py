"""Repository-wide pytest configuration.

nbval compares every output of a notebook cell with the stored one. TensorFlow writes
unpredictable logging to stderr, and stderr is not part of what a chapter teaches (the
book hides it too: ``nb_output_stderr: remove`` in ``_config.yml``), so stderr is left
out of the comparison. Everything on stdout and every displayed value is still compared.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        notebook = item.parent
        skip = getattr(notebook, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            notebook.skip_compare = (*skip, "stderr")
