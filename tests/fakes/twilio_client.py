"""The product's Twilio client factory, re-exported for the fakes' self-tests."""

from outreach.providers.twilio import make_twilio_client

__all__ = ["make_twilio_client"]
