"""A person's full record, for the person themselves (HIPAA right of access, 45 CFR 164.524).

Everything PeerPath keeps about the person: their record and every row of every kind that belongs
to them (a model with a `client` field), and the rows that belong to those (a goal's steps, a
contact's addenda), found through the app registry so that what later capabilities add is
included too. The privacy officer produces it as one PDF or one JSON file; producing it is
recorded as a disclosure to the person and in the audit trail.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peerpath.core import audit
from peerpath.core.models import Staff
from peerpath.core.pdf import html_to_pdf

from .access import ClientAccess
from .models import Client, Consent, Disclosure

# Bookkeeping that says nothing about the person.
HIDDEN = {"organization", "client", "edit_token", "import_key", "token_hash", "version"}


@dataclass
class Section:
    key: str  # "app_label.model"
    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)  # field name -> plain value
    labels: dict[str, str] = field(default_factory=dict)  # field name -> its label


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN and not (f.is_relation and f.related_model is Client)
    ]


def _plain(obj: models.Model, f: models.Field[Any, Any]) -> Any:
    """A field's value as the person should read it: names, not ids; labels, not codes."""
    if f.is_relation:
        related = getattr(obj, f.name)
        if related is None:
            return None
        if isinstance(related, Staff):
            return related.full_name
        return str(related)
    value = getattr(obj, f.attname)
    if f.choices and value not in (None, ""):
        return str(getattr(obj, f"get_{f.name}_display")())
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode()} if value else None
    return value


def _section(model: type[models.Model], objects: list[models.Model]) -> Section:
    fields = _fields(model)
    return Section(
        key=model._meta.label_lower,
        title=str(model._meta.verbose_name_plural).capitalize(),
        rows=[{f.name: _plain(o, f) for f in fields} for o in objects],
        labels={f.name: str(f.verbose_name).capitalize() for f in fields},
    )


def _owned_models() -> tuple[list[type[models.Model]], list[tuple[type[models.Model], str, Any]]]:
    """Models with a `client` foreign key, and models pointing at one of those (model, field,
    parent model)."""
    first = [
        m
        for m in apps.get_models()
        if any(f.is_relation and f.related_model is Client for f in m._meta.concrete_fields)
        and m is not Client
    ]
    second = []
    for m in apps.get_models():
        if m in first or m is Client:
            continue
        for f in m._meta.concrete_fields:
            if f.is_relation and f.many_to_one and f.related_model in first:
                second.append((m, f.name, f.related_model))
                break
    return first, second


def collect(client: Client) -> list[Section]:
    """Every section of the person's full record, their own details first."""
    sections = [_section(Client, [client])]
    first, second = _owned_models()
    owned: dict[Any, list[int]] = {}
    for model in sorted(first, key=lambda m: m._meta.label_lower):
        name = next(
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is Client
        )
        objects = list(model._default_manager.filter(**{name: client}).order_by("pk"))
        owned[model] = [o.pk for o in objects]
        if objects:
            sections.append(_section(model, objects))
    for model, name, parent in sorted(second, key=lambda s: s[0]._meta.label_lower):
        objects = list(
            model._default_manager.filter(**{f"{name}__in": owned.get(parent, [])}).order_by("pk")
        )
        if objects:
            sections.append(_section(model, objects))
    return sections


def _disclosed(actor: Staff, access: ClientAccess, kind: str, sections: list[Section]) -> None:
    """Producing the file is a disclosure to the person, and an audit event."""
    client = access.client
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            organization_id=client.organization_id,
            client=client,
            method=Disclosure.Method.EXPORT,
            recipient=_("%(name)s (the person, right of access)")
            % {"name": f"{client.given_name} {client.family_name}"},
            purpose=Consent.Purpose.OTHER,
            information=_("Full record (%(kind)s)") % {"kind": kind},
            disclosed_by=actor,
        )
        audit.record(
            organization=client.organization_id,
            actor=actor,
            client_id=client.pk,
            action="client.full_record",
            obj=disclosure,
            purpose="right_of_access",
            details={"format": kind, "sections": {s.key: len(s.rows) for s in sections}},
        )


def as_json(*, actor: Staff, access: ClientAccess) -> bytes:
    sections = collect(access.client)
    _disclosed(actor, access, "JSON", sections)
    document = {
        "record_number": access.client.pk,
        "made_at": timezone.now(),
        "made_by": actor.full_name,
        "sections": [{"key": s.key, "title": s.title, "rows": s.rows} for s in sections],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _shown(value: Any) -> str:
    """A value in the reader's language formats (dates, times, numbers, yes/no)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, int | float | Decimal):
        return formats.number_format(value)
    if isinstance(value, dict) and "base64" in value:
        return _("A scanned file (in the JSON copy)")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return str(value)


def as_pdf(*, actor: Staff, access: ClientAccess) -> bytes:
    sections = collect(access.client)
    _disclosed(actor, access, "PDF", sections)
    shown = [
        {
            "title": s.title,
            "rows": [[(s.labels[k], _shown(v)) for k, v in row.items()] for row in s.rows],
        }
        for s in sections
    ]
    html = render_to_string(
        "clients/pdf/full_record.html",
        {
            "client": access.client,
            "sections": shown,
            "made_at": timezone.localtime(),
            "made_by": actor.full_name,
            "LANGUAGE_CODE": get_language() or "en",
        },
    )
    return html_to_pdf(html)
