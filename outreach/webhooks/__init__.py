"""Provider webhooks: each view checks the request is genuine, parses it into our vocabulary and hands it on.

- twilio.py: inbound texts and SMS status callbacks (X-Twilio-Signature, checked against PUBLIC_BASE_URL).
- anymail.py: receivers for django-anymail's `tracking` signal; anymail's own views (mounted at
  /webhooks/anymail/) check basic auth (ANYMAIL_WEBHOOK_SECRET) and Mailgun's signature.

The rules live elsewhere: outreach.conversations.inbound, outreach.conversations.keywords,
outreach.conversations.crisis and outreach.engine.delivery.
"""
