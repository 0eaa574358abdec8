from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import actions
from .forms import SignInForm, TokenForm
from .requests import signed_in_staff as _user


class SignInView(auth_views.LoginView):
    template_name = "core/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        actions.staff_signed_in(staff=form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    pass


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Check the TOTP code; a staff member without a device sets one up first."""
    user = _user(request)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(
            user=user, confirmed=False
        ).first() or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Too many tries. Wait a minute, then enter a new code."))
        elif device.verify_token(form.cleaned_data["token"].strip()):
            if enrolling:
                actions.two_factor_enrolled(staff=user, device=device)
            otp_login(request, device)
            return redirect(_safe_next(request))
        else:
            form.add_error(
                "token", _("That code did not match. Check the time on your phone and try again.")
            )
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode()
        context["qr_svg"] = _qr_svg(device.config_url)
    return render(request, "core/two_factor.html", context)


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


# Files every page needs; if the static storage cannot serve them, every page fails.
PAGE_ASSETS = ("peerpath/peerpath.css", "vendor/uswds/css/uswds.min.css", "vendor/htmx/htmx.min.js")


def _static_problem() -> str | None:
    """Why pages cannot get their static files (not collected, or missing), or None."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    for name in PAGE_ASSETS:
        try:
            url = staticfiles_storage.url(name)
        except ValueError:
            return f"static file {name} is not collected (run collectstatic)"
        hashed = getattr(staticfiles_storage, "stored_name", None)
        if hashed is not None:
            if not staticfiles_storage.exists(hashed(name)):
                return f"static file {name} is missing from STATIC_ROOT"
        elif not finders.find(name):
            return f"static file {name} is missing ({url})"
    return None


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    problem = _static_problem()
    if problem:
        return JsonResponse({"status": "error", "problem": problem}, status=503)
    return JsonResponse({"status": "ok"})
