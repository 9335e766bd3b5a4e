"""Consent: what each patient agreed to, per channel and purpose, and every way they change it.

Owns the append-only ledger and its precedence rules (ledger: a patient's no, whoever recorded it, is lifted only by
the patient; an opt-out from a number no contact holds is remembered by address until the number is a contact's),
the preference and unsubscribe pages with their signed links (preferences, links, views), erasure on request and
the retention purge. Imports only `models` and `cms`.
"""
