from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    label = "outreach"
    verbose_name = "Outreach"
