"""Admin sessions, attacked with a stolen password or an unattended browser: staff who can see patient data need a
one-time code from their authenticator app after the password (django-otp), and an idle session ends."""

import datetime
import time

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"
PATIENT_SCREENS = ["/admin/outreach/contacts/", "/admin/outreach/inbox/", "/admin/outreach/consent/", "/admin/"]


def login(username):
    client = Client(REMOTE_ADDR="127.0.0.1")
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def staff(django_user_model, username, group=None, **extra):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


@override_settings(ADMIN_2FA_REQUIRED=True)
@pytest.mark.parametrize("who", ["Outreach admins", "superuser"])
def test_a_stolen_password_alone_opens_no_patient_screen(django_user_model, who):
    if who == "superuser":
        django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
        username = "boss"
    else:
        staff(django_user_model, "frontdesk", "Outreach admins")
        username = "frontdesk"
    client = login(username)
    for url in PATIENT_SCREENS:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/two-factor/setup/" in response["Location"], url

    # Enrolling: the page shows a QR code; the first code from the app confirms it and verifies this session.
    setup = client.get("/admin/two-factor/setup/?next=/admin/outreach/contacts/")
    assert setup.status_code == 200 and b"<svg" in setup.content
    device = TOTPDevice.objects.get(user__username=username)
    assert client.post("/admin/two-factor/setup/", {"token": "000000", "next": "/"}).status_code == 200
    assert client.get("/admin/outreach/contacts/").status_code == 302  # a wrong code verifies nothing
    time.sleep(1.1)  # django-otp throttles a device for a second after a wrong code (doubling each time)
    response = client.post("/admin/two-factor/setup/", {"token": code(device), "next": "/admin/outreach/contacts/"})
    assert response.status_code == 302 and response["Location"] == "/admin/outreach/contacts/"
    assert client.get("/admin/outreach/contacts/").status_code == 200

    # A new login (the thief's browser, with the password) must enter a current code from the enrolled app.
    thief = login(username)
    response = thief.get("/admin/outreach/contacts/")
    assert response.status_code == 302 and "/admin/two-factor/verify/" in response["Location"]
    assert thief.get("/admin/two-factor/setup/").status_code == 302  # cannot enrol a device of their own
    device.refresh_from_db()
    thief.post("/admin/two-factor/verify/", {"otp_device": device.persistent_id, "otp_token": "123456"})
    assert thief.get("/admin/outreach/contacts/").status_code == 302
    time.sleep(1.1)
    owner = login(username)
    owner.post(
        "/admin/two-factor/verify/",
        {"otp_device": device.persistent_id, "otp_token": code(device, drift=1), "next": "/admin/"},
    )
    assert owner.get("/admin/outreach/contacts/").status_code == 200


@override_settings(ADMIN_2FA_REQUIRED=True)
def test_staff_without_patient_data_are_not_forced(django_user_model):
    staff(django_user_model, "writer", "Marketing editors")
    client = login("writer")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/outreach/contacts/").status_code in (302, 403)  # no permission, 2FA or not
    assert "/two-factor/" not in client.get("/admin/outreach/contacts/").get("Location", "")


def test_an_idle_admin_session_ends(django_user_model, settings):
    django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    client = login("boss")
    assert client.get("/admin/").status_code == 200
    session = Session.objects.get()
    assert session.expire_date - timezone.now() <= datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 5)
    assert settings.SESSION_COOKIE_AGE <= 60 * 60  # at most an hour idle by default
    # Each request renews it; left alone past the idle time, the next request is a login page.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
