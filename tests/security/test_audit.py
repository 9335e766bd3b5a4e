"""The dependency audit fails on a known-vulnerable pin, and cannot pass silently when it could not look."""

import pytest

from tests.security import audit

VULNERABLE = {"dependencies": [{"name": "django", "version": "4.2.0", "vulns": [{"id": "PYSEC-2023-100"}]}]}
CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
SKIPPED = {"dependencies": [{"name": "django", "version": "4.2.0", "skip_reason": "Dependency not found on PyPI"}]}


def test_a_vulnerable_pin_fails_the_audit():
    assert audit.verdict(VULNERABLE, VULNERABLE)[0] == 1


def test_clean_pins_pass():
    assert audit.verdict(VULNERABLE, CLEAN) == (0, "no known vulnerabilities in requirements.txt")


def test_an_unreachable_database_is_reported_not_passed_silently():
    assert audit.verdict(SKIPPED, SKIPPED) == (0, audit.UNAVAILABLE)
    assert audit.verdict(SKIPPED, VULNERABLE) == (0, audit.UNAVAILABLE)


def test_a_broken_run_is_an_error():
    assert audit.verdict(None, CLEAN)[0] == 2


def test_pip_audit_flags_the_canary_when_the_database_is_reachable(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(audit.CANARY)
    _, report, _ = audit.run_audit(requirements)
    assert report is not None
    if not audit.vulnerable(report):
        pytest.skip(audit.UNAVAILABLE)
    assert audit.main(requirements) == 1
