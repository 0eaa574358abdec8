"""Reads of plans and measures record why the record was open, like every other page."""

from __future__ import annotations

from django.urls import reverse

from peerpath.clients import emergency
from peerpath.core.models import AuditEvent
from peerpath.testing import CastTestCase


class ReadPurposeTests(CastTestCase):
    def last_view(self, url: str, role: str) -> AuditEvent:
        before = AuditEvent.objects.count()
        self.assertEqual(self.as_(role).get(url).status_code, 200)
        events = AuditEvent.objects.order_by("id")[before:]
        return next(e for e in events if e.client_id == self.cast.client.pk)

    def test_care_team_reads_are_for_treatment(self) -> None:
        url = reverse("plans:plan", args=[self.cast.client.pk])
        self.assertEqual(self.last_view(url, "peer").purpose, "treatment")

    def test_break_the_glass_reads_are_marked_emergency(self) -> None:
        emergency.emergency_access_start(
            actor=self.cast.clinician,
            client=self.cast.client,
            affiliation="Green Team",
            nature_of_emergency="Person collapsed; the crisis plan names who to call.",
            email=False,
        )
        for url in (
            reverse("plans:plan", args=[self.cast.client.pk]),
            reverse("measures:overview", args=[self.cast.client.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.last_view(url, "clinician").purpose, "emergency")
