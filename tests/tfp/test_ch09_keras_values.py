"""The Keras values that Chapter 9 shows as *recorded*, recomputed live.

Chapter 9 does not import TensorFlow (the book's execution budget): it states what
``keras.regularizers.L2``, ``keras.optimizers.AdamW`` and ``keras.optimizers.Adam`` with
``weight_decay`` compute as values recorded once
with Keras, and asserts that its NumPy formulas reproduce them. This file redoes the same
Keras computations and checks them against the constants *read out of the notebook*
(every ``KERAS_*`` assignment in its code cells), so the book and Keras cannot drift apart
unnoticed. It also checks that each recorded constant is quoted in the chapter's text.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest

from mlecourse import datasets

keras = pytest.importorskip("keras")
pytest.importorskip("tensorflow")

pytestmark = pytest.mark.tf

NOTEBOOK = Path(__file__).parents[2] / "book" / "chapters" / "09_uncertainty_and_priors.ipynb"

# The setting the chapter describes: 12 examples, 3 features, fixed weights.
N_EXAMPLES, L2_FACTOR, LEARNING_RATE = 12, 0.05, 0.1
KERNEL, BIAS = np.array([0.5, -1.0, 2.0]), np.array([0.3])


def data() -> tuple[np.ndarray, np.ndarray]:
    """The chapter's tiny logistic-regression sample, float32 as Keras computes it."""
    sample = datasets.logistic_regression(N_EXAMPLES, weights=(1.0, -2.0, 0.0), bias=0.2, seed=9)
    return sample.X.astype(np.float32), sample.y.astype(np.float32)


def model(kernel_regularizer: object = None) -> keras.Model:
    """A one-unit Dense layer (logistic regression) at the fixed weights, BCE from logits."""
    net = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(1, kernel_regularizer=kernel_regularizer)]
    )
    net.layers[0].set_weights([KERNEL[:, None], BIAS])
    return net


def keras_l2_loss(batch_size: int) -> float:
    """``model.evaluate`` of the BCE with ``kernel_regularizer=L2(L2_FACTOR)``."""
    X, y = data()
    net = model(keras.regularizers.L2(L2_FACTOR))
    net.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))
    return float(net.evaluate(X, y[:, None], batch_size=batch_size, verbose=0))


def keras_one_step(optimizer: str) -> list[float]:
    """Kernel and bias after one ``train_on_batch`` step from the fixed weights.

    ``"adam_l2"``: Adam on the BCE plus the explicit L2 term L2_FACTOR * ||kernel||^2.
    ``"adamw"``: AdamW with weight_decay = 2 * L2_FACTOR on the BCE alone (Keras decays
    every variable, the bias included, unless told otherwise).
    ``"adam_wd"``: Adam with the same ``weight_decay`` argument, which Keras 3 applies
    decoupled in every optimiser (the base class's ``_apply_weight_decay``).
    """
    X, y = data()
    if optimizer == "adam_l2":
        net = model(keras.regularizers.L2(L2_FACTOR))
        opt = keras.optimizers.Adam(learning_rate=LEARNING_RATE)
    elif optimizer == "adam_wd":
        net = model()
        opt = keras.optimizers.Adam(learning_rate=LEARNING_RATE, weight_decay=2 * L2_FACTOR)
    else:
        net = model()
        opt = keras.optimizers.AdamW(learning_rate=LEARNING_RATE, weight_decay=2 * L2_FACTOR)
    net.compile(optimizer=opt, loss=keras.losses.BinaryCrossentropy(from_logits=True))
    net.train_on_batch(X, y[:, None])
    kernel, bias = net.layers[0].get_weights()
    return [float(x) for x in np.r_[kernel[:, 0], bias]]


def recorded() -> dict[str, object]:
    """Every ``KERAS_*`` constant assigned in the chapter's code cells."""
    nb = json.loads(NOTEBOOK.read_text())
    found: dict[str, object] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.parse("".join(cell["source"])).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id.startswith("KERAS_"):
                    found[target.id] = ast.literal_eval(node.value)
    return found


def markdown() -> str:
    nb = json.loads(NOTEBOOK.read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def constants() -> dict[str, object]:
    values = recorded()
    assert {
        "KERAS_VERSION",
        "KERAS_L2_LOSS",
        "KERAS_ADAM_L2_STEP",
        "KERAS_ADAMW_STEP",
        "KERAS_ADAM_WD_STEP",
    } <= set(values)
    return values


def test_recorded_versions_are_stated(constants):
    assert f"Keras {constants['KERAS_VERSION']}" in markdown()


def test_l2_regularised_loss_equals_the_recorded_value(constants):
    # full batch and minibatches of 4 (12 = 3 x 4): both report mean BCE + factor * ||w||^2
    for batch_size in (N_EXAMPLES, 4):
        assert keras_l2_loss(batch_size) == pytest.approx(constants["KERAS_L2_LOSS"], rel=1e-6)
    assert f"{constants['KERAS_L2_LOSS']}" in markdown()


@pytest.mark.parametrize(
    ("optimizer", "name"),
    [
        ("adam_l2", "KERAS_ADAM_L2_STEP"),
        ("adamw", "KERAS_ADAMW_STEP"),
        ("adam_wd", "KERAS_ADAM_WD_STEP"),
    ],
)
def test_one_optimizer_step_equals_the_recorded_weights(constants, optimizer, name):
    np.testing.assert_allclose(keras_one_step(optimizer), constants[name], rtol=1e-6)
    # the text quotes the same weights to 7 decimals
    quoted = ", ".join(f"{x:.7f}" for x in constants[name])
    assert f"({quoted})" in markdown()


def test_the_two_steps_differ(constants):
    diff = np.abs(np.subtract(constants["KERAS_ADAM_L2_STEP"], constants["KERAS_ADAMW_STEP"]))
    assert diff.max() > 1e-3


if __name__ == "__main__":  # print the values to record (run once with Keras installed)
    import tensorflow as tf

    print(f"Keras {keras.__version__} on TensorFlow {tf.__version__}")
    print("KERAS_L2_LOSS =", repr(keras_l2_loss(N_EXAMPLES)), repr(keras_l2_loss(4)))
    print("KERAS_ADAM_L2_STEP =", keras_one_step("adam_l2"))
    print("KERAS_ADAMW_STEP =", keras_one_step("adamw"))
    print("KERAS_ADAM_WD_STEP =", keras_one_step("adam_wd"))
