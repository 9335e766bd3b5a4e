from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    label = "outreach"
    verbose_name = "Outreach"

    def ready(self):
        from outreach.signal_handlers import register_signal_handlers

        register_signal_handlers()
