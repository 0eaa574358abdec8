"""The cast, plus the people around a restricted record (a staff member who is also a client).

    coworker            peer on the restricted client's own team (Harbor Team)
    harbor_supervisor   supervises the restricted client at work (Harbor Team)
    green_supervisor    supervises the team that serves the restricted client (Green Team)
    privacy_officer     the organization's privacy officer

The restricted record is `cast.peer_client_record` ("Robin Both"), served by the clinician.
"""

from __future__ import annotations

from typing import ClassVar

from django.test import Client as HttpClient

from peerpath.core.models import Role, Staff, Team, TeamMembership
from peerpath.testing import CastTestCase, make_staff

EXTRA_ROLES = ("coworker", "harbor_supervisor", "green_supervisor", "privacy_officer")
RESTRICTED_NAMES = ("Robin", "Both")


class PrivacyCastTestCase(CastTestCase):
    extra: ClassVar[dict[str, Staff]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.cast.org
        harbor = Team.objects.get(organization=org, name="Harbor Team")
        green = cls.cast.other_team
        cls.harbor_team = harbor
        cls.extra = {
            "coworker": make_staff(
                org, Role.PEER_SPECIALIST, name="Cory Coworker", teams=(harbor,)
            ),
            "harbor_supervisor": make_staff(
                org, Role.PEER_SUPERVISOR, name="Hale Harbor", teams=(harbor,), supervises=(harbor,)
            ),
            "green_supervisor": make_staff(
                org, Role.PEER_SUPERVISOR, name="Gwen Green", teams=(green,), supervises=(green,)
            ),
            "privacy_officer": make_staff(org, Role.PRIVACY_OFFICER, name="Pia Privacy"),
        }
        # The clinician's team is supervised by Gwen: the record is "hers" but for restriction.
        assert TeamMembership.objects.filter(team=green, is_supervisor=True).exists()

    def staff(self, role: str) -> Staff | None:
        if role in self.extra:
            return self.extra[role]
        return self.cast.staff(role)

    def as_(self, role: str) -> HttpClient:
        http = HttpClient()
        staff = self.staff(role)
        if staff is not None:
            http.force_login(staff)
        return http

    def assertRefusedInPage(self, response, status: int, *names: str) -> None:  # type: ignore[no-untyped-def]
        """Like assertRefused, but only the page's main content is searched for names.

        For the staff member who is the record's subject: the page header names them anyway.
        """
        self.assertEqual(response.status_code, status, response.content[:300])
        body = response.content.decode(errors="replace")
        main = body.split("<main", 1)[-1].split("</main>", 1)[0]
        for name in names or RESTRICTED_NAMES:
            self.assertNotIn(name, main)
