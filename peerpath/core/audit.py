"""The audit trail: writing events into each organization's keyed hash chain, and proving it.

Each event's hash is an HMAC-SHA256, with the audit key (`AUDIT_KEY` / `AUDIT_KEY_FILE`, kept
outside the database), over its fields and the hash of the event before it in its chain. Without
the key nobody can rewrite a row and recompute the rest. A checkpoint (each chain's newest event,
signed) kept outside the database also proves that no events were removed from the end of a chain
and that no organization's trail vanished.

An organization's trail is written in `AUDIT_LANES` chains ("lanes"): a staff member's events go
to lane (their id modulo the number of lanes), events without a staff member to lane 0. Appending
locks only that lane's chain, for the rest of the writing transaction, so one agency's audited
requests do not all queue on one lock. Each lane is verified as a chain of its own, in one pass
over the organization's events in id order.

Rotating the key: put the new key first and keep the old one (`AUDIT_PREVIOUS_KEYS`, or later
lines of `AUDIT_KEY_FILE`). New events start a segment signed with the new key; its first event
names the old segment's last hash, so the chain stays one chain.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent, Organization, Staff

GENESIS = "0" * 64


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None
    request: Any = None  # the request itself, so a change made anywhere can name who made it


_context: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "peerpath_request_context",
    default=RequestContext(),  # noqa: B039 (frozen)
)


@contextmanager
def request_context(request_id: str, ip_address: str | None, request: Any = None) -> Iterator[None]:
    """Set where the current events come from (done once per request by middleware)."""
    token = _context.set(
        RequestContext(request_id=request_id, ip_address=ip_address, request=request)
    )
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> RequestContext:
    return _context.get()


# What the gate opened during the current request (client id -> purpose), and which people the
# request's events were about: a look nobody recorded is recorded when the response goes out.
_opened: contextvars.ContextVar[dict[int, tuple[int, str]] | None] = contextvars.ContextVar(
    "peerpath_opened_records", default=None
)
_recorded: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "peerpath_recorded_clients", default=None
)


@contextmanager
def looks() -> Iterator[tuple[dict[int, tuple[int, str]], set[int]]]:
    """Collect, for one request, the records opened (id -> organization, purpose) and the
    people its events were about."""
    opened: dict[int, tuple[int, str]] = {}
    recorded: set[int] = set()
    tokens = (_opened.set(opened), _recorded.set(recorded))
    try:
        yield opened, recorded
    finally:
        _opened.reset(tokens[0])
        _recorded.reset(tokens[1])


def opened(client_id: int, organization_id: int, purpose: str) -> None:
    """The gate opened this record for the current request, for this purpose."""
    registry = _opened.get()
    if registry is not None:
        registry.setdefault(client_id, (organization_id, purpose))


def current_actor() -> Staff | None:
    """The signed-in staff member of the current request, if any."""
    user = getattr(current_context().request, "user", None)
    return user if isinstance(user, Staff) and user.is_authenticated else None


def key_id(key: str) -> str:
    """A short public name for a key (never the key itself)."""
    return hashlib.sha256(f"peerpath-audit-key:{key}".encode()).hexdigest()[:12]


def keys() -> dict[str, str]:
    """Every configured audit key by its id; the current one first."""
    return {key_id(key): key for key in settings.AUDIT_KEYS}


def current_key() -> tuple[str, str]:
    key = settings.AUDIT_KEYS[0]
    return key_id(key), key


def _canonical(event: AuditEvent) -> bytes:
    """The bytes a row's hash covers: every field but the hash itself, in a fixed form."""
    payload = {
        "organization": event.organization_id,
        "actor": event.actor_id,
        "client": event.client_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "purpose": event.purpose,
        "request_id": event.request_id,
        "ip": event.ip_address,
        "at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "details": event.details,
        "previous": event.previous_hash,
    }
    if event.key_id:
        payload["key"] = event.key_id
    if event.lane:  # lane 0 hashes as rows did before there were lanes
        payload["lane"] = event.lane
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
    ).encode()


class UnknownKeyError(LookupError):
    """The row was signed with a key this server is not configured with."""


