"""Wiring done once the app is ready: signal receivers, and what higher rooms plug into lower ones."""

from django.db.models.signals import post_save
from wagtail.signals import page_published


def register_signal_handlers():
    from outreach.engine import step_content
    from outreach.followups import keywords  # noqa: F401 - registers YES for subscription confirmations
    from outreach.followups.announcements import on_page_published
    from outreach.followups.articles import message_content
    from outreach.models import Campaign, CampaignStep
    from outreach.webhooks import anymail as anymail_webhooks

    anymail_webhooks.connect()  # anymail's tracking views send a signal; our receiver updates the outbox

    page_published.connect(on_page_published, dispatch_uid="outreach-announce-article")
    # Follow-ups and digests carry articles, chosen at send time (the engine asks; followups answers).
    step_content.register(CampaignStep.Trigger.AFTER_COMPLETED, message_content)
    step_content.register(CampaignStep.Trigger.NEW_ARTICLE, message_content)

    # Pausing a campaign or unticking a step's channel, from any screen or script, stops the rows already planned.
    post_save.connect(_campaign_saved, sender=Campaign, dispatch_uid="outreach-campaign-saved")
    post_save.connect(_step_saved, sender=CampaignStep, dispatch_uid="outreach-step-saved")


def _campaign_saved(sender, instance, raw=False, **kwargs):
    from outreach.engine.planner import campaign_changed

    if not raw:  # loaddata: the outbox is loaded as it was
        campaign_changed(instance)


def _step_saved(sender, instance, raw=False, **kwargs):
    from outreach.engine.planner import campaign_changed

    if not raw:
        campaign_changed(instance.campaign)
