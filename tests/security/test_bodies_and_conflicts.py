"""Bodies, characters and double submits that once gave a 500, replayed.

A 3 MB and a 50 MB API body; a NUL character in API text (PostgreSQL refuses it); a WRAP or IMR
save claiming a version that does not exist; a privacy officer's review submitted twice; a record
number too large for the database; and emergency access to a person on one's own caseload.
"""

from __future__ import annotations

import json

from django.test import override_settings
from django.urls import reverse

from peerpath.clients import emergency
from peerpath.clients.models import EmergencyAccess
from peerpath.clients.tests.cast import PrivacyCastTestCase
from peerpath.encounters.models import Contact
from peerpath.plans.models import ImrPlan, WrapPlan
from peerpath.testing import CastTestCase


class ApiBodyTests(CastTestCase):
    def url(self) -> str:
        return f"/api/v1/clients/{self.cast.client.pk}/contacts"

    def test_bodies_over_the_limit_get_413(self) -> None:
        for size in (3 * 1024 * 1024, 50 * 1024 * 1024):
            with self.subTest(size=size):
                body = json.dumps({"summary": "x" * size})
                response = self.as_("peer").post(self.url(), body, content_type="application/json")
                self.assertEqual(response.status_code, 413)
                self.assertIn("larger than", response.json()["detail"])
        self.assertFalse(Contact.objects.exists())

    @override_settings(API_MAX_BODY_BYTES=64 * 1024)
    def test_the_limit_is_a_setting(self) -> None:
        body = json.dumps({"summary": "x" * 70_000})
        response = self.as_("peer").post(self.url(), body, content_type="application/json")
        self.assertEqual(response.status_code, 413)

    def test_a_nul_character_in_any_text_gets_422(self) -> None:
        routine = {"minutes": 30, "services": ["hope"], "summary": "Talked.\u0000"}
        for field, value in (("summary", "Talked.\u0000"), ("place", "office\u0000")):
            with self.subTest(field=field):
                response = self.as_("peer").post(
                    self.url(),
                    json.dumps({**routine, field: value}),
                    content_type="application/json",
                )
                self.assertEqual(response.status_code, 422)
                self.assertIn("NUL", response.json()["detail"])
        self.assertFalse(Contact.objects.exists())


class VersionConflictTests(CastTestCase):
    def test_a_wrap_save_from_a_version_that_never_existed_is_a_conflict(self) -> None:
        WrapPlan.objects.create(organization=self.cast.org, client=self.cast.client)
        url = reverse("plans:wrap_edit", args=[self.cast.client.pk])
        response = self.as_("peer").post(
            url, {"based_on": "7", "part": "wellness", "wellness_toolbox": "Walks."}
        )
        self.assertContains(response, "Nothing was saved", status_code=409)
        self.assertFalse(WrapPlan.objects.get().versions.exists())

    def test_an_imr_goal_change_without_a_plan_is_a_conflict(self) -> None:
        url = reverse("plans:imr", args=[self.cast.client.pk])
        response = self.as_("peer").post(
            url, {"goal-recovery_goal": "Get my own place.", "goal-version": "3"}
        )
        self.assertContains(response, "Nothing was saved", status_code=409)
        self.assertFalse(ImrPlan.objects.exists())


class PrivacyDeskInputTests(PrivacyCastTestCase):
    def test_a_review_submitted_twice_saves_once_and_says_so(self) -> None:
        grant = emergency.emergency_access_start(
            actor=self.cast.clinician,
            client=self.cast.client,
            affiliation="Green Team",
            nature_of_emergency="Person collapsed in the waiting room; need medications.",
            email=False,
        )
        url = reverse("clients:emergency_review", args=[self.cast.client.pk, grant.pk])
        data = {"justified": "yes", "note": "Called the clinician; it was an emergency."}
        officer = self.as_("privacy_officer")
        first = officer.post(url, data, follow=True)
        second = officer.post(url, {**data, "justified": "no"}, follow=True)
        self.assertContains(first, "Review saved.")
        self.assertContains(second, "already reviewed")
        grant.refresh_from_db()
        self.assertEqual(grant.review, EmergencyAccess.Review.JUSTIFIED)

    def test_numbers_too_large_for_the_database_are_refused_with_a_message(self) -> None:
        huge = "9" * 30
        search = self.as_("privacy_officer").get(
            reverse("clients:audit_search"), {"client_id": huge, "actor": huge}
        )
        self.assertContains(search, "No record has a number that large.", status_code=400)
        start = self.as_("clinician").post(
            reverse("clients:emergency_start"),
            {
                "family_name": "Both",
                "date_of_birth": "1985-02-03",
                "record_number": huge,
                "affiliation": "Green Team",
                "nature_of_emergency": "Person at the front desk in crisis.",
                "confirm": "on",
            },
        )
        self.assertContains(start, "No record has a number that large.")
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_emergency_access_is_refused_for_ones_own_caseload(self) -> None:
        client = self.cast.client  # on the peer's caseload
        client.date_of_birth = "1990-04-05"
        client.save()
        response = self.as_("peer").post(
            reverse("clients:emergency_start"),
            {
                "family_name": client.family_name,
                "date_of_birth": "1990-04-05",
                "record_number": str(client.pk),
                "affiliation": "Blue Team",
                "nature_of_emergency": "Person at the front desk in crisis.",
                "confirm": "on",
            },
            follow=True,
        )
        self.assertContains(response, "opens without emergency access")
        self.assertFalse(EmergencyAccess.objects.exists())
        with self.assertRaises(emergency.EmergencyAccessRefused):
            emergency.emergency_access_start(
                actor=self.cast.peer,
                client=client,
                affiliation="Blue Team",
                nature_of_emergency="Person at the front desk in crisis.",
                email=False,
            )
