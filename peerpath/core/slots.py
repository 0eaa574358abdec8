"""Places on shared pages where later capabilities add their part, without core importing them.

An app registers a provider in its AppConfig.ready():

    slots.register("my_day", my_day_panel, order=20)

A provider takes (request, user, **context) and returns a `SlotContent` (a template and its
context) or None. `client_record` providers also receive `access` (a clients.access.ClientAccess),
so they read the person's data through the gate. Providers must keep a bounded number of queries.

Slots in use:
    my_day          panels on the My day page
    client_record   sections on a person's record page
    client_alerts   what must be seen first on a person's record (right under the name)
    client_prepare  sections on the "prepare for a session" page of a person
    contact_signed  what comes next, on a contact its author has just signed (also receives
                    `contact`)
    group_form      on the form that starts a group: who is trained to lead its kind (receives
                    `kind` and `facilitators`, the chosen staff, both empty before a choice);
                    a content whose context has `untrained: True` asks the user to confirm
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class SlotContent:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # The record numbers of the people it names, for the page's one audit event.
    shown: tuple[int, ...] = ()


Provider = Callable[..., SlotContent | None]
_registry: dict[str, list[tuple[int, str, Provider]]] = {}


def register(slot: str, provider: Provider, *, order: int = 50) -> None:
    entries = _registry.setdefault(slot, [])
    key = f"{provider.__module__}.{provider.__qualname__}"
    if any(existing == key for _, existing, _ in entries):
        return
    entries.append((order, key, provider))
    entries.sort(key=lambda entry: (entry[0], entry[1]))


def fill(slot: str, request: HttpRequest, user: Any, **context: Any) -> list[SlotContent]:
    contents = []
    for _, _, provider in _registry.get(slot, []):
        content = provider(request, user, **context)
        if content is not None:
            contents.append(content)
    return contents
