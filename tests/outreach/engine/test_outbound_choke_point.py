"""One choke point: no module but outreach/engine/outbound.py asks a provider to send (issue 14 §1).

Read from the source tree (every .py under the product's packages, new ones included), so a path added later that
calls a provider, Django's mail functions or Twilio's client directly fails here instead of bypassing the gate.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("outreach", "cms", "config", "scripts")
TOP_LEVEL = ("celery_app.py", "manage.py")

# Provider methods that send (outreach/providers/base.py), Django's mail API, Twilio's client and TwiML.
SEND_METHODS = {"send_sms", "send_sms_many", "send_email", "send_email_batch", "send_messages"}
MAIL_FUNCTIONS = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
}
TWIML = {"MessagingResponse"}

ALLOWED = {
    # The adapters themselves, and the one place that calls them.
    "outreach/engine/outbound.py": SEND_METHODS,
    # Staff alerts: to the clinic's own staff and on-call addresses from settings, never to a patient.
    "outreach/conversations/alerts.py": {"send_mail"},
    # The reply to an inbound text, which outreach.conversations (keywords.gated_answer) passed through the gate.
    "outreach/webhooks/twilio.py": TWIML,
}


def source_files():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path
    for name in TOP_LEVEL:
        yield ROOT / name


def sends_in(path):
    """(line, name) of every call that would hand a message to a provider."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in SEND_METHODS | MAIL_FUNCTIONS | TWIML:
            found.append((node.lineno, name))
        # twilio's client: client.messages.create(...)
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("create", "create_async")
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "messages"
        ):
            found.append((node.lineno, "messages.create"))
    return found


def test_only_the_outbound_module_calls_a_provider_send_method():
    offences = []
    for path in source_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("outreach/providers/"):
            continue  # the adapters: send methods call their vendor's API
        allowed = ALLOWED.get(relative, set())
        offences += [f"{relative}:{line} calls {name}" for line, name in sends_in(path) if name not in allowed]
    assert offences == [], "send through outreach.engine.outbound (the gate), not directly:\n" + "\n".join(offences)


def test_the_scan_sees_a_direct_call(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(p, client):\n"
        "    p.send_sms(1)\n"
        "    get_email_provider().send_email(2)\n"
        "    client.messages.create(to='x')\n"
        "    send_mail('s', 'b', 'f', ['t'])\n"
    )
    assert [name for _, name in sends_in(sample)] == ["send_sms", "send_email", "messages.create", "send_mail"]


def test_every_allowed_file_exists():
    # An allowance for a file that was moved or renamed would silently stop guarding anything.
    assert all((ROOT / relative).exists() for relative in ALLOWED)
