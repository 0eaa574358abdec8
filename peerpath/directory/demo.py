"""The demo agency's county directory: an HSDS file PeerPath generates, imported as any
agency's would be (checked against the schemas, then written in one transaction); and a Meeting
Guide feed of the county's mutual-aid meetings."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from peerpath.clients import consents
from peerpath.clients.access import ClientAccess
from peerpath.clients.models import CareTeamMember
from peerpath.core.models import Organization

from . import actions, meetings, referrals, sample, sources
from .models import Entry, Facet, Referral, ReferralChange

DEMO_SERVICES = 300


def load(*, org: Organization, today: date) -> None:
    text = sample.as_service_list(sample.county(DEMO_SERVICES, seed=7))
    dataset = sources.read_files({"riverbend-county.json": text.encode()})
    actions.hsds_import(
        organization=org, dataset=dataset, actor=None, source_name="riverbend-county.json"
    )
    feed = meetings.read_feed(sample.meeting_feed())
    meetings.feed_import(
        organization=org, feed_name="riverbend-meetings.json", feed=feed, actor=None
    )
    _referrals(org, today)


# (category, reason, what happened: status or outcome, follow-up in days from today, barriers)
REFERRALS = [
    ("housing", "Wants a room of her own, near the bus line", "requested", 0, []),
    ("food", "Runs out of food at the end of the month", "requested", -3, []),
    ("housing", "On the list for a supported apartment", "waiting_list", 14, ["documents"]),
    ("benefits", "Help applying for SSI", "got_service", 0, ["scheduling"]),
    ("employment", "Looking for part-time work", "did_not_go", 0, ["transport"]),
    ("mutual_aid", "Would like a peer support group in Spanish", "draft", 5, []),
    ("legal", "An old fine keeps him from getting a license", "received", 2, []),
]


def _entry(org: Organization, category: str, index: int) -> Entry:
    entries = Entry.objects.filter(
        organization=org,
        pk__in=Facet.objects.filter(organization=org, kind="category", value=category).values(
            "entry_id"
        ),
    ).order_by("pk")
    return entries[index % entries.count()]


def _referrals(org: Organization, today: date) -> None:
    """Referrals in several states: one follow-up due today, one past due (flagged to the
    supervisor), a waiting list, loops closed with barriers, a draft."""
    members = [
        m
        for m in CareTeamMember.objects.filter(organization=org, is_primary=True, ended_on=None)
        .select_related("client", "staff")
        .order_by("client_id")
        if m.client.staff_account_id is None and not consents.is_part2(m.client)
    ]
    for index, (category, reason, state, days, barriers) in enumerate(REFERRALS):
        member = members[index % len(members)]
        grant = ClientAccess(client=member.client, can_write=True, basis="care_team")
        referral = referrals.referral_create(
            actor=member.staff,
            access=grant,
            entry=_entry(org, category, index),
            reason=reason,
            shared_information="Name, phone number and what help is needed",
            consent_given=True,
            follow_up_on=today + timedelta(days=max(days, 0) or 7),
            warm_handoff=index % 2 == 0,
            draft=state == "draft",
        )
        if state in Referral.Outcome.values:
            referral = referrals.referral_outcome_record(
                actor=member.staff,
                access=grant,
                referral=referral,
                outcome=state,
                note="" if state != "did_not_go" else "The bus does not run there on Sundays",
                barriers=barriers,
                barrier_note="",
                next_follow_up=today + timedelta(days=days) if days > 0 else None,
                expected_version=referral.version,
            )
        elif state == "received":
            referrals.referral_status_change(
                actor=member.staff,
                access=grant,
                referral=referral,
                to_status=state,
                note="",
                expected_version=referral.version,
            )
        if days <= 0 and state == "requested":
            # Referred a week before the follow-up date, as a peer would have.
            referred_at = timezone.now() + timedelta(days=days - 7)
            Referral.objects.filter(pk=referral.pk).update(
                follow_up_on=today + timedelta(days=days), created_at=referred_at
            )
            ReferralChange.objects.filter(referral=referral).update(changed_at=referred_at)
