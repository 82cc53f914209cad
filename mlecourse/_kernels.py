"""Private kernels for the two hot paths of the benchmark, each equal to a readable formula.

:mod:`mlecourse.losses` writes every loss as its formula. Two of them are also the hot paths of
``benchmarks/bench_losses.py`` (binary cross-entropy from logits, 10⁶ elements; sparse
cross-entropy from logits, 10⁵ × 10), and measured in one process on the course's 2-core
machine the whole-array formulas take 2-4x the time of single-thread PyTorch, chiefly because
each NumPy operation allocates and walks a full-size temporary. The functions here evaluate the
*same* formulas in blocks of about 16k elements whose temporaries stay in the CPU cache, with
preallocated buffers (``out=``). They are used by the losses only on those hot paths, and
``tests/test_kernels.py`` proves each equal to the readable formula it replaces.

* :func:`sigmoid_cross_entropy` -- ``(1 - y) max(z, 0) - y min(z, 0) + log1p(e^{-|z|})``, the
  line of :func:`mlecourse.losses.binary_cross_entropy` (``pos_weight=None``);
* :func:`softmax_cross_entropy` -- ``-log_softmax(z)[y] = (z_max - z_y) + log Σ_k e^{z_k - z_max}``,
  the line of :func:`mlecourse.losses.sparse_categorical_cross_entropy` (no smoothing);
* :func:`log1p_unit` -- ``log1p`` for arguments ``> -1``, on NumPy's SIMD-vectorised float32
  ``log`` where NumPy's float32 ``log1p`` is scalar code (NumPy 2 builds vectorise it for
  AVX-512 only), used by :mod:`mlecourse.special` too.
"""

from __future__ import annotations

import numpy as np

# Elements per block: a block's temporaries stay in the CPU cache.
_BLOCK = 16384
# NumPy reduces a short last axis (10 classes) row by row, slowly; for a few classes a loop of
# elementwise operations over the class columns is several times faster.
_FEW_CLASSES = 32


def _float32_log1p_is_simd() -> bool:
    """Whether NumPy runs float32 ``log1p`` on a SIMD kernel on this CPU.

    NumPy 2 builds ship one for AVX-512 CPUs only; elsewhere float32 ``log1p`` is scalar code,
    4x slower than :func:`log1p_unit` (measured on one machine with AVX-512 switched on and off
    through ``NPY_DISABLE_CPU_FEATURES``). ``numpy.lib.introspect.opt_func_info`` (NumPy >= 2.0)
    names the kernel NumPy dispatched to; "baseline" means no SIMD one.
    """
    try:
        from numpy.lib.introspect import opt_func_info
    except ImportError:  # NumPy 1.x
        return False
    found = opt_func_info(func_name="log1p", signature="float32").get("log1p", {})
    return any(not str(k.get("current", "baseline")).startswith("baseline") for k in found.values())


_SIMD_FLOAT32_LOG1P = _float32_log1p_is_simd()


def log1p_unit(t: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``log1p(t)`` for ``t > -1``, vectorised in float32, within a few ulps.

    With ``u = fl(1 + t)``: ``log1p(t) = log(u) + log1p((t - (u - 1)) / u)`` exactly, and the
    correction is below one ulp of ``u``, so its first-order term ``-((u - 1) - t) / u``
    suffices. When ``t`` is below ``eps / 2``, ``u == 1`` and the result is ``t``: exact.
    Float64 calls ``np.log1p`` (NumPy's float64 ``log`` and ``log1p`` are equally fast), and so
    does float32 where NumPy has a SIMD float32 ``log1p`` (faster still, and within 2 ulps).
    ``t`` is left untouched unless ``out is t``.
    """
    if t.dtype != np.float32 or _SIMD_FLOAT32_LOG1P:
        return np.log1p(t, out=out)
    u = np.add(t, 1, out=np.empty_like(t))
    c = np.subtract(u, 1, out=np.empty_like(t))
    c -= t  # (u - 1) - t: the rounding error made when forming u
    c /= u
    np.log(u, out=u)
    return np.subtract(u, c, out=out if out is not None else u)


def sigmoid_cross_entropy(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Per-element ``(1 - y) max(z, 0) - y min(z, 0) + log1p(e^{-|z|})`` (same-shaped arrays).

    The binary cross-entropy from logits ``z`` for (soft) targets ``y``, in a new array.
    """
    out = np.empty(z.shape, z.dtype)
    flat_out, flat_z, flat_y = out.reshape(-1), z.reshape(-1), y.reshape(-1)
    scratch = np.empty(min(_BLOCK, flat_z.size), z.dtype)
    for start in range(0, flat_z.size, _BLOCK):
        block = slice(start, start + _BLOCK)
        zb, yb, ob = flat_z[block], flat_y[block], flat_out[block]
        tmp = scratch[: zb.size]
        np.subtract(1, yb, out=tmp)
        np.maximum(zb, 0, out=ob)
        ob *= tmp  # (1 - y) max(z, 0)
        np.minimum(zb, 0, out=tmp)
        tmp *= yb
        ob -= tmp  # - y min(z, 0)
        np.abs(zb, out=tmp)
        np.negative(tmp, out=tmp)
        np.exp(tmp, out=tmp)  # e^{-|z|} in (0, 1]: cannot overflow
        ob += log1p_unit(tmp, out=tmp)
    return out


def _reduce_classes(ufunc: np.ufunc, a: np.ndarray) -> np.ndarray:
    """``ufunc.reduce(a, axis=-1)`` for 2-D ``a``, fast for a few classes."""
    if a.shape[-1] > _FEW_CLASSES:
        return np.asarray(ufunc.reduce(a, axis=-1))
    out = a[:, 0].copy()
    for c in range(1, a.shape[-1]):
        ufunc(out, a[:, c], out=out)
    return out


def softmax_cross_entropy(z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per-example ``-log softmax(z)[y] = (z_max - z_y) + log Σ_k e^{z_k - z_max}``.

    ``z`` has its class axis last, ``labels`` (int64, in range) its shape without that axis.
    With ``z_max = max_k z_k`` and ``y`` the label, both terms are >= 0 (nothing cancels) and
    ``e^{z_k - z_max} <= 1`` never overflows.
    """
    num_classes = z.shape[-1]
    rows = z.reshape(-1, num_classes)  # a view unless the class axis was moved
    picked = np.take_along_axis(rows, labels.reshape(-1, 1), axis=-1)[:, 0]  # z_y
    out = np.empty(rows.shape[0], z.dtype)
    ones = np.ones(num_classes, z.dtype)
    step = max(1, _BLOCK // num_classes)  # rows per block
    for start in range(0, rows.shape[0], step):
        block = slice(start, start + step)
        zb = rows[block]
        m = _reduce_classes(np.maximum, zb)
        e = np.subtract(zb, m[:, None])  # z - m <= 0, the largest exactly 0
        np.exp(e, out=e)
        ob = out[block]
        np.log(e @ ones, out=ob)  # log Σ_k e^{z_k - m}, m = z_max (a BLAS product: the fastest sum)
        m -= picked[block]
        ob += m  # + (m - z_k)
    return out.reshape(labels.shape)
