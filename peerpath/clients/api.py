"""JSON API for client records, through the gate."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from . import access, queries

router = Router(tags=["people"])


class CareTeamMemberOut(Schema):
    staff_id: int
    staff_name: str
    role: str
    is_primary: bool


class ClientSummaryOut(Schema):
    id: int
    display_name: str
    pronouns: str
    status: str
    last_contact_on: date | None
    next_step: str
    next_step_due: date | None


class ClientOut(ClientSummaryOut):
    preferred_name: str
    given_name: str
    family_name: str
    language: str
    can_write: bool
    care_team: list[CareTeamMemberOut]


@router.get("/clients", response=list[ClientSummaryOut], summary="Search the people you may see")
def list_clients(request: HttpRequest, q: str = "") -> list[ClientSummaryOut]:
    return [ClientSummaryOut.from_orm(c) for c in queries.client_search(request.user, q)]  # type: ignore[arg-type]


@router.get("/clients/{client_id}", response=ClientOut, summary="One person's record summary")
def get_client(request: HttpRequest, client_id: int) -> ClientOut:
    user = request.user
    record = queries.client_record(user, access.client_for_read(user, client_id))  # type: ignore[arg-type]
    client = record.client
    return ClientOut(
        id=client.pk,
        display_name=client.display_name,
        preferred_name=client.preferred_name,
        given_name=client.given_name,
        family_name=client.family_name,
        pronouns=client.pronouns,
        language=client.language,
        status=client.status,
        last_contact_on=client.last_contact_on,
        next_step=client.next_step,
        next_step_due=client.next_step_due,
        can_write=record.access.can_write,
        care_team=[
            CareTeamMemberOut(
                staff_id=m.staff_id,
                staff_name=m.staff.full_name,
                role=m.role,
                is_primary=m.is_primary,
            )
            for m in record.care_team
        ],
    )
