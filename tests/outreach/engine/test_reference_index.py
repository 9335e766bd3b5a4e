"""Outreach records stay out of Wagtail's reference index (it is for content: "where is this page used").

Wagtail indexes every model registered in its admin, and a worker registers the outreach admin viewsets when Celery
autodiscovers tasks; each save of an indexed row then re-reads it and rewrites its references. The opt-out is one
rule for the whole app (outreach/apps.py), so these tests walk every outreach model, not a list.
"""

import pytest
from django.apps import apps
from wagtail import hooks
from wagtail.models import ReferenceIndex

from outreach.models import MessageStatus, OutboundMessage
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone, plan_and_send


def load_like_a_worker():
    """What a Celery worker process imports at start: the task modules, and with them every app's wagtail_hooks
    (where the admin viewsets register their models with the reference index)."""
    from celery_app import app

    app.loader.import_default_modules()
    hooks.search_for_hooks()


def outreach_models():
    return list(apps.get_app_config("outreach").get_models())


def test_no_outreach_model_is_indexed_or_tracked_once_the_admin_is_loaded():
    load_like_a_worker()
    models = outreach_models()
    assert len(models) > 10  # the walk covers the app, not an empty list
    indexable = [model._meta.label for model in models if ReferenceIndex.model_is_indexable(model)]
    tracked = [model._meta.label for model in models if model in ReferenceIndex.tracked_models]
    assert indexable == [] and tracked == []


@pytest.mark.django_db
def test_a_send_in_a_worker_context_writes_no_reference_index_rows():
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "Test Clinic"
    clinic.phone = "(203) 555-0100"
    clinic.save()
    load_like_a_worker()
    make_campaign()
    consultation = make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
    before = ReferenceIndex.objects.count()

    assert len(plan_and_send()) == 1
    consultation.status = consultation.Status.CANCELLED
    consultation.save()

    assert OutboundMessage.objects.get().status == MessageStatus.SENT
    assert ReferenceIndex.objects.count() == before
