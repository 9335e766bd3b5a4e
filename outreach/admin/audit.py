"""Audit-log actions of the Outreach admin (Wagtail's log: Reports > Site history, and each object's History).

Creating and editing campaigns, suppressions and tokens is logged by Wagtail's generic views as wagtail.create /
wagtail.edit / wagtail.delete; these are the named actions on top.
"""

from wagtail.log_actions import log

ACTIONS = {
    "outreach.campaign.activate": ("Activate campaign", "Activated the campaign"),
    "outreach.campaign.pause": ("Pause campaign", "Paused the campaign"),
    "outreach.campaign.test_send": ("Send test message", "Sent a test message"),
    "outreach.consent.record": ("Record consent change", "Recorded a consent change"),
    "outreach.contact.language": ("Change language", "Changed the language of the patient's messages"),
    "outreach.consultation.status": ("Change consultation status", "Changed the consultation's status"),
    "outreach.consultation.import": ("Import consultations", "Imported consultations from CSV"),
    "outreach.outbox.retry": ("Retry message", "Rescheduled a failed message"),
    "outreach.outbox.cancel": ("Cancel message", "Cancelled a scheduled message"),
    "outreach.inbox.handled": ("Mark reply handled", "Marked the reply handled"),
    "outreach.inbox.reply": ("Answer reply", "Answered the patient by SMS"),
    "outreach.demo.simulated_reply": ("Simulate a patient reply (demo)", "Simulated this reply (demo)"),
    "outreach.list.export": ("Export a list", "Exported a list"),
    "outreach.token.issue": ("Issue API token", "Issued an API token"),
    "outreach.token.revoke": ("Revoke API token", "Revoked the API token"),
}


def register(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


def audit(instance, action, user, **data):
    """One audit entry. `data` must hold no phone number or email address (entries are shown to every admin)."""
    assert action in ACTIONS, action
    return log(instance=instance, action=action, user=user, data=data)
