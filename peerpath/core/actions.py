"""Writes about staff and sign-in, each audited in its own transaction."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import Staff


def staff_signed_in(*, staff: Staff) -> None:
    if staff.organization_id is None:
        return
    audit.record(organization=staff.organization_id, actor=staff, action="staff.sign_in", obj=staff)


def two_factor_enrolled(*, staff: Staff, device: TOTPDevice) -> None:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        if staff.organization_id is not None:
            audit.record(
                organization=staff.organization_id,
                actor=staff,
                action="staff.two_factor_enroll",
                obj=staff,
            )
