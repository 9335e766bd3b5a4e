"""Intake: consultations and their patients from the booking system, by CSV import or the bearer-token API.

Owns row validation and the atomic upsert both doors share (upsert, with the precedence of the booking system's
status against the patient's and staff's), the CSV reader (csv_import) and the API views
(api). Imports `engine` (the planner keeps the outbox true to a changed visit), `consent` and `models`.
"""
