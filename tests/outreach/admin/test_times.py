"""Every date and time on every Outreach screen is in a stated zone, and future times read as future.

The class test walks every list, detail, history and custom screen of the Outreach menu (found from the viewsets
themselves, so a screen added later is walked too) over records holding a time in every datetime field, and checks
that no date or time is rendered outside the zoned-time markup of outreach.admin.times, which always carries its
label. The formatting itself is tested on its own below.
"""

import datetime
import re
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.log_actions import log

from cms.models import ClinicSettings
from outreach.admin.durations import format_duration, parse_duration_text
from outreach.admin.times import CLINIC, PATIENT, zoned
from outreach.admin.viewsets import OutreachViewSetGroup
from outreach.models import (
    Channel,
    ConsentRecord,
    Consultation,
    DeliveryEvent,
    InboundMessage,
    MessageStatus,
)
from tests.outreach.factories import make_consultation, make_contact

from .conftest import make_row

pytestmark = pytest.mark.django_db

# What a rendered date or time looks like, in any of the formats Django or Wagtail would produce.
MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATETIME_TEXT = re.compile(
    rf"\b\d{{1,2}}:\d{{2}}\b|\b{MONTHS} \d{{1,2}}\b|\b\d{{1,2}} {MONTHS}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
    r"|\bjust now\b|\bago\b|\bmidnight\b|\bnoon\b|\b[ap]\.m\.",
    re.IGNORECASE,
)
ZONE_LABEL = re.compile(r"\((?:patient's time|clinic time), [A-Za-z_]+/[A-Za-z_]+(?:; [^)]*)?\)")


@pytest.fixture
def timed_world(world, users):
    """The admin tests' world, with a value in every datetime field the screens show."""
    now = timezone.now()
    ClinicSettings.objects.update_or_create(defaults={"time_zone": "America/Chicago"})
    far = make_contact(first_name="Lee", time_zone="America/Los_Angeles")
    later = make_consultation(far, in_hours=30)
    done = make_consultation(far, in_hours=-30)
    Consultation.objects.filter(pk=done.pk).update(status=Consultation.Status.COMPLETED, completed_at=now)
    sent = make_row(
        world["step"],
        far,
        later,
        status=MessageStatus.DELIVERED,
        sent_at=now - datetime.timedelta(hours=1),
        delivered_at=now - datetime.timedelta(minutes=50),
    )
    failed = world["failed"]
    failed.failed_at = now - datetime.timedelta(minutes=5)
    failed.save()
    DeliveryEvent.objects.create(
        provider="twilio", event=DeliveryEvent.Event.DELIVERED, message=sent, dedupe_key="e1", applied=True
    )
    InboundMessage.objects.create(
        contact=far,
        from_number=str(far.phone),
        body="C",
        provider_message_id="SM-times",
        kind=InboundMessage.Kind.CONFIRM,
        handled_at=now,
        handled_by=users["outreach_admin"],
    )
    InboundMessage.objects.create(from_number="+12035550199", body="who is this", provider_message_id="SM-unknown")
    ConsentRecord.objects.create(
        contact=far,
        channel=Channel.EMAIL,
        purpose="education",
        granted=True,
        source=ConsentRecord.Source.ADMIN,
        recorded_by=users["outreach_admin"],
    )
    world["token"].last_used_at = now
    world["token"].save()
    for instance in (world["care"], world["contact"], world["consultation"], failed, world["inbound"]):
        log(instance=instance, action="wagtail.edit", user=users["outreach_admin"])
    return world


def outreach_screens():
    """(label, url) of every list, inspect and history screen of the Outreach menu, and its custom screens."""
    screens = [("dashboard", reverse("wagtailadmin_home"))]
    for viewset_class in OutreachViewSetGroup.items:
        viewset = viewset_class()
        model = getattr(viewset, "model", None)
        screens.append((f"{viewset.name} list", reverse(f"{viewset.name}:index")))
        if model is None:
            continue  # a screen of its own (the agenda): its list is the page
        for obj in model.objects.all():
            for view in ("inspect", "history", "edit"):
                try:
                    screens.append(
                        (f"{viewset.name} {view} {obj.pk}", reverse(f"{viewset.name}:{view}", args=[obj.pk]))
                    )
                except NoReverseMatch:
                    continue
    return screens


def stray_times(html):
    """Date or time text outside the zoned-time markup (which always states its zone)."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    for node in main.select("script, style, template, [hidden]"):
        node.decompose()
    labelled = main.select("[data-zoned-time]")
    for node in labelled:
        assert ZONE_LABEL.search(node.get_text(" ")), f"zoned time without its label: {node}"
        node.decompose()
    text = " ".join(main.get_text(" ").split())
    return [text[max(0, m.start() - 60) : m.end() + 30] for m in DATETIME_TEXT.finditer(text)]


def test_no_outreach_screen_shows_a_time_without_its_zone(client, users, timed_world):
    client.force_login(users["superuser"])
    screens = outreach_screens()
    assert len(screens) > 30
    problems = {}
    for label, url in screens:
        response = client.get(url)
        if response.status_code != 200:
            continue  # screens a superuser is refused (the ledger has no inspect) are not rendered at all
        found = stray_times(response.content.decode())
        if found:
            problems[label] = found[:3]
    assert not problems, problems


def test_the_walk_sees_zoned_times_of_both_kinds(client, users, timed_world):
    """The check above is only as good as the screens it reads: they do show times, of both kinds."""
    client.force_login(users["superuser"])
    html = client.get(reverse("outreach_outbox:inspect", args=[timed_world["failed"].pk])).content.decode()
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert "(patient's time, America/New_York" in text
    assert "(clinic time, America/Chicago" in text


def test_the_detector_finds_what_django_and_wagtail_would_render():
    for rendered in ("Dec. 1, 2026, 9 a.m.", "2026-12-01 14:00:00+00:00", "Just now", "3 hours ago", "9:00"):
        assert stray_times(f"<main><p>{rendered}</p></main>"), rendered


def test_visits_ahead_read_as_future_in_the_consultation_list(client, users, world):
    """The issue's case: visits 2 to 26 hours ahead showed "Just now"."""
    client.force_login(users["outreach_admin"])
    for hours in (2, 26):
        make_consultation(make_contact(), in_hours=hours)
    html = client.get(reverse("outreach_consultations:index")).content.decode()
    assert "Just now" not in html
    assert re.search(r"in\s1\shour,\s59\sminutes|in\s2\shours", html)
    assert re.search(r"in\s1\sday,\s1\shour|in\s1\sday,\s2\shours", html)


