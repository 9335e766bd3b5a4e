from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    label = "outreach"
    verbose_name = "Outreach"

    def ready(self):
        # Outreach rows (outbox, consent ledger, consultations, deliveries, inbound replies...) are records, not
        # content: keep every one of them out of Wagtail's reference index. Wagtail indexes any model registered in
        # its admin (a viewset or snippet) and then, on every save, re-reads the row and rewrites its references
        # (three rows in wagtailcore_referenceindex per outbox save, a third of a send's database work). Set here
        # for every model of the app, so a model added later is covered too; Wagtail reads the attribute when a
        # viewset registers the model, which happens after all apps are ready.
        for model in self.get_models():
            model.wagtail_reference_index_ignore = True

        from outreach.signal_handlers import register_signal_handlers

        register_signal_handlers()

        from cms.clinic import register_name_check
        from outreach.engine.sensitive import find_terms

        # The CMS's clinic settings form and messaging_name() ask outreach which words reveal a condition.
        register_name_check(find_terms)
