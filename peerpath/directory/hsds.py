"""Open Referral HSDS 3.0: its tables, reading its files, checking them against its schemas.

PeerPath keeps a directory in HSDS's own tabular form: one row per record of each HSDS table
(organization, service, location, phone, schedule, ...), with the record's HSDS id and its own
fields, and the links between tables as the `*_id` fields HSDS defines. Everything here is
derived from the table schemas shipped in `hsds_schema/` (unchanged from the specification):
which fields a table has, which tables nest inside a JSON document, and how each record is
checked.

Two ways in, one shape out:
- JSON: a single document (a service, an organization, a location, ...), a list of them, or the
  API's paginated list files (`{"contents": [...], "page_number": ..., "total_pages": ...}`).
  Nested records become rows of their own tables, linked to their parent.
- The tabular data package: `datapackage.json` and one CSV per table.
Every problem is reported by file, line (CSV) or JSON pointer, and field.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import referencing
from django.utils.translation import gettext as _
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds_schema"

# Order in which tables are written and listed (a record's parents before it).
TABLE_ORDER = (
    "taxonomy",
    "taxonomy_term",
    "organization",
    "organization_identifier",
    "program",
    "service",
    "location",
    "service_at_location",
    "address",
    "accessibility",
    "contact",
    "phone",
    "schedule",
    "language",
    "service_area",
    "cost_option",
    "funding",
    "required_document",
    "attribute",
    "metadata",
    "meta_table_description",
)

# Nested records the schemas leave out but the API's documents carry.
_EXTRA_CHILDREN = {
    "organization": (("services", "service", True),),
    "service_at_location": (("service", "service", False),),
}
# `*_id` fields that are not links to check: a tax id; and links that commonly name a record
# outside any one directory (a parent organization, a term's parent in a published taxonomy,
# the record a change log line was about), as the specification's own examples do. They are
# kept as they came.
_NOT_REFERENCES = {
    ("organization", "tax_id"),
    ("organization", "parent_organization_id"),
    ("taxonomy_term", "parent_id"),
}


@dataclass(frozen=True)
class Child:
    prop: str  # the property in the parent's JSON document
    table: str
    many: bool


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # its CSV file in a data package
    columns: tuple[str, ...]  # its own fields, in the schema's order
    types: dict[str, str]
    required: tuple[str, ...]
    children: tuple[Child, ...]

    @cached_property
    def typed_columns(self) -> frozenset[str]:
        """Columns whose CSV text is read as a number or true/false."""
        return frozenset(c for c, kind in self.types.items() if kind != "string")

    def references(self) -> dict[str, str]:
        """field -> the table whose id it holds."""
        found = {}
        for column in self.columns:
            candidate = column.removesuffix("_id")
            if (
                column.endswith("_id")
                and candidate in TABLE_ORDER
                and (self.name, column) not in _NOT_REFERENCES
            ):
                found[column] = candidate
        return found

    def link_fields(self) -> set[str]:
        """Fields that link the record to others (kept by a partial import that does not
        state them: a phone nested under a location still belongs to its service)."""
        links = {c for c in self.columns if c.endswith("_id") and c != "id"}
        if self.name == "attribute":
            links.add("link_entity")
        if self.name == "metadata":
            links.add("resource_type")
        return links


def _schema_file(table: str) -> Path:
    return SCHEMA_DIR / f"{table}.json"


@cache
def tables() -> dict[str, Table]:
    result = {}
    for name in TABLE_ORDER:
        schema = json.loads(_schema_file(name).read_text(encoding="utf-8"))
        columns, types, children = [], {}, []
        for prop, spec in schema["properties"].items():
            ref = spec.get("$ref") or (spec.get("items") or {}).get("$ref")
            if ref:
                children.append(Child(prop, ref.removesuffix(".json"), "$ref" not in spec))
            else:
                columns.append(prop)
                types[prop] = spec.get("type", "string")
        children += [Child(*extra) for extra in _EXTRA_CHILDREN.get(name, ())]
        result[name] = Table(
            name=name,
            path=schema["path"],
            columns=tuple(columns),
            types=types,
            required=tuple(schema.get("required", ())),
            children=tuple(children),
        )
    return result


@cache
def _registry() -> referencing.Registry[Any]:
    resources = []
    for name in TABLE_ORDER:
        contents = json.loads(_schema_file(name).read_text(encoding="utf-8"))
        resources.append((f"{name}.json", DRAFT202012.create_resource(contents)))
    return referencing.Registry().with_resources(resources)


@cache
def validator(table: str) -> jsonschema.protocols.Validator:
    schema = json.loads(_schema_file(table).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema,
        registry=_registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


# -- Problems --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    file: str
    where: str  # "line 12" in a CSV file, a JSON pointer ("/contents/3/phones/0") in JSON
    field: str
    message: str
    line: int = 0  # the CSV line (the header is line 1), for sorting

    def __str__(self) -> str:
        place = ", ".join(part for part in (self.file, self.where, self.field) if part)
        return f"{place}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "where": self.where,
            "field": self.field,
            "message": self.message,
        }


def _pointer(path: Iterator[Any] | Any) -> str:
    return "".join(f"/{str(part).replace('~', '~0').replace('/', '~1')}" for part in path)


def _message(error: jsonschema.ValidationError) -> tuple[str, str]:
    """(field, message) in words for one schema error."""
    path = list(error.absolute_path)
    name = str(path[-1]) if path and isinstance(path[-1], str) else ""
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else ""
        return missing, _("This field is required.")
    if error.validator == "type":
        expected = error.validator_value
        words = {
            "string": _("text"),
            "number": _("a number"),
            "integer": _("a whole number"),
            "array": _("a list"),
            "object": _("an object"),
            "boolean": _("true or false"),
        }
        wanted = words.get(expected, str(expected)) if isinstance(expected, str) else expected
        return name, _("This must be %(type)s, not %(value)s.") % {
            "type": wanted,
            "value": json.dumps(error.instance)[:60],
        }
    if error.validator == "format":
        return name, _("“%(value)s” is not a valid %(format)s.") % {
            "value": str(error.instance)[:60],
            "format": error.validator_value,
        }
    if error.validator == "enum":
        return name, _("“%(value)s” is not one of %(choices)s.") % {
            "value": str(error.instance)[:60],
            "choices": ", ".join(str(choice) for choice in error.validator_value),
        }
    return name, str(error.message)[:200]


_BASE_URI = "https://hsds.peerpath.invalid/"


@cache
def _fast_validator(table: str) -> Any:
    """The same schema compiled by jsonschema-rs: a record it accepts needs no second look."""
    resources = [
        (f"{_BASE_URI}{name}.json", json.loads(_schema_file(name).read_text(encoding="utf-8")))
        for name in TABLE_ORDER
    ]
    return jsonschema_rs.Draft202012Validator(
        resources[TABLE_ORDER.index(table)][1],
        registry=jsonschema_rs.Registry(resources),
        base_uri=f"{_BASE_URI}{table}.json",
        validate_formats=True,
    )


def check_against_schema(table: str, instance: Any, file: str, base: str) -> list[Problem]:
    """Every way `instance` (a JSON document of `table`) breaks HSDS's schema. (The Python
    validator, whose findings are reported, looks only at what the fast one refuses.)"""
    if _fast_validator(table).is_valid(instance):
        return []
    problems = []
    for error in validator(table).iter_errors(instance):
        path = list(error.absolute_path)
        if error.validator == "required" or not path or not isinstance(path[-1], str):
            container = path
        else:
            container = path[:-1]
        name, message = _message(error)
        problems.append(Problem(file, base + _pointer(container), name, message))
    # One problem per field: a value of the wrong type is not also reported as a wrong choice.
    once = {(p.where, p.field): p for p in reversed(problems)}
    return sorted(once.values(), key=lambda p: (p.where, p.field))


# -- Rows: the tabular form ----------------------------------------------------------------------


@dataclass
class Row:
    table: str
    data: dict[str, Any]  # the record's own fields (no nested records), empty ones left out
    file: str
    where: str
    line: int = 0
    # Link fields the document did not state but its nesting implied.
    implied: frozenset[str] = frozenset()
    hsds_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.hsds_id = str(self.data.get("id", ""))


@dataclass
class Dataset:
    """Every record of the files read, by table and id, and what was wrong with them."""

    rows: dict[str, dict[str, Row]] = field(default_factory=lambda: {t: {} for t in TABLE_ORDER})
    problems: list[Problem] = field(default_factory=list)
    # A whole directory (a data package, or every page of a list): records it lacks that an
    # earlier import brought are removed.
    complete: bool = False

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def add(self, row: Row) -> None:
        """Keep a record; the same record met twice (an organization nested in each of its
        services) is merged, and different values for one field are a problem."""
        if not row.hsds_id:
            self.problems.append(Problem(row.file, row.where, "id", _("This field is required.")))
            return
        known = self.rows[row.table].get(row.hsds_id)
        if known is None:
            self.rows[row.table][row.hsds_id] = row
            return
        for name, value in row.data.items():
            if name not in known.data:
                known.data[name] = value
            elif known.data[name] != value:
                self.problems.append(
                    Problem(
                        row.file,
                        row.where,
                        name,
                        _("The %(table)s “%(id)s” is also at %(other)s, with another value.")
                        % {
                            "table": row.table,
                            "id": row.hsds_id,
                            "other": f"{known.file} {known.where}".strip(),
                        },
                    )
                )


def _own_fields(table: Table, document: dict[str, Any]) -> dict[str, Any]:
    return {
        name: document[name]
        for name in table.columns
        if name in document and document[name] not in (None, "")
    }


def flatten(
    dataset: Dataset,
    table_name: str,
    document: dict[str, Any],
    file: str,
    where: str,
    parent: tuple[str, str] | None = None,
) -> None:
    """Add a (schema-valid) JSON document and every record nested in it, each linked to its
    parent the way HSDS's tables link them."""
    table = tables()[table_name]
    data = _own_fields(table, document)
    stated = set(data)
    if parent is not None:
        parent_table, parent_id = parent
        if f"{parent_table}_id" in table.columns:
            data.setdefault(f"{parent_table}_id", parent_id)
        if table_name == "attribute":
            data.setdefault("link_id", parent_id)
            data.setdefault("link_entity", parent_table)
        if table_name == "metadata":
            data.setdefault("resource_id", parent_id)
            data.setdefault("resource_type", parent_table)
    own_id = str(data.get("id", ""))
    for child in table.children:
        value = document.get(child.prop)
        if not value:
            continue
        items: list[Any] = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            pointer = f"{where}/{child.prop}" + (f"/{index}" if child.many else "")
            if not child.many:
                # The parent names this record (a service's organization and program, a
                # service at a location's location, an attribute's taxonomy term).
                link = "taxonomy_id" if child.table == "taxonomy" else f"{child.table}_id"
                if link in table.columns and item.get("id"):
                    data.setdefault(link, item["id"])
            flatten(dataset, child.table, item, file, pointer, (table_name, own_id))
    implied = frozenset((table.link_fields() & data.keys()) - stated)
    dataset.add(Row(table_name, data, file, where, implied=implied))


