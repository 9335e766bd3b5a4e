import hashlib
import secrets

from django.db import models
from django.utils import timezone


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the booking-system API. Only its SHA-256 is stored; the token is shown once."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise a token in logs.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name):
        """Create a token; return (token, raw). The raw value is never stored."""
        raw = "ot_" + secrets.token_urlsafe(32)
        token = cls.objects.create(name=name, prefix=raw[:10], key_hash=hash_token(raw))
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
