"""A person's full record (right of access): everything kept, for the privacy officer only, and
recorded as a disclosure to the person."""

from __future__ import annotations

import base64
import json

from django.urls import reverse
from django.utils import timezone

from peerpath.clients import access, intake
from peerpath.clients.models import Disclosure
from peerpath.core.models import AuditEvent
from peerpath.encounters.tests.helpers import signed_contact
from peerpath.plans import actions as plan_actions

from .cast import PrivacyCastTestCase

PDF = b"%PDF-1.4\n%%EOF\n"


class FullRecordTests(PrivacyCastTestCase):
    def setUp(self) -> None:
        grant = access.client_for_write(self.cast.peer, self.cast.client.pk)
        signed_contact(self.cast.peer, self.cast.client, summary="We planned the bus route.")
        goal = plan_actions.goal_create(
            actor=self.cast.peer, access=grant, own_words="Get my own place", life_area="housing"
        )
        plan_actions.goal_step_add(
            actor=self.cast.peer,
            access=grant,
            goal=goal,
            text="Call the housing office",
            due_on=None,
        )
        intake.service_consent_add(
            actor=self.cast.peer,
            access=grant,
            consent=intake.ConsentGiven(
                method="signed",
                given_on=timezone.localdate(),
                scan=PDF,
                scan_type="application/pdf",
            ),
        )
        self.url = reverse("clients:full_record", args=[self.cast.client.pk])

    def test_only_the_privacy_officer_makes_it(self) -> None:
        for role in ("peer", "supervisor", "clinician", "peer_client", "outsider", "coworker"):
            with self.subTest(role=role):
                self.assertRefused(self.as_(role).post(self.url, {"format": "json"}), 404)
        self.assertFalse(Disclosure.objects.exists())
        self.assertEqual(self.as_("anonymous").get(self.url).status_code, 302)

    def test_the_json_holds_everything_kept_and_is_a_disclosure_to_the_person(self) -> None:
        http = self.as_("privacy_officer")
        response = self.fetch_download(http, http.post(self.url, {"format": "json"}))
        self.assertEqual(response["Content-Type"], "application/json")
        document = json.loads(response.content)
        sections = {s["key"]: s["rows"] for s in document["sections"]}
        self.assertEqual(sections["clients.client"][0]["family_name"], "Quillfeather")
        self.assertEqual(sections["encounters.contact"][0]["summary"], "We planned the bus route.")
        self.assertEqual(sections["encounters.contact"][0]["author"], "Pat Peer")
        self.assertEqual(sections["plans.goal"][0]["own_words"], "Get my own place")
        self.assertEqual(sections["plans.goalstep"][0]["text"], "Call the housing office")
        self.assertIn("clients.enrollment", sections)
        self.assertIn("clients.careteammember", sections)
        scans = [r["scan"] for r in sections["clients.serviceconsent"] if r["scan"]]
        self.assertEqual(base64.b64decode(scans[0]["base64"]), PDF)
        disclosure = Disclosure.objects.get(client=self.cast.client)
        self.assertEqual(disclosure.method, "export")
        self.assertIn("right of access", disclosure.recipient)
        event = AuditEvent.objects.get(action="client.full_record")
        self.assertEqual(event.purpose, "right_of_access")
        self.assertEqual(event.details["format"], "JSON")

    def test_the_pdf_is_made_and_the_restricted_record_works_too(self) -> None:
        http = self.as_("privacy_officer")
        response = self.fetch_download(http, http.post(self.url, {"format": "pdf"}))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        restricted = reverse("clients:full_record", args=[self.cast.peer_client_record.pk])
        self.assertEqual(self.as_("privacy_officer").get(restricted).status_code, 200)

    def test_the_privacy_officer_finds_the_record_by_number(self) -> None:
        found = self.as_("privacy_officer").get(
            reverse("clients:full_record_find"), {"record_number": self.cast.client.pk}
        )
        self.assertRedirects(found, self.url)
        missing = self.as_("privacy_officer").get(
            reverse("clients:full_record_find"), {"record_number": 10**30}
        )
        self.assertContains(missing, "No record has a number that large.")
        other = self.as_("privacy_officer").get(
            reverse("clients:full_record_find"), {"record_number": self.cast.outsider_client.pk}
        )
        self.assertEqual(other.status_code, 404)
