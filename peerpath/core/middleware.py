"""Request context for the audit trail, session limits and the two-factor requirement."""

from __future__ import annotations

import ipaddress
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from . import audit
from .audit import request_context

Handler = Callable[[HttpRequest], HttpResponse]
SESSION_STARTED_KEY = "peerpath_signed_in_at"


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as the audit trail and sign-in lockout count it.

    Behind your proxies (`BEHIND_HTTPS_PROXY`), each one appends the address it saw to
    X-Forwarded-For, so the client is the entry TRUSTED_PROXY_COUNT from the right: everything
    to its left was written by the client and is not believed.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if not getattr(settings, "BEHIND_HTTPS_PROXY", False):
        return remote
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 1)
    if len(entries) < count:
        return remote
    return _address(entries[-count]) or remote


class RequestContextMiddleware:
    """Give each request an id (echoed in X-Request-ID) that its audit events carry."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        with request_context(request_id, client_ip(request), request), audit.looks() as seen:
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and response.status_code == 200:
                _record_unrecorded_looks(request, *seen)
        response["X-Request-ID"] = request_id
        return response


def _record_unrecorded_looks(
    request: HttpRequest, opened: dict[int, tuple[int, str]], recorded: set[int]
) -> None:
    """A page or API answer that showed a record the view did not audit is recorded here, so
    no look goes unrecorded (a form page, an editor, a list of one person's things)."""
    actor = getattr(request, "user", None)
    for client_id, (organization_id, purpose) in opened.items():
        if client_id in recorded:
            continue
        audit.record(
            organization=organization_id,
            actor=actor if actor is not None and actor.is_authenticated else None,  # type: ignore[arg-type]
            client_id=client_id,
            action="client.page_view",
            purpose=purpose,
            details={"path": request.path[:200]},
        )


SESSION_RENEWED_KEY = "peerpath_renewed_at"


def start_session_clocks(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """At sign-in (Django's `user_logged_in`): when the session began and was last renewed, saved
    with the new session, so the first page view after signing in writes nothing either."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_RENEWED_KEY] = now


class SessionLimitsMiddleware:
    """End a session 12 hours (SESSION_MAX_HOURS) after sign-in, however active it was, and
    renew the idle limit (SESSION_IDLE_MINUTES) as the person works, once a minute at most."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("Your session ended. Please sign in again."))
                return redirect(settings.LOGIN_URL)
            renewed = float(request.session.get(SESSION_RENEWED_KEY, 0))
            # At most once a minute (SESSION_RENEW_SECONDS): a page view does not write the
            # session row each time; the idle limit is then within a minute of its setting.
            if now - renewed >= settings.SESSION_RENEW_SECONDS:
                request.session[SESSION_RENEWED_KEY] = now  # saved: the idle limit starts again
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Signed-in staff must pass a TOTP check before anything else when REQUIRE_2FA is on, and
    site operators (who may use the admin site) always."""

    allowed_prefixes = ("/account/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            # Site operators always sign in with two steps; other staff when REQUIRE_2FA is on.
            (settings.REQUIRE_2FA or getattr(user, "is_superuser", False))
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(self.allowed_prefixes)
        ):
            if request.path.startswith("/api/"):
                return HttpResponse(status=401)
            return redirect(
                f"{reverse('core:two_factor')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in person sees is kept by the browser or a proxy (pages and API alike)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
