"""Time the reference losses against scikit-learn, Keras and PyTorch, and measure their memory.

Two workloads, each in float64 and float32:

* binary cross-entropy from logits on 10**6 values;
* sparse categorical cross-entropy from logits on 10**5 examples x 10 classes.

Contenders: ``mlecourse.losses`` (which runs the two private kernels of ``mlecourse._kernels`` on
these hot paths); ``mlecourse readable formula``, the same loss evaluated as the one-line formula
the kernels replace, on whole arrays (the measurement that decides whether the kernels are worth
keeping); ``sklearn.metrics.log_loss``, which takes probabilities: once
given ``sigmoid``/``softmax`` outputs computed outside the timed region (a head start, used for the
target), once with ``scipy.special.expit``/``softmax`` inside it (what a user holding logits runs);
``keras.losses.binary_crossentropy(from_logits=True)`` and
``keras.losses.sparse_categorical_crossentropy(from_logits=True)`` on tensors converted beforehand;
PyTorch CPU (``F.binary_cross_entropy_with_logits``, ``F.cross_entropy``) with one thread, like
NumPy, when torch is importable (the target), and with two threads (printed for reference, its
best *wall* time: CPU time would add up both threads). Each time is the best CPU time of several
repeats (the machine is
shared, so wall time mostly measures the neighbours); TensorFlow is limited to one thread too.

Memory: the peak of ``tracemalloc`` during one call, as a multiple of the input size (the bytes of
the predictions plus the targets). Only NumPy-based contenders are traced (TF and torch allocate
outside Python's allocator).

Run: ``python benchmarks/bench_losses.py`` (add ``--quick`` for tiny sizes and two repeats).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

# one thread everywhere, like NumPy, so that CPU times compare like with like; TensorFlow quiet
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
# OpenMP worker threads (PyTorch's two-thread contender, OpenBLAS) spin-wait for a while after
# each parallel region, and CPU time counts every thread of the process: with the default
# policy the spinning was charged to whichever contender ran next (measured: the float64 BCE of
# mlecourse read 8.7 ms instead of 4.9 ms). Passive waiting makes each time its own work.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from mlecourse import losses
from mlecourse.special import log_softmax, sigmoid, softmax, softplus

TARGETS = {"sklearn": 10.0, "torch": 1.5, "memory": 3.0}


def best_times(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Best CPU time of ``repeats`` calls of each function, in milliseconds.

    CPU time of this process rather than wall time: on a shared machine the wall time mostly
    measures the neighbours. Every contender is single-threaded, so CPU time is the work done.
    The contenders take turns (round robin, after a warm-up call each), so that a burst of load
    from elsewhere does not land on one of them only.
    """
    best = dict.fromkeys(fns, float("inf"))
    for fn in fns.values():
        fn()
    for _ in range(repeats):
        for name, fn in fns.items():
            clock = time.perf_counter if "threads)" in name else time.process_time
            start = clock()
            fn()
            best[name] = min(best[name], clock() - start)
    return {name: seconds * 1e3 for name, seconds in best.items()}


def peak_memory(fn: Callable[[], object]) -> int:
    """Peak bytes allocated through Python/NumPy during one call."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def readable_bce(y: np.ndarray, z: np.ndarray) -> np.floating:
    """The mean of the formula line of ``losses.binary_cross_entropy`` on whole arrays."""
    nll = (1 - y) * np.maximum(z, 0) - y * np.minimum(z, 0) + softplus(-np.abs(z))
    return nll.mean()


def readable_sparse_ce(k: np.ndarray, z: np.ndarray) -> np.floating:
    """The mean of the formula line of ``losses.sparse_categorical_cross_entropy``."""
    return -np.take_along_axis(log_softmax(z, axis=-1), k[:, None], axis=-1).mean()


def contenders(kind: str, z: np.ndarray, y: np.ndarray) -> dict[str, Callable[[], object]]:
    """The callables to time for one workload ('bce' or 'sparse_ce')."""
    import scipy.special as sc
    from sklearn.metrics import log_loss

    if kind == "bce":
        probs = sigmoid(z)
        out = {
            "mlecourse": lambda: losses.binary_cross_entropy(y, z, from_logits=True),
            "mlecourse readable formula": lambda: readable_bce(y, z),
            "sklearn log_loss": lambda: log_loss(y, probs),
            "sklearn log_loss(expit(z))": lambda: log_loss(y, sc.expit(z)),
        }
    else:
        probs = softmax(z)
        labels = np.arange(z.shape[-1])
        out = {
            "mlecourse": lambda: losses.sparse_categorical_cross_entropy(y, z, from_logits=True),
            "mlecourse readable formula": lambda: readable_sparse_ce(y, z),
            "sklearn log_loss": lambda: log_loss(y, probs, labels=labels),
            "sklearn log_loss(softmax(z))": (
                lambda: log_loss(y, sc.softmax(z, axis=-1), labels=labels)
            ),
        }
    keras = optional("keras") if optional("mlecourse.tfp") is not None else None
    if keras is not None:
        zt, yt = keras.ops.convert_to_tensor(z), keras.ops.convert_to_tensor(y)
        if kind == "bce":

            def keras_fn() -> object:
                return keras.ops.mean(keras.losses.binary_crossentropy(yt, zt, from_logits=True))
        else:

            def keras_fn() -> object:
                per = keras.losses.sparse_categorical_crossentropy(yt, zt, from_logits=True)
                return keras.ops.mean(per)

        out["keras " + keras.__version__] = keras_fn
    torch = optional("torch")
    if torch is not None:
        import torch.nn.functional as F

        zt_, yt_ = torch.from_numpy(z), torch.from_numpy(y)
        loss = F.binary_cross_entropy_with_logits if kind == "bce" else F.cross_entropy
        for threads in (1, 2):

            def torch_fn(threads: int = threads) -> object:
                torch.set_num_threads(threads)
                return loss(zt_, yt_)

            out[f"torch {torch.__version__} ({threads} thread{'s' if threads > 1 else ''})"] = (
                torch_fn
            )
    return out


@functools.cache
def optional(module: str) -> Any:
    """Import ``module`` if available (saying once when it is not)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        print(f"({module} not importable, its rows are skipped: {exc})")
        return None


