"""Durations as people write them: "2 hours", "1 day", "45 minutes", "1 day 2 hours" (a step's offset and lateness).

Parsing is pytimeparse's (it also reads "2h", "90m", "1d 2h", "1.5 hours"); what it cannot read, or reads as
something nobody meant ("1:30" is ninety seconds to it), is refused with an error that shows how to write it.
Shown back the same way, exactly: "1 day 2 hours", never "1 day, 2:00:00".
"""

import datetime
import re

from django import forms
from pytimeparse import parse as parse_timespan

from outreach.engine.local_time import format_duration

EXAMPLES = '"45 minutes", "2 hours", "1 day" or "1 day 2 hours"'
CLOCK = re.compile(r"^\s*\d+:\d+\s*$")  # "1:30": hours and minutes, or minutes and seconds? Refused.


def parse_duration_text(text):
    """A timedelta from what was typed, or None when it is not a duration this form understands."""
    text = (text or "").strip().lower().replace(" and ", " ")
    if not text or CLOCK.match(text):
        return None
    seconds = parse_timespan(text)
    if seconds is None:
        return None
    return datetime.timedelta(seconds=round(seconds))


class DurationInput(forms.TextInput):
    def format_value(self, value):
        if isinstance(value, datetime.timedelta):
            return format_duration(value)
        return super().format_value(value)


class DurationTextField(forms.DurationField):
    widget = DurationInput
    default_error_messages = {
        "invalid": "{label}: write a duration in words, e.g. " + EXAMPLES + ".",
        "overflow": "{label}: at most 10 years.",
    }

    def prepare_value(self, value):
        if isinstance(value, datetime.timedelta):
            return format_duration(value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.timedelta):
            return value
        parsed = parse_duration_text(str(value))
        if parsed is None:
            raise self.error("invalid")
        if parsed > datetime.timedelta(days=3650):
            raise self.error("overflow")
        return parsed

    def error(self, code):
        # The message names the field: in a campaign with several steps, errors are read out of context too.
        label = str(self.label or "Duration")
        return forms.ValidationError(self.error_messages[code].format(label=label), code=code)
