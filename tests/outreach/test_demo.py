import io

import pytest
from django.core.management import call_command

from outreach.engine.templating import validate_step
from outreach.models import Campaign, Consultation, Contact

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_reminder_campaign_once_with_valid_templates():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get(name="Consultation reminders")
    assert campaign.active
    steps = list(campaign.steps.all())
    assert [(s.name, s.send_sms, s.send_email) for s in steps] == [
        ("24 hours before", True, True),
        ("2 hours before", True, False),
    ]
    for step in steps:
        validate_step(step)
    assert Consultation.objects.filter(external_id__startswith="DEMO-").count() == 3
    assert Contact.objects.count() == 3
    for contact in Contact.objects.all():
        assert str(contact.phone).startswith("+1203555010")
        assert contact.email is None or contact.email.endswith("@example.com")