def workloads(quick: bool, rng: np.random.Generator):
    n_bce, n_ce, classes = (10_000, 1_000, 10) if quick else (1_000_000, 100_000, 10)
    for dtype in (np.float64, np.float32):
        z = rng.normal(0.0, 3.0, n_bce).astype(dtype)
        y = (rng.random(n_bce) < 0.5).astype(dtype)
        yield f"BCE logits {n_bce:.0e}", dtype, "bce", z, y
        z = rng.normal(0.0, 3.0, (n_ce, classes)).astype(dtype)
        y = rng.integers(0, classes, n_ce)
        yield f"sparse CE {n_ce:.0e}x{classes}", dtype, "sparse_ce", z, y


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, two repeats")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per timing")
    args = parser.parse_args(argv)
    repeats = args.repeats or (2 if args.quick else 15)
    rng = np.random.default_rng(0)

    header = f"{'workload':<22} {'dtype':<8} {'implementation':<28} {'ms':>9} {'x mlecourse':>12}"
    header += f" {'peak mem / input':>17}"
    rows, verdicts = [header, "-" * len(header)], []
    for label, dtype, kind, z, y in workloads(args.quick, rng):
        fns = contenders(kind, z, y)
        input_bytes = z.nbytes + y.nbytes
        # TensorFlow keeps worker threads busy for a while after each call, and process CPU time
        # would charge that to whoever runs next: Keras is timed on its own, after the others
        keras_fns = {n: f for n, f in fns.items() if n.startswith("keras")}
        times = best_times({n: f for n, f in fns.items() if n not in keras_fns}, repeats)
        times.update(best_times(keras_fns, repeats))
        ours = times["mlecourse"]
        for name, ms in times.items():
            mem = ""
            if name in ("mlecourse", "mlecourse readable formula", "sklearn log_loss"):
                mem = f"{peak_memory(fns[name]) / input_bytes:.2f}x"
            rows.append(
                f"{label:<22} {np.dtype(dtype).name:<8} {name:<28} {ms:>9.3f} "
                f"{ms / ours:>11.2f}x {mem:>17}"
            )
        mem_ours = peak_memory(fns["mlecourse"]) / input_bytes
        sk = times["sklearn log_loss"] / ours
        verdict = [f"{label} {np.dtype(dtype).name}: {sk:.1f}x faster than sklearn"]
        verdict[-1] += " (target >= 10x: " + ("met" if sk >= TARGETS["sklearn"] else "MISSED") + ")"
        torch_name = next((n for n in times if n.startswith("torch") and "(1 " in n), None)
        if torch_name:
            r = ours / times[torch_name]
            ok = "met" if r <= TARGETS["torch"] else "MISSED"
            verdict.append(f"{r:.2f}x the time of torch (target <= 1.5x: {ok})")
        ok = "met" if mem_ours <= TARGETS["memory"] else "MISSED"
        verdict.append(f"peak memory {mem_ours:.2f}x input (target <= 3x: {ok})")
        verdicts.append("; ".join(verdict))
        rows.append("")
    print("\n".join(rows))
    print("\n".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
