"""The gate with restricted records, the privacy officer, supervision boundaries and self-access."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from peerpath.clients import access, actions
from peerpath.clients.models import CareTeamMember, Client
from peerpath.core.models import AuditEvent

from .cast import RESTRICTED_NAMES, PrivacyCastTestCase

ALL = (
    "peer",
    "supervisor",
    "clinician",
    "peer_client",
    "outsider",
    "anonymous",
    "coworker",
    "harbor_supervisor",
    "green_supervisor",
    "privacy_officer",
)


class RestrictedRecordGateTests(PrivacyCastTestCase):
    def test_restricted_record_read_per_role(self) -> None:
        expected = {"clinician": ("care_team", True), "privacy_officer": ("privacy_officer", False)}
        record = self.cast.peer_client_record
        for role in ALL:
            with self.subTest(role=role):
                user = self.staff(role)
                if role in expected:
                    grant = access.client_for_read(user, record.pk)
                    self.assertEqual((grant.basis, grant.can_write), expected[role])
                else:
                    with self.assertRaises(Http404):
                        access.client_for_read(user, record.pk)

    def test_privacy_officer_never_writes(self) -> None:
        with self.assertRaises(PermissionDenied):
            access.client_for_write(self.staff("privacy_officer"), self.cast.peer_client_record.pk)

    def test_privacy_officer_does_not_see_unrestricted_records(self) -> None:
        with self.assertRaises(Http404):
            access.client_for_read(self.staff("privacy_officer"), self.cast.client.pk)

    def test_lists_hide_restricted_records_from_everyone_else(self) -> None:
        record = self.cast.peer_client_record
        for role in ALL:
            with self.subTest(role=role):
                visible = set(access.visible_clients(self.staff(role)))
                self.assertEqual(record in visible, role in {"clinician", "privacy_officer"})

    def test_supervisor_of_the_serving_team_sees_unrestricted_but_not_restricted(self) -> None:
        green_supervisor = self.staff("green_supervisor")
        other = Client.objects.create(
            organization=self.cast.org, given_name="Una", family_name="Open"
        )
        other.enrollments.create(
            organization=self.cast.org,
            program=self.cast.program,
            team=self.cast.other_team,
            started_on=timezone.localdate(),
        )
        self.assertEqual(access.client_for_read(green_supervisor, other.pk).basis, "supervisor")
        self.assertEqual(set(access.visible_clients(green_supervisor)), {other})

    def test_hand_restriction_closes_the_record_to_its_supervisor(self) -> None:
        client = self.cast.client
        self.assertEqual(
            access.client_for_read(self.cast.supervisor, client.pk).basis, "supervisor"
        )
        actions.client_set_restriction(
            actor=self.cast.peer, client=client, restricted=True, reason="Public figure"
        )
        with self.assertRaises(Http404):
            access.client_for_read(self.cast.supervisor, client.pk)
        self.assertNotIn(client, access.visible_clients(self.cast.supervisor))
        self.assertTrue(access.client_for_write(self.cast.peer, client.pk).can_write)
        officer = self.staff("privacy_officer")
        self.assertEqual(access.client_for_read(officer, client.pk).basis, "privacy_officer")
        self.assertTrue(
            AuditEvent.objects.filter(action="client.restrict", client_id=client.pk).exists()
        )
        actions.client_set_restriction(actor=officer, client=client, restricted=False, reason="")
        self.assertEqual(
            access.client_for_read(self.cast.supervisor, client.pk).basis, "supervisor"
        )

    def test_a_staff_linked_record_cannot_be_unrestricted(self) -> None:
        with self.assertRaises(ValueError):
            actions.client_set_restriction(
                actor=self.staff("privacy_officer"),
                client=self.cast.peer_client_record,
                restricted=False,
                reason="",
            )

    def test_linking_a_staff_account_restricts_automatically(self) -> None:
        staff = self.staff("coworker")
        client = actions.client_create(
            actor=self.cast.peer,
            organization=self.cast.org,
            given_name="Cory",
            family_name="Coworker",
            program=self.cast.program,
            team=self.cast.team,
            enrolled_on=timezone.localdate(),
            staff_account=staff,
        )
        self.assertTrue(client.is_restricted)
        with self.assertRaises(Http404):
            access.client_for_read(self.cast.supervisor, client.pk)

    def test_a_staff_member_never_reaches_their_own_record_through_staff_screens(self) -> None:
        record = self.cast.peer_client_record
        me = self.cast.peer_client
        # Even on their own care team by mistake, or as a privacy officer.
        CareTeamMember.objects.create(
            organization=self.cast.org, client=record, staff=me, role=CareTeamMember.Role.PEER
        )
        with self.assertRaises(Http404):
            access.client_for_read(me, record.pk)
        self.assertNotIn(record, access.visible_clients(me))
        self.assertNotIn(record, access.caseload(me))
        self.assertEqual(access.own_record(me), record)

    def test_gate_stays_one_query(self) -> None:
        with self.assertNumQueries(1):
            access.client_for_read(self.cast.clinician, self.cast.peer_client_record.pk)
        with self.assertNumQueries(1):
            access.client_for_read(self.staff("privacy_officer"), self.cast.peer_client_record.pk)


class OwnRecordPageTests(PrivacyCastTestCase):
    def test_own_record_page(self) -> None:
        url = reverse("clients:my_record")
        response = self.as_("peer_client").get(url)
        self.assertContains(response, "Robin Both")
        self.assertTrue(
            AuditEvent.objects.filter(
                action="client.view_own", client_id=self.cast.peer_client_record.pk
            ).exists()
        )
        for role in ("peer", "supervisor", "clinician", "outsider", "privacy_officer"):
            with self.subTest(role=role):
                self.assertRefused(self.as_(role).get(url), 404, *RESTRICTED_NAMES)
        self.assertEqual(self.as_("anonymous").get(url).status_code, 302)

    def test_rights_in_plain_words_with_the_law_behind_the_full_legal_text(self) -> None:
        import re

        from peerpath.clients.models.privacy import PART2_NOTICE

        pages = [
            ("peer_client", reverse("clients:my_record")),
            ("peer", reverse("clients:consents", args=[self.cast.client.pk])),
            ("peer", reverse("clients:consent_new", args=[self.cast.client.pk])),
        ]
        for role, url in pages:
            for language in ("en", "es"):
                with self.subTest(url=url, language=language):
                    page = self.as_(role).get(url, HTTP_ACCEPT_LANGUAGE=language)
                    html = page.content.decode()
                    self.assertIn("take back" if language == "en" else "retirar", html)
                    legal = re.search(
                        r"<details[^>]*>\s*<summary>([^<]+)</summary>(.*?)</details>", html, re.S
                    )
                    self.assertIsNotNone(legal, url)
                    summary, body = legal.groups()  # type: ignore[union-attr]
                    self.assertEqual(
                        summary.strip(),
                        "The full legal text" if language == "en" else "El texto legal completo",
                    )
                    self.assertIn(PART2_NOTICE[:80], body)
                    self.assertIn('lang="en"', body)

    def test_own_record_page_says_who_opened_it(self) -> None:
        from peerpath.core import audit

        record = self.cast.peer_client_record
        url = reverse("clients:my_record")
        self.assertContains(self.as_("peer_client").get(url), "No one.")
        # The privacy officer opens it; a clinician reads it under emergency access.
        self.as_("privacy_officer").get(reverse("clients:detail", args=[record.pk]))
        audit.record(
            organization=record.organization_id,
            actor=self.cast.clinician,
            client_id=record.pk,
            action="client.view",
            obj=record,
            purpose="emergency",
        )
        page = self.as_("peer_client").get(url)
        self.assertContains(page, "Pia Privacy")
        body = page.content.decode()
        opened = body.split("Who opened my record", 1)[1]
        line = opened.split(self.cast.clinician.full_name, 1)[1].split("</li>", 1)[0]
        self.assertIn("emergency access", line)
        # Their own looks at it are not listed.
        self.assertNotIn("Robin Both", opened.split("</ul>", 1)[0])

    def test_staff_screens_are_404_for_their_own_record(self) -> None:
        record = self.cast.peer_client_record
        for url in (
            reverse("clients:detail", args=[record.pk]),
            reverse("clients:consents", args=[record.pk]),
            f"/api/v1/clients/{record.pk}",
        ):
            with self.subTest(url=url):
                response = self.as_("peer_client").get(url)
                self.assertEqual(response.status_code, 404)
                # The header names the signed-in person; the page itself must not show the record.
                body = response.content.decode()
                main = body.split("<main", 1)[-1].split("</main>", 1)[0]
                self.assertNotIn("Both", main)

    def test_my_day_links_a_staff_client_to_their_own_record(self) -> None:
        response = self.as_("peer_client").get(reverse("clients:my_day"))
        self.assertContains(response, reverse("clients:my_record"))
        response = self.as_("peer").get(reverse("clients:my_day"))
        self.assertNotContains(response, reverse("clients:my_record"))


class RecordPageRestrictedTests(PrivacyCastTestCase):
    def test_record_page_labels(self) -> None:
        record = self.cast.peer_client_record
        response = self.as_("clinician").get(reverse("clients:detail", args=[record.pk]))
        self.assertContains(response, 'id="restricted-tag"')
        response = self.as_("privacy_officer").get(reverse("clients:detail", args=[record.pk]))
        self.assertContains(response, "as the privacy officer")
        self.assertNotContains(response, reverse("clients:edit", args=[record.pk]))

    def test_search_never_shows_restricted_names(self) -> None:
        for role in ("peer", "supervisor", "coworker", "harbor_supervisor", "green_supervisor"):
            for url in (reverse("clients:list") + "?q=Robin", "/api/v1/clients?q=Robin"):
                with self.subTest(role=role, url=url):
                    response = self.as_(role).get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn("Both", response.content.decode())
        response = self.as_("privacy_officer").get(reverse("clients:list") + "?q=Robin")
        self.assertContains(response, "Robin Both")

    def test_restrict_page(self) -> None:
        url = reverse("clients:restriction", args=[self.cast.client.pk])
        self.assertRefused(self.as_("supervisor").post(url, {"reason": "x"}), 403)
        self.assertRefused(self.as_("clinician").post(url, {"reason": "x"}), 404)
        response = self.as_("peer").post(url, {"reason": ""})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Client.objects.get(pk=self.cast.client.pk).is_restricted)
        response = self.as_("peer").post(url, {"reason": "Public figure"})
        self.assertRedirects(response, reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertTrue(Client.objects.get(pk=self.cast.client.pk).is_restricted)
        # Now only the privacy officer may lift it.
        self.assertRefused(self.as_("peer").post(url), 403)
        response = self.as_("privacy_officer").post(url)
        self.assertRedirects(response, reverse("clients:privacy_desk"))
        self.assertFalse(Client.objects.get(pk=self.cast.client.pk).is_restricted)

    def test_ended_enrollment_keeps_restricted_closed(self) -> None:
        record = self.cast.peer_client_record
        record.enrollments.update(ended_on=timezone.localdate() - timedelta(days=1))
        with self.assertRaises(Http404):
            access.client_for_read(self.staff("green_supervisor"), record.pk)