def guess_table(document: dict[str, Any]) -> str | None:
    """Which table a JSON document is a record of: its required fields are all there and it
    shares the most fields with it."""
    best, best_score = None, -1
    for name, table in tables().items():
        if not set(table.required) <= document.keys():
            continue
        known = set(table.columns) | {child.prop for child in table.children}
        score = len(known & document.keys()) - len(document.keys() - known)
        if score > best_score:
            best, best_score = name, score
    return best


def read_json(dataset: Dataset, text: str, file: str, table: str | None = None) -> dict[str, Any]:
    """Add a JSON file's records; returns what a list file says of its pages."""
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        dataset.problems.append(
            Problem(
                file,
                _("line %(line)s") % {"line": error.lineno},
                "",
                _("This is not JSON: %(error)s.") % {"error": error.msg},
            )
        )
        return {}
    paging: dict[str, Any] = {}
    if isinstance(loaded, dict) and loaded and all(str(k).endswith(".csv") for k in loaded):
        _read_tabular_json(dataset, loaded, file)
        return {}
    if isinstance(loaded, dict) and {"version", "profile"} <= loaded.keys() and "id" not in loaded:
        dataset.problems.append(
            Problem(file, "", "", _("This is an HSDS API's description, not records."))
        )
        return {}
    if isinstance(loaded, dict) and isinstance(loaded.get("contents"), list):
        paging = {key: loaded.get(key) for key in ("page_number", "total_pages", "total_items")}
        documents, base = loaded["contents"], "/contents"
    elif isinstance(loaded, list):
        documents, base = loaded, ""
    elif isinstance(loaded, dict):
        documents, base = [loaded], None
    else:
        dataset.problems.append(
            Problem(file, "", "", _("The file holds neither an HSDS record nor a list of them."))
        )
        return {}
    for index, document in enumerate(documents):
        where = "" if base is None else f"{base}/{index}"
        if not isinstance(document, dict):
            dataset.problems.append(Problem(file, where or "/", "", _("This is not a record.")))
            continue
        name = table or guess_table(document)
        if name is None:
            dataset.problems.append(
                Problem(
                    file,
                    where or "/",
                    "",
                    _("This record is not of any HSDS table (its required fields are missing)."),
                )
            )
            continue
        problems = check_against_schema(name, document, file, where)
        if problems:
            dataset.problems += problems
            continue
        flatten(dataset, name, document, file, where)
    return paging


