"""A batch on SQLite, the zero-setup default of `make run` (its worker sends the demo's reminders): the batch's
bulk UPDATEs are PostgreSQL's `UPDATE ... FROM (VALUES ...)`, and on SQLite the same updates go row by row. Run in a
subprocess with the dev settings and a fresh SQLite file, as `make run` runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from outreach.engine.batches import send_batch
from outreach.engine.dispatch import dispatch
from outreach.engine.planner import plan_due
from outreach.models import OutboundMessage
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone

make_campaign(steps=[{"send_email": True}])
for _ in range(3):
    make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
plan_due()
batches = []
dispatch(batches.append)
outcome = {}
for batch in batches:
    outcome.update(send_batch(batch))
rows = list(OutboundMessage.objects.values_list("status", "attempts", "provider"))
print(json.dumps({"batches": [len(b) for b in batches], "outcome": sorted(set(outcome.values())), "rows": rows}))
"""


def test_a_batch_sends_on_sqlite(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "DJANGO_SETTINGS"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SMS_PROVIDER="console",
        EMAIL_PROVIDER="console",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["batches"] == [3, 3]  # one batch per channel
    assert found["outcome"] == ["sent"]
    assert sorted(found["rows"]) == [["sent", 1, "console"]] * 6