def compute_hash(event: AuditEvent) -> str:
    if not event.key_id:  # written before the chain was keyed
        return hashlib.sha256(_canonical(event)).hexdigest()
    key = keys().get(event.key_id)
    if key is None:
        raise UnknownKeyError(event.key_id)
    return hmac.new(key.encode(), _canonical(event), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One event of several written together by `record_many`."""

    action: str
    client_id: int | None = None
    obj: Any = None
    purpose: str = ""
    details: dict[str, Any] | None = None


def _purpose_for(client_id: int | None, purpose: str) -> str:
    """An event about a record the gate opened in this request takes that opening's purpose;
    and the request notes that it recorded a look at the person."""
    if client_id is None:
        return purpose
    if not purpose:
        purpose = (_opened.get() or {}).get(client_id, (0, ""))[1]
    recorded = _recorded.get()
    if recorded is not None:
        recorded.add(client_id)
    return purpose


def lane_for(actor_id: int | None) -> int:
    """The chain a staff member's events are written in (0 for events without one)."""
    return actor_id % settings.AUDIT_LANES if actor_id else 0


# Advisory lock keys of the audit chains: (this namespace, organization id * 256 + lane).
_LOCK_NAMESPACE = 0x5050_4155  # "PPAU"


def _tail(org_id: int, lane: int) -> str:
    """Lock one of the organization's chains (PostgreSQL; SQLite has one writer at a time) until
    the transaction ends, and read the hash of its newest event."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s::int4, %s::int4)",
                [_LOCK_NAMESPACE, (org_id * 256 + lane) % 2**31],
            )
    previous = (
        AuditEvent.objects.filter(organization_id=org_id, lane=lane)
        .order_by("-id")
        .values_list("hash", flat=True)
        .first()
    )
    return previous or GENESIS


def _event(org_id: int, actor: Staff | None, entry: Entry, previous: str, lane: int) -> AuditEvent:
    context = current_context()
    event = AuditEvent(
        organization_id=org_id,
        lane=lane,
        actor=actor,
        client_id=entry.client_id,
        action=entry.action,
        object_type=type(entry.obj).__name__ if entry.obj is not None else "",
        object_id=str(entry.obj.pk) if entry.obj is not None else "",
        purpose=_purpose_for(entry.client_id, entry.purpose),
        request_id=context.request_id,
        ip_address=context.ip_address,
        created_at=timezone.now(),
        details=json.loads(json.dumps(entry.details or {}, cls=DjangoJSONEncoder)),
        previous_hash=previous,
        key_id=current_key()[0],
    )
    event.hash = compute_hash(event)
    return event


def record(
    *,
    organization: Organization | int,
    action: str,
    actor: Staff | None = None,
    client_id: int | None = None,
    obj: Any = None,
    purpose: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the organization's chain, inside the caller's transaction.

    An event about a record the gate opened in this request takes that opening's purpose
    ("treatment", or "emergency" under break-the-glass access) unless it names its own.
    """
    org_id = organization if isinstance(organization, int) else organization.pk
    entry = Entry(action=action, client_id=client_id, obj=obj, purpose=purpose, details=details)
    lane = lane_for(actor.pk if actor is not None else None)
    with transaction.atomic():
        event = _event(org_id, actor, entry, _tail(org_id, lane), lane)
        event.save(force_insert=True)
    return event


def record_many(
    *, organization: Organization | int, actor: Staff | None, entries: list[Entry]
) -> list[AuditEvent]:
    """Append several events (one per person a page showed or a form marked) in one insert,
    each chained to the one before it: the same trail as one `record` each, in a few queries
    however many there are."""
    if not entries:
        return []
    org_id = organization if isinstance(organization, int) else organization.pk
    lane = lane_for(actor.pk if actor is not None else None)
    with transaction.atomic():
        previous = _tail(org_id, lane)
        events = []
        for entry in entries:
            event = _event(org_id, actor, entry, previous, lane)
            previous = event.hash
            events.append(event)
        return AuditEvent.objects.bulk_create(events)


@dataclass(frozen=True)
class VerifyResult:
    organization_id: int
    checked: int
    broken_event_id: int | None = None
    problem: str = ""
    head_id: int | None = None  # the newest event checked
    head_hash: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_event_id is None


def _problem_with(event: AuditEvent, previous: str, previous_id: int | None, keyed: bool) -> str:
    """What is wrong with this event, given the one before it in its chain ("" if nothing)."""
    if event.previous_hash != previous:
        if previous_id is None:
            return "does not start the chain: events before it were removed"
        return (
            f"does not follow event {previous_id}: events between {previous_id} and "
            f"{event.pk} were removed, or one was inserted"
        )
    if keyed and not event.key_id:
        return "has no key although the events before it do: it was forged"
    try:
        expected = compute_hash(event)
    except UnknownKeyError:
        return f"is signed with a key this server does not have (key {event.key_id})"
    if not hmac.compare_digest(expected, event.hash):
        return "was changed after it was written"
    return ""


def verify_organization(
    organization_id: int,
    *,
    batch_size: int = 5000,
    progress: Any = None,
    every: int = 100_000,
) -> VerifyResult:
    """Walk one organization's chains in order; report the first row that does not fit.

    Events stream in id order (a server-side cursor on PostgreSQL, `batch_size` rows at a
    time), each checked against the event before it in its own lane, so memory stays the same
    however long the trail is; `progress(organization_id, checked)` is called every `every`
    events. The head reported is the newest event of the whole trail.
    """
    # lane -> (hash of its newest event, that event's id, whether its chain is keyed yet)
    lanes: dict[int, tuple[str, int | None, bool]] = {}
    checked = 0
    head_id: int | None = None
    head_hash = GENESIS
    events = AuditEvent.objects.filter(organization_id=organization_id).order_by("id")
    for event in events.iterator(chunk_size=batch_size):
        previous, previous_id, keyed = lanes.get(event.lane, (GENESIS, None, False))
        problem = _problem_with(event, previous, previous_id, keyed)
        if problem:
            if event.lane:
                problem = f"{problem} (lane {event.lane})"
            return VerifyResult(organization_id, checked, event.pk, problem, head_id, head_hash)
        lanes[event.lane] = (event.hash, event.pk, keyed or bool(event.key_id))
        head_id, head_hash = event.pk, event.hash
        checked += 1
        if progress is not None and checked % every == 0:
            progress(organization_id, checked)
    return VerifyResult(organization_id, checked, head_id=head_id, head_hash=head_hash)


def organizations_with_events() -> list[int]:
    """Ids of organizations that have an audit trail, without reading the events themselves."""
    from django.db.models import Exists, OuterRef

    has_events = AuditEvent.objects.filter(organization_id=OuterRef("pk"))
    return list(
        Organization.objects.filter(Exists(has_events)).order_by("pk").values_list("pk", flat=True)
    )


def verify_all(progress: Any = None) -> list[VerifyResult]:
    return [
        verify_organization(org_id, progress=progress) for org_id in organizations_with_events()
    ]


# -- Checkpoints: each chain's head, signed, kept outside the database --------------------------


def _signature(entry: dict[str, Any], key: str) -> str:
    body = {k: v for k, v in entry.items() if k != "signature"}
    payload = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key.encode(), payload, hashlib.sha256).hexdigest()


