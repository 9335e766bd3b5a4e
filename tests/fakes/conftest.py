"""Make the fake-provider fixtures available to the self-tests in this directory.

(The project registers tests.fakes.pytest_plugin for the whole suite in tests/conftest.py; importing the fixtures here
as well is harmless: inside tests/fakes these definitions shadow the plugin's.)
"""

from tests.fakes.pytest_plugin import (  # noqa: F401
    _callback_sink_server,
    _fake_mailgun_server,
    _fake_postmark_server,
    _fake_twilio_server,
    callback_sink,
    fake_mailgun,
    fake_postmark,
    fake_twilio,
    mailgun_settings,
    postmark_settings,
    twilio_client,
    twilio_settings,
)
