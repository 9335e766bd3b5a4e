"""Pages patients reach from a signed link in a message, without logging in: unsubscribe and preferences.

The signed token (outreach.consent.links) is the credential: it names one contact and one link version, cannot be
forged or altered, and stops working when the contact's link version is raised. A bad token gets a plain 400 page.
These pages show nothing about the patient beyond their first name, are never cached, and send no Referer (the token
is in the URL).
"""

import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cms.clinic import get_clinic_settings
from outreach import languages
from outreach.consent import links
from outreach.consent.preferences import apply_choices, choices_for, current, opt_out_everywhere, set_language
from outreach.models import Channel, ConsentRecord

Source = ConsentRecord.Source


def render(request, template, context, status=200, language="en"):
    """The page in the patient's language: `outreach/<name>.<language>.html` when there is one, else the English
    page; `lang` on the page says which."""
    name = template.removesuffix(".html")
    return TemplateResponse(
        request, [f"{name}.{language}.html", template], {**context, "language": language}, status=status
    ).render()


def signed_link_page(view):
    @never_cache
    @functools.wraps(view)
    def wrapper(request, token):
        contact = links.read_token(token)
        clinic = get_clinic_settings()
        if contact is None:
            response = render(request, "outreach/link_invalid.html", {"clinic": clinic}, status=400)
        else:
            response = view(request, contact, clinic)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


# CSRF-exempt only because the signed token authenticates the request: RFC 8058 one-click unsubscribe is a POST
# from the mail provider or client with no cookie and no form, body "List-Unsubscribe=One-Click". GET never
# unsubscribes (link scanners fetch it); it shows a page with a button that POSTs here.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@signed_link_page
def unsubscribe(request, contact, clinic):
    context = {"clinic": clinic, "first_name": contact.first_name, "preferences_url": links.preferences_url(contact)}
    language = languages.of(contact, clinic)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        wording = (
            "One-click unsubscribe (List-Unsubscribe-Post) from an email"
            if one_click
            else 'Unsubscribe page: pressed "Unsubscribe from all emails"'
        )
        opt_out_everywhere(contact, Channel.EMAIL, Source.UNSUBSCRIBE_LINK, wording=wording)
        return render(request, "outreach/unsubscribed.html", context, language=language)
    return render(request, "outreach/unsubscribe.html", context, language=language)


@require_http_methods(["GET", "HEAD", "POST"])
@signed_link_page
def preferences(request, contact, clinic):
    choices = choices_for(contact)
    shown_in = languages.of(contact, clinic)
    language_error = ""
    if request.method == "POST":
        try:
            # Checked first: a refused request writes nothing, neither language nor consent.
            language = languages.normalise(request.POST.get("language", ""))
        except ValidationError as exc:
            language_error = exc.messages[0]
        else:
            wanted = {choice for choice in choices if request.POST.get(choice.field_name) == "on"}
            with transaction.atomic():
                apply_choices(contact, wanted, shown_in)
                set_language(contact, language)
            return redirect(request.path + "?saved=1")
    state = current(contact)
    rows = [{"choice": choice, "label": choice.label_in(shown_in), "checked": state[choice]} for choice in choices]
    language_rows = [{"code": code, "name": name, "checked": code == shown_in} for code, name in languages.choices()]
    return render(
        request,
        "outreach/preferences.html",
        {
            "clinic": clinic,
            "first_name": contact.first_name,
            "rows": rows,
            "language_rows": language_rows if len(language_rows) > 1 else [],
            "language_error": language_error,
            "saved": request.GET.get("saved") == "1",
        },
        status=400 if language_error else 200,
        language=shown_in,
    )
