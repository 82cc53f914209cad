"""The TFP subpackage as a library: importing it leaves the user's environment alone."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytest.importorskip("tensorflow_probability")


def test_importing_mlecourse_tfp_does_not_touch_os_environ() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    # TensorFlow itself sets a few variables when imported (TF2_BEHAVIOR, ...): import it first
    code = (
        "import os, tensorflow, tensorflow_probability; before = dict(os.environ); "
        "import mlecourse.tfp, mlecourse.tfp.losses; print(dict(os.environ) == before)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"


def test_the_chapters_imports_still_work() -> None:
    from mlecourse.tfp import tf, tfb, tfd, tfp  # chapters 8 and 11 import these from here

    assert tfd is tfp.distributions and tfb is tfp.bijectors and tf.__name__ == "tensorflow"
