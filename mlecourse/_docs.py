"""The contract's text, written once and filled into the docstrings of the loss modules.

Every loss of :mod:`mlecourse.losses`, :mod:`mlecourse.tfp.losses` and
:mod:`mlecourse.gradients` documents the same ``sample_weight``, ``reduction`` and return
value. Their docstrings say so with a placeholder (``sample_weight: {{sample_weight}}``,
``{{returns}}``), and :func:`fill` replaces it with the text below when the module is
imported (PyTorch fills shared notes the same way, with ``str.format``; a placeholder in
double braces leaves the TeX braces of the formulas alone). A change of the rule is one edit
here. ``Raises`` is shared where its text is the same: every gradient raises as its loss
(``TypeError: {{raises}}``); ``TypeError: {{type_error}}`` is a loss with no option whose
type is checked (only non-numeric input raises it), ``ValueError: {{value_error}}`` one with
no option or parameter of its own (the mean squared and absolute errors). Each
docstring keeps its own summary, formula, Python line, equation label, framework notes and
doctest, and writes its own text where an argument means more (the class axis of the
categorical losses, the denominator of their mean) or where it raises more (its own options
and parameters). In a fragment, ``{pred}`` is the name of the prediction argument and
``{name}`` the function's.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Iterable, Mapping

_WIDTH = 96  # docstring lines end before column 100 (ruff's line length)
_PLACEHOLDER = re.compile(r"^(?P<indent> *)(?P<lead>\w+: )?\{\{(?P<name>\w+)\}\}$")

_SAMPLE_WEIGHT = (
    r"A scalar or one weight :math:`\omega_i \ge 0` per element (the shape of the per-element "
    "losses)."
)
_REDUCTION = (
    r'``"mean"`` (:math:`\sum_i \omega_i \mathcal{L}_i / \sum_i \omega_i`, or divided by the '
    r'number of elements), ``"sum"`` (:math:`\sum_i \omega_i \mathcal{L}_i`) or ``"none"`` '
    r"(:math:`\omega_i \mathcal{L}_i`)."
)

#: The fragments of the NumPy losses; ``{pred}`` is the name of the prediction argument.
#: ``type_error`` and ``value_error`` are the ``Raises`` entries of the contract's own checks:
#: for a loss with no option of a checked type, and with no option or parameter at all.
NUMPY_LOSS = {
    "sample_weight": _SAMPLE_WEIGHT,
    "reduction": _REDUCTION,
    "returns": (
        'A NumPy scalar (``"mean"``, ``"sum"``) or an array of one loss per element '
        '(``"none"``), in the dtype of ``{pred}`` (float32 stays float32).'
    ),
    "type_error": "Non-numeric inputs.",
    "value_error": (
        "Shapes that differ, empty inputs, NaN/inf, a bad ``sample_weight`` or ``reduction``."
    ),
}

#: The fragments of the TFP twin (values are checked only in eager mode).
TFP_LOSS = {
    "sample_weight": _SAMPLE_WEIGHT,
    "reduction": _REDUCTION,
    "returns": (
        "A ``tf.Tensor`` in the float dtype of ``{pred}``: a scalar, or one loss per element "
        'for ``reduction="none"``.'
    ),
    "type_error": "non-numeric input.",
    "value_error": (
        "shapes that differ, empty input, a bad option or weight shape; in eager mode also "
        "NaN/inf, negative weights."
    ),
}

#: The fragments of the gradients.
GRADIENT = {
    "sample_weight": "A scalar or one weight per element, as in the loss.",
    "reduction": (
        '``"mean"``, ``"sum"`` or ``"none"``, as in the loss: the gradient of the reduced loss '
        '(per element for ``"none"``).'
    ),
    "returns": "An array shaped like ``{pred}``, in its dtype.",
    # a gradient validates its arguments exactly as its loss does
    "raises": "As :func:`mlecourse.losses.{name}`.",
}


def fill_text(doc: str, fragments: Mapping[str, str], pred: str, name: str = "") -> str:
    """``doc`` with each placeholder line replaced by its fragment, wrapped and indented."""
    out = []
    for line in doc.splitlines():
        m = _PLACEHOLDER.match(line)
        if m is None:
            out.append(line)
            continue
        indent, lead = m["indent"], m["lead"] or ""
        text = fragments[m["name"]].replace("{pred}", pred).replace("{name}", name)
        rest = indent + "    " if lead else indent  # an Args entry continues 4 deeper
        # never break a line inside ``code`` or :math:`...` (spaces there held by NUL)
        text = re.sub(r"`[^`]*`", lambda span: span[0].replace(" ", "\0"), lead + text)
        wrapped = textwrap.wrap(
            text, _WIDTH, initial_indent=indent, subsequent_indent=rest, break_on_hyphens=False
        )
        out.extend(row.replace("\0", " ") for row in wrapped)
    return "\n".join(out) + ("\n" if doc.endswith("\n") else "")


def fill(
    namespace: Mapping[str, object], names: Iterable[str], fragments: Mapping[str, str]
) -> None:
    """Fill the placeholders of the docstrings of ``names`` in a module's ``namespace``."""
    for name in names:
        fn = namespace[name]
        doc = getattr(fn, "__doc__", None)
        if not callable(fn) or not doc or "{{" not in doc:
            continue
        pred = list(inspect.signature(fn).parameters)[1]
        fn.__doc__ = fill_text(doc, fragments, pred, name)
