"""Every write about contacts, outreach and groups: keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from peerpath.clients.access import ClientAccess
from peerpath.clients.models import Client
from peerpath.core import audit
from peerpath.core.models import Organization, Staff, Team, TeamMembership

from .models import (
    Addendum,
    Attendance,
    Contact,
    Engagement,
    Group,
    GroupMember,
    GroupSession,
    OutreachAttempt,
)

DRAFT_FIELDS = (
    "occurred_at",
    "minutes",
    "place",
    "services",
    "other_tasks",
    "in_their_words",
    "summary",
)


class StaleVersionError(Exception):
    """Someone saved the note since this copy of it was opened."""

    def __init__(self, current: Contact) -> None:
        super().__init__("The note changed since you opened it.")
        self.current = current


class NoteLockedError(Exception):
    """The note is signed: it cannot change, only be added to."""


class NotAllowedError(Exception):
    """The user may see the note but may not do this with it."""


class IncompleteNoteError(Exception):
    """The note lacks what a signed note needs."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


def _require_write(access: ClientAccess) -> None:
    if not access.can_write:
        raise NotAllowedError("read-only access")


def _check_belongs(access: ClientAccess, contact: Contact) -> None:
    if contact.client_id != access.client.pk:
        raise ValueError("contact belongs to another person")


def _note_last_contact(access: ClientAccess, day: date) -> None:
    """Keep the person's denormalized `last_contact_on` (shown on My day) and reach up to date."""
    _note_reached(access.client.organization_id, [access.client.pk], day)


def missing_for_signing(values: Mapping[str, Any]) -> list[str]:
    missing = []
    if not values.get("place"):
        missing.append("place")
    if not values.get("services") and not values.get("other_tasks"):
        missing.append("services")
    if not (values.get("summary") or "").strip():
        missing.append("summary")
    return missing


def contact_start(
    *, actor: Staff, access: ClientAccess, edit_token: str = "", **fields: Any
) -> Contact:
    """Open a draft note for a contact with this person (the page calls it once text is typed)."""
    _require_write(access)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        contact = Contact.objects.create(
            organization_id=access.client.organization_id,
            client=access.client,
            author=actor,
            edit_token=edit_token,
            **fields,
        )
        audit.record(
            organization=contact.organization_id,
            actor=actor,
            client_id=contact.client_id,
            action="contact.create",
            obj=contact,
        )
    return contact


def _locked_draft(access: ClientAccess, contact: Contact) -> Contact:
    """The draft, locked for this transaction. Anyone on the care team may help write it."""
    _require_write(access)
    _check_belongs(access, contact)
    current = Contact.objects.select_for_update().get(pk=contact.pk)
    if current.deleted_at is not None:
        raise NotAllowedError("note was discarded")
    if current.is_signed:
        raise NoteLockedError
    return current


def _is_stale(current: Contact, expected_version: int, edit_token: str) -> bool:
    if current.version == expected_version:
        return False
    # The same open form saved since (its autosave): its newer text is already in this save.
    return not (edit_token and current.edit_token == edit_token)


def contact_save_draft(
    *,
    actor: Staff,
    access: ClientAccess,
    contact: Contact,
    expected_version: int,
    changes: Mapping[str, Any],
    edit_token: str = "",
    autosave: bool = False,
) -> Contact:
    """Save a draft, refusing a stale save. Audited when something changed."""
    unknown = set(changes) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        current = _locked_draft(access, contact)
        if _is_stale(current, expected_version, edit_token):
            raise StaleVersionError(current)
        changed = [name for name, value in changes.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, changes[name])
        current.updated_at = timezone.now()
        current.edit_token = edit_token
        Contact.objects.filter(pk=current.pk).update(
            version=F("version") + 1,
            updated_at=current.updated_at,
            edit_token=edit_token,
            **{name: changes[name] for name in changed},
        )
        current.version += 1
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="contact.update",
            obj=current,
            details={"fields": changed, "autosave": autosave},
        )
    return current


