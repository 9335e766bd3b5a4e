"""Demo outreach for `seed_demo`: the default campaigns (with Spanish templates) and four fictional patients, one of
whom reads Spanish.

Idempotent: the campaign is matched by name and the demo consultations by external id ("DEMO-..."). Demo patients
use numbers in the 555-01xx range reserved for fiction and example.com addresses; with the console providers of
`make run` their reminders appear in the log and the outbox, and nothing leaves the machine.
"""

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from outreach import languages
from outreach.consent.ledger import record_consent
from outreach.models import (
    Campaign,
    CampaignStep,
    Channel,
    ConsentRecord,
    Consultation,
    Contact,
    Purpose,
    StepTranslation,
)

REMINDER_SMS_24H = (
    "Hi {{ first_name }}, this is {{ clinic_name }}: a reminder of your consultation on {{ appointment_date }} at "
    "{{ appointment_time }}. Reply C to confirm or R to reschedule. Call {{ clinic_phone }}. Reply STOP to opt out."
)
REMINDER_SMS_2H = (
    "{{ clinic_name }}: see you today at {{ appointment_time }}. Questions? Call {{ clinic_phone }}. "
    "Reply STOP to opt out."
)
REMINDER_EMAIL_TEXT = """Hi {{ first_name }},

This is a reminder of your consultation at {{ clinic_name }} on {{ appointment_date }} at {{ appointment_time }}.
Location: {{ appointment_location }}

If you need to change the time, call us at {{ clinic_phone }} or reply R to our text message.

See you soon,
{{ clinic_name }}"""
REMINDER_EMAIL_HTML = """<p>Hi {{ first_name }},</p>
<p>This is a reminder of your consultation at <strong>{{ clinic_name }}</strong> on
<strong>{{ appointment_date }} at {{ appointment_time }}</strong>.</p>
<p>Location: {{ appointment_location }}</p>
<p>If you need to change the time, call us at {{ clinic_phone }}.</p>
<p>See you soon,<br>{{ clinic_name }}</p>"""

# (external id, first name, phone, email, preferred time zone, which reminder step, minutes until it falls due)
DEMO_PATIENTS = [
    ("DEMO-1", "Avery", "+12035550101", "avery.demo@example.com", "America/New_York", "24 hours before", 3),
    ("DEMO-2", "Jordan", "+12035550102", "jordan.demo@example.com", "America/Chicago", "2 hours before", 6),
    ("DEMO-3", "Riley", "+12035550103", None, "America/Los_Angeles", "24 hours before", 120),
    ("DEMO-4", "Sofía", "+12035550104", "sofia.demo@example.com", "America/New_York", "24 hours before", 9),
]
# Demo patients who read another language than the clinic's default.
DEMO_LANGUAGES = {"DEMO-4": "es"}
# Where a demo patient may live, most likely first. Each patient gets their preferred zone if it is daytime there
# when their reminder falls due, else the first of these where it is: so on a first `make run` at any hour some
# reminders go out within minutes instead of all waiting for the morning or expiring in the night (US zones, US
# territories across the Pacific, then a patient wintering in Spain for the hours no US zone is awake).
DEMO_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Pacific/Pago_Pago",
    "Pacific/Guam",
    "America/Puerto_Rico",
    "Europe/Madrid",
)
# Local hours in which a demo reminder may fall due: inside the default sending window (8:00 to 21:00) with room
# for a visit two hours later that is still in the day.
DAYTIME_HOURS = range(9, 18)


FOLLOW_UP_SMS = (
    "{{ clinic_name }}: thank you for your visit. Some reading our team picked for you: {{ article_links }} "
    "Reply STOP to opt out."
)
FOLLOW_UP_TEXT = """Hi {{ first_name }},

Thank you for visiting {{ clinic_name }}. Our care team picked some reading for you:

{{ article_links }}

Questions? Call us at {{ clinic_phone }}."""
FOLLOW_UP_HTML = """<p>Hi {{ first_name }},</p>
<p>Thank you for visiting {{ clinic_name }}. Our care team picked some reading for you:</p>
{{ article_links }}
<p>Questions? Call us at {{ clinic_phone }}.</p>"""
DIGEST_SMS = "{{ clinic_name }}: new reading for you: {{ article_links }} Reply STOP to opt out."
DIGEST_TEXT = """Hi {{ first_name }},

New articles in the topics you follow:

{{ article_links }}

{{ clinic_name }} · {{ clinic_phone }}"""
DIGEST_HTML = """<p>Hi {{ first_name }},</p>
<p>New articles in the topics you follow:</p>
{{ article_links }}"""