def test_the_consultation_page_shows_the_visit_in_the_patients_zone_not_utc(client, users, world):
    client.force_login(users["outreach_admin"])
    contact = make_contact(time_zone="America/Los_Angeles")
    starts = datetime.datetime(2030, 12, 3, 17, 0, tzinfo=datetime.UTC)  # 9:00 AM in Los Angeles
    consultation = Consultation.objects.create(external_id="TZ-1", contact=contact, starts_at=starts)
    html = client.get(reverse("outreach_consultations:inspect", args=[consultation.pk])).content.decode()
    starts_text = BeautifulSoup(html, "html.parser").select_one("[data-starts]").get_text(" ")
    assert "Tue 3 Dec 2030, 9:00 AM PST" in starts_text
    assert "patient's time, America/Los_Angeles" in starts_text
    assert "5:00" not in starts_text


# The formatting mechanism


NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)


class Patient:
    zone = zoneinfo.ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("moment", "text", "relative"),
    [
        (datetime.datetime(2026, 12, 1, 14, 0, tzinfo=datetime.UTC), "Tue 1 Dec, 9:00 AM EST", "in 1 day, 2 hours"),
        (datetime.datetime(2026, 11, 30, 14, 0, tzinfo=datetime.UTC), "Mon 30 Nov, 9:00 AM EST", "in 2 hours"),
        (
            datetime.datetime(2026, 7, 1, 16, 30, tzinfo=datetime.UTC),
            "Wed 1 Jul, 12:30 PM EDT",
            "4 months, 4 weeks ago",
        ),
        (datetime.datetime(2027, 1, 2, 4, 5, tzinfo=datetime.UTC), "Fri 1 Jan 2027, 11:05 PM EST", "in 1 month"),
        (NOW + datetime.timedelta(seconds=20), "Mon 30 Nov, 7:00 AM EST", "now"),
    ],
)
def test_patient_times_are_local_labelled_and_directional(moment, text, relative):
    time = zoned(moment, contact=Patient(), whose=PATIENT, now=NOW)
    shown = (time.text, time.relative.replace("\xa0", " "), time.label)  # Django keeps "2 hours" on one line
    assert shown == (text, relative, "patient's time, America/New_York")


def test_without_a_contact_the_clinic_zone_is_used_and_said():
    clinic = zoneinfo.ZoneInfo("America/Chicago")
    time = zoned(NOW, contact=None, whose=PATIENT, clinic=clinic, now=NOW)
    assert (time.whose, time.label, time.text) == (CLINIC, "clinic time, America/Chicago", "Mon 30 Nov, 6:00 AM CST")


# Durations, as people write them


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2 hours", datetime.timedelta(hours=2)),
        ("1 day", datetime.timedelta(days=1)),
        ("45 minutes", datetime.timedelta(minutes=45)),
        ("1 day 2 hours", datetime.timedelta(days=1, hours=2)),
        ("1 day, 2 hours", datetime.timedelta(days=1, hours=2)),
        ("1 hour and 30 minutes", datetime.timedelta(minutes=90)),
        ("2h", datetime.timedelta(hours=2)),
        ("90m", datetime.timedelta(minutes=90)),
        (" 2 HOURS ", datetime.timedelta(hours=2)),
        ("24:00:00", datetime.timedelta(hours=24)),
        ("0 minutes", datetime.timedelta(0)),
    ],
)
def test_durations_are_read_as_written(typed, expected):
    assert parse_duration_text(typed) == expected


@pytest.mark.parametrize("typed", ["", "soon", "1:30", "2 fortnights", "two hours"])
def test_unreadable_durations_are_refused(typed):
    assert parse_duration_text(typed) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime.timedelta(hours=2), "2 hours"),
        (datetime.timedelta(days=1), "1 day"),
        (datetime.timedelta(minutes=45), "45 minutes"),
        (datetime.timedelta(days=1, hours=2), "1 day 2 hours"),
        (datetime.timedelta(days=14), "2 weeks"),
        (datetime.timedelta(days=10), "10 days"),
        (datetime.timedelta(hours=1, minutes=1), "1 hour 1 minute"),
        (datetime.timedelta(0), "0 minutes"),
    ],
)
def test_durations_are_shown_as_written(value, text):
    assert format_duration(value) == text
    assert parse_duration_text(text) == value
