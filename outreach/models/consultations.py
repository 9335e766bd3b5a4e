from django.db import models


class Consultation(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CONFIRMED = "confirmed", "Confirmed"
        RESCHEDULE_REQUESTED = "reschedule_requested", "Reschedule requested"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No-show"

    # Statuses in which the visit is expected at its current time, so its reminders are still wanted. A patient who
    # asked to reschedule gets no reminder for the old time.
    REMINDABLE = (Status.SCHEDULED, Status.CONFIRMED)
    # Statuses that are the patient's answer about the visit at its current time: a new time makes them moot.
    PATIENT_ANSWERS = (Status.CONFIRMED, Status.RESCHEDULE_REQUESTED)

    booking_system = models.SlugField(
        max_length=50, blank=True, help_text="Which booking system sent it (its API token's); empty: the main one."
    )
    external_id = models.CharField(max_length=100, help_text="The booking system's id (unique within it).")
    contact = models.ForeignKey("outreach.Contact", on_delete=models.CASCADE, related_name="consultations")
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, help_text="Internal. Never sent and never rendered into any message.")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.SCHEDULED)
    booking_status = models.CharField(
        max_length=24,
        choices=Status.choices,
        default=Status.SCHEDULED,
        help_text="The status the booking system last sent (CSV or API). An export that repeats it does not undo "
        "what the patient or staff recorded since; a different one is a real change.",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    topics = models.ManyToManyField(
        "cms.Topic", blank=True, related_name="consultations", help_text="What the visit was about: follow-ups use it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["booking_system", "external_id"], name="consultation_external_id_unique")
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="consultation_starts_idx"),
            models.Index(fields=["status", "completed_at"], name="consultation_completed_idx"),
        ]

    def __str__(self):
        return f"Consultation {self.external_id}"

    @property
    def is_remindable(self):
        return self.status in self.REMINDABLE
