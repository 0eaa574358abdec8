"""Importing contact history from CSV (one row a contact), through the core import pipeline.

Imported notes keep the agency's history: they are signed by the import (marked "signed in the
earlier system"), never wait for review and are never edited here. Each row's content is hashed:
importing the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerpath.clients.models import Client
from peerpath.core import audit
from peerpath.core.imports import (
    Column,
    Problem,
    Progress,
    Row,
    cell_choice,
    cell_date,
    cell_email,
    cell_text,
    chunks,
)
from peerpath.core.models import Organization, Staff

from .models import Contact, PeerService, Place

OLDEST_YEARS = 30


@dataclass
class ContactsContext:
    organization: Organization
    people: dict[str, int]  # external id -> client id
    staff: dict[str, Staff]  # e-mail -> staff (active or not: history has former staff)
    imported: set[str]


def _moment(row: Row, problems: list[Problem]) -> datetime | None:
    text = row.values.get("date", "")
    day = cell_date(Row(row.line, {"date": text[:10]}), "date", problems, required=True)
    if day is None:
        return None
    at = time(12, 0)
    rest = text[10:].strip().lstrip("T").strip()
    if rest:
        try:
            at = time.fromisoformat(rest[:5])
        except ValueError:
            problems.append(
                Problem(row.line, "date", _("Write the time as 14:30, after the date."))
            )
            return None
    when = timezone.make_aware(datetime.combine(day, at))
    if when > timezone.now():
        problems.append(Problem(row.line, "date", _("This date is in the future.")))
    elif day < timezone.localdate() - timedelta(days=366 * OLDEST_YEARS):
        problems.append(Problem(row.line, "date", _("This date is more than 30 years ago.")))
    return when


class ContactsImporter:
    kind = "contacts"
    label = gettext_lazy("Contact history")
    columns = [
        Column(
            "date",
            "fecha",
            True,
            gettext_lazy("YYYY-MM-DD, with the time if you have it: 2024-03-31 14:30."),
            "2024-03-31 14:30",
        ),
        Column("minutes", "minutos", True, gettext_lazy("How long, 1 to 720."), "45"),
        Column(
            "person_external_id",
            "id_externo_persona",
            True,
            gettext_lazy("The person's external ID (import people first)."),
            "A-1001",
        ),
        Column(
            "peer_email",
            "correo_del_par",
            True,
            gettext_lazy("Email of the staff member who met the person."),
            "peer@example.org",
        ),
        Column(
            "place",
            "lugar",
            True,
            gettext_lazy("office, community, home, phone, video or text."),
            "community",
        ),
        Column(
            "services",
            "servicios",
            False,
            format_lazy(
                gettext_lazy("Peer service codes, separated by semicolons: {codes}."),
                codes=", ".join(PeerService.values),
            ),
            "hope;resources",
        ),
        Column(
            "note",
            "nota",
            False,
            gettext_lazy("The note's text."),
            "Walked to the food bank together.",
        ),
    ]

    def prepare(self, organization: Organization) -> ContactsContext:
        org = organization.pk
        return ContactsContext(
            organization=organization,
            people=dict(
                Client.objects.filter(organization_id=org)
                .exclude(external_id="")
                .values_list("external_id", "pk")
            ),
            staff={s.email.lower(): s for s in Staff.objects.filter(organization_id=org)},
            imported=set(
                Contact.objects.filter(organization_id=org)
                .exclude(import_key="")
                .values_list("import_key", flat=True)
            ),
        )

    def check_row(self, row: Row, context: ContactsContext) -> list[Problem]:
        problems: list[Problem] = []
        when = _moment(row, problems)
        minutes_text = row.values.get("minutes", "")
        minutes = int(minutes_text) if minutes_text.isdigit() else 0
        if not 1 <= minutes <= 720:
            problems.append(
                Problem(row.line, "minutes", _("Write a whole number of minutes from 1 to 720."))
            )
        external_id = row.values.get("person_external_id", "")
        client_id = context.people.get(external_id)
        if client_id is None:
            problems.append(
                Problem(
                    row.line,
                    "person_external_id",
                    _("No person has this external ID. Import people first.")
                    if external_id
                    else _("This cell cannot be empty."),
                )
            )
        email = cell_email(row, "peer_email", problems, required=True)
        author = context.staff.get(email) if email else None
        if email and author is None:
            problems.append(
                Problem(row.line, "peer_email", _("No staff member of this agency has this email."))
            )
        place = cell_choice(row, "place", problems, Place.choices, required=True)
        services = []
        for code in (c.strip() for c in row.values.get("services", "").split(";")):
            if not code:
                continue
            found = cell_choice(
                Row(row.line, {"services": code}),
                "services",
                problems,
                PeerService.choices,
                required=True,
            )
            if found:
                services.append(found)
        note = cell_text(row, "note", problems, required=False, max_length=20000)
        key = hashlib.sha256(
            json.dumps([row.values.get(c.name, "") for c in self.columns]).encode()
        ).hexdigest()
        row.parsed = {
            "client_id": client_id,
            "author": author,
            "occurred_at": when,
            "minutes": minutes,
            "place": place,
            "services": services,
            "summary": note,
            "import_key": key,
        }
        row.plan = "unchanged" if key in context.imported else "create"
        return problems

    def check_file(self, rows: list[Row], context: ContactsContext) -> list[Problem]:
        problems = []
        seen: dict[str, int] = {}
        for row in rows:
            key = (row.parsed or {}).get("import_key")
            if key and key in seen:
                problems.append(
                    Problem(
                        row.line, "", _("Line %(line)s is the same contact.") % {"line": seen[key]}
                    )
                )
            elif key:
                seen[key] = row.line
        return problems

    def write(
        self, rows: list[Row], context: ContactsContext, *, actor: Staff | None, progress: Progress
    ) -> dict[str, Any]:
        now = timezone.now()
        new = [r.parsed for r in rows if r.plan == "create"]
        done = 0
        for batch in chunks(new, 1000):
            Contact.objects.bulk_create(
                [
                    Contact(
                        organization=context.organization,
                        status=Contact.Status.SIGNED,
                        signed_at=now,
                        review=Contact.Review.IMPORTED,
                        imported_at=now,
                        created_at=now,
                        updated_at=now,
                        **item,
                    )
                    for item in batch
                ]
            )
            done += len(batch)
            progress(done)
        last: dict[int, Any] = {}
        for item in new:
            day = timezone.localtime(item["occurred_at"]).date()
            last[item["client_id"]] = max(last.get(item["client_id"], day), day)
        for client_id, day in last.items():
            Client.objects.filter(pk=client_id).exclude(last_contact_on__gte=day).update(
                last_contact_on=day
            )
        audit.record(
            organization=context.organization,
            actor=actor,
            action="import.contacts",
            details={"created": len(new), "clients": sorted(last)},
        )
        return {"created": len(new)}