def contact_sign(
    *,
    actor: Staff,
    access: ClientAccess,
    contact: Contact,
    expected_version: int,
    changes: Mapping[str, Any] | None = None,
    edit_token: str = "",
) -> Contact:
    """Save the last changes and sign: the note is locked and goes to the supervisor."""
    if contact.author_id != actor.pk:
        raise NotAllowedError("only the author signs a note")
    with transaction.atomic():
        current = contact_save_draft(
            actor=actor,
            access=access,
            contact=contact,
            expected_version=expected_version,
            changes=changes or {},
            edit_token=edit_token,
        )
        missing = missing_for_signing({n: getattr(current, n) for n in DRAFT_FIELDS})
        if missing:
            raise IncompleteNoteError(missing)
        current.status = Contact.Status.SIGNED
        current.signed_at = timezone.now()
        current.review = Contact.Review.WAITING
        Contact.objects.filter(pk=current.pk).update(
            status=current.status,
            signed_at=current.signed_at,
            review=current.review,
            version=F("version") + 1,
        )
        current.version += 1
        _note_last_contact(access, timezone.localdate(current.occurred_at))
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="contact.sign",
            obj=current,
        )
    return current


def contact_record(
    *, actor: Staff, access: ClientAccess, sign: bool = False, **fields: Any
) -> Contact:
    """Create a note in one step (the API): a draft, or signed at once."""
    with transaction.atomic():
        contact = contact_start(actor=actor, access=access, **fields)
        if sign:
            contact = contact_sign(
                actor=actor, access=access, contact=contact, expected_version=contact.version
            )
    return contact


def contact_discard(
    *, actor: Staff, access: ClientAccess, contact: Contact, expected_version: int
) -> None:
    """Throw away a draft (kept, hidden: deleting is soft). Only its author may."""
    if contact.author_id != actor.pk:
        raise NotAllowedError("only the author discards a draft")
    with transaction.atomic():
        current = _locked_draft(access, contact)
        if current.version != expected_version:
            raise StaleVersionError(current)
        Contact.objects.filter(pk=current.pk).update(
            deleted_at=timezone.now(), version=F("version") + 1
        )
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="contact.discard",
            obj=current,
        )


def addendum_add(*, actor: Staff, access: ClientAccess, contact: Contact, text: str) -> Addendum:
    """Add to a signed note. The note itself stays as it was signed."""
    _require_write(access)
    _check_belongs(access, contact)
    text = text.strip()
    if not text:
        raise ValueError("empty addendum")
    with transaction.atomic():
        current = Contact.objects.select_for_update().get(pk=contact.pk)
        if not current.is_signed:
            raise NotAllowedError("drafts are edited, not added to")
        addendum = Addendum.objects.create(
            organization_id=current.organization_id, contact=current, author=actor, text=text
        )
        details: dict[str, Any] = {"addendum": addendum.pk}
        if current.review == Contact.Review.RETURNED and actor.pk == current.author_id:
            # The author answered the supervisor: the note goes back for review.
            Contact.objects.filter(pk=current.pk).update(
                review=Contact.Review.WAITING, version=F("version") + 1
            )
            details["resubmitted"] = True
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="contact.addendum",
            obj=current,
            details=details,
        )
    return addendum


def supervises_author(supervisor: Staff, author_id: int) -> bool:
    return TeamMembership.objects.filter(
        staff=supervisor,
        is_supervisor=True,
        team__memberships__staff_id=author_id,
    ).exists()


def next_to_review(supervisor: Staff, after: Contact) -> Contact | None:
    """The next note waiting in the supervisor's queue (the queue's order: oldest signed first)."""
    from .queries import review_waiting

    return review_waiting(supervisor).exclude(pk=after.pk).first()


