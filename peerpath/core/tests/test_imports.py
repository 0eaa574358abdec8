"""The import pipeline: the shipped templates, broken files refused whole with every problem by
line and column, re-imports that change nothing, the pages, the command and the progress."""

from __future__ import annotations

import io
from io import StringIO

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from peerpath.clients.models import CareTeamMember, Client, Enrollment
from peerpath.core import imports
from peerpath.core.models import AuditEvent, ImportJob, Invitation, Program, Role, Staff, Team
from peerpath.encounters.models import Contact
from peerpath.testing import ROLES, CastTestCase, make_staff

PEOPLE_HEADER = (
    "external_id,given_name,family_name,date_of_birth,program,team,peer_email,enrolled_on"
)


def people_csv(cast, rows: list[str], header: str = PEOPLE_HEADER) -> str:  # type: ignore[no-untyped-def]
    return "\n".join([header, *rows]) + "\n"


def person(cast, n: int, **over: str) -> str:  # type: ignore[no-untyped-def]
    values = {
        "external_id": f"X-{n}",
        "given_name": f"Ima{n}",
        "family_name": f"Imported{n}",
        "date_of_birth": "1980-01-02",
        "program": cast.program.name,
        "team": cast.team.name,
        "peer_email": cast.peer.email,
        "enrolled_on": "2024-02-03",
    }
    values.update(over)
    return ",".join(values.values())


class TemplateTests(CastTestCase):
    def test_every_shipped_template_in_english_and_spanish_imports_its_example_row(self) -> None:
        org = self.cast.org
        program = Program.objects.create(organization=org, name="Adult Recovery Services")
        Team.objects.create(organization=org, program=program, name="North Recovery Team")
        make_staff(org, name="Template Peer").__class__.objects.filter(
            full_name="Template Peer"
        ).update(email="peer@example.org")
        http = self.as_staff(make_staff(org, Role.PROGRAM_MANAGER))
        for kind in ("people", "staff", "contacts"):
            for language in ("en", "es"):
                with self.subTest(kind=kind, language=language):
                    response = http.get(
                        reverse("agency:import_template", args=[kind]), {"language": language}
                    )
                    self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
                    text = imports.decode(response.content)
                    if kind == "staff":
                        text = text.replace("maria@example.org", f"maria.{language}@example.org")
                    result = imports.check(kind, org, text)
                    self.assertEqual(result.problems, [])
                    self.assertEqual(len(result.rows), 1)
                    imports.run(kind, org, text, actor=None)
                    again = imports.check(kind, org, text)
                    self.assertEqual(again.counts()["unchanged"], 1)
        self.assertTrue(Client.objects.filter(external_id="A-1001").exists())
        self.assertEqual(Contact.objects.filter(review="imported").count(), 1)


