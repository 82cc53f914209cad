"""Recorded TensorFlow, Keras and TFP values in the chapters, recomputed live.

Importing TensorFlow costs 7-9 s, a large share of the book's 120 s execution budget, so a
chapter that uses TensorFlow only to show what a library returns (chapters 3 and 7) does not
import it. Such a chapter states the library's value as a recorded reference value, as the book
does for PyTorch: the text gives the versions, the exact call and the value; a code cell holds
the value once, as a constant named ``TF_*``, ``TFP_*`` or ``KERAS_*``, and asserts that the
NumPy computation of the chapter equals it.

This file closes the loop, so that a recorded value cannot drift from what the library computes:
it reads every such constant from the notebook's JSON (the one place it is written), recomputes
it with the real library on the same inputs, and asserts they are equal. It also fails if a
notebook holds a constant this file does not recompute (or the reverse), and if the text of the
notebook does not state the value that its code cell asserts.

Tolerances: a value computed in float64 must agree to 1e-12 relative, one computed in float32
(Keras's losses, TFP objects built from Python floats) to 1e-6 relative: a few units in the last
place, which is what a different summation order on another CPU can change, and far below the
six decimals the chapters print.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from mlecourse import mle

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
tfp = pytest.importorskip("tensorflow_probability")
tfp_losses = pytest.importorskip("mlecourse.tfp.losses")
tfd = tfp.distributions

pytestmark = pytest.mark.tf

CHAPTERS = Path(__file__).resolve().parents[2] / "book" / "chapters"
PREFIXES = ("TF_", "TFP_", "KERAS_")
FLOAT64, FLOAT32 = 1e-12, 1e-6  # relative tolerances, see the module docstring


def recorded_constants(notebook: str) -> dict[str, tuple[object, str]]:
    """Every ``TF_*``/``TFP_*``/``KERAS_*`` constant of a notebook: (value, literal source)."""
    nb = json.loads((CHAPTERS / notebook).read_text(encoding="utf-8"))
    found: dict[str, tuple[object, str]] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for node in ast.parse(source).body:
            if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
                continue
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.startswith(PREFIXES):
                assert target.id not in found, f"{notebook}: {target.id} recorded twice"
                literal = ast.get_source_segment(source, node.value) or ""
                found[target.id] = (ast.literal_eval(node.value), literal)
    return found


def markdown_text(notebook: str) -> str:
    nb = json.loads((CHAPTERS / notebook).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


# ---------------------------------------------------------------------------------------------
# Chapter 2 differentiates its own log-likelihood with TensorFlow, but does not import TFP.

CH02 = "02_maximum_likelihood_estimation.ipynb"


def _ch02_normal_mean_nll() -> tuple[float, list[float]]:
    """The mean NLL of chapter 2's sample under tfd.Normal at (mu, log sigma) = (0.5, 0.3)."""
    y_obs = np.random.default_rng(3).normal(2.0, 1.5, size=200)
    mu = tf.Variable(0.5, dtype=tf.float64)
    log_sigma = tf.Variable(0.3, dtype=tf.float64)
    with tf.GradientTape() as tape:
        nll = -tf.reduce_mean(tfd.Normal(loc=mu, scale=tf.exp(log_sigma)).log_prob(y_obs))
    return float(nll), [float(g) for g in tape.gradient(nll, [mu, log_sigma])]


# ---------------------------------------------------------------------------------------------
# Chapter 3: the inputs are rebuilt exactly as the chapter builds them (same seeds, same calls).

CH03 = "03_negative_log_likelihood.ipynb"


def _ch03_bernoulli_log_probs() -> tf.Tensor:
    rng_b = np.random.default_rng(1)
    p_i = rng_b.uniform(0.05, 0.95, size=64)
    y_i = (rng_b.random(64) < p_i).astype(float)
    return tfd.Bernoulli(probs=p_i, dtype=tf.float64).log_prob(y_i)


def _ch03_heldout() -> dict[str, float]:
    y_all = stats.t.rvs(df=3, loc=1.0, scale=2.0, size=1000, random_state=np.random.default_rng(3))
    y_train, y_test = y_all[:500], y_all[500:]
    mu_g, sigma_g = mle.gaussian(y_train)
    loc_l, scale_l = mle.laplace(y_train)
    df_t, loc_t, scale_t = stats.t.fit(y_train)
    y_test_tf = tf.constant(y_test)
    return {
        "Gaussian": -tf.reduce_mean(tfd.Normal(mu_g, sigma_g).log_prob(y_test_tf)),
        "Laplace": -tf.reduce_mean(tfd.Laplace(loc_l, scale_l).log_prob(y_test_tf)),
        "Student-t": -tf.reduce_mean(tfd.StudentT(df_t, loc_t, scale_t).log_prob(y_test_tf)),
    }


