"""Wiring done once the app is ready: signal receivers, and what higher rooms plug into lower ones."""

from wagtail.signals import page_published


def register_signal_handlers():
    from outreach.engine import step_content
    from outreach.followups import keywords  # noqa: F401 - registers YES for subscription confirmations
    from outreach.followups.announcements import on_page_published
    from outreach.followups.articles import message_content
    from outreach.models import CampaignStep
    from outreach.webhooks import anymail as anymail_webhooks

    anymail_webhooks.connect()  # anymail's tracking views send a signal; our receiver updates the outbox

    page_published.connect(on_page_published, dispatch_uid="outreach-announce-article")
    # Follow-ups and digests carry articles, chosen at send time (the engine asks; followups answers).
    step_content.register(CampaignStep.Trigger.AFTER_COMPLETED, message_content)
    step_content.register(CampaignStep.Trigger.NEW_ARTICLE, message_content)
