from wagtail.signals import page_published


def register_signal_handlers():
    from outreach.followups import keywords  # noqa: F401 - registers YES for subscription confirmations
    from outreach.followups.announcements import on_page_published
    from outreach.webhooks import anymail as anymail_webhooks

    anymail_webhooks.connect()  # anymail's tracking views send a signal; our receiver updates the outbox

    page_published.connect(on_page_published, dispatch_uid="outreach-announce-article")