def _ch03_poisson_inputs() -> tuple[np.ndarray, np.ndarray]:
    rng_p = np.random.default_rng(4)
    counts = rng_p.poisson(4.0, size=100).astype(float)
    rate = rng_p.uniform(2.0, 6.0, size=100)
    return counts, rate


def _ch03_keras_poisson() -> float:
    counts, rate = _ch03_poisson_inputs()
    return float(keras.losses.Poisson()(counts[:, None], rate[:, None]))


def _ch03_tfd_poisson() -> float:
    counts, rate = _ch03_poisson_inputs()
    return -float(tf.reduce_mean(tfd.Poisson(rate=rate).log_prob(counts)))


def _ch03_tfp_twin_poisson() -> float:
    counts, rate = _ch03_poisson_inputs()
    return float(tfp_losses.poisson_nll(counts, np.log(rate)))


# ---------------------------------------------------------------------------------------------
# Chapter 7: literal inputs, written out in the chapter's text.

CH07 = "07_cross_entropy_kl_entropy.ipynb"
P7 = np.array([0.5, 0.25, 0.125, 0.125])
Q7 = np.array([0.1, 0.3, 0.5, 0.1])
P_TARGET = np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]])
Q_MODEL = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
NORMAL_PAIRS = [(0.0, 1.0, 1.0, 1.0), (0.0, 1.0, 0.5, 2.0), (0.5, 2.0, 0.0, 1.0)]


def _ch07_normal_kl() -> list[float]:
    return [
        float(
            tfd.kl_divergence(
                tfd.Normal(np.float64(mu1), sigma1), tfd.Normal(np.float64(mu2), sigma2)
            )
        )
        for mu1, sigma1, mu2, sigma2 in NORMAL_PAIRS
    ]


# name -> (live computation, relative tolerance)
LIVE: dict[str, dict[str, tuple[Callable[[], object], float]]] = {
    CH02: {
        "TFP_NORMAL_MEAN_NLL": (lambda: _ch02_normal_mean_nll()[0], FLOAT64),
        "TFP_NORMAL_MEAN_NLL_GRADIENT": (lambda: _ch02_normal_mean_nll()[1], FLOAT64),
    },
    CH03: {
        "KERAS_DEFAULT_REDUCTION": (lambda: keras.losses.Poisson().reduction, 0.0),
        "TFP_BERNOULLI_NLL_SUM": (
            lambda: -float(tf.reduce_sum(_ch03_bernoulli_log_probs())),
            FLOAT32,
        ),
        "TFP_BERNOULLI_NLL_MEAN": (
            lambda: -float(tf.reduce_mean(_ch03_bernoulli_log_probs())),
            FLOAT32,
        ),
        "TFP_TWIN_GAUSSIAN_NLL": (
            lambda: float(tfp_losses.gaussian_nll(np.zeros(1), np.zeros(1), std=0.1)),
            FLOAT64,
        ),
        "TFP_NORMAL_NLL": (
            lambda: -float(tfd.Normal(loc=0.0, scale=0.1).log_prob(0.0)),
            FLOAT32,
        ),
        "TFP_HELD_OUT_NLL": (
            lambda: {name: float(v) for name, v in _ch03_heldout().items()},
            FLOAT64,
        ),
        "KERAS_POISSON_NLL": (_ch03_keras_poisson, FLOAT32),
        "TFP_POISSON_NLL": (_ch03_tfd_poisson, FLOAT64),
        "TFP_TWIN_POISSON_NLL": (_ch03_tfp_twin_poisson, FLOAT64),
        "KERAS_POISSON_NEGATIVE_IS_NAN": (
            lambda: bool(np.isnan(float(keras.losses.Poisson()([[1.0], [2.0]], [[-0.5], [0.3]])))),
            0.0,
        ),
    },
    CH07: {
        "TFP_CATEGORICAL": (
            lambda: [
                float(tfd.Categorical(probs=P7).entropy()),
                -float(np.sum(P7 * tfd.Categorical(probs=Q7).log_prob(np.arange(4)))),
                float(tfd.kl_divergence(tfd.Categorical(probs=P7), tfd.Categorical(probs=Q7))),
            ],
            FLOAT64,
        ),
        "KERAS_CATEGORICAL_CROSSENTROPY": (
            lambda: float(keras.losses.CategoricalCrossentropy()(P_TARGET, Q_MODEL)),
            FLOAT32,
        ),
        "KERAS_KL_DIVERGENCE": (
            lambda: float(keras.losses.KLDivergence()(P_TARGET, Q_MODEL)),
            FLOAT32,
        ),
        "TFP_NORMAL_KL": (_ch07_normal_kl, FLOAT64),
    },
}
CASES = [(nb, name) for nb, names in LIVE.items() for name in names]


