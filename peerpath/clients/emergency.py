"""Emergency ("break the glass") access: opening a record one may not otherwise see, in a crisis.

The staff member names the person (family name and date of birth, optionally the record number),
their affiliation and the nature of the emergency. They may then read the record for the minutes
the organization's policy allows (default EMERGENCY_ACCESS_MINUTES = 60). The privacy officer is
told at once, in PeerPath and by email, and reviews every access afterwards.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from peerpath.core import audit
from peerpath.core.models import Role, Staff

from .models import Client, EmergencyAccess, Notification, PrivacyPolicy

logger = logging.getLogger(__name__)


class EmergencyAccessRefused(Exception):
    pass


class OnOwnCaseloadError(EmergencyAccessRefused):
    """Break-glass is for records one cannot open otherwise, never for one's own caseload."""


def _privacy_officers(organization_id: int) -> list[Staff]:
    return list(
        Staff.objects.filter(
            organization_id=organization_id, role=Role.PRIVACY_OFFICER, is_active=True
        )
    )


def emergency_access_start(
    *,
    actor: Staff,
    client: Client,
    affiliation: str,
    nature_of_emergency: str,
    email: bool = True,
) -> EmergencyAccess:
    """Open the record for a limited time, record the 42 CFR 2.51 facts and notify privacy."""
    if not nature_of_emergency.strip():
        raise EmergencyAccessRefused("Describe the emergency.")
    if not affiliation.strip():
        raise EmergencyAccessRefused("Give your affiliation.")
    if client.organization_id != actor.organization_id or client.staff_account_id == actor.pk:
        raise EmergencyAccessRefused("This record cannot be opened.")
    from .access import caseload

    if caseload(actor).filter(pk=client.pk).exists():
        raise OnOwnCaseloadError("You are on this person's care team: open the record.")
    policy = PrivacyPolicy.for_organization(client.organization_id)
    now = timezone.now()
    officers = _privacy_officers(client.organization_id)
    with transaction.atomic():
        grant = EmergencyAccess.objects.create(
            organization_id=client.organization_id,
            client=client,
            staff=actor,
            affiliation=affiliation.strip(),
            nature_of_emergency=nature_of_emergency.strip(),
            started_at=now,
            expires_at=now + timedelta(minutes=policy.emergency_access_minutes),
        )
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="emergency_access.start",
            obj=grant,
            purpose="emergency",
            details={
                "affiliation": grant.affiliation,
                "nature_of_emergency": grant.nature_of_emergency,
                "expires_at": grant.expires_at,
            },
        )
        review_url = reverse("clients:emergency_review", args=[client.pk, grant.pk])
        for officer in officers:
            with translation.override(officer.language or "en"):
                message = _(
                    "%(staff)s used emergency access to record number %(number)s. Please review it."
                ) % {"staff": actor.full_name, "number": client.pk}
            Notification.objects.create(
                organization_id=client.organization_id,
                recipient=officer,
                message=message[:300],
                url=review_url,
            )
        if email:
            transaction.on_commit(lambda: _email_officers(officers, actor, grant, review_url))
    return grant


def _email_officers(
    officers: list[Staff], actor: Staff, grant: EmergencyAccess, review_url: str
) -> None:
    # The email names no client: only the record number and a link that asks for sign-in.
    link = settings.SITE_URL.rstrip("/") + review_url if settings.SITE_URL else review_url
    for officer in officers:
        with translation.override(officer.language or "en"):
            subject = _("Emergency access to a record needs your review")
            body = _(
                "%(staff)s (%(affiliation)s) used emergency access to record number %(number)s "
                "at %(when)s. The access ends at %(until)s.\n\nReview it here: %(link)s"
            ) % {
                "staff": actor.full_name,
                "affiliation": grant.affiliation,
                "number": grant.client_id,
                "when": date_format(timezone.localtime(grant.started_at), "DATETIME_FORMAT"),
                "until": time_format(timezone.localtime(grant.expires_at), "TIME_FORMAT"),
                "link": link,
            }
        try:
            send_mail(subject, body, None, [officer.email], fail_silently=False)
        except Exception:
            # The access is already open and the in-app notice saved; a mail outage must not
            # turn an emergency into an error page.
            logger.exception(
                "Could not email the privacy officer about emergency access %s", grant.pk
            )


def emergency_access_review(
    *, actor: Staff, grant: EmergencyAccess, justified: bool, note: str
) -> EmergencyAccess:
    """The privacy officer marks an emergency access justified or not. Reviewed once."""
    if actor.role != Role.PRIVACY_OFFICER or actor.organization_id != grant.organization_id:
        raise PermissionError("Only the privacy officer reviews emergency access.")
    with transaction.atomic():
        current = EmergencyAccess.objects.select_for_update().get(pk=grant.pk)
        if current.review != EmergencyAccess.Review.PENDING:
            raise ValueError("This emergency access was already reviewed.")
        current.review = (
            EmergencyAccess.Review.JUSTIFIED if justified else EmergencyAccess.Review.NOT_JUSTIFIED
        )
        current.reviewed_by = actor
        current.reviewed_at = timezone.now()
        current.review_note = note
        current.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
        if current.is_active and not justified:
            # Not justified while still open: close it now.
            EmergencyAccess.objects.filter(pk=current.pk).update(
                expires_at=max(current.reviewed_at, current.started_at + timedelta(microseconds=1))
            )
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="emergency_access.review",
            obj=current,
            details={"justified": justified, "note": note[:300], "staff": current.staff_id},
        )
        Notification.objects.filter(
            recipient=actor,
            url=reverse("clients:emergency_review", args=[current.client_id, current.pk]),
            read_at__isnull=True,
        ).update(read_at=timezone.now())
    return current
