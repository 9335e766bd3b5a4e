"""The clinic's settings for code outside a request (outreach tasks, messages)."""


def get_clinic_settings():
    """The deployment's ClinicSettings (created with defaults on first use)."""
    from cms.models import ClinicSettings

    return ClinicSettings.load()
