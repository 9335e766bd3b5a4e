"""Listing columns of the Outreach admin."""

from wagtail.admin.ui.tables import Column
from wagtail.coreutils import multigetattr

from outreach.admin.times import CLINIC, PATIENT, clinic_zone, zoned


class ZonedTimeColumn(Column):
    """A date and time in its stated zone (outreach.admin.times): the patient's for `whose=PATIENT` (the contact
    found at `contact`, a dotted path on the row), else the clinic's. Replaces Wagtail's DateColumn, which shows the
    admin's zone unlabelled and a future time as "Just now". Sortable by the field."""

    cell_template_name = "outreach/admin/tables/zoned_time_cell.html"

    def __init__(self, name, *, whose=CLINIC, contact="contact", **kwargs):
        kwargs.setdefault("sort_key", name)
        super().__init__(name, **kwargs)
        self.whose = whose
        self.contact_path = contact

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        contact = multigetattr(instance, self.contact_path) if self.whose == PATIENT else None
        context["time"] = zoned(
            context["value"],
            contact=contact,
            whose=self.whose,
            clinic=clinic_zone(parent_context.get("request")),
        )
        return context


class YesNoColumn(Column):
    """A yes/no field in words ("Active" / "Paused"), not Wagtail's tick icon titled "True" or "False"."""

    cell_template_name = "outreach/admin/tables/yes_no_cell.html"

    def __init__(self, name, *, yes="Yes", no="No", **kwargs):
        kwargs.setdefault("sort_key", name)
        super().__init__(name, **kwargs)
        self.yes, self.no = yes, no

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["text"] = self.yes if context["value"] else self.no
        return context
