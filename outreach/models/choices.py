from django.db import models


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"


class Purpose(models.TextChoices):
    CARE = "care", "Care (reminders about the patient's own visits)"
    EDUCATION = "education", "Education (article follow-ups)"


class MessageStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent (provider accepted)"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    BOUNCED = "bounced", "Bounced"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"
    SKIPPED = "skipped", "Skipped"
