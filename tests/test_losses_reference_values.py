"""mlecourse.losses against values computed with PyTorch and Keras, hard-coded with their origin.

PyTorch values: torch 2.13.0+cpu, float64 tensors, ``torch.nn.functional`` (the exact call is in
the comment above each value). Keras values: keras 3.15.1 with the TensorFlow 2.21 backend, float64
NumPy inputs. Neither framework is needed to run these tests.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import gammaln

from mlecourse import losses as L

# Shared inputs (written out so that the hard-coded values can be reproduced exactly)
Z = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0], [-2.0, 4.0, 1.0], [1.5, 1.5, -0.5]])
Y_IGNORE = np.array([0, 2, -100, 1])
W = np.array([0.2, 1.0, 3.0])
Y_CLASSES = np.array([0, 2, 1, 1])

# F.cross_entropy(Z, Y_IGNORE, weight=W, ignore_index=-100, label_smoothing=ls, reduction=red)
TORCH_CE = {
    (0.0, "mean"): 0.27040245918460504,
    (0.0, "sum"): 1.1356903285753412,
    (0.0, "none"): [0.04826225933143141, 0.3288043935643963, 0.0, 0.7586236756795135],
    (0.1, "mean"): 0.41431501512966973,
    (0.1, "sum"): 1.7401230635446128,
    (0.1, "none"): [0.3272196149302902, 0.42393482590762843, 0.0, 0.9889686227066941],
}


@pytest.mark.parametrize(("ls", "reduction"), list(TORCH_CE))
def test_sparse_ce_with_class_weight_ignore_index_and_smoothing_matches_torch(ls, reduction):
    expected = TORCH_CE[(ls, reduction)]
    kwargs = dict(class_weight=W, ignore_index=-100, label_smoothing=ls, reduction=reduction)
    out = L.sparse_categorical_cross_entropy(Y_IGNORE, Z, from_logits=True, **kwargs)
    np.testing.assert_allclose(out, expected, rtol=1e-13)
    # the same from probabilities (softmax of Z; no clipping is reached here)
    p = np.exp(Z - Z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    np.testing.assert_allclose(
        L.sparse_categorical_cross_entropy(Y_IGNORE, p, **kwargs), expected, rtol=1e-12
    )


def test_sparse_ce_plain_smoothing_matches_torch():
    # F.cross_entropy(Z, tensor([0, 2, 1, 1]), label_smoothing=0.3)
    expected = 0.8201205500952835
    out = L.sparse_categorical_cross_entropy(Y_CLASSES, Z, from_logits=True, label_smoothing=0.3)
    assert out == pytest.approx(expected, rel=1e-13)
    onehot = np.eye(3)[Y_CLASSES]
    out = L.categorical_cross_entropy(onehot, Z, from_logits=True, label_smoothing=0.3)
    assert out == pytest.approx(expected, rel=1e-13)


def test_sparse_ce_torch_layout_axis_1():
    z3 = np.array([[[1.0, -2.0], [0.0, 3.0], [2.0, 0.5]], [[-1.0, 0.0], [1.0, 1.0], [0.5, -0.5]]])
    y3 = np.array([[2, 1], [0, -100]])
    # F.cross_entropy(z3, y3, weight=W, ignore_index=-100, label_smoothing=0.2); z3: (2, 3, 2)
    expected = 0.6163023941492549
    out = L.sparse_categorical_cross_entropy(
        y3, z3, from_logits=True, axis=1, class_weight=W, ignore_index=-100, label_smoothing=0.2
    )
    assert out == pytest.approx(expected, rel=1e-13)


ZB = np.array([[3.0, -1.0], [-2.0, 0.5], [0.0, 8.0]])
YB = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.3]])
PW = np.array([2.0, 0.5])


def test_bce_pos_weight_matches_torch():
    # F.binary_cross_entropy_with_logits(ZB, YB, pos_weight=PW, reduction="none")
    expected_none = [
        [0.09717470314748412, 0.3132616875182228],
        [4.253856022085945, 0.23703849209005334],
        [0.6931471805599453, 5.600285095416961],
    ]
    # ... reduction="mean"
    expected_mean = 1.8657938634697686
    out = L.binary_cross_entropy(YB, ZB, from_logits=True, pos_weight=PW, reduction="none")
    np.testing.assert_allclose(out, expected_none, rtol=1e-13)
    assert L.binary_cross_entropy(YB, ZB, from_logits=True, pos_weight=PW) == pytest.approx(
        expected_mean, rel=1e-13
    )
    # pos_weight works for probabilities too
    probs = 1 / (1 + np.exp(-ZB))
    assert L.binary_cross_entropy(YB, probs, pos_weight=PW) == pytest.approx(
        expected_mean, rel=1e-12
    )


def test_bce_pos_weight_and_sample_weight_sum_matches_torch():
    sw = np.array([[1.0, 1.0], [0.5, 0.5], [2.0, 2.0]])
    # F.binary_cross_entropy_with_logits(ZB, YB, pos_weight=PW, weight=sw, reduction="sum")
    expected = 15.242748199707519
    out = L.binary_cross_entropy(
        YB, ZB, from_logits=True, pos_weight=PW, sample_weight=sw, reduction="sum"
    )
    assert out == pytest.approx(expected, rel=1e-13)


def test_bce_probabilities_match_torch_and_keras():
    p = np.array([0.9, 0.2, 0.6, 0.01])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    # F.binary_cross_entropy(p, y) and keras.losses.binary_crossentropy(y[None], p[None]) agree
    expected = 1.4624912462085704
    assert L.binary_cross_entropy(y, p) == pytest.approx(expected, rel=1e-13)


def test_bce_label_smoothing_matches_keras():
    # keras.losses.binary_crossentropy(YB, ZB, from_logits=True, label_smoothing=0.2):
    # Keras averages over the last axis, so compare per-row means
    expected = [0.38092451954598233, 1.2255024976115396, 2.986741293466421]
    out = L.binary_cross_entropy(YB, ZB, from_logits=True, label_smoothing=0.2, reduction="none")
    np.testing.assert_allclose(out.mean(axis=1), expected, rtol=1e-13)


def test_categorical_ce_matches_keras():
    onehot = np.eye(3)[Y_CLASSES]
    # keras.losses.categorical_crossentropy(onehot, Z, from_logits=True, label_smoothing=0.1)
    expected = [0.391311296657157, 0.2996014645214654, 0.3509457635229982, 0.8252903423461802]
    out = L.categorical_cross_entropy(
        onehot, Z, from_logits=True, label_smoothing=0.1, reduction="none"
    )
    np.testing.assert_allclose(out, expected, rtol=1e-13)
    # keras.losses.sparse_categorical_crossentropy(Y_CLASSES, Z, from_logits=True)
    expected = [0.24131129665715703, 0.10960146452146542, 0.05094576352299828, 0.7586236756795135]
    out = L.sparse_categorical_cross_entropy(Y_CLASSES, Z, from_logits=True, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-13)


MU = np.array([0.5, -1.0, 2.0])
YG = np.array([0.0, 1.0, 2.5])
VAR = np.array([0.25, 2.0, 1e-9])  # 1e-9 is clamped to eps = 1e-6 (torch and here)

# F.gaussian_nll_loss(MU, YG, VAR, full=full, reduction=...)  (torch's order: input, target, var)
TORCH_GAUSS = {
    True: (41665.66749557678, [0.7257913526447274, 2.2655121234846454, 124994.01118325422]),
    False: (41664.748557043575, [-0.1931471805599453, 1.3465735902799727, 124993.09224472102]),
}


@pytest.mark.parametrize("full", [True, False])
@pytest.mark.parametrize("param", ["variance", "std", "log_variance"])
def test_gaussian_nll_matches_torch_for_each_parameterisation(full, param):
    value = {"variance": VAR, "std": np.sqrt(VAR), "log_variance": np.log(VAR)}[param]
    mean_expected, none_expected = TORCH_GAUSS[full]
    out = L.gaussian_nll(YG, MU, full=full, reduction="none", **{param: value})
    np.testing.assert_allclose(out, none_expected, rtol=1e-12)
    assert L.gaussian_nll(YG, MU, full=full, **{param: value}) == pytest.approx(
        mean_expected, rel=1e-12
    )


LOG_RATE = np.array([0.3, -1.0, 2.0, 0.0])
COUNTS = np.array([1.0, 0.0, 9.0, 3.0])


def test_poisson_nll_not_full_matches_torch():
    # F.poisson_nll_loss(LOG_RATE, COUNTS, log_input=True, full=False, reduction="none")
    expected = [1.0498588075760031, 0.36787944117144233, -10.61094390106935, 1.0]
    out = L.poisson_nll(COUNTS, LOG_RATE, full=False, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-13)


def test_poisson_nll_full_differs_from_torch_by_stirling_only():
    # F.poisson_nll_loss(LOG_RATE, COUNTS, log_input=True, full=True, reduction="none"):
    # torch adds Stirling's y log y - y + 0.5 log(2 pi y) for y > 1; we add the exact log y!
    torch_full = np.array(
        [1.0498588075760031, 0.36787944117144233, 2.1816281168294065, 2.764081543543057]
    )
    y = COUNTS
    stirling = np.where(
        y > 1, y * np.log(np.maximum(y, 1)) - y + 0.5 * np.log(2 * np.pi * np.maximum(y, 1)), 0.0
    )
    expected = torch_full - stirling + gammaln(y + 1)
    out = L.poisson_nll(COUNTS, LOG_RATE, full=True, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=1e-13)
    assert np.all(np.abs(out - torch_full) < 1 / (12 * np.maximum(y, 1)) + 1e-12)


def test_poisson_rates_match_torch_and_keras():
    rate = np.array([1.5, 0.2, 7.0, 2.0])
    # F.poisson_nll_loss(rate, COUNTS, log_input=False, full=False, reduction="none") -- torch adds
    # 1e-8 inside the log, a relative difference below 1e-8 here
    expected = [1.094534885225169, 0.2, -10.513191354354962, -0.07944155667983566]
    out = L.poisson_nll(COUNTS, rate, log_input=False, full=False, reduction="none")
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-7)  # y * 1e-8 / rate
    # keras.losses.poisson(COUNTS, rate) = mean(rate - y log(rate + 1e-7))
    assert L.poisson_nll(COUNTS, rate, log_input=False, full=False) == pytest.approx(
        -2.3245245841309763, rel=1e-6
    )
