import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.cms.factories import make_article

pytestmark = pytest.mark.django_db


@override_settings(FRONTEND_BASE_URL="https://front.example")
def test_sitemap_lists_front_end_urls_of_public_pages(client, index):
    make_article(index, "public-one")
    make_article(index, "draft-one", publish=False)
    make_article(index, "expired-one", expire_at=timezone.now() - datetime.timedelta(seconds=5))

    response = client.get("/sitemap.xml")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<loc>https://front.example/</loc>" in body
    assert "<loc>https://front.example/articles/</loc>" in body
    assert "<loc>https://front.example/articles/public-one/</loc>" in body
    assert "draft-one" not in body and "expired-one" not in body
