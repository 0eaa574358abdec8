"""Fair hiring: positions and their job descriptions, the checks on their words, living wages,
and the import of a living-wage table through the one import pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from peerpath.core import audit
from peerpath.core.imports import Column, Problem, Progress, Row, cell_choice, cell_text
from peerpath.core.models import Organization, Staff
from peerpath.core.pdf import html_to_pdf
from peerpath.encounters import language

from .models import LivingWage, Position
from .strategies import PlanRefused, agency_of

# The work of a peer specialist, as a job description names it.
DUTIES: dict[str, Promise] = {
    "story": _("Share their own recovery story on purpose, to offer hope"),
    "self_management": _("Support self-management and wellness planning, such as WRAP"),
    "advocacy": _("Advocate with and for the people they serve"),
    "connecting": _("Connect people to services, resources and mutual-aid groups"),
    "coaching": _("Mentoring and recovery coaching"),
    "groups": _("Lead and co-lead peer groups"),
}
# What can count toward a position's experience requirement.
EXPERIENCE: dict[str, Promise] = {
    "lived": _("Lived experience of recovery"),
    "peer_run": _("Work or volunteering in peer-run programs"),
    "volunteer": _("Other volunteer work"),
    "certification_in_progress": _("Peer certification in progress"),
}
GRADE_LIMIT = 8


def grade_of(text: str) -> float | None:
    """The Flesch-Kincaid grade of English text (None when too short to say)."""
    import textstat

    words = text.split()
    if len(words) < 20:
        return None
    return float(textstat.flesch_kincaid_grade(text))


@dataclass(frozen=True)
class Checks:
    grade: float | None
    too_hard: bool
    flags: list[language.Flag]
    living_wage: Decimal | None
    below_living_wage: bool


def description_text(position: Position) -> str:
    """The job description's own words, as the candidate reads them."""
    duties = [str(DUTIES[k]) for k in position.duties if k in DUTIES]
    return "\n".join([position.summary, *duties, position.other_duties, position.supervision])


def living_wage_for(position: Position) -> Decimal | None:
    row = LivingWage.objects.filter(
        organization_id=position.organization_id,
        county__iexact=position.county,
        household=position.household,
    ).first()
    return row.hourly if row else None


def checks_of(
    position: Position,
    *,
    wage: Decimal | None = None,
    known: bool = False,
    terms: list[Any] | None = None,
) -> Checks:
    """Plain language (grade 8), person-first words, and pay against the living wage (`wage`
    and the agency's `terms`, when the caller read them once for a list)."""
    text = description_text(position)
    with translation.override("en"):
        grade = grade_of(text)
    living = wage if known else living_wage_for(position)
    return Checks(
        grade=grade,
        too_hard=grade is not None and grade > GRADE_LIMIT,
        flags=language.check_text(
            text, terms if terms is not None else language.terms_for(position.organization_id)
        ),
        living_wage=living,
        below_living_wage=living is not None and position.pay_min < living,
    )


FIELDS = (
    "title",
    "team",
    "status",
    "summary",
    "duties",
    "other_duties",
    "lived_experience",
    "certification",
    "certification_months",
    "supervisor",
    "supervision",
    "experience_counts",
    "paid_years_required",
    "hours_per_week",
    "pay_min",
    "pay_max",
    "county",
    "household",
)


def position_save(
    *, actor: Staff, position: Position | None, data: dict[str, Any], expected_version: int = 0
) -> Position:
    organization_id = agency_of(actor)
    if set(data.get("duties", [])) - set(DUTIES):
        raise PlanRefused(_("Choose duties from the list."), field="duties")
    if not data.get("duties") and not str(data.get("other_duties", "")).strip():
        raise PlanRefused(_("Name the duties of the job."), field="duties")
    if set(data.get("experience_counts", [])) - set(EXPERIENCE):
        raise PlanRefused(_("Choose from the list."), field="experience_counts")
    if data["pay_max"] < data["pay_min"]:
        raise PlanRefused(_("The top of the pay range is below its bottom."), field="pay_max")
    if data["certification"] == Position.Certification.WITHIN and not data.get(
        "certification_months"
    ):
        raise PlanRefused(_("Say within how many months."), field="certification_months")
    for name in ("team", "supervisor"):
        chosen = data.get(name)
        if chosen is not None and chosen.organization_id != organization_id:
            raise PlanRefused(_("Choose from your own agency."), field=name)
    with transaction.atomic():
        if position is None:
            position = Position(organization_id=organization_id, created_by=actor)
        else:
            current = Position.objects.select_for_update().get(pk=position.pk)
            if expected_version and current.version != expected_version:
                raise PlanRefused(
                    _("Someone changed this position while you had it open. Nothing was saved.")
                )
            position = current
            position.version += 1
        for name in FIELDS:
            setattr(position, name, data.get(name, getattr(position, name, None)))
        if position.certification != Position.Certification.WITHIN:
            position.certification_months = None
        position.save()
        audit.record(
            organization=organization_id,
            actor=actor,
            action="position.save",
            obj=position,
            details={"version": position.version, "status": position.status},
        )
    return position


