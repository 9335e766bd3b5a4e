"""Custom admin views: the actions on engine records, the campaign preview and test send, CSV import, tokens.

Each view checks its permission itself (require_perms / check_campaign_access), whatever menu showed the link.
State changes are POST only; a GET shows a confirmation page.
"""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from outreach.admin import actions, campaign_changes, contacts, preview
from outreach.admin.audit import audit
from outreach.admin.forms import (
    ConsentChangeForm,
    ContactLanguageForm,
    ImportForm,
    ReplyForm,
    SendTestForm,
    SimulateReplyForm,
    TokenForm,
)
from outreach.admin.permissions import allowed_purposes, check_campaign_access, require_perms
from outreach.admin.sends import reply_refusal, reply_to_inbound, send_test
from outreach.admin.times import clinic_zone
from outreach.intake.csv_import import MAX_FILE_BYTES, UnreadableFile, decode, import_rows
from outreach.models import (
    ApiToken,
    Campaign,
    Channel,
    Consultation,
    Contact,
    InboundMessage,
    OutboundMessage,
)


def _confirm(request, *, title, message, action_url, button, cancel_url, serious=False, icon="help"):
    return TemplateResponse(
        request,
        "outreach/admin/confirm.html",
        {
            "page_title": title,
            "header_icon": icon,
            "message": message,
            "action_url": action_url,
            "button": button,
            "cancel_url": cancel_url,
            "serious": serious,
        },
    )


def _report(request, outcome):
    (messages.success if outcome.ok else messages.error)(request, outcome.message)


# Campaigns


def campaign_set_active(request, pk, active):
    campaign = get_object_or_404(Campaign, pk=pk)
    check_campaign_access(request.user, campaign, "change")
    index_url = reverse("outreach_campaigns:index")
    if active:
        return campaign_activate_with_impact(request, campaign, index_url)
    if request.method != "POST":
        return _confirm(
            request,
            title=f"Pause '{campaign}'",
            message="Nothing more is sent for it: messages already planned are cancelled, and those still useful "
            "come back if it is activated again.",
            action_url=request.path,
            button="Pause",
            cancel_url=index_url,
            icon="calendar-alt",
        )
    _report(request, actions.set_campaign_active(campaign, False, request.user))
    return redirect(request.POST.get("next") or index_url)


def campaign_activate_with_impact(request, campaign, index_url):
    """Activating says who would be messaged in the next days and asks about steps that already fell due (never
    sent unless chosen: outreach/admin/campaign_changes.py)."""
    now = timezone.now()
    if request.method == "POST":
        choice = request.POST.get(campaign_changes.CHOICE_FIELD, campaign_changes.SKIP_OVERDUE)
        if choice not in (campaign_changes.SKIP_OVERDUE, campaign_changes.SEND_OVERDUE):
            messages.error(request, "Choose whether to send the steps that already fell due.")
            return redirect(request.path)
        _report(
            request,
            actions.set_campaign_active(
                campaign, True, request.user, plan_from=campaign_changes.plan_from_for(choice, now)
            ),
        )
        return redirect(request.POST.get("next") or index_url)

    def activate():
        campaign.active = True
        campaign.save(update_fields=["active", "updated_at"])
        return campaign

    impact = campaign_changes.impact_of(activate, campaign_id=campaign.pk, now=now) if not campaign.active else None
    campaign.refresh_from_db()
    if impact is None:
        messages.error(request, f"'{campaign}' is already active.")
        return redirect(index_url)
    change = campaign_changes.context(impact, clinic_zone(request))
    change.update(
        heading=f"Activate '{campaign}'?",
        lead="Once active:",
        button="Activate",
    )
    return TemplateResponse(
        request,
        "outreach/admin/campaign_activate.html",
        {
            "page_title": f"Activate '{campaign}'",
            "header_icon": "calendar-alt",
            "change": change,
            "action_url": request.path,
            "cancel_url": index_url,
        },
    )


def campaign_activate(request, pk):
    return campaign_set_active(request, pk, True)


def campaign_pause(request, pk):
    return campaign_set_active(request, pk, False)


def editor_step(request):
    """The step as the editor holds it now: the POSTed fields, in the campaign the editor is open on (its
    `campaign` field, checked for access) or in a new one (the user must be allowed to create one), with the purpose
    the form holds, which must be one the user may manage (marketing editors: education; missing: theirs)."""
    campaign_id = str(request.POST.get("campaign", "")).strip()
    campaign = None
    if campaign_id:
        if not campaign_id.isdigit():
            raise PermissionDenied
        campaign = get_object_or_404(Campaign, pk=int(campaign_id))
        check_campaign_access(request.user, campaign, "change")
    elif not request.user.has_perm("outreach.add_campaign"):
        raise PermissionDenied
    allowed = allowed_purposes(request.user)
    data = request.POST.copy()
    data["purpose"] = data.get("purpose") or (campaign.purpose if campaign else allowed[0])
    if data["purpose"] not in allowed:
        raise PermissionDenied
    return preview.step_from_data(data, campaign=campaign)


