"""What the workforce app adds to My day."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest

from peerpath.core import agency
from peerpath.core.slots import SlotContent

from . import queries, strategies


def my_day_surveys(request: HttpRequest, user: Any, *, today: date, **_: Any) -> SlotContent | None:
    """Open staff surveys the user has not answered yet."""
    waves = queries.open_waves_to_answer(user, today)
    if not waves:
        return None
    return SlotContent("workforce/_my_day_surveys.html", {"waves": waves})


def my_day_actions(request: HttpRequest, user: Any, *, today: date, **_: Any) -> SlotContent | None:
    """Readiness action-plan items due within two weeks: the user's own; for those who run the
    agency, everyone's."""
    everyone = agency.may_run_agency(user)
    items, total = queries.actions_soon(user, today, everyone=everyone)
    if not total:
        return None
    return SlotContent(
        "workforce/_my_day_actions.html",
        {
            "items": [(item, strategies.title_of(item.strategy)) for item in items],
            "total": total,
            "everyone": everyone,
            "today": today,
        },
    )


def my_day_interviews(
    request: HttpRequest, user: Any, *, today: date, **_: Any
) -> SlotContent | None:
    """How many candidates wait for the user's interview scores (no names on My day)."""
    from .interview_queries import to_score_count

    waiting = to_score_count(user)
    if not waiting:
        return None
    return SlotContent("workforce/_my_day_interviews.html", {"waiting": waiting})


def my_day_supervision(
    request: HttpRequest, user: Any, *, today: date, **_: Any
) -> SlotContent | None:
    """For a supervisor, the peers who report to them and are overdue for supervision; for a
    peer, when they last met their supervisor and the way to their supervision page."""
    from . import stepback, support

    follows = support.supervises(user)
    overdue = support.my_day_overdue(user, today) if follows else []
    stepped = (
        [(step, stepback.colleagues_for(step)) for step in stepback.to_see(user, today)]
        if follows
        else []
    )
    own = stepped_back = None
    kept_free: list[Any] = []
    if user.role in support.PEER_ROLES:
        rules = support.rules_for(user.organization_id or 0)
        own = support.supervision_status([user], rules, today)[0]
        stepped_back = stepback.today_of(user, today)
        kept_free = stepback.kept_free_today(user, today)
    if not follows and own is None:
        return None
    return SlotContent(
        "workforce/_my_day_supervision.html",
        {
            "overdue": overdue,
            "own": own,
            "follows": follows,
            "today": today,
            "stepped": stepped,
            "stepped_back": stepped_back,
            "kept_free": kept_free,
        },
    )


def my_day_certifications(
    request: HttpRequest, user: Any, *, today: date, **_: Any
) -> SlotContent | None:
    """Certifications expired or expiring within 90 days: a peer's own, and those of the peers
    who report to the user."""
    from . import certifications, support

    peers = [user] if user.role in support.PEER_ROLES else []
    reports = list(support.peers_of(user).filter(supervisor=user)[:100])
    due = certifications.due_soon(peers + reports, today)
    if not due:
        return None
    mine = all(p.certification.staff_id == user.pk for p in due)
    return SlotContent("workforce/_my_day_certifications.html", {"due": due, "mine": mine})


def group_form(
    request: HttpRequest, user: Any, *, kind: str, facilitators: list[Any], **_: Any
) -> SlotContent | None:
    """On the form that starts a group: who is trained to lead WHAM, IMR and WRAP groups; once
    the kind and facilitators are chosen, whether any of them is trained for it."""
    from . import certifications

    if user.organization_id is None:
        return None
    curriculum = certifications.GROUP_CURRICULUM.get(kind)
    trained = certifications.trained_for(
        user.organization_id,
        (curriculum,) if curriculum else tuple(certifications.GROUP_CURRICULUM),
    )
    untrained = bool(
        curriculum
        and facilitators
        and not {f.pk for f in facilitators} & {s.pk for s in trained[curriculum]}
    )
    return SlotContent(
        "workforce/_group_facilitators.html",
        {
            "trained": [(key, staff) for key, staff in trained.items()],
            "untrained": untrained,
            "kind": kind,
        },
    )


def my_day_cover(request: HttpRequest, user: Any, *, today: date, **_: Any) -> SlotContent | None:
    """A colleague asked by a supervisor to cover today's next steps of a peer who stepped
    back: the people they serve themselves (named, so the page's audit event names them)."""
    from . import stepback

    rows = stepback.to_cover(user, today)
    if not rows:
        return None
    return SlotContent(
        "workforce/_my_day_cover.html",
        {"rows": rows},
        shown=tuple(person.pk for _step, people in rows for person in people),
    )
