"""Suppressions: an address is found however staff type it, and the one added is the one the engine checks."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from outreach.models import Channel, Suppression

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    ["+12035550188", "(203) 555-0188", "203.555.0188", "203 555 0188", "1-203-555-0188", " +1 203 555 0188 "],
)
def test_a_suppressed_number_is_found_however_it_is_typed(admin_user_client, typed):
    suppression = Suppression.add(Channel.SMS, "+12035550188", Suppression.Reason.MANUAL)
    Suppression.add(Channel.SMS, "+12035550199", Suppression.Reason.MANUAL)
    html = admin_user_client.get(reverse("outreach_suppressions:index"), {"q": typed}).content.decode()
    rows = BeautifulSoup(html, "html.parser").select("table.listing tbody tr")
    assert len(rows) == 1 and suppression.hint in rows[0].get_text()


@pytest.mark.parametrize("typed", ["gone@example.com", "GONE@Example.COM", "  gone@example.com "])
def test_a_suppressed_email_is_found_however_it_is_typed(admin_user_client, world, typed):
    html = admin_user_client.get(reverse("outreach_suppressions:index"), {"q": typed}).content.decode()
    rows = BeautifulSoup(html, "html.parser").select("table.listing tbody tr")
    assert len(rows) == 1 and world["suppression"].hint in rows[0].get_text()


def test_suppression_search_by_the_last_digits_and_no_false_match(admin_user_client, world):
    Suppression.add(Channel.SMS, "+12035550188", Suppression.Reason.MANUAL)
    found = admin_user_client.get(reverse("outreach_suppressions:index"), {"q": "0188"}).content.decode()
    assert len(BeautifulSoup(found, "html.parser").select("table.listing tbody tr")) == 1
    none = admin_user_client.get(reverse("outreach_suppressions:index"), {"q": "(203) 555-0177"}).content.decode()
    assert "***0188" not in none and "gone" not in none


def test_an_address_added_in_any_format_is_the_one_the_engine_checks(admin_user_client):
    response = admin_user_client.post(
        reverse("outreach_suppressions:add"), {"channel": "sms", "address": "(203) 555-0166", "reason": "manual"}
    )
    assert response.status_code == 302
    assert Suppression.is_suppressed(Channel.SMS, "+12035550166")


def test_a_suppression_hashed_before_a_key_rotation_is_found(admin_user_client, settings):
    settings.SUPPRESSION_HASH_KEY = "old-key"
    Suppression.add(Channel.SMS, "+12035550188", Suppression.Reason.MANUAL)
    settings.SUPPRESSION_HASH_KEY, settings.SUPPRESSION_HASH_PREVIOUS_KEYS = "new-key", ["old-key"]
    html = admin_user_client.get(reverse("outreach_suppressions:index"), {"q": "(203) 555-0188"}).content.decode()
    assert len(BeautifulSoup(html, "html.parser").select("table.listing tbody tr")) == 1
