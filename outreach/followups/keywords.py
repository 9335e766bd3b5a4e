"""YES (and Spanish SI) as the double opt-in of a topic subscription by text; otherwise YES keeps its usual meaning
(opt back in)."""

from outreach.conversations import keywords
from outreach.followups.subscriptions import confirm, pending_request
from outreach.models import Channel


@keywords.register("YES", kind=keywords.Kind.OPT_IN, replace=True)
def yes(ctx):
    if ctx.contact is not None and pending_request(ctx.contact, Channel.SMS) is not None:
        confirm(ctx.contact, Channel.SMS, "YES reply")
        return keywords.Outcome(kind=keywords.Kind.OPT_IN, reply=ctx.say("subscribed_by_text"))
    return keywords.opt_in(ctx)


keywords.register("SI", kind=keywords.Kind.OPT_IN, language="es", replace=True)(yes)
