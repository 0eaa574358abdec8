"""Peers' certifications and continuing education: the renewal rule of each certification, the
hours toward it, reminders as expiry nears (90, 60 and 30 days), and the certificate file, given
only to the peer, their supervisor and those who run the agency, each download audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.clients.intake_forms import SCAN_MAX_BYTES, SCAN_TYPES
from peerpath.core import agency, audit
from peerpath.core.models import Staff

from .models import Certification, ContinuingEducation
from .strategies import PlanRefused
from .support import PEER_ROLES

REMINDER_DAYS = (90, 60, 30)
CERT_FIELDS = (
    "kind",
    "name",
    "body",
    "number",
    "issued_on",
    "expires_on",
    "ce_hours",
    "ce_years",
    "ethics_hours",
)


def file_kind(data: bytes, size: int) -> str:
    """The content type of a certificate file, from its first bytes (not its name)."""
    if size > SCAN_MAX_BYTES:
        raise PlanRefused(_("The file is larger than 10 MB."), field="file")
    for magic, kind in SCAN_TYPES.items():
        if data.startswith(magic):
            return kind
    raise PlanRefused(_("Attach the certificate as a PDF, PNG or JPEG file."), field="file")


def _own(actor: Staff) -> int:
    if actor.role not in PEER_ROLES or actor.organization_id is None:
        raise PermissionError("certifications are a peer's own to record")
    return actor.organization_id


def certification_add(*, actor: Staff, data: dict[str, Any], upload: Any = None) -> Certification:
    organization_id = _own(actor)
    if data["kind"] == Certification.Kind.OTHER and not str(data.get("name", "")).strip():
        raise PlanRefused(_("Name the certification."), field="name")
    if data.get("expires_on") and data["expires_on"] < data["issued_on"]:
        raise PlanRefused(_("It expires before it was issued."), field="expires_on")
    if data["ethics_hours"] > data["ce_hours"]:
        raise PlanRefused(_("The ethics hours are part of the hours."), field="ethics_hours")
    content, kind, name = None, "", ""
    if upload is not None:
        content = upload.read()
        kind = file_kind(content, upload.size)
        name = str(upload.name or "certificate")[-200:]
    with transaction.atomic():
        cert = Certification.objects.create(
            organization_id=organization_id,
            staff=actor,
            file=content,
            file_type=kind,
            file_name=name,
            **{k: data.get(k) for k in CERT_FIELDS if k not in ("name", "number")},
            name=str(data.get("name") or "").strip(),
            number=str(data.get("number") or "").strip(),
        )
        audit.record(
            organization=organization_id, actor=actor, action="certification.add", obj=cert
        )
    return cert


def activity_add(
    *, actor: Staff, certification: Certification, data: dict[str, Any]
) -> ContinuingEducation:
    organization_id = _own(actor)
    if certification.staff_id != actor.pk:
        raise PermissionError("another peer's certification")
    if data["ethics_hours"] > data["hours"]:
        raise PlanRefused(_("The ethics hours are part of the hours."), field="ethics_hours")
    if data["on"] > timezone.localdate():
        raise PlanRefused(_("The training is in the future."), field="on")
    with transaction.atomic():
        activity = ContinuingEducation.objects.create(
            organization_id=organization_id,
            staff=actor,
            certification=certification,
            title=data["title"].strip(),
            provider=data.get("provider", "").strip(),
            on=data["on"],
            hours=data["hours"],
            ethics_hours=data["ethics_hours"],
        )
        audit.record(
            organization=organization_id,
            actor=actor,
            action="continuing_education.add",
            obj=activity,
            details={"hours": str(data["hours"])},
        )
    return activity


# Reading -------------------------------------------------------------------------------------


def may_see(user: Staff, peer: Staff) -> bool:
    """The peer, their supervisor, and those who run their agency."""
    if user.organization_id is None or user.organization_id != peer.organization_id:
        return False
    return user.pk == peer.pk or peer.supervisor_id == user.pk or agency.may_run_agency(user)


@dataclass
class Progress:
    certification: Certification
    hours: Decimal
    ethics: Decimal
    days_left: int | None

    @property
    def percent(self) -> int:
        need = self.certification.ce_hours
        return 100 if not need else min(100, int(100 * self.hours / need))

    @property
    def expired(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def reminder(self) -> int | None:
        """The reminder step reached (90, 60 or 30 days before expiry), or None."""
        if self.days_left is None or self.days_left < 0:
            return None
        reached = [d for d in REMINDER_DAYS if self.days_left <= d]
        return min(reached) if reached else None

    @property
    def hours_left(self) -> Decimal:
        return max(Decimal(0), Decimal(self.certification.ce_hours) - self.hours)

    @property
    def ethics_left(self) -> Decimal:
        return max(Decimal(0), Decimal(self.certification.ethics_hours) - self.ethics)


def window_start(cert: Certification) -> date | None:
    """The first day whose training counts toward the next renewal."""
    if cert.expires_on is None:
        return None
    try:
        return cert.expires_on.replace(year=cert.expires_on.year - cert.ce_years)
    except ValueError:  # 29 February
        return cert.expires_on.replace(year=cert.expires_on.year - cert.ce_years, day=28)


def progress_of(certs: list[Certification], today: date) -> list[Progress]:
    """Each certification's hours toward renewal (in its window), in one query."""
    if not certs:
        return []
    condition = Q()
    for cert in certs:
        start = window_start(cert)
        part = Q(certification=cert)
        if start is not None:
            part &= Q(on__gt=start, on__lte=cert.expires_on)
        condition |= part
    sums = {
        row["certification_id"]: (row["h"] or Decimal(0), row["e"] or Decimal(0))
        for row in ContinuingEducation.objects.filter(condition)
        .values("certification_id")
        .annotate(h=Sum("hours"), e=Sum("ethics_hours"))
        .order_by()
    }
    return [
        Progress(
            cert,
            *sums.get(cert.pk, (Decimal(0), Decimal(0))),
            (cert.expires_on - today).days if cert.expires_on else None,
        )
        for cert in certs
    ]


