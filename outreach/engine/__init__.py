"""The sending engine: campaign steps become outbox rows, due rows are claimed, checked and sent once.

The gate (gate.py) is the one decision whether any message may go to a person, and its forecasts; outbound.py is the
one place a provider is asked to send, for the outbox and for every one-off message of the rooms above.

Owns the planner, the dispatcher, sending with its send-time policy (quiet hours, caps) and pacing, the template
language and composition of messages, the sensitive-terms guard and providers' delivery reports. Imports `consent`,
`providers`, `models` and `cms`; never a room above it.
"""
