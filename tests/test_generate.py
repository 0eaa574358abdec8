"""The synthetic state `peerpath generate` makes: whole, tenant-tight, with an intact audit trail,
and the pages `make bench` times answer on it (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import sys
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F, ForeignKey
from django.test import TestCase, override_settings

from peerpath.clients.models import CareTeamMember, Client
from peerpath.core import audit
from peerpath.core.models import AuditEvent, Organization, Role, Staff
from peerpath.demo import generate
from peerpath.encounters.models import Contact

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def tenant_models() -> list[type]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("peerpath")
        and any(f.name == "organization" for f in m._meta.fields)
    ]


class GenerateTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.counts = generate.generate("tiny", seed=7)

    def test_every_app_gets_rows(self) -> None:
        for table in [
            "clients_client",
            "clients_careteammember",
            "clients_consent",
            "clients_disclosure",
            "clients_emergencyaccess",
            "encounters_contact",
            "encounters_attendance",
            "encounters_outreachattempt",
            "plans_goal",
            "plans_wrapversion",
            "plans_whamlogentry",
            "measures_response",
            "meetings_agendaitem",
            "core_auditevent",
        ]:
            self.assertGreater(self.counts.get(table, 0), 0, table)
        # Every state a note can be in, so the review queue and My day have real work.
        states = set(Contact.objects.values_list("status", "review").distinct())
        self.assertLessEqual(
            {("draft", "not_ready"), ("signed", "waiting"), ("signed", "reviewed")}, states
        )
        # A restricted record, a staff member who is also a client, people discharged.
        self.assertTrue(Client.objects.filter(is_restricted=True).exists())
        self.assertTrue(Client.objects.filter(staff_account__isnull=False).exists())
        self.assertTrue(Client.objects.filter(status=Client.Status.DISCHARGED).exists())

    def test_rows_point_to_real_rows(self) -> None:
        connection.check_constraints()  # every foreign key, now rather than at commit

    def test_no_row_points_into_another_organization(self) -> None:
        checked = 0
        for model in tenant_models():
            for field in model._meta.fields:
                if not isinstance(field, ForeignKey) or field.name == "organization":
                    continue
                target = field.related_model
                if not any(f.name == "organization" for f in target._meta.fields):
                    continue
                # Rows shared by every organization (shipped questionnaires) have none.
                crossing = model._default_manager.filter(
                    **{f"{field.name}__organization__isnull": False}
                ).exclude(**{f"{field.name}__organization_id": F("organization_id")})
                self.assertFalse(crossing.exists(), f"{model.__name__}.{field.name}")
                checked += 1
        self.assertGreater(checked, 40)

    def test_audit_chains_verify(self) -> None:
        results = audit.verify_all()
        self.assertEqual(len(results), Organization.objects.count())
        self.assertTrue(all(r.ok for r in results), [r.problem for r in results])
        self.assertEqual(sum(r.checked for r in results), AuditEvent.objects.count())
        # A new event continues the generated chain.
        org = Organization.objects.order_by("pk").first()
        audit.record(organization=org, action="test.after_generate")
        self.assertTrue(audit.verify_organization(org.pk).ok)

    def test_agencies_have_the_benchmark_shape(self) -> None:
        users = generate.bench_users()
        peer = Staff.objects.get(email=users["peer"])
        self.assertEqual(peer.role, Role.PEER_SPECIALIST)
        caseload = CareTeamMember.objects.filter(staff=peer, ended_on__isnull=True).count()
        self.assertEqual(caseload, generate.SCALES["tiny"].caseload[1])  # the largest caseload
        supervisor = Staff.objects.get(email=users["supervisor"])
        self.assertEqual(
            Staff.objects.filter(supervisor=supervisor).count(), generate.SCALES["tiny"].peers
        )
        # New rows get new ids: the sequences were moved past the generated ones.
        org = Organization.objects.create(name="After", slug="after-generate")
        self.assertGreater(org.pk, Organization.objects.exclude(pk=org.pk).order_by("-pk")[0].pk)

    def test_refuses_a_database_that_holds_data(self) -> None:
        with self.assertRaisesMessage(generate.Refused, "already holds data"):
            generate.check_database("tiny")

    @override_settings(DEBUG=False)
    def test_command_needs_debug_or_scratch(self) -> None:
        with self.assertRaisesMessage(CommandError, "published password"):
            call_command("generate", "--scale", "tiny", stdout=StringIO())

    def test_benchmark_pages_answer_on_generated_data(self) -> None:
        sys.path.insert(0, str(SCRIPTS))
        try:
            import bench_targets
        finally:
            sys.path.remove(str(SCRIPTS))
        names = []
        for page in bench_targets.pages():
            page.request()  # exits the benchmark with the page and its status if it fails
            if page.floor is not None and connection.vendor == "postgresql":
                page.floor()
            names.append(page.name)
        self.assertIn("review_queue", names)
        self.assertIn("audit_search_action", names)


class RefusalTests(TestCase):
    def test_sqlite_takes_small_at_most(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("the SQLite limit applies only on SQLite")
        with self.assertRaisesMessage(generate.Refused, "needs PostgreSQL"):
            generate.check_database("tenth")

    def test_unknown_scale(self) -> None:
        with self.assertRaisesMessage(generate.Refused, "unknown scale"):
            generate.check_database("galaxy")
