"""axe-core audits in the shared Chromium: no serious or critical violation, the full report kept as an artifact.

axe-core comes from npm, pinned in tests/frontend/package-lock.json (`npm ci --prefix tests/frontend`; installed on
first use). The script is served from the page's own origin through a Playwright route, so the page's
Content-Security-Policy stays on during the audit.
"""

import json
import subprocess
from pathlib import Path

NPM_PREFIX = Path(__file__).resolve().parent.parent / "frontend"
AXE_SCRIPT = NPM_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def install_axe():
    if not AXE_SCRIPT.exists():
        subprocess.run(
            ["npm", "ci", "--prefix", str(NPM_PREFIX), "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    assert AXE_SCRIPT.exists(), "axe-core is missing: npm ci --prefix tests/frontend"


def axe_audit(page, base_url, name, artifacts_dir, context="document"):
    """Run axe-core on `context` (a JS expression: the document, or e.g. "document.querySelector('main')") of the
    page as it is now; write axe-<name>.json; fail on serious or critical violations. Returns all violations."""
    install_axe()
    # Let finite transitions end first (a message banner fading in reads as low contrast half-way through); never
    # wait on an endless one (a spinner), nor more than two seconds.
    page.evaluate(
        """async () => {
            const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
            const ends = Promise.all(finite.map((a) => a.finished.catch(() => null)));
            await Promise.race([ends, new Promise((done) => setTimeout(done, 2000))]);
        }"""
    )
    page.route("**/__test__/axe.min.js", lambda route: route.fulfill(path=str(AXE_SCRIPT)))
    page.add_script_tag(url=base_url.rstrip("/") + "/__test__/axe.min.js")
    violations = page.evaluate(
        f"""async () => {{
            const results = await axe.run({context}, {{ resultTypes: ["violations"] }});
            return results.violations.map((v) => ({{
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
            }}));
        }}"""
    )
    (Path(artifacts_dir) / f"axe-{name}.json").write_text(json.dumps(violations, indent=2))
    serious = [violation for violation in violations if violation["impact"] in SERIOUS]
    assert not serious, json.dumps(serious, indent=2)
    return violations
