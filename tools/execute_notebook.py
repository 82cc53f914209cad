"""Execute chapter notebooks in place, the way the book stores them.

Usage: ``python tools/execute_notebook.py book/chapters/04_binary_cross_entropy.ipynb [...]``
(or ``make execute`` for every notebook in the book).

For each notebook: run every cell with the ``python3`` kernel, then drop stderr outputs
(TensorFlow's C++/absl start-up messages are not part of the lesson and would show as red
boxes in JupyterLab), drop the per-cell execution timestamps (they change on every run and
only make diffs noisy), and write the notebook back with kernelspec ``python3``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> float:
    """Execute ``path`` in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
        cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nbformat.write(nb, path)
    return seconds


def main(paths: list[str]) -> int:
    """Execute each notebook given on the command line."""
    if not paths:
        print(__doc__)
        return 2
    for name in paths:
        seconds = execute(Path(name))
        print(f"{seconds:6.1f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
