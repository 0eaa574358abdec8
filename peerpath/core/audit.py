"""The audit trail: writing events into each organization's hash chain, and verifying it."""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent, Organization, Staff

GENESIS = "0" * 64


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


_context: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "peerpath_request_context",
    default=RequestContext(),  # noqa: B039 (frozen)
)


@contextmanager
def request_context(request_id: str, ip_address: str | None) -> Iterator[None]:
    """Set where the current events come from (done once per request by middleware)."""
    token = _context.set(RequestContext(request_id=request_id, ip_address=ip_address))
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> RequestContext:
    return _context.get()


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
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
    ).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


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
    """Append one event to the organization's chain, inside the caller's transaction."""
    org_id = organization if isinstance(organization, int) else organization.pk
    context = current_context()
    with transaction.atomic():
        # Serialize writers of one organization's chain: lock its row, then read the chain's tail.
        if connection.vendor == "postgresql":
            Organization.objects.select_for_update().filter(pk=org_id).values_list("pk").get()
        previous = (
            AuditEvent.objects.filter(organization_id=org_id)
            .order_by("-id")
            .values_list("hash", flat=True)
            .first()
        )
        event = AuditEvent(
            organization_id=org_id,
            actor=actor,
            client_id=client_id,
            action=action,
            object_type=type(obj).__name__ if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            purpose=purpose,
            request_id=context.request_id,
            ip_address=context.ip_address,
            created_at=timezone.now(),
            details=json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder)),
            previous_hash=previous or GENESIS,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class VerifyResult:
    organization_id: int
    checked: int
    broken_event_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_event_id is None


def verify_organization(organization_id: int, *, batch_size: int = 2000) -> VerifyResult:
    """Walk one organization's chain in order; report the first row that does not fit."""
    previous = GENESIS
    checked = 0
    events = AuditEvent.objects.filter(organization_id=organization_id).order_by("id")
    for event in events.iterator(chunk_size=batch_size):
        if event.previous_hash != previous:
            return VerifyResult(
                organization_id, checked, event.pk, "does not follow the event before it"
            )
        if compute_hash(event) != event.hash:
            return VerifyResult(
                organization_id, checked, event.pk, "was changed after it was written"
            )
        previous = event.hash
        checked += 1
    return VerifyResult(organization_id, checked)


def verify_all() -> list[VerifyResult]:
    org_ids = AuditEvent.objects.values_list("organization_id", flat=True).distinct()
    return [verify_organization(org_id) for org_id in sorted(set(org_ids))]
