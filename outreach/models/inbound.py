from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q


class InboundQuerySet(models.QuerySet):
    def needing_attention(self):
        return self.filter(handled_at__isnull=True)

    def inbox(self):
        """What staff read: open messages first, urgent (crisis) ones at the very top, newest first within each."""
        is_open = ExpressionWrapper(Q(handled_at__isnull=True), output_field=models.BooleanField())
        return self.annotate(is_open=is_open).order_by("-is_open", "-urgent", "-received_at", "-pk")


class InboundMessage(models.Model):
    """A text a patient (or an unknown number) sent us. Kept whatever it said; never answered twice.

    `from_number` is needed to match the contact and to reply. It is personal data: never log it.
    Messages the engine settled by itself (STOP, HELP, C...) are stored with `handled_at` set and no `handled_by`;
    the rest wait for staff with `handled_at` empty.
    """

    class Kind(models.TextChoices):
        OPT_OUT = "opt_out", "Opt-out keyword"
        OPT_IN = "opt_in", "Opt-in keyword"
        HELP = "help", "Help keyword"
        CONFIRM = "confirm", "Confirmed a visit"
        RESCHEDULE = "reschedule", "Asked to reschedule"
        CRISIS = "crisis", "Possible crisis"
        UNKNOWN = "unknown", "Reply for staff"

    contact = models.ForeignKey(
        "outreach.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_messages"
    )
    consultation = models.ForeignKey(
        "outreach.Consultation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
        help_text="The visit this reply confirmed or asked to move.",
    )
    from_number = models.CharField(max_length=32, help_text="The sender as Twilio reported it (E.164).")
    body = models.TextField(blank=True)
    num_media = models.PositiveSmallIntegerField(default=0, help_text="Pictures or files attached (not downloaded).")
    provider = models.CharField(max_length=20, default="twilio")
    provider_message_id = models.CharField(max_length=64, unique=True, help_text="Twilio's MessageSid.")
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UNKNOWN)
    keyword = models.CharField(max_length=20, blank=True, help_text="The keyword recognised, e.g. STOP.")
    urgent = models.BooleanField(default=False)
    reply_sent = models.TextField(blank=True, help_text="What we answered (in the TwiML response), if anything.")
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    objects = InboundQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(
                fields=["-urgent", "-received_at"], condition=Q(handled_at__isnull=True), name="inbound_open_idx"
            ),
        ]

    def __str__(self):
        return f"Inbound message {self.pk} ({self.get_kind_display()})"

    @property
    def needs_attention(self):
        return self.handled_at is None


class DeliveryEvent(models.Model):
    """One report from a provider about one message, in our vocabulary, with its (masked) raw payload.

    `dedupe_key` makes a repeated report a no-op: Twilio and the email providers retry and duplicate callbacks.
    """

    class Event(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        DEFERRED = "deferred", "Deferred"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Spam complaint"
        OPTED_OUT = "opted_out", "Opted out"
        OPENED = "opened", "Opened"
        CLICKED = "clicked", "Clicked"
        OTHER = "other", "Other"

    provider = models.CharField(max_length=20)
    event = models.CharField(max_length=12, choices=Event.choices)
    message = models.ForeignKey(
        "outreach.OutboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    provider_message_id = models.CharField(max_length=200, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    applied = models.BooleanField(default=False, help_text="Whether this report changed the outbox row.")
    payload = models.JSONField(default=dict, blank=True, help_text="The provider's report, recipients masked.")
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return f"{self.provider} {self.event} for outbox {self.message_id or '?'}"
