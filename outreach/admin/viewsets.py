"""The Outreach menu: one ModelViewSet per screen, grouped. Custom actions live in outreach/admin/views.py and are
routed through their viewset's URLs (namespaced ``outreach_<screen>:<action>``)."""

from django import forms as django_forms
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry

from outreach import languages
from outreach.admin import campaign_changes, contacts, filters, forecasts, forms, views
from outreach.admin.agenda import AgendaViewSet
from outreach.admin.audit import audit
from outreach.admin.columns import YesNoColumn, ZonedTimeColumn
from outreach.admin.forms import CampaignForm, SuppressionForm, suppression_digests
from outreach.admin.permissions import allowed_purposes, check_campaign_access
from outreach.admin.preview import step_from_data
from outreach.admin.times import PATIENT, clinic_zone
from outreach.engine.templating import validate_translation
from outreach.models import (
    ApiToken,
    Campaign,
    ConsentRecord,
    Consultation,
    Contact,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Purpose,
    StepTranslation,
    Suppression,
)
from outreach.models.campaigns import TRANSLATED_FIELDS


class ZonedHistoryView(generic.history.HistoryView):
    """Wagtail's history listing, with its dates in the clinic's zone, labelled (outreach.admin.times)."""

    @cached_property
    def columns(self):
        return [
            ZonedTimeColumn("timestamp", label="Date", width="22%", sort_key=None)
            if getattr(column, "name", None) == "timestamp"
            else column
            for column in super().columns
        ]


class OutreachViewSet(ModelViewSet):
    history_view_class = ZonedHistoryView


def utc_headings(*fields, **others):
    """Export headings: dates and times in exports are UTC (machine-readable, one zone for every row), and say so."""
    return {**{field: f"{field.replace('_', ' ')} (UTC)" for field in fields}, **others}


class OutreachIndexView(generic.IndexView):
    """Outreach lists: exports are audited (who took which list, filtered how, how many rows)."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        filters_used = {key: value for key, value in self.request.GET.lists() if key != "export"}
        audit(
            self.request.user,
            "outreach.list.export",
            self.request.user,
            list=self.model._meta.verbose_name_plural,
            format=spreadsheet_format,
            rows=queryset.count(),
            filters=filters_used,
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


class BulkActionsIndexView(OutreachIndexView):
    """A list with Wagtail's bulk-action checkboxes and action bar (actions: outreach/admin/bulk_actions.py)."""

    template_name = "outreach/admin/bulk_index.html"

    @cached_property
    def bulk_obj_type(self):
        return self.model._meta.model_name

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type=self.bulk_obj_type), *super().columns]

    def _get_title_column(self, *args, **kwargs):
        # The checkbox's accessible description points at the row's title.
        return super()._get_title_column(
            *args, get_title_id=lambda instance: f"{self.bulk_obj_type}_{quote(instance.pk)}_title", **kwargs
        )


# Campaigns


class CampaignIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(purpose__in=allowed_purposes(self.request.user))
            .annotate(step_count=Count("steps"))
            .prefetch_related("steps__translations")
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("outreach.change_campaign"):
            name = "pause" if instance.active else "activate"
            buttons.append(
                MenuItem(
                    "Pause" if instance.active else "Activate",
                    url=reverse(f"outreach_campaigns:{name}", args=[instance.pk]),
                    icon_name="pick" if instance.active else "success",
                    priority=15,
                )
            )
        return buttons


