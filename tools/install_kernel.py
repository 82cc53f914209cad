"""Register the ``python3`` Jupyter kernel of this virtual environment, quiet at the C level.

TensorFlow's C++ start-up messages (CUDA stubs, absl logging) are written straight to the
process's file descriptor 2. By default ipykernel captures that descriptor and shows it under
the cell as red stderr boxes, which a reader would take for errors. With
``capture_fd_output=False`` the kernel leaves C-level output on the terminal that started
JupyterLab; Python's own ``sys.stderr`` (warnings, tracebacks) is still shown in the notebook.
The spec also sets ``TF_CPP_MIN_LOG_LEVEL=2`` in the kernel's environment, so TensorFlow's
C++ start-up chatter is quiet (the package itself never changes ``os.environ``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ipykernel.kernelspec import install

QUIET = "--IPKernelApp.capture_fd_output=False"
ENV = {"TF_CPP_MIN_LOG_LEVEL": "2"}


def main() -> int:
    """Install the kernel spec into ``sys.prefix``, with the quiet flag and environment."""
    spec_dir = Path(
        install(kernel_name="python3", display_name="Python 3 (mlecourse)", prefix=sys.prefix)
    )
    kernel_json = spec_dir / "kernel.json"
    spec = json.loads(kernel_json.read_text())
    if QUIET not in spec["argv"]:
        spec["argv"].insert(spec["argv"].index("-f"), QUIET)
    spec["env"] = {**spec.get("env", {}), **ENV}
    kernel_json.write_text(json.dumps(spec, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
