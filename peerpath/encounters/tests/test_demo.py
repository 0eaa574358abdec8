"""The demo agency gets a month of peer work: contacts, outreach, groups and team meetings."""

from __future__ import annotations

from django.test import TestCase
from django.utils import timezone

from peerpath.core.audit import verify_all
from peerpath.demo import agency
from peerpath.encounters.models import Attendance, Contact, Group, OutreachAttempt
from peerpath.meetings.models import AgendaItem, TeamMeeting


class DemoTests(TestCase):
    def test_demo_has_a_month_of_peer_work(self) -> None:
        agency.load()
        today = timezone.localdate()
        contacts = Contact.objects.current()
        self.assertGreater(contacts.filter(status="signed").count(), 60)
        oldest = timezone.localdate(contacts.order_by("occurred_at").first().occurred_at)
        self.assertGreaterEqual((today - oldest).days, 21)
        self.assertTrue(contacts.filter(review="reviewed").exists())
        self.assertTrue(contacts.filter(review="waiting").exists())
        self.assertTrue(contacts.filter(status="draft").exists())
        self.assertTrue(OutreachAttempt.objects.filter(next_try_on__isnull=False).exists())
        self.assertEqual(Group.objects.count(), 2)
        self.assertGreater(Attendance.objects.filter(status="present").count(), 10)
        self.assertEqual(TeamMeeting.objects.count(), 2)
        voiced = [item for item in AgendaItem.objects.all() if item.has_voice]
        self.assertGreaterEqual(len(voiced), 3)
        self.assertTrue(all(result.ok for result in verify_all()))
        # Loading twice changes nothing.
        count = Contact.objects.count()
        agency.load()
        self.assertEqual(Contact.objects.count(), count)
