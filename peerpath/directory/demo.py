"""The demo agency's county directory: an HSDS file PeerPath generates, imported as any
agency's would be (checked against the schemas, then written in one transaction); and a Meeting
Guide feed of the county's mutual-aid meetings."""

from __future__ import annotations

from datetime import date

from peerpath.core.models import Organization

from . import actions, meetings, sample, sources

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
