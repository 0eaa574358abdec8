"""The group listing page, and the agency's public feed of its groups (Meeting Guide JSON)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from peerpath.core.requests import signed_in_staff

from . import listing, queries
from .forms import GroupListingForm

FEED_MAX_AGE = 900  # seconds a finder may keep the feed


@login_required
@require_http_methods(["GET", "POST"])
def group_listing(request: HttpRequest, group_id: int) -> HttpResponse:
    """When and where the group meets, and whether it is in the agency's public feed."""
    user = signed_in_staff(request)
    group = queries.group_for(user, group_id)
    if not listing.may_list(user, group):
        raise PermissionDenied
    current = listing.listing_of(group)
    initial = None
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in GroupListingForm.base_fields
            if hasattr(current, name)
        }
    form = GroupListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = listing.group_listing_save(actor=user, group=group, **form.cleaned_data)
        except listing.ListingRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                _("Saved. The group is in the public feed.")
                if saved.is_published
                else _("Saved. The group is not in the public feed."),
            )
            return redirect("encounters:group_detail", group_id=group.pk)
    organization = user.organization
    return render(
        request,
        "encounters/group_listing.html",
        {
            "group": group,
            "form": form,
            "feed_url": request.build_absolute_uri(
                reverse("encounters:group_feed", args=[organization.slug])
            )
            if organization
            else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def group_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the agency's listed groups as a Meeting Guide feed. No personal data."""
    found = listing.published(slug)
    if found is None:
        raise Http404
    organization, listings = found
    response = JsonResponse(listing.feed(organization, listings), safe=False)
    response["Access-Control-Allow-Origin"] = "*"  # meeting finders read it from their pages
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response
