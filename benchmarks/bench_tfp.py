"""TFP twins (mlecourse.tfp.losses) against the Keras 3 built-ins on the same inputs.

Run: ``.venv/bin/python benchmarks/bench_tfp.py [--quick]``. Prints the median time of each
loss, eagerly and inside ``tf.function``, and the ratio twin / Keras (target: <= 1.5).
Eager twins also run their value checks (finite, ranges), which Keras does not do; inside
``tf.function`` those checks are skipped, so that column compares the computations alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # quiet TensorFlow, before importing it

from mlecourse.tfp import losses as T
from mlecourse.tfp import tf

keras = tf.keras  # Keras 3 (TensorFlow >= 2.16)


def median_time(fn, repeats: int) -> float:
    fn()  # warm-up (and tracing)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        _ = out.numpy()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cases(quick: bool):
    rng = np.random.default_rng(0)
    n_bce, n_ce, n_mse = (10**5, 10**4, 10**5) if quick else (10**6, 10**5, 10**6)
    z = tf.constant(rng.normal(size=n_bce).astype(np.float32))
    y = tf.constant((rng.random(n_bce) < 0.5).astype(np.float32))
    f = tf.constant(rng.normal(size=(n_ce, 10)).astype(np.float32))
    labels = tf.constant(rng.integers(0, 10, n_ce))
    a = tf.constant(rng.normal(size=n_mse).astype(np.float32))
    b = tf.constant(rng.normal(size=n_mse).astype(np.float32))
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    sce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    mse = keras.losses.MeanSquaredError()
    yield (
        f"BCE from logits, {n_bce:.0e}",
        lambda: T.binary_cross_entropy(y, z, from_logits=True),
        lambda: bce(y, z),
    )
    yield (
        f"sparse CE, {n_ce:.0e} x 10",
        lambda: T.sparse_categorical_cross_entropy(labels, f, from_logits=True),
        lambda: sce(labels, f),
    )

    def twin_mse():
        return T.mean_squared_error(a, b)

    def keras_mse():
        return mse(a, b)

    yield f"MSE, {n_mse:.0e}", twin_mse, keras_mse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer repeats")
    args = parser.parse_args()
    repeats = 5 if args.quick else 20
    print(f"{'loss':<26}{'mode':<13}{'twin ms':>9}{'keras ms':>10}{'ratio':>8}")
    for name, twin, builtin in cases(args.quick):
        for mode in ("eager", "tf.function"):
            t_fn, k_fn = (
                (twin, builtin) if mode == "eager" else (tf.function(twin), tf.function(builtin))
            )
            t_twin = median_time(t_fn, repeats)
            t_keras = median_time(k_fn, repeats)
            print(
                f"{name:<26}{mode:<13}{1e3 * t_twin:>9.2f}{1e3 * t_keras:>10.2f}"
                f"{t_twin / t_keras:>8.2f}"
            )


if __name__ == "__main__":
    main()