def checkpoint() -> list[dict[str, Any]]:
    """Each organization's newest event (id, hash, time, how many up to it in all its lanes),
    signed with the audit key."""
    kid, key = current_key()
    written = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    entries = []
    for org_id in organizations_with_events():
        chain = AuditEvent.objects.filter(organization_id=org_id)
        head = chain.order_by("-id").values("id", "hash", "created_at").first()
        if head is None:
            continue
        entry: dict[str, Any] = {
            "organization": org_id,
            "event": head["id"],
            "hash": head["hash"],
            "at": head["created_at"].astimezone(UTC).isoformat(timespec="microseconds"),
            "count": chain.filter(id__lte=head["id"]).count(),
            "written": written,
            "key": kid,
        }
        entry["signature"] = _signature(entry, key)
        entries.append(entry)
    return entries


def check_checkpoint(entries: list[Any]) -> list[str]:
    """What no longer matches a checkpoint: each head must still be in its chain, in place."""
    problems = []
    known = keys()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not {"organization", "event", "hash"} <= set(entry):
            problems.append(f"checkpoint line {number} is not a checkpoint entry")
            continue
        key = known.get(str(entry.get("key", "")))
        if key is None:
            problems.append(
                f"checkpoint line {number} is signed with a key this server does not have"
            )
            continue
        if not hmac.compare_digest(_signature(entry, key), str(entry.get("signature", ""))):
            problems.append(f"checkpoint line {number} was changed after it was written")
            continue
        org_id, event_id = entry["organization"], entry["event"]
        found = (
            AuditEvent.objects.filter(organization_id=org_id, pk=event_id)
            .values_list("hash", flat=True)
            .first()
        )
        if found is None:
            problems.append(
                f"organization {org_id}: event {event_id}, its newest at the checkpoint of "
                f"{entry.get('written', '?')}, is gone: events were removed from the end of its "
                "chain, or its whole trail was removed"
            )
        elif found != entry["hash"]:
            problems.append(f"organization {org_id}: event {event_id} is not the one checkpointed")
        else:
            # Every event up to the head, in every lane, counts: one removed from the end of a
            # lane shows here. (More than counted is no sign of removal: a transaction that
            # took a lower id may commit after the checkpoint; insertions break a chain.)
            count = AuditEvent.objects.filter(organization_id=org_id, id__lte=event_id).count()
            if count < entry.get("count", count):
                problems.append(
                    f"organization {org_id}: {entry['count'] - count} event(s) up to event "
                    f"{event_id} were removed since the checkpoint"
                )
    return problems