@require_POST
def campaign_preview(request):
    """The live preview's endpoint: the step fields as the editor holds them now -> the rendered messages."""
    return JsonResponse(preview.preview(editor_step(request)))


@require_POST
def campaign_send_test(request):
    """ "Send a test" in the campaign editor: the step exactly as the form holds it now, unsaved edits included, to
    the staff member's own address. Nothing is saved. JSON in reply: {ok, message, errors}."""
    step = editor_step(request)
    form = SendTestForm(request.POST, user=request.user)
    if not form.is_valid():
        errors = {field: [str(error) for error in errors] for field, errors in form.errors.items()}
        return JsonResponse({"ok": False, "message": "Check the test's details.", "errors": errors}, status=400)
    channel = form.cleaned_data["channel"]
    if channel not in step.channels:
        message = f"This step does not send by {Channel(channel).label}: tick it first, or choose the other channel."
        return JsonResponse({"ok": False, "message": message, "errors": {}}, status=400)
    problems = preview.preview(step)["errors"]
    if problems:
        return JsonResponse(
            {"ok": False, "message": "Fix the step's errors shown in the preview first.", "errors": problems},
            status=400,
        )
    outcome = send_test(step, channel, form.address, request.user)
    if outcome.blocked:  # the gate refused the address: say so on the field
        field = "phone" if channel == Channel.SMS else "channel"
        return JsonResponse({"ok": False, "message": outcome.message, "errors": {field: [outcome.message]}}, status=400)
    return JsonResponse({"ok": outcome.ok, "message": outcome.message, "errors": {}}, status=200 if outcome.ok else 502)


# Contacts


@require_perms("outreach.view_contact", "outreach.add_consentrecord")
def contact_record_consent(request, pk):
    contact = get_object_or_404(Contact, pk=pk)
    detail_url = reverse("outreach_contacts:inspect", args=[contact.pk])
    form = ConsentChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_staff_consent(contact, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, "Consent change recorded in the ledger.")
            return redirect(detail_url)
    return TemplateResponse(
        request,
        "outreach/admin/record_consent.html",
        {
            "page_title": f"Record a consent change for {contact}",
            "header_icon": "tick-inverse",
            "contact": contact,
            "form": form,
            "cancel_url": detail_url,
        },
    )


# Staff who record a patient's consent change at their request may record the language they asked for too.
@require_perms("outreach.view_contact", "outreach.add_consentrecord")
def contact_language(request, pk):
    contact = get_object_or_404(Contact, pk=pk)
    detail_url = reverse("outreach_contacts:inspect", args=[contact.pk])
    form = ContactLanguageForm(request.POST or None, initial={"language": contact.language})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        if language != contact.language:
            with transaction.atomic():
                previous = contact.language
                contact.language = language
                contact.save(update_fields=["language", "updated_at"])
                audit(contact, "outreach.contact.language", request.user, previous=previous, language=language)
        messages.success(request, f"Language of messages: {contact.language_label}.")
        return redirect(detail_url)
    return TemplateResponse(
        request,
        "outreach/admin/contact_language.html",
        {
            "page_title": f"Language of {contact}'s messages",
            "header_icon": "globe",
            "contact": contact,
            "form": form,
            "cancel_url": detail_url,
        },
    )


@require_POST
@require_perms("outreach.view_contact", "outreach.change_inboundmessage")
def contact_simulate_reply(request, pk):
    """Demo only: a text from this patient's phone, through the same code path as a real Twilio inbound."""
    if not contacts.demo_mode():
        raise Http404("Simulated replies exist only in the demo (console providers).")
    contact = get_object_or_404(Contact, pk=pk)
    detail_url = reverse("outreach_contacts:inspect", args=[contact.pk])
    form = SimulateReplyForm(request.POST)
    if not contact.phone:
        messages.error(request, "This patient has no phone number to text from.")
        return redirect(detail_url)
    if not form.is_valid():
        messages.error(request, "Type the patient's text (at most 320 characters).")
        return redirect(detail_url)
    inbound, reply = contacts.simulate_reply(contact, form.cleaned_data["body"], request.user)
    answer = f" The clinic's automatic answer: “{reply}”" if reply else " No automatic answer."
    messages.success(request, f"Received from {contact} as “{inbound.get_kind_display()}”.{answer}")
    return redirect(reverse("outreach_inbox:inspect", args=[inbound.pk]))


# Consultations


@require_perms("outreach.change_consultation")
def consultation_set_status(request, pk, status):
    if status not in actions.STAFF_STATUSES:
        raise PermissionDenied
    consultation = get_object_or_404(Consultation, pk=pk)
    target = actions.STAFF_STATUSES[status]
    detail_url = reverse("outreach_consultations:inspect", args=[consultation.pk])
    if request.method != "POST":
        return _confirm(
            request,
            title=f"Mark {consultation} {Consultation.Status(target).label.lower()}",
            message="Its pending reminders are cancelled (completed visits get their follow-ups).",
            action_url=request.path,
            button=f"Mark {Consultation.Status(target).label.lower()}",
            cancel_url=detail_url,
            icon="date",
        )
    _report(request, actions.set_consultation_status(consultation, target, request.user))
    return redirect(request.POST.get("next") or detail_url)