def _read_tabular_json(dataset: Dataset, tables_: dict[str, Any], file: str) -> None:
    """The tabular form written as JSON: {"services.csv": [row, ...], ...}."""
    by_path = {table.path: table for table in tables().values()}
    for path, rows in tables_.items():
        table = by_path.get(path)
        if table is None or not isinstance(rows, list):
            dataset.problems.append(
                Problem(file, _pointer([path]), "", _("This is not an HSDS table."))
            )
            continue
        for index, row in enumerate(rows):
            where = _pointer([path, index])
            if not isinstance(row, dict):
                dataset.problems.append(Problem(file, where, "", _("This is not a record.")))
                continue
            unknown = sorted(set(row) - set(table.columns))
            for name in unknown:
                dataset.problems.append(
                    Problem(
                        file,
                        where,
                        name,
                        _("The %(table)s table has no field of this name.") % {"table": table.name},
                    )
                )
            if unknown:
                continue
            # Cells, as in the CSV files this form stands for: read by the schema's types.
            data: dict[str, Any] = {}
            for name, value in row.items():
                text = "" if value is None else str(value).strip()
                if isinstance(value, bool):
                    text = text.lower()
                if not text:
                    continue
                data[name], problem = _cell(table, name, text)
                if problem:
                    dataset.problems.append(Problem(file, where, name, problem))
            problems = check_against_schema(table.name, data, file, where)
            if problems:
                dataset.problems += problems
                continue
            dataset.add(Row(table.name, data, file, where))
    dataset.complete = True


