import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from .choices import Channel, Purpose


class Campaign(ClusterableModel):
    """A set of steps sent for one purpose, with the quiet hours and frequency caps that protect patients."""

    name = models.CharField(max_length=120, unique=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.CARE)
    active = models.BooleanField(default=False)
    quiet_hours_start = models.TimeField(
        default=datetime.time(8, 0), help_text="Earliest local time (contact's time zone) a message may go out."
    )
    quiet_hours_end = models.TimeField(
        default=datetime.time(21, 0), help_text="Latest local time (contact's time zone) a message may go out."
    )
    sms_per_day = models.PositiveSmallIntegerField(default=1, help_text="Most texts a contact gets per local day.")
    sms_per_week = models.PositiveSmallIntegerField(default=3, help_text="Most texts a contact gets in 7 days.")
    emails_per_day = models.PositiveSmallIntegerField(default=2)
    emails_per_week = models.PositiveSmallIntegerField(default=5)
    min_days_between = models.PositiveSmallIntegerField(
        default=0,
        help_text="Education campaigns: at least this many days between two messages to a contact on a channel.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.quiet_hours_start >= self.quiet_hours_end:
            raise ValidationError({"quiet_hours_end": "The sending window must end after it starts, on the same day."})

    def caps_for(self, channel):
        """(per local day, per rolling 7 days) for a channel."""
        if channel == Channel.SMS:
            return self.sms_per_day, self.sms_per_week
        return self.emails_per_day, self.emails_per_week


class CampaignStep(models.Model):
    class Trigger(models.TextChoices):
        BEFORE_START = "before_start", "Before the consultation starts"
        AFTER_COMPLETED = "after_completed", "After the consultation is completed"
        NEW_ARTICLE = "new_article", "New article in a subscribed topic (digest)"

    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=120)
    trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.BEFORE_START)
    offset = models.DurationField(
        default=datetime.timedelta(hours=24),
        validators=[MinValueValidator(datetime.timedelta(0))],
        help_text="How long before the start (or after completion) the message is due, e.g. 24:00:00.",
    )
    send_sms = models.BooleanField(default=True)
    send_email = models.BooleanField(default=False)
    sms_body = models.TextField(blank=True)
    email_subject = models.CharField(max_length=200, blank=True)
    email_text = models.TextField(blank=True, help_text="Plain-text part.")
    email_html = models.TextField(blank=True, help_text="HTML part (the body; the layout and footer are added).")
    max_lateness = models.DurationField(
        default=datetime.timedelta(hours=2),
        validators=[MinValueValidator(datetime.timedelta(minutes=1))],
        help_text="After this long past its due time the message is not worth sending and expires.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return f"{self.campaign}: {self.name}"

    @property
    def channels(self):
        return [channel for channel, on in ((Channel.SMS, self.send_sms), (Channel.EMAIL, self.send_email)) if on]

    def clean(self):
        from outreach.engine.templating import validate_step

        validate_step(self, purpose=self.campaign.purpose if self.campaign_id else None)
