"""Small wording helpers shared by the Outreach admin's screens and messages."""


def plural(count, singular, plural_form):
    """'1 patient', '2 patients', '0 patients' (never "1 patients" nor "patient(s)")."""
    return f"{count} {singular if count == 1 else plural_form}"
