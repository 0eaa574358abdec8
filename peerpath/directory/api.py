"""JSON API of the directory: the resource search, as on the Resources page."""

from __future__ import annotations

from datetime import time

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from peerpath.core.requests import signed_in_staff

from . import queries
from .forms import SearchForm

router = Router(tags=["resources"])


class HoursOut(Schema):
    weekday: int  # 0 Monday ... 6 Sunday
    opens: time
    closes: time  # 00:00 when open until midnight


class ResourceOut(Schema):
    id: int
    service: str  # the service's HSDS id
    location: str | None  # the location's HSDS id (none: online or by phone)
    name: str
    provider: str
    summary: str
    address: str
    phone: str
    latitude: float | None
    longitude: float | None
    miles: float | None  # from the place searched near, when one was given
    hours: list[HoursOut]


class ResourcePage(Schema):
    items: list[ResourceOut]
    total: int
    next: str | None  # pass as `page` for the next page


class ResourceQuery(Schema):
    q: str = ""
    category: str = ""
    language: str = ""
    cost: str = ""
    access: str = ""
    mode: str = ""
    when: str = ""  # "", "now" or "at" (with day and time)
    day: str = ""  # 0 Monday ... 6 Sunday
    time: str = ""  # HH:MM
    near: str = ""  # a ZIP code, or an address with one
    within: str = ""  # 1, 5, 10 or 25 (miles)
    page: str = "1"


@router.get(
    "/resources",
    response=ResourcePage,
    summary="Search the agency's directory of community resources (20 a page)",
)
def search_resources(request: HttpRequest, params: Query[ResourceQuery]) -> ResourcePage:
    organization = signed_in_staff(request).organization
    if organization is None:
        raise HttpError(404, "No directory for this account.")
    data = params.dict()
    page_number = data.pop("page")
    form = SearchForm(data)
    if not form.is_valid():
        reasons = "; ".join(
            f"{field}: {' '.join(map(str, errors))}" for field, errors in form.errors.items()
        )
        raise HttpError(422, reasons)
    criteria, problem = queries.criteria_from(form.cleaned_data)
    if problem:
        raise HttpError(422, "near: PeerPath does not know this ZIP code.")
    if not page_number.isdigit() or int(page_number) < 1:
        raise HttpError(422, "page must be a whole number from 1")
    page = queries.results(organization, criteria, int(page_number), raw_hours=True)
    if int(page_number) > page.paginator.num_pages:
        raise HttpError(422, "There is no such page.")
    items = [
        ResourceOut(
            id=entry.pk,
            service=entry.service_hsds_id,  # type: ignore[attr-defined]
            location=entry.location_hsds_id,  # type: ignore[attr-defined]
            name=entry.name,
            provider=entry.provider,
            summary=entry.summary,
            address=entry.address,
            phone=entry.phone,
            latitude=entry.latitude,
            longitude=entry.longitude,
            miles=round(entry.miles, 2) if getattr(entry, "miles", None) is not None else None,
            hours=[
                HoursOut(
                    weekday=row.weekday,
                    opens=queries.clock(row.opens),
                    closes=queries.clock(row.closes),
                )
                for row in entry.hours_rows  # type: ignore[attr-defined]
            ],
        )
        for entry in page.object_list
    ]
    return ResourcePage(
        items=items,
        total=page.paginator.count,
        next=str(page.next_page_number()) if page.has_next() else None,
    )
