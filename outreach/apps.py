from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    label = "outreach"
    verbose_name = "Outreach"

    def ready(self):
        from outreach.signal_handlers import register_signal_handlers

        register_signal_handlers()

        from cms.clinic import register_name_check
        from outreach.engine.sensitive import find_terms

        # The CMS's clinic settings form and messaging_name() ask outreach which words reveal a condition.
        register_name_check(find_terms)
