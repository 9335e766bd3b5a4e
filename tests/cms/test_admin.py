"""The editing screens staff use render for every page type, snippet and the clinic settings."""

import pytest

from tests.cms.factories import full_body, make_article, make_image, make_service, make_topic

pytestmark = pytest.mark.django_db


def test_edit_screens_render(client, django_user_model, home, index):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.com", "x" * 12))
    article = make_article(index, body=full_body(make_image()), topics=[make_topic()])
    service = make_service(home)
    urls = [f"/admin/pages/{page.pk}/edit/" for page in (home, index, article, service)] + [
        f"/admin/pages/{index.pk}/add_subpage/",
        "/admin/snippets/cms/topic/",
        "/admin/snippets/cms/person/add/",
        "/admin/settings/cms/clinicsettings/",
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
