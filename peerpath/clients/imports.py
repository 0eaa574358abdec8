"""Importing people served from CSV (one row a person), through the core import pipeline.

A row is matched to a person by `external_id` (the id the earlier system gave them): the same
file imported twice changes nothing, and a changed detail is updated. A new person is enrolled in
the named program and team, with the named staff member as first care-team member.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from peerpath.core.models import Organization, Program, Role, Staff, Team

from .intake_forms import care_role_for
from .models import CareTeamMember, Client, Enrollment, phone_digits

DETAILS = (
    "given_name",
    "family_name",
    "preferred_name",
    "pronouns",
    "language",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "referral_source",
    "medicaid_id",
    "medicaid_start",
    "medicaid_end",
)


@dataclass
class PeopleContext:
    organization: Organization
    programs: dict[str, Program]
    teams: dict[str, Team]
    staff: dict[str, Staff]
    existing: dict[str, Client]
    # (family name, given name, date of birth) of records without this file's external ids.
    people: dict[tuple[str, str, date | None], int] = field(default_factory=dict)


@dataclass
class PersonRow:
    external_id: str
    details: dict[str, Any]
    program: Program | None
    team: Team | None
    peer: Staff | None
    enrolled_on: date | None


class PeopleImporter:
    kind = "people"
    label = gettext_lazy("People served")
    columns = [
        Column(
            "external_id",
            "id_externo",
            True,
            gettext_lazy("The person's id in your earlier system. Re-importing matches on it."),
            "A-1001",
        ),
        Column("given_name", "nombre", True, gettext_lazy("Given name."), "Maria"),
        Column("family_name", "apellido", True, gettext_lazy("Family name."), "Lopez"),
        Column(
            "preferred_name",
            "nombre_preferido",
            False,
            gettext_lazy("The name they go by."),
            "Mari",
        ),
        Column("pronouns", "pronombres", False, gettext_lazy("For example: she/her."), "she/her"),
        Column("language", "idioma", False, gettext_lazy("Preferred language."), "Spanish"),
        Column(
            "date_of_birth",
            "fecha_de_nacimiento",
            False,
            gettext_lazy("YYYY-MM-DD or M/D/YYYY."),
            "1988-04-12",
        ),
        Column("phone", "telefono", False, gettext_lazy("Phone number."), "555-010-2233"),
        Column("email", "correo", False, gettext_lazy("Email address."), "maria@example.org"),
        Column("address", "direccion", False, gettext_lazy("Street address."), "12 River Road"),
        Column(
            "referral_source",
            "fuente_de_referencia",
            False,
            gettext_lazy("self, hospital, court, shelter, other_program or outreach."),
            "hospital",
        ),
        Column(
            "program",
            "programa",
            True,
            gettext_lazy("A program's name, as PeerPath has it."),
            "Adult Recovery Services",
        ),
        Column(
            "team",
            "equipo",
            True,
            gettext_lazy("A team of that program, by name."),
            "North Recovery Team",
        ),
        Column(
            "peer_email",
            "correo_del_par",
            False,
            gettext_lazy("Email of the staff member who serves the person first."),
            "peer@example.org",
        ),
        Column(
            "enrolled_on",
            "fecha_de_inicio",
            True,
            gettext_lazy("When they started in the program."),
            "2024-01-15",
        ),
        Column("medicaid_id", "id_medicaid", False, gettext_lazy("Medicaid member ID."), ""),
        Column(
            "medicaid_start",
            "inicio_medicaid",
            False,
            gettext_lazy("When Medicaid coverage starts."),
            "",
        ),
        Column(
            "medicaid_end", "fin_medicaid", False, gettext_lazy("When Medicaid coverage ends."), ""
        ),
    ]

    def prepare(self, organization: Organization) -> PeopleContext:
        org = organization.pk
        context = PeopleContext(
            organization=organization,
            programs={p.name.lower(): p for p in Program.objects.filter(organization_id=org)},
            teams={t.name.lower(): t for t in Team.objects.filter(organization_id=org)},
            staff={
                s.email.lower(): s
                for s in Staff.objects.filter(organization_id=org, is_active=True)
            },
            existing={
                c.external_id: c
                for c in Client.objects.filter(organization_id=org).exclude(external_id="")
            },
        )
        for pk, family, given, born in (
            Client.objects.current()
            .filter(organization_id=org, external_id="", date_of_birth__isnull=False)
            .values_list("pk", "family_name", "given_name", "date_of_birth")
        ):
            context.people[(family.lower(), given.lower(), born)] = pk
        return context

    def check_row(self, row: Row, context: PeopleContext) -> list[Problem]:
        problems: list[Problem] = []
        text = {
            name: cell_text(row, name, problems, required=required, max_length=length)
            for name, required, length in (
                ("external_id", True, 100),
                ("given_name", True, 100),
                ("family_name", True, 100),
                ("preferred_name", False, 100),
                ("pronouns", False, 40),
                ("language", False, 40),
                ("phone", False, 40),
                ("address", False, 300),
                ("medicaid_id", False, 40),
            )
        }
        details: dict[str, Any] = {k: v for k, v in text.items() if k != "external_id"}
        details["language"] = details["language"] or "English"
        details["email"] = cell_email(row, "email", problems, required=False)
        details["referral_source"] = cell_choice(
            row, "referral_source", problems, Client.ReferralSource.choices, required=False
        )
        for name in ("date_of_birth", "medicaid_start", "medicaid_end"):
            details[name] = cell_date(row, name, problems, required=False)
        born = details["date_of_birth"]
        if born and born > timezone.localdate():
            problems.append(Problem(row.line, "date_of_birth", _("This date is in the future.")))
        if details["medicaid_id"] and not details["medicaid_start"]:
            problems.append(
                Problem(row.line, "medicaid_start", _("Enter when the coverage starts."))
            )
        start, end = details["medicaid_start"], details["medicaid_end"]
        if start and end and end < start:
            problems.append(
                Problem(row.line, "medicaid_end", _("Coverage cannot end before it starts."))
            )
        enrolled_on = cell_date(row, "enrolled_on", problems, required=True)
        if enrolled_on and enrolled_on > timezone.localdate():
            problems.append(Problem(row.line, "enrolled_on", _("This date is in the future.")))
        program = context.programs.get(row.values.get("program", "").lower())
        if program is None and row.values.get("program"):
            problems.append(
                Problem(
                    row.line,
                    "program",
                    _(
                        "No program has this name. Add it in the Agency area first, or fix "
                        "the name."
                    ),
                )
            )
        elif program is None:
            problems.append(Problem(row.line, "program", _("This cell cannot be empty.")))
        team = context.teams.get(row.values.get("team", "").lower())
        if team is None:
            problems.append(
                Problem(
                    row.line,
                    "team",
                    _("No team has this name.")
                    if row.values.get("team")
                    else _("This cell cannot be empty."),
                )
            )
        elif program is not None and team.program_id != program.pk:
            problems.append(Problem(row.line, "team", _("This team belongs to another program.")))
        peer_email = cell_email(row, "peer_email", problems, required=False)
        peer = context.staff.get(peer_email) if peer_email else None
        if peer_email and peer is None:
            problems.append(
                Problem(
                    row.line, "peer_email", _("No active staff member signs in with this email.")
                )
            )
        elif peer is not None and peer.role in {Role.PRIVACY_OFFICER, Role.ADMINISTRATOR}:
            problems.append(
                Problem(row.line, "peer_email", _("This staff member cannot be on a care team."))
            )
        external_id = text["external_id"]
        row.parsed = PersonRow(external_id, details, program, team, peer, enrolled_on)
        existing = context.existing.get(external_id)
        if existing is None:
            row.plan = "create"
            key = (details["family_name"].lower(), details["given_name"].lower(), born)
            if born and key in context.people:
                problems.append(
                    Problem(
                        row.line,
                        "external_id",
                        _(
                            "Record number %(number)s has the same name and date of birth. "
                            "Remove this row, or ask the privacy officer to check the record."
                        )
                        % {"number": context.people[key]},
                    )
                )
        else:
            changed = any(getattr(existing, k) != v for k, v in details.items())
            row.plan = "update" if changed else "unchanged"
        return problems

    def check_file(self, rows: list[Row], context: PeopleContext) -> list[Problem]:
        seen: dict[str, int] = {}
        problems = []
        for row in rows:
            external_id = row.values.get("external_id", "")
            if not external_id:
                continue
            if external_id in seen:
                problems.append(
                    Problem(
                        row.line,
                        "external_id",
                        _("Line %(line)s has the same external ID.") % {"line": seen[external_id]},
                    )
                )
            else:
                seen[external_id] = row.line
        return problems

    def write(
        self, rows: list[Row], context: PeopleContext, *, actor: Staff | None, progress: Progress
    ) -> dict[str, Any]:
        org = context.organization
        now = timezone.now()
        new_rows = [r.parsed for r in rows if r.plan == "create"]
        changed_rows = [r.parsed for r in rows if r.plan == "update"]
        created: list[Client] = []
        done = 0
        for batch in chunks(new_rows, 1000):
            clients = Client.objects.bulk_create(
                [
                    Client(
                        organization=org,
                        external_id=p.external_id,
                        phone_digits=phone_digits(p.details["phone"]),
                        created_at=now,
                        updated_at=now,
                        **p.details,
                    )
                    for p in batch
                ]
            )
            Enrollment.objects.bulk_create(
                [
                    Enrollment(
                        organization=org,
                        client=client,
                        program=p.program,
                        team=p.team,
                        started_on=p.enrolled_on,
                    )
                    for client, p in zip(clients, batch, strict=True)
                ]
            )
            CareTeamMember.objects.bulk_create(
                [
                    CareTeamMember(
                        organization=org,
                        client=client,
                        staff=p.peer,
                        role=care_role_for(p.peer),
                        is_primary=True,
                        started_on=p.enrolled_on,
                    )
                    for client, p in zip(clients, batch, strict=True)
                    if p.peer is not None
                ]
            )
            created += clients
            done += len(batch)
            progress(done)
        updated = []
        for p in changed_rows:
            client = context.existing[p.external_id]
            for name, value in p.details.items():
                setattr(client, name, value)
            client.phone_digits = phone_digits(client.phone)
            client.updated_at = now
            updated.append(client)
        if updated:
            Client.objects.bulk_update(
                updated, [*DETAILS, "phone_digits", "updated_at"], batch_size=500
            )
            Client.objects.filter(pk__in=[c.pk for c in updated]).update(version=F("version") + 1)
        progress(done + len(updated))
        audit.record(
            organization=org,
            actor=actor,
            action="import.people",
            details={
                "created": [c.pk for c in created],
                "updated": [c.pk for c in updated],
            },
        )
        return {"created": len(created), "updated": len(updated)}
