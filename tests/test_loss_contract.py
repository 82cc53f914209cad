"""The loss contract, once for every loss of the registry and both twins.

One table of valid arguments per loss; each test runs over ``LOSS_NAMES`` x {NumPy, TFP}:
the registry, the three reductions and the sample weight, the dtype policy, a bad reduction
and the (N, 1)-against-(N,) trap, with the same error message in both twins. Value tests live
by family (``test_losses_binary.py``, ``test_losses_categorical.py``,
``test_losses_regression.py``, ``test_losses_families.py``, ``tfp/test_losses*.py``); the
pinned bad-input matrix is ``test_losses_bad_input.py``.
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np
import pytest

from mlecourse import _contract, gradients, losses

N = 6
Y_REAL = np.linspace(-1.0, 1.0, N)
PRED_REAL = np.linspace(-0.5, 0.7, N)
Y_BINARY = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
P_BINARY = np.linspace(0.1, 0.9, N)
Y_POSITIVE = np.linspace(0.2, 3.0, N)
MEAN_POSITIVE = np.linspace(0.5, 2.5, N)
COUNTS = np.array([0.0, 1.0, 2.0, 3.0, 1.0, 0.0])
LABELS = np.array([0, 1, 2, 0, 1, 2])
P_CLASSES = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6]] * 2)

#: name -> (y_true, prediction, options): valid arguments of every loss
CASES: dict[str, tuple[np.ndarray, np.ndarray, dict[str, Any]]] = {
    "binary_cross_entropy": (Y_BINARY, P_BINARY, {}),
    "binary_focal_loss": (Y_BINARY, P_BINARY, {"alpha": 0.25}),
    "categorical_cross_entropy": (np.eye(3)[LABELS], P_CLASSES, {}),
    "sparse_categorical_cross_entropy": (LABELS, P_CLASSES, {}),
    "mean_squared_error": (Y_REAL, PRED_REAL, {}),
    "mean_absolute_error": (Y_REAL, PRED_REAL, {}),
    "huber_loss": (Y_REAL, PRED_REAL, {"delta": 0.3}),
    "pinball_loss": (Y_REAL, PRED_REAL, {"quantile": 0.8}),
    "gaussian_nll": (Y_REAL, PRED_REAL, {"variance": 0.5}),
    "laplace_nll": (Y_REAL, PRED_REAL, {"scale": 0.7}),
    "student_t_nll": (Y_REAL, PRED_REAL, {"df": 3.0, "scale": 0.7}),
    "poisson_nll": (COUNTS, PRED_REAL, {}),
    "negative_binomial_nll": (COUNTS, MEAN_POSITIVE, {"total_count": 2.0}),
    "gamma_nll": (Y_POSITIVE, MEAN_POSITIVE, {"concentration": 2.0}),
    "lognormal_nll": (Y_POSITIVE, PRED_REAL, {"scale": 0.7}),
}


@pytest.fixture(params=["numpy", "tfp"])
def twin(request: pytest.FixtureRequest) -> types.ModuleType:
    if request.param == "numpy":
        return losses
    return pytest.importorskip("mlecourse.tfp.losses")


def values(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def test_the_registry_is_every_loss_of_both_twins_and_the_gradients(twin) -> None:
    assert set(CASES) == set(_contract.LOSS_NAMES)
    assert list(twin.__all__) == list(_contract.LOSS_NAMES)
    assert set(_contract.LOSS_NAMES) <= set(gradients.__all__)
    assert all(callable(getattr(m, n)) for m in (twin, gradients) for n in _contract.LOSS_NAMES)


@pytest.mark.parametrize("name", list(CASES))
def test_reductions_and_sample_weight(twin, name: str) -> None:
    fn, (y, pred, kw) = getattr(twin, name), CASES[name]
    w = np.linspace(0.0, 2.0, N)
    per_element = values(fn(y, pred, **kw, reduction="none"))
    assert per_element.shape == (N,)
    weighted = values(fn(y, pred, **kw, sample_weight=w, reduction="none"))
    np.testing.assert_allclose(weighted, w * per_element, rtol=1e-12)
    total = values(fn(y, pred, **kw, sample_weight=w, reduction="sum"))
    np.testing.assert_allclose(total, (w * per_element).sum(), rtol=1e-12)
    mean = values(fn(y, pred, **kw, sample_weight=w))
    np.testing.assert_allclose(mean, (w * per_element).sum() / w.sum(), rtol=1e-12)
    np.testing.assert_allclose(values(fn(y, pred, **kw)), per_element.mean(), rtol=1e-12)


@pytest.mark.parametrize("name", list(CASES))
def test_the_prediction_decides_the_dtype(twin, name: str) -> None:
    fn, (y, pred, kw) = getattr(twin, name), CASES[name]
    y32 = y if name == "sparse_categorical_cross_entropy" else y.astype(np.float32)
    assert values(fn(y32, pred.astype(np.float32), **kw)).dtype == np.float32
    assert values(fn(y, pred.astype(np.float32), **kw)).dtype == np.float32  # labels: no promotion
    assert values(fn(y, pred, **kw)).dtype == np.float64
    assert values(fn(y.tolist(), pred.tolist(), **kw)).dtype == np.float64  # a list is float64


# Integer and boolean targets with float32/float64 predictions, through the options that carry
# their own dtype (pos_weight, a float32 std): the prediction alone decides the result's dtype.
DTYPE_CALLS = [
    ("bce", lambda y, p: losses.binary_cross_entropy(y, p)),
    (
        "bce logits",
        lambda y, p: losses.binary_cross_entropy(y, p, from_logits=True, pos_weight=2.0),
    ),
    ("mse", lambda y, p: losses.mean_squared_error(y, p)),
    ("mae", lambda y, p: losses.mean_absolute_error(y, p)),
    ("gauss", lambda y, p: losses.gaussian_nll(y, p, std=np.float32(0.5))),
    ("poisson", lambda y, p: losses.poisson_nll(y, p)),
    ("poisson rate", lambda y, p: losses.poisson_nll(y, p, log_input=False)),
    ("laplace", lambda y, p: losses.laplace_nll(y, p, scale=2.0)),
]


@pytest.mark.parametrize("name, call", DTYPE_CALLS, ids=[c[0] for c in DTYPE_CALLS])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("target_dtype", [np.int64, np.bool_, np.float64])
def test_integer_and_boolean_targets_keep_the_prediction_dtype(name, call, dtype, target_dtype):
    y = np.array([1, 0, 1, 1]).astype(target_dtype)
    p = np.array([0.9, 0.2, 0.6, 0.3], dtype=dtype)
    out = call(y, p)
    assert isinstance(out, np.floating) and out.dtype == dtype
    assert np.isfinite(out)


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_reduction_is_named(twin, name: str) -> None:
    fn, (y, pred, kw) = getattr(twin, name), CASES[name]
    with pytest.raises(ValueError, match=r"reduction must be one of \('mean', 'sum', 'none'\)"):
        fn(y, pred, **kw, reduction="avg")


@pytest.mark.parametrize("name", list(CASES))
def test_a_trailing_axis_of_length_1_is_never_broadcast(twin, name: str) -> None:
    fn, (y, pred, kw) = getattr(twin, name), CASES[name]
    with pytest.raises(ValueError, match="shape") as caught:
        fn(y[..., None], pred, **kw)
    reference = pytest.raises(ValueError, match="shape")
    with reference as expected:
        getattr(losses, name)(y[..., None], pred, **kw)
    assert str(caught.value) == str(expected.value)  # the same message in both twins
