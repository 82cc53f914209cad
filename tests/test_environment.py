"""Tests of mlecourse.environment with faked version dicts (no TensorFlow import needed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import mlecourse
from mlecourse.environment import EnvironmentReport, check_environment, installed_versions

GOOD = {
    "Python": "3.11.9",
    "NumPy": "2.4.6",
    "TensorFlow": "2.21.0",
    "Keras": "3.15.1",
    "tf-keras": "2.21.0",
    "TensorFlow Probability": "0.25.0",
}


def check(**overrides: str | None) -> EnvironmentReport:
    return check_environment({**GOOD, **overrides}, verbose=False, legacy_keras_env=False)


def test_the_course_environment_is_compatible():
    report = check()
    assert report.ok
    assert report.problems == ()
    assert any("tfp.layers" in note and "tf_keras" in note for note in report.notes)


def test_tf_keras_minor_must_equal_tf_minor():
    report = check(**{"tf-keras": "2.20.1"})
    assert not report.ok
    (problem,) = report.problems
    assert "tf-keras 2.20.1 does not match TensorFlow 2.21.0" in problem
    assert "tf-keras~=2.21.0" in problem


def test_tfp_025_needs_tf_218_or_later():
    report = check(TensorFlow="2.17.1", Keras="3.5.0", **{"tf-keras": "2.17.0"})
    assert not report.ok
    assert any("needs TensorFlow 2.18+" in p and "2.17.1" in p for p in report.problems)


def test_tfp_024_goes_with_tf_216_and_217_only():
    ok = check(
        NumPy="1.26.4",
        TensorFlow="2.16.2",
        **{"tf-keras": "2.16.0", "TensorFlow Probability": "0.24.0"},
    )
    assert ok.ok, ok.problems
    bad = check(**{"TensorFlow Probability": "0.24.0"})
    assert not bad.ok
    assert any("needs TensorFlow 2.16-2.17" in p for p in bad.problems)


def test_missing_tf_keras_with_tfp_is_a_problem():
    report = check(**{"tf-keras": None})
    assert not report.ok
    assert any("tf_keras" in p and "not installed" in p for p in report.problems)


def test_keras_2_with_tf_216_plus_is_a_problem():
    report = check(Keras="2.15.0")
    assert any("needs Keras 3" in p for p in report.problems)


def test_numpy_2_with_old_tf_is_a_problem():
    report = check(
        TensorFlow="2.15.1",
        Keras="2.15.0",
        **{"tf-keras": None, "TensorFlow Probability": "0.23.0"},
    )
    assert any("NumPy 1.x" in p for p in report.problems)


def test_without_tensorflow_the_core_still_works():
    report = check(
        TensorFlow=None, Keras=None, **{"tf-keras": None, "TensorFlow Probability": None}
    )
    assert report.ok
    assert any("TensorFlow is not installed" in note for note in report.notes)


def test_tfp_without_tensorflow_is_a_problem():
    report = check(TensorFlow=None)
    assert not report.ok


def test_unknown_tfp_release_is_a_note():
    report = check(**{"TensorFlow Probability": "0.26.0"})
    assert report.ok
    assert any("not in this check's compatibility table" in n for n in report.notes)


def test_legacy_keras_env_is_reported():
    report = check_environment(GOOD, verbose=False, legacy_keras_env=True)
    assert any("TF_USE_LEGACY_KERAS" in n for n in report.notes)


def test_report_prints_versions_and_verdict(capsys: pytest.CaptureFixture[str]):
    report = check_environment({**GOOD, "tf-keras": "2.19.0"}, legacy_keras_env=False)
    out = capsys.readouterr().out
    assert out.strip() == str(report)
    assert "TensorFlow Probability  0.25.0" in out
    assert "INCOMPATIBLE" in out


def test_missing_keys_count_as_not_installed():
    report = check_environment({"Python": "3.11.0", "NumPy": "2.0.0"}, verbose=False)
    assert report.versions["TensorFlow"] is None
    assert "not installed" in str(report)


def test_installed_versions_reads_metadata_without_importing_tensorflow():
    code = (
        "import sys, mlecourse; mlecourse.check_environment(verbose=False); "
        "print('tensorflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert set(installed_versions()) == set(GOOD)


def test_lazy_reexport():
    assert mlecourse.check_environment is check_environment


def test_python_dash_m_exit_code_matches_report():
    proc = subprocess.run(
        [sys.executable, "-m", "mlecourse"], capture_output=True, text=True, check=False
    )
    report = check_environment(verbose=False)
    assert proc.returncode == (0 if report.ok else 1)
    assert "mlecourse environment" in proc.stdout