class ConfirmSendingChangesMixin:
    """Create and edit: a change that would make the campaign send (new messages in the next days, or steps that
    already fell due) is shown with who would be messaged and when, and saved only once confirmed; the choice about
    overdue steps becomes the campaign's `plan_from` (outreach/admin/campaign_changes.py)."""

    template_name = "outreach/admin/campaign_form.html"

    def dry_run_change(self):
        instance = self.model.objects.get(pk=self.object.pk) if getattr(self, "object", None) else None
        self.was_active = bool(instance and instance.active)
        kwargs = {**self.get_form_kwargs(), "instance": instance}
        form = self.get_form_class()(**kwargs)
        if not form.is_valid():
            return None
        return campaign_changes.impact_of(
            form.save, campaign_id=instance.pk if instance else None, now=self.change_time
        )

    @cached_property
    def change_time(self):
        return timezone.now()

    def form_valid(self, form):
        confirmed = self.request.POST.get(campaign_changes.CONFIRM_FIELD) == "1"
        impact = self.dry_run_change()
        self.overdue_choice = self.request.POST.get(campaign_changes.CHOICE_FIELD)
        if impact is not None and impact.needs_asking and not confirmed:
            self.form = form
            self.campaign_impact = impact
            return self.render_to_response(self.get_context_data(form=form))
        self.asked = impact is not None and impact.needs_asking
        return super().form_valid(form)

    def save_instance(self):
        campaign = super().save_instance()
        # Made active now, or asked about: steps due before now are sent only if staff chose so.
        if campaign.active and (getattr(self, "asked", False) or not getattr(self, "was_active", True)):
            campaign.plan_from = campaign_changes.plan_from_for(self.overdue_choice, self.change_time)
            Campaign.objects.filter(pk=campaign.pk).update(plan_from=campaign.plan_from)
        return campaign

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        impact = getattr(self, "campaign_impact", None)
        if impact is not None:
            context["campaign_change"] = campaign_changes.context(impact, clinic_zone(self.request))
        return context


class CampaignEditView(ConfirmSendingChangesMixin, generic.EditView):
    def get_object(self, queryset=None):
        campaign = super().get_object(queryset)
        check_campaign_access(self.request.user, campaign, "change")
        return campaign

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaign_preview_url"] = reverse("outreach_campaigns:preview")
        return context


class CampaignCreateView(ConfirmSendingChangesMixin, generic.CreateView):
    pass


class CampaignHistoryView(ZonedHistoryView):
    def get_object(self):
        campaign = super().get_object()
        check_campaign_access(self.request.user, campaign, "view")
        return campaign


