import hashlib
import hmac

from django.conf import settings
from django.db import models

from .choices import Channel


def hash_keys():
    """The current key first, then the previous ones (SUPPRESSION_HASH_PREVIOUS_KEYS) that older rows were hashed
    with. Only development and tests fall back to SECRET_KEY: production requires a key of its own."""
    current = settings.SUPPRESSION_HASH_KEY or settings.SECRET_KEY
    return [current, *(key for key in settings.SUPPRESSION_HASH_PREVIOUS_KEYS if key != current)]


def address_digest(channel, address, key=None):
    """A keyed hash of a normalised address: suppressions keep no readable phone number or email."""
    normalised = address.strip().lower()
    key = (key or hash_keys()[0]).encode()
    return hmac.new(key, f"{channel}:{normalised}".encode(), hashlib.sha256).hexdigest()


def address_digests(channel, address):
    """The address's hash under every configured key: a suppression recorded before a key rotation still counts."""
    return [address_digest(channel, address, key) for key in hash_keys()]


def mask_address(address):
    address = address.strip()
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"***{address[-4:]}"


class Suppression(models.Model):
    """An address that must never be messaged on a channel, for any purpose (bounce, complaint, erasure, an opt-out).

    `opted_out` remembers an opt-out texted from a number that is not yet a contact's (the ledger, which is per
    contact, cannot hold it). It is the one reason the patient can lift (START from that number, or staff recording
    the patient's own words once the number is a contact's); intake turns it into ledger records when the number
    arrives from the booking system. Every other reason is permanent.
    """

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", "Hard bounce"
        COMPLAINT = "complaint", "Spam complaint"
        PROVIDER_REFUSED = "provider_refused", "Refused by the provider"
        ERASED = "erased", "Patient erased"
        MANUAL = "manual", "Added by staff"
        OPTED_OUT = "opted_out", "Opted out by text (not yet a contact)"

    channel = models.CharField(max_length=10, choices=Channel.choices)
    address_hash = models.CharField(max_length=64)
    hint = models.CharField(max_length=80, blank=True, help_text="A masked form of the address, for staff.")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["channel", "address_hash"], name="suppression_unique")]

    def __str__(self):
        return f"{self.channel} {self.hint} ({self.get_reason_display()})"

    @classmethod
    def is_suppressed(cls, channel, address):
        return cls.objects.filter(channel=channel, address_hash__in=address_digests(channel, address)).exists()

    @classmethod
    def add(cls, channel, address, reason):
        # Found under any configured key (a row hashed before a key rotation is the same suppression).
        suppression = cls.objects.filter(channel=channel, address_hash__in=address_digests(channel, address)).first()
        created = False
        if suppression is None:
            suppression, created = cls.objects.get_or_create(
                channel=channel,
                address_hash=address_digest(channel, address),
                defaults={"hint": mask_address(address), "reason": reason},
            )
        if not created and suppression.reason == cls.Reason.OPTED_OUT and reason != cls.Reason.OPTED_OUT:
            # A permanent reason (erasure, a bounce...) outranks the patient-liftable one: START must not undo it.
            suppression.reason = reason
            suppression.save(update_fields=["reason"])
        return suppression

    @classmethod
    def lift_opt_out(cls, channel, address):
        """Remove an `opted_out` suppression (the patient asked for messages again). Returns True if one existed."""
        deleted, _ = cls.objects.filter(
            channel=channel, address_hash__in=address_digests(channel, address), reason=cls.Reason.OPTED_OUT
        ).delete()
        return bool(deleted)


__all__ = ["Channel", "Suppression", "address_digest", "address_digests", "mask_address"]
