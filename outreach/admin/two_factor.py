"""Two-factor authentication for staff who can see patient data: django-otp's TOTP devices (authenticator apps).

Whoever holds a permission on a table of patient data (contacts, visits, consent, messages both ways, delivery
reports, suppressions) or on the API tokens that write it, and every superuser, must enrol a device and enter its
code after each login before any other admin page opens. The rule is the permissions, so a group granted patient
screens later needs 2FA at once, with no list to keep in step. Staff who enrolled a device are always asked for it.
ADMIN_2FA_REQUIRED switches it on (always in production).

django-otp does the cryptography, the devices, their throttling of wrong codes and the session's verified state
(OTPMiddleware). wagtail-2fa, the Wagtail wrapper, does not load on Wagtail 8 (it imports wagtail.users.widgets,
removed in Wagtail 7), so the two admin pages and the redirect below are ours: enrol (QR code and key, confirmed by
a first code) and verify. A lost phone: `python manage.py reset_two_factor USERNAME`.
"""

import io
from functools import partial

import django_otp
from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.functional import LazyObject, SimpleLazyObject, empty
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp.forms import OTPTokenForm
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

PATIENT_DATA_MODELS = frozenset(
    {
        "contact",
        "consultation",
        "consentrecord",
        "outboundmessage",
        "inboundmessage",
        "deliveryevent",
        "suppression",
        "apitoken",
    }
)
# Pages an unverified user may open: the two steps themselves, and leaving.
OPEN_URL_NAMES = frozenset({"two_factor_setup", "two_factor_verify", "wagtailadmin_login", "wagtailadmin_logout"})


def sees_patient_data(user):
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    for permission in user.get_all_permissions():
        app_label, _, codename = permission.partition(".")
        if app_label == "outreach" and codename.partition("_")[2] in PATIENT_DATA_MODELS:
            return True
    return False


def must_verify(user):
    return sees_patient_data(user) or django_otp.user_has_device(user, confirmed=True)


def concrete_user(user):
    """The user object itself. OTPMiddleware wraps Django's lazy request.user in a second lazy object whose value is
    the first one, and Wagtail's audit log looks one level deep for the model of a logged instance (so
    `log(instance=request.user)` found no log model and silently logged nothing)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class PatientDataTwoFactorMiddleware:
    """After django_otp's OTPMiddleware: an admin page for a user who must verify and has not, this session, is a
    redirect to enrolling a device (none yet) or to entering its code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(partial(concrete_user, request.user))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.ADMIN_2FA_REQUIRED or not request.path.startswith("/admin/"):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified() or not must_verify(user):
            return None
        if getattr(request.resolver_match, "url_name", None) in OPEN_URL_NAMES:
            return None
        step = "two_factor_verify" if django_otp.user_has_device(user, confirmed=True) else "two_factor_setup"
        return HttpResponseRedirect(f"{reverse(step)}?next={request.get_full_path()}")


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or reverse("wagtailadmin_home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return reverse("wagtailadmin_home")
    return target


class FirstCodeForm(forms.Form):
    token = forms.CharField(
        label="Code from the app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        if not self.device.verify_token(self.cleaned_data["token"].strip()):
            raise forms.ValidationError("That code is not right (or has expired): enter the current one.")
        return self.cleaned_data["token"]


def setup(request):
    """Enrol an authenticator app: a QR code (and its key, to type in), confirmed by a first code."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("wagtailadmin_login"))
    if django_otp.user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return HttpResponseRedirect(reverse("two_factor_verify"))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name="Authenticator app", confirmed=False
    )
    form = FirstCodeForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        django_otp.login(request, device)
        return HttpResponseRedirect(_next(request))
    svg = io.BytesIO()
    write_qrcode_image(device.config_url, svg)
    context = {
        "form": form,
        "qr_svg": mark_safe(svg.getvalue().decode()),  # noqa: S308 - an SVG the qrcode library drew from our own URL
        "key": device.key,
        "next": _next(request),
    }
    return render(request, "outreach/admin/two_factor_setup.html", context)


def verify(request):
    """Enter the current code from the enrolled app (once per login)."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("wagtailadmin_login"))
    form = OTPTokenForm(request.user, request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, request.user.otp_device)
        return HttpResponseRedirect(_next(request))
    return render(request, "outreach/admin/two_factor_verify.html", {"form": form, "next": _next(request)})


def admin_urls():
    return [
        path("two-factor/setup/", setup, name="two_factor_setup"),
        path("two-factor/verify/", verify, name="two_factor_verify"),
    ]
