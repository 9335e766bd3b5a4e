from django.urls import path

from outreach.consent import views
from outreach.followups import views as follow_up_views
from outreach.intake import api
from outreach.webhooks import anymail as anymail_webhooks
from outreach.webhooks import twilio as twilio_webhooks

urlpatterns = [
    path("api/outreach/v1/consultations/", api.ConsultationUpsertView.as_view(), name="outreach-consultations"),
    path(
        "api/outreach/v1/consultations/<path:external_id>/",
        api.ConsultationDetailView.as_view(),
        name="outreach-consultation-detail",
    ),
    path("webhooks/twilio/inbound/", twilio_webhooks.inbound, name="outreach-twilio-inbound"),
    path("webhooks/twilio/status/", twilio_webhooks.status, name="outreach-twilio-status"),
    # The configured email provider's tracking webhook only (basic auth from ANYMAIL_WEBHOOK_SECRET; Mailgun's
    # signature too); the other one answers 404, and anymail's routes for providers we do not use are not mounted.
    path("webhooks/anymail/postmark/tracking/", anymail_webhooks.tracking_view(anymail_webhooks.PostmarkTrackingView)),
    path("webhooks/anymail/mailgun/tracking/", anymail_webhooks.tracking_view(anymail_webhooks.MailgunTrackingView)),
    path("api/outreach/v1/subscriptions/", follow_up_views.SubscribeView.as_view(), name="outreach-subscriptions"),
    path(
        "subscriptions/confirm/<str:token>/",
        follow_up_views.confirm_subscription,
        name="outreach-confirm-subscription",
    ),
    path("r/<str:token>/", follow_up_views.article_link, name="outreach-article-link"),
    path("u/<str:token>/", views.unsubscribe, name="outreach-unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="outreach-preferences"),
]
