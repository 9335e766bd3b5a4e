"""The clinic's settings for code outside a request (outreach tasks, messages), and the name messages show.

Lock screens, notification previews and inbox lists show a message's first words, its subject and its sender's
name to anyone who glances at the phone. A clinic whose name says what it treats ("Ketamine Center of ...") would
tell them, so every place a message shows the clinic uses `messaging_name()`: the neutral name an admin set in
Settings > Clinic ("KCC Milford"), else the clinic's name when it reveals nothing, else its initials.

Which words reveal a condition is outreach's knowledge (outreach/engine/sensitive.py), and the CMS never imports
outreach: outreach registers its check here at start (`register_name_check`).
"""

_name_checks = []


def get_clinic_settings():
    """The deployment's ClinicSettings (created with defaults on first use)."""
    from cms.models import ClinicSettings

    return ClinicSettings.load()


def register_name_check(check):
    """`check(text)` returns the sensitive terms found in text (outreach registers its sensitive-terms guard)."""
    if check not in _name_checks:
        _name_checks.append(check)


def sensitive_terms_in(text):
    return sorted({term for check in _name_checks for term in check(text or "")})


def initials(name):
    """ "Ketamine Center of Connecticut" -> "KCC": recognisable to the patient, meaningless to a passer-by."""
    return "".join(word[0] for word in (name or "").split() if word[:1].isupper())


def messaging_name(clinic=None):
    clinic = clinic or get_clinic_settings()
    if clinic.messaging_name:
        return clinic.messaging_name
    if clinic.clinic_name and not sensitive_terms_in(clinic.clinic_name):
        return clinic.clinic_name
    return initials(clinic.clinic_name) or "Your clinic"
