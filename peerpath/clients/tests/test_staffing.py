"""Ending a staff member's work: the hand-off list, their sessions, what stays protected."""

from __future__ import annotations

from django.urls import reverse

from peerpath.clients import access
from peerpath.clients.models import CareTeamMember, Handoff, Notification
from peerpath.core.models import AuditEvent, Role, Staff
from peerpath.encounters.models import Contact
from peerpath.encounters.tests.helpers import signed_contact
from peerpath.testing import make_client, make_staff

from .cast import PrivacyCastTestCase


class EndWorkTests(PrivacyCastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.cast.org
        cls.manager = make_staff(org, Role.PROGRAM_MANAGER, name="Mona Manager")
        cls.successor = make_staff(org, Role.PEER_SPECIALIST, name="Sage Successor")

    def end_work_of(self, staff: Staff, **data: object):  # type: ignore[no-untyped-def]
        return self.as_staff(self.manager).post(
            reverse("clients:staff_end_work", args=[staff.pk]), {"confirm": "on", **data}
        )

    def test_a_departing_peers_people_go_to_who_the_manager_names(self) -> None:
        note = signed_contact(self.cast.peer, self.cast.client)
        place = CareTeamMember.objects.get(client=self.cast.client, staff=self.cast.peer)
        peer_session = self.as_("peer")
        self.assertEqual(peer_session.get(reverse("clients:my_day")).status_code, 200)
        page = self.as_staff(self.manager).get(
            reverse("clients:staff_end_work", args=[self.cast.peer.pk])
        )
        self.assertContains(page, "Jordana Quillfeather")
        response = self.end_work_of(
            self.cast.peer, **{f"to_{place.pk}": self.successor.pk, "note": "Moved to Denver."}
        )
        self.assertRedirects(response, reverse("agency:staff_member", args=[self.cast.peer.pk]))
        peer = Staff.objects.get(pk=self.cast.peer.pk)
        self.assertFalse(peer.is_active)
        self.assertIsNotNone(peer.deactivated_at)
        # Their open session is refused on its next request.
        after = peer_session.get(reverse("clients:my_day"))
        self.assertEqual(after.status_code, 302)
        self.assertIn(reverse("core:login"), after["Location"])
        # The person is served by the successor, with the hand-off note on the record.
        self.assertIn(self.cast.client, access.caseload(self.successor))
        self.assertNotIn(self.cast.client, access.caseload(peer))
        handoff = Handoff.objects.get(client=self.cast.client)
        self.assertEqual((handoff.from_staff, handoff.to_staff), (peer, self.successor))
        self.assertEqual(handoff.note, "Moved to Denver.")
        place.refresh_from_db()
        self.assertEqual(place.end_reason, "work_ended")
        # Everything they wrote is kept.
        self.assertTrue(Contact.objects.filter(pk=note.pk, author=peer).exists())
        self.assertTrue(AuditEvent.objects.filter(action="staff.end_work", object_id=str(peer.pk)))

    def test_someone_served_by_them_alone_must_go_to_someone(self) -> None:
        place = CareTeamMember.objects.get(client=self.cast.client, staff=self.cast.peer)
        response = self.end_work_of(self.cast.peer)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"to_{place.pk}", response.context["form"].errors)
        self.assertTrue(Staff.objects.get(pk=self.cast.peer.pk).is_active)
        place.refresh_from_db()
        self.assertIsNone(place.ended_on)
        # With someone else on the care team, "no one" is a fine answer.
        CareTeamMember.objects.create(
            organization=self.cast.org, client=self.cast.client, staff=self.successor, role="peer"
        )
        self.assertRedirects(
            self.end_work_of(self.cast.peer),
            reverse("agency:staff_member", args=[self.cast.peer.pk]),
        )
        self.assertIn(self.cast.client, access.caseload(self.successor))

    def test_without_confirmation_nothing_changes(self) -> None:
        response = self.as_staff(self.manager).post(
            reverse("clients:staff_end_work", args=[self.cast.peer.pk]), {}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("confirm", response.context["form"].errors)
        self.assertTrue(Staff.objects.get(pk=self.cast.peer.pk).is_active)

    def test_a_restricted_record_is_never_named_and_the_privacy_officer_is_told(self) -> None:
        # The clinician serves Robin Both, a staff member who is also a client (restricted).
        page = self.as_staff(self.manager).get(
            reverse("clients:staff_end_work", args=[self.cast.clinician.pk])
        )
        self.assertContains(page, "restricted record is not named")
        self.assertNotContains(page, "Robin")
        self.end_work_of(self.cast.clinician)
        self.assertFalse(Staff.objects.get(pk=self.cast.clinician.pk).is_active)
        message = Notification.objects.get(recipient=self.extra["privacy_officer"]).message
        self.assertIn(str(self.cast.peer_client_record.pk), message)
        self.assertNotIn("Robin", message)
        # The staff member who is also a client stays protected: still restricted.
        self.assertTrue(self.cast.peer_client_record.restricted)

    def test_ending_the_work_of_a_staff_member_who_is_a_client_keeps_their_record_restricted(
        self,
    ) -> None:
        self.end_work_of(self.cast.peer_client)
        record = type(self.cast.peer_client_record).objects.get(pk=self.cast.peer_client_record.pk)
        self.assertTrue(record.restricted)
        self.assertIn(record, access.visible_clients(self.extra["privacy_officer"]))
        self.assertNotIn(record, access.visible_clients(self.extra["coworker"]))

    def test_nobody_ends_their_own_work_and_work_can_start_again(self) -> None:
        response = self.as_staff(self.manager).post(
            reverse("clients:staff_end_work", args=[self.manager.pk]), {"confirm": "on"}
        )
        self.assertContains(response, "Someone else must end your own work here.")
        self.end_work_of(self.successor)
        self.as_staff(self.manager).post(reverse("agency:reactivate", args=[self.successor.pk]))
        self.assertTrue(Staff.objects.get(pk=self.successor.pk).is_active)

    def test_the_hand_off_list_names_everyone_it_shows_in_the_audit_trail(self) -> None:
        other = make_client(self.cast.team, given_name="Otto", care_team=(self.cast.peer,))
        self.as_staff(self.manager).get(reverse("clients:staff_end_work", args=[self.cast.peer.pk]))
        event = AuditEvent.objects.filter(action="staff.caseload_view").latest("id")
        self.assertEqual(set(event.details["clients"]), {self.cast.client.pk, other.pk})
