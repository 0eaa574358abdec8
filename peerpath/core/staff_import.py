"""Importing staff from CSV (one row a staff member), through the import pipeline.

A row is matched by e-mail: importing the same file twice changes nothing. A new staff member is
invited (a one-time link by e-mail) and put on the named teams; for someone already here the
name, role and title are updated and missing team places added (none is taken away).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .agency import staff_invite
from .imports import Column, Problem, Progress, Row, cell_choice, cell_email, cell_text
from .models import Organization, Role, Staff, Team, TeamMembership

ROLES = [c for c in Role.choices if c[0] != Role.ADMINISTRATOR]


@dataclass
class StaffContext:
    organization: Organization
    teams: dict[str, Team]
    staff: dict[str, Staff]  # everyone with an account, any organization (e-mails are unique)
    # Team places of this organization's staff: staff id -> {(team id, supervises)}.
    places: dict[int, set[tuple[int, bool]]]


@dataclass
class StaffRow:
    email: str
    full_name: str
    role: str
    title: str
    teams: list[Team]
    supervises: list[Team]
    supervisor_email: str
    language: str


def _team_list(row: Row, column: str, context: StaffContext, problems: list[Problem]) -> list[Team]:
    teams = []
    for name in (n.strip() for n in row.values.get(column, "").split(";")):
        if not name:
            continue
        team = context.teams.get(name.lower())
        if team is None:
            problems.append(
                Problem(row.line, column, _("No team is named “%(name)s”.") % {"name": name})
            )
        else:
            teams.append(team)
    return teams


class StaffImporter:
    kind = "staff"
    label = gettext_lazy("Staff")
    columns = [
        Column(
            "email",
            "correo",
            True,
            gettext_lazy("The email they sign in with. Re-importing matches on it."),
            "maria@example.org",
        ),
        Column("full_name", "nombre_completo", True, gettext_lazy("Full name."), "Maria Lopez"),
        Column(
            "role",
            "funcion",
            True,
            gettext_lazy(
                "peer_specialist, peer_supervisor, clinician, case_manager, program_manager "
                "or privacy_officer."
            ),
            "peer_specialist",
        ),
        Column("title", "puesto", False, gettext_lazy("Job title."), "Certified Peer Specialist"),
        Column(
            "teams",
            "equipos",
            False,
            gettext_lazy("Team names, separated by semicolons."),
            "North Recovery Team",
        ),
        Column(
            "supervises",
            "supervisa",
            False,
            gettext_lazy("Teams they supervise, separated by semicolons."),
            "",
        ),
        Column(
            "supervisor_email",
            "correo_del_supervisor",
            False,
            gettext_lazy("Their supervisor's email (already in PeerPath or in this file)."),
            "",
        ),
        Column(
            "language",
            "idioma",
            False,
            gettext_lazy("en or es: the language of their invitation."),
            "en",
        ),
    ]

    def prepare(self, organization: Organization) -> StaffContext:
        places: dict[int, set[tuple[int, bool]]] = {}
        for staff_id, team_id, supervises in TeamMembership.objects.filter(
            organization=organization
        ).values_list("staff_id", "team_id", "is_supervisor"):
            places.setdefault(staff_id, set()).add((team_id, supervises))
        return StaffContext(
            places=places,
            organization=organization,
            teams={t.name.lower(): t for t in Team.objects.filter(organization=organization)},
            staff={
                s.email.lower(): s
                for s in Staff.objects.all().only(
                    "pk", "email", "organization_id", "full_name", "role", "title", "supervisor_id"
                )
            },
        )

    def check_row(self, row: Row, context: StaffContext) -> list[Problem]:
        problems: list[Problem] = []
        email = cell_email(row, "email", problems, required=True)
        full_name = cell_text(row, "full_name", problems, required=True, max_length=200)
        title = cell_text(row, "title", problems, required=False, max_length=200)
        role = cell_choice(row, "role", problems, ROLES, required=True)
        language = row.values.get("language", "").lower() or "en"
        if language not in {"en", "es"}:
            problems.append(Problem(row.line, "language", _("Write en or es.")))
        teams = _team_list(row, "teams", context, problems)
        supervises = _team_list(row, "supervises", context, problems)
        supervisor_email = cell_email(row, "supervisor_email", problems, required=False)
        row.parsed = StaffRow(
            email, full_name, role, title, teams, supervises, supervisor_email, language
        )
        existing = context.staff.get(email)
        if existing is None:
            row.plan = "create"
        elif existing.organization_id != context.organization.pk:
            problems.append(
                Problem(
                    row.line,
                    "email",
                    _("Someone at another organization signs in with this email."),
                )
            )
        else:
            same = (existing.full_name, existing.role, existing.title) == (full_name, role, title)
            have = context.places.get(existing.pk, set())
            wanted = {(t.pk, t in supervises) for t in dict.fromkeys([*teams, *supervises])}
            row.plan = "unchanged" if same and wanted <= have else "update"
        return problems

    def check_file(self, rows: list[Row], context: StaffContext) -> list[Problem]:
        problems = []
        seen: dict[str, int] = {}
        in_file = {r.values.get("email", "").lower() for r in rows}
        for row in rows:
            email = row.values.get("email", "").lower()
            if email and email in seen:
                problems.append(
                    Problem(
                        row.line,
                        "email",
                        _("Line %(line)s has the same email.") % {"line": seen[email]},
                    )
                )
            seen.setdefault(email, row.line)
            boss = row.values.get("supervisor_email", "").lower()
            known = context.staff.get(boss)
            if (
                boss
                and boss not in in_file
                and (known is None or known.organization_id != context.organization.pk)
            ):
                problems.append(
                    Problem(
                        row.line,
                        "supervisor_email",
                        _("No staff member here or in this file has this email."),
                    )
                )
            if boss and boss == email:
                problems.append(
                    Problem(
                        row.line, "supervisor_email", _("Someone else must be their supervisor.")
                    )
                )
        return problems

    def write(
        self, rows: list[Row], context: StaffContext, *, actor: Staff | None, progress: Progress
    ) -> dict[str, Any]:
        org = context.organization
        created = updated = 0
        for number, row in enumerate(rows, start=1):
            item: StaffRow = row.parsed
            if row.plan == "create":
                sent = staff_invite(
                    actor=actor,
                    organization=org,
                    full_name=item.full_name,
                    email=item.email,
                    role=item.role,
                    title=item.title,
                    teams=item.teams,
                    supervises=item.supervises,
                    language=item.language,
                )
                context.staff[item.email] = sent.invitation.staff
                created += 1
            elif row.plan == "update":
                staff = Staff.objects.get(pk=context.staff[item.email].pk)
                staff.full_name, staff.role, staff.title = item.full_name, item.role, item.title
                staff.save(update_fields=["full_name", "role", "title"])
                for team in dict.fromkeys([*item.teams, *item.supervises]):
                    TeamMembership.objects.update_or_create(
                        team=team,
                        staff=staff,
                        defaults={"organization": org, "is_supervisor": team in item.supervises},
                    )
                updated += 1
            if number % 100 == 0:
                progress(number)
        for row in rows:
            item = row.parsed
            if item.supervisor_email:
                Staff.objects.filter(pk=context.staff[item.email].pk).update(
                    supervisor=context.staff[item.supervisor_email].pk
                )
        progress(len(rows))
        audit.record(
            organization=org,
            actor=actor,
            action="import.staff",
            details={"created": created, "updated": updated},
        )
        return {"created": created, "updated": updated}
