"""Importing and exporting HSDS 3.0: the specification's own examples, our exports read back,
and broken files refused whole.

The examples are Open Referral's (openreferral/specification, CC-BY-SA 4.0), from
../shared/samples/hsds when it is there.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from peerpath.core.models import AuditEvent
from peerpath.directory import actions, exports, hsds, sources
from peerpath.directory.models import Record, RecordVersion
from peerpath.testing import make_organization

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "hsds" / "examples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(),
    reason="the HSDS examples (../shared/samples/hsds) are not on this machine",
)
# The examples that are whole documents of one record each (and their lists).
JSON_EXAMPLES = [
    "service_full.json",
    "service_list.json",
    "organization_full.json",
    "organization_list.json",
    "service_at_location_full.json",
    "service_at_location_list.json",
    "location.json",
    "taxonomy.json",
    "taxonomy_list.json",
    "taxonomy_term.json",
    "taxonomy_term_list.json",
]
# The tabular example's links that name records it does not hold (the same five in its CSV
# files and in tabular.json).
TABULAR_DANGLING = {
    ("taxonomy_terms.csv", "taxonomy_id"),
    ("locations.csv", "organization_id"),
    ("contacts.csv", "organization_id"),
    ("contacts.csv", "service_at_location_id"),
    ("attributes.csv", "link_id"),
}


def directory(org: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (r.table, r.hsds_id): r.data
        for r in Record.objects.filter(organization=org, removed_at__isnull=True)
    }


def import_path(org: Any, path: Path) -> dict[str, Any]:
    return actions.hsds_import(
        organization=org, dataset=sources.read_path(path), actor=None, source_name=path.name
    )


def refused(org: Any, path: Path) -> list[hsds.Problem]:
    with pytest.raises(actions.ImportRefused) as caught:
        import_path(org, path)
    return caught.value.problems


@needs_samples
class SpecificationExamplesTests(TestCase):
    def setUp(self) -> None:
        self.org = make_organization("Riverbend")

    def test_every_json_example_imports_and_a_second_import_changes_nothing(self) -> None:
        for name in JSON_EXAMPLES:
            with self.subTest(example=name):
                org = make_organization()
                first = import_path(org, SAMPLES / name)
                self.assertGreater(first["added"], 0)
                self.assertEqual(first["added"], Record.objects.filter(organization=org).count())
                before = directory(org)
                again = import_path(org, SAMPLES / name)
                self.assertEqual(again["unchanged"], first["added"])
                self.assertEqual(again["added"] + again["updated"], 0)
                self.assertEqual(directory(org), before)

    def test_a_full_service_becomes_one_record_per_hsds_table_linked_as_hsds_links_them(
        self,
    ) -> None:
        summary = import_path(self.org, SAMPLES / "service_full.json")
        self.assertEqual(summary["services"]["added"], 1)
        records = directory(self.org)
        service_id = json.loads((SAMPLES / "service_full.json").read_text())["id"]
        service = records[("service", service_id)]
        phones = [d for (t, _), d in records.items() if t == "phone"]
        self.assertTrue(phones and all(d["service_id"] == service_id for d in phones))
        self.assertIn(("organization", service["organization_id"]), records)
        self.assertIn(("program", service["program_id"]), records)
        attribute = next(d for (t, _), d in records.items() if t == "attribute")
        self.assertEqual(attribute["link_id"], service_id)
        self.assertIn(("taxonomy_term", attribute["taxonomy_term_id"]), records)

    def test_a_document_seen_from_elsewhere_keeps_the_links_it_does_not_state(self) -> None:
        import_path(self.org, SAMPLES / "service_full.json")
        service_id = json.loads((SAMPLES / "service_full.json").read_text())["id"]
        import_path(self.org, SAMPLES / "location.json")  # the same phone, under its location
        phone = Record.objects.get(organization=self.org, table="phone")
        self.assertEqual(phone.data["service_id"], service_id)
        self.assertIn("location_id", phone.data)

    def test_the_tabular_example_is_refused_for_links_to_records_it_does_not_hold(self) -> None:
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        # The example's datapackage.json is a link in the specification's repository, stored
        # here as its target's path; the tables are found by their standard file names.
        for csv_file in (SAMPLES / "csv").glob("*.csv"):
            shutil.copy(csv_file, folder)
        for path in (folder, SAMPLES / "tabular.json"):
            with self.subTest(path=path.name):
                problems = refused(self.org, path)
                found = {
                    (p.file if p.file != "tabular.json" else p.where.split("/")[1], p.field)
                    for p in problems
                }
                self.assertEqual(found, TABULAR_DANGLING)
                self.assertTrue(
                    all("neither in the files nor in the directory" in p.message for p in problems)
                )
        self.assertFalse(Record.objects.filter(organization=self.org).exists())

    def test_the_api_description_is_not_records(self) -> None:
        problems = refused(self.org, SAMPLES / "base.json")
        self.assertIn("description, not records", problems[0].message)


@needs_samples
class RoundTripTests(TestCase):
    """Import the examples, export, read the export into another agency: the same records."""

    def setUp(self) -> None:
        self.org = make_organization("Riverbend")
        for name in ("service_full.json", "organization_full.json", "taxonomy_term.json"):
            import_path(self.org, SAMPLES / name)
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        exports.write(self.org, self.folder)

    def test_the_data_package_reads_back_as_the_same_directory(self) -> None:
        other = make_organization()
        summary = import_path(other, self.folder)
        self.assertEqual(summary["added"], Record.objects.filter(organization=self.org).count())
        self.assertEqual(directory(other), directory(self.org))
        descriptor = json.loads((self.folder / "datapackage.json").read_text())
        self.assertEqual(
            {r["path"] for r in descriptor["resources"]},
            {p.name for p in self.folder.glob("*.csv")},
        )

    def test_the_json_lists_validate_and_read_back_as_the_same_directory(self) -> None:
        for path in (self.folder / "json").glob("*.json"):
            page = json.loads(path.read_text())
            table = {
                "organizations.json": "organization",
                "services.json": "service",
                "locations.json": "location",
                "taxonomy_terms.json": "taxonomy_term",
            }[path.name]
            for index, document in enumerate(page["contents"]):
                self.assertEqual(
                    hsds.check_against_schema(table, document, path.name, f"/contents/{index}"),
                    [],
                )
        other = make_organization()
        import_path(other, self.folder / "json")
        self.assertEqual(directory(other), directory(self.org))

    def test_an_export_is_the_same_twice(self) -> None:
        again = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, again)
        exports.write(self.org, again)
        for path in self.folder.rglob("*.*"):
            self.assertEqual(
                path.read_bytes(), (again / path.relative_to(self.folder)).read_bytes()
            )


SERVICE = {
    "id": "0b8c8a2e-58bc-4cbb-9c22-5b2d1a2f7e10",
    "name": "Harbor Food Pantry",
    "status": "active",
    "phones": [{"id": "7f0f2c5e-1e43-4c1f-9e9f-3c8f9a6c2b11", "number": "555-0100"}],
}


class BrokenFilesTests(TestCase):
    """Each broken file is refused with where and why, and nothing is written."""

    def setUp(self) -> None:
        self.org = make_organization("Riverbend")
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        self.events = AuditEvent.objects.count()

    def write(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def assert_nothing_written(self) -> None:
        self.assertFalse(Record.objects.exists())
        self.assertFalse(RecordVersion.objects.exists())
        self.assertEqual(AuditEvent.objects.count(), self.events)

    def test_bad_json_names_the_line(self) -> None:
        problems = refused(self.org, self.write("bad.json", '{"id": "x",\n "name": }'))
        self.assertEqual((problems[0].file, problems[0].where), ("bad.json", "line 2"))
        self.assertIn("not JSON", problems[0].message)
        self.assert_nothing_written()

    def test_a_wrong_type_names_the_pointer_and_field(self) -> None:
        broken = json.loads(json.dumps(SERVICE))
        broken["phones"][0]["number"] = ["555-0100"]
        problems = refused(self.org, self.write("svc.json", json.dumps(broken)))
        self.assertEqual(len(problems), 1)
        self.assertEqual((problems[0].where, problems[0].field), ("/phones/0", "number"))
        self.assertIn("must be text", problems[0].message)
        self.assert_nothing_written()

    def test_a_missing_id_is_refused(self) -> None:
        broken = json.loads(json.dumps(SERVICE))
        del broken["phones"][0]["id"]
        problems = refused(self.org, self.write("svc.json", json.dumps(broken)))
        self.assertEqual([(p.where, p.field) for p in problems], [("/phones/0", "id")])
        self.assert_nothing_written()

    def test_an_id_that_is_not_a_uuid_is_refused(self) -> None:
        broken = {**SERVICE, "id": "pantry-1", "phones": []}
        problems = refused(self.org, self.write("svc.json", json.dumps(broken)))
        self.assertEqual(problems[0].field, "id")
        self.assertIn("not a valid uuid", problems[0].message)

    def test_a_dangling_reference_in_a_csv_names_the_file_line_and_field(self) -> None:
        self.write(
            "services.csv",
            "id,organization_id,name,status\n"
            f"{SERVICE['id']},6a1e0b58-0000-4000-8000-000000000001,Pantry,active\n",
        )
        problems = refused(self.org, self.folder)
        self.assertEqual(
            [(p.file, p.where, p.field) for p in problems],
            [("services.csv", "line 2", "organization_id")],
        )
        self.assert_nothing_written()

    def test_a_bad_cell_and_an_unknown_column_in_a_csv(self) -> None:
        self.write("locations.csv", "id,location_type,latitude\nnot-a-uuid,physical,north\n")
        problems = refused(self.org, self.folder)
        self.assertEqual(sorted((p.where, p.field) for p in problems), [("line 2", "latitude")])
        self.write("locations.csv", "id,location_type,colour\n")
        problems = refused(self.org, self.folder)
        self.assertEqual([(p.where, p.field) for p in problems], [("line 1", "colour")])
        self.assert_nothing_written()

    @override_settings(IMPORT_MAX_BYTES=20 * 1024 * 1024)
    def test_a_file_over_the_limit_is_refused_before_it_is_read(self) -> None:
        path = self.folder / "big.json"
        with path.open("wb") as handle:
            handle.truncate(50 * 1024 * 1024)  # 50 MB
        problems = refused(self.org, path)
        self.assertIn("larger than", problems[0].message)
        self.assert_nothing_written()

    def test_one_bad_record_among_good_ones_writes_nothing(self) -> None:
        good = {**SERVICE, "phones": []}
        bad = {**SERVICE, "id": "1c2d3e4f-0000-4000-8000-000000000002", "status": 7}
        path = self.write("list.json", json.dumps({"contents": [good, bad]}))
        problems = refused(self.org, path)
        self.assertEqual([(p.where, p.field) for p in problems], [("/contents/1", "status")])
        self.assert_nothing_written()


class WholeDirectoryTests(TestCase):
    def setUp(self) -> None:
        self.org = make_organization("Riverbend")
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def services_csv(self, *rows: tuple[str, str]) -> None:
        lines = ["id,name,status"] + [f"{hsds_id},{name},active" for hsds_id, name in rows]
        (self.folder / "services.csv").write_text("\n".join(lines) + "\n")

    def test_a_data_package_without_a_service_removes_it_and_keeps_its_history(self) -> None:
        first, second = SERVICE["id"], "1c2d3e4f-0000-4000-8000-000000000002"
        self.services_csv((first, "Pantry"), (second, "Shelter"))
        self.assertEqual(import_path(self.org, self.folder)["added"], 2)
        self.services_csv((first, "Harbor Pantry"))
        summary = import_path(self.org, self.folder)
        self.assertEqual((summary["updated"], summary["removed"], summary["unchanged"]), (1, 1, 0))
        gone = Record.objects.get(hsds_id=second)
        self.assertIsNotNone(gone.removed_at)
        self.assertEqual(gone.version, 2)
        removal = gone.versions.get()
        self.assertEqual(
            (removal.how, removal.version, removal.data["name"]), ("remove", 1, "Shelter")
        )
        renamed = Record.objects.get(hsds_id=first)
        self.assertEqual((renamed.version, renamed.data["name"]), (2, "Harbor Pantry"))
        # The history keeps the record as it was before the change, and what changed.
        before = renamed.versions.get()
        self.assertEqual((before.version, before.data["name"]), (1, "Pantry"))
        self.assertEqual(before.changed_fields, ["name"])
        # A single document is part of a directory: it removes nothing.
        single = self.folder / "one.json"
        single.write_text(json.dumps({**SERVICE, "phones": []}))
        self.assertEqual(import_path(self.org, single)["removed"], 0)

    def test_an_import_is_one_audit_event_with_its_summary(self) -> None:
        self.services_csv((SERVICE["id"], "Pantry"))
        import_path(self.org, self.folder)
        event = AuditEvent.objects.get(action="directory.import")
        self.assertEqual(event.details["added"], 1)
        self.assertEqual(event.organization_id, self.org.pk)


class CommandTests(TestCase):
    def setUp(self) -> None:
        self.org = make_organization("Riverbend")
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def test_import_prints_a_summary_and_a_refusal_exits_non_zero(self) -> None:
        path = self.folder / "svc.json"
        path.write_text(json.dumps(SERVICE))
        out = StringIO()
        call_command("hsds", "import", str(path), "--organization", self.org.slug, stdout=out)
        self.assertIn("2 records: 2 added", out.getvalue())
        self.assertIn("Services: 1 added", out.getvalue())
        path.write_text("[1]")
        err = StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("hsds", "import", str(path), "--organization", self.org.slug, stderr=err)
        self.assertIn("nothing was written", str(caught.exception))
        self.assertIn("svc.json, /0: This is not a record.", err.getvalue())

    def test_export_writes_the_package_and_the_lists(self) -> None:
        path = self.folder / "svc.json"
        path.write_text(json.dumps(SERVICE))
        call_command(
            "hsds", "import", str(path), "--organization", self.org.slug, stdout=StringIO()
        )
        out = StringIO()
        call_command(
            "hsds", "export", str(self.folder / "out"), "--organization", self.org.slug, stdout=out
        )
        self.assertIn("Wrote 2 records", out.getvalue())
        self.assertTrue((self.folder / "out" / "services.csv").exists())
        self.assertTrue((self.folder / "out" / "json" / "services.json").exists())


def test_canonical_json_is_one_text_for_the_same_data_whatever_its_key_order() -> None:
    from peerpath.directory.writes import as_json

    first = {"name": "Café Ñandú", "b": [1, 2.5, None, True], "a": {"z": "\n", "y": '"'}}
    second = {"a": {"y": '"', "z": "\n"}, "b": [1, 2.5, None, True], "name": "Café Ñandú"}
    assert as_json(first) == as_json(second)
    assert as_json(first) == json.dumps(
        first, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    # A whole number past 64 bits (orjson refuses it) still has one text.
    big = {"population": 2**70, "id": "x"}
    assert as_json(big) == '{"id":"x","population":1180591620717411303424}'
    assert json.loads(as_json(big)) == big
