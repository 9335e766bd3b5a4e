"""The sending engine: campaign steps become outbox rows, due rows are claimed, checked and sent once.

Owns the planner, the dispatcher, sending with its send-time policy (quiet hours, caps) and pacing, the template
language and composition of messages, the sensitive-terms guard and providers' delivery reports. Imports `consent`,
`providers`, `models` and `cms`; never a room above it.
"""
