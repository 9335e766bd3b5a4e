"""Medical review: an approval in the "Medical review" workflow is the record of who reviewed a page and when.

Wagtail keeps each approval as a TaskState: the task, the revision approved, `finished_by` (the reviewer's account)
and `finished_at`. Whenever a page with MedicalReviewMixin is published, its `medical_reviewer` and `last_reviewed`
are set from its latest approval, so the content API's reviewer and last-reviewed fields say who approved it and on
which day (the clinic's calendar), never what someone typed (the editor shows both fields read-only). The reviewer is
the Person linked to the approving account (Person.user); an approver without one gets a Person made from their
account's name, which an administrator can complete (credentials, photo) in People. A publish that bypassed review
keeps the last approval's values: that is when the page was last reviewed. A page never approved in the workflow
(seeded or imported content) keeps what it has.

Translations: a page in a language other than the default never goes live without an approval of its own (the
English original's does not count), whoever publishes it and however (`guard_translation_going_live`); its reviewer
and date come from that approval, and a copy made for translation starts with neither (``exclude_fields_in_copy``).
"""

from django.core.exceptions import PermissionDenied
from wagtail.models import TaskState, WorkflowState

from cms.clinic import get_clinic_settings


def latest_approval(page):
    """The page's most recent approved review task, or None."""
    return (
        TaskState.objects.filter(
            workflow_state__in=WorkflowState.objects.for_instance(page), status=TaskState.STATUS_APPROVED
        )
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


def reviewer_for(user):
    """The Person shown as reviewer for a staff account: the one linked to it, else one made from its name."""
    from cms.models import Person

    person = Person.objects.filter(user=user).first()
    if person is None:
        name = user.get_full_name().strip() or user.get_username()
        person = Person.objects.create(name=name, user=user)
    return person


def review_fields(page):
    """{'medical_reviewer': Person | None, 'last_reviewed': date} from the latest approval, or {} without one."""
    approval = latest_approval(page)
    if approval is None or approval.finished_at is None:
        return {}
    fields = {"last_reviewed": approval.finished_at.astimezone(get_clinic_settings().tzinfo).date()}
    if approval.finished_by is not None:
        fields["medical_reviewer"] = reviewer_for(approval.finished_by)
    return fields


def record_review_on_publish(sender, instance, revision=None, **kwargs):
    """page_published: the live page (and the revision it came from) carry its latest approval."""
    from cms.models.mixins import MedicalReviewMixin

    page = instance.specific if hasattr(instance, "specific") else instance
    if not isinstance(page, MedicalReviewMixin):
        return
    fields = review_fields(page)
    if not fields:
        return
    changed = [name for name, value in fields.items() if getattr(page, name) != value]
    if changed:
        for name in changed:
            setattr(page, name, fields[name])
        # A plain save (not a new revision): post_save bumps the API's cache version.
        page.save(update_fields=changed, clean=False)
    if revision is not None:
        # The next draft starts from the published revision: keep it true too, or a later edit would carry old values.
        content = dict(revision.content)
        content["last_reviewed"] = fields["last_reviewed"].isoformat()
        if "medical_reviewer" in fields:
            content["medical_reviewer"] = fields["medical_reviewer"].pk
        if content != revision.content:
            revision.content = content
            revision.save(update_fields=["content"])


class UnreviewedTranslationError(PermissionDenied):
    """A page in a language other than the default tried to go live without its own medical-review approval."""


def approval_covers(page, revision):
    """True when an approval of ``page`` in the workflow covers ``revision``: it was the revision submitted, or one
    saved while that review was open (the reviewer approved what they saw), up to the moment of approval."""
    if revision is None:
        return False
    return TaskState.objects.filter(
        workflow_state__in=WorkflowState.objects.for_instance(page),
        status=TaskState.STATUS_APPROVED,
        revision__created_at__lte=revision.created_at,
        finished_at__gte=revision.created_at,
    ).exists()


def guard_translation_going_live(page, update_fields=None):
    """Called by every page save (BasePage.save): a page in another language than the default goes live, or changes
    its live revision, only with an approval of its own (``approval_covers``). Every way of publishing (the editor's
    Publish, workflow approval, scheduled publishing, bulk publish, code) ends in that save, so none goes around it;
    the source page's approval never counts for its translation.
    """
    from wagtail.models import Locale, Page

    if not page.live:
        return
    if update_fields is not None and not {"live", "live_revision", "live_revision_id"} & set(update_fields):
        return
    default = Locale.get_default()
    if page.locale_id in (None, default.pk):
        return
    if page.pk is not None:
        before = Page.objects.filter(pk=page.pk).values_list("live", "live_revision_id").first()
        if before == (True, page.live_revision_id):
            return  # already live with this revision: a save that publishes nothing new
    if not approval_covers(page, page.live_revision):
        raise UnreviewedTranslationError(
            f'"{page.title}" ({page.locale.get_display_name()}) needs its own approval in the Medical review '
            "workflow before it is published: submit it for review."
        )


def approve_through_review(page, submitted_by=None, approved_by=None):
    """Submit the page's latest revision to its workflow and approve it, as an editor and a clinical reviewer do in
    the admin; the approval publishes it. For the demo seed and tests: the same path, not a shortcut around it."""
    page = page.specific
    workflow = page.get_workflow()
    if workflow is None:
        raise ValueError(f"{page} is under no workflow")
    state = workflow.start(page, submitted_by)
    task_state = state.current_task_state.specific
    task_state.task.specific.on_action(task_state, approved_by, "approve")
    return type(page).objects.get(pk=page.pk)
