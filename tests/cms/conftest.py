import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.cms.factories import make_site_tree


@pytest.fixture(autouse=True)
def clean_cache():
    # Rendition and site-root-path caches and API responses live in Redis and outlive each test's rollback.
    cache.clear()
    yield


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def site_tree(db):
    return make_site_tree()


@pytest.fixture
def home(site_tree):
    return site_tree[0]


@pytest.fixture
def index(site_tree):
    return site_tree[1]