# Spanish templates of the demo campaigns' steps, by campaign and step name. Texts keep to the GSM alphabet (no á,
# í, ó, ú) so they cost as many segments as the English ones; emails are written in full.
SPANISH = {
    ("Consultation reminders", "24 hours before"): {
        "sms_body": "Hola {{ first_name }}, le escribe {{ clinic_name }}: le recordamos su consulta del "
        "{{ appointment_date }}, {{ appointment_time }}. Responda C para confirmar o R para cambiarla. Llame al "
        "{{ clinic_phone }}. Responda PARAR para no recibir mensajes.",
        "email_subject": "Su consulta del {{ appointment_date }}",
        "email_text": """Hola {{ first_name }}:

Le recordamos su consulta en {{ clinic_name }} el {{ appointment_date }}, {{ appointment_time }}.
Lugar: {{ appointment_location }}

Si necesita cambiar la hora, llámenos al {{ clinic_phone }} o responda R a nuestro mensaje de texto.

Hasta pronto,
{{ clinic_name }}""",
        "email_html": """<p>Hola {{ first_name }}:</p>
<p>Le recordamos su consulta en <strong>{{ clinic_name }}</strong> el
<strong>{{ appointment_date }}, {{ appointment_time }}</strong>.</p>
<p>Lugar: {{ appointment_location }}</p>
<p>Si necesita cambiar la hora, llámenos al {{ clinic_phone }}.</p>
<p>Hasta pronto,<br>{{ clinic_name }}</p>""",
    },
    ("Consultation reminders", "2 hours before"): {
        "sms_body": "{{ clinic_name }}: le esperamos hoy, {{ appointment_time }}. ¿Preguntas? Llame al "
        "{{ clinic_phone }}. Responda PARAR para no recibir mensajes.",
    },
    ("Article follow-up", "1 day after the visit"): {
        "sms_body": "{{ clinic_name }}: gracias por su visita. Lecturas elegidas por nuestro equipo para usted: "
        "{{ article_links }} Responda PARAR para no recibir mensajes.",
        "email_subject": "Lecturas elegidas para usted después de su visita",
        "email_text": """Hola {{ first_name }}:

Gracias por visitar {{ clinic_name }}. Nuestro equipo eligió estas lecturas para usted:

{{ article_links }}

¿Preguntas? Llámenos al {{ clinic_phone }}.""",
        "email_html": """<p>Hola {{ first_name }}:</p>
<p>Gracias por visitar {{ clinic_name }}. Nuestro equipo eligió estas lecturas para usted:</p>
{{ article_links }}
<p>¿Preguntas? Llámenos al {{ clinic_phone }}.</p>""",
    },
    ("Topic digest", "New articles in followed topics"): {
        "sms_body": "{{ clinic_name }}: nuevas lecturas para usted: {{ article_links }} Responda PARAR para no "
        "recibir mensajes.",
        "email_subject": "Nuevas lecturas de {{ clinic_name }}",
        "email_text": """Hola {{ first_name }}:

Nuevos artículos en los temas que sigue:

{{ article_links }}

{{ clinic_name }} · {{ clinic_phone }}""",
        "email_html": """<p>Hola {{ first_name }}:</p>
<p>Nuevos artículos en los temas que sigue:</p>
{{ article_links }}""",
    },
}


def ensure_spanish_templates():
    """The demo steps' Spanish translations, added to steps that have none yet (also on a database seeded before
    translations existed). Nothing when Spanish is not sent, or is the clinic's default language."""
    if "es" not in languages.codes() or languages.default_language() == "es":
        return 0
    added = 0
    for (campaign_name, step_name), fields in SPANISH.items():
        step = CampaignStep.objects.filter(campaign__name=campaign_name, name=step_name).first()
        if step is not None and not step.translations.filter(language="es").exists():
            StepTranslation.objects.create(step=step, language="es", **fields)
            added += 1
    return added


