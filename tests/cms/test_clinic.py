import pytest
from django.core.exceptions import ValidationError

from cms.clinic import get_clinic_settings

pytestmark = pytest.mark.django_db


def test_settings_are_one_editable_object():
    clinic = get_clinic_settings()
    clinic.clinic_name = "Clinic"
    clinic.time_zone = "America/New_York"
    clinic.save()
    assert get_clinic_settings().pk == clinic.pk
    assert get_clinic_settings().tzinfo.key == "America/New_York"


def test_time_zone_must_be_an_iana_name():
    clinic = get_clinic_settings()
    clinic.time_zone = "Eastern"
    with pytest.raises(ValidationError):
        clinic.full_clean()
