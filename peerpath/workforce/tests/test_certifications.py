"""Peers' certifications: the renewal rule and the hours toward it, reminders 90, 60 and 30 days
before expiry for the peer and their supervisor, expired ones flagged, and the certificate file
given only through the gate (the peer, their supervisor, those who run the agency), every
download audited; a file that is not a PDF, PNG or JPEG, or over 10 MB, is refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from peerpath.core.models import AuditEvent, Role, Staff
from peerpath.testing import CastTestCase, count_queries, make_staff
from peerpath.workforce import certifications
from peerpath.workforce.models import Certification, ContinuingEducation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CertificationCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mo Manager")
        cls.privacy = make_staff(cls.cast.org, Role.PRIVACY_OFFICER, name="Pia Privacy")
        Staff.objects.filter(pk=cls.cast.peer.pk).update(supervisor=cls.cast.supervisor)
        cls.cast.peer.refresh_from_db()

    def form(self, **change: Any) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "action": "certification",
            "kind": "state_peer",
            "body": "Oregon Health Authority",
            "number": "PSS-1",
            "issued_on": (today - timedelta(days=700)).isoformat(),
            "expires_on": (today + timedelta(days=45)).isoformat(),
            "ce_hours": "20",
            "ce_years": "2",
            "ethics_hours": "6",
            **change,
        }

    def add(self, days_left: int = 45, **change: Any) -> Certification:
        today = timezone.localdate()
        data: dict[str, Any] = {
            "kind": "state_peer",
            "name": "",
            "body": "Oregon Health Authority",
            "number": "",
            "issued_on": today - timedelta(days=700),
            "expires_on": today + timedelta(days=days_left),
            "ce_hours": 20,
            "ce_years": 2,
            "ethics_hours": 6,
            **change,
        }
        upload = SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf")
        return certifications.certification_add(actor=self.cast.peer, data=data, upload=upload)


class Adding(CertificationCase):
    def test_a_peer_adds_a_certification_with_its_file(self) -> None:
        url = reverse("workforce:my_certifications")
        page = self.as_("peer").get(url).content.decode()
        form = page.split('id="certification-form"')[1].split("</form>")[0]
        self.assertNotIn("checked", form)
        data = self.form(file=SimpleUploadedFile("scan.pdf", PDF, content_type="text/plain"))
        self.assertEqual(self.as_("peer").post(url, data).status_code, 302)
        cert = Certification.objects.get()
        self.assertEqual((cert.file_type, bytes(cert.file)), ("application/pdf", PDF))

    def test_a_file_that_is_not_a_pdf_png_or_jpeg_is_refused(self) -> None:
        url = reverse("workforce:my_certifications")
        fake = SimpleUploadedFile(
            "cert.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
        )
        response = self.as_("peer").post(url, self.form(file=fake))
        self.assertContains(response, "PDF, PNG or JPEG", status_code=400)
        big = SimpleUploadedFile(
            "big.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
        )
        response = self.as_("peer").post(url, self.form(file=big))
        self.assertContains(response, "larger than 10 MB", status_code=400)
        self.assertFalse(Certification.objects.exists())

    def test_bad_dates_and_hours_are_refused(self) -> None:
        url = reverse("workforce:my_certifications")
        today = timezone.localdate()
        for change, message in (
            ({"expires_on": (today - timedelta(days=800)).isoformat()}, "expires before"),
            ({"ethics_hours": "30"}, "part of the hours"),
            ({"kind": "other"}, "Name the certification"),
        ):
            with self.subTest(message=message):
                response = self.as_("peer").post(url, self.form(**change))
                self.assertContains(response, message, status_code=400)
        self.assertFalse(Certification.objects.exists())

    def test_only_peers_keep_certifications(self) -> None:
        url = reverse("workforce:my_certifications")
        for role in ("clinician",):
            self.assertEqual(self.as_(role).get(url).status_code, 403)
        self.assertEqual(self.as_staff(self.manager).get(url).status_code, 403)


class Renewal(CertificationCase):
    def test_a_peer_logs_hours_and_sees_the_progress_toward_renewal(self) -> None:
        cert = self.add()
        url = reverse("workforce:my_certifications")
        today = timezone.localdate()
        response = self.as_("peer").post(
            url,
            {
                "action": "hours",
                "ce-certification": str(cert.pk),
                "ce-title": "Ethics in peer work",
                "ce-on": (today - timedelta(days=10)).isoformat(),
                "ce-hours": "5",
                "ce-ethics_hours": "3",
            },
        )
        self.assertEqual(response.status_code, 302)
        # Hours before the renewal window do not count.
        ContinuingEducation.objects.create(
            organization=self.cast.org,
            staff=self.cast.peer,
            certification=cert,
            title="Long ago",
            on=today - timedelta(days=900),
            hours=Decimal("8"),
        )
        progress = certifications.progress_of([cert], today)[0]
        self.assertEqual((progress.hours, progress.ethics, progress.percent), (5, 3, 25))
        self.assertEqual(progress.hours_left, 15)
        page = self.as_("peer").get(url)
        self.assertContains(page, "5 of 20 hours toward renewal, 3 of 6 in ethics")
        self.assertContains(page, 'value="25"')

    def test_hours_for_another_peers_certification_or_in_the_future_are_refused(self) -> None:
        cert = self.add()
        other = make_staff(self.cast.org, Role.PEER_SPECIALIST, name="Other Peer")
        url = reverse("workforce:my_certifications")
        today = timezone.localdate()
        data = {
            "action": "hours",
            "ce-certification": str(cert.pk),
            "ce-title": "T",
            "ce-hours": "2",
        }
        refused = self.as_staff(other).post(url, {**data, "ce-on": today.isoformat()})
        self.assertEqual(refused.status_code, 400)
        future = self.as_("peer").post(
            url, {**data, "ce-on": (today + timedelta(days=3)).isoformat()}
        )
        self.assertContains(future, "in the future", status_code=400)
        self.assertFalse(ContinuingEducation.objects.exists())

    def test_reminders_at_90_60_and_30_days_and_expired_ones_flagged(self) -> None:
        today = timezone.localdate()
        for days, step in ((120, None), (90, 90), (75, 90), (45, 60), (30, 30), (3, 30)):
            cert = Certification(expires_on=today + timedelta(days=days), ce_hours=0)
            progress = certifications.Progress(cert, Decimal(0), Decimal(0), days)
            self.assertEqual(progress.reminder, step, days)
        self.add(days_left=-2, number="OLD")
        self.add(days_left=45)
        self.add(days_left=400)
        mine = self.as_("peer").get("/").content.decode()
        due = mine.split('id="certifications-due"')[1].split("</ul>")[0]
        self.assertIn("expired", due)
        self.assertIn("expires in 45 days", due)
        self.assertEqual(due.count("<li>"), 2)
        theirs = self.as_("supervisor").get("/").content.decode()
        self.assertIn("Pat Peer: State peer specialist certification", theirs)
        self.assertNotIn('id="certifications-due"', self.as_("clinician").get("/").content.decode())


class TheFileBehindTheGate(CertificationCase):
    def test_only_the_peer_their_supervisor_and_managers_download_it_audited(self) -> None:
        cert = self.add()
        url = reverse("workforce:certification_file", args=[cert.pk])
        for http in (self.as_("peer"), self.as_("supervisor"), self.as_staff(self.manager)):
            response = http.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.content, PDF)
            self.assertEqual(response["Content-Type"], "application/pdf")
            self.assertIn("attachment", response["Content-Disposition"])
        for http in (
            self.as_("clinician"),
            self.as_staff(self.privacy),
            self.as_staff(make_staff(self.cast.org, Role.PEER_SPECIALIST)),
            self.as_("outsider"),
        ):
            self.assertEqual(http.get(url).status_code, 404)
        self.assertEqual(self.as_("anonymous").get(url).status_code, 302)
        self.assertEqual(AuditEvent.objects.filter(action="certification.file").count(), 3)

    def test_the_peers_certifications_page_costs_the_same_queries_for_few_or_many(self) -> None:
        url = reverse("workforce:peers_certifications")
        http = self.as_("supervisor")
        self.add()
        http.get(url)
        with count_queries() as few:
            http.get(url)
        for n in range(8):
            self.add(days_left=100 + n)
        with count_queries() as many:
            page = http.get(url)
        self.assertEqual(len(many), len(few))
        self.assertEqual(page.content.decode().count("<progress"), 9)
        for role in ("peer", "clinician"):
            self.assertEqual(self.as_(role).get(url).status_code, 403)


class Curricula(CertificationCase):
    def test_starting_a_wham_group_suggests_the_trained_and_warns_otherwise(self) -> None:
        from peerpath.encounters.models import Group

        today = timezone.localdate()
        url = reverse("workforce:my_certifications")
        self.as_("peer").post(
            url,
            {
                "action": "curriculum",
                "curriculum-curriculum": "wham",
                "curriculum-trained_on": today.isoformat(),
            },
        )
        create = reverse("encounters:group_create")
        form = self.as_("supervisor").get(create)
        self.assertContains(form, "WHAM groups: Pat Peer")
        self.assertContains(form, "IMR groups: nobody yet")
        data = {"name": "Whole health", "kind": "wham", "facilitators": [self.cast.supervisor.pk]}
        warned = self.as_("supervisor").post(create, data)
        self.assertEqual(warned.status_code, 200)
        self.assertContains(warned, "None of the facilitators you chose is trained")
        self.assertFalse(Group.objects.exists())
        confirmed = self.as_("supervisor").post(create, {**data, "confirm_untrained": "yes"})
        self.assertEqual(confirmed.status_code, 302)
        trained = self.as_("peer").post(
            create, {"name": "WHAM Tuesdays", "kind": "wham", "facilitators": [self.cast.peer.pk]}
        )
        self.assertEqual(trained.status_code, 302)
        self.assertEqual(Group.objects.count(), 2)

    def test_a_curriculum_in_the_future_or_unnamed_is_refused(self) -> None:
        url = reverse("workforce:my_certifications")
        today = timezone.localdate()
        for data, message in (
            (
                {"curriculum-curriculum": "other", "curriculum-trained_on": today.isoformat()},
                "Name the curriculum",
            ),
            (
                {
                    "curriculum-curriculum": "imr",
                    "curriculum-trained_on": (today + timedelta(days=5)).isoformat(),
                },
                "in the future",
            ),
        ):
            response = self.as_("peer").post(url, {"action": "curriculum", **data})
            self.assertContains(response, message, status_code=400)
        self.assertEqual(certifications.curricula_of(self.cast.peer), [])


class Api(CertificationCase):
    def test_supervisors_read_their_peers_certifications_and_peer_work(self) -> None:
        self.add(days_left=45)
        body = self.as_("supervisor").get("/api/v1/certifications").json()
        self.assertEqual(len(body), 1)
        self.assertEqual(
            (body[0]["peer"], body[0]["days_left"], body[0]["hours_required"]),
            ("Pat Peer", 45, 20),
        )
        self.assertNotIn("file", body[0])
        work = self.as_staff(self.manager).get("/api/v1/fidelity").json()
        self.assertEqual(work["target"], 80)
        self.assertIn("Pat Peer", [row["peer"] for row in work["peers"]])
        self.assertEqual(len(work["peers"][0]["months"]), 6)
        for role in ("peer", "clinician", "outsider"):
            self.assertEqual(self.as_(role).get("/api/v1/certifications").status_code, 403)
            self.assertEqual(self.as_(role).get("/api/v1/fidelity").status_code, 403)