class CampaignValidatingForm(CampaignForm):
    """Runs each step's template rules with the purpose chosen in this form, so a new care campaign gets the care
    rules too (CampaignStep.clean can only see a campaign that is already saved)."""

    def is_valid(self):
        valid = super().is_valid()
        purpose = self.cleaned_data.get("purpose") if hasattr(self, "cleaned_data") else None
        formset = self.formsets.get("steps")
        if purpose not in Purpose.values or formset is None:
            return valid
        extra_errors = self.refuse_deleting_steps_with_history(formset)
        for step_form in formset.forms:
            data = getattr(step_form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            step = step_from_data({**data, "purpose": purpose})
            problems = views.preview.preview(step)["errors"]
            extra_errors |= self.add_errors(step_form, problems)
            extra_errors |= self.check_translations(step_form, step, purpose)
        return valid and not extra_errors

    @staticmethod
    def add_errors(form, problems):
        added = False
        for field, errors in problems.items():
            existing = form.errors.get(field, [])
            for error in errors:
                if error not in existing:
                    form.add_error(field if field in form.fields else None, error)
                    added = True
        return added

    def check_translations(self, step_form, step, purpose):
        """Each translation by the step's rules in its language, with this form's purpose and channels; one per
        language."""
        formset = getattr(step_form, "formsets", {}).get("translations")
        if formset is None:
            return False
        added, seen = False, set()
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            translation = StepTranslation(**{field: data.get(field) or "" for field in TRANSLATED_FIELDS})
            translation.language = data.get("language") or ""
            if translation.language in seen:
                added |= self.add_errors(form, {"language": ["This step already has a translation in this language."]})
                continue
            seen.add(translation.language)
            try:
                validate_translation(translation, step, purpose)
            except ValidationError as exc:
                added |= self.add_errors(form, exc.message_dict)
        return added

    def refuse_deleting_steps_with_history(self, formset):
        """A step whose messages are in the outbox keeps them pointing at it (the history must stay readable), so
        deleting it is refused with a reason on the step, never a server error. Returns True if any was refused."""
        refused = False
        for step_form in formset.forms:
            data = getattr(step_form, "cleaned_data", None)
            step = step_form.instance
            if not data or not data.get("DELETE") or step.pk is None:
                continue
            count = OutboundMessage.objects.filter(step_id=step.pk).count()
            if count:
                message = (
                    f"The step '{step.name}' has {count} message{'s' if count != 1 else ''} in its history, so it "
                    "cannot be deleted. To stop it, untick its channels or pause the campaign."
                )
                step_form.add_error(None, message)
                self.add_error(None, message)  # also at the top of the page, where the editor looks first
                refused = True
        return refused


TRANSLATION_PANELS = [
    FieldPanel("language", widget=django_forms.Select(choices=languages.choices())),
    FieldPanel("sms_body"),
    FieldPanel("email_subject"),
    FieldPanel("email_text"),
    FieldPanel("email_html"),
]

STEP_PANELS = [
    FieldRowPanel([FieldPanel("name"), FieldPanel("trigger")]),
    FieldRowPanel([FieldPanel("offset"), FieldPanel("max_lateness")]),
    FieldPanel("outside_window"),
    FieldRowPanel([FieldPanel("send_sms"), FieldPanel("send_email")], heading="Channels"),
    FieldPanel("sms_body"),
    FieldPanel("email_subject"),
    FieldPanel("email_text"),
    FieldPanel("email_html"),
    InlinePanel(
        "translations",
        heading="Translations",
        label="Translation",
        panels=TRANSLATION_PANELS,
        help_text="The templates above are in the clinic's default language (Settings > Clinic). A patient whose "
        "language has no translation here gets them; a translation may cover the text, the email or both, and is "
        "checked by the same rules in its own language (a care text says how to opt out in it, e.g. 'Responda "
        "PARAR para no recibir más').",
    ),
]


class CampaignViewSet(OutreachViewSet):
    model = Campaign
    icon = "calendar-alt"
    menu_label = "Campaigns"
    name = "outreach_campaigns"
    url_prefix = "outreach/campaigns"
    index_view_class = CampaignIndexView
    add_view_class = CampaignCreateView
    edit_view_class = CampaignEditView
    history_view_class = CampaignHistoryView
    copy_view_enabled = False
    list_display = [
        "name",
        Column("purpose", accessor="get_purpose_display", label="Purpose"),
        YesNoColumn("active", label="Sending", yes="Active", no="Paused"),
        Column("step_count", label="Steps"),
        ZonedTimeColumn("plan_from", label="Sends steps due from"),
        Column("missing_translations", accessor="missing_translations_label", label="Missing translations"),
        ZonedTimeColumn("updated_at", label="Updated"),
    ]
    filterset_class = filters.CampaignFilterSet
    search_fields = ["name"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("purpose"), FieldPanel("active")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("quiet_hours_start"), FieldPanel("quiet_hours_end")]),
                FieldRowPanel(
                    [
                        FieldPanel("sms_per_day"),
                        FieldPanel("sms_per_week"),
                        FieldPanel("emails_per_day"),
                        FieldPanel("emails_per_week"),
                    ]
                ),
                FieldPanel("min_days_between"),
            ],
            heading="Sending window and frequency caps",
        ),
        InlinePanel("steps", heading="Steps", label="Step", min_num=1, panels=STEP_PANELS),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=CampaignValidatingForm).bind_to_model(self.model)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("preview/", views.campaign_preview, name="preview"),
            path("<int:pk>/activate/", views.campaign_activate, name="activate"),
            path("<int:pk>/pause/", views.campaign_pause, name="pause"),
            path("test/", views.campaign_send_test, name="send_test"),
        ]


# Contacts


