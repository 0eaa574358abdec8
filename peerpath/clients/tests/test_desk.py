"""The privacy officer's desk: who reaches it, what it lists, the audited search and export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.clients import actions, policy
from peerpath.clients.models import EmergencyAccess, PrivacyPolicy
from peerpath.core.models import AuditEvent, Role
from peerpath.testing import make_client, make_staff, query_count

from .cast import PrivacyCastTestCase

DESK_URLS = ("clients:privacy_desk", "clients:audit_search", "clients:privacy_policy")


class DeskTests(PrivacyCastTestCase):
    def test_only_the_privacy_officer(self) -> None:
        for name in (*DESK_URLS, "clients:audit_export"):
            url = reverse(name)
            for role in ("peer", "supervisor", "clinician", "peer_client", "outsider", "coworker"):
                with self.subTest(url=url, role=role):
                    self.assertRefusedInPage(self.as_(role).get(url), 404, "Robin", "Both")
            with self.subTest(url=url, role="anonymous"):
                self.assertEqual(self.as_("anonymous").get(url).status_code, 302)
        for name in DESK_URLS:
            self.assertEqual(self.as_("privacy_officer").get(reverse(name)).status_code, 200)

    def test_desk_lists_restricted_records_with_their_care_teams(self) -> None:
        response = self.as_("privacy_officer").get(reverse("clients:privacy_desk"))
        self.assertContains(response, "Robin Both")
        self.assertContains(response, "Casey Clinician")
        self.assertNotContains(response, "Quillfeather")
        self.assertTrue(AuditEvent.objects.filter(action="privacy_desk.view").exists())

    def test_desk_query_count_does_not_grow(self) -> None:
        officer = self.as_("privacy_officer")

        def load() -> None:
            self.assertEqual(officer.get(reverse("clients:privacy_desk")).status_code, 200)

        load()
        small = query_count(load)
        for n in range(6):
            client = make_client(
                self.cast.other_team, care_team=(self.cast.clinician,), is_restricted=True
            )
            EmergencyAccess.objects.create(
                organization=self.cast.org,
                client=client,
                staff=self.cast.peer,
                affiliation="Blue",
                nature_of_emergency="crisis",
                expires_at=timezone.now() + timedelta(minutes=5 + n),
            )
            policy.determination_request(
                actor=self.cast.clinician,
                client=self.cast.peer_client_record,
                program=self.cast.program,
                reason="r",
                conditions="c",
                review_on=timezone.localdate() + timedelta(days=10),
            )
        self.assertEqual(query_count(load), small)

    def test_audit_search_filters_and_is_audited(self) -> None:
        record = self.cast.peer_client_record
        self.as_("clinician").get(reverse("clients:detail", args=[record.pk]))
        self.as_("peer").get(reverse("clients:detail", args=[self.cast.client.pk]))
        url = reverse("clients:audit_search")
        response = self.as_("privacy_officer").get(
            url, {"client_id": record.pk, "action": "client.view"}
        )
        events = response.context["events"]
        self.assertEqual(
            [(e.actor, e.client_id) for e in events], [(self.cast.clinician, record.pk)]
        )
        search = AuditEvent.objects.filter(action="audit.search").get()
        self.assertEqual(search.details["client_id"], record.pk)
        response = self.as_("privacy_officer").get(url, {"actor": self.cast.peer.pk})
        self.assertTrue(all(e.actor_id == self.cast.peer.pk for e in response.context["events"]))
        today = timezone.localdate()
        response = self.as_("privacy_officer").get(
            url,
            {"date_from": today.isoformat(), "date_to": (today - timedelta(days=2)).isoformat()},
        )
        self.assertContains(response, "The end date is before the start date.", status_code=400)
        tomorrow = (today + timedelta(days=1)).isoformat()
        response = self.as_("privacy_officer").get(url, {"date_from": tomorrow})
        self.assertEqual(response.context["events"].items, [])

    def test_audit_search_query_count_does_not_grow(self) -> None:
        officer = self.as_("privacy_officer")
        url = reverse("clients:audit_search")

        def load() -> None:
            self.assertEqual(officer.get(url, {"action": "client."}).status_code, 200)

        load()
        small = query_count(load)
        detail = reverse("clients:detail", args=[self.cast.peer_client_record.pk])
        for _ in range(5):
            self.as_("clinician").get(detail)
        self.assertEqual(query_count(load), small)

    def test_csv_export_is_audited_and_safe(self) -> None:
        record = self.cast.peer_client_record
        actions.client_set_restriction(
            actor=self.cast.peer, client=self.cast.client, restricted=True, reason="=HYPERLINK(1)"
        )
        self.as_("clinician").get(reverse("clients:detail", args=[record.pk]))
        response = self.as_("privacy_officer").get(reverse("clients:audit_export"), {"action": ""})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(rows[0][:3], ["id", "created_at", "actor_id"])
        actions_seen = {row[5] for row in rows[1:]}
        self.assertIn("client.view", actions_seen)
        self.assertIn("audit.export", actions_seen)  # the export records itself first
        self.assertFalse(any(cell.startswith("=") for row in rows for cell in row))

    def test_policy_page_saves_and_audits(self) -> None:
        url = reverse("clients:privacy_policy")
        bad = self.as_("privacy_officer").post(
            url, {"mode": "strict", "emergency_access_minutes": 2}
        )
        self.assertEqual(bad.status_code, 200)
        self.assertFalse(PrivacyPolicy.objects.exists())
        response = self.as_("privacy_officer").post(
            url, {"mode": "strict", "emergency_access_minutes": 30}
        )
        self.assertRedirects(response, reverse("clients:privacy_desk"))
        saved = PrivacyPolicy.objects.get()
        self.assertEqual((saved.mode, saved.emergency_access_minutes), ("strict", 30))
        self.assertTrue(AuditEvent.objects.filter(action="privacy_policy.update").exists())

    def test_desk_in_spanish(self) -> None:
        http = self.as_("privacy_officer")
        response = http.get(reverse("clients:privacy_desk"), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(response, "Oficina de privacidad")
        self.assertContains(response, "Registros restringidos")

    def test_other_organizations_privacy_officer_sees_nothing_here(self) -> None:
        other_officer = make_staff(self.cast.other_org, Role.PRIVACY_OFFICER)
        http = self.client_class()
        http.force_login(other_officer)
        response = http.get(reverse("clients:privacy_desk"))
        self.assertNotContains(response, "Robin Both")
        response = http.get(reverse("clients:detail", args=[self.cast.peer_client_record.pk]))
        self.assertRefused(response, 404, "Robin", "Both")


class AuditSearchIndexTests(PrivacyCastTestCase):
    """The privacy desk's audit searches use their indexes (PostgreSQL's plan, read by EXPLAIN)."""

    def plan(self, sql: str, params: list[object]) -> str:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())

    def test_by_person_and_by_action_prefix(self) -> None:
        from django.db import connection

        if connection.vendor != "postgresql":
            self.skipTest("query plans are checked on PostgreSQL (the production engine)")
        from peerpath.clients import desk
        from peerpath.core import audit

        # A trail of some size, mostly other people and actions, as the planner will see it.
        entries = [
            audit.Entry(action="client.view", client_id=self.cast.peer_client_record.pk)
            for _ in range(3000)
        ]
        audit.record_many(organization=self.cast.org, actor=self.cast.peer, entries=entries)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_auditevent")
        officer = self.extra["privacy_officer"]
        for wanted, index in (
            (desk.AuditFilter(client_id=self.cast.client.pk), "audit_client_trail"),
            (desk.AuditFilter(action="emergency_access"), "audit_org_action"),
        ):
            with self.subTest(index=index):
                query = desk._audit_events(officer, wanted)[: desk.AUDIT_PAGE_SIZE]
                sql, params = query.query.sql_with_params()
                self.assertIn(index, self.plan(sql, list(params)))

    def test_every_event_is_reachable_page_by_page(self) -> None:
        from peerpath.core import audit

        for n in range(2 * 200 + 5):
            audit.record(organization=self.cast.org, action="test.page", details={"n": n})
        http = self.as_("privacy_officer")
        url = reverse("clients:audit_search")
        seen = 0
        params: dict[str, str] = {"action": "test.page"}
        while True:
            page = http.get(url, params).context["events"]
            seen += len(page.items)
            if not page.has_next:
                break
            params["after"] = page.next_cursor
        self.assertEqual(seen, 405)