def seed_outreach(stdout, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        ensure_education_campaigns()
        campaign = ensure_reminder_campaign()
        ensure_spanish_templates()
        offsets = {step.name: step.offset for step in campaign.steps.all()}
        created = [
            patient
            for patient in DEMO_PATIENTS
            if ensure_demo_consultation(*patient, offset=offsets.get(patient[5], datetime.timedelta(hours=24)), now=now)
        ]
    stdout.write(f"Outreach: campaign {campaign.name!r} ready; {len(created)} demo consultation(s) created.")
    for external_id, first_name, *_rest, step_name, minutes in created:
        contact = Contact.objects.get(consultations__external_id=external_id)
        due = (now + datetime.timedelta(minutes=minutes)).astimezone(contact.zone)
        stdout.write(
            f"  {first_name}'s '{step_name}' reminder falls due in {minutes} minutes "
            f"({due:%H:%M} {due.tzname()}, the patient's time in {contact.time_zone})."
        )


def demo_zone(preferred, due_at):
    """The patient's preferred zone if `due_at` is daytime there, else the first demo zone where it is."""
    for name in (preferred, *DEMO_ZONES):
        if due_at.astimezone(zoneinfo.ZoneInfo(name)).hour in DAYTIME_HOURS:
            return name
    return preferred


def ensure_reminder_campaign():
    campaign, created = Campaign.objects.get_or_create(
        name="Consultation reminders", defaults={"purpose": Purpose.CARE, "active": True}
    )
    if created:
        CampaignStep.objects.create(
            campaign=campaign,
            name="24 hours before",
            offset=datetime.timedelta(hours=24),
            send_sms=True,
            send_email=True,
            sms_body=REMINDER_SMS_24H,
            email_subject="Your consultation on {{ appointment_date }}",
            email_text=REMINDER_EMAIL_TEXT,
            email_html=REMINDER_EMAIL_HTML,
            max_lateness=datetime.timedelta(hours=4),
            sort_order=0,
        )
        CampaignStep.objects.create(
            campaign=campaign,
            name="2 hours before",
            offset=datetime.timedelta(hours=2),
            send_sms=True,
            send_email=False,
            sms_body=REMINDER_SMS_2H,
            max_lateness=datetime.timedelta(minutes=45),
            # Due before the window opens (a visit before 10:00 AM): sent when it opens, if still before the visit,
            # rather than expiring. Not the evening before: that would be the patient's second text that day
            # (after the 24-hour one), which the one-text-a-day cap skips, and "see you today" would be untrue.
            outside_window=CampaignStep.OutsideWindow.WINDOW_OPENS,
            sort_order=1,
        )
    return campaign


def ensure_education_campaigns():
    follow_up, created = Campaign.objects.get_or_create(
        name="Article follow-up", defaults={"purpose": Purpose.EDUCATION, "active": True, "min_days_between": 7}
    )
    if created:
        CampaignStep.objects.create(
            campaign=follow_up,
            name="1 day after the visit",
            trigger=CampaignStep.Trigger.AFTER_COMPLETED,
            offset=datetime.timedelta(days=1),
            send_sms=True,
            send_email=True,
            sms_body=FOLLOW_UP_SMS,
            email_subject="Reading picked for you after your visit",
            email_text=FOLLOW_UP_TEXT,
            email_html=FOLLOW_UP_HTML,
            max_lateness=datetime.timedelta(days=2),
        )
    digest, created = Campaign.objects.get_or_create(
        name="Topic digest", defaults={"purpose": Purpose.EDUCATION, "active": True, "min_days_between": 7}
    )
    if created:
        CampaignStep.objects.create(
            campaign=digest,
            name="New articles in followed topics",
            trigger=CampaignStep.Trigger.NEW_ARTICLE,
            offset=datetime.timedelta(0),
            send_sms=True,
            send_email=True,
            sms_body=DIGEST_SMS,
            email_subject="New reading from {{ clinic_name }}",
            email_text=DIGEST_TEXT,
            email_html=DIGEST_HTML,
            max_lateness=datetime.timedelta(days=3),
        )


def ensure_demo_consultation(external_id, first_name, phone, email, zone, step_name, minutes, *, offset, now):
    """A demo visit placed so that its `step_name` reminder falls due `minutes` from now, in the patient's day."""
    if Consultation.objects.filter(external_id=external_id).exists():
        return False
    due_at = now + datetime.timedelta(minutes=minutes)
    zone = demo_zone(zone, due_at)
    contact = Contact.objects.filter(phone=phone).first() or Contact.objects.create(
        first_name=first_name,
        last_name="(demo)",
        phone=phone,
        email=email,
        time_zone=zone,
        language=DEMO_LANGUAGES.get(external_id, ""),
    )
    wording = "Demo data: consent recorded by seed_demo."
    record_consent(contact, Channel.SMS, Purpose.CARE, True, ConsentRecord.Source.ADMIN, wording=wording)
    if email:
        record_consent(contact, Channel.EMAIL, Purpose.CARE, True, ConsentRecord.Source.ADMIN, wording=wording)
    # Rounded up to the next whole minute, so the reminder is never due earlier than promised.
    starts_at = (due_at + offset + datetime.timedelta(seconds=59)).replace(second=0, microsecond=0)
    Consultation.objects.create(
        external_id=external_id, contact=contact, starts_at=starts_at, location="Milford office (demo)"
    )
    return True
