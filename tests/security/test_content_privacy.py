"""The content API and files, attacked from outside: nothing one user may see reaches another through the server
cache, private documents never reach anonymous readers by any path, and what the public reads as medical authority
changes only by clinical reviewers and administrators."""

import base64
import importlib
import sys

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.rich_text import RichText

from cms.models import Person
from tests.cms.factories import make_article, make_document, make_image, make_person, make_site_tree, make_topic

pytestmark = pytest.mark.django_db
PASSWORD = "staff-password-0123456789"


@pytest.fixture(autouse=True)
def clean_cache(settings):
    settings.AXES_ENABLED = False
    cache.clear()
    yield
    cache.clear()


def private_collection(kind="login"):
    collection = Collection.get_first_root_node().add_child(name=f"Private {kind}")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=kind, password="secret-pass")
    return collection


def private_document(kind="login"):
    document = get_document_model()(title="Zanzibar staff roster", collection=private_collection(kind))
    document.file.save("roster.txt", ContentFile(b"TOP SECRET ROSTER"), save=False)
    document.save()
    return document


def staff_client(django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.com", PASSWORD)
    client = Client()
    client.force_login(user)
    return client


def document_ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("kind", ["login", "password", "groups"])
def test_a_staff_members_listing_never_reaches_anonymous_readers_through_the_cache(client, django_user_model, kind):
    public, secret = make_document("Public leaflet"), private_document(kind)
    staff = staff_client(django_user_model)
    staff.get("/api/v2/documents/")  # a staff session asks first, and would fill the cache
    staff.get(f"/api/v2/documents/{secret.pk}/")
    credentials = base64.b64encode(f"staff:{PASSWORD}".encode()).decode()
    Client(HTTP_AUTHORIZATION=f"Basic {credentials}").get("/api/v2/documents/?limit=20")

    for url in ("/api/v2/documents/", "/api/v2/documents/?limit=20"):
        assert document_ids(client.get(url)) == {public.pk}, url
    assert client.get(f"/api/v2/documents/{secret.pk}/").status_code == 404
    # The staff member's own API answers are the anonymous ones too: one view, so one cache entry per URL.
    assert document_ids(staff.get("/api/v2/documents/")) == {public.pk}
    assert staff.get("/admin/").status_code == 200  # and browsing the API did not log them out


def test_private_documents_never_appear_in_rich_text_links(client):
    home, index = make_site_tree()
    public, secret = make_document("Public leaflet"), private_document()
    body = [
        (
            "rich_text",
            RichText(
                f'<p><a linktype="document" id="{public.pk}">leaflet</a> '
                f'<a linktype="document" id="{secret.pk}">roster</a></p>'
            ),
        )
    ]
    article = make_article(index, body=body, hero_image=make_image())
    html = client.get(f"/api/v2/pages/{article.pk}/").json()["body"][0]["value"]
    assert f"/documents/{public.pk}/" in html
    assert f"/documents/{secret.pk}/" not in html and secret.file.name not in html


def test_private_files_are_served_only_through_the_document_view(client, django_user_model, settings):
    secret = private_document()
    # Anonymous: Wagtail's document view asks for a login, never the file.
    response = client.get(f"/documents/{secret.pk}/{secret.filename}")
    assert response.status_code in (302, 401, 403) and b"TOP SECRET" not in b"".join(response)
    staff = staff_client(django_user_model)
    assert b"TOP SECRET" in b"".join(staff.get(f"/documents/{secret.pk}/{secret.filename}"))

    # The development server (DEBUG) serves uploads from /media/, but never documents.
    with override_settings(DEBUG=True):
        sys.modules.pop("config.urls", None)
        debug_urls = importlib.import_module("config.urls")
        sys.modules.pop("config.urls", None)
        importlib.import_module("config.urls")  # the test run's own URLs again
    image = make_image()
    with override_settings(ROOT_URLCONF=debug_urls):
        assert client.get(settings.MEDIA_URL + image.file.name).status_code == 200  # images still served
        response = client.get(settings.MEDIA_URL + secret.file.name)
        assert response.status_code == 404 and b"TOP SECRET" not in b"".join(response)


def editor(django_user_model, group):
    user = django_user_model.objects.create_user(group.replace(" ", "").lower(), password="x" * 20)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("group", "allowed"),
    [("Marketing editors", False), ("Clinical reviewers", True), ("Clinic administrators", True)],
)
def test_people_and_topics_change_only_by_clinical_reviewers_and_administrators(django_user_model, group, allowed):
    person, topic = make_person("Dr. Real Reviewer", "MD"), make_topic("ptsd", "PTSD")
    client = editor(django_user_model, group)
    client.post(
        f"/admin/snippets/cms/person/edit/{person.pk}/",
        {"name": "Dr. Fake", "credentials": "MD, PhD", "role": "Chief of medicine", "bio": ""},
    )
    client.post(f"/admin/snippets/cms/topic/edit/{topic.pk}/", {"name": "Cures", "slug": "ptsd", "description": ""})
    client.post("/admin/snippets/cms/person/add/", {"name": "Dr. Invented", "credentials": "MD", "role": "", "bio": ""})
    person.refresh_from_db()
    topic.refresh_from_db()
    changed = (person.name == "Dr. Fake", topic.name == "Cures", Person.objects.filter(name="Dr. Invented").exists())
    assert changed == (allowed, allowed, allowed), group
    if not allowed:
        # They still choose people and topics on the pages they submit for review.
        assert client.get("/admin/snippets/choose/cms/person/").status_code == 200


def test_no_group_publishes_without_medical_review_but_reviewers_and_administrators():
    publishers = set(
        Group.objects.filter(page_permissions__permission__codename="publish_page").values_list("name", flat=True)
    )
    assert publishers == {"Clinical reviewers", "Clinic administrators"}
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    authority = Permission.objects.filter(content_type__app_label="cms", codename__in=["change_person", "change_topic"])
    assert set(Group.objects.filter(permissions__in=authority).values_list("name", flat=True)) == {
        "Clinical reviewers",
        "Clinic administrators",
    }
