"""Development providers: nothing leaves the machine. Each message is logged (never its recipient) and the engine
records it in the outbox as sent, so a new user sees what would have gone out without any credentials."""

import logging
import uuid

from django.core.mail.backends.base import BaseEmailBackend

from .base import EmailProvider, SendResult, SMSProvider

logger = logging.getLogger(__name__)


class NothingLeaves:
    def find_accepted(self, message, since):
        # A console "send" cannot lose its answer (nothing crosses a network), so no earlier attempt can have gone
        # out unseen: the answer is always "nothing held".
        return None


class ConsoleSMSProvider(NothingLeaves, SMSProvider):
    name = "console"

    def send_sms(self, message):
        message_id = f"console-{uuid.uuid4().hex}"
        # The text itself stays in the outbox row (admin > Outreach > Outbox): it holds the patient's first name.
        logger.info("console sms: outbox=%s id=%s characters=%d", message.reference, message_id, len(message.body))
        return SendResult(provider=self.name, message_id=message_id, status="sent")


class ConsoleEmailProvider(NothingLeaves, EmailProvider):
    name = "console"

    def send_email(self, message):
        message_id = f"console-{uuid.uuid4().hex}"
        logger.info("console email: outbox=%s id=%s subject=%r", message.reference, message_id, message.subject)
        return SendResult(provider=self.name, message_id=message_id, status="sent")


class LoggingEmailBackend(BaseEmailBackend):
    """Django email backend for EMAIL_PROVIDER=console (staff alerts, password resets): logs the subject only."""

    def send_messages(self, email_messages):
        for message in email_messages:
            logger.info("console email: subject=%r recipients=%d", message.subject, len(message.recipients()))
        return len(email_messages)