class PeopleImportTests(CastTestCase):
    def test_a_good_file_writes_every_person_with_enrollment_and_care_team(self) -> None:
        text = people_csv(self.cast, [person(self.cast, n) for n in range(3)])
        summary = imports.run("people", self.cast.org, text, actor=self.cast.peer)
        self.assertEqual((summary["created"], summary["rows"]), (3, 3))
        client = Client.objects.get(external_id="X-1")
        self.assertEqual(Enrollment.objects.get(client=client).team, self.cast.team)
        self.assertEqual(CareTeamMember.objects.get(client=client).staff, self.cast.peer)
        event = AuditEvent.objects.get(action="import.people")
        self.assertEqual(len(event.details["created"]), 3)

    def test_importing_the_same_file_again_changes_nothing(self) -> None:
        text = people_csv(self.cast, [person(self.cast, n) for n in range(3)])
        imports.run("people", self.cast.org, text, actor=None)
        before = list(Client.objects.order_by("pk").values())
        summary = imports.run("people", self.cast.org, text, actor=None)
        self.assertEqual((summary["unchanged"], summary["created"], summary["updated"]), (3, 0, 0))
        self.assertEqual(before, list(Client.objects.order_by("pk").values()))
        changed = text.replace("Ima1,", "Imani1,")
        self.assertEqual(imports.run("people", self.cast.org, changed, actor=None)["updated"], 1)
        self.assertEqual(Client.objects.get(external_id="X-1").given_name, "Imani1")

    def test_spanish_headers_in_any_order_are_read(self) -> None:
        header = "equipo,programa,id_externo,Apellido,NOMBRE,fecha_de_inicio"
        row = f"{self.cast.team.name},{self.cast.program.name},S-1,Rivera,Luz,3/15/2024"
        imports.run("people", self.cast.org, header + "\n" + row + "\n", actor=None)
        client = Client.objects.get(external_id="S-1")
        self.assertEqual((client.given_name, client.family_name), ("Luz", "Rivera"))
        self.assertEqual(Enrollment.objects.get(client=client).started_on.isoformat(), "2024-03-15")

    def test_a_broken_file_is_refused_whole_with_every_problem_by_line_and_column(self) -> None:
        rows = [
            person(self.cast, 1),
            person(self.cast, 2, date_of_birth="31/12/1980"),
            person(self.cast, 3, team="Purple Team"),
            person(self.cast, 4, external_id="X-1"),
            person(self.cast, 5, peer_email="nobody@example.org", enrolled_on=""),
            person(self.cast, 6, team=self.cast.other_team.name, program="Substance Use Services"),
        ]
        text = people_csv(self.cast, rows)
        result = imports.check("people", self.cast.org, text)
        found = {(p.line, p.column) for p in result.problems}
        self.assertEqual(
            found,
            {
                (3, "date_of_birth"),
                (4, "team"),
                (5, "external_id"),
                (6, "peer_email"),
                (6, "enrolled_on"),
                (7, "team"),
            },
        )
        with self.assertRaises(imports.ImportRefused):
            imports.run("people", self.cast.org, text, actor=None)
        self.assertFalse(Client.objects.filter(external_id__startswith="X-").exists())

    def test_wrong_headers_are_named(self) -> None:
        text = "external_id,first,family_name,program,team\nX-1,Ana,B,P,T\n"
        problems = imports.check("people", self.cast.org, text).problems
        self.assertEqual(
            {(p.line, p.column) for p in problems},
            {(1, "first"), (1, "given_name"), (1, "enrolled_on")},
        )

    def test_a_person_already_in_peerpath_by_name_and_birth_date_is_a_problem(self) -> None:
        row = person(self.cast, 9, given_name="Jordana", family_name="Quillfeather")
        row = row.replace("1980-01-02", "1990-05-17")
        problems = imports.check("people", self.cast.org, people_csv(self.cast, [row])).problems
        self.assertEqual([(p.line, p.column) for p in problems], [(2, "external_id")])
        self.assertIn(str(self.cast.client.pk), problems[0].message)
        self.assertNotIn("Jordana", problems[0].message)

    def test_a_20_mb_file_with_one_bad_row_at_the_end_writes_nothing(self) -> None:
        long_address = "x" * 250
        header = PEOPLE_HEADER + ",address"
        good = [person(self.cast, n) + "," + long_address for n in range(70_000)]
        bad = person(self.cast, 70_000, enrolled_on="2024-13-45") + "," + long_address
        text = people_csv(self.cast, [*good, bad], header=header)
        self.assertGreater(len(text.encode()), 20 * 1024 * 1024)
        with self.assertRaises(imports.ImportRefused) as refused:
            imports.run("people", self.cast.org, text, actor=None)
        self.assertEqual(
            [(p.line, p.column) for p in refused.exception.problems], [(70_002, "enrolled_on")]
        )
        self.assertFalse(Client.objects.filter(external_id__startswith="X-").exists())


class StaffImportTests(CastTestCase):
    def test_staff_are_invited_on_their_teams_and_a_reimport_changes_nothing(self) -> None:
        text = (
            "email,full_name,role,teams,supervises,supervisor_email\n"
            f"ana@example.org,Ana Ames,peer_specialist,{self.cast.team.name},,bo@example.org\n"
            f"bo@example.org,Bo Bell,Peer supervisor,{self.cast.team.name},{self.cast.team.name},\n"
        )
        with self.captureOnCommitCallbacks(execute=True):
            imports.run("staff", self.cast.org, text, actor=None)
        ana = Staff.objects.get(email="ana@example.org")
        bo = Staff.objects.get(email="bo@example.org")
        self.assertEqual(
            (ana.role, ana.supervisor, bo.role), ("peer_specialist", bo, "peer_supervisor")
        )
        self.assertTrue(bo.team_memberships.get(team=self.cast.team).is_supervisor)
        self.assertEqual(Invitation.objects.filter(staff__in=[ana, bo]).count(), 2)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["ana@example.org", "bo@example.org"]
        )
        summary = imports.run("staff", self.cast.org, text, actor=None)
        self.assertEqual((summary["unchanged"], summary["created"]), (2, 0))

    def test_an_unknown_role_or_team_and_another_agencys_email_are_problems(self) -> None:
        text = (
            "email,full_name,role,teams\n"
            "a@example.org,A,wizard,\n"
            "b@example.org,B,clinician,Nowhere Team\n"
            f"{self.cast.outsider.email},C,clinician,\n"
        )
        problems = imports.check("staff", self.cast.org, text).problems
        self.assertEqual(
            {(p.line, p.column) for p in problems}, {(2, "role"), (3, "teams"), (4, "email")}
        )


