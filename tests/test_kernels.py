"""The private kernels equal the readable formulas they replace on the hot paths.

Expected values: the readable formula itself, evaluated on the whole array with the public
primitives of :mod:`mlecourse.special` (the line each kernel stands in for).
"""

from __future__ import annotations

import numpy as np
import pytest

from mlecourse import _kernels
from mlecourse.special import log_softmax, softplus


def bce_formula(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The line of ``losses.binary_cross_entropy`` with ``w₊ = 1``."""
    return (1 - y) * np.maximum(z, 0) - y * np.minimum(z, 0) + softplus(-np.abs(z))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [1, 7, 16384, 16385, 40000])  # around the block size
def test_sigmoid_cross_entropy_equals_the_formula(dtype, n):
    rng = np.random.default_rng(n)
    z = (rng.normal(0, 5, n) * rng.choice([1, 1e3], n)).astype(dtype)
    y = rng.choice([0.0, 1.0, 0.3, 0.9999], n).astype(dtype)
    out = _kernels.sigmoid_cross_entropy(y, z)
    assert out.dtype == dtype and out.shape == z.shape
    np.testing.assert_allclose(out, bce_formula(y, z), rtol=4 * np.finfo(dtype).eps, atol=0)


def test_sigmoid_cross_entropy_keeps_the_shape():
    rng = np.random.default_rng(1)
    z, y = rng.normal(size=(30, 7)), rng.integers(0, 2, (30, 7)).astype(float)
    np.testing.assert_allclose(_kernels.sigmoid_cross_entropy(y, z), bce_formula(y, z), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("n", "c"), [(1, 2), (5000, 10), (3000, 40), (4, 1)])
def test_softmax_cross_entropy_equals_the_formula(dtype, n, c):
    rng = np.random.default_rng(c)
    z = (rng.normal(0, 4, (n, c)) * rng.choice([1, 1e3], (n, 1))).astype(dtype)
    k = rng.integers(0, c, n)
    expected = -np.take_along_axis(log_softmax(z, axis=-1), k[:, None], axis=-1)[:, 0]
    out = _kernels.softmax_cross_entropy(z, k)
    assert out.dtype == dtype and out.shape == (n,)
    eps = np.finfo(dtype).eps
    np.testing.assert_allclose(out, expected, rtol=8 * eps, atol=8 * eps)


def test_softmax_cross_entropy_with_leading_axes_and_a_moved_class_axis():
    rng = np.random.default_rng(2)
    z = np.moveaxis(rng.normal(size=(3, 5, 4)), 1, -1)  # (3, 4, 5), not contiguous
    k = rng.integers(0, 5, (3, 4))
    expected = -np.take_along_axis(log_softmax(z, axis=-1), k[..., None], axis=-1)[..., 0]
    np.testing.assert_allclose(_kernels.softmax_cross_entropy(z, k), expected, rtol=1e-14)


@pytest.mark.parametrize("simd_log1p", [False, True], ids=["log-based", "numpy-log1p"])
def test_log1p_unit_float32_is_as_accurate_as_log1p(monkeypatch, simd_log1p):
    # Both paths on every CPU: the one this CPU takes and the other (see _float32_log1p_is_simd).
    monkeypatch.setattr(_kernels, "_SIMD_FLOAT32_LOG1P", simd_log1p)
    t = np.concatenate([np.linspace(-0.999, 1, 100001), [1e-30, 1e-8, 0.0]]).astype(np.float32)
    exact = np.log1p(t.astype(np.float64))
    rel = np.abs(_kernels.log1p_unit(t) - exact) / np.maximum(np.abs(exact), 1e-38)
    assert rel.max() < 4 * np.finfo(np.float32).eps
    assert _kernels.log1p_unit(np.array([1e-30], np.float32))[0] == np.float32(1e-30)