def contact_review(
    *, actor: Staff, access: ClientAccess, contact: Contact, returned: bool, comment: str
) -> Contact:
    """A supervisor of the author's team marks a signed note reviewed, or returns it."""
    _check_belongs(access, contact)
    comment = comment.strip()
    if returned and not comment:
        raise ValueError("say what to change")
    with transaction.atomic():
        current = Contact.objects.select_for_update().get(pk=contact.pk)
        if actor.pk == current.author_id or not supervises_author(actor, current.author_id):
            raise NotAllowedError("only the author's supervisor reviews a note")
        if current.review != Contact.Review.WAITING:
            raise NotAllowedError("this note is not waiting for review")
        current.review = Contact.Review.RETURNED if returned else Contact.Review.REVIEWED
        current.reviewed_by = actor
        current.reviewed_at = timezone.now()
        current.review_comment = comment
        # A review is a co-signature: keep the exact words attested to, in the reader's language.
        current.review_attestation = "" if returned else actor.organization.attestation()  # type: ignore[union-attr]
        Contact.objects.filter(pk=current.pk).update(
            review=current.review,
            reviewed_by=actor,
            reviewed_at=current.reviewed_at,
            review_comment=comment,
            review_attestation=current.review_attestation,
            version=F("version") + 1,
        )
        current.version += 1
        audit.record(
            organization=current.organization_id,
            actor=actor,
            client_id=current.client_id,
            action="contact.review",
            obj=current,
            details={"decision": current.review},
        )
    return current


def _engagement(access: ClientAccess) -> Engagement:
    engagement, _ = Engagement.objects.select_for_update().get_or_create(
        client=access.client, defaults={"organization_id": access.client.organization_id}
    )
    return engagement


def outreach_record(
    *,
    actor: Staff,
    access: ClientAccess,
    method: str,
    outcome: str,
    attempted_at: datetime | None = None,
    note: str = "",
    next_try_on: date | None = None,
) -> OutreachAttempt:
    """Log an attempt to reach the person; update where engagement stands."""
    _require_write(access)
    if method not in OutreachAttempt.Method.values or outcome not in OutreachAttempt.Outcome.values:
        raise ValueError("unknown method or outcome")
    with transaction.atomic():
        attempt = OutreachAttempt.objects.create(
            organization_id=access.client.organization_id,
            client=access.client,
            staff=actor,
            attempted_at=attempted_at or timezone.now(),
            method=method,
            outcome=outcome,
            note=note,
            next_try_on=next_try_on,
        )
        engagement = _engagement(access)
        if outcome == OutreachAttempt.Outcome.REACHED:
            reached = timezone.localdate(attempt.attempted_at)
            if engagement.last_reached_on is None or engagement.last_reached_on < reached:
                engagement.last_reached_on = reached
            if engagement.status == Engagement.Status.NEW:
                engagement.status = Engagement.Status.ENGAGING
        engagement.next_attempt_on = next_try_on
        engagement.updated_at = timezone.now()
        engagement.save()
        audit.record(
            organization=attempt.organization_id,
            actor=actor,
            client_id=attempt.client_id,
            action="outreach.record",
            obj=attempt,
            details={"outcome": outcome, "engagement": engagement.status},
        )
    return attempt


def engagement_set(*, actor: Staff, access: ClientAccess, status: str) -> Engagement:
    _require_write(access)
    if status not in Engagement.Status.values:
        raise ValueError("unknown status")
    with transaction.atomic():
        engagement = _engagement(access)
        before = engagement.status
        engagement.status = status
        if status == Engagement.Status.CLOSED:
            engagement.next_attempt_on = None
        engagement.updated_at = timezone.now()
        engagement.save()
        audit.record(
            organization=engagement.organization_id,
            actor=actor,
            client_id=access.client.pk,
            action="engagement.update",
            obj=engagement,
            details={"from": before, "to": status},
        )
    return engagement


def group_create(
    *,
    actor: Staff,
    organization: Organization,
    name: str,
    kind: str,
    facilitators: list[Staff],
    team: Team | None = None,
    schedule: str = "",
    location: str = "",
) -> Group:
    if any(f.organization_id != organization.pk for f in facilitators):
        raise ValueError("facilitators must work for the organization")
    with transaction.atomic():
        group = Group.objects.create(
            organization=organization,
            name=name,
            kind=kind,
            team=team,
            schedule=schedule,
            location=location,
        )
        group.facilitators.set(facilitators)
        audit.record(
            organization=organization,
            actor=actor,
            action="group.create",
            obj=group,
            details={"facilitators": [f.pk for f in facilitators]},
        )
    return group