class ContactsImportTests(CastTestCase):
    def setUp(self) -> None:
        Client.objects.filter(pk=self.cast.client.pk).update(
            external_id="J-1", last_contact_on=None
        )

    def test_history_comes_in_signed_by_the_import_and_never_waits_for_review(self) -> None:
        text = (
            "date,minutes,person_external_id,peer_email,place,services,note\n"
            f"2023-06-01 10:30,45,J-1,{self.cast.peer.email},community,hope;resources,"
            "Met at the park.\n"
            f"2023-07-01,30,J-1,{self.cast.peer.email},Teléfono,Offering hope,Called to check in.\n"
        )
        imports.run("contacts", self.cast.org, text, actor=None)
        contacts = list(Contact.objects.filter(client=self.cast.client).order_by("occurred_at"))
        self.assertEqual([c.place for c in contacts], ["community", "phone"])
        self.assertEqual(contacts[0].services, ["hope", "resources"])
        self.assertTrue(all(c.status == "signed" and c.review == "imported" for c in contacts))
        self.assertTrue(all(c.imported_at is not None for c in contacts))
        self.cast.client.refresh_from_db()
        self.assertEqual(self.cast.client.last_contact_on.isoformat(), "2023-07-01")
        queue = self.as_("supervisor").get(reverse("encounters:review_queue"))
        self.assertNotContains(queue, "Met at the park")
        self.assertEqual(imports.run("contacts", self.cast.org, text, actor=None)["created"], 0)
        self.assertEqual(Contact.objects.filter(client=self.cast.client).count(), 2)

    def test_bad_rows_are_named(self) -> None:
        text = (
            "date,minutes,person_external_id,peer_email,place\n"
            f"2099-01-01,45,J-1,{self.cast.peer.email},community\n"
            f"2023-01-01,0,NOPE,{self.cast.peer.email},moon\n"
        )
        problems = imports.check("contacts", self.cast.org, text).problems
        self.assertEqual(
            {(p.line, p.column) for p in problems},
            {(2, "date"), (3, "minutes"), (3, "person_external_id"), (3, "place")},
        )


class ImportPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mona Manager")

    def upload(self, text: str):  # type: ignore[no-untyped-def]
        return self.as_staff(self.manager).post(
            reverse("agency:imports"),
            {"kind": "people", "file": SimpleUploadedFile("people.csv", text.encode())},
        )

    def test_only_those_who_run_the_agency_import(self) -> None:
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get(reverse("agency:imports"))
                self.assertEqual(response.status_code, 302 if role == "anonymous" else 403)
        job = ImportJob.objects.create(organization=self.cast.org, kind="people", file_name="x.csv")
        outsider_manager = make_staff(self.cast.other_org, Role.PROGRAM_MANAGER)
        self.assertEqual(
            self.as_staff(outsider_manager)
            .get(reverse("agency:import", args=[job.pk]))
            .status_code,
            404,
        )

    def test_a_bad_row_is_shown_then_the_fixed_file_imports(self) -> None:
        bad = people_csv(self.cast, [person(self.cast, 1), person(self.cast, 2, team="Nope")])
        response = self.upload(bad)
        job = ImportJob.objects.latest("id")
        self.assertRedirects(response, reverse("agency:import", args=[job.pk]))
        page = self.as_staff(self.manager).get(reverse("agency:import", args=[job.pk]))
        self.assertContains(page, "Nothing was imported: 1 problem to fix")
        self.assertContains(page, "<td>3</td>", html=False)
        self.assertFalse(Client.objects.filter(external_id__startswith="X-").exists())
        refused = self.as_staff(self.manager).post(reverse("agency:import_write", args=[job.pk]))
        self.assertEqual(refused.status_code, 302)
        self.assertFalse(Client.objects.filter(external_id__startswith="X-").exists())

        self.upload(bad.replace(",Nope,", f",{self.cast.team.name},"))
        job = ImportJob.objects.latest("id")
        page = self.as_staff(self.manager).get(reverse("agency:import", args=[job.pk]))
        self.assertContains(page, "The file is ready: 2 rows, no problems")
        self.as_staff(self.manager).post(reverse("agency:import_write", args=[job.pk]))
        job.refresh_from_db()
        self.assertEqual((job.status, job.summary["created"], job.content), ("done", 2, ""))
        self.assertEqual(Client.objects.filter(external_id__startswith="X-").count(), 2)
        status = self.as_staff(self.manager).get(
            reverse("agency:import", args=[job.pk]), headers={"HX-Request": "true"}
        )
        self.assertContains(status, "2 new, 0 updated, 0 unchanged.")

    def test_a_file_over_the_limit_is_refused_in_words(self) -> None:
        with self.settings(IMPORT_MAX_BYTES=100):
            response = self.upload(people_csv(self.cast, [person(self.cast, n) for n in range(5)]))
        self.assertContains(response, "The file is larger than")
        self.assertFalse(ImportJob.objects.exists())


