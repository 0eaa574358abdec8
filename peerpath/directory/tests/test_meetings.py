"""Meeting Guide feeds: the published sample, and meetings that are refused one by one.

The sample is code4recovery/spec's (MIT), from ../shared/samples/meeting-guide when it is there.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command
from django.test import TestCase

from peerpath.core.models import AuditEvent
from peerpath.directory import meetings
from peerpath.directory.models import Meeting, MeetingTime
from peerpath.testing import make_organization

SAMPLE = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "samples"
    / "meeting-guide"
    / "feed-sample.json"
)
MONDAY, SATURDAY, SUNDAY = 0, 5, 6


def feed(*items: Any) -> meetings.Feed:
    return meetings.read_feed(json.dumps(list(items)))


def run(org: Any, items: list[Any], name: str = "feed.json") -> dict[str, Any]:
    return meetings.feed_import(organization=org, feed_name=name, feed=feed(*items), actor=None)


class SampleFeedTests(TestCase):
    def test_the_published_sample_imports_and_again_changes_nothing(self) -> None:
        if not SAMPLE.exists():
            self.skipTest("the Meeting Guide sample (../shared/samples) is not on this machine")
        org = make_organization()
        raw = json.loads(SAMPLE.read_text())
        first = meetings.feed_import(
            organization=org,
            feed_name="sample",
            feed=meetings.read_feed(SAMPLE.read_text()),
            actor=None,
        )
        self.assertEqual((first["added"], first["refused"]), (len(raw), 0))
        tweed = Meeting.objects.get(organization=org, slug=str(raw[0]["slug"]))
        self.assertEqual(tweed.name, raw[0]["name"])
        # Meeting Guide's day 2 is Tuesday: PeerPath counts from Monday.
        self.assertEqual(list(tweed.times.values_list("weekday", "starts")), [(1, 19 * 60 + 30)])
        self.assertEqual(tweed.attendance, Meeting.Attendance.IN_PERSON)
        again = meetings.feed_import(
            organization=org,
            feed_name="sample",
            feed=meetings.read_feed(SAMPLE.read_text()),
            actor=None,
        )
        self.assertEqual(again["unchanged"], len(raw))
        self.assertEqual(again["added"] + again["updated"] + again["removed"], 0)


class FeedRulesTests(TestCase):
    def setUp(self) -> None:
        self.org = make_organization("Riverbend")

    def test_days_as_a_list_a_meeting_past_midnight_and_by_appointment(self) -> None:
        summary = run(
            self.org,
            [
                {"name": "Weekend Step", "slug": "w", "day": [0, 6], "time": "10:00"},
                {
                    "name": "Night Owls",
                    "slug": "n",
                    "day": 6,
                    "time": "23:30",
                    "end_time": "00:30",
                },
                {"name": "By Appointment", "slug": "b"},
            ],
        )
        self.assertEqual(summary["added"], 3)
        weekend = Meeting.objects.get(slug="w")
        self.assertEqual(
            sorted(weekend.times.values_list("weekday", flat=True)), [SATURDAY, SUNDAY]
        )
        night = MeetingTime.objects.get(meeting__slug="n")
        self.assertEqual((night.weekday, night.starts, night.ends), (SATURDAY, 1410, 1470))
        self.assertFalse(MeetingTime.objects.filter(meeting__slug="b").exists())

    def test_unknown_types_are_kept_and_shown_as_they_came(self) -> None:
        run(
            self.org,
            [
                {
                    "name": "Mixed",
                    "slug": "m",
                    "day": 1,
                    "time": "19:00",
                    "types": ["O", "S", "ZZ-LOCAL"],
                }
            ],
        )
        meeting = Meeting.objects.get(slug="m")
        self.assertEqual(meeting.types, ["O", "S", "ZZ-LOCAL"])
        self.assertEqual(meetings.type_name("S", "en"), "Spanish")
        self.assertEqual(meetings.type_name("S", "es"), "Español")
        self.assertEqual(meetings.type_name("ZZ-LOCAL", "es"), "ZZ-LOCAL")

    def test_online_and_hybrid_meetings(self) -> None:
        run(
            self.org,
            [
                {
                    "name": "Zoom",
                    "slug": "z",
                    "day": 2,
                    "time": "12:00",
                    "conference_url": "https://zoom.example/j/1",
                },
                {
                    "name": "Both",
                    "slug": "h",
                    "day": 2,
                    "time": "12:00",
                    "conference_url": "https://zoom.example/j/2",
                    "formatted_address": "12 Elm St, Eugene, OR 97401",
                },
            ],
        )
        self.assertEqual(Meeting.objects.get(slug="z").attendance, Meeting.Attendance.ONLINE)
        self.assertEqual(Meeting.objects.get(slug="h").attendance, Meeting.Attendance.HYBRID)

    def test_bad_meetings_are_refused_each_with_why_and_the_good_ones_written(self) -> None:
        good = {"name": "Good", "slug": "g", "day": 3, "time": "18:00"}
        items = [
            good,
            {"slug": "no-name", "day": 1, "time": "10:00"},
            {"name": "No slug", "day": 1, "time": "10:00"},
            {"name": "Bad day", "slug": "d", "day": 7, "time": "10:00"},
            {"name": "Bad time", "slug": "t", "day": 1, "time": "25:00"},
            {"name": "Day only", "slug": "o", "day": 1},
            {
                "name": "Bad place",
                "slug": "p",
                "day": 1,
                "time": "10:00",
                "latitude": "north",
                "longitude": 1,
            },
            {
                "name": "Bad link",
                "slug": "l",
                "day": 1,
                "time": "10:00",
                "conference_url": "javascript:alert(1)",
            },
            {"name": "Twice", "slug": "g", "day": 1, "time": "10:00"},
            "not a meeting",
        ]
        parsed = feed(*items)
        self.assertEqual([m["slug"] for m in parsed.meetings], ["g"])
        reasons = {r.where: (r.slug, r.reason) for r in parsed.refused}
        self.assertEqual(len(reasons), 9)
        self.assertIn("no name", reasons["/1"][1])
        self.assertIn("no slug", reasons["/2"][1])
        self.assertIn("is not a day", reasons["/3"][1])
        self.assertIn("is not a time", reasons["/4"][1])
        self.assertIn("needs a time", reasons["/5"][1])
        self.assertIn("must be numbers", reasons["/6"][1])
        self.assertIn("https://", reasons["/7"][1])
        self.assertEqual(reasons["/8"], ("g", "Another meeting has this slug."))
        self.assertIn("not a meeting", reasons["/9"][1])
        summary = run(self.org, items)
        self.assertEqual((summary["added"], summary["refused"]), (1, 9))

    def test_a_file_that_is_not_a_feed_writes_nothing(self) -> None:
        self.assertIn("not JSON", meetings.read_feed('[{"name": ').problem)
        self.assertIn("not a list", meetings.read_feed('{"name": "x"}').problem)

    def test_a_new_feed_replaces_the_old_one_and_other_feeds_stay(self) -> None:
        run(
            self.org,
            [
                {"name": "A", "slug": "a", "day": 1, "time": "10:00"},
                {"name": "B", "slug": "b", "day": 1, "time": "11:00"},
            ],
        )
        run(self.org, [{"name": "Other", "slug": "a", "day": 1, "time": "10:00"}], "other.json")
        summary = run(self.org, [{"name": "A renamed", "slug": "a", "day": 1, "time": "10:00"}])
        self.assertEqual((summary["updated"], summary["removed"]), (1, 1))
        self.assertEqual(
            sorted(Meeting.objects.values_list("feed", "name")),
            [("feed.json", "A renamed"), ("other.json", "Other")],
        )
        self.assertEqual(AuditEvent.objects.filter(action="directory.meetings_import").count(), 3)


class CommandTests(TestCase):
    def test_the_command_prints_the_summary_and_each_refused_meeting(self) -> None:
        org = make_organization()
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        path = folder / "feed.json"
        path.write_text(
            json.dumps(
                [
                    {"name": "Good", "slug": "g", "day": 3, "time": "18:00"},
                    {"name": "Bad", "slug": "b", "day": 9, "time": "18:00"},
                ]
            )
        )
        out, err = StringIO(), StringIO()
        call_command(
            "meetings", "import", str(path), "--organization", org.slug, stdout=out, stderr=err
        )
        self.assertIn("1 added, 0 updated, 0 unchanged, 0 removed, 1 refused.", out.getvalue())
        self.assertIn("refused /1 (b): “9” is not a day", err.getvalue())
        path.write_text("{}")
        with self.assertRaises(CommandError):
            call_command(
                "meetings", "import", str(path), "--organization", org.slug, stdout=StringIO()
            )
