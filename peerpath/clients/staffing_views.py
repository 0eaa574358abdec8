"""Ending a staff member's work (in the agency area): the hand-off list, then the end."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from peerpath.core.agency import AgencyError
from peerpath.core.agency_views import _own, agency_admin_required
from peerpath.core.forms import UswdsFormMixin
from peerpath.core.models import Staff
from peerpath.core.requests import signed_in_staff as _user

from . import staffing
from .intake_forms import StaffChoiceField, serving_staff


class EndWorkForm(UswdsFormMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Hand-off note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown on each person's record with the hand-off."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "End this person's work now: they are signed out and cannot sign in again."
        )
    )

    def __init__(
        self, *args: Any, staff: Staff, entries: list[staffing.CaseloadEntry], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = serving_staff(staff.organization_id).exclude(pk=staff.pk)
        for entry in entries:
            if entry.restricted:
                continue
            # Someone served by this staff member alone must be handed to someone: nobody else
            # would be on their care team.
            alone = entry.others == 0
            field = StaffChoiceField(
                label=entry.client.display_name,
                queryset=choices,
                required=alone,
                empty_label=_("- Choose -")
                if alone
                else _("No one: the rest of the care team carries on"),
                help_text=_("No one else is on their care team.") if alone else "",
            )
            field.widget.attrs["class"] = "usa-select"
            self.fields[f"to_{entry.member.pk}"] = field

    def successors(self) -> dict[int, Staff | None]:
        return {
            int(name.removeprefix("to_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("to_")
        }


@agency_admin_required
@require_http_methods(["GET", "POST"])
def staff_end_work(request: HttpRequest, staff_id: int) -> HttpResponse:
    user = _user(request)
    staff = _own(Staff, request, staff_id)
    if not staff.is_active:
        messages.info(request, _("%(name)s no longer works here.") % {"name": staff.full_name})
        return redirect("agency:staff_member", staff_id=staff.pk)
    entries = staffing.caseload_to_hand_off(staff)
    form = EndWorkForm(
        request.POST if request.method == "POST" else None, staff=staff, entries=entries
    )
    if request.method == "POST" and form.is_valid():
        try:
            staffing.staff_end_work(
                actor=user,
                staff=staff,
                successors=form.successors(),
                note=form.cleaned_data["note"],
            )
        except AgencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(name)s's work here ended. Everything they wrote is kept.")
                % {"name": staff.full_name},
            )
            return redirect("agency:staff_member", staff_id=staff.pk)
    if request.method == "GET":
        staffing.audit_hand_off_list(user, staff, entries)
    return render(
        request,
        "clients/staffing/end_work.html",
        {
            "staff": staff,
            "form": form,
            "entries": entries,
            "restricted": sum(1 for e in entries if e.restricted),
        },
    )
