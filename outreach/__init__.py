"""Patient outreach: one Django app, grouped by sub-domain. Data flows one way:

    intake -> consent and consultations -> engine -> providers -> webhooks and conversations -> consent

Rooms, from the bottom up; a room imports only the rooms below it (and `models`, `providers`, `cms`):
- models/        the tables (re-exported); providers/ vendor adapters behind one interface
- consent/       the consent ledger and its rules, preferences, signed links, erasure, retention
- engine/        planner, dispatcher, sending, pacing, send-time policy, templates and composition, delivery reports
- conversations/ inbound texts: crisis triage, keywords, staff alerts
- followups/     articles after a visit, announcements and digests, topic subscriptions and their confirmation
- intake/        consultations and patients from the booking system (CSV and API)
- webhooks/      provider callbacks: validate, parse, hand on; admin/ the Wagtail admin screens
`languages.py` (which language a contact's messages are in, dates written in it) is read by every room.
`tasks.py` is the Celery boundary (ids in, the rooms' functions called inside); `urls.py` mounts the public routes.
"""