class ImportCommandTests(CastTestCase):
    def write(self, tmp: str, text: str):  # type: ignore[no-untyped-def]
        import tempfile
        from pathlib import Path

        path = Path(tempfile.mkdtemp()) / tmp
        path.write_text(text)
        return path

    def test_dry_run_writes_nothing_and_the_real_run_writes_all(self) -> None:
        path = self.write("p.csv", people_csv(self.cast, [person(self.cast, n) for n in range(4)]))
        out = StringIO()
        call_command(
            "import",
            "people",
            str(path),
            "--organization",
            self.cast.org.slug,
            "--dry-run",
            stdout=out,
        )
        self.assertIn("4 new", out.getvalue())
        self.assertFalse(Client.objects.filter(external_id__startswith="X-").exists())
        call_command(
            "import", "people", str(path), "--organization", self.cast.org.slug, stdout=out
        )
        self.assertEqual(Client.objects.filter(external_id__startswith="X-").count(), 4)

    def test_problems_are_printed_by_line_and_nothing_is_written(self) -> None:
        path = self.write("p.csv", people_csv(self.cast, [person(self.cast, 1, team="Nope")]))
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "1 problems; nothing was written."):
            call_command(
                "import", "people", str(path), "--organization", self.cast.org.slug, stderr=err
            )
        self.assertIn("line 2, column team: No team has this name.", err.getvalue())
        self.assertFalse(Client.objects.filter(external_id__startswith="X-").exists())


class WorkerTests(CastTestCase):
    def test_peerpath_worker_runs_a_waiting_import_from_the_database_queue(self) -> None:
        from unittest import mock

        from django.test import override_settings

        from peerpath.core import tasks

        # The worker closes stale connections between tasks; inside a test's transaction that
        # would close the test's own connection (Django's test client skips it the same way).
        self.enterContext(
            mock.patch(
                "django_tasks_db.management.commands.db_worker.close_old_connections",
                lambda: None,
            )
        )
        text = people_csv(self.cast, [person(self.cast, n) for n in range(2)])
        database = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        with override_settings(TASKS=database):
            job = imports.job_create(
                organization_id=self.cast.org.pk,
                kind="people",
                file_name="people.csv",
                content=text,
                actor=self.cast.peer,
                language="en",
            )
            tasks.check_import.enqueue(job.pk)
            job.refresh_from_db()
            self.assertEqual(job.status, "waiting")  # nothing runs until a worker does
            call_command("worker", "--batch", stdout=StringIO(), stderr=StringIO())
            job.refresh_from_db()
            self.assertEqual((job.status, job.summary["create"]), ("checked", 2))
            self.assertTrue(imports.job_queue(job))
            tasks.write_import.enqueue(job.pk)
            call_command("worker", "--batch", stdout=StringIO(), stderr=StringIO())
        job.refresh_from_db()
        self.assertEqual(job.status, "done")
        self.assertEqual(Client.objects.filter(external_id__startswith="X-").count(), 2)
