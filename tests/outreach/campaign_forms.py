"""The campaign editor's POST data for an existing campaign, as the admin form sends it, for admin tests."""


def step_fields(step):
    return {
        "id": str(step.pk),
        "DELETE": "",
        "name": step.name,
        "trigger": step.trigger,
        "offset": "24:00:00",
        "max_lateness": "02:00:00",
        "outside_window": step.outside_window,
        "send_sms": "on" if step.send_sms else "",
        "send_email": "on" if step.send_email else "",
        "sms_body": step.sms_body,
        "email_subject": step.email_subject,
        "email_text": step.email_text,
        "email_html": step.email_html,
    }


def edit_form_data(campaign, steps):
    """`steps`: one dict of step fields per inline form (step_fields(step) with changes, or a new step's fields)."""
    data = {
        "name": campaign.name,
        "purpose": campaign.purpose,
        "active": "on" if campaign.active else "",
        "quiet_hours_start": "08:00",
        "quiet_hours_end": "21:00",
        "sms_per_day": "1",
        "sms_per_week": "3",
        "emails_per_day": "2",
        "emails_per_week": "5",
        "min_days_between": "0",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(sum(1 for step in steps if step.get("id"))),
        "steps-MIN_NUM_FORMS": "1",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for index, fields in enumerate(steps):
        fields = {"ORDER": str(index + 1), "outside_window": "wait", **translation_forms([]), **fields}
        data.update({f"steps-{index}-{name}": value for name, value in fields.items()})
    return data


def translation_forms(translations, initial=0):
    """A step's nested translations formset (its keys without the step's prefix): one dict of fields per form."""
    data = {
        "translations-TOTAL_FORMS": str(len(translations)),
        "translations-INITIAL_FORMS": str(initial),
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    for index, fields in enumerate(translations):
        values = {"id": "", "DELETE": "", "sms_body": "", "email_subject": "", "email_text": "", "email_html": ""}
        values.update(fields)
        data.update({f"translations-{index}-{name}": value for name, value in values.items()})
    return data
