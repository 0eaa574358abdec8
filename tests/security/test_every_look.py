"""Every look at a person's data is recorded, with the right purpose.

Walks every route of the authorization sweep (pages and API) as a member of the person's care
team, and again under emergency access: each response that shows the person's data must have
written an audit event about them, with the purpose "treatment" or "emergency". List pages must
write one event naming everyone they show. A refused look at an existing record is recorded too.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from peerpath.clients import emergency
from peerpath.clients.tests.cast import PrivacyCastTestCase
from peerpath.core.models import AuditEvent
from peerpath.encounters.models import Contact
from tests.test_authorization_sweep import build, discover, main_text


def _shows(response: Any, names: tuple[str, ...], api: bool) -> bool:
    if response.status_code != 200:
        return False
    if api:
        return "json" in response.get("Content-Type", "")
    if "html" not in response.get("Content-Type", ""):
        return True  # a PDF or a CSV of the person's record
    body = main_text(response)
    return any(name in body for name in names)


class EveryLookTests(PrivacyCastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Something of the person's on most pages: a signed contact and a colleague's draft.
        client = cls.cast.client
        Contact.objects.create(
            organization=cls.cast.org,
            client=client,
            author=cls.cast.peer,
            occurred_at=timezone.now(),
            minutes=20,
            place="office",
            summary="Talked about the housing list.",
        )

    maxDiff = None

    def walk(self, role: str, purpose: str) -> list[str]:
        client = self.cast.client
        names = (client.given_name, client.family_name)
        http = self.as_(role)
        problems = []
        for route in discover():
            if "client_id" not in route.names:
                continue
            url = build(route, client.pk, client)
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = http.get(url)
            if not _shows(response, names, route.is_api):
                continue
            events = list(AuditEvent.objects.filter(id__gt=last, client_id=client.pk))
            if not events:
                problems.append(f"{url}: shown, not recorded")
            elif any(event.purpose != purpose for event in events):
                wrong = sorted(
                    {f"{e.action}={e.purpose!r}" for e in events if e.purpose != purpose}
                )
                problems.append(f"{url}: recorded as {wrong}, not {purpose!r}")
        return problems

    def test_a_care_team_member_s_every_look_is_recorded_for_treatment(self) -> None:
        self.assertEqual(self.walk("peer", "treatment"), [])

    def test_under_emergency_access_every_look_is_recorded_as_emergency(self) -> None:
        emergency.emergency_access_start(
            actor=self.cast.clinician,
            client=self.cast.client,
            affiliation="Green Team",
            nature_of_emergency="Person collapsed in the waiting room; need medications.",
            email=False,
        )
        self.assertEqual(self.walk("clinician", "emergency"), [])

    def test_list_pages_record_one_event_naming_everyone_shown(self) -> None:
        client = self.cast.client
        http = self.as_("peer")
        problems = []
        for url in ("/", reverse("clients:list"), "/api/v1/clients"):
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = http.get(url)
            body = response.content.decode()
            if client.family_name not in body:
                continue
            events = list(AuditEvent.objects.filter(id__gt=last))
            shown = [e for e in events if client.pk in (e.details or {}).get("clients", [])]
            if len(shown) != 1:
                problems.append(f"{url}: {len(shown)} events name the people shown")
        self.assertEqual(problems, [])

    def test_a_refused_look_at_an_existing_record_is_recorded(self) -> None:
        client = self.cast.client
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = self.as_("clinician").get(reverse("clients:detail", args=[client.pk]))
        self.assertEqual(response.status_code, 404)
        event = AuditEvent.objects.filter(id__gt=last).get()
        self.assertEqual(
            (event.action, event.client_id, event.actor_id),
            ("client.access_refused", client.pk, self.cast.clinician.pk),
        )
        # A number that is no record at all leaves nothing to record.
        last = event.pk
        self.as_("clinician").get(reverse("clients:detail", args=[987654321]))
        self.assertFalse(AuditEvent.objects.filter(id__gt=last).exists())
