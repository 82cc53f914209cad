"""The PyTorch behaviours the cheat sheet states, run live with torch 2.13.0.

Each test names the row (``mlecourse.cheatsheet.RECIPES``) whose PyTorch entry or pitfall it
checks, and compares torch with the book's NumPy reference (``mlecourse.losses`` /
``mlecourse.information``) in float64 at 1e-12 relative.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from mlecourse import cheatsheet, information, losses

torch = pytest.importorskip(
    "torch",
    reason=(
        "the PyTorch re-runs need torch; install with "
        ".venv/bin/python -m pip install -c constraints.txt torch==2.13.0"
    ),
)
nn = torch.nn
F = torch.nn.functional

RTOL = 1e-12


def _t(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


def _row(loss: str) -> cheatsheet.LossRecipe:
    (row,) = [r for r in cheatsheet.RECIPES if r.loss == loss]
    return row


def test_the_torch_version_is_the_one_the_book_quotes() -> None:
    assert torch.__version__.split("+")[0] == "2.13.0"


def test_every_torch_nn_class_a_row_names_exists() -> None:
    import re

    for row in cheatsheet.RECIPES:
        for name in re.findall(r"nn\.(\w+)", row.torch):
            assert hasattr(nn, name), (row.loss, name)


def test_bce_with_logits_takes_logits_prediction_first() -> None:
    assert "`nn.BCEWithLogitsLoss()(logits, target)`" in _row("binary cross-entropy").torch
    z, y = [2.0, -1.0, 0.5, 3.0], [1.0, 1.0, 0.0, 0.0]
    value = nn.BCEWithLogitsLoss()(_t(z), _t(y)).item()
    ours = losses.binary_cross_entropy(y, z, from_logits=True)
    assert value == pytest.approx(ours, rel=RTOL)
    # pos_weight= multiplies the positive term (c_+ of chapter 4)
    weighted = nn.BCEWithLogitsLoss(pos_weight=_t([3.0]))(_t(z), _t(y)).item()
    zz, yy = np.array(z), np.array(y)
    by_hand = np.mean(3.0 * yy * np.logaddexp(0, -zz) + (1 - yy) * np.logaddexp(0, zz))
    assert weighted == pytest.approx(by_hand, rel=RTOL)


def test_cross_entropy_takes_logits_and_probability_targets() -> None:
    assert (
        "`nn.CrossEntropyLoss()(logits, probs)` — takes logits"
        in _row("categorical cross-entropy").torch
    )
    z = [[2.0, 0.1, -1.0], [0.0, 0.0, 0.0]]
    probs = [[0.7, 0.2, 0.1], [0.0, 1.0, 0.0]]
    value = nn.CrossEntropyLoss()(_t(z), _t(probs)).item()
    ours = losses.categorical_cross_entropy(probs, z, from_logits=True)
    assert value == pytest.approx(ours, rel=RTOL)


def test_cross_entropy_with_indices_equals_nll_after_log_softmax() -> None:
    z, k = _t([[2.0, 0.1, -1.0], [-3.0, 4.0, 1.0]]), torch.tensor([0, 2])
    value = nn.CrossEntropyLoss()(z, k).item()
    assert nn.NLLLoss()(F.log_softmax(z, dim=1), k).item() == pytest.approx(value, rel=RTOL)
    ours = losses.sparse_categorical_cross_entropy([0, 2], z.numpy(), from_logits=True)
    assert value == pytest.approx(ours, rel=RTOL)
    # the options the row names are accepted
    nn.CrossEntropyLoss(weight=_t([1.0, 2.0, 1.0]), ignore_index=-100, label_smoothing=0.1)(z, k)


def test_nll_loss_given_probabilities_is_not_the_cross_entropy() -> None:
    # the sparse row's pitfall: NLLLoss expects log-probabilities
    z, k = _t([[2.0, 0.1, -1.0], [-3.0, 4.0, 1.0]]), torch.tensor([0, 2])
    wrong = nn.NLLLoss()(F.softmax(z, dim=1), k).item()
    right = nn.CrossEntropyLoss()(z, k).item()
    assert wrong < 0 < right


def test_mse_and_l1_are_the_mean_squared_and_absolute_errors() -> None:
    pred, y = [0.5, -1.0, 2.0], [0.0, 0.0, 1.0]
    assert nn.MSELoss()(_t(pred), _t(y)).item() == pytest.approx(
        losses.mean_squared_error(y, pred), rel=RTOL
    )
    assert nn.L1Loss()(_t(pred), _t(y)).item() == pytest.approx(
        losses.mean_absolute_error(y, pred), rel=RTOL
    )


def test_mse_broadcasts_n_against_n1_with_only_a_warning() -> None:
    assert "only a UserWarning in PyTorch's `MSELoss`" in _row("mean squared error").pitfalls
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = F.mse_loss(_t([1.0, 2.0, 3.0]), _t([[1.0], [2.0], [3.0]])).item()
    assert [w.category for w in caught] == [UserWarning]
    assert value == pytest.approx(4 / 3, rel=RTOL)  # the (3, 3) broadcast; the right loss is 0


def test_gaussian_nll_loss_takes_a_variance_and_drops_the_constant() -> None:
    row = _row("Gaussian negative log-likelihood")
    assert "a VARIANCE" in row.torch and "drops ½ log 2π" in row.torch
    mu, y, var = [0.5, -1.0, 2.0], [0.0, 0.0, 1.0], [0.25, 1.0, 4.0]
    default = nn.GaussianNLLLoss()(_t(mu), _t(y), _t(var)).item()
    full = nn.GaussianNLLLoss(full=True)(_t(mu), _t(y), _t(var)).item()
    exact = losses.gaussian_nll(y, mu, std=np.sqrt(var))
    assert full == pytest.approx(exact, rel=RTOL)
    assert default == pytest.approx(exact - 0.5 * math.log(2 * math.pi), rel=RTOL)


def test_huber_and_smooth_l1() -> None:
    row = _row("Huber loss")
    assert "`SmoothL1Loss(beta)` is Huber / beta" in row.torch
    pred, y = [0.0, 0.0, 0.0], [0.5, -2.0, 3.0]
    for delta in (0.5, 1.0, 2.0):
        huber = nn.HuberLoss(delta=delta)(_t(pred), _t(y)).item()
        assert huber == pytest.approx(losses.huber_loss(y, pred, delta=delta), rel=RTOL)
        smooth = nn.SmoothL1Loss(beta=delta)(_t(pred), _t(y)).item()
        assert smooth == pytest.approx(huber / delta, rel=RTOL)


def test_poisson_nll_loss_takes_the_log_rate_and_full_adds_stirling() -> None:
    row = _row("Poisson negative log-likelihood")
    assert "takes the LOG-RATE by default" in row.torch
    rate, y = np.array([0.5, 2.0, 4.0]), np.array([0.0, 3.0, 2.0])
    default = nn.PoissonNLLLoss()(_t(np.log(rate)), _t(y)).item()
    assert default == pytest.approx(np.mean(rate - y * np.log(rate)), rel=RTOL)
    ours = losses.poisson_nll(y, np.log(rate), log_input=True, full=False)
    assert default == pytest.approx(ours, rel=RTOL)
    full = nn.PoissonNLLLoss(full=True)(_t(np.log(rate)), _t(y)).item()
    y_safe = np.where(y > 1, y, 1.0)
    stirling = np.where(y > 1, y * np.log(y_safe) - y + 0.5 * np.log(2 * np.pi * y_safe), 0.0)
    assert full == pytest.approx(default + stirling.mean(), rel=RTOL)
    # log_input=False takes the rate (Keras's convention)
    as_rate = nn.PoissonNLLLoss(log_input=False, eps=0.0)(_t(rate), _t(y)).item()
    assert as_rate == pytest.approx(default, rel=RTOL)


def test_kl_div_loss_takes_log_probabilities_and_batchmean_is_the_kl() -> None:
    row = _row("KL divergence")
    assert "LOG-probabilities" in row.torch and "divides by the number of elements" in row.torch
    q = [[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]]
    p = [[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]]
    kl_rows = information.kl_divergence(np.array(p), np.array(q))
    batchmean = nn.KLDivLoss(reduction="batchmean")(_t(q).log(), _t(p)).item()
    assert batchmean == pytest.approx(kl_rows.mean(), rel=RTOL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's note on 'mean'
        mean = nn.KLDivLoss()(_t(q).log(), _t(p)).item()
    assert mean == pytest.approx(kl_rows.sum() / 6, rel=RTOL)
    probabilities_in = nn.KLDivLoss(reduction="batchmean")(_t(q), _t(p)).item()
    assert probabilities_in < 0  # the row's pitfall: a negative value


def test_torch_distributions_give_the_part_iv_losses() -> None:
    dist = torch.distributions
    y = [0.5, 2.0, 7.0]
    assert -dist.StudentT(_t(4.0), _t(1.0), _t(2.0)).log_prob(_t(3.0)).item() == pytest.approx(
        losses.student_t_nll([3.0], [1.0], df=4.0, scale=2.0), rel=RTOL
    )
    mu_nb, r = _t([2.0, 2.0, 4.0]), 1.5
    nb = dist.NegativeBinomial(total_count=r, logits=torch.log(mu_nb / r))
    np.testing.assert_allclose(nb.mean.numpy(), mu_nb.numpy(), rtol=RTOL)
    np.testing.assert_allclose(
        -nb.log_prob(_t([0.0, 3.0, 10.0])).numpy(),
        losses.negative_binomial_nll([0, 3, 10], mu_nb.numpy(), total_count=r, reduction="none"),
        rtol=RTOL,
    )
    mu_g, a = _t([1.0, 3.0, 4.0]), 2.5
    np.testing.assert_allclose(
        -dist.Gamma(a, a / mu_g).log_prob(_t(y)).numpy(),
        losses.gamma_nll(y, mu_g.numpy(), concentration=a, reduction="none"),
        rtol=RTOL,
    )
    loc, scale = [0.0, 1.0, -0.5], [1.0, 0.5, 2.0]
    np.testing.assert_allclose(
        -dist.LogNormal(_t(loc), _t(scale)).log_prob(_t(y)).numpy(),
        losses.lognormal_nll(y, loc, scale=np.array(scale), reduction="none"),
        rtol=RTOL,
    )


def test_pinball_expression_is_the_pinball_loss() -> None:
    assert "`torch.maximum(tau * u, (tau - 1) * u).mean()`" in _row("pinball (quantile) loss").torch
    y, q, tau = _t([0.5, -1.0, 2.0, 3.0]), _t([0.0, 0.0, 1.0, 4.0]), 0.9
    u = y - q
    value = torch.maximum(tau * u, (tau - 1) * u).mean().item()
    ours = losses.pinball_loss(y.numpy(), q.numpy(), quantile=tau)
    assert value == pytest.approx(ours, rel=RTOL)


@pytest.mark.parametrize(
    ("loss", "keywords"),
    [
        ("binary focal loss", ("focal",)),
        ("Gaussian negative log-likelihood", ()),
        ("Student-t negative log-likelihood", ("studentt",)),
        ("negative-binomial negative log-likelihood", ("negativebinomial", "nbinom")),
        ("Gamma negative log-likelihood", ("gamma",)),
        ("log-normal negative log-likelihood", ("lognormal",)),
        ("pinball (quantile) loss", ("pinball", "quantile")),
    ],
)
def test_no_builtin_claims_hold_in_torch_nn(loss: str, keywords: tuple[str, ...]) -> None:
    row = _row(loss)
    names = [n.lower() for n in dir(nn) if n.endswith("Loss")]
    if row.torch.startswith("no ") or "no `torch.nn`" in row.torch:
        assert keywords
        assert not [n for n in names if any(k in n for k in keywords)]
