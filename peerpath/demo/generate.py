"""A synthetic state: many agencies' worth of realistic, deterministic data, for measuring speed.

`peerpath generate --scale small|tenth|state [--seed N]` fills an empty database through every app:
organizations, programs, teams, staff of every role, people with enrollments and care teams
(restricted records, a staff member who is also a client, people discharged), three years of
contacts (drafts, notes waiting for review, returned, reviewed), outreach, groups and attendance,
team meetings with the person's voice, goals, WRAP versions, WHAM and IMR, measures, consents,
disclosures, emergency accesses, notifications, and a valid audit chain per organization.

Every agency has the same shape (so one user's pages can be compared across scales); a scale is
how many agencies there are and how often people are seen. Rows are written with COPY (PostgreSQL)
or batched inserts (SQLite), never one save per row; ids are numbered here.

The first agency's staff are the ones `make bench` signs in as (`BENCH_USERS`): a peer with exactly
100 people, the supervisor of ten peers, the program manager and the privacy officer.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from peerpath.clients import models as cm
from peerpath.core import audit
from peerpath.core import models as core
from peerpath.encounters import models as em
from peerpath.measures import fhir, instruments, loading
from peerpath.measures import models as mm
from peerpath.meetings import models as mtg
from peerpath.plans import models as pm

from .bulk import Writer


@dataclass(frozen=True)
class Scale:
    organizations: int
    peers: int  # per organization, split over its two teams, all supervised by one supervisor
    caseload: tuple[int, int]  # people per peer (the first peer of each agency has the maximum)
    months: int  # of history
    contacts_a_month: float  # per person
    discharged_share: float = 0.2


SCALES: dict[str, Scale] = {
    # For tests: two agencies (so tenancy can be checked), a few people each.
    "tiny": Scale(organizations=2, peers=3, caseload=(4, 6), months=3, contacts_a_month=2.0),
    "small": Scale(organizations=1, peers=10, caseload=(40, 100), months=36, contacts_a_month=0.8),
    "tenth": Scale(organizations=30, peers=10, caseload=(60, 100), months=36, contacts_a_month=3.7),
    "state": Scale(
        organizations=300, peers=10, caseload=(60, 100), months=36, contacts_a_month=3.7
    ),
}

BENCH_PASSWORD = "bench-password-1234"


def bench_users(slug: str = "agency-001") -> dict[str, str]:
    """The e-mail addresses of the staff the benchmark signs in as."""
    return {
        "peer": f"peer01@{slug}.example",
        "supervisor": f"supervisor@{slug}.example",
        "program_manager": f"manager@{slug}.example",
        "privacy_officer": f"privacy@{slug}.example",
    }


GIVEN = [
    "Alex",
    "Ana",
    "Andre",
    "Bea",
    "Carlos",
    "Carmen",
    "Dana",
    "Diego",
    "Elena",
    "Eli",
    "Fatima",
    "Gabriel",
    "Grace",
    "Hector",
    "Ines",
    "Isaac",
    "Jamal",
    "Jasmine",
    "Jordan",
    "Jose",
    "Kai",
    "Keisha",
    "Leo",
    "Lucia",
    "Luis",
    "Maya",
    "Marcus",
    "Maria",
    "Nadia",
    "Noah",
    "Omar",
    "Paula",
    "Priya",
    "Quinn",
    "Rosa",
    "Ruben",
    "Sam",
    "Sofia",
    "Tariq",
    "Teresa",
    "Tomas",
    "Uma",
    "Victor",
    "Wanda",
    "Xavier",
    "Yolanda",
    "Zoe",
]
FAMILY = [
    "Adams",
    "Alvarez",
    "Baker",
    "Brooks",
    "Castillo",
    "Chen",
    "Cruz",
    "Davis",
    "Diaz",
    "Edwards",
    "Flores",
    "Garcia",
    "Gomez",
    "Green",
    "Hall",
    "Hernandez",
    "Hughes",
    "Jackson",
    "Jimenez",
    "Johnson",
    "Kim",
    "Lee",
    "Lopez",
    "Martin",
    "Martinez",
    "Miller",
    "Moore",
    "Morales",
    "Nguyen",
    "Ortiz",
    "Park",
    "Patel",
    "Perez",
    "Ramirez",
    "Reyes",
    "Rivera",
    "Robinson",
    "Rodriguez",
    "Ruiz",
    "Sanchez",
    "Scott",
    "Silva",
    "Smith",
    "Taylor",
    "Torres",
    "Vargas",
    "Walker",
    "White",
    "Williams",
    "Wilson",
    "Young",
]
SUMMARIES = (
    "Talked about the week and what helped. Planned a call to the housing office together.",
    "Walked to the library and practiced the bus route to the job center.",
    "Shared how I used my own WRAP when things got hard; they picked two tools to try.",
    "Reviewed their goal steps. One is done; the next is to call their sister on Sunday.",
    "Met at the coffee shop. They said sleep is better since cutting late coffee.",
    "Helped fill in the benefits form; they chose to bring it in themselves tomorrow.",
    "Talked through a hard day at work and what they want to say to their boss.",
)
THEIR_WORDS = (
    "I want to feel like myself again.",
    "Getting my own place is the main thing.",
    "I am proud I went to the meeting.",
    "I need to get my sleep back.",
    "I want to be there for my kids.",
    "",
)
GOALS = (
    ("housing", "I want my own apartment with a door that locks."),
    ("work", "Get a part-time job I like, maybe at a garden center."),
    ("health", "Walk every day and sleep better."),
    ("relationships", "Call my sister every week."),
    ("recovery", "Stay sober and go to meetings that help me."),
    ("money", "Open a bank account and save a little each month."),
    ("community", "Volunteer at the food bank."),
)
ADDRESSES = ("12 Elm St", "450 River Rd, Apt 3", "88 Oak Ave", "7 Hill St", "1200 Main St")


@dataclass
class AuditRow:
    """An audit event before it is chained (the fields `audit.compute_hash` reads)."""

    created_at: datetime
    action: str
    actor_id: int | None
    client_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    purpose: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    organization_id: int = 0
    request_id: str = ""
    ip_address: str | None = None
    previous_hash: str = ""
    key_id: str = ""
    hash: str = ""
    lane: int = 0


class Ids:
    """The next id of each table."""

    def __init__(self) -> None:
        self.next: dict[Any, int] = {}

    def __call__(self, model: Any) -> int:
        value = self.next.get(model, 1)
        self.next[model] = value + 1
        return value


class Refused(Exception):
    """The database cannot take a generated state (wrong engine or not empty)."""


def check_database(scale_name: str) -> None:
    if scale_name not in SCALES:
        raise Refused(f"unknown scale {scale_name!r}: choose one of {', '.join(SCALES)}")
    if connection.vendor != "postgresql" and scale_name not in {"tiny", "small"}:
        raise Refused(
            f"the {scale_name} scale needs PostgreSQL (set DATABASE_URL); "
            "SQLite takes `small` at most"
        )
    if core.Organization.objects.exists() or core.Staff.objects.exists():
        raise Refused("this database already holds data: generate into an empty one")


class Generator:
    def __init__(
        self,
        scale: Scale,
        *,
        seed: int = 1,
        today: date | None = None,
        out: Callable[[str], None] | None = None,
    ) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today or date.today()  # noqa: DTZ011 (the generator's own "today")
        self.out = out or (lambda line: None)
        self.ids = Ids()
        self.writer = Writer(progress=self._progress)
        self.started = time.monotonic()
        self.written = 0
        self.password = make_password(BENCH_PASSWORD)
        self.kid, _ = audit.current_key()
        self.zone = ZoneInfo("America/New_York")
        self.start = self.today - timedelta(days=30 * scale.months)

    # -- output ---------------------------------------------------------------------------------

    def _progress(self, table: str, rows: int) -> None:
        self.written += rows

    def report(self, label: str) -> None:
        seconds = time.monotonic() - self.started
        rate = self.written / seconds if seconds else 0
        self.out(f"{label}: {self.written:,} rows in {seconds:,.0f} s ({rate:,.0f} rows/s)")

    # -- helpers --------------------------------------------------------------------------------

    def at(self, day: date, hour: int | None = None) -> datetime:
        hour = self.rng.randint(9, 16) if hour is None else hour
        minute = self.rng.choice((0, 15, 30, 45))
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)

    def day_between(self, first: date, last: date) -> date:
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, max(span, 0)))

    def add(self, model: Any, **values: Any) -> int:
        if "id" not in values:
            values["id"] = self.ids(model)
        self.writer.add(model, values)
        return int(values["id"])

    # -- the whole run --------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        loading.load_shipped(mm.Questionnaire)
        self.phq9 = mm.Questionnaire.objects.get(organization__isnull=True, code="44249-1")
        self.instrument = self.phq9.instrument()
        self.responses: dict[tuple[int, ...], tuple[dict[str, Any], Decimal | None, str]] = {}
        self.frequency = [[o.code for o in q.options] for q in self.instrument.scored_questions]
        for number in range(1, self.scale.organizations + 1):
            with transaction.atomic():
                self.organization(number)
                self.writer.flush()
            if number == 1 or number % 5 == 0 or number == self.scale.organizations:
                self.report(f"agency {number} of {self.scale.organizations}")
        self.writer.reset_sequences()
        self.out("updating the planner's statistics")
        with connection.cursor() as cursor:  # fresh tables have none: every plan would be a guess
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.out("rows per table:")
        for table, count in sorted(self.writer.counts.items()):
            self.out(f"  {table:34} {count:>12,}")
        self.report("done")
        return dict(self.writer.counts)

    # -- one agency -----------------------------------------------------------------------------

    def organization(self, number: int) -> None:
        slug = f"agency-{number:03d}"
        org = self.add(
            core.Organization,
            name=f"Agency {number:03d} Recovery Services",
            slug=slug,
            intake_roles=core.default_intake_roles(),
            agency_admin_roles=core.default_agency_admin_roles(),
            created_at=self.at(self.start, 8),
        )
        self.events: list[AuditRow] = []
        self.add(cm.PrivacyPolicy, organization_id=org, emergency_access_minutes=60)
        adult = self.add(
            core.Program, organization_id=org, name="Adult Recovery", kind="mental_health"
        )
        pathways = self.add(
            core.Program, organization_id=org, name="Pathways", kind="substance_use"
        )
        teams = [
            (self.add(core.Team, organization_id=org, program_id=adult, name="North Team"), adult),
            (
                self.add(core.Team, organization_id=org, program_id=pathways, name="South Team"),
                pathways,
            ),
        ]
        staff = self.staff(org, slug, teams)
        people = self.people(org, teams, staff)
        self.contacts(org, people, staff)
        self.plans(org, people)
        self.measures(org, people)
        self.groups(org, people, staff, teams)
        self.meetings(org, people, staff, teams)
        self.privacy(org, people, staff)
        self.chain(org)

    def staff(self, org: int, slug: str, teams: list[tuple[int, int]]) -> dict[str, Any]:
        joined = self.at(self.start, 8)

        def person(role: str, local: str, title: str, supervisor: int | None = None) -> int:
            given, family = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
            return self.add(
                core.Staff,
                password=self.password,
                email=f"{local}@{slug}.example",
                full_name=f"{given} {family}",
                organization_id=org,
                role=role,
                title=title,
                language="es" if self.rng.random() < 0.15 else "en",
                date_joined=joined,
                supervisor_id=supervisor,
            )

        manager = person(core.Role.PROGRAM_MANAGER, "manager", "Program manager")
        privacy = person(core.Role.PRIVACY_OFFICER, "privacy", "Privacy officer")
        supervisor = person(core.Role.PEER_SUPERVISOR, "supervisor", "Peer supervisor", manager)
        peers = [
            person(core.Role.PEER_SPECIALIST, f"peer{n:02d}", "Peer specialist", supervisor)
            for n in range(1, self.scale.peers + 1)
        ]
        clinicians = [
            person(core.Role.CLINICIAN, f"clinician{n}", "Therapist", manager) for n in (1, 2, 3)
        ]
        case_manager = person(core.Role.CASE_MANAGER, "casemanager", "Case manager", manager)
        half = (len(peers) + 1) // 2
        team_peers = [peers[:half], peers[half:]]
        for index, (team, _program) in enumerate(teams):
            self.add(
                core.TeamMembership,
                organization_id=org,
                team_id=team,
                staff_id=supervisor,
                is_supervisor=True,
            )
            for member in [*team_peers[index], clinicians[index], case_manager]:
                self.add(core.TeamMembership, organization_id=org, team_id=team, staff_id=member)
        return {
            "manager": manager,
            "privacy": privacy,
            "supervisor": supervisor,
            "peers": peers,
            "team_peers": team_peers,
            "clinicians": clinicians,
            "case_manager": case_manager,
        }

    def people(
        self, org: int, teams: list[tuple[int, int]], staff: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Each peer's caseload, plus people discharged from it; one staff member is a client."""
        low, high = self.scale.caseload
        people: list[dict[str, Any]] = []
        for team_index, team_peers in enumerate(staff["team_peers"]):
            team, program = teams[team_index]
            for peer in team_peers:
                size = high if peer == staff["peers"][0] else self.rng.randint(low, high)
                discharged = round(size * self.scale.discharged_share)
                for n in range(size + discharged):
                    people.append(self.person(org, team, program, peer, staff, active=n < size))
        # A clinician who is also served here: a restricted record only the privacy officer names.
        clinician = staff["clinicians"][2]
        people.append(
            self.person(
                org,
                teams[0][0],
                teams[0][1],
                staff["peers"][-1],
                staff,
                active=True,
                account=clinician,
            )
        )
        return people

    def person(
        self,
        org: int,
        team: int,
        program: int,
        peer: int,
        staff: dict[str, Any],
        *,
        active: bool,
        account: int | None = None,
    ) -> dict[str, Any]:
        rng = self.rng
        started = self.day_between(self.start, self.today - timedelta(days=60))
        ended = (
            None
            if active
            else self.day_between(started + timedelta(days=30), self.today - timedelta(days=1))
        )
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        phone = f"555{rng.randint(0, 9_999_999):07d}"
        restricted = account is not None or rng.random() < 0.02
        client = self.add(
            cm.Client,
            organization_id=org,
            given_name=given,
            family_name=family,
            preferred_name=given[:3] if rng.random() < 0.1 else "",
            language="es" if rng.random() < 0.2 else "en",
            phone=f"({phone[:3]}) {phone[3:6]}-{phone[6:]}",
            phone_digits=phone,
            email=f"{given.lower()}.{family.lower()}{rng.randint(1, 999)}@mail.example",
            address=rng.choice(ADDRESSES),
            date_of_birth=date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            status=cm.Client.Status.ACTIVE if active else cm.Client.Status.DISCHARGED,
            referral_source=rng.choice(cm.Client.ReferralSource.values),
            staff_account_id=account,
            is_restricted=restricted,
            restricted_reason="Staff member served here"
            if account
            else ("Asked for privacy" if restricted else ""),
            next_step="Call about the apartment" if active else "",
            next_step_due=self.today + timedelta(days=rng.randint(-10, 20)) if active else None,
            created_at=self.at(started),
            updated_at=self.at(started),
        )
        self.add(
            cm.Enrollment,
            organization_id=org,
            client_id=client,
            program_id=program,
            team_id=team,
            started_on=started,
            ended_on=ended,
            end_reason="" if active else rng.choice([c for c, _ in cm.DISCHARGE_REASONS]),
        )
        members = [(peer, cm.CareTeamMember.Role.PEER)]
        if rng.random() < 0.3:
            members.append((rng.choice(staff["clinicians"][:2]), cm.CareTeamMember.Role.CLINICIAN))
        for member, role in members:
            self.add(
                cm.CareTeamMember,
                organization_id=org,
                client_id=client,
                staff_id=member,
                role=role,
                is_primary=member == peer,
                started_on=started,
                ended_on=ended,
                end_reason="" if active else cm.CareTeamMember.EndedBy.DISCHARGE,
            )
        self.add(
            cm.ServiceConsent,
            organization_id=org,
            client_id=client,
            method=cm.ServiceConsent.Method.VERBAL,
            given_on=started,
            witness="Front desk",
            recorded_by_id=peer,
            recorded_at=self.at(started),
        )
        self.events.append(
            AuditRow(self.at(started), "client.intake", peer, client, "Client", str(client))
        )
        return {
            "id": client,
            "peer": peer,
            "team": team,
            "started": started,
            "ended": ended,
            "active": active,
            "restricted": restricted,
            "staff": account is not None,
        }

    # -- contacts, the bulk of the data ---------------------------------------------------------

    def contacts(self, org: int, people: list[dict[str, Any]], staff: dict[str, Any]) -> None:
        rng = self.rng
        supervisor = staff["supervisor"]
        recent = self.today - timedelta(days=10)
        for person in people:
            first = max(person["started"], self.start)
            last = person["ended"] or self.today
            months = max((last - first).days / 30, 0.5)
            count = max(1, round(months * self.scale.contacts_a_month * rng.uniform(0.6, 1.4)))
            days = sorted(self.day_between(first, last) for _ in range(count))
            last_contact = None
            for day in days:
                contact = self.contact(org, person, day, supervisor, recent)
                if contact is not None:
                    last_contact = day
                    person.setdefault("contacts", []).append((contact, day))
            reached = last_contact
            self.add(
                em.Engagement,
                organization_id=org,
                client_id=person["id"],
                status=(
                    em.Engagement.Status.CLOSED
                    if not person["active"]
                    else rng.choice(
                        [em.Engagement.Status.ENGAGED] * 8 + [em.Engagement.Status.ENGAGING] * 2
                    )
                ),
                last_reached_on=reached,
                next_attempt_on=self.today + timedelta(days=rng.randint(1, 14))
                if person["active"]
                else None,
                updated_at=self.at(reached or person["started"]),
            )
            if person["active"] and rng.random() < 0.1:
                for _ in range(3):
                    day = self.day_between(self.today - timedelta(days=60), self.today)
                    self.add(
                        em.OutreachAttempt,
                        organization_id=org,
                        client_id=person["id"],
                        staff_id=person["peer"],
                        attempted_at=self.at(day),
                        method=rng.choice(em.OutreachAttempt.Method.values),
                        outcome=rng.choice(em.OutreachAttempt.Outcome.values),
                        created_at=self.at(day),
                    )
            person["last_contact"] = last_contact
        # The denormalized "last contact" each person's list row shows: written with the person
        # above would need the contacts first, so it is set in one statement per agency.
        self.writer.flush()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE clients_client SET last_contact_on = ("
                " SELECT MAX(occurred_at) FROM encounters_contact c"
                " WHERE c.client_id = clients_client.id AND c.status = 'signed'"
                ") WHERE organization_id = %s",
                [org],
            )
            if connection.vendor == "sqlite":  # MAX over text gives the timestamp: keep the date
                cursor.execute(
                    "UPDATE clients_client SET last_contact_on = substr(last_contact_on, 1, 10)"
                    " WHERE organization_id = %s AND last_contact_on IS NOT NULL",
                    [org],
                )

    def contact(
        self, org: int, person: dict[str, Any], day: date, supervisor: int, recent: date
    ) -> int | None:
        rng = self.rng
        occurred = self.at(day)
        author = person["peer"]
        services = rng.sample(em.PeerService.values, rng.randint(1, 3))
        other = [rng.choice(em.OtherTask.values)] if rng.random() < 0.1 else []
        signed_at = occurred + timedelta(minutes=rng.randint(20, 240))
        values: dict[str, Any] = {
            "organization_id": org,
            "client_id": person["id"],
            "author_id": author,
            "occurred_at": occurred,
            "minutes": rng.choice((15, 30, 30, 45, 60, 90)),
            "place": rng.choice(em.Place.values),
            "services": services,
            "other_tasks": other,
            "in_their_words": rng.choice(THEIR_WORDS),
            "summary": rng.choice(SUMMARIES),
            "created_at": occurred,
            "updated_at": signed_at,
        }
        is_recent = day >= recent and person["active"]
        roll = rng.random()
        if is_recent and roll < 0.15:
            values.update(status="draft", review="not_ready", updated_at=occurred)
        elif is_recent or roll < 0.01:  # waiting; a few old ones were never reviewed
            values.update(status="signed", signed_at=signed_at, review="waiting")
        else:
            reviewed_at = signed_at + timedelta(days=rng.randint(1, 5))
            returned = roll < 0.02
            values.update(
                status="signed",
                signed_at=signed_at,
                review="returned" if returned else "reviewed",
                reviewed_by_id=supervisor,
                reviewed_at=reviewed_at,
                review_comment="Please add what they said in their words." if returned else "",
                review_attestation="" if returned else values["summary"],
            )
        contact = self.add(em.Contact, **values)
        event = AuditRow(occurred, "contact.create", author, person["id"], "Contact", str(contact))
        self.events.append(event)
        if values["status"] == "signed":
            self.events.append(
                AuditRow(signed_at, "contact.sign", author, person["id"], "Contact", str(contact))
            )
        if values.get("reviewed_at"):
            self.events.append(
                AuditRow(
                    values["reviewed_at"],
                    "contact.review",
                    supervisor,
                    person["id"],
                    "Contact",
                    str(contact),
                )
            )
        if values["status"] == "signed" and rng.random() < 0.01:
            self.add(
                em.Addendum,
                organization_id=org,
                contact_id=contact,
                author_id=author,
                text="They called after to say the appointment moved to Friday.",
                created_at=signed_at + timedelta(hours=3),
            )
        return contact

    # -- recovery plans ------------------------------------------------------------------------

    def plans(self, org: int, people: list[dict[str, Any]]) -> None:
        rng = self.rng
        for person in people:
            client, peer, started = person["id"], person["peer"], person["started"]
            contacts = person.get("contacts", [])
            for _ in range(rng.randint(1, 3)):
                area, words = rng.choice(GOALS)
                created = self.at(self.day_between(started, person["ended"] or self.today))
                status = (
                    "active"
                    if person["active"] and rng.random() < 0.8
                    else rng.choice(["achieved", "paused", "set_aside"])
                )
                goal = self.add(
                    pm.Goal,
                    organization_id=org,
                    client_id=client,
                    own_words=words,
                    life_area=area,
                    status=status,
                    created_by_id=peer,
                    created_at=created,
                    updated_at=created,
                )
                for n in range(2):
                    due = created.date() + timedelta(days=30 * (n + 1))
                    self.add(
                        pm.GoalStep,
                        organization_id=org,
                        goal_id=goal,
                        text=("Make the first call" if n == 0 else "Go to the appointment"),
                        due_on=due,
                        done_on=due if due < self.today and rng.random() < 0.6 else None,
                        created_at=created,
                    )
                if status != "active":
                    self.add(
                        pm.GoalStatusChange,
                        organization_id=org,
                        goal_id=goal,
                        from_status="active",
                        to_status=status,
                        changed_by_id=peer,
                        changed_at=created + timedelta(days=40),
                    )
                # A note on the goal about every fourth contact after it was set.
                for contact, day in contacts:
                    if day >= created.date() and rng.random() < 0.25:
                        self.add(
                            pm.GoalNote,
                            organization_id=org,
                            goal_id=goal,
                            text="Made progress this week.",
                            written_on=day,
                            written_by_id=peer,
                            contact_id=contact,
                            created_at=self.at(day),
                        )
            if rng.random() < 0.3:
                self.wrap(org, person)
            if person["active"] and rng.random() < 0.15:
                self.wham(org, person)
            if rng.random() < 0.1:
                self.imr(org, person)

    def wrap(self, org: int, person: dict[str, Any]) -> None:
        versions = self.rng.randint(1, 4)
        created = self.at(person["started"] + timedelta(days=7))
        plan = self.add(
            pm.WrapPlan,
            organization_id=org,
            client_id=person["id"],
            current_version=versions,
            created_at=created,
            updated_at=created,
        )
        for number in range(1, versions + 1):
            self.add(
                pm.WrapVersion,
                organization_id=org,
                plan_id=plan,
                number=number,
                content={
                    "toolbox": "A walk, music, calling my friend Rosa.",
                    "daily_maintenance": f"Take my time in the morning (version {number}).",
                },
                note="Added to the toolbox" if number > 1 else "",
                saved_by_id=person["peer"],
                saved_at=created + timedelta(days=30 * (number - 1)),
            )

    def wham(self, org: int, person: dict[str, Any]) -> None:
        rng = self.rng
        started = max(person["started"], self.today - timedelta(days=84))
        plan = self.add(
            pm.WhamPlan,
            organization_id=org,
            client_id=person["id"],
            factor=rng.choice(pm.WhamFactor.values),
            goal="Feel rested and have energy for my grandkids.",
            started_on=started,
            created_by_id=person["peer"],
            created_at=self.at(started),
        )
        week = started - timedelta(days=started.weekday())
        while week <= self.today:
            self.add(
                pm.WhamActionPlan,
                organization_id=org,
                plan_id=plan,
                week_of=week,
                what="Walk around the block",
                how_much="15 minutes",
                when="After lunch",
                how_often="4 days",
                confidence=rng.randint(5, 10),
                created_by_id=person["peer"],
                created_at=self.at(week),
            )
            for offset in (0, 2, 4):
                day = week + timedelta(days=offset)
                if day <= self.today:
                    self.add(
                        pm.WhamLogEntry,
                        organization_id=org,
                        plan_id=plan,
                        day=day,
                        did_it=rng.random() < 0.7,
                        created_at=self.at(day, 19),
                    )
            week += timedelta(days=7)

    def imr(self, org: int, person: dict[str, Any]) -> None:
        started = person["started"]
        imr = self.add(
            pm.ImrPlan,
            organization_id=org,
            client_id=person["id"],
            recovery_goal="Understand my illness and have fewer hospital stays.",
            started_on=started,
            created_at=self.at(started),
        )
        modules = self.rng.randint(1, 6)
        for module in range(1, modules + 1):
            held = started + timedelta(days=14 * module)
            if held > self.today:
                break
            self.add(
                pm.ImrSession,
                organization_id=org,
                imr_id=imr,
                module=module,
                held_on=held,
                led_by_id=person["peer"],
                created_at=self.at(held),
            )
            self.add(
                pm.ImrCompletion, organization_id=org, imr_id=imr, module=module, completed_on=held
            )

    # -- measures -----------------------------------------------------------------------------

    def response(self, points: tuple[int, ...]) -> tuple[dict[str, Any], Decimal | None, str]:
        """A scored, validated PHQ-9 response for these answers (built once per set of answers;
        each person's copy names them and the day)."""
        if points not in self.responses:
            questions = self.instrument.scored_questions
            answers = {
                q.link_id: self.frequency[i][p]
                for i, (q, p) in enumerate(zip(questions, points, strict=True))
            }
            result = instruments.score(self.instrument, answers)
            resource = fhir.build_response(
                instrument=self.instrument,
                canonical=self.phq9.canonical,
                client_id=0,
                authored_on=self.today,
                answers=result.answers,
                total=result.total,
            )
            self.responses[points] = (resource, result.total, result.band)
        return self.responses[points]

    def measures(self, org: int, people: list[dict[str, Any]]) -> None:
        rng = self.rng
        for person in people:
            if rng.random() >= 0.4:
                continue
            level = rng.uniform(0.5, 2.5)
            day = max(person["started"], self.start) + timedelta(days=3)
            last = person["ended"] or self.today
            newest = day
            while day <= last:
                points = [
                    max(0, min(3, round(level + rng.uniform(-0.7, 0.7)))) for _ in self.frequency
                ]
                points[-1] = 0  # item 9 stays 0: alerts are the demo's to show, not the bench's
                resource, total, band = self.response(tuple(points))
                resource = {
                    **resource,
                    "subject": {"reference": f"Patient/{person['id']}"},
                    "authored": day.isoformat(),
                }
                self.add(
                    mm.Response,
                    organization_id=org,
                    client_id=person["id"],
                    questionnaire_id=self.phq9.pk,
                    authored_on=day,
                    total=total,
                    band=band,
                    resource=resource,
                    recorded_by_id=person["peer"],
                    created_at=self.at(day),
                )
                newest = day
                level = max(0.0, level - rng.uniform(0, 0.15))
                day += timedelta(days=90)
            if person["active"]:
                self.add(
                    mm.Schedule,
                    organization_id=org,
                    client_id=person["id"],
                    questionnaire_id=self.phq9.pk,
                    every_days=90,
                    next_due_on=newest + timedelta(days=90),
                    created_at=self.at(person["started"]),
                )

    # -- groups and team meetings ---------------------------------------------------------------

    def groups(
        self,
        org: int,
        people: list[dict[str, Any]],
        staff: dict[str, Any],
        teams: list[tuple[int, int]],
    ) -> None:
        rng = self.rng
        active = [p for p in people if p["active"] and not p["restricted"]]
        kinds = [
            em.Group.Kind.WRAP,
            em.Group.Kind.WHAM,
            em.Group.Kind.PEER_SUPPORT,
            em.Group.Kind.SKILL_BUILDING,
        ]
        for index, kind in enumerate(kinds):
            team = teams[index % 2][0]
            facilitator = staff["team_peers"][index % 2][0]
            group = self.add(
                em.Group,
                organization_id=org,
                team_id=team,
                name=f"{em.Group.Kind(kind).label} {index + 1}",
                kind=kind,
                schedule="Tuesdays 2 pm",
                location="Room B",
                created_at=self.at(self.start),
            )
            self.writer.add(
                em.Group.facilitators.through,
                {
                    "id": self.ids(em.Group.facilitators.through),
                    "group_id": group,
                    "staff_id": facilitator,
                },
            )
            members = rng.sample(active, min(len(active), 12))
            for member in members:
                self.add(
                    em.GroupMember,
                    organization_id=org,
                    group_id=group,
                    client_id=member["id"],
                    joined_on=max(member["started"], self.start),
                )
            held = self.today - timedelta(days=7 * min(52, self.scale.months * 4))
            while held <= self.today:
                session = self.add(
                    em.GroupSession,
                    organization_id=org,
                    group_id=group,
                    held_on=held,
                    topic="Tools for hard days",
                    recorded_by_id=facilitator,
                    guests=rng.randint(0, 2),
                    created_at=self.at(held, 15),
                )
                for member in members:
                    if member["started"] <= held:
                        self.add(
                            em.Attendance,
                            organization_id=org,
                            session_id=session,
                            client_id=member["id"],
                            status=rng.choice(["present"] * 3 + ["absent", "excused"]),
                        )
                self.events.append(
                    AuditRow(
                        self.at(held, 15), "group.attendance", facilitator, details={"group": group}
                    )
                )
                held += timedelta(days=7)

    def meetings(
        self,
        org: int,
        people: list[dict[str, Any]],
        staff: dict[str, Any],
        teams: list[tuple[int, int]],
    ) -> None:
        rng = self.rng
        for index, (team, _program) in enumerate(teams):
            members = [
                p for p in people if p["team"] == team and p["active"] and not p["restricted"]
            ]
            weeks = min(26, self.scale.months * 4)
            for week in range(weeks, -2, -1):  # half a year back, and next week's
                starts = self.at(self.today - timedelta(days=7 * week), 10)
                meeting = self.add(
                    mtg.TeamMeeting,
                    organization_id=org,
                    team_id=team,
                    kind=mtg.TeamMeeting.Kind.TREATMENT_PLANNING,
                    starts_at=starts,
                    created_by_id=staff["supervisor"],
                    created_at=starts - timedelta(days=3),
                )
                for attendee in {
                    staff["supervisor"],
                    staff["clinicians"][index],
                    *staff["team_peers"][index][:3],
                }:
                    self.writer.add(
                        mtg.TeamMeeting.attendees.through,
                        {
                            "id": self.ids(mtg.TeamMeeting.attendees.through),
                            "teammeeting_id": meeting,
                            "staff_id": attendee,
                        },
                    )
                for member in rng.sample(members, min(len(members), 5)):
                    prepared = week >= 0
                    self.add(
                        mtg.AgendaItem,
                        organization_id=org,
                        meeting_id=meeting,
                        client_id=member["id"],
                        added_by_id=member["peer"],
                        what_they_want="To keep my apartment and start classes.",
                        what_worries_them="That the new medicine makes me tired.",
                        view_of_plan="Fine if we talk about it first.",
                        voice_prepared_by_id=member["peer"] if prepared else None,
                        voice_prepared_at=starts - timedelta(days=1) if prepared else None,
                        discussion="Talked about classes at the college." if week > 0 else "",
                        decisions="Peer will go with them to enroll." if week > 0 else "",
                        created_at=starts - timedelta(days=2),
                    )

    # -- privacy -------------------------------------------------------------------------------

    def privacy(self, org: int, people: list[dict[str, Any]], staff: dict[str, Any]) -> None:
        rng = self.rng
        # Someone on the first peer's caseload always has a disclosure (the benchmark's).
        first = next(p for p in people if p["peer"] == staff["peers"][0] and p["active"])
        for person in people:
            if rng.random() >= 0.05 and person is not first:
                continue
            signed = self.day_between(person["started"], person["ended"] or self.today)
            consent = self.add(
                cm.Consent,
                organization_id=org,
                client_id=person["id"],
                scope=cm.Consent.Scope.RECORDS,
                information="Attendance and progress in peer services",
                recipient="Riverside Primary Care",
                purpose=cm.Consent.Purpose.TREATMENT,
                signed_on=signed,
                expires_on=signed + timedelta(days=365),
                recorded_by_id=person["peer"],
                created_at=self.at(signed),
            )
            at = self.at(signed + timedelta(days=10))
            self.add(
                cm.Disclosure,
                organization_id=org,
                client_id=person["id"],
                consent_id=consent,
                method=cm.Disclosure.Method.SEND,
                recipient="Riverside Primary Care",
                purpose=cm.Consent.Purpose.TREATMENT,
                information="Attendance and progress in peer services",
                is_part2=True,
                disclosed_by_id=person["peer"],
                disclosed_at=at,
            )
            self.events.append(AuditRow(at, "disclosure.make", person["peer"], person["id"]))
        for n in range(3):
            person = rng.choice([p for p in people if p["active"]])
            started = self.at(self.today - timedelta(days=20 * (n + 1)), 2)
            reviewed = n > 0
            self.add(
                cm.EmergencyAccess,
                organization_id=org,
                client_id=person["id"],
                staff_id=staff["clinicians"][0],
                affiliation="Crisis team",
                nature_of_emergency="Called by the crisis line at night; needed the safety plan.",
                started_at=started,
                expires_at=started + timedelta(hours=1),
                review="justified" if reviewed else "pending",
                reviewed_by_id=staff["privacy"] if reviewed else None,
                reviewed_at=started + timedelta(days=1) if reviewed else None,
                review_note="The safety plan was needed." if reviewed else "",
            )
            self.events.append(
                AuditRow(
                    started,
                    "emergency_access.start",
                    staff["clinicians"][0],
                    person["id"],
                    purpose="emergency",
                )
            )
        for peer in staff["peers"]:
            at = self.at(self.today - timedelta(days=rng.randint(0, 5)))
            self.add(
                cm.Notification,
                organization_id=org,
                recipient_id=peer,
                message="A note you wrote was returned with a comment.",
                url="/my-day/",
                created_at=at,
            )

    # -- the audit chain -----------------------------------------------------------------------

    def chain(self, org: int) -> None:
        """Number the agency's events in time order and chain them in their lanes, as
        `audit.record` would."""
        self.events.sort(key=lambda event: event.created_at)
        previous: dict[int, str] = {}
        for event in self.events:
            event.organization_id = org
            event.lane = audit.lane_for(event.actor_id)
            event.previous_hash = previous.get(event.lane, audit.GENESIS)
            event.key_id = self.kid
            event.hash = audit.compute_hash(event)  # type: ignore[arg-type]
            previous[event.lane] = event.hash
            self.add(
                core.AuditEvent,
                organization_id=org,
                actor_id=event.actor_id,
                client_id=event.client_id,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                purpose=event.purpose,
                request_id=event.request_id,
                ip_address=event.ip_address,
                created_at=event.created_at,
                details=event.details,
                previous_hash=event.previous_hash,
                key_id=event.key_id,
                hash=event.hash,
                lane=event.lane,
            )
        self.events = []


def generate(
    scale_name: str,
    *,
    seed: int = 1,
    today: date | None = None,
    out: Callable[[str], None] | None = None,
) -> dict[str, int]:
    check_database(scale_name)
    return Generator(SCALES[scale_name], seed=seed, today=today, out=out).run()
