"""`make audit`: pip-audit over requirements.txt, failing on any known vulnerability.

pip-audit reports a package it cannot look up as "skipped", and exits 0 when every package was skipped: an audit
that could not reach its advisory database would pass silently. So a canary with known advisories (Django 4.2.0) is
audited first: if pip-audit does not flag it, the database is unreachable and this says so loudly, exiting 0 only
in that one case (the machines here reach a PyPI mirror without the per-version JSON the audit needs).
Exit codes: 0 clean (or audit unavailable), 1 vulnerable pins, 2 pip-audit failed to run.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CANARY = "Django==4.2.0\n"
UNAVAILABLE = "audit unavailable (no network to the advisory database)"


def run_audit(requirements):
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "-r",
        str(requirements),
        "--vulnerability-service",
        "pypi",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--no-deps",
        "--disable-pip",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        report = None
    return result.returncode, report, result.stderr


def vulnerable(report):
    return [
        f"{dep['name']}=={dep['version']}: {', '.join(v['id'] for v in dep['vulns'])}"
        for dep in report.get("dependencies", [])
        if dep.get("vulns")
    ]


def verdict(canary_report, report):
    """(exit code, message) from the canary's report and the real one."""
    if canary_report is None or report is None:
        return 2, "pip-audit did not produce a report"
    if not vulnerable(canary_report):
        return 0, UNAVAILABLE
    found = vulnerable(report)
    if found:
        return 1, "known vulnerabilities:\n  " + "\n  ".join(found)
    return 0, "no known vulnerabilities in requirements.txt"


def main(requirements=ROOT / "requirements.txt"):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as canary:
        canary.write(CANARY)
    _, canary_report, _ = run_audit(canary.name)
    Path(canary.name).unlink()
    _, report, stderr = run_audit(requirements)
    code, message = verdict(canary_report, report)
    print(f"pip-audit: {message}")  # noqa: T201
    if code == 2:
        print(stderr, file=sys.stderr)  # noqa: T201
    return code


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
