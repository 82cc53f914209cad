"""The NumPy SIMD groups above the baseline that this CPU has, for NPY_DISABLE_CPU_FEATURES.

``make notebooks-baseline`` runs strict nbval with NumPy limited to its baseline SIMD, so that a
stored output that only one kind of CPU prints (AVX-512 here, AVX2 on the next machine) fails on
any machine (issue 17, section 3). The groups depend on the NumPy build (NumPy 2.4 dispatches
``X86_V3 X86_V4 AVX512_ICL AVX512_SPR`` above an ``X86_V2`` baseline) and on the CPU, so they
are computed here at run time, never written down:

    python tools/numpy_baseline.py            # print the groups to disable, space-separated
    python tools/numpy_baseline.py --verify   # under NPY_DISABLE_CPU_FEATURES: show what
                                              # numpy.show_runtime() reports; fail if any
                                              # dispatched group is still enabled

Only groups this CPU has are listed: they are what NumPy would dispatch to.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

import numpy as np

try:  # NumPy 2
    from numpy._core import _multiarray_umath as umath
except ImportError:  # NumPy 1
    from numpy.core import _multiarray_umath as umath  # type: ignore[no-redef]


def groups_above_baseline() -> list[str]:
    """The dispatched groups (``__cpu_dispatch__``) that this CPU supports."""
    features = umath.__cpu_features__
    return [group for group in umath.__cpu_dispatch__ if features.get(group)]


def verify() -> int:
    """Report what NumPy uses under the current environment; 1 if any group is still on."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        np.show_runtime()
    text = out.getvalue()
    simd = text[text.index("{'simd_extensions'") : text.index("}}", text.index("simd")) + 2]
    disabled = os.environ.get("NPY_DISABLE_CPU_FEATURES", "")
    print(
        f"NumPy {np.__version__}, NPY_DISABLE_CPU_FEATURES={disabled!r}, "
        f"TF_ENABLE_ONEDNN_OPTS={os.environ.get('TF_ENABLE_ONEDNN_OPTS', '')!r}"
    )
    print(f"baseline {list(umath.__cpu_baseline__)}; numpy.show_runtime():")
    print(simd)
    still_on = groups_above_baseline()
    if still_on:
        print(
            f"NumPy still dispatches to {still_on}: NPY_DISABLE_CPU_FEATURES is not honoured",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--verify"]:
        sys.exit(verify())
    print(" ".join(groups_above_baseline()))
