"""Test support: factories, the cast of roles every view is tested against, and query counting.

The cast (see `Cast`):
    peer          peer specialist on the client's care team (reads and writes the record)
    supervisor    peer supervisor of the peer's team (reads the record, may not change it)
    clinician     clinician on another team (the record does not exist for them: 404)
    peer_client   peer specialist who is also a client, in another program (404)
    outsider      staff member of another organization (404)
    anonymous     not signed in (sent to sign-in; the API answers 401)
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client as HttpClient
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peerpath.clients.models import CareTeamMember, Client, Enrollment
from peerpath.core.models import Organization, Program, Role, Staff, Team, TeamMembership

ROLES = ("peer", "supervisor", "clinician", "peer_client", "outsider", "anonymous")
_serial = itertools.count(1)


def make_organization(name: str = "") -> Organization:
    n = next(_serial)
    return Organization.objects.create(name=name or f"Agency {n}", slug=f"agency-{n}")


def make_program(
    org: Organization, name: str = "", kind: str = Program.Kind.MENTAL_HEALTH
) -> Program:
    return Program.objects.create(
        organization=org, name=name or f"Program {next(_serial)}", kind=kind
    )


def make_team(program: Program, name: str = "") -> Team:
    return Team.objects.create(
        organization=program.organization, program=program, name=name or f"Team {next(_serial)}"
    )


def make_staff(
    org: Organization,
    role: str = Role.PEER_SPECIALIST,
    *,
    name: str = "",
    teams: tuple[Team, ...] = (),
    supervises: tuple[Team, ...] = (),
    password: str = "correct horse battery",
) -> Staff:
    n = next(_serial)
    staff = Staff.objects.create_user(
        f"staff{n}@example.org",
        password,
        full_name=name or f"Staff Member {n}",
        organization=org,
        role=role,
    )
    for team in teams:
        TeamMembership.objects.create(
            organization=org, team=team, staff=staff, is_supervisor=team in supervises
        )
    return staff


def make_client(
    team: Team,
    *,
    given_name: str = "",
    family_name: str = "",
    care_team: tuple[Staff, ...] = (),
    staff_account: Staff | None = None,
    **fields: Any,
) -> Client:
    n = next(_serial)
    org = team.organization
    client = Client.objects.create(
        organization=org,
        given_name=given_name or f"Given{n}",
        family_name=family_name or f"Family{n}",
        staff_account=staff_account,
        **fields,
    )
    Enrollment.objects.create(
        organization=org,
        client=client,
        program=team.program,
        team=team,
        started_on=timezone.localdate() - timedelta(days=30),
    )
    for i, member in enumerate(care_team):
        CareTeamMember.objects.create(
            organization=org,
            client=client,
            staff=member,
            is_primary=i == 0,
            role=CareTeamMember.Role.PEER if member.is_peer else CareTeamMember.Role.CLINICIAN,
        )
    return client


@dataclass
class Cast:
    org: Organization
    other_org: Organization
    program: Program
    other_program: Program
    team: Team
    other_team: Team
    peer: Staff
    supervisor: Staff
    clinician: Staff
    peer_client: Staff
    outsider: Staff
    client: Client
    peer_client_record: Client
    outsider_client: Client

    def staff(self, role: str) -> Staff | None:
        return None if role == "anonymous" else getattr(self, role)


def make_cast() -> Cast:
    org = make_organization("Cedar Valley Behavioral Health")
    program = make_program(org, "Adult Recovery")
    other_program = make_program(org, "Substance Use Services", Program.Kind.SUBSTANCE_USE)
    team = make_team(program, "Blue Team")
    other_team = make_team(program, "Green Team")
    sud_team = make_team(other_program, "Harbor Team")
    peer = make_staff(org, Role.PEER_SPECIALIST, name="Pat Peer", teams=(team,))
    supervisor = make_staff(
        org, Role.PEER_SUPERVISOR, name="Sky Supervisor", teams=(team,), supervises=(team,)
    )
    clinician = make_staff(org, Role.CLINICIAN, name="Casey Clinician", teams=(other_team,))
    peer_client = make_staff(org, Role.PEER_SPECIALIST, name="Robin Both", teams=(sud_team,))
    other_org = make_organization("Elsewhere Services")
    other_team_elsewhere = make_team(make_program(other_org, "Elsewhere Program"), "Red Team")
    outsider = make_staff(
        other_org, Role.PEER_SPECIALIST, name="Olive Outsider", teams=(other_team_elsewhere,)
    )
    client = make_client(
        team,
        given_name="Jordana",
        family_name="Quillfeather",
        care_team=(peer,),
        next_step="Visit the housing office",
        next_step_due=timezone.localdate(),
        last_contact_on=timezone.localdate() - timedelta(days=3),
        date_of_birth=date(1990, 5, 17),
    )
    peer_client_record = make_client(
        other_team,
        given_name="Robin",
        family_name="Both",
        care_team=(clinician,),
        staff_account=peer_client,
    )
    outsider_client = make_client(
        other_team_elsewhere, given_name="Elsa", family_name="Farland", care_team=(outsider,)
    )
    return Cast(
        org=org,
        other_org=other_org,
        program=program,
        other_program=other_program,
        team=team,
        other_team=other_team,
        peer=peer,
        supervisor=supervisor,
        clinician=clinician,
        peer_client=peer_client,
        outsider=outsider,
        client=client,
        peer_client_record=peer_client_record,
        outsider_client=outsider_client,
    )


class CastTestCase(TestCase):
    """A TestCase with the cast of roles, a signed-in HTTP client per role and query counting."""

    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def as_(self, role: str) -> HttpClient:
        staff = self.cast.staff(role)
        return self.as_staff(staff) if staff is not None else HttpClient()

    def as_staff(self, staff: Staff) -> HttpClient:
        """Signed in as someone outside the cast (a co-facilitator, a colleague)."""
        http = HttpClient()
        http.force_login(staff)
        return http

    def fetch_download(self, http: HttpClient, response: Any, **headers: Any) -> Any:
        """Follow a request for a file made in the background: to its page (where the link
        is, the queue in tests being immediate), then the file itself."""
        self.assertEqual(response.status_code, 302, response.content[:300])
        page = http.get(response["Location"], **headers)
        self.assertContains(page, 'id="download-link"')
        link = re.search(r'id="download-link" href="([^"]+)"', page.content.decode())
        assert link is not None
        return http.get(link.group(1), **headers)

    def assertRefused(self, response: Any, status: int, *names: str) -> None:
        """A refusal with the expected status whose body names nobody it should not."""
        self.assertEqual(response.status_code, status, response.content[:300])
        body = response.content.decode(errors="replace")
        for name in names or (self.cast.client.given_name, self.cast.client.family_name):
            self.assertNotIn(name, body)


@contextmanager
def count_queries(using: str = DEFAULT_DB_ALIAS) -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connections[using]) as context:
        yield context


def query_count(func: Callable[[], Any]) -> int:
    with count_queries() as context:
        func()
    return len(context.captured_queries)