def position_pdf(position: Position, checks: Checks) -> bytes:
    """The job description to post or hand out, in the reader's language."""
    html = render_to_string(
        "workforce/position_pdf.html",
        {
            "position": position,
            "duties": [DUTIES[k] for k in position.duties if k in DUTIES],
            "experience": [EXPERIENCE[k] for k in position.experience_counts if k in EXPERIENCE],
            "today": timezone.localdate(),
            "LANGUAGE_CODE": translation.get_language() or "en",
        },
    )
    return html_to_pdf(html)


# The living-wage table, through the import pipeline -----------------------------------------


@dataclass
class WageRow:
    county: str
    household: str
    hourly: Decimal
    source: str


class LivingWageImporter:
    kind = "living_wage"
    label = _("Living wages (per county and household)")
    columns = [
        Column("county", "condado", True, _("The county, as positions name it."), "Lane"),
        Column(
            "household",
            "hogar",
            True,
            _("1a, 1a1c, 1a2c, 2a1w, 2a2w or 2a2w1c (adults, children, working)."),
            "1a",
        ),
        Column(
            "hourly_wage",
            "salario_por_hora",
            True,
            _("The living wage an hour, in dollars."),
            "24.53",
        ),
        Column("source", "fuente", False, _("Where the figure comes from."), "MIT 2026"),
    ]

    def prepare(self, organization: Organization) -> Any:
        return {
            "organization": organization,
            "have": {
                (w.county.lower(), w.household): w
                for w in LivingWage.objects.filter(organization=organization)
            },
        }

    def check_row(self, row: Row, context: Any) -> list[Problem]:
        problems: list[Problem] = []
        county = cell_text(row, "county", problems, required=True, max_length=100)
        household = cell_choice(
            row, "household", problems, LivingWage.Household.choices, required=True
        )
        source = cell_text(row, "source", problems, required=False, max_length=200)
        raw = row.values.get("hourly_wage", "").replace("$", "").replace(",", "").strip()
        hourly = None
        try:
            hourly = Decimal(raw)
        except InvalidOperation:
            problems.append(Problem(row.line, "hourly_wage", _g("Write an amount such as 24.53.")))
        if hourly is not None and not (Decimal("1") <= hourly <= Decimal("500")):
            problems.append(
                Problem(row.line, "hourly_wage", _g("An hourly wage is between 1 and 500."))
            )
        if problems:
            return problems
        assert hourly is not None  # noqa: S101 (checked above)
        row.parsed = WageRow(county, household, hourly.quantize(Decimal("0.01")), source)
        found = context["have"].get((county.lower(), household))
        row.plan = (
            "create"
            if found is None
            else ("unchanged" if found.hourly == row.parsed.hourly else "update")
        )
        return []

    def check_file(self, rows: list[Row], context: Any) -> list[Problem]:
        seen: dict[tuple[str, str], int] = {}
        problems = []
        for row in rows:
            if row.parsed is None:  # its own problems are reported already
                continue
            key = (row.parsed.county.lower(), row.parsed.household)
            if key in seen:
                problems.append(
                    Problem(
                        row.line,
                        "county",
                        _g("Line %(line)s has the same county and household.")
                        % {"line": seen[key]},
                    )
                )
            seen[key] = row.line
        return problems

    def write(
        self, rows: list[Row], context: Any, *, actor: Staff | None, progress: Progress
    ) -> dict[str, Any]:
        organization = context["organization"]
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for done, row in enumerate(rows, start=1):
            wage: WageRow = row.parsed
            found = context["have"].get((wage.county.lower(), wage.household))
            if found is None:
                LivingWage.objects.create(
                    organization=organization,
                    county=wage.county,
                    household=wage.household,
                    hourly=wage.hourly,
                    source=wage.source,
                )
            elif row.plan == "update" or wage.source != found.source:
                found.hourly, found.source = wage.hourly, wage.source
                found.save(update_fields=["hourly", "source", "updated_at"])
            counts[row.plan] += 1
            progress(done)
        audit.record(
            organization=organization, actor=actor, action="living_wage.import", details=counts
        )
        return counts