@require_perms("outreach.add_consultation", "outreach.change_consultation")
def consultation_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            file_error = f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB."
        else:
            dry_run = form.cleaned_data["dry_run"]
            try:
                # The whole file is decoded before any row is imported: unreadable is all-or-nothing.
                text = decode(upload.read())
                report = import_rows(io.StringIO(text, newline=""), dry_run=dry_run)
            except UnreadableFile as exc:
                file_error = f"The file could not be read: {exc}."
            else:
                if not dry_run:
                    audit(request.user, "outreach.consultation.import", request.user, summary=report.summary())
                (messages.warning if report.rejected else messages.success)(
                    request, ("Checked: " if dry_run else "Imported: ") + report.summary()
                )
    return TemplateResponse(
        request,
        "outreach/admin/import.html",
        {
            "page_title": "Import consultations",
            "header_icon": "upload",
            "form": form,
            "report": report,
            "file_error": file_error,
            "index_url": reverse("outreach_consultations:index"),
        },
    )


# Outbox


def _outbox_action(request, pk, *, perform, title, message, button):
    if not request.user.has_perm("outreach.change_outboundmessage"):
        raise PermissionDenied
    row = get_object_or_404(OutboundMessage, pk=pk)
    detail_url = reverse("outreach_outbox:inspect", args=[row.pk])
    if request.method != "POST":
        return _confirm(
            request, title=title, message=message, action_url=request.path, button=button, cancel_url=detail_url
        )
    _report(request, perform(row, request.user))
    return redirect(request.POST.get("next") or detail_url)


def outbox_retry(request, pk):
    return _outbox_action(
        request,
        pk,
        perform=actions.retry_message,
        title=f"Retry message {pk}",
        message="It goes back in the queue to be sent now; every rule (consent, quiet hours, caps) is checked again.",
        button="Retry now",
    )


def outbox_cancel(request, pk):
    return _outbox_action(
        request,
        pk,
        perform=actions.cancel_message,
        title=f"Cancel message {pk}",
        message="It will not be sent.",
        button="Cancel the message",
    )


# Inbox


@require_POST
@require_perms("outreach.change_inboundmessage")
def inbox_mark_handled(request, pk):
    inbound = get_object_or_404(InboundMessage, pk=pk)
    _report(request, actions.mark_handled(inbound, request.user))
    return redirect(request.POST.get("next") or reverse("outreach_inbox:index"))


@require_POST
@require_perms("outreach.change_inboundmessage")
def inbox_reply(request, pk):
    inbound = get_object_or_404(InboundMessage.objects.select_related("contact"), pk=pk)
    form = ReplyForm(request.POST)
    detail_url = reverse("outreach_inbox:inspect", args=[inbound.pk])
    if not form.is_valid():
        messages.error(request, "Write the answer first (at most 640 characters).")
        return redirect(detail_url)
    outcome = reply_to_inbound(inbound, form.cleaned_data["body"], request.user)
    _report(request, outcome)
    if outcome.ok and request.POST.get("mark_handled"):
        actions.mark_handled(inbound, request.user)
    return redirect(detail_url)


# API tokens


@require_perms("outreach.add_apitoken")
def token_create(request):
    """Issue a token and show it once: the page is rendered, not redirected to, so the raw value is never stored,
    not even in the session."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = ApiToken.issue(form.cleaned_data["name"], form.cleaned_data["booking_system"])
        audit(token, "outreach.token.issue", request.user, prefix=token.prefix)
        response = TemplateResponse(
            request,
            "outreach/admin/token_created.html",
            {
                "page_title": f"API token '{token.name}'",
                "header_icon": "key",
                "token": token,
                "raw": raw,
                "index_url": reverse("outreach_tokens:index"),
            },
        )
        response["Cache-Control"] = "no-store"
        return response
    return TemplateResponse(
        request,
        "outreach/admin/token_form.html",
        {
            "page_title": "New API token",
            "header_icon": "key",
            "form": form,
            "cancel_url": reverse("outreach_tokens:index"),
        },
    )


@require_perms("outreach.change_apitoken")
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    index_url = reverse("outreach_tokens:index")
    if request.method != "POST":
        return _confirm(
            request,
            title=f"Revoke '{token}'",
            message="Requests with this token are refused from now on. This cannot be undone.",
            action_url=request.path,
            button="Revoke",
            cancel_url=index_url,
            serious=True,
            icon="key",
        )
    if token.active:
        token.revoke()
        audit(token, "outreach.token.revoke", request.user, prefix=token.prefix)
        messages.success(request, f"'{token}' revoked.")
    else:
        messages.error(request, f"'{token}' was already revoked.")
    return redirect(index_url)


# Reply-form context for the inbox detail (kept here beside the view that handles it).
def inbox_reply_context(inbound):
    return {"reply_form": ReplyForm(), "reply_refusal": reply_refusal(inbound)}
