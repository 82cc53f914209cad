"""Which versions are installed, and do they work together?

``python -m mlecourse`` (or :func:`mlecourse.check_environment` in a notebook) prints the
versions of Python, NumPy, TensorFlow, Keras, tf-keras and TensorFlow Probability, and says
which combination is broken and what to install instead. Nothing here imports TensorFlow:
the versions come from the installed distributions' metadata (:mod:`importlib.metadata`),
so the check takes milliseconds and works even when ``import tensorflow`` itself fails.

Decisions, written down once:

* **The compatibility table** is the one TFP's release notes state, plus what was measured
  for this course: TFP 0.25 needs TF >= 2.18 (tested by its authors on 2.18, measured here on
  2.21); TFP 0.24 goes with TF 2.16-2.17; 0.23 with 2.15; 0.22 with 2.14. A TFP release not in
  the table gives a note, not an error.
* **tf-keras must match TensorFlow's minor version** (``tf-keras 2.21.x`` with
  ``tensorflow 2.21.x``): it is the Keras-2 code base that TF 2.16+ no longer bundles, and TFP
  imports it.
* **Keras 3 is ``tf.keras`` from TF 2.16 on.** ``tfp.layers`` only works with ``tf_keras``
  models, so the course trains Keras-3 models that output distribution parameters (see
  :mod:`mlecourse.tfp.heads`); this is reported as a note, not a problem.
* **TensorFlow is optional.** Without it, the NumPy core works and only :mod:`mlecourse.tfp`
  is unavailable: a note, and the check still passes.
* NumPy 2 needs TF >= 2.18 (earlier wheels were built against NumPy 1.x).

:func:`check_environment` returns an :class:`EnvironmentReport`, so tests (and CI) can assert
on ``report.ok`` and ``report.problems``; it accepts a ``versions`` mapping to check a
hypothetical environment without installing it.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata

__all__ = ["PACKAGES", "EnvironmentReport", "check_environment", "installed_versions", "main"]

#: Display name -> distribution names that provide it (first installed one wins).
PACKAGES: dict[str, tuple[str, ...]] = {
    "NumPy": ("numpy",),
    "TensorFlow": (
        "tensorflow",
        "tensorflow-cpu",
        "tensorflow-macos",
        "tensorflow-intel",
        "tf-nightly",
    ),
    "Keras": ("keras", "keras-nightly"),
    "tf-keras": ("tf-keras", "tf_keras", "tf-keras-nightly"),
    "TensorFlow Probability": ("tensorflow-probability", "tfp-nightly"),
}

# TFP minor version -> (lowest TF minor, highest TF minor or None for "and later").
_TFP_TO_TF: dict[int, tuple[int, int | None]] = {
    25: (18, None),
    24: (16, 17),
    23: (15, 15),
    22: (14, 14),
}

_INSTALL_HINT = 'pip install "mlecourse[tfp]"  (tensorflow-probability[tf] 0.25 with TF 2.18-2.21)'


def _major_minor(version: str | None) -> tuple[int, int] | None:
    """``"2.21.0rc1"`` -> ``(2, 21)``; ``None`` or an unparsable string -> ``None``."""
    if version is None:
        return None
    match = re.match(r"\s*(\d+)\.(\d+)", version)
    return (int(match.group(1)), int(match.group(2))) if match else None


def installed_versions() -> dict[str, str | None]:
    """The installed version of each package of :data:`PACKAGES` (``None`` when absent).

    Read from distribution metadata: nothing is imported. ``"Python"`` is the running
    interpreter.

    Examples:
        >>> versions = installed_versions()
        >>> sorted(versions)
        ['Keras', 'NumPy', 'Python', 'TensorFlow', 'TensorFlow Probability', 'tf-keras']
        >>> versions["Python"] == platform.python_version()
        True
    """
    versions: dict[str, str | None] = {"Python": platform.python_version()}
    for display, dists in PACKAGES.items():
        found = None
        for dist in dists:
            try:
                found = metadata.version(dist)
            except metadata.PackageNotFoundError:
                continue
            break
        versions[display] = found
    return versions


@dataclass(frozen=True)
class EnvironmentReport:
    """The result of :func:`check_environment`.

    Attributes:
        versions: display name -> version string, ``None`` for a package not installed.
        problems: combinations that do not work, each with what to install instead.
            Empty when everything fits.
        notes: facts worth knowing that are not errors (Keras 3 is ``tf.keras``, TensorFlow
            is not installed, ...).
    """

    versions: dict[str, str | None]
    problems: tuple[str, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """``True`` when no incompatible combination was found."""
        return not self.problems

    def __str__(self) -> str:
        """The report as ``python -m mlecourse`` prints it: one version a line, then the verdict."""
        width = max(len(name) for name in self.versions)
        lines = ["mlecourse environment"]
        for name, version in self.versions.items():
            lines.append(
                f"  {name:<{width}}  {version if version is not None else 'not installed'}"
            )
        if self.problems:
            lines.append("INCOMPATIBLE:")
            lines.extend(f"  - {p}" for p in self.problems)
        else:
            lines.append("OK: these versions work together.")
        if self.notes:
            lines.append("Notes:")
            lines.extend(f"  - {n}" for n in self.notes)
        return "\n".join(lines)


def _diagnose(
    versions: Mapping[str, str | None], legacy_keras_env: bool
) -> tuple[list[str], list[str]]:
    """Problems and notes for a mapping of display name -> version."""
    problems: list[str] = []
    notes: list[str] = []
    tf_v = versions.get("TensorFlow")
    tf = _major_minor(tf_v)
    tfp = _major_minor(versions.get("TensorFlow Probability"))
    tfk = _major_minor(versions.get("tf-keras"))
    keras = _major_minor(versions.get("Keras"))
    numpy = _major_minor(versions.get("NumPy"))

    if numpy is None:
        problems.append("NumPy is not installed: pip install 'numpy>=1.24,<3'")

    if tf is None:
        notes.append(
            "TensorFlow is not installed: the NumPy core works, mlecourse.tfp does not. "
            f"To use it: {_INSTALL_HINT}"
        )
        if tfp is not None:
            problems.append(
                f"TensorFlow Probability {versions['TensorFlow Probability']} is installed "
                f"without TensorFlow: {_INSTALL_HINT}"
            )
        return problems, notes

    tf_mm = f"{tf[0]}.{tf[1]}"
    if tf[0] == 2 and tf[1] < 18 and numpy is not None and numpy[0] >= 2:
        problems.append(
            f"TensorFlow {tf_v} was built against NumPy 1.x but NumPy {versions['NumPy']} is "
            f"installed: pip install 'numpy<2', or upgrade to TensorFlow >= 2.18"
        )

    if tfp is None:
        notes.append(f"TensorFlow Probability is not installed: {_INSTALL_HINT}")
    elif tfp[0] == 0 and tfp[1] in _TFP_TO_TF:
        low, high = _TFP_TO_TF[tfp[1]]
        if tf[0] != 2 or tf[1] < low or (high is not None and tf[1] > high):
            wanted = f"2.{low}+" if high is None else f"2.{low}-2.{high}"
            fix = (
                f"pip install 'tensorflow-probability[tf]~=0.25.0' (TF >= 2.18), or "
                f"'tensorflow~=2.{high or low}.0' to keep TFP 0.{tfp[1]}"
            )
            problems.append(
                f"TensorFlow Probability {versions['TensorFlow Probability']} needs TensorFlow "
                f"{wanted}, but TensorFlow {tf_v} is installed: {fix}"
            )
    else:
        notes.append(
            f"TensorFlow Probability {versions['TensorFlow Probability']} is not in this "
            "check's compatibility table (0.22-0.25); the course is tested with 0.25"
        )

    if tfp is not None and tfp <= (0, 25) and numpy is not None and numpy >= (2, 4):
        notes.append(
            f"TensorFlow Probability {versions['TensorFlow Probability']} with NumPy "
            f"{versions['NumPy']}: tfb.Pad and tfb.SoftmaxCentered fail (they call "
            "np.reshape(newshape=...), removed in NumPy 2.4); nothing in the course uses them"
        )

    if tf >= (2, 16):
        if tfk is None:
            if tfp is not None:
                problems.append(
                    f"TensorFlow Probability on TensorFlow {tf_mm} imports tf_keras, which is "
                    f"not installed: pip install 'tf-keras~={tf_mm}.0'"
                )
        elif tfk[:2] != tf[:2]:
            problems.append(
                f"tf-keras {versions['tf-keras']} does not match TensorFlow {tf_v}: the minor "
                f"versions must be equal; pip install 'tf-keras~={tf_mm}.0'"
            )
        if keras is None or keras[0] < 3:
            problems.append(
                f"TensorFlow {tf_mm} needs Keras 3 as tf.keras, but Keras is "
                f"{versions.get('Keras') or 'not installed'}: pip install 'keras>=3'"
            )
        elif legacy_keras_env:
            notes.append(
                "TF_USE_LEGACY_KERAS=1 is set: tf.keras is tf_keras (Keras 2) in this process; "
                "the course's Keras-3 code expects it unset"
            )
        else:
            notes.append(
                f"Keras {versions['Keras']} is tf.keras: tfp.layers refuses Keras-3 models and "
                "needs tf_keras models (mlecourse.tfp.legacy); the course trains Keras-3 models "
                "with parameter heads (mlecourse.tfp.heads)"
            )
    return problems, notes


def check_environment(
    versions: Mapping[str, str | None] | None = None,
    *,
    verbose: bool = True,
    legacy_keras_env: bool | None = None,
) -> EnvironmentReport:
    """Report the installed versions and whether they work together.

    Args:
        versions: display name -> version (keys as in :data:`PACKAGES`, plus ``"Python"``);
            missing keys count as not installed. ``None`` (default) reads the installed
            versions with :func:`installed_versions`. Pass a mapping to check a hypothetical
            environment.
        verbose: print the report (default). ``False`` only returns it.
        legacy_keras_env: whether ``TF_USE_LEGACY_KERAS`` is switched on; ``None`` reads the
            environment variable.

    Returns:
        An :class:`EnvironmentReport`; ``report.ok`` is ``False`` when some combination is
        incompatible, and ``report.problems`` says what to install.

    Examples:
        >>> report = check_environment(
        ...     {"Python": "3.11.9", "NumPy": "2.1.0", "TensorFlow": "2.18.0",
        ...      "Keras": "3.6.0", "tf-keras": "2.17.0", "TensorFlow Probability": "0.25.0"},
        ...     verbose=False, legacy_keras_env=False)
        >>> report.ok
        False
        >>> print(report.problems[0])
        tf-keras 2.17.0 does not match TensorFlow 2.18.0: the minor versions must be equal;
        pip install 'tf-keras~=2.18.0'
    """
    if versions is None:
        versions = installed_versions()
    if legacy_keras_env is None:
        legacy_keras_env = os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true")
    full: dict[str, str | None] = {"Python": versions.get("Python")}
    full.update({name: versions.get(name) for name in PACKAGES})
    problems, notes = _diagnose(full, legacy_keras_env)
    report = EnvironmentReport(versions=full, problems=tuple(problems), notes=tuple(notes))
    if verbose:
        print(report)
    return report


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m mlecourse``: print the report, return 0 if compatible else 1."""
    del argv  # no options yet
    report = check_environment(verbose=True)
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