# -- The tabular data package -------------------------------------------------------------------


def _cell(table: Table, column: str, text: str) -> tuple[Any, str]:
    """A CSV cell as the JSON value the schema expects; (value, problem)."""
    kind = table.types.get(column, "string")
    if kind in ("number", "integer"):
        try:
            number = float(text)
        except ValueError:
            return None, _("“%(text)s” is not a number.") % {"text": text[:60]}
        return (int(number) if number.is_integer() else number), ""
    if kind == "boolean":
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true", ""
        return None, _("“%(text)s” is not true or false.") % {"text": text[:60]}
    return text, ""


def read_csv(dataset: Dataset, table_name: str, text: str, file: str) -> None:
    table = tables()[table_name]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        return
    except csv.Error as error:
        dataset.problems.append(Problem(file, _("line 1"), "", str(error)))
        return
    unknown = [name for name in header if name and name not in table.columns]
    for name in unknown:
        dataset.problems.append(
            Problem(
                file,
                _("line 1"),
                name,
                _("The %(table)s table has no field of this name.") % {"table": table_name},
            )
        )
    if unknown:
        return
    line = 2
    line_label = _("line %(line)s")  # translated once, not once a row
    try:
        for record in reader:
            where = line_label % {"line": line}
            if any(cell.strip() for cell in record):
                if len(record) != len(header):
                    dataset.problems.append(
                        Problem(
                            file,
                            where,
                            "",
                            _("This row has %(cells)s cells; the header has %(header)s.")
                            % {"cells": len(record), "header": len(header)},
                            line,
                        )
                    )
                else:
                    cells = dict(zip(header, record, strict=True))
                    _read_row(dataset, table, cells, file, line, where)
            line = reader.line_num + 1
    except csv.Error as error:
        dataset.problems.append(Problem(file, _("line %(line)s") % {"line": line}, "", str(error)))


