"""42 CFR Part 2: consent required, notice on the PDF, accounting of disclosures, revocation."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from peerpath.clients import consents
from peerpath.clients.models import Consent, Disclosure
from peerpath.core.models import AuditEvent, Program
from peerpath.testing import CastTestCase, query_count

NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records"


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


class ConsentTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Jordana is also in the substance use program: her record is labelled Part 2.
        cls.cast.client.enrollments.create(
            organization=cls.cast.org,
            program=cls.cast.other_program,
            started_on=timezone.localdate() - timedelta(days=10),
        )

    def consent(self, **changes: object) -> Consent:
        today = timezone.localdate()
        fields: dict[str, object] = {
            "scope": Consent.Scope.RECORDS,
            "information": "Diagnosis, medications, attendance",
            "recipient": "Lakeside Primary Care",
            "purpose": Consent.Purpose.TPO,
            "purpose_detail": "",
            "signed_on": today,
            "expires_on": today + timedelta(days=365),
        }
        fields.update(changes)
        return Consent.objects.create(
            organization=self.cast.org,
            client=self.cast.client,
            recorded_by=self.cast.peer,
            **fields,
        )

    def disclose(self, consent: Consent | None, **changes: object):  # type: ignore[no-untyped-def]
        data: dict[str, object] = {
            "method": "send",
            "purpose": "treatment",
            "information": "Record summary",
            "consent": consent.pk if consent else "",
            "recipient": "",
        }
        data.update(changes)
        return self.as_("peer").post(
            reverse("clients:disclosure_new", args=[self.cast.client.pk]), data
        )

    def test_labelled(self) -> None:
        self.assertTrue(consents.is_part2(self.cast.client))
        self.assertFalse(consents.is_part2(self.cast.outsider_client))
        page = self.as_("peer").get(reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertContains(page, "42 CFR Part 2")

    def test_refused_without_consent(self) -> None:
        response = self.disclose(None, recipient="Lakeside Primary Care")
        self.assertContains(response, "A valid consent is needed", status_code=403)
        self.assertFalse(Disclosure.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(action="disclosure.refuse").exists())

    def test_allowed_with_consent_carries_the_notice_and_is_accounted(self) -> None:
        consent = self.consent()
        response = self.disclose(consent)
        self.assertEqual(response.status_code, 200, response.content[:500])
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join(pdf_text(response.content).split())
        self.assertIn(NOTICE, text)
        self.assertIn("Quillfeather", text)
        disclosure = Disclosure.objects.get()
        self.assertEqual(disclosure.consent, consent)
        self.assertEqual(disclosure.recipient, "Lakeside Primary Care")
        self.assertIn(NOTICE, disclosure.notice)
        self.assertTrue(AuditEvent.objects.filter(action="disclosure.make").exists())
        http = self.as_("peer")
        accounting = self.fetch_download(
            http, http.post(reverse("clients:accounting_pdf", args=[self.cast.client.pk]))
        )
        text = " ".join(pdf_text(accounting.content).split())
        self.assertIn("Accounting of disclosures", text)
        self.assertIn("Lakeside Primary Care", text)
        self.assertTrue(AuditEvent.objects.filter(action="disclosure.accounting").exists())

    def test_accounting_in_spanish(self) -> None:
        http = self.as_("peer")
        asked = http.post(
            reverse("clients:accounting_pdf", args=[self.cast.client.pk]),
            HTTP_ACCEPT_LANGUAGE="es",
        )
        response = self.fetch_download(http, asked, HTTP_ACCEPT_LANGUAGE="es")
        self.assertIn("Informe de divulgaciones", " ".join(pdf_text(response.content).split()))

    def test_accounting_covers_three_years(self) -> None:
        consent = self.consent(
            recipient="Old Clinic",
            signed_on=timezone.localdate() - timedelta(days=1500),
            expires_on=timezone.localdate() + timedelta(days=1),
        )
        with time_machine.travel(timezone.now() - timedelta(days=3 * 365 + 10)):
            Disclosure.objects.create(
                organization=self.cast.org,
                client=self.cast.client,
                consent=consent,
                method="send",
                recipient="Too Old Clinic",
                purpose="treatment",
                information="x",
                is_part2=True,
                disclosed_by=self.cast.peer,
            )
        with time_machine.travel(timezone.now() - timedelta(days=2 * 365)):
            Disclosure.objects.create(
                organization=self.cast.org,
                client=self.cast.client,
                consent=consent,
                method="send",
                recipient="Recent Clinic",
                purpose="treatment",
                information="x",
                is_part2=True,
                disclosed_by=self.cast.peer,
            )
        names = [d.recipient for d in consents.accounting(self.cast.client)]
        self.assertEqual(names, ["Recent Clinic"])

    def test_revoked_consent_stops_the_next_disclosure(self) -> None:
        consent = self.consent()
        self.assertEqual(self.disclose(consent).status_code, 200)
        url = reverse("clients:consent_revoke", args=[self.cast.client.pk, consent.pk])
        self.assertRefused(self.as_("supervisor").post(url, {"note": "x"}), 403)
        self.assertRefused(self.as_("clinician").post(url, {"note": "x"}), 404)
        response = self.as_("peer").post(url, {"note": "Told me by phone"})
        self.assertRedirects(response, reverse("clients:consents", args=[self.cast.client.pk]))
        consent.refresh_from_db()
        self.assertIsNotNone(consent.revoked_at)
        # The revoked consent is no longer offered; naming it anyway is refused.
        response = self.disclose(consent)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select a valid choice")
        with self.assertRaises(consents.DisclosureRefused):
            consents.disclosure_make(
                actor=self.cast.peer,
                access=self.peer_access(),
                method="send",
                purpose="treatment",
                information="Record summary",
                consent=consent,
            )
        self.assertEqual(Disclosure.objects.count(), 1)

    def peer_access(self):  # type: ignore[no-untyped-def]
        from peerpath.clients import access

        return access.client_for_write(self.cast.peer, self.cast.client.pk)

    def test_expired_consent_and_wrong_purpose_are_refused(self) -> None:
        expired = self.consent(
            signed_on=timezone.localdate() - timedelta(days=400),
            expires_on=timezone.localdate() - timedelta(days=1),
        )
        payment_only = self.consent(purpose=Consent.Purpose.PAYMENT)
        for consent, purpose in ((expired, "treatment"), (payment_only, "treatment")):
            with self.subTest(consent=consent.pk), self.assertRaises(consents.DisclosureRefused):
                consents.disclosure_make(
                    actor=self.cast.peer,
                    access=self.peer_access(),
                    method="print",
                    purpose=purpose,
                    information="Record summary",
                    consent=consent,
                )

    def test_counseling_notes_need_their_own_consent(self) -> None:
        general = self.consent()
        with self.assertRaises(consents.DisclosureRefused) as refused:
            consents.disclosure_make(
                actor=self.cast.peer,
                access=self.peer_access(),
                method="send",
                purpose="treatment",
                information="Counseling notes",
                consent=general,
                counseling_notes=True,
            )
        self.assertEqual(refused.exception.code, "notes_need_own_consent")
        notes = self.consent(
            scope=Consent.Scope.COUNSELING_NOTES, purpose=Consent.Purpose.TREATMENT
        )
        result = consents.disclosure_make(
            actor=self.cast.peer,
            access=self.peer_access(),
            method="send",
            purpose="treatment",
            information="Counseling notes",
            consent=notes,
            counseling_notes=True,
        )
        self.assertTrue(result.disclosure.includes_counseling_notes)
        # And a notes consent does not open the rest of the record.
        with self.assertRaises(consents.DisclosureRefused):
            consents.disclosure_make(
                actor=self.cast.peer,
                access=self.peer_access(),
                method="send",
                purpose="treatment",
                information="Record summary",
                consent=notes,
            )

    def test_records_outside_part2_need_only_a_recipient(self) -> None:
        self.cast.client.enrollments.filter(program__kind=Program.Kind.SUBSTANCE_USE).delete()
        response = self.disclose(None, recipient="Housing Authority", purpose="other")
        self.assertEqual(response.status_code, 200)
        disclosure = Disclosure.objects.get()
        self.assertFalse(disclosure.is_part2)
        self.assertNotIn(NOTICE, " ".join(pdf_text(response.content).split()))

    def test_recording_a_consent(self) -> None:
        url = reverse("clients:consent_new", args=[self.cast.client.pk])
        today = timezone.localdate()
        bad = self.as_("peer").post(
            url,
            {
                "scope": "records",
                "information": "All",
                "recipient": "Clinic",
                "purpose": "tpo",
                "signed_on": today.isoformat(),
                "expires_on": (today - timedelta(days=1)).isoformat(),
            },
        )
        self.assertContains(bad, "cannot expire before it is signed")
        self.assertFalse(Consent.objects.exists())
        ok = self.as_("peer").post(
            url,
            {
                "scope": "records",
                "information": "All",
                "recipient": "Clinic",
                "purpose": "tpo",
                "signed_on": today.isoformat(),
                "expires_on": (today + timedelta(days=90)).isoformat(),
            },
        )
        self.assertRedirects(ok, reverse("clients:consents", args=[self.cast.client.pk]))
        self.assertTrue(AuditEvent.objects.filter(action="consent.record").exists())

    def test_consent_page_query_count_does_not_grow(self) -> None:
        url = reverse("clients:consents", args=[self.cast.client.pk])
        http = self.as_("peer")

        def load() -> None:
            self.assertEqual(http.get(url).status_code, 200)

        consent = self.consent()
        load()
        small = query_count(load)
        for n in range(8):
            extra = self.consent(recipient=f"Clinic {n}")
            Disclosure.objects.create(
                organization=self.cast.org,
                client=self.cast.client,
                consent=extra or consent,
                method="send",
                recipient=f"Clinic {n}",
                purpose="treatment",
                information="x",
                is_part2=True,
                disclosed_by=self.cast.peer,
            )
        self.assertEqual(query_count(load), small)

    def test_page_access_per_role(self) -> None:
        self.consent()
        pages = {
            reverse("clients:consents", args=[self.cast.client.pk]): {
                "peer": 200,
                "supervisor": 200,
            },
            reverse("clients:consent_new", args=[self.cast.client.pk]): {
                "peer": 200,
                "supervisor": 403,
            },
            reverse("clients:disclosure_new", args=[self.cast.client.pk]): {
                "peer": 200,
                "supervisor": 403,
            },
        }
        for url, allowed in pages.items():
            for role in ("peer", "supervisor", "clinician", "peer_client", "outsider"):
                with self.subTest(url=url, role=role):
                    response = self.as_(role).get(url)
                    if allowed.get(role) == 200:
                        self.assertEqual(response.status_code, 200)
                    else:
                        self.assertRefused(response, allowed.get(role, 404))
        # Asking for the accounting: those who may read the record; a file only they can fetch.
        accounting = reverse("clients:accounting_pdf", args=[self.cast.client.pk])
        for role in ("peer", "supervisor", "clinician", "peer_client", "outsider"):
            with self.subTest(url=accounting, role=role):
                response = self.as_(role).post(accounting)
                if role in ("peer", "supervisor"):
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(self.as_(role).get(response["Location"]).status_code, 200)
                    # Nobody else, not even a co-worker who may read the record, gets it.
                    other = "supervisor" if role == "peer" else "peer"
                    self.assertEqual(self.as_(other).get(response["Location"]).status_code, 404)
                else:
                    self.assertRefused(response, 404)
        consent_list = self.as_("peer").get(reverse("clients:consents", args=[self.cast.client.pk]))
        self.assertContains(consent_list, "Lakeside Primary Care")
        self.assertTrue(AuditEvent.objects.filter(action="consent.list").exists())
