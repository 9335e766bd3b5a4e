"""What a message carries besides its template's own words, by the trigger of its step.

Reminders carry nothing more. Follow-ups and digests carry articles, which the followups room chooses at send time;
it registers its provider here when the app is ready (outreach.signal_handlers), so the engine never imports a room
above it. A provider returns `Content`, or None when there is nothing worth sending (the row is then skipped).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Content:
    context: dict = field(default_factory=dict)  # extra template variables (e.g. article_links)
    record: Callable[[], None] = lambda: None  # called once the message is committed to go


NOTHING_MORE = Content()
_PROVIDERS = {}


def register(trigger, provider):
    _PROVIDERS[trigger] = provider


def for_message(message):
    provider = _PROVIDERS.get(message.step.trigger)
    return NOTHING_MORE if provider is None else provider(message)
