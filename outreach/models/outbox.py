from django.db import models
from django.db.models import F, OuterRef, Q, Subquery

from .choices import Channel, MessageStatus

# Why a row was stopped before it was sent, when the cause can go away (written in its `error_message`). Such a row
# comes back once no cause holds any more (OutboxQuerySet.revive): a row stopped twice (an opt-out, then a request
# to move the visit) is not stranded when the first cause is lifted before the second.
STOPPED_FOR_CONSULTATION = "consultation"  # a prefix: "consultation rescheduled", "consultation cancelled"...
STOPPED_FOR_OPT_OUT = "opted out"  # a prefix: "opted out (recorded by staff)"
STOPPED_FOR_PAUSE = "campaign paused"
STOPPED_FOR_UNTICKED_CHANNEL = "channel unticked on the step"


class OutboxQuerySet(models.QuerySet):
    def still_wanted(self):
        """Rows their consultation still wants: a reminder for a visit still expected at the time it was planned for,
        a follow-up for a visit still completed (whatever its time), a digest (no consultation) always. The SQL twin of
        the send-time check, used to cancel and to bring rows back."""
        from .campaigns import CampaignStep
        from .consultations import Consultation

        follow_up = Q(step__trigger=CampaignStep.Trigger.AFTER_COMPLETED)
        return self.filter(
            Q(consultation__isnull=True)
            | (follow_up & Q(consultation__status=Consultation.Status.COMPLETED))
            | (
                ~follow_up
                & Q(
                    consultation__status__in=Consultation.REMINDABLE,
                    consultation_starts_at=F("consultation__starts_at"),
                )
            )
        )

    def never_sent(self):
        """Rows no provider was ever asked to send (so bringing one back cannot make a second copy)."""
        return self.filter(provider_call_started_at__isnull=True, sent_at__isnull=True)

    def revive(self, now):
        """Bring back rows stopped for causes that can go away, once none holds: never sent, not past their
        lateness, wanted by their consultation, their campaign active and their channel ticked, and the contact's
        current consent for the channel and purpose granted. Suppression and reachability are left to the send-time
        check. Returns how many came back."""
        from .consent import ConsentRecord

        stopped = (
            Q(status=MessageStatus.CANCELLED, error_message__startswith=f"{STOPPED_FOR_CONSULTATION} ")
            | Q(status=MessageStatus.CANCELLED, error_message__startswith=STOPPED_FOR_OPT_OUT)
            | Q(status=MessageStatus.CANCELLED, error_message__in=(STOPPED_FOR_PAUSE, STOPPED_FOR_UNTICKED_CHANNEL))
            | Q(status=MessageStatus.SKIPPED, skip_reason=OutboundMessage.SkipReason.NO_CONSENT)
        )
        ticked = Q(channel=Channel.SMS, step__send_sms=True) | Q(channel=Channel.EMAIL, step__send_email=True)
        consent = (
            ConsentRecord.objects.filter(
                contact=OuterRef("contact"),
                channel=OuterRef("channel"),
                purpose=OuterRef("step__campaign__purpose"),
                pending=False,
            )
            .order_by("-recorded_at", "-pk")
            .values("granted")[:1]
        )
        revivable = (
            self.filter(stopped, ticked, not_after__gt=now, step__campaign__active=True)
            .never_sent()
            .still_wanted()
            .annotate(consented=Subquery(consent))
            .filter(consented=True)
        )
        return OutboundMessage.objects.filter(pk__in=revivable.values("pk")).update(
            status=MessageStatus.SCHEDULED, skip_reason="", error_message="", lease_expires_at=None, updated_at=now
        )


class OutboundMessage(models.Model):
    """The outbox. One row per (step, consultation, consultation time, contact, channel), enforced by PostgreSQL.

    The row is the unit of scheduling, claiming and auditing: the planner inserts it, the dispatcher claims it with
    a lease, a worker sends it once and records what the provider said; webhooks move it to its final state.
    """

    class SkipReason(models.TextChoices):
        NO_CONSENT = "no consent", "No consent"
        SUPPRESSED = "suppressed", "Address suppressed"
        FREQUENCY_CAP = "frequency cap", "Frequency cap reached"
        NO_ADDRESS = "no address", "No address for this channel"
        UNREACHABLE = "unreachable", "Number cannot receive texts"
        COUNTRY = "country", "Number in a country not texted"
        SENSITIVE_TERM = "sensitive term", "Blocked: sensitive term"
        CAMPAIGN_INACTIVE = "campaign inactive", "Campaign paused"
        NO_ARTICLES = "no articles", "No new live article to send"

    step = models.ForeignKey("outreach.CampaignStep", on_delete=models.PROTECT, related_name="messages")
    consultation = models.ForeignKey(
        "outreach.Consultation", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    consultation_starts_at = models.DateTimeField(
        null=True, blank=True, help_text="The consultation time this reminder was planned for."
    )
    contact = models.ForeignKey("outreach.Contact", on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=12, choices=MessageStatus.choices, default=MessageStatus.SCHEDULED)
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)

    due_at = models.DateTimeField(help_text="When the step wanted it sent.")
    scheduled_for = models.DateTimeField(help_text="When it will next be tried (quiet hours and retries move it).")
    not_after = models.DateTimeField(help_text="Past this moment it is not worth sending: it expires.")

    attempts = models.PositiveSmallIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    provider_call_started_at = models.DateTimeField(
        null=True, blank=True, help_text="Set just before the provider is called: the outcome-unknown marker."
    )
    outcome_unknown_count = models.PositiveSmallIntegerField(default=0)
    ambiguous_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the first attempt whose outcome is unknown started: the provider is asked whether it holds "
        "the message (sent since then) before any resend.",
    )

    provider = models.CharField(max_length=20, blank=True)
    provider_message_id = models.CharField(max_length=100, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.CharField(max_length=300, blank=True)

    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True, help_text="The rendered text, kept for audit until the retention purge.")

    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "consultation", "consultation_starts_at", "contact", "channel"],
                condition=Q(consultation__isnull=False),
                name="outbox_one_per_consultation_step",
            ),
            # Digests have no consultation: one per step, contact, channel and planning day.
            models.UniqueConstraint(
                fields=["step", "contact", "channel", "due_at"],
                condition=Q(consultation__isnull=True),
                name="outbox_one_digest_per_day",
            ),
        ]
        indexes = [
            # The dispatcher's claim (per channel) walks this in its ORDER BY and stops at its LIMIT, however many
            # rows are due or planned.
            models.Index(
                fields=["channel", "scheduled_for", "id"], condition=Q(status="scheduled"), name="outbox_due_idx"
            ),
            # Expiry reads only the scheduled rows past their lateness, not every scheduled row (a planned backlog).
            models.Index(fields=["not_after"], condition=Q(status="scheduled"), name="outbox_expiry_idx"),
            # Rows in flight (claimed, leased). Not a partial index on status="sending": a per-row statement that
            # also says status="sending" (every compare-and-set of the worker) could pick such an index over the
            # primary key when the statistics predate a burst, and read every row in flight for each message.
            models.Index(
                fields=["lease_expires_at"], condition=Q(lease_expires_at__isnull=False), name="outbox_lease_idx"
            ),
            models.Index(fields=["provider", "provider_message_id"], name="outbox_provider_id_idx"),
            models.Index(fields=["contact", "channel", "provider_call_started_at"], name="outbox_contact_sent_idx"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} message {self.pk} ({self.status})"