class ContactIndexView(OutreachIndexView):
    def search_queryset(self, queryset):
        """Name, email, or phone however it is typed: '(203) 555-0101' finds +12035550101."""
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        condition = Q()
        for word in query.split():
            condition &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        digits = "".join(ch for ch in query if ch.isdigit())
        if len(digits) >= 4:
            condition |= Q(phone__contains=digits)
        return queryset.filter(condition)


class ContactInspectView(generic.InspectView):
    template_name = "outreach/admin/contact_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contact = self.object
        user = self.request.user
        demo = contacts.demo_mode()
        context.update(
            contact=contact,
            current_consent=contacts.consent_now(contact),
            ledger=contact.consent_records.select_related("recorded_by").order_by("-recorded_at", "-pk"),
            subscriptions=contacts.subscriptions(contact),
            consultations=contact.consultations.order_by("-starts_at")[:50],
            outbox_messages=contact.messages.select_related("step__campaign").order_by("-scheduled_for", "-pk")[:200],
            inbound=contact.inbound_messages.select_related("handled_by").order_by("-received_at")[:50],
            can_record_consent=user.has_perm("outreach.add_consentrecord"),
            record_consent_url=reverse("outreach_contacts:record_consent", args=[contact.pk]),
            language_url=reverse("outreach_contacts:language", args=[contact.pk]),
            demo=demo,
            can_simulate=demo and bool(contact.phone) and user.has_perm("outreach.change_inboundmessage"),
            simulate_url=reverse("outreach_contacts:simulate_reply", args=[contact.pk]),
            sample_replies=contacts.SAMPLE_REPLIES,
            simulate_form=forms.SimulateReplyForm(),
            confirmation_link=contacts.demo_confirmation_link(contact) if demo else None,
        )
        return context


class ContactViewSet(OutreachViewSet):
    model = Contact
    icon = "user"
    menu_label = "Contacts"
    name = "outreach_contacts"
    url_prefix = "outreach/contacts"
    index_view_class = ContactIndexView
    inspect_view_class = ContactInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_fields = ["first_name", "last_name", "email", "phone"]
    list_display = [
        "__str__",
        Column("phone"),
        Column("email"),
        Column("time_zone", label="Time zone"),
        Column("language", label="Language", accessor="language_label"),
        ZonedTimeColumn("created_at", label="Added"),
    ]
    list_export = [
        "id",
        "first_name",
        "last_name",
        "phone",
        "email",
        "time_zone",
        "language",
        "preferred_channels",
        "sms_reachable",
        "created_at",
    ]
    export_headings = utc_headings("created_at", sms_reachable="can receive texts", time_zone="time zone")
    export_filename = "patients"
    form_fields = ["first_name", "last_name"]  # never edited here: the booking system owns patient details

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/consent/", views.contact_record_consent, name="record_consent"),
            path("<int:pk>/language/", views.contact_language, name="language"),
            path("<int:pk>/simulate-reply/", views.contact_simulate_reply, name="simulate_reply"),
        ]


# Consultations


class ConsultationIndexView(BulkActionsIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("contact")
            .annotate(
                reminders_sent=Count("messages", filter=Q(messages__sent_at__isnull=False)),
                reminders_pending=Count("messages", filter=Q(messages__status=MessageStatus.SCHEDULED)),
            )
        )

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("outreach.add_consultation"):
            buttons.append(HeaderButton("Import CSV", url=reverse("outreach_consultations:import"), icon_name="upload"))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("outreach.change_consultation"):
            for key, target in views.actions.STAFF_STATUSES.items():
                if instance.status != target:
                    buttons.append(
                        MenuItem(
                            f"Mark {Consultation.Status(target).label.lower()}",
                            url=reverse("outreach_consultations:set_status", args=[instance.pk, key]),
                            icon_name="date",
                            priority=40,
                        )
                    )
        return buttons


class ConsultationInspectView(generic.InspectView):
    template_name = "outreach/admin/consultation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = self.object
        context.update(
            consultation=consultation,
            reminders=forecasts.for_consultation(consultation),
            can_change=self.request.user.has_perm("outreach.change_consultation"),
            status_actions=[
                (
                    reverse("outreach_consultations:set_status", args=[consultation.pk, key]),
                    f"Mark {Consultation.Status(target).label.lower()}",
                )
                for key, target in views.actions.STAFF_STATUSES.items()
                if consultation.status != target
            ],
        )
        return context