def certifications_of(peer: Staff) -> list[Certification]:
    return list(Certification.objects.filter(staff=peer).defer("file")[:50])


def activities_of(peer: Staff) -> list[ContinuingEducation]:
    return list(ContinuingEducation.objects.filter(staff=peer).select_related("certification")[:50])


def certification_of(actor: Staff, certification_id: Any) -> Certification:
    found = (
        Certification.objects.filter(pk=certification_id, staff=actor).defer("file").first()
        if str(certification_id).isdigit()
        else None
    )
    if found is None:
        raise PlanRefused(_("Choose one of your certifications."), field="certification")
    return found


def for_peers(peers: list[Staff], today: date) -> list[Progress]:
    """The certifications of the peers a supervisor or manager follows, soonest expiry first."""
    certs = list(
        Certification.objects.filter(staff__in=peers)
        .select_related("staff")
        .defer("file")
        .order_by("expires_on", "id")[:500]
    )
    return progress_of(certs, today)


def due_soon(peers: list[Staff], today: date) -> list[Progress]:
    """Certifications expired or expiring within 90 days (My day's reminders)."""
    return [p for p in for_peers(peers, today) if p.expired or p.reminder is not None]


def file_for(user: Staff, certification_id: int) -> Certification:
    """The certificate file, for the peer, their supervisor or those who run the agency; each
    download audited. Anyone else (or a certification with no file): not found."""
    cert = (
        Certification.objects.filter(pk=certification_id, organization_id=user.organization_id or 0)
        .select_related("staff")
        .first()
    )
    if cert is None or not cert.file or not may_see(user, cert.staff):
        raise Http404
    audit.record(
        organization=cert.organization_id, actor=user, action="certification.file", obj=cert
    )
    return cert


# Curricula a peer is trained to deliver -------------------------------------------------------

# The kind of group (encounters.Group.Kind) each curriculum leads.
GROUP_CURRICULUM = {"wham": "wham", "imr": "imr", "wrap": "wrap"}


def curriculum_add(*, actor: Staff, data: dict[str, Any]) -> Any:
    from .models import TrainedCurriculum

    organization_id = _own(actor)
    if (
        data["curriculum"] == TrainedCurriculum.Curriculum.OTHER
        and not (data.get("name") or "").strip()
    ):
        raise PlanRefused(_("Name the curriculum."), field="name")
    if data["trained_on"] > timezone.localdate():
        raise PlanRefused(_("The training is in the future."), field="trained_on")
    with transaction.atomic():
        found = TrainedCurriculum.objects.create(
            organization_id=organization_id,
            staff=actor,
            curriculum=data["curriculum"],
            name=(data.get("name") or "").strip(),
            trained_on=data["trained_on"],
            trained_by=(data.get("trained_by") or "").strip(),
        )
        audit.record(organization=organization_id, actor=actor, action="curriculum.add", obj=found)
    return found


def curricula_of(peer: Staff) -> list[Any]:
    from .models import TrainedCurriculum

    return list(TrainedCurriculum.objects.filter(staff=peer)[:50])


def trained_for(organization_id: int, curricula: tuple[str, ...]) -> dict[str, list[Staff]]:
    """Active staff of the agency trained to deliver each curriculum, by name (one query)."""
    from .models import TrainedCurriculum

    found: dict[str, list[Staff]] = {key: [] for key in curricula}
    rows = (
        TrainedCurriculum.objects.filter(
            organization_id=organization_id, curriculum__in=curricula, staff__is_active=True
        )
        .select_related("staff")
        .order_by("staff__full_name", "staff_id")[:300]
    )
    for row in rows:
        if all(s.pk != row.staff_id for s in found[row.curriculum]):
            found[row.curriculum].append(row.staff)
    return found
