"""Chapter 7's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch07-decomposition-explorer`: P = (1/2, 1/4, 1/8, 1/8), the model Q = softmax(log p / T)
at the temperatures below, and H(P, Q) = H(P) + KL(P || Q) in bits (theorem thm-ch07-decomposition).
"""

from __future__ import annotations

import numpy as np

from mlecourse import information, special

P = np.array([0.5, 0.25, 0.125, 0.125])
TEMPERATURES = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0)


def decomposition_readout(k: int) -> str:
    """The readout at step k: H(P, Q), H(P) and KL(P || Q) in bits, for Q at TEMPERATURES[k]."""
    temperature = TEMPERATURES[k]
    q = special.softmax(np.log(P) / temperature)
    cross = information.cross_entropy(P, q, base=2)
    kl = max(information.kl_divergence(P, q, base=2), 0.0)  # round-off below 0 at T = 1
    entropy = information.entropy(P, base=2)
    return f"T = {temperature:g}: H(P, Q) = {cross:.3f} = H(P) {entropy:.3f} + KL {kl:.3f} bits"


EXPECTED = {"fig-ch07-decomposition-explorer": decomposition_readout}
