"""Riverbend Community Mental Health: the fictional demo agency.

Everything here is invented. Loading is idempotent: if the agency exists, nothing changes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from peerpath.clients.actions import care_team_assign, client_create
from peerpath.clients.models import CareTeamMember, Client
from peerpath.core.models import Organization, Program, Role, Staff, Team, TeamMembership

SLUG = "riverbend"

# Later capabilities add their demo data: each module has `load(*, org, today)`, called once, in
# this order, when the agency is first created.
EXTENSIONS: list[str] = [
    "peerpath.encounters.demo",
    "peerpath.meetings.demo",
    "peerpath.plans.demo",
    "peerpath.clients.demo",
    "peerpath.directory.demo",
    "peerpath.workforce.demo",
    "peerpath.demo.lifecycle",
    "peerpath.workforce.support_demo",  # after lifecycle: it names who supervises whom
]
PASSWORD = "riverbend-demo"
# Where the demo's people live: Riverbend's county directory measures distances from these.
STREETS = (
    "450 River Rd, Eugene, OR 97404",
    "1200 Main St, Springfield, OR 97477",
    "88 Oak Ave, Eugene, OR 97401",
    "7 Hill St, Eugene, OR 97405",
    "2310 W 11th Ave, Eugene, OR 97402",
)


@dataclass(frozen=True)
class DemoStaff:
    key: str
    email: str
    full_name: str
    role: str
    title: str
    teams: tuple[str, ...] = ()
    supervises: tuple[str, ...] = ()


STAFF = [
    DemoStaff(
        "maria",
        "maria.lopez@riverbend.example",
        "Maria Lopez",
        Role.PEER_SPECIALIST,
        "Certified Peer Specialist",
        teams=("north",),
    ),
    DemoStaff(
        "james",
        "james.carter@riverbend.example",
        "James Carter",
        Role.PEER_SPECIALIST,
        "Peer Recovery Specialist",
        teams=("north",),
    ),
    DemoStaff(
        "dana",
        "dana.whitfield@riverbend.example",
        "Dana Whitfield",
        Role.PEER_SUPERVISOR,
        "Peer Services Supervisor",
        teams=("north", "pathways"),
        supervises=("north", "pathways"),
    ),
    DemoStaff(
        "priya",
        "priya.shah@riverbend.example",
        "Priya Shah",
        Role.CLINICIAN,
        "Licensed Clinical Social Worker",
        teams=("south",),
    ),
    DemoStaff(
        "keisha",
        "keisha.brown@riverbend.example",
        "Keisha Brown",
        Role.CASE_MANAGER,
        "Case Manager",
        teams=("north",),
    ),
    DemoStaff(
        "sam",
        "sam.rivera@riverbend.example",
        "Sam Rivera",
        Role.PEER_SPECIALIST,
        "Peer Recovery Coach",
        teams=("pathways",),
    ),
    DemoStaff(
        "tom",
        "tom.nguyen@riverbend.example",
        "Tom Nguyen",
        Role.PROGRAM_MANAGER,
        "Program Manager",
    ),
    DemoStaff(
        "alex",
        "alex.morgan@riverbend.example",
        "Alex Morgan",
        Role.PRIVACY_OFFICER,
        "Privacy Officer",
    ),
]

GIVEN = [
    "Aaliyah",
    "Ben",
    "Carmen",
    "Darnell",
    "Elena",
    "Frank",
    "Grace",
    "Hector",
    "Imani",
    "Jorge",
    "Kayla",
    "Luis",
    "Monique",
    "Nathan",
    "Olivia",
    "Pedro",
    "Quinn",
    "Rosa",
    "Tyrone",
    "Valeria",
    "Walter",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Andre",
    "Brianna",
    "Cesar",
    "Denise",
    "Emmanuel",
    "Fatima",
    "Gabriel",
    "Hannah",
    "Isaiah",
    "Jasmine",
    "Kevin",
    "Lena",
    "Marcus",
    "Nina",
    "Oscar",
]
FAMILY = [
    "Abbott",
    "Baker",
    "Castillo",
    "Dawson",
    "Ellis",
    "Fuentes",
    "Gallagher",
    "Hayes",
    "Ibarra",
    "Jennings",
    "Kowalski",
    "Lambert",
    "Mendoza",
    "Novak",
    "Ortega",
    "Patel",
    "Quintero",
    "Reyes",
    "Sullivan",
    "Tran",
    "Underwood",
    "Vasquez",
    "Whitaker",
    "Yates",
    "Zamora",
    "Alvarez",
    "Bishop",
    "Coleman",
    "Delgado",
    "Espinoza",
    "Fischer",
    "Guerrero",
    "Holloway",
    "Ingram",
    "Jimenez",
    "Keller",
    "Larson",
    "Morales",
    "Nguyen",
]
NICKNAMES = {
    "Aaliyah": "Ali",
    "Gabriel": "Gabe",
    "Valeria": "Vale",
    "Emmanuel": "Manny",
    "Jasmine": "Jaz",
    "Nathan": "Nate",
    "Monique": "Mo",
    "Isaiah": "Zay",
    "Tyrone": "Ty",
    "Brianna": "Bri",
    "Fatima": "Tima",
    "Zoe": "Zo",
    "Kevin": "Kev",
    "Denise": "Dee",
}
PRONOUNS = ["she/her", "he/him", "they/them", "", "she/her", "he/him"]
NEXT_STEPS = [
    "Go with them to the housing office",
    "Call about the WRAP group",
    "Practice the budget worksheet together",
    "Check in after the doctor visit",
    "Meet at the library for the job search",
    "Find a Thursday NA meeting close to home",
    "Plan the first week back at work",
    "Talk through the crisis plan draft",
]


def already_loaded() -> bool:
    return Organization.objects.filter(slug=SLUG).exists()


@transaction.atomic
def load() -> Organization:
    """Create the demo agency; do nothing if it is already there."""
    existing = Organization.objects.filter(slug=SLUG).first()
    if existing:
        return existing
    rng = random.Random(20261123)
    today = timezone.localdate()
    org = Organization.objects.create(name="Riverbend Community Mental Health", slug=SLUG)
    adult = Program.objects.create(
        organization=org, name="Adult Recovery Services", kind=Program.Kind.MENTAL_HEALTH
    )
    sud = Program.objects.create(
        organization=org, name="Pathways Substance Use Program", kind=Program.Kind.SUBSTANCE_USE
    )
    teams = {
        "north": Team.objects.create(organization=org, program=adult, name="North Recovery Team"),
        "south": Team.objects.create(organization=org, program=adult, name="South Recovery Team"),
        "pathways": Team.objects.create(organization=org, program=sud, name="Pathways Team"),
    }
    staff: dict[str, Staff] = {}
    for person in STAFF:
        member = Staff.objects.create_user(
            person.email,
            PASSWORD,
            full_name=person.full_name,
            organization=org,
            role=person.role,
            title=person.title,
        )
        staff[person.key] = member
        for team_key in person.teams:
            TeamMembership.objects.create(
                organization=org,
                team=teams[team_key],
                staff=member,
                is_supervisor=team_key in person.supervises,
            )

    # Sam works on the Pathways team and is also served, by the South team, in another program.
    sam_client = client_create(
        actor=None,
        organization=org,
        given_name="Samuel",
        family_name="Rivera",
        preferred_name="Sam",
        pronouns="he/him",
        program=adult,
        team=teams["south"],
        enrolled_on=today - timedelta(days=400),
        date_of_birth=date(1988, 4, 12),
        staff_account=staff["sam"],
        phone="555-0140",
        last_contact_on=today - timedelta(days=12),
        next_step="Medication check-in",
    )
    care_team_assign(
        actor=None,
        client=sam_client,
        staff=staff["priya"],
        role=CareTeamMember.Role.CLINICIAN,
        is_primary=True,
    )

    # 39 more people: 18 with the North team, 11 with the South team, 10 in Pathways.
    plan = ["north"] * 18 + ["south"] * 11 + ["pathways"] * 10
    for index, team_key in enumerate(plan):
        team = teams[team_key]
        last = today - timedelta(days=rng.randint(0, 40)) if rng.random() > 0.1 else None
        due = today + timedelta(days=rng.randint(-5, 14))
        client = client_create(
            actor=None,
            organization=org,
            given_name=GIVEN[index],
            family_name=FAMILY[index],
            preferred_name="" if rng.random() > 0.2 else NICKNAMES.get(GIVEN[index], ""),
            pronouns=rng.choice(PRONOUNS),
            language="Spanish" if rng.random() < 0.2 else "English",
            program=team.program,
            team=team,
            enrolled_on=today - timedelta(days=rng.randint(30, 700)),
            date_of_birth=date(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28)),
            phone=f"555-01{index:02d}",
            address=STREETS[index % len(STREETS)],
            last_contact_on=last,
            next_step=rng.choice(NEXT_STEPS),
            next_step_due=due,
        )
        _assign_care_team(client, team_key, index, staff)
    for module in EXTENSIONS:
        import_module(module).load(org=org, today=today)
    return org


def _assign_care_team(client: Client, team_key: str, index: int, staff: dict[str, Staff]) -> None:
    if team_key == "north":
        peer = staff["maria"] if index % 2 == 0 else staff["james"]
        care_team_assign(
            actor=None, client=client, staff=peer, role=CareTeamMember.Role.PEER, is_primary=True
        )
        if index % 3 == 0:
            care_team_assign(
                actor=None,
                client=client,
                staff=staff["keisha"],
                role=CareTeamMember.Role.CASE_MANAGER,
            )
    elif team_key == "south":
        care_team_assign(
            actor=None,
            client=client,
            staff=staff["priya"],
            role=CareTeamMember.Role.CLINICIAN,
            is_primary=True,
        )
    else:
        care_team_assign(
            actor=None,
            client=client,
            staff=staff["sam"],
            role=CareTeamMember.Role.PEER,
            is_primary=True,
        )


def logins() -> list[tuple[str, str, str]]:
    return [(p.full_name, p.email, str(Role(p.role).label)) for p in STAFF]
