"""Bulk actions on the Outreach lists, through Wagtail's bulk-action framework (checkboxes, the action bar, a
confirmation page): cancel, complete or mark no-show several consultations; retry or cancel several messages; mark
several replies handled.

Each action applies the same function, rules and audit entry as the single-row action (outreach/admin/actions.py),
row by row, and says how many it changed and why the others were left. "Select all in listing" means the rows the
list shows under its current filters and search, never the whole table.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.admin.views.bulk_action import BulkAction

from outreach.admin import actions, filters
from outreach.admin.wording import plural
from outreach.models import Consultation, InboundMessage, MessageStatus, OutboundMessage


class OutreachBulkAction(BulkAction):
    """One model, one permission, one single-row action applied to each selected row it applies to."""

    template_name = "outreach/admin/bulk_confirm.html"
    permission = None
    filterset_class = None
    noun = ("item", "items")
    question = ""
    not_applicable = ""  # why a selected row is left alone
    refused = ()  # after execution: the single-row actions' messages for rows they refused

    @classmethod
    def get_queryset(cls, model, object_ids):
        # Ids come from the query string: anything but digits selects nothing (never a 500).
        return list(model.objects.filter(pk__in=[pk for pk in object_ids if str(pk).isdigit()]))

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def applies_to(self, obj):
        return True

    def check_perm(self, obj):
        # Wagtail lists rows failing this apart ("items_with_no_access"): here, rows the action does not apply to.
        return self.applies_to(obj)

    def perform(self, obj, user):
        raise NotImplementedError

    def get_all_objects_in_listing_query(self, parent_id):
        """The rows of the list as filtered and searched now (Wagtail's default would be the whole table)."""
        queryset = self.model.objects.all()
        if self.filterset_class is not None:
            filterset = self.filterset_class(self.request.GET, queryset=queryset)
            queryset = filterset.qs if filterset.is_valid() else queryset.none()
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = self.search(queryset, query)
        return queryset.values_list("pk", flat=True)

    def search(self, queryset, query):
        return queryset.none()

    def get_execution_context(self):
        return {"action": self, "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, action=None, user=None, **kwargs):
        outcomes = [action.perform(obj, user) for obj in objects]
        action.changed = sum(1 for outcome in outcomes if outcome.ok)
        action.refused = [outcome.message for outcome in outcomes if not outcome.ok]
        return action.changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = f"{self.display_name}: {plural(num_parent_objects, *self.noun)} done."
        if self.refused:
            message += f" {plural(len(self.refused), *self.noun)} left unchanged: {self.refused[0]}"
        return message

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action=self,
            header_icon="tasks",
            page_title=f"{self.display_name}: {plural(len(context['items']), *self.noun)}",
        )
        return context


class ConsultationStatusBulkAction(OutreachBulkAction):
    models = [Consultation]
    permission = "outreach.change_consultation"
    filterset_class = filters.ConsultationFilterSet
    noun = ("consultation", "consultations")
    status_key = None

    @property
    def target(self):
        return actions.STAFF_STATUSES[self.status_key]

    def applies_to(self, obj):
        return obj.status != self.target

    def perform(self, obj, user):
        return actions.set_consultation_status(obj, self.target, user)

    def search(self, queryset, query):
        return queryset.filter(
            Q(external_id__icontains=query)
            | Q(contact__first_name__icontains=query)
            | Q(contact__last_name__icontains=query)
        )


class CancelConsultations(ConsultationStatusBulkAction):
    display_name = "Mark cancelled"
    action_type = "cancel"
    aria_label = "Mark the selected consultations cancelled"
    status_key = "cancelled"
    action_priority = 10
    question = "Their pending reminders are cancelled."
    not_applicable = "Already cancelled"


class CompleteConsultations(ConsultationStatusBulkAction):
    display_name = "Mark completed"
    action_type = "complete"
    aria_label = "Mark the selected consultations completed"
    status_key = "completed"
    action_priority = 20
    question = "Their pending reminders are cancelled and their follow-ups are planned."
    not_applicable = "Already completed"


class NoShowConsultations(ConsultationStatusBulkAction):
    display_name = "Mark no-show"
    action_type = "no_show"
    aria_label = "Mark the selected consultations no-show"
    status_key = "no_show"
    action_priority = 30
    question = "Their pending reminders are cancelled."
    not_applicable = "Already marked no-show"


class OutboxBulkAction(OutreachBulkAction):
    models = [OutboundMessage]
    permission = "outreach.change_outboundmessage"
    filterset_class = filters.OutboxFilterSet
    noun = ("message", "messages")


class RetryMessages(OutboxBulkAction):
    display_name = "Retry"
    action_type = "retry"
    aria_label = "Retry the selected failed messages"
    action_priority = 10
    question = (
        "They go back in the queue now; every rule (consent, sending window, caps) is checked again, and one past "
        "its latest useful moment is not retried."
    )
    not_applicable = "Not failed"

    def applies_to(self, obj):
        return obj.status == MessageStatus.FAILED

    def perform(self, obj, user):
        return actions.retry_message(obj, user)


class CancelMessages(OutboxBulkAction):
    display_name = "Cancel"
    action_type = "cancel"
    aria_label = "Cancel the selected scheduled messages"
    action_priority = 20
    classes = {"serious"}
    question = "They will not be sent."
    not_applicable = "Not scheduled (already on its way or done)"

    def applies_to(self, obj):
        return obj.status == MessageStatus.SCHEDULED

    def perform(self, obj, user):
        return actions.cancel_message(obj, user)


class MarkRepliesHandled(OutreachBulkAction):
    models = [InboundMessage]
    permission = "outreach.change_inboundmessage"
    filterset_class = filters.InboxFilterSet
    noun = ("reply", "replies")
    display_name = "Mark handled"
    action_type = "mark_handled"
    aria_label = "Mark the selected replies handled"
    action_priority = 10
    question = "Your name and the time are recorded on each. Possible crises are listed: make sure someone called."
    not_applicable = "Already handled"

    def applies_to(self, obj):
        return obj.handled_at is None

    def perform(self, obj, user):
        return actions.mark_handled(obj, user)


BULK_ACTIONS = [
    CancelConsultations,
    CompleteConsultations,
    NoShowConsultations,
    RetryMessages,
    CancelMessages,
    MarkRepliesHandled,
]
