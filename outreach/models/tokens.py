import hashlib
import secrets

from django.db import models
from django.utils import timezone


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


BOOKING_SYSTEM_HELP = (
    "The booking system whose consultations this token reads and writes; a token of another booking system never "
    "sees or changes them. Empty: the clinic's main booking system, whose CSV exports the import also reads."
)


class ApiToken(models.Model):
    """A bearer token for the booking-system API. Only its SHA-256 is stored; the token is shown once.

    Each token is scoped to one booking system (`booking_system`): consultations are unique per booking system and
    external id, and a token reads and writes only its own system's."""

    name = models.CharField(max_length=100)
    booking_system = models.SlugField(max_length=50, blank=True, help_text=BOOKING_SYSTEM_HELP)
    prefix = models.CharField(
        "starts with", max_length=12, help_text="The first characters, to recognise a token in logs."
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField("last used", null=True, blank=True)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name, booking_system=""):
        """Create a token; return (token, raw). The raw value is never stored."""
        raw = "ot_" + secrets.token_urlsafe(32)
        token = cls.objects.create(name=name, booking_system=booking_system, prefix=raw[:10], key_hash=hash_token(raw))
        return token, raw

    @classmethod
    def authenticate(cls, raw):
        token = cls.objects.filter(key_hash=hash_token(raw), revoked_at__isnull=True).first()
        if token:
            cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token

    @property
    def active(self):
        return self.revoked_at is None

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
