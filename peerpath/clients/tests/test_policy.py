"""Conflict-aware care-team assignment in strict and flexible mode; individual determinations."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from peerpath.clients import actions, policy
from peerpath.clients.models import CareTeamMember, Determination, PrivacyPolicy
from peerpath.core.models import AuditEvent, Role
from peerpath.testing import make_staff

from .cast import RESTRICTED_NAMES, PrivacyCastTestCase


class AssignmentRuleTests(PrivacyCastTestCase):
    def setUp(self) -> None:
        self.record = self.cast.peer_client_record
        self.harbor_program = self.harbor_team.program

    def set_mode(self, mode: str) -> None:
        PrivacyPolicy.objects.update_or_create(organization=self.cast.org, defaults={"mode": mode})

    def assign(self, staff_role: str) -> CareTeamMember:
        return actions.care_team_assign(
            actor=self.cast.clinician,
            client=self.record,
            staff=self.staff(staff_role),
            role=CareTeamMember.Role.PEER,
        )

    def test_unlinked_clients_are_never_checked(self) -> None:
        self.set_mode(PrivacyPolicy.Mode.STRICT)
        check = policy.check_assignment(client=self.cast.client, staff=self.staff("coworker"))
        self.assertTrue(check.allowed)

    def test_nobody_serves_themselves(self) -> None:
        check = policy.check_assignment(client=self.record, staff=self.cast.peer_client)
        self.assertFalse(check.allowed)
        self.assertFalse(check.can_request_determination)

    def test_flexible_other_department_allowed_own_team_refused(self) -> None:
        self.set_mode(PrivacyPolicy.Mode.FLEXIBLE)
        self.assertTrue(self.assign("peer"))  # Blue Team, another program from Harbor
        before = CareTeamMember.objects.count()
        with self.assertRaises(actions.AssignmentRefused) as refused:
            self.assign("coworker")
        self.assertEqual(CareTeamMember.objects.count(), before)
        self.assertEqual(
            refused.exception.check.programs_needing_determination, [self.harbor_program]
        )
        event = AuditEvent.objects.filter(action="care_team.assign_refused").get()
        self.assertEqual(event.client_id, self.record.pk)
        self.assertEqual(event.details["staff"], self.staff("coworker").pk)

    def test_same_department_other_team_is_refused_too(self) -> None:
        self.set_mode(PrivacyPolicy.Mode.FLEXIBLE)
        harbor_two = self.harbor_program.teams.create(organization=self.cast.org, name="Harbor Two")
        colleague = make_staff(self.cast.org, Role.CLINICIAN, teams=(harbor_two,))
        check = policy.check_assignment(client=self.record, staff=colleague)
        self.assertFalse(check.allowed)

    def test_strict_refuses_everyone_and_offers_options(self) -> None:
        self.set_mode(PrivacyPolicy.Mode.STRICT)
        for role in ("peer", "coworker", "supervisor"):
            with self.subTest(role=role), self.assertRaises(actions.AssignmentRefused) as refused:
                self.assign(role)
            self.assertTrue(refused.exception.check.options)
            self.assertFalse(refused.exception.check.can_request_determination)

    def test_approved_exception_allows_own_department_until_its_review_date(self) -> None:
        self.set_mode(PrivacyPolicy.Mode.FLEXIBLE)
        today = timezone.localdate()
        determination = policy.determination_request(
            actor=self.cast.clinician,
            client=self.record,
            program=self.harbor_program,
            reason="The only program within 90 miles.",
            conditions="Telehealth only; no shared supervisor.",
            review_on=today + timedelta(days=90),
        )
        # Pending is not enough.
        with self.assertRaises(actions.AssignmentRefused):
            self.assign("coworker")
        policy.determination_decide(
            actor=self.staff("privacy_officer"),
            determination=determination,
            approve=True,
            note="No other provider nearby.",
        )
        member = self.assign("coworker")
        event = AuditEvent.objects.filter(action="care_team.assign").latest("id")
        self.assertEqual(event.details["determinations"], [determination.pk])
        member.ended_on = today
        member.save()
        later = timezone.now() + timedelta(days=91)
        with time_machine.travel(later), self.assertRaises(actions.AssignmentRefused):
            self.assign("coworker")
        self.assertEqual(
            list(
                AuditEvent.objects.filter(action__startswith="determination.").values_list(
                    "action", flat=True
                )
            ),
            ["determination.request", "determination.approve"],
        )

    def test_denied_exception_allows_nothing_and_is_decided_once(self) -> None:
        determination = policy.determination_request(
            actor=self.cast.clinician,
            client=self.record,
            program=self.harbor_program,
            reason="r",
            conditions="c",
            review_on=timezone.localdate() + timedelta(days=30),
        )
        officer = self.staff("privacy_officer")
        policy.determination_decide(
            actor=officer, determination=determination, approve=False, note="n"
        )
        with self.assertRaises(ValueError):
            policy.determination_decide(
                actor=officer, determination=determination, approve=True, note="again"
            )
        with self.assertRaises(actions.AssignmentRefused):
            self.assign("coworker")


class AssignmentPageTests(PrivacyCastTestCase):
    def test_page_access(self) -> None:
        record = self.cast.peer_client_record
        url = reverse("clients:care_team_add", args=[record.pk])
        self.assertEqual(self.as_("clinician").get(url).status_code, 200)
        self.assertRefused(self.as_("privacy_officer").get(url), 403, *RESTRICTED_NAMES)
        for role in ("peer", "supervisor", "coworker", "green_supervisor", "outsider"):
            with self.subTest(role=role):
                self.assertRefused(self.as_(role).get(url), 404, *RESTRICTED_NAMES)

    def test_refusal_shows_options_and_the_way_to_an_exception(self) -> None:
        record = self.cast.peer_client_record
        url = reverse("clients:care_team_add", args=[record.pk])
        response = self.as_("clinician").post(
            url, {"staff": self.staff("coworker").pk, "role": "peer"}
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "not allowed", status_code=409)
        self.assertContains(
            response, reverse("clients:determination_new", args=[record.pk]), status_code=409
        )
        self.assertFalse(
            CareTeamMember.objects.filter(client=record, staff=self.staff("coworker")).exists()
        )

    def test_allowed_assignment(self) -> None:
        record = self.cast.peer_client_record
        url = reverse("clients:care_team_add", args=[record.pk])
        response = self.as_("clinician").post(url, {"staff": self.cast.peer.pk, "role": "peer"})
        self.assertRedirects(response, reverse("clients:detail", args=[record.pk]))
        self.assertTrue(CareTeamMember.objects.filter(client=record, staff=self.cast.peer).exists())

    def test_request_and_decide_pages(self) -> None:
        record = self.cast.peer_client_record
        new_url = reverse("clients:determination_new", args=[record.pk])
        bad = self.as_("clinician").post(
            new_url,
            {
                "program": self.harbor_team.program_id,
                "reason": "x",
                "conditions": "y",
                "review_on": timezone.localdate().isoformat(),
            },
        )
        self.assertContains(bad, "Choose a review date in the future.")
        self.assertFalse(Determination.objects.exists())
        self.as_("clinician").post(
            new_url,
            {
                "program": self.harbor_team.program_id,
                "reason": "Only program nearby",
                "conditions": "Telehealth",
                "review_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
            },
        )
        determination = Determination.objects.get()
        decide = reverse("clients:determination_decide", args=[record.pk, determination.pk])
        self.assertRefused(self.as_("clinician").get(decide), 403, *RESTRICTED_NAMES)
        self.assertRefused(self.as_("coworker").get(decide), 404, *RESTRICTED_NAMES)
        desk = self.as_("privacy_officer").get(reverse("clients:privacy_desk"))
        self.assertContains(desk, decide)
        response = self.as_("privacy_officer").post(decide, {"decision": "approve", "note": "ok"})
        self.assertRedirects(response, reverse("clients:privacy_desk"))
        determination.refresh_from_db()
        self.assertEqual(determination.status, Determination.Status.APPROVED)
        self.assertEqual(determination.decided_by, self.staff("privacy_officer"))
        # Another engineer's client (not a staff member) has no determinations page.
        self.assertEqual(
            self.as_("peer")
            .get(reverse("clients:determination_new", args=[self.cast.client.pk]))
            .status_code,
            404,
        )
