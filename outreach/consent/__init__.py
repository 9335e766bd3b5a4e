"""Consent: what each patient agreed to, per channel and purpose, and every way they change it.

Owns the append-only ledger and its precedence rules (ledger), the preference and unsubscribe pages with their
signed links (preferences, links, views), erasure on request and the retention purge. Imports only `models` and `cms`.
"""