class ConsultationViewSet(OutreachViewSet):
    model = Consultation
    icon = "date"
    menu_label = "Consultations"
    name = "outreach_consultations"
    url_prefix = "outreach/consultations"
    index_view_class = ConsultationIndexView
    inspect_view_class = ConsultationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = filters.ConsultationFilterSet
    search_fields = ["external_id", "contact__first_name", "contact__last_name"]
    list_display = [
        "external_id",
        Column("contact", label="Patient"),
        ZonedTimeColumn("starts_at", label="Starts", whose=PATIENT),
        Column("status", accessor="get_status_display", label="Status"),
        Column("location"),
        Column("reminders_sent", label="Reminders sent"),
        Column("reminders_pending", label="Pending"),
    ]
    list_export = [
        "id",
        "external_id",
        "contact_id",
        "starts_at",
        "status",
        "location",
        "completed_at",
        "reminders_sent",
        "reminders_pending",
    ]
    export_headings = utc_headings(
        "starts_at",
        "completed_at",
        external_id="booking id",
        contact_id="contact id",
        reminders_sent="reminders sent",
        reminders_pending="reminders pending",
    )
    export_filename = "consultations"
    form_fields = ["location"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", views.consultation_import, name="import"),
            path("<int:pk>/status/<str:status>/", views.consultation_set_status, name="set_status"),
        ]


# Outbox


