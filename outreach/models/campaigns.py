import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from .choices import Channel, Purpose
from .contacts import validate_language


class Campaign(ClusterableModel):
    """A set of steps sent for one purpose, with the quiet hours and frequency caps that protect patients."""

    name = models.CharField(max_length=120, unique=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.CARE)
    active = models.BooleanField(
        default=False, help_text="Only active campaigns are planned and sent. Campaigns are paused, never deleted."
    )
    # Named "quiet hours" in the code for history: the two fields are the window in which sending is allowed.
    quiet_hours_start = models.TimeField(
        "sending window opens",
        default=datetime.time(8, 0),
        help_text="Earliest time of day a message may go out, in the patient's own time zone.",
    )
    quiet_hours_end = models.TimeField(
        "sending window closes",
        default=datetime.time(21, 0),
        help_text="Latest time of day a message may go out, in the patient's own time zone. A message due outside "
        "the window waits for it to open, unless it expires first (see each step's latest sending delay).",
    )
    sms_per_day = models.PositiveSmallIntegerField(
        "texts per day", default=1, help_text="Most texts of this purpose a patient gets in one of their days."
    )
    sms_per_week = models.PositiveSmallIntegerField(
        "texts per week", default=3, help_text="Most texts of this purpose a patient gets in any 7 days."
    )
    emails_per_day = models.PositiveSmallIntegerField(
        "emails per day", default=2, help_text="Most emails of this purpose a patient gets in one of their days."
    )
    emails_per_week = models.PositiveSmallIntegerField(
        "emails per week", default=5, help_text="Most emails of this purpose a patient gets in any 7 days."
    )
    min_days_between = models.PositiveSmallIntegerField(
        "days between education messages",
        default=0,
        help_text="Education campaigns: at least this many days between two messages to a patient on a channel.",
    )
    plan_from = models.DateTimeField(
        "sends steps due from",
        null=True,
        blank=True,
        help_text="Steps that fell due before this moment are never sent. Set when the campaign is activated (or "
        "saved with steps already due), unless whoever did it chose to send those overdue steps too. Empty: no "
        "limit.",
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

    @property
    def missing_translations_label(self):
        """For the campaign list: which steps lack a translation in which language, e.g. "Español: 2 hours before
        (SMS)"; "—" when none does."""
        from outreach.engine.templating import missing_translations
        from outreach.languages import name

        lacking = {}
        for step in self.steps.all():
            for language, channels in missing_translations(step).items():
                lacking.setdefault(language, []).append(f"{step.name} ({', '.join(channels)})")
        return "; ".join(f"{name(language)}: {', '.join(steps)}" for language, steps in lacking.items()) or "—"

    def caps_for(self, channel):
        """(per local day, per rolling 7 days) for a channel."""
        if channel == Channel.SMS:
            return self.sms_per_day, self.sms_per_week
        return self.emails_per_day, self.emails_per_week


class CampaignStep(ClusterableModel):
    class Trigger(models.TextChoices):
        BEFORE_START = "before_start", "Before the consultation starts"
        AFTER_COMPLETED = "after_completed", "After the consultation is completed"
        NEW_ARTICLE = "new_article", "New article in a subscribed topic (digest)"

    class OutsideWindow(models.TextChoices):
        """What a reminder due outside the sending window does (outreach/engine/timing.py)."""

        WAIT = "wait", "Wait for the window to open (it expires if its latest sending delay runs out first)"
        WINDOW_OPENS = "window_opens", "Send when the window opens, if that is still before the visit"
        EVENING_BEFORE = "evening_before", "Send earlier: one hour before the previous sending window closes"

    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=120, help_text='For staff, e.g. "24 hours before".')
    trigger = models.CharField("sent", max_length=20, choices=Trigger.choices, default=Trigger.BEFORE_START)
    offset = models.DurationField(
        "how long before or after",
        default=datetime.timedelta(hours=24),
        validators=[MinValueValidator(datetime.timedelta(0), message="Cannot be negative.")],
        help_text='How long before the visit starts (or after it is completed) the message is due, e.g. "1 day", '
        '"2 hours" or "1 day 2 hours".',
    )
    send_sms = models.BooleanField("send a text (SMS)", default=True)
    send_email = models.BooleanField("send an email", default=False)
    sms_body = models.TextField("SMS text", blank=True)
    email_subject = models.CharField("email subject", max_length=200, blank=True)
    email_text = models.TextField("email text", blank=True, help_text="The plain-text version of the email.")
    email_html = models.TextField(
        "email HTML", blank=True, help_text="The HTML version's body; the clinic's layout and footer are added."
    )
    max_lateness = models.DurationField(
        "latest sending delay",
        default=datetime.timedelta(hours=2),
        validators=[MinValueValidator(datetime.timedelta(minutes=1), message="At least 1 minute.")],
        help_text="How late after its due time the message may still go out (e.g. when the sending window holds it "
        'back); after that it expires unsent. E.g. "45 minutes" or "4 hours".',
    )
    outside_window = models.CharField(
        "if due outside the sending window",
        max_length=20,
        choices=OutsideWindow.choices,
        default=OutsideWindow.WAIT,
        help_text="Reminders before a visit only. E.g. the 2-hour reminder of an early-morning visit falls due "
        "before the window opens.",
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

        if self.outside_window != self.OutsideWindow.WAIT and self.trigger != self.Trigger.BEFORE_START:
            raise ValidationError(
                {"outside_window": 'Only reminders before a visit can be moved: choose "Wait for the window".'}
            )

        validate_step(self, purpose=self.campaign.purpose if self.campaign_id else None)

    def templates_in(self, language):
        """The templates a patient in `language` gets: this step's own (the clinic's default language) with, per
        channel, the translation's text where it has one. Falls back to the default whenever a language or a
        channel has no translation."""
        from outreach.engine.templating import templates_in

        return templates_in(self, language)


TRANSLATED_FIELDS = ("sms_body", "email_subject", "email_text", "email_html")


class StepTranslation(models.Model):
    """A step's templates in another language than the clinic's default. Per channel: a translation may carry only
    the text, only the email, or both; a channel it leaves empty falls back to the step's own templates."""

    step = ParentalKey(CampaignStep, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(
        max_length=8, validators=[validate_language], help_text="The language of these templates."
    )
    sms_body = models.TextField("SMS text", blank=True)
    email_subject = models.CharField("email subject", max_length=200, blank=True)
    email_text = models.TextField("email text", blank=True, help_text="The plain-text version of the email.")
    email_html = models.TextField("email HTML", blank=True, help_text="The HTML version's body.")

    class Meta:
        ordering = ["language", "pk"]
        constraints = [models.UniqueConstraint(fields=["step", "language"], name="one_translation_per_language")]

    def __str__(self):
        return f"{self.step}: {self.language}"

    def clean(self):
        from outreach.engine.templating import validate_translation

        step = getattr(self, "step", None) if self.step_id else self._state.fields_cache.get("step")
        if step is not None:  # the campaign editor checks a new step's translations itself, with the form's purpose
            validate_translation(self, step)
