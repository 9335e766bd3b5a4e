"""Local fake provider servers (Twilio, Postmark, Mailgun) that speak each provider's wire format.

The real `twilio` library and the real django-anymail backends talk to these over real HTTP on 127.0.0.1, so tests
and benchmarks exercise the product's actual client code. See tests/fakes/base.py for the shared machinery.
"""
