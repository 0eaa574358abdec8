"""Day one at an agency, through pages only: from an empty database to a signed contact.

`peerpath createorganization` makes the agency and prints the program manager's link; the manager
chooses a password, adds a program and a team and invites a peer; the peer accepts, takes a person
in and records a signed contact. No admin site, no code behind the pages.
"""

from __future__ import annotations

import re
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import Client as HttpClient
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from peerpath.clients.models import Client
from peerpath.core.models import Organization, Program, Staff, Team
from peerpath.encounters.models import Contact

PASSWORD = "a long new password 2026"


def invitation_path(text: str) -> str:
    found = re.search(r"https?://[^/\s]+(/account/invitation/\S+/)", text)
    assert found, text
    return found.group(1)


def accept(path: str) -> HttpClient:
    http = HttpClient()
    response = http.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return http


class DayOneTests(TestCase):
    def test_from_an_empty_database_to_a_signed_contact(self) -> None:
        self.assertFalse(Organization.objects.exists())
        self.assertFalse(Staff.objects.exists())
        out = StringIO()
        call_command(
            "createorganization",
            "Lakeside Peer Services",
            "lakeside",
            "lee@lakeside.example",
            "--manager-name=Lee Lake",
            stdout=out,
        )
        manager = accept(invitation_path(out.getvalue()))

        # The manager sets up the agency in its own pages.
        self.assertContains(manager.get(reverse("clients:my_day")), reverse("agency:home"))
        manager.post(
            reverse("agency:program_new"), {"name": "Peer Support", "kind": "co_occurring"}
        )
        program = Program.objects.get(name="Peer Support")
        manager.post(reverse("agency:team_new"), {"name": "Harbor Team", "program": program.pk})
        team = Team.objects.get(name="Harbor Team")
        with self.captureOnCommitCallbacks(execute=True):
            manager.post(
                reverse("agency:staff_invite"),
                {
                    "full_name": "Pat Peerson",
                    "email": "pat@lakeside.example",
                    "role": "peer_specialist",
                    "teams": [team.pk],
                    "language": "en",
                },
            )
        invitation = next(m for m in mail.outbox if m.to == ["pat@lakeside.example"])

        # The peer accepts, takes a person in and records the first contact.
        peer = accept(invitation_path(invitation.body))
        pat = Staff.objects.get(email="pat@lakeside.example")
        today = timezone.localdate()
        response = peer.post(
            reverse("clients:new"),
            {
                "given_name": "Dolores",
                "family_name": "Abernathy",
                "language": "English",
                "date_of_birth": "1979-03-02",
                "referral_source": "self",
                "team": team.pk,
                "first_member": pat.pk,
                "enrolled_on": today.isoformat(),
                "consent_method": "verbal",
                "consent_on": today.isoformat(),
                "consent_witness": "Lee Lake",
            },
        )
        person = Client.objects.get(family_name="Abernathy")
        self.assertRedirects(response, reverse("clients:detail", args=[person.pk]))
        now = timezone.localtime()
        signed = peer.post(
            reverse("encounters:contact_start", args=[person.pk]),
            {
                "occurred_on": now.date().isoformat(),
                "occurred_time": now.strftime("%H:%M"),
                "minutes": "40",
                "place": "community",
                "services": ["hope", "resources"],
                "summary": "Met at the library; talked about what recovery means to her.",
                "version": "0",
                "edit_token": "first",
                "action": "sign",
            },
        )
        self.assertEqual(signed.status_code, 302, signed.content[:500])
        contact = Contact.objects.get(client=person)
        self.assertEqual((contact.author, contact.status), (pat, "signed"))
        page = peer.get(reverse("clients:detail", args=[person.pk]))
        self.assertContains(page, "Dolores Abernathy")
