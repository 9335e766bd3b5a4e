import pytest


@pytest.fixture
def clinic():
    """The clinic's settings as the engine's tests expect them (name, phone and postal address in every message)."""
    from cms.clinic import get_clinic_settings

    settings = get_clinic_settings()
    settings.clinic_name = "Test Clinic"
    settings.phone = "(203) 555-0100"
    settings.postal_address = "1 Example Way\nMilford, CT"
    settings.save()
    return settings
