"""Time every checker of :mod:`mlecourse.check`: the issue asks for under 1 s each.

Each checker is run on the book's own solution (which passes every case, so every case is
evaluated; a failing reader's function costs the same plus one diagnosis). The time is the best
of ``--repeats`` runs after one warm-up run, which pays the one-off imports (TensorFlow for the
Keras exercises, reported separately as the first run's time).

Run: ``python benchmarks/bench_check.py`` (``--repeats 1`` for a quick pass).
"""

from __future__ import annotations

import argparse
import time

from mlecourse.check import check
from mlecourse.check._registry import all_exercises

LIMIT_S = 1.0


def main() -> int:
    """Print one row per checker and return 1 if a warm checker exceeds the limit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    slow = []
    print(f"{'exercise':<36} {'cases':>5} {'first run':>10} {'best':>8}")
    for label, exercise in all_exercises().items():
        start = time.perf_counter()
        report = check(label, exercise.reference)
        first = time.perf_counter() - start
        best = first
        for _ in range(args.repeats):
            start = time.perf_counter()
            check(label, exercise.reference)
            best = min(best, time.perf_counter() - start)
        if not report:
            print(f"{label}: the reference FAILS its battery\n{report}")
            return 1
        flag = "  > 1 s" if best > LIMIT_S else ""
        print(f"{label:<36} {report.n_cases:>5} {first:>9.3f}s {best:>7.3f}s{flag}")
        if best > LIMIT_S:
            slow.append(label)
    print(f"{len(all_exercises())} checkers; over {LIMIT_S:g} s when warm: {slow or 'none'}")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
