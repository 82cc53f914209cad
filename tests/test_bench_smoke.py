"""The benchmark script runs end to end (tiny sizes) and prints its table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_losses.py"


def test_bench_losses_quick_prints_the_table():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "implementation" in out and "x mlecourse" in out and "peak mem / input" in out
    for row in ("BCE logits", "sparse CE"):
        assert f"{row}" in out
    assert out.count("mlecourse ") >= 4  # one row per workload and dtype
    assert "faster than sklearn" in out and "peak memory" in out
