"""The admin site is for site operators only: a separate flag and two-step sign-in.

It is reached by staff marked as site operators (`is_superuser`) who passed the two-step check
in this session, signs in through PeerPath's own (audited) sign-in page, and holds no records of
people served and no audit details.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class OperatorAdminSite(admin.AdminSite):
    site_header = "PeerPath administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and getattr(user, "is_superuser", False)
            and getattr(user, "is_verified", lambda: False)()
        )

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Sign in through PeerPath's own page (audited, locked out after failures)."""
        target = request.GET.get("next") or reverse("admin:index")
        if request.user.is_authenticated:
            # Signed in, but not a verified site operator: nothing here for them.
            return redirect("/")
        return redirect(f"{reverse('core:login')}?{urlencode({'next': target})}")


class PeerPathAdminConfig(AdminConfig):
    default_site = "peerpath.core.admin_site.OperatorAdminSite"


class ReadOnlyAdmin(admin.ModelAdmin):
    """What operators may look at and never change (an agency's own data, reached from PeerPath's
    pages, with their checks and their audit trail)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
