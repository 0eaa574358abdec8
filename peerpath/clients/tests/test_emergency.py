"""Emergency ("break the glass") access: reason required, expiry, notification, review, audit."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.http import Http404
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from peerpath.clients import access, emergency
from peerpath.clients.models import EmergencyAccess, Notification, PrivacyPolicy
from peerpath.core.models import AuditEvent

from .cast import RESTRICTED_NAMES, PrivacyCastTestCase


def form(record, **changes):  # type: ignore[no-untyped-def]
    data = {
        "family_name": "Both",
        "date_of_birth": "1985-02-03",
        "record_number": "",
        "affiliation": "Blue Team, Adult Recovery",
        "nature_of_emergency": "Person is at the front desk in crisis, asking for their worker.",
        "confirm": "on",
    }
    data.update(changes)
    return data


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class EmergencyAccessTests(PrivacyCastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        record = cls.cast.peer_client_record
        record.date_of_birth = "1985-02-03"
        record.save()

    def start(self, role: str = "peer", **changes: str):  # type: ignore[no-untyped-def]
        with self.captureOnCommitCallbacks(execute=True):
            return self.as_(role).post(reverse("clients:emergency_start"), form(None, **changes))

    def test_reason_and_confirmation_are_required(self) -> None:
        for bad in ({"nature_of_emergency": ""}, {"nature_of_emergency": "help"}, {"confirm": ""}):
            with self.subTest(bad=bad):
                response = self.start(**bad)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "usa-error-message")
                self.assertNotIn(
                    "Both",
                    response.content.decode().split("<main", 1)[1].replace('value="Both"', ""),
                )
        self.assertFalse(EmergencyAccess.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_no_match_reveals_nothing_and_is_audited(self) -> None:
        response = self.start(family_name="Nobody")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(EmergencyAccess.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(action="emergency_access.not_found").exists())

    def test_break_the_glass_end_to_end(self) -> None:
        record = self.cast.peer_client_record
        detail = reverse("clients:detail", args=[record.pk])
        self.assertRefused(self.as_("peer").get(detail), 404, *RESTRICTED_NAMES)
        started = timezone.now()
        with time_machine.travel(started, tick=False):
            response = self.start()
            self.assertRedirects(response, detail)
            grant = EmergencyAccess.objects.get()
            self.assertEqual(grant.staff, self.cast.peer)
            self.assertEqual(grant.expires_at - grant.started_at, timedelta(minutes=60))
            self.assertEqual(grant.affiliation, "Blue Team, Adult Recovery")
            page = self.as_("peer").get(detail)
            self.assertContains(page, 'id="emergency-banner"')
            self.assertContains(page, "Robin Both")
            self.assertNotContains(page, reverse("clients:edit", args=[record.pk]))
            # Read only, and never in lists.
            self.assertRefused(
                self.as_("peer").get(reverse("clients:edit", args=[record.pk])),
                403,
                *RESTRICTED_NAMES,
            )
            self.assertNotIn(record, access.visible_clients(self.cast.peer))
        # Notified at once: in PeerPath and by email, naming no client.
        officer = self.staff("privacy_officer")
        note = Notification.objects.get(recipient=officer)
        self.assertIn("Pat Peer", note.message)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, [officer.email])
        self.assertNotIn("Both", mail.outbox[0].body + mail.outbox[0].subject)
        self.assertIn(str(record.pk), mail.outbox[0].body)
        # Still open after 59 minutes, closed after 61.
        with time_machine.travel(started + timedelta(minutes=59), tick=False):
            self.assertEqual(self.as_("peer").get(detail).status_code, 200)
        with time_machine.travel(started + timedelta(minutes=61), tick=False):
            self.assertRefused(self.as_("peer").get(detail), 404, *RESTRICTED_NAMES)
            with self.assertRaises(Http404):
                access.client_for_read(self.cast.peer, record.pk)
        # Every step is in the audit trail.
        actions = list(
            AuditEvent.objects.filter(client_id=record.pk).values_list("action", "purpose")
        )
        self.assertIn(("emergency_access.start", "emergency"), actions)
        self.assertIn(("client.view", "emergency"), actions)

    def test_review_queue_and_review(self) -> None:
        record = self.cast.peer_client_record
        self.start()
        self.as_("peer").get(reverse("clients:detail", args=[record.pk]))
        grant = EmergencyAccess.objects.get()
        url = reverse("clients:emergency_review", args=[record.pk, grant.pk])
        desk = self.as_("privacy_officer").get(reverse("clients:privacy_desk"))
        self.assertContains(desk, url)
        for role in ("peer", "clinician"):
            with self.subTest(role=role):
                self.assertRefused(self.as_(role).get(url), 403, *RESTRICTED_NAMES)
        for role in ("supervisor", "coworker", "outsider"):
            with self.subTest(role=role):
                self.assertRefused(self.as_(role).get(url), 404, *RESTRICTED_NAMES)
        page = self.as_("privacy_officer").get(url)
        self.assertContains(page, "Person is at the front desk")
        self.assertContains(page, "client.view")  # what they looked at
        bad = self.as_("privacy_officer").post(url, {"justified": "yes", "note": ""})
        self.assertEqual(bad.status_code, 200)
        grant.refresh_from_db()
        self.assertEqual(grant.review, EmergencyAccess.Review.PENDING)
        response = self.as_("privacy_officer").post(
            url, {"justified": "yes", "note": "A real crisis; the worker was called."}
        )
        self.assertRedirects(response, reverse("clients:privacy_desk"))
        grant.refresh_from_db()
        self.assertEqual(grant.review, EmergencyAccess.Review.JUSTIFIED)
        self.assertEqual(grant.reviewed_by, self.staff("privacy_officer"))
        self.assertTrue(AuditEvent.objects.filter(action="emergency_access.review").exists())
        self.assertTrue(AuditEvent.objects.filter(action="emergency_access.view").exists())
        self.assertFalse(Notification.objects.filter(read_at__isnull=True).exists())
        with self.assertRaises(ValueError):
            emergency.emergency_access_review(
                actor=self.staff("privacy_officer"), grant=grant, justified=False, note="again"
            )

    def test_privacy_officer_reviews_access_to_an_ordinary_record(self) -> None:
        client = self.cast.client
        grant = emergency.emergency_access_start(
            actor=self.cast.clinician,
            client=client,
            affiliation="Green Team",
            nature_of_emergency="Person collapsed in the waiting room; need medications.",
        )
        url = reverse("clients:emergency_review", args=[client.pk, grant.pk])
        # The privacy officer cannot open the ordinary record itself, only the review.
        detail = reverse("clients:detail", args=[client.pk])
        self.assertRefused(self.as_("privacy_officer").get(detail), 404)
        self.assertContains(self.as_("privacy_officer").get(url), "Person collapsed")
        self.assertRefused(self.as_("peer").get(url), 403)
        self.assertRefused(self.as_("supervisor").get(url), 403)
        self.assertRefused(self.as_("outsider").get(url), 404)
        # A review page only for this person's own emergency accesses.
        other = reverse(
            "clients:emergency_review", args=[self.cast.peer_client_record.pk, grant.pk]
        )
        self.assertRefused(self.as_("privacy_officer").get(other), 404)

    def test_not_justified_closes_an_open_access(self) -> None:
        self.start()
        grant = EmergencyAccess.objects.get()
        emergency.emergency_access_review(
            actor=self.staff("privacy_officer"), grant=grant, justified=False, note="No emergency."
        )
        with self.assertRaises(Http404):
            access.client_for_read(self.cast.peer, self.cast.peer_client_record.pk)

    def test_duration_follows_the_policy(self) -> None:
        PrivacyPolicy.objects.create(organization=self.cast.org, emergency_access_minutes=15)
        self.start()
        grant = EmergencyAccess.objects.get()
        self.assertEqual(grant.expires_at - grant.started_at, timedelta(minutes=15))

    @override_settings(EMERGENCY_ACCESS_MINUTES=30)
    def test_default_duration_is_a_setting(self) -> None:
        self.start()
        grant = EmergencyAccess.objects.get()
        self.assertEqual(grant.expires_at - grant.started_at, timedelta(minutes=30))

    def test_nobody_breaks_the_glass_on_their_own_record(self) -> None:
        response = self.start("peer_client")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_other_organizations_are_never_found(self) -> None:
        response = self.start("outsider")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_officer_home_shows_the_notice(self) -> None:
        self.start()
        response = self.as_("privacy_officer").get(reverse("clients:my_day"), follow=True)
        self.assertEqual(response.redirect_chain[-1][0], reverse("clients:privacy_desk"))
        self.assertContains(response, "1 emergency access waits for your review.")