def _read_row(
    dataset: Dataset, table: Table, cells: dict[str, str], file: str, line: int, where: str
) -> None:
    data: dict[str, Any] = {}
    bad = False
    typed = table.typed_columns
    for column, text in cells.items():
        if not text or text.isspace():
            continue
        if column not in typed:  # text is kept as written (an export read back is the same)
            data[column] = text
            continue
        value, problem = _cell(table, column, text.strip())
        if problem:
            dataset.problems.append(Problem(file, where, column, problem, line))
            bad = True
        else:
            data[column] = value
    if bad:
        return
    problems = [
        Problem(file, where, p.field, p.message, line)
        for p in check_against_schema(table.name, data, file, "")
    ]
    if problems:
        dataset.problems += problems
        return
    dataset.add(Row(table.name, data, file, where, line))


def read_datapackage(dataset: Dataset, files: dict[str, str]) -> None:
    """A data package's files by name (datapackage.json and the CSVs). Without a
    datapackage.json, tables are found under their standard file names."""
    paths = {table.path: table.name for table in tables().values()}
    descriptor = files.get("datapackage.json")
    if descriptor is not None:
        try:
            package = json.loads(descriptor)
            resources = package["resources"]
            paths = {str(r["path"]): str(r["name"]) for r in resources if r.get("path")}
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            dataset.problems.append(
                Problem(
                    "datapackage.json",
                    "",
                    "",
                    _("This is not a data package descriptor (JSON with a list of resources)."),
                )
            )
            return
        for path, name in paths.items():
            if name not in tables():
                dataset.problems.append(
                    Problem(
                        "datapackage.json",
                        "/resources",
                        "name",
                        _("“%(name)s” is not an HSDS table.") % {"name": name},
                    )
                )
            elif path not in files:
                dataset.problems.append(
                    Problem(path, "", "", _("The data package names this file; it is missing."))
                )
    found = False
    for path, name in paths.items():
        if path in files and name in tables():
            found = True
            read_csv(dataset, name, files[path], path)
    for path in sorted(set(files) - set(paths) - {"datapackage.json"}):
        if path.endswith(".csv"):
            dataset.problems.append(
                Problem(path, "", "", _("This file is not one of the data package's tables."))
            )
    if not found and not dataset.problems:
        dataset.problems.append(Problem("", "", "", _("No HSDS table was found in the files.")))
    dataset.complete = True


# -- Links between records ----------------------------------------------------------------------


def dangling(dataset: Dataset, existing: dict[str, set[str]]) -> list[Problem]:
    """Each field naming a record that is neither in the files nor already in the directory."""

    def known(table: str, hsds_id: str) -> bool:
        return hsds_id in dataset.rows[table] or hsds_id in existing.get(table, set())

    problems = []
    for name in TABLE_ORDER:
        table = tables()[name]
        references = table.references()
        for row in dataset.rows[name].values():
            for column, target in references.items():
                value = row.data.get(column)
                if value and not known(target, str(value)):
                    problems.append(_dangling(row, column, target, str(value)))
            if name == "attribute":
                # An attribute belongs to a record of any table (`link_entity` is free text).
                value = str(row.data.get("link_id", ""))
                if value and not any(known(target, value) for target in TABLE_ORDER):
                    entity = str(row.data.get("link_entity", "")) or _("record")
                    problems.append(_dangling(row, "link_id", entity, value))
    return problems