@pytest.mark.parametrize("notebook", sorted(LIVE))
def test_every_recorded_constant_is_recomputed(notebook: str) -> None:
    """No recorded constant escapes this file, and no check here is for a constant gone."""
    assert set(recorded_constants(notebook)) == set(LIVE[notebook])


@pytest.mark.parametrize(("notebook", "name"), CASES)
def test_recorded_value_is_what_the_library_computes(notebook: str, name: str) -> None:
    recorded, _ = recorded_constants(notebook)[name]
    compute, rtol = LIVE[notebook][name]
    live = compute()
    if isinstance(recorded, str):
        assert live == recorded
    elif isinstance(recorded, dict):
        assert set(live) == set(recorded)
        for key in recorded:
            np.testing.assert_allclose(live[key], recorded[key], rtol=rtol, err_msg=key)
    else:
        np.testing.assert_allclose(live, recorded, rtol=rtol)


@pytest.mark.parametrize(("notebook", "name"), CASES)
def test_text_states_the_recorded_value(notebook: str, name: str) -> None:
    """Each number (or string) of the constant appears verbatim in the chapter's prose."""
    _, literal = recorded_constants(notebook)[name]
    text = markdown_text(notebook)
    tree = ast.parse(literal, mode="eval")
    pieces = [
        node.value if isinstance(node.value, str) else ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and not (isinstance(node.value, str) and _is_dict_key(tree, node))
    ]
    assert pieces, f"{name}: no value in {literal!r}"
    missing = [piece for piece in pieces if piece not in text]
    assert not missing, f"{notebook}: the text does not state {name} = {missing}"


def _is_dict_key(tree: ast.AST, node: ast.Constant) -> bool:
    return any(isinstance(d, ast.Dict) and node in d.keys for d in ast.walk(tree))


# What each chapter leaves out: chapter 2 uses TensorFlow by design (its GradientTape), not TFP.
NOT_IMPORTED = {
    CH02: ("tensorflow_probability", "mlecourse.tfp", "keras"),
    CH03: ("tensorflow", "keras", "tensorflow_probability", "mlecourse.tfp"),
    CH07: ("tensorflow", "keras", "tensorflow_probability", "mlecourse.tfp"),
}


@pytest.mark.parametrize("notebook", sorted(NOT_IMPORTED))
def test_the_chapters_leave_out_what_they_record(notebook: str) -> None:
    """The point of recording: these chapters stay off the import cost of the library."""
    nb = json.loads((CHAPTERS / notebook).read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for module in NOT_IMPORTED[notebook]:
        statement = rf"^\s*(import|from)\s+{re.escape(module)}(\.|\s|$)"
        assert re.search(statement, code, re.MULTILINE) is None, f"{notebook} imports {module}"


def test_keras_cross_entropy_and_kl_divergence_have_the_same_gradients() -> None:
    """Chapter 7's claim about Keras itself (the chapter checks it in NumPy): the two losses
    differ by the targets' entropy, so their gradients with respect to the logits agree, and
    equal (softmax(z) - p) / n. float32 throughout: atol 1e-6 on gradients of size ~0.1."""
    logits = tf.constant(np.log(Q_MODEL), tf.float32)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(logits)
        q = tf.nn.softmax(logits)
        cce = keras.losses.CategoricalCrossentropy()(P_TARGET, q)
        kld = keras.losses.KLDivergence()(P_TARGET, q)
    grad_cce = tape.gradient(cce, logits).numpy()
    grad_kld = tape.gradient(kld, logits).numpy()
    expected = (Q_MODEL - P_TARGET) / len(P_TARGET)
    np.testing.assert_allclose(grad_cce, expected, atol=1e-6)
    np.testing.assert_allclose(grad_kld, expected, atol=1e-6)


def test_keras_kl_divergence_has_no_gradient_below_its_clip() -> None:
    """Chapter 7's qualification: Keras's ``KLDivergence`` clips the predicted probabilities to
    [1e-7, 1], so a prediction below 1e-7 gets exactly zero gradient (the others get -p_k/q_k)."""
    q = tf.Variable(np.array([[0.5, 0.5 - 1e-9, 1e-9]]), dtype=tf.float32)
    p = np.array([[0.2, 0.5, 0.3]])
    with tf.GradientTape() as tape:
        loss = keras.losses.KLDivergence()(p, q)
    grad = tape.gradient(loss, q).numpy()[0]
    assert grad[2] == 0.0
    np.testing.assert_allclose(grad[:2], [-0.4, -1.0], rtol=1e-6)
