import pytest

from tests.outreach.factories import set_clinic


@pytest.fixture
def clinic():
    """The clinic's settings as the engine's tests expect them (name, phone and postal address in every message)."""
    return set_clinic(postal_address="1 Example Way\nMilford, CT")
