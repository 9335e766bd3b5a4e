"""The Outreach area of the Wagtail admin: viewsets, custom actions, the dashboard panel and who may do what.

Registered from outreach/wagtail_hooks.py. Every view checks permissions itself; hidden menu items are a
convenience, not the protection.
"""
