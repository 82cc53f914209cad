"""The legacy path: tf_keras + tfp.layers trains; Keras 3 + tfp.layers raises."""

from __future__ import annotations

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
pytest.importorskip("tf_keras")
L = pytest.importorskip("mlecourse.tfp.legacy")
tfp = L.tfp

pytestmark = pytest.mark.tf


def test_tf_keras_with_tfp_layers_trains_to_the_noise_level():
    import tf_keras

    tf_keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(512, 1)).astype(np.float32)
    y = (3.0 * x + 1.0 + 0.5 * rng.standard_normal((512, 1))).astype(np.float32)
    model = L.make_legacy_regression_model(1, learning_rate=0.1)
    data = tf.data.Dataset.from_tensors((x, y)).repeat()
    model.fit(data, epochs=1, steps_per_epoch=300, verbose=0)
    dist = model(np.array([[0.0], [0.5]], np.float32))
    np.testing.assert_allclose(dist.mean().numpy()[:, 0], [1.0, 2.5], atol=0.1)
    np.testing.assert_allclose(dist.stddev().numpy()[:, 0], [0.5, 0.5], rtol=0.1)


def test_keras_3_refuses_tfp_layers():
    with pytest.raises((ValueError, TypeError)):
        model = keras.Sequential(
            [keras.Input((1,)), keras.layers.Dense(2), tfp.layers.IndependentNormal(1)]
        )
        model(np.zeros((2, 1), np.float32))