def _dangling(row: Row, column: str, target: str, value: str) -> Problem:
    return Problem(
        row.file,
        row.where,
        column,
        _("This names the %(table)s “%(id)s”, which is neither in the files nor in the directory.")
        % {"table": target, "id": value},
        row.line,
    )


# -- Writing HSDS out -----------------------------------------------------------------------------


def to_csv(table_name: str, records: list[dict[str, Any]]) -> str:
    table = tables()[table_name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for data in records:
        writer.writerow(["" if data.get(c) is None else data.get(c) for c in table.columns])
    return out.getvalue()


def datapackage_descriptor(name: str, present: list[str]) -> dict[str, Any]:
    """A data package descriptor naming each table's CSV file and its HSDS schema fields."""
    resources = []
    for table_name in present:
        table = tables()[table_name]
        resources.append(
            {
                "name": table_name,
                "path": table.path,
                "format": "csv",
                "mediatype": "text/csv",
                "profile": "tabular-data-resource",
                "schema": {
                    "fields": [
                        {"name": column, "type": table.types.get(column, "string")}
                        for column in table.columns
                    ],
                    "primaryKey": "id",
                },
            }
        )
    return {"name": name, "profile": "tabular-data-package", "resources": resources}


def nest(table_name: str, data: dict[str, Any], index: Index, parent: str = "") -> dict[str, Any]:
    """A record as an HSDS JSON document, with the records that belong to it nested (and the
    ones it names, such as a service's organization, with their own fields)."""
    table = tables()[table_name]
    document = {column: data[column] for column in table.columns if column in data}
    record_id = str(data.get("id", ""))
    for child in table.children:
        if child.many:
            items = index.children(child.table, table_name, record_id)
            if items:
                document[child.prop] = [
                    nest(child.table, item, index, table_name) for item in items
                ]
            continue
        link = "taxonomy_id" if child.table == "taxonomy" else f"{child.table}_id"
        target = data.get(link)
        if not target or child.table in (table_name, parent):
            continue
        found = index.get(child.table, str(target))
        if found is None:
            continue
        if child.table == "location":  # a service at a location carries the whole place
            document[child.prop] = nest("location", found, index, table_name)
        else:
            document[child.prop] = nest_shallow(child.table, found, index)
    return document


def nest_shallow(table_name: str, data: dict[str, Any], index: Index) -> dict[str, Any]:
    """A record a document names (a service's organization): its own fields, and for a
    taxonomy term its taxonomy, but not everything that belongs to it."""
    table = tables()[table_name]
    document = {column: data[column] for column in table.columns if column in data}
    if table_name == "taxonomy_term" and data.get("taxonomy_id"):
        found = index.get("taxonomy", str(data["taxonomy_id"]))
        if found is not None:
            document["taxonomy_detail"] = dict(found)
    return document


class Index:
    """Records by table and id, and by the parent they belong to, for nesting."""

    def __init__(self, records: dict[str, list[dict[str, Any]]]) -> None:
        self.by_id = {t: {str(r["id"]): r for r in rows} for t, rows in records.items()}
        self.by_parent: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for table_name, rows in records.items():
            for data in rows:
                for key in self._parents(table_name, data):
                    self.by_parent.setdefault(key, []).append(data)

    @staticmethod
    def _parents(table_name: str, data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
        # Attributes and metadata belong to whichever record has their link's id (ids are
        # UUIDs; `link_entity` is free text in practice).
        if table_name == "attribute" and data.get("link_id"):
            yield ("attribute", "*", str(data["link_id"]))
        elif table_name == "metadata" and data.get("resource_id"):
            yield ("metadata", "*", str(data["resource_id"]))
        for column, value in data.items():
            if column.endswith("_id") and value and column.removesuffix("_id") in TABLE_ORDER:
                yield (table_name, column.removesuffix("_id"), str(value))

    def get(self, table_name: str, hsds_id: str) -> dict[str, Any] | None:
        return self.by_id.get(table_name, {}).get(hsds_id)

    def children(self, table_name: str, parent: str, parent_id: str) -> list[dict[str, Any]]:
        if table_name in ("attribute", "metadata"):
            return self.by_parent.get((table_name, "*", parent_id), [])
        return self.by_parent.get((table_name, parent, parent_id), [])
