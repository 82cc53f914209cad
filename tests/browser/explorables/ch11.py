"""Chapter 11's explorable figure: the readout at each step, recomputed with mlecourse.

`fig-ch11-student-t-pull`: the pull of a residual on the location, minus the derivative of the
per-example NLL in mu (sigma = 1), for a Student-t with the degrees of freedom below; the readout
is the pull of the residual u = 5 (the Gaussian's is 5).
"""

from __future__ import annotations

from mlecourse import gradients

NU_STEPS = (1, 1.5, 2, 3, 4, 5, 7, 10, 15, 20, 30, 50, 100, 300, 1000)


def pull_readout(k: int) -> str:
    """The readout at step k: the Student-t pull of a residual of 5 at NU_STEPS[k]."""
    nu = NU_STEPS[k]
    pull = -float(gradients.student_t_nll([5.0], [0.0], df=nu, reduction="none").loc[0])
    return f"ν = {nu:g}: a residual of 5 pulls with {pull:.3f} (Gaussian: 5)"


EXPECTED = {"fig-ch11-student-t-pull": pull_readout}
