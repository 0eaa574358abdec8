"""Shared test helpers for encounters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from peerpath.clients import access
from peerpath.clients.models import Client
from peerpath.core.models import Staff
from peerpath.encounters import actions
from peerpath.encounters.models import Contact

ROUTINE = {
    "minutes": 45,
    "place": "community",
    "services": ["hope", "resources"],
    "summary": "Walked to the food bank together and talked about next week.",
}


def signed_contact(author: Staff, client: Client, **fields: Any) -> Contact:
    grant = access.client_for_write(author, client.pk)
    return actions.contact_record(actor=author, access=grant, sign=True, **{**ROUTINE, **fields})


DRAFT = {"place": "community", "summary": "Walked to the clinic; more to write."}


def draft_contact(author: Staff, client: Client, **fields: Any) -> Contact:
    """A draft someone started writing (untouched drafts are never listed)."""
    grant = access.client_for_write(author, client.pk)
    return actions.contact_start(actor=author, access=grant, **{**DRAFT, **fields})


def bulk_contacts(author: Staff, client: Client, n: int) -> None:
    """Many notes in three states (signed and waiting, returned, draft) without the actions."""
    now = timezone.now()
    rows = []
    for i in range(n):
        state = i % 3
        rows.append(
            Contact(
                organization_id=client.organization_id,
                client=client,
                author=author,
                occurred_at=now - timedelta(hours=i + 1),
                place="office",
                services=["hope"],
                summary=f"Note {i}",
                status="draft" if state == 2 else "signed",
                signed_at=None if state == 2 else now,
                review="not_ready" if state == 2 else ("waiting" if state == 0 else "returned"),
                review_comment="" if state != 1 else "Add the plan",
                reviewed_by=None,
            )
        )
    Contact.objects.bulk_create(rows)


def form_data(contact: Contact, **changes: Any) -> dict[str, Any]:
    local = timezone.localtime(contact.occurred_at)
    data: dict[str, Any] = {
        "version": contact.version,
        "edit_token": "",
        "occurred_on": local.date().isoformat(),
        "occurred_time": local.strftime("%H:%M"),
        "minutes": contact.minutes,
        "place": contact.place,
        "services": list(contact.services),
        "other_tasks": list(contact.other_tasks),
        "in_their_words": contact.in_their_words,
        "summary": contact.summary,
    }
    data.update(changes)
    return data
