"""Article follow-ups: patient education from the CMS after a visit and when a subscribed topic gets a new article.

Owns which articles a contact gets (articles), announcements of newly published ones, the public topic subscription
with its double opt-in (subscriptions, confirmations, views) and its YES keyword. Imports `conversations` (the
keyword registry), `engine`, `consent`, `models` and `cms`.
"""