class OutboxIndexView(BulkActionsIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("step__campaign", "contact", "consultation")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("outreach.change_outboundmessage"):
            if instance.status == MessageStatus.FAILED:
                buttons.append(
                    MenuItem(
                        "Retry",
                        url=reverse("outreach_outbox:retry", args=[instance.pk]),
                        icon_name="rotate",
                        priority=5,
                    )
                )
            if instance.status == MessageStatus.SCHEDULED:
                buttons.append(
                    MenuItem(
                        "Cancel",
                        url=reverse("outreach_outbox:cancel", args=[instance.pk]),
                        icon_name="cross",
                        priority=6,
                    )
                )
        return buttons


class OutboxInspectView(generic.InspectView):
    template_name = "outreach/admin/outbox_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        row = self.object
        can_change = self.request.user.has_perm("outreach.change_outboundmessage")
        context.update(
            row=row,
            events=row.events.order_by("received_at", "pk")[:100],
            history=log_registry.get_logs_for_instance(row).select_related("user").order_by("-timestamp")[:20],
            retry_url=reverse("outreach_outbox:retry", args=[row.pk])
            if can_change and row.status == MessageStatus.FAILED
            else None,
            cancel_url=reverse("outreach_outbox:cancel", args=[row.pk])
            if can_change and row.status == MessageStatus.SCHEDULED
            else None,
        )
        return context


def outbox_why(row):
    """The skip reason, else the provider's error, else what deferred or cancelled it."""
    return " ".join(part for part in (row.get_skip_reason_display(), row.error_code, row.error_message) if part)


def excerpt(inbound):
    return inbound.body[:80] + "…" if len(inbound.body) > 80 else inbound.body


OUTBOX_EXPORT = [
    "id",
    "created_at",
    "due_at",
    "scheduled_for",
    "not_after",
    "channel",
    "status",
    "skip_reason",
    "step.campaign.name",
    "step.name",
    "contact_id",
    "consultation.external_id",
    "attempts",
    "provider",
    "provider_message_id",
    "error_code",
    "error_message",
    "sent_at",
    "delivered_at",
    "failed_at",
]


class OutboxViewSet(OutreachViewSet):
    model = OutboundMessage
    icon = "mail"
    menu_label = "Outbox"
    name = "outreach_outbox"
    url_prefix = "outreach/outbox"
    index_view_class = OutboxIndexView
    inspect_view_class = OutboxInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = filters.OutboxFilterSet
    list_display = [
        "__str__",
        StatusTagColumn("status", accessor="get_status_display", label="Status", primary=False),
        Column("channel", accessor="get_channel_display", label="Channel"),
        Column("campaign", accessor="step.campaign.name", label="Campaign"),
        Column("step", accessor="step.name", label="Step"),
        Column("contact", label="Patient"),
        ZonedTimeColumn("scheduled_for", label="Scheduled for", whose=PATIENT),
        Column("why", accessor=outbox_why, label="Why / error"),
    ]
    list_export = OUTBOX_EXPORT
    export_headings = utc_headings(
        "created_at",
        "due_at",
        "scheduled_for",
        "not_after",
        "sent_at",
        "delivered_at",
        "failed_at",
        **{
            "step.campaign.name": "campaign",
            "step.name": "step",
            "consultation.external_id": "consultation",
            "contact_id": "contact id",
        },
    )
    export_filename = "outbox"
    form_fields = ["channel"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/retry/", views.outbox_retry, name="retry"),
            path("<int:pk>/cancel/", views.outbox_cancel, name="cancel"),
        ]


# Consent ledger (read-only; changes are recorded from a contact's page)


class ConsentLedgerIndexView(OutreachIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("contact", "recorded_by")


class ConsentLedgerViewSet(OutreachViewSet):
    model = ConsentRecord
    icon = "tick-inverse"
    menu_label = "Consent ledger"
    name = "outreach_consent"
    url_prefix = "outreach/consent"
    copy_view_enabled = False
    filterset_class = filters.ConsentLedgerFilterSet
    list_display = [
        Column("contact", label="Patient", accessor="contact"),
        Column("channel", accessor="get_channel_display", label="Channel"),
        Column("purpose", label="Purpose"),
        YesNoColumn("granted", label="Consent", yes="Granted", no="Withdrawn"),
        Column("source", accessor="get_source_display", label="Source"),
        Column("reason"),
        Column("recorded_by", label="By"),
        ZonedTimeColumn("recorded_at", label="Recorded"),
    ]
    list_export = [
        "id",
        "recorded_at",
        "contact_id",
        "channel",
        "purpose",
        "granted",
        "source",
        "wording",
        "reason",
        "recorded_by",
    ]
    export_headings = utc_headings("recorded_at", contact_id="contact id", recorded_by="recorded by")
    export_filename = "consent-ledger"
    form_fields = ["reason"]
    index_view_class = ConsentLedgerIndexView


# Inbox


class InboxIndexView(BulkActionsIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("contact", "handled_by")

    def order_queryset(self, queryset):
        if not self.ordering:
            return queryset.inbox()  # open first, urgent (crisis) at the very top, newest first
        return super().order_queryset(queryset)


class InboxInspectView(generic.InspectView):
    template_name = "outreach/admin/inbox_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inbound = self.object
        context.update(
            inbound=inbound,
            can_change=self.request.user.has_perm("outreach.change_inboundmessage"),
            mark_handled_url=reverse("outreach_inbox:mark_handled", args=[inbound.pk]),
            reply_url=reverse("outreach_inbox:reply", args=[inbound.pk]),
            history=log_registry.get_logs_for_instance(inbound).select_related("user").order_by("-timestamp"),
            earlier=InboundMessage.objects.filter(contact=inbound.contact)
            .exclude(pk=inbound.pk)
            .order_by("-received_at")[:10]
            if inbound.contact_id
            else [],
            **views.inbox_reply_context(inbound),
        )
        return context


class InboxViewSet(OutreachViewSet):
    model = InboundMessage
    icon = "mail"
    menu_label = "Inbox"
    name = "outreach_inbox"
    url_prefix = "outreach/inbox"
    index_view_class = InboxIndexView
    inspect_view_class = InboxInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = filters.InboxFilterSet
    list_display = [
        "__str__",
        YesNoColumn("urgent", label="Urgent", yes="Urgent", no="No"),
        Column("kind", accessor="get_kind_display", label="Kind"),
        Column("contact", label="Patient"),
        Column("excerpt", accessor=excerpt, label="Text"),
        ZonedTimeColumn("received_at", label="Received", whose=PATIENT),
        Column("handled_by", label="Handled by"),
        ZonedTimeColumn("handled_at", label="Handled"),
    ]
    # No text and no number: what patients wrote stays on the screen, where access is checked and logged.
    list_export = [
        "id",
        "received_at",
        "kind",
        "keyword",
        "urgent",
        "contact_id",
        "consultation_id",
        "handled_at",
        "handled_by",
    ]
    export_headings = utc_headings(
        "received_at",
        "handled_at",
        contact_id="contact id",
        handled_by="handled by",
        consultation_id="consultation id",
    )
    export_filename = "inbox"
    form_fields = ["kind"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/handled/", views.inbox_mark_handled, name="mark_handled"),
            path("<int:pk>/reply/", views.inbox_reply, name="reply"),
        ]


# Suppressions


class SuppressionIndexView(OutreachIndexView):
    def search_queryset(self, queryset):
        """An address however it is typed: normalised as the add form does, then matched on its keyed hash (the
        address itself is not stored); the masked hint matches too (e.g. the last four digits)."""
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        return queryset.filter(Q(address_hash__in=suppression_digests(query)) | Q(hint__icontains=query))


class SuppressionCreateView(generic.CreateView):
    def save_instance(self):
        instance = self.form.save()
        log(instance=instance, action="wagtail.create", user=self.request.user, content_changed=True)
        return instance


class SuppressionViewSet(OutreachViewSet):
    model = Suppression
    icon = "no-view"
    menu_label = "Suppressions"
    name = "outreach_suppressions"
    url_prefix = "outreach/suppressions"
    index_view_class = SuppressionIndexView
    add_view_class = SuppressionCreateView
    copy_view_enabled = False
    list_display = [
        Column("__str__", label="Address"),
        Column("channel", accessor="get_channel_display", label="Channel"),
        Column("reason", accessor="get_reason_display", label="Reason"),
        ZonedTimeColumn("created_at", label="Since"),
    ]
    list_filter = ["channel", "reason"]
    search_fields = ["hint"]

    def get_form_class(self, for_update=False):
        return SuppressionForm


# API tokens


class TokenIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.active and self.request.user.has_perm("outreach.change_apitoken"):
            buttons.append(
                MenuItem(
                    "Revoke", url=reverse("outreach_tokens:revoke", args=[instance.pk]), icon_name="bin", priority=30
                )
            )
        return buttons


class ApiTokenViewSet(OutreachViewSet):
    model = ApiToken
    icon = "key"
    menu_label = "API tokens"
    name = "outreach_tokens"
    url_prefix = "outreach/tokens"
    index_view_class = TokenIndexView
    copy_view_enabled = False
    add_item_label = "New token"
    list_display = [
        Column("name"),
        Column("booking_system", label="Booking system"),
        Column("prefix", label="Starts with"),
        YesNoColumn("active", label="Status", yes="Active", no="Revoked", sort_key=None),
        ZonedTimeColumn("created_at", label="Created"),
        ZonedTimeColumn("last_used_at", label="Last used"),
        ZonedTimeColumn("revoked_at", label="Revoked"),
    ]
    form_fields = ["name"]

    def get_urlpatterns(self):
        patterns = [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]
        return patterns + [
            path("new/", views.token_create, name="add"),
            path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
        ]


class OutreachViewSetGroup(ModelViewSetGroup):
    menu_label = "Outreach"
    menu_icon = "mail"
    menu_order = 250
    items = (
        CampaignViewSet,
        ContactViewSet,
        ConsultationViewSet,
        AgendaViewSet,
        OutboxViewSet,
        InboxViewSet,
        ConsentLedgerViewSet,
        SuppressionViewSet,
        ApiTokenViewSet,
    )
