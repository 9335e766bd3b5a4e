import pytest
from django.contrib.auth.models import Group
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


def member(django_user_model, username, group_name, **names):
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "x" * 12, **names)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(django_user_model):
    return member(django_user_model, "editor", "Marketing editors")


@pytest.fixture
def reviewer(django_user_model):
    return member(django_user_model, "drlee", "Clinical reviewers", first_name="Morgan", last_name="Lee")
