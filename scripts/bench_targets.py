"""The pages `make bench` times, who opens them, and the hand-written SQL floor of each.

A floor returns the rows the page shows (the same filters, order and page size) in as few
statements as a person writing SQL by hand would use; it renders nothing and checks nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from peerpath.core.models import Staff
from peerpath.demo.generate import bench_users


@dataclass
class Page:
    name: str
    user: str
    request: Callable[[], Any]
    floor: Callable[[], Any] | None


def _sql(*statements: tuple[str, list[Any]]) -> Callable[[], Any]:
    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def _browser(email: str) -> Browser:
    browser = Browser()
    browser.force_login(Staff.objects.get(email=email))
    return browser


def _get(browser: Browser, url: str, status: int = 200) -> Callable[[], Any]:
    def run() -> None:
        response = browser.get(url)
        if response.status_code != status:
            raise SystemExit(f"bench: {url} answered {response.status_code}, not {status}")

    return run


def _post_download(browser: Browser, url: str) -> Callable[[], Any]:
    """Ask for a file made in the background: the request only queues it."""

    def run() -> None:
        response = browser.post(url)
        if response.status_code != 302:
            raise SystemExit(f"bench: {url} answered {response.status_code}, not 302")

    return run


def _one(sql: str, params: list[Any]) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise SystemExit(f"bench: the generated data has nothing for {sql!r}")
    return row[0]


def pages() -> list[Page]:
    users = bench_users()
    ids = {role: Staff.objects.get(email=email).pk for role, email in users.items()}
    org = Staff.objects.get(pk=ids["peer"]).organization_id
    peer, supervisor = ids["peer"], ids["supervisor"]
    # The person on the peer's caseload with the longest history.
    person = _one(
        "SELECT c.id FROM clients_client c JOIN clients_careteammember m ON m.client_id = c.id"
        " JOIN encounters_contact k ON k.client_id = c.id"
        " WHERE m.staff_id = %s AND m.ended_on IS NULL AND NOT c.is_restricted"
        " GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1",
        [peer],
    )
    disclosed = _one(
        "SELECT d.client_id FROM clients_disclosure d JOIN clients_careteammember m"
        " ON m.client_id = d.client_id WHERE m.staff_id = %s AND m.ended_on IS NULL"
        " ORDER BY d.client_id LIMIT 1",
        [peer],
    )
    group = _one(
        "SELECT group_id FROM encounters_group_facilitators WHERE staff_id = %s ORDER BY group_id",
        [peer],
    )
    meeting = _one(
        "SELECT t.id FROM meetings_teammeeting t"
        " JOIN core_teammembership m ON m.team_id = t.team_id"
        " WHERE m.staff_id = %s AND t.starts_at > %s ORDER BY t.starts_at LIMIT 1",
        [peer, timezone.now()],
    )
    browsers = {role: _browser(email) for role, email in users.items()}
    as_peer, as_supervisor = browsers["peer"], browsers["supervisor"]
    as_manager, as_privacy = browsers["program_manager"], browsers["privacy_officer"]
    caseload = (
        "SELECT c.id, c.given_name, c.family_name, c.preferred_name, c.last_contact_on,"
        " c.next_step, c.next_step_due FROM clients_client c"
        " JOIN clients_careteammember m ON m.client_id = c.id"
        " WHERE m.staff_id = %s AND m.ended_on IS NULL AND c.status = 'active'"
    )
    person_row = ("SELECT * FROM clients_client WHERE id = %s", [person])
    care_team = (
        "SELECT m.*, s.full_name FROM clients_careteammember m"
        " JOIN core_staff s ON s.id = m.staff_id WHERE m.client_id = %s AND m.ended_on IS NULL",
        [person],
    )
    history = (
        "SELECT k.*, s.full_name FROM encounters_contact k JOIN core_staff s ON s.id = k.author_id"
        " WHERE k.client_id = %s AND k.deleted_at IS NULL"
        " ORDER BY k.occurred_at DESC, k.id DESC LIMIT 51",
        [person],
    )
    goals = (
        "SELECT g.*, s.id, s.text, s.due_on, s.done_on FROM plans_goal g"
        " LEFT JOIN plans_goalstep s ON s.goal_id = g.id WHERE g.client_id = %s",
        [person],
    )
    audit_page = (
        "SELECT * FROM core_auditevent WHERE organization_id = %s{} ORDER BY id DESC LIMIT 201"
    )
    record_session = _record_session(as_peer, group)

    result = [
        Page(
            "my_day",
            "peer",
            _get(as_peer, reverse("clients:my_day")),
            _sql(
                (caseload + " ORDER BY c.last_contact_on NULLS FIRST LIMIT 50", [peer]),
                (
                    "SELECT k.id, k.client_id, k.occurred_at, k.status, k.review"
                    " FROM encounters_contact k WHERE k.author_id = %s AND k.deleted_at IS NULL"
                    " AND (k.status = 'draft' OR k.review = 'returned')"
                    " ORDER BY k.occurred_at LIMIT 200",
                    [peer],
                ),
            ),
        ),
        Page(
            "people_list",
            "peer",
            _get(as_peer, reverse("clients:list")),
            _sql((caseload + " ORDER BY c.family_name, c.given_name, c.id LIMIT 51", [peer])),
        ),
        Page(
            "people_search",
            "peer",
            _get(as_peer, reverse("clients:list") + "?q=gar"),
            _sql(
                (
                    caseload + " AND (c.family_name ILIKE %s OR c.given_name ILIKE %s)"
                    " ORDER BY c.family_name, c.given_name, c.id LIMIT 51",
                    [peer, "gar%", "gar%"],
                )
            ),
        ),
        Page(
            "people_list_manager",
            "program_manager",
            _get(as_manager, reverse("clients:list")),
            _sql(
                (
                    "SELECT id, given_name, family_name, last_contact_on FROM clients_client"
                    " WHERE organization_id = %s AND status = 'active' AND NOT is_restricted"
                    " ORDER BY family_name, given_name, id LIMIT 51",
                    [org],
                )
            ),
        ),
        Page(
            "person",
            "peer",
            _get(as_peer, reverse("clients:detail", args=[person])),
            _sql(
                person_row,
                care_team,
                (
                    "SELECT * FROM clients_enrollment WHERE client_id = %s",
                    [person],
                ),
                (history[0].replace("LIMIT 51", "LIMIT 5"), [person]),
            ),
        ),
        Page(
            "contact_history",
            "peer",
            _get(as_peer, reverse("encounters:contact_list", args=[person])),
            _sql(person_row, history),
        ),
        Page(
            "contact_form",
            "peer",
            _get(as_peer, reverse("encounters:contact_start", args=[person])),
            _sql(
                person_row,
                goals,
                (
                    "SELECT place FROM encounters_contact WHERE author_id = %s"
                    " ORDER BY occurred_at DESC, id DESC LIMIT 1",
                    [peer],
                ),
            ),
        ),
        Page(
            "prepare",
            "peer",
            _get(as_peer, reverse("encounters:prepare", args=[person])),
            _sql(person_row, goals, (history[0].replace("LIMIT 51", "LIMIT 3"), [person])),
        ),
        Page(
            "plan",
            "peer",
            _get(as_peer, reverse("plans:plan", args=[person])),
            _sql(
                person_row,
                goals,
                (
                    "SELECT DISTINCT ON (goal_id) * FROM plans_goalnote WHERE goal_id IN"
                    " (SELECT id FROM plans_goal WHERE client_id = %s)"
                    " ORDER BY goal_id, written_on DESC, id DESC",
                    [person],
                ),
                ("SELECT * FROM plans_wrapplan WHERE client_id = %s", [person]),
            ),
        ),
        Page(
            "measures",
            "peer",
            _get(as_peer, reverse("measures:overview", args=[person])),
            _sql(
                person_row,
                (
                    "SELECT id, questionnaire_id, authored_on, total, band FROM measures_response"
                    " WHERE client_id = %s ORDER BY authored_on DESC",
                    [person],
                ),
                ("SELECT * FROM measures_schedule WHERE client_id = %s", [person]),
            ),
        ),
        Page(
            "review_queue",
            "supervisor",
            _get(as_supervisor, reverse("encounters:review_queue")),
            _sql(
                (
                    "SELECT k.id, k.client_id, k.author_id, k.signed_at, c.given_name,"
                    " c.family_name FROM encounters_contact k"
                    " JOIN clients_client c ON c.id = k.client_id"
                    " WHERE k.author_id IN (SELECT m.staff_id FROM core_teammembership m"
                    "  JOIN core_teammembership s ON s.team_id = m.team_id"
                    "  WHERE s.staff_id = %s AND s.is_supervisor)"
                    " AND k.status = 'signed' AND k.review = 'waiting' AND k.deleted_at IS NULL"
                    " ORDER BY k.signed_at, k.id LIMIT 51",
                    [supervisor],
                )
            ),
        ),
        Page(
            "my_day_supervisor",
            "supervisor",
            _get(as_supervisor, reverse("clients:my_day")),
            None,
        ),
        Page(
            "group",
            "peer",
            _get(as_peer, reverse("encounters:group_detail", args=[group])),
            _sql(
                ("SELECT * FROM encounters_group WHERE id = %s", [group]),
                (
                    "SELECT g.*, c.given_name, c.family_name FROM encounters_groupmember g"
                    " JOIN clients_client c ON c.id = g.client_id WHERE g.group_id = %s"
                    " AND g.left_on IS NULL",
                    [group],
                ),
                (
                    "SELECT s.*, a.client_id, a.status FROM (SELECT * FROM encounters_groupsession"
                    " WHERE group_id = %s ORDER BY held_on DESC, id DESC LIMIT 21) s"
                    " LEFT JOIN encounters_attendance a ON a.session_id = s.id",
                    [group],
                ),
            ),
        ),
        Page("group_record_session", "peer", record_session, _record_session_floor(group, peer)),
        Page(
            "meeting",
            "peer",
            _get(as_peer, reverse("meetings:detail", args=[meeting])),
            _sql(
                ("SELECT * FROM meetings_teammeeting WHERE id = %s", [meeting]),
                (
                    "SELECT a.*, c.given_name, c.family_name FROM meetings_agendaitem a"
                    " JOIN clients_client c ON c.id = a.client_id WHERE a.meeting_id = %s",
                    [meeting],
                ),
            ),
        ),
        Page(
            "audit_search",
            "privacy_officer",
            _get(as_privacy, reverse("clients:audit_search") + "?action="),
            _sql((audit_page.format(""), [org])),
        ),
        Page(
            "audit_search_person",
            "privacy_officer",
            _get(as_privacy, reverse("clients:audit_search") + f"?client_id={person}"),
            _sql((audit_page.format(" AND client_id = %s"), [org, person])),
        ),
        Page(
            "audit_search_action",
            "privacy_officer",
            _get(as_privacy, reverse("clients:audit_search") + "?action=emergency_access"),
            _sql((audit_page.format(" AND action LIKE %s"), [org, "emergency_access%"])),
        ),
        Page(
            "accounting_of_disclosures",
            "peer",
            _post_download(as_peer, reverse("clients:accounting_pdf", args=[disclosed])),
            _sql(
                ("SELECT * FROM clients_client WHERE id = %s", [disclosed]),
                (
                    "SELECT * FROM clients_disclosure WHERE client_id = %s"
                    " ORDER BY disclosed_at DESC",
                    [disclosed],
                ),
            ),
        ),
        Page(
            "api_clients",
            "peer",
            _get(as_peer, "/api/v1/clients"),
            _sql((caseload + " ORDER BY c.family_name, c.given_name, c.id LIMIT 51", [peer])),
        ),
        Page(
            "api_contacts",
            "peer",
            _get(as_peer, f"/api/v1/clients/{person}/contacts"),
            _sql(person_row, history),
        ),
        Page(
            "supervision",
            "supervisor",
            _get(as_supervisor, reverse("workforce:supervision")),
            _sql(*_supervision_floor(supervisor)),
        ),
        Page(
            "fidelity",
            "supervisor",
            _get(as_supervisor, reverse("workforce:fidelity")),
            _sql(*_fidelity_floor("s.supervisor_id = %s", supervisor)),
        ),
        Page(
            "fidelity",
            "program_manager",
            _get(as_manager, reverse("workforce:fidelity")),
            _sql(*_fidelity_floor("s.organization_id = %s", org)),
        ),
    ]
    return result


_PEERS = (
    "SELECT s.id, s.full_name FROM core_staff s WHERE {} AND s.is_active"
    " AND s.role IN ('peer_specialist', 'peer_supervisor') ORDER BY s.full_name, s.id LIMIT 300"
)


def _supervision_floor(supervisor: int) -> list[tuple[str, list[Any]]]:
    """The peers who report to the supervisor, each one's last session of each kind, their open
    topics, and the sessions the supervisor held (a page of them)."""
    mine = _PEERS.format("s.supervisor_id = %s")
    return [
        (mine, [supervisor]),
        (
            "SELECT a.peer_id, a.kind, max(a.held_on) FROM workforce_supervisionattendance a"
            f" WHERE a.peer_id IN (SELECT id FROM ({mine}) p) GROUP BY a.peer_id, a.kind",
            [supervisor],
        ),
        (
            "SELECT * FROM workforce_supervisiontopic t WHERE t.discussed_in_id IS NULL"
            f" AND t.peer_id IN (SELECT id FROM ({mine}) p) ORDER BY t.created_at, t.id LIMIT 500",
            [supervisor],
        ),
        (
            "SELECT * FROM workforce_supervisionsession WHERE supervisor_id = %s"
            " ORDER BY held_on DESC, id DESC LIMIT 26",
            [supervisor],
        ),
    ]


def _fidelity_floor(where: str, value: int) -> list[tuple[str, list[Any]]]:
    """Six months of the peers' signed contacts (their minutes and kinds of work), their
    caseloads and their teams."""
    peers = _PEERS.format(where)
    since = timezone.localdate().replace(day=1)
    for _ in range(5):
        since = (since - timedelta(days=1)).replace(day=1)
    return [
        (peers, [value]),
        (
            "SELECT k.author_id, k.occurred_at, k.minutes, k.services, k.other_tasks"
            " FROM encounters_contact k WHERE k.status = 'signed' AND k.deleted_at IS NULL"
            f" AND k.occurred_at >= %s AND k.author_id IN (SELECT id FROM ({peers}) p)",
            [since, value],
        ),
        (
            "SELECT m.staff_id, count(DISTINCT m.client_id) FROM clients_careteammember m"
            f" WHERE m.ended_on IS NULL AND m.staff_id IN (SELECT id FROM ({peers}) p)"
            " GROUP BY m.staff_id",
            [value],
        ),
        (
            "SELECT m.staff_id, t.id, t.name FROM core_teammembership m"
            " JOIN core_team t ON t.id = m.team_id"
            f" WHERE m.staff_id IN (SELECT id FROM ({peers}) p) ORDER BY t.name",
            [value],
        ),
    ]


def _record_session(browser: Browser, group: int) -> Callable[[], Any]:
    """Record a session of the group with every member marked (a POST, as the form sends it)."""
    url = reverse("encounters:session_new", args=[group])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_id FROM encounters_groupmember WHERE group_id = %s AND left_on IS NULL",
            [group],
        )
        members = [row[0] for row in cursor.fetchall()]
    page = browser.get(url)
    if page.status_code != 200:
        raise SystemExit(f"bench: {url} answered {page.status_code}")
    data: dict[str, Any] = {
        "held_on": timezone.localdate().isoformat(),
        "topic": "Bench session",
        "note": "",
        "guests": "0",
    }
    for member in members:
        data[f"attendance-{member}"] = "present"

    def run() -> None:
        response = browser.post(url, data)
        if response.status_code not in (302, 303):
            raise SystemExit(f"bench: recording a session answered {response.status_code}")

    return run


def _record_session_floor(group: int, peer: int) -> Callable[[], Any]:
    def run() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO encounters_groupsession (organization_id, group_id, held_on, topic,"
                " note, recorded_by_id, guests, created_at) SELECT organization_id, id,"
                " current_date, 'floor', '', %s, 0, now() FROM encounters_group WHERE id = %s"
                " RETURNING id",
                [peer, group],
            )
            session = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO encounters_attendance (organization_id, session_id, client_id,"
                " status, walk_in) SELECT organization_id, %s, client_id, 'present', false"
                " FROM encounters_groupmember WHERE group_id = %s AND left_on IS NULL",
                [session, group],
            )
            transaction.set_rollback(True)

    return run
