"""The gate itself: who may read or write a record, for every member of the cast."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from peerpath.clients import access
from peerpath.clients.models import CareTeamMember
from peerpath.testing import ROLES, CastTestCase

READ = {"peer": "care_team", "supervisor": "supervisor"}
WRITE = {"peer"}


class GateTests(CastTestCase):
    def test_read_per_role(self) -> None:
        for role in ROLES:
            with self.subTest(role=role):
                user = self.cast.staff(role)
                if role in READ:
                    grant = access.client_for_read(user, self.cast.client.pk)
                    self.assertEqual(grant.client, self.cast.client)
                    self.assertEqual(grant.basis, READ[role])
                else:
                    with self.assertRaises(Http404):
                        access.client_for_read(user, self.cast.client.pk)

    def test_write_per_role(self) -> None:
        for role in ROLES:
            with self.subTest(role=role):
                user = self.cast.staff(role)
                if role in WRITE:
                    self.assertTrue(access.client_for_write(user, self.cast.client.pk).can_write)
                elif role in READ:
                    with self.assertRaises(PermissionDenied):
                        access.client_for_write(user, self.cast.client.pk)
                else:
                    with self.assertRaises(Http404):
                        access.client_for_write(user, self.cast.client.pk)

    def test_visible_clients_per_role(self) -> None:
        expected = {
            "peer": {self.cast.client},
            "supervisor": {self.cast.client},
            "clinician": {self.cast.peer_client_record},
            "peer_client": set(),
            "outsider": {self.cast.outsider_client},
            "anonymous": set(),
        }
        for role, clients in expected.items():
            with self.subTest(role=role):
                self.assertEqual(set(access.visible_clients(self.cast.staff(role))), clients)

    def test_nobody_crosses_organizations(self) -> None:
        with self.assertRaises(Http404):
            access.client_for_read(self.cast.peer, self.cast.outsider_client.pk)
        with self.assertRaises(Http404):
            access.client_for_read(self.cast.outsider, self.cast.client.pk)

    def test_ended_care_team_membership_closes_the_record(self) -> None:
        CareTeamMember.objects.filter(staff=self.cast.peer).update(
            ended_on=timezone.localdate() - timedelta(days=1)
        )
        with self.assertRaises(Http404):
            access.client_for_read(self.cast.peer, self.cast.client.pk)

    def test_supervisor_loses_access_when_enrollment_ends(self) -> None:
        self.cast.client.enrollments.update(ended_on=timezone.localdate())
        with self.assertRaises(Http404):
            access.client_for_read(self.cast.supervisor, self.cast.client.pk)

    def test_deactivated_staff_and_deleted_records(self) -> None:
        self.cast.peer.is_active = False
        with self.assertRaises(Http404):
            access.client_for_read(self.cast.peer, self.cast.client.pk)
        self.cast.peer.is_active = True
        self.cast.client.__class__.objects.filter(pk=self.cast.client.pk).update(
            deleted_at=timezone.now()
        )
        with self.assertRaises(Http404):
            access.client_for_read(self.cast.peer, self.cast.client.pk)

    def test_garbage_ids_are_404(self) -> None:
        for bad in ("abc", None, "", "1; DROP TABLE", 10**12):
            with self.subTest(bad=bad), self.assertRaises(Http404):
                access.client_for_read(self.cast.peer, bad)

    def test_caseload_is_care_team_only(self) -> None:
        self.assertEqual(list(access.caseload(self.cast.peer)), [self.cast.client])
        self.assertEqual(list(access.caseload(self.cast.supervisor)), [])
