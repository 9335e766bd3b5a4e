from django.conf import settings
from django.db import models

from .choices import Channel, Purpose


class ConsentRecord(models.Model):
    """One consent event. The ledger is append-only: current consent is the latest record per channel and purpose."""

    class Source(models.TextChoices):
        IMPORT = "import", "CSV import"
        API = "api", "Booking-system API"
        ADMIN = "admin", "Staff, in the admin"
        KEYWORD = "keyword", "SMS keyword"
        UNSUBSCRIBE_LINK = "unsubscribe_link", "Unsubscribe link"
        PREFERENCE_LINK = "preference_link", "Preference page"
        PROVIDER_EVENT = "provider_event", "Provider report"
        SUBSCRIPTION = "subscription", "Subscribe form"
        CONFIRMATION = "confirmation", "Double opt-in confirmation"

    # Sources through which the patient themself spoke: a "yes" from one of these may lift the patient's opt-out
    # (so may staff recording the patient's own wording). Which "no" only the patient lifts: outreach.consent.ledger.
    PATIENT_SOURCES = frozenset(
        {Source.KEYWORD, Source.UNSUBSCRIBE_LINK, Source.PREFERENCE_LINK, Source.PROVIDER_EVENT, Source.CONFIRMATION}
    )

    contact = models.ForeignKey("outreach.Contact", on_delete=models.CASCADE, related_name="consent_records")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    granted = models.BooleanField()
    pending = models.BooleanField(
        default=False,
        help_text="A request awaiting the patient's confirmation (double opt-in). Pending records never count.",
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    wording = models.TextField(blank=True, help_text="What the patient was shown or said.")
    reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["contact", "channel", "purpose", "-recorded_at"], name="consent_latest_idx")]

    def __str__(self):
        verb = "granted" if self.granted else "revoked"
        return f"{self.channel}/{self.purpose} {verb} via {self.source}"
