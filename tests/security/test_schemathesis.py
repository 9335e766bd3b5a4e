"""schemathesis against the content API's own OpenAPI document (/api/openapi.json), in process over WSGI: generated
requests for every operation, on a site with content. No server error, and every response conforms to the
document (status code, content type, body schema)."""

import collections
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.cms.factories import make_article, make_site_tree, make_topic

pytestmark = pytest.mark.django_db
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 25
FIGURES = collections.Counter()


@contextmanager
def connection_kept_across_requests():
    """Requests through the raw WSGI app close the database connection at their end (Django's request signals);
    inside a test's transaction that would lose the test's data. Django's own test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def content():
    site_tree = make_site_tree()
    topic = make_topic()
    make_article(site_tree[1], topics=[topic])
    make_article(site_tree[1], publish=False)  # a draft: must not show, and must not break anything
    return site_tree


def test_the_content_api_survives_schemathesis_and_conforms_to_its_document(content):
    from config.wsgi import application

    with connection_kept_across_requests():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 9
        failures = []
        for operation in operations:
            label = operation.label

            # Repeatable by default (the "repeatable" Hypothesis profile, tests/conftest.py): the schema now describes
            # every `fields` form the API accepts, so no draw can fail by luck; HYPOTHESIS_PROFILE=explore draws anew.
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def run(case):
                FIGURES[case.operation.label] += 1
                response = case.call()
                case.validate_response(response, checks=CHECKS)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - gather every operation's failures
                failures.append(f"{label}: {str(exc)[:1500]}")
    print(f"\nschemathesis: {sum(FIGURES.values())} requests over {len(FIGURES)} operations")  # noqa: T201
    assert not failures, "\n\n".join(failures)
