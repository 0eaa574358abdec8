"""Taking a person in, the duplicate check, consent to peer services, hand-off, discharge and
coming back: per role, and the facts each person relies on."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from peerpath.clients import access, intake
from peerpath.clients.models import (
    CareTeamMember,
    Client,
    Enrollment,
    Handoff,
    ServiceConsent,
)
from peerpath.core.models import AuditEvent, Role
from peerpath.testing import ROLES, CastTestCase, make_client, make_staff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def intake_form(cast, **changes):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    data = {
        "given_name": "Marisol",
        "family_name": "Vantongeren",
        "preferred_name": "Sol",
        "pronouns": "she/her",
        "language": "Spanish",
        "date_of_birth": "1984-02-29",
        "phone": "(555) 010-4477",
        "email": "sol@example.org",
        "address": "12 River Road",
        "referral_source": "hospital",
        "team": cast.team.pk,
        "first_member": cast.peer.pk,
        "enrolled_on": today.isoformat(),
        "consent_method": "verbal",
        "consent_on": today.isoformat(),
        "consent_witness": "Sky Supervisor",
        "medicaid_id": "",
        "medicaid_start": "",
        "medicaid_end": "",
        "duplicate_reason": "",
        "seen_matches": "",
    }
    data.update(changes)
    return data


class IntakeAccessTests(CastTestCase):
    def test_who_may_open_the_intake_page(self) -> None:
        url = reverse("clients:new")
        expected = {
            "peer": 200,
            "supervisor": 200,
            "clinician": 403,  # clinicians do not take people in unless the agency says so
            "peer_client": 200,
            "outsider": 200,
            "anonymous": "login",
        }
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get(url)
                if expected[role] == "login":
                    self.assertEqual(response.status_code, 302)
                else:
                    self.assertEqual(response.status_code, expected[role])

    def test_the_agency_decides_which_roles_take_people_in(self) -> None:
        org = self.cast.org
        org.intake_roles = ["clinician"]
        org.save()
        self.assertEqual(self.as_("clinician").get(reverse("clients:new")).status_code, 200)
        self.assertEqual(self.as_("peer").get(reverse("clients:new")).status_code, 403)
        response = self.as_("peer").post(reverse("clients:new"), intake_form(self.cast))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Client.objects.filter(family_name="Vantongeren").exists())

    def test_the_form_offers_only_this_agencys_teams_and_staff(self) -> None:
        response = self.as_("peer").get(reverse("clients:new"))
        self.assertContains(response, "Blue Team")
        self.assertNotContains(response, "Red Team")
        self.assertNotContains(response, "Olive Outsider")
        # Nothing that happened is chosen in advance: how they came, the consent.
        form = response.context["form"]
        self.assertIsNone(form["referral_source"].value())
        self.assertIsNone(form["consent_method"].value())
        self.assertEqual(form["first_member"].value(), self.cast.peer.pk)


class IntakeTests(CastTestCase):
    def test_a_peer_takes_a_person_in_and_they_are_on_the_peers_caseload(self) -> None:
        response = self.as_("peer").post(reverse("clients:new"), intake_form(self.cast))
        client = Client.objects.get(family_name="Vantongeren")
        self.assertRedirects(response, reverse("clients:detail", args=[client.pk]))
        self.assertEqual(client.referral_source, "hospital")
        self.assertEqual(client.phone_digits, "5550104477")
        self.assertEqual(client.status, Client.Status.ACTIVE)
        enrollment = Enrollment.objects.get(client=client)
        self.assertEqual((enrollment.program, enrollment.team), (self.cast.program, self.cast.team))
        member = CareTeamMember.objects.get(client=client)
        self.assertEqual(
            (member.staff, member.role, member.is_primary), (self.cast.peer, "peer", True)
        )
        consent = ServiceConsent.objects.get(client=client)
        self.assertEqual((consent.method, consent.witness), ("verbal", "Sky Supervisor"))
        self.assertIn(client, access.caseload(self.cast.peer))
        event = AuditEvent.objects.get(action="client.intake", client_id=client.pk)
        self.assertEqual(event.actor, self.cast.peer)
        page = self.as_("peer").get(reverse("clients:detail", args=[client.pk]))
        self.assertContains(page, "Agreed out loud, with a witness")

    def test_a_verbal_consent_needs_a_witness_and_a_signed_one_its_scan(self) -> None:
        for changes, field in [
            ({"consent_witness": ""}, "consent_witness"),
            ({"consent_method": "signed", "consent_witness": ""}, "consent_scan"),
            ({"consent_method": ""}, "consent_method"),
            ({"referral_source": ""}, "referral_source"),
            ({"family_name": ""}, "family_name"),
            (
                {"enrolled_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
                "enrolled_on",
            ),
            ({"medicaid_id": "XY123"}, "medicaid_start"),
        ]:
            with self.subTest(field=field):
                response = self.as_("peer").post(
                    reverse("clients:new"), intake_form(self.cast, **changes)
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
                self.assertContains(response, "Nothing was saved")
        self.assertFalse(Client.objects.filter(family_name="Vantongeren").exists())

    def test_a_signed_consent_keeps_its_scan_for_the_care_team_only(self) -> None:
        scan = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
        data = intake_form(self.cast, consent_method="signed", consent_witness="")
        data["consent_scan"] = scan
        self.as_("peer").post(reverse("clients:new"), data)
        client = Client.objects.get(family_name="Vantongeren")
        consent = ServiceConsent.objects.get(client=client)
        self.assertEqual(consent.scan_type, "application/pdf")
        url = reverse("clients:service_consent_scan", args=[client.pk, consent.pk])
        response = self.as_("peer").get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        self.assertTrue(
            AuditEvent.objects.filter(action="service_consent.scan_view", client_id=client.pk)
        )
        self.assertEqual(self.as_("clinician").get(url).status_code, 404)
        self.assertEqual(self.as_("outsider").get(url).status_code, 404)

    def test_a_scan_that_is_not_a_pdf_or_picture_is_refused(self) -> None:
        data = intake_form(self.cast, consent_method="signed", consent_witness="")
        data["consent_scan"] = SimpleUploadedFile("consent.pdf", b"MZ\x90\x00 not a pdf")
        response = self.as_("peer").post(reverse("clients:new"), data)
        self.assertIn("consent_scan", response.context["form"].errors)
        self.assertFalse(Client.objects.filter(family_name="Vantongeren").exists())

    def test_someone_else_can_be_the_first_care_team_member(self) -> None:
        james = make_staff(self.cast.org, Role.PEER_SPECIALIST, name="Jamie Other")
        response = self.as_("supervisor").post(
            reverse("clients:new"), intake_form(self.cast, first_member=james.pk)
        )
        client = Client.objects.get(family_name="Vantongeren")
        self.assertIn(client, access.caseload(james))
        # The supervisor supervises the Blue team, so they still see the record.
        self.assertRedirects(response, reverse("clients:detail", args=[client.pk]))


class DuplicateCheckTests(CastTestCase):
    """Before saving: likely matches, named only as far as the user's gate allows."""

    def test_a_match_the_user_may_see_is_named_and_saving_needs_a_reason(self) -> None:
        # The cast's client: Jordana Quillfeather, born 1990-05-17, on the peer's caseload.
        data = intake_form(
            self.cast, given_name="Jordana", family_name="Quillfeather", date_of_birth="1990-05-17"
        )
        first = self.as_("peer").post(reverse("clients:new"), data)
        self.assertEqual(first.status_code, 200)
        self.assertContains(first, "This person may already have a record")
        self.assertContains(first, reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertEqual(Client.objects.filter(family_name="Quillfeather").count(), 1)
        # Saving again without a reason is refused; with one, it is saved and audited.
        data["seen_matches"] = first.context["form"].data["seen_matches"]
        second = self.as_("peer").post(reverse("clients:new"), data)
        self.assertIn("duplicate_reason", second.context["form"].errors)
        self.assertEqual(Client.objects.filter(family_name="Quillfeather").count(), 1)
        data["duplicate_reason"] = "Her cousin, same name, different middle name."
        self.as_("peer").post(reverse("clients:new"), data)
        self.assertEqual(Client.objects.filter(family_name="Quillfeather").count(), 2)
        event = AuditEvent.objects.filter(action="client.intake").latest("id")
        self.assertEqual(event.details["possible_matches"], [self.cast.client.pk])
        self.assertIn("cousin", event.details["why_new"])

    def test_a_match_the_user_may_not_see_is_never_named(self) -> None:
        # The clinician's team client is not visible to the peer; same phone number.
        hidden = make_client(
            self.cast.other_team,
            given_name="Zebulon",
            family_name="Marchetti",
            care_team=(self.cast.clinician,),
            phone="555.010.4477",
            phone_digits="5550104477",
        )
        response = self.as_("peer").post(reverse("clients:new"), intake_form(self.cast))
        self.assertContains(response, "A record that may be this person exists")
        self.assertNotContains(response, "Zebulon")
        self.assertNotContains(response, "Marchetti")
        self.assertNotContains(response, f"/people/{hidden.pk}/")

    def test_a_phone_changed_on_the_record_is_found_by_the_next_intake(self) -> None:
        from peerpath.clients import actions

        grant = access.client_for_write(self.cast.peer, self.cast.client.pk)
        actions.client_update(
            actor=self.cast.peer,
            access=grant,
            expected_version=self.cast.client.version,
            changes={"phone": "(555) 222-3333"},
        )
        found = intake.possible_matches(
            self.cast.peer, given_name="X", family_name="Y", date_of_birth=None, phone="5552223333"
        )
        self.assertEqual(found.visible, [self.cast.client])

    def test_matches_are_found_by_birth_and_name_by_phone_and_by_email(self) -> None:
        peer = self.cast.peer
        found = intake.possible_matches(
            peer, given_name="Jordana", family_name="Q", date_of_birth=date(1990, 5, 17)
        )
        self.assertEqual(found.visible, [self.cast.client])
        Client.objects.filter(pk=self.cast.client.pk).update(
            email="jq@example.org", phone_digits="5551234567"
        )
        by_email = intake.possible_matches(
            peer, given_name="X", family_name="Y", date_of_birth=None, email="JQ@example.org"
        )
        self.assertEqual(by_email.visible, [self.cast.client])
        by_phone = intake.possible_matches(
            peer, given_name="X", family_name="Y", date_of_birth=None, phone="+1 555 123 4567"
        )
        self.assertEqual(by_phone.visible, [self.cast.client])
        nobody = intake.possible_matches(
            peer, given_name="Jordana", family_name="Quillfeather", date_of_birth=date(1991, 5, 17)
        )
        self.assertFalse(nobody)
        # Another organization's records never count.
        outsider = intake.possible_matches(
            self.cast.outsider,
            given_name="Jordana",
            family_name="Quillfeather",
            date_of_birth=date(1990, 5, 17),
        )
        self.assertFalse(outsider)


class DischargeAndReadmitTests(CastTestCase):
    def discharge(self, role: str = "peer", **changes):  # type: ignore[no-untyped-def]
        data = {"reason": "goals_met", "on": timezone.localdate().isoformat(), "note": ""}
        data.update(changes)
        return self.as_(role).post(reverse("clients:discharge", args=[self.cast.client.pk]), data)

    def test_who_may_discharge(self) -> None:
        url = reverse("clients:discharge", args=[self.cast.client.pk])
        expected = {"peer": 200, "supervisor": 403, "clinician": 404, "peer_client": 404}
        expected |= {"outsider": 404}
        for role, status in expected.items():
            with self.subTest(role=role):
                self.assertEqual(self.as_(role).get(url).status_code, status)
        self.assertEqual(self.discharge("supervisor").status_code, 403)
        self.cast.client.refresh_from_db()
        self.assertEqual(self.cast.client.status, Client.Status.ACTIVE)

    def test_a_discharged_person_leaves_caseloads_and_stays_findable_by_the_care_team(
        self,
    ) -> None:
        response = self.discharge(reason="moved", note="Moved to Ohio to be near family.")
        client = Client.objects.get(pk=self.cast.client.pk)
        self.assertRedirects(response, reverse("clients:detail", args=[client.pk]))
        self.assertEqual(client.status, Client.Status.DISCHARGED)
        enrollment = Enrollment.objects.get(client=client)
        self.assertEqual(
            (enrollment.end_reason, enrollment.ended_on), ("moved", timezone.localdate())
        )
        self.assertNotIn(client, access.caseload(self.cast.peer))
        my_day = self.as_("peer").get(reverse("clients:my_day"))
        self.assertNotContains(my_day, "Quillfeather")
        # Still found in a search by the peer, read-only; the supervisor no longer sees it.
        found = self.as_("peer").get(reverse("clients:list"), {"q": "Quillfeather"})
        self.assertContains(found, "Quillfeather")
        grant = access.client_for_read(self.cast.peer, client.pk)
        self.assertEqual((grant.can_write, grant.basis), (False, access.FORMER_CARE_TEAM))
        edit = self.as_("peer").get(reverse("clients:edit", args=[client.pk]))
        self.assertEqual(edit.status_code, 403)
        self.assertNotIn(client, access.visible_clients(self.cast.supervisor))
        self.assertTrue(AuditEvent.objects.filter(action="client.discharge", client_id=client.pk))

    def test_a_discharge_without_a_reason_or_in_the_future_changes_nothing(self) -> None:
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        for changes in ({"reason": ""}, {"on": tomorrow}, {"reason": "transferred"}):
            with self.subTest(changes=changes):
                response = self.discharge(**changes)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Nothing was saved")
        self.cast.client.refresh_from_db()
        self.assertEqual(self.cast.client.status, Client.Status.ACTIVE)

    def test_a_discharged_person_comes_back_with_a_new_enrollment_and_the_history_kept(
        self,
    ) -> None:
        self.discharge()
        url = reverse("clients:readmit", args=[self.cast.client.pk])
        self.assertEqual(self.as_("supervisor").get(url).status_code, 404)
        self.assertEqual(self.as_("clinician").get(url).status_code, 404)
        response = self.as_("peer").post(
            url,
            {
                "team": self.cast.team.pk,
                "first_member": self.cast.peer.pk,
                "on": timezone.localdate().isoformat(),
            },
        )
        self.assertRedirects(response, reverse("clients:detail", args=[self.cast.client.pk]))
        client = Client.objects.get(pk=self.cast.client.pk)
        self.assertEqual(client.status, Client.Status.ACTIVE)
        enrollments = list(Enrollment.objects.filter(client=client).order_by("started_on", "id"))
        self.assertEqual(len(enrollments), 2)
        self.assertIsNotNone(enrollments[0].ended_on)
        self.assertIsNone(enrollments[1].ended_on)
        self.assertIn(client, access.caseload(self.cast.peer))
        self.assertEqual(access.client_for_read(self.cast.peer, client.pk).basis, access.CARE_TEAM)


class HandoffTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.newcomer = make_staff(
            cls.cast.org, Role.PEER_SPECIALIST, name="Noor Newcomer", teams=(cls.cast.other_team,)
        )

    def test_a_peer_hands_off_to_another_team_and_peer_and_loses_access(self) -> None:
        url = reverse("clients:transfer", args=[self.cast.client.pk])
        self.assertEqual(self.as_("supervisor").get(url).status_code, 403)
        self.assertEqual(self.as_("clinician").get(url).status_code, 404)
        response = self.as_("peer").post(
            url,
            {
                "to_team": self.cast.other_team.pk,
                "from_staff": self.cast.peer.pk,
                "to_staff": self.newcomer.pk,
                "note": "Jordana likes morning calls. Housing appointment on Friday.",
                "on": timezone.localdate().isoformat(),
            },
        )
        self.assertRedirects(response, reverse("clients:list"))
        client = self.cast.client
        self.assertNotIn(client, access.caseload(self.cast.peer))
        self.assertIn(client, access.caseload(self.newcomer))
        self.assertEqual(
            self.as_("peer").get(reverse("clients:detail", args=[client.pk])).status_code, 404
        )
        active = Enrollment.objects.get(client=client, ended_on__isnull=True)
        self.assertEqual(active.team, self.cast.other_team)
        ended = Enrollment.objects.get(client=client, ended_on__isnull=False)
        self.assertEqual(ended.end_reason, "transferred")
        handoff = Handoff.objects.get(client=client)
        self.assertEqual(
            (handoff.from_team, handoff.to_team), (self.cast.team, self.cast.other_team)
        )
        page = self.as_staff(self.newcomer).get(reverse("clients:detail", args=[client.pk]))
        self.assertContains(page, "Jordana likes morning calls")
        self.assertTrue(AuditEvent.objects.filter(action="client.transfer", client_id=client.pk))

    def test_a_hand_off_needs_a_note_and_someone_to_take_over(self) -> None:
        url = reverse("clients:transfer", args=[self.cast.client.pk])
        for data, field in [
            ({"from_staff": self.cast.peer.pk, "to_staff": self.newcomer.pk, "note": ""}, "note"),
            ({"from_staff": self.cast.peer.pk, "note": "x"}, "to_staff"),
            ({"note": "x"}, "to_team"),
        ]:
            with self.subTest(field=field):
                data["on"] = timezone.localdate().isoformat()
                response = self.as_("peer").post(url, data)
                self.assertIn(field, response.context["form"].errors)
        self.assertIn(self.cast.client, access.caseload(self.cast.peer))
        self.assertFalse(Handoff.objects.exists())

    def test_the_last_care_team_member_cannot_leave(self) -> None:
        member = CareTeamMember.objects.get(client=self.cast.client, staff=self.cast.peer)
        url = reverse("clients:care_team_end", args=[self.cast.client.pk, member.pk])
        self.as_("peer").post(url)
        member.refresh_from_db()
        self.assertIsNone(member.ended_on)
        other = CareTeamMember.objects.create(
            organization=self.cast.org, client=self.cast.client, staff=self.newcomer, role="peer"
        )
        self.assertEqual(self.as_("supervisor").post(url).status_code, 403)
        self.as_("peer").post(
            reverse("clients:care_team_end", args=[self.cast.client.pk, other.pk])
        )
        other.refresh_from_db()
        self.assertEqual(other.ended_on, timezone.localdate())
        self.assertNotIn(self.cast.client, access.caseload(self.newcomer))