def group_member_add(
    *, actor: Staff, access: ClientAccess, group: Group, joined_on: date | None = None
) -> GroupMember:
    _require_write(access)
    if group.organization_id != access.client.organization_id:
        raise ValueError("group of another organization")
    with transaction.atomic():
        member, created = GroupMember.objects.get_or_create(
            group=group,
            client=access.client,
            left_on=None,
            defaults={
                "organization_id": group.organization_id,
                "joined_on": joined_on or timezone.localdate(),
            },
        )
        if created:
            audit.record(
                organization=group.organization_id,
                actor=actor,
                client_id=access.client.pk,
                action="group.member_add",
                obj=member,
                details={"group": group.pk},
            )
    return member


def _note_reached(organization_id: int, client_ids: list[int], day: date) -> None:
    """Seeing a person (a signed contact, a group they came to) counts as reaching them."""
    if not client_ids:
        return
    Client.objects.filter(pk__in=client_ids).filter(
        Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=day)
    ).update(last_contact_on=day)
    existing = set(
        Engagement.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True)
    )
    Engagement.objects.bulk_create(
        Engagement(organization_id=organization_id, client_id=client_id)
        for client_id in client_ids
        if client_id not in existing
    )
    engagement = Engagement.objects.filter(client_id__in=client_ids)
    engagement.filter(Q(last_reached_on__isnull=True) | Q(last_reached_on__lt=day)).update(
        last_reached_on=day, updated_at=timezone.now()
    )
    engagement.filter(status=Engagement.Status.NEW).update(status=Engagement.Status.ENGAGING)


def group_session_record(
    *,
    actor: Staff,
    group: Group,
    held_on: date,
    topic: str,
    note: str,
    attendance: Mapping[int, str],
    roster_ids: set[int],
    walk_in_ids: set[int] = frozenset(),  # type: ignore[assignment]
    guests: int = 0,
) -> GroupSession:
    """Record a session and the whole room's attendance at once.

    `roster_ids` are the members the caller may record (read through the gate): every one of
    them must be marked. `walk_in_ids` are people (also read through the gate) who came without
    being members; they are recorded as present. `guests` counts people the agency does not
    serve. Anyone else in `attendance` is refused, and nothing is written.
    """
    if not group.facilitators.filter(pk=actor.pk).exists():
        raise NotAllowedError("only a facilitator records a session")
    strangers = set(attendance) - roster_ids
    if strangers:
        raise NotAllowedError("attendance for people not in this group")
    if set(roster_ids) - set(attendance):
        raise ValueError("every member must be marked")
    if any(status not in Attendance.Status.values for status in attendance.values()):
        raise ValueError("unknown attendance status")
    if not 0 <= guests <= 500:
        raise ValueError("guests out of range")
    marks = {**attendance, **{cid: Attendance.Status.PRESENT for cid in walk_in_ids}}
    if not marks and not guests:
        raise ValueError("nobody recorded")
    with transaction.atomic():
        session = GroupSession.objects.create(
            organization_id=group.organization_id,
            group=group,
            held_on=held_on,
            topic=topic,
            note=note,
            recorded_by=actor,
            guests=guests,
        )
        Attendance.objects.bulk_create(
            Attendance(
                organization_id=group.organization_id,
                session=session,
                client_id=client_id,
                status=status,
                walk_in=client_id in walk_in_ids,
            )
            for client_id, status in marks.items()
        )
        came = sorted(cid for cid, status in marks.items() if status == Attendance.Status.PRESENT)
        _note_reached(group.organization_id, came, held_on)
        audit.record(
            organization=group.organization_id,
            actor=actor,
            action="group.session_record",
            obj=session,
            details={
                "group": group.pk,
                "people": len(marks),
                "walk_ins": sorted(walk_in_ids),
                "guests": guests,
            },
        )
        audit.record_many(
            organization=group.organization_id,
            actor=actor,
            entries=[
                audit.Entry(
                    action="group.attendance",
                    client_id=client_id,
                    obj=session,
                    details={"status": status},
                )
                for client_id, status in sorted(marks.items())
            ],
        )
    return session
