"""Two-way texting: what a patient's reply means and what happens next.

Owns inbound texts (stored once, answered once), how a reply is read (reading: folding and clauses; opt_out: an
opt-out however written, per language; crisis: crisis triage and its labelled corpus), the keyword registry (STOP,
HELP, C, R...) and the staff alerts they raise. Imports `engine` (to keep the outbox true to a visit), `consent`
and `models`.
"""
