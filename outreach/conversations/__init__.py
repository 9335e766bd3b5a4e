"""Two-way texting: what a patient's reply means and what happens next.

Owns inbound texts (stored once, answered once), crisis triage, the keyword registry (STOP, HELP, C, R...) and the
staff alerts they raise. Imports `engine` (to keep the outbox true to a visit), `consent` and `models`.
"""
