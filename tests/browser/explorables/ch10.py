"""Chapter 10's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch10-temperature-explorer`: a model whose logits are 3 times the true logits of the
chapter's test set (`datasets.logistic_regression(20_000, weights=(1.5, -1, 0, 0), bias=-1,
seed=12)`), divided by the temperature TEMPERATURES[k]; the readout gives the test ECE (15
bins) and the mean test NLL.
"""

from __future__ import annotations

from mlecourse import datasets, losses, scoring, special

TEMPERATURES = (0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.25, 3.5, 4, 5, 6, 8)
TEST = datasets.logistic_regression(20_000, weights=(1.5, -1.0, 0.0, 0.0), bias=-1.0, seed=12)


def temperature_readout(k: int) -> str:
    """The readout at step k: ECE and NLL of sigmoid(3 z / T) on the test set."""
    t = TEMPERATURES[k]
    z = 3.0 * TEST.logits / t
    ece = scoring.expected_calibration_error(TEST.y, special.sigmoid(z))
    nll = losses.binary_cross_entropy(TEST.y, z, from_logits=True)
    return f"T = {t:g}: ECE {ece:.4f}, NLL {nll:.4f}"


EXPECTED = {"fig-ch10-temperature-explorer": temperature_readout}
