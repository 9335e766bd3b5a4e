"""Development providers: nothing leaves the machine; each message is logged without its recipient."""

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class LoggingEmailBackend(BaseEmailBackend):
    """Django email backend for EMAIL_PROVIDER=console: logs the subject only (recipients are PII)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            logger.info("console email: subject=%r recipients=%d", message.subject, len(message.recipients()))
        return len(email_messages)
