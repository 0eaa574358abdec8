"""The People list as a caseload tool: search, filters, sorts and keyset pages at any size."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.clients.models import CareTeamMember, Client, Enrollment
from peerpath.core.models import AuditEvent, Role
from peerpath.testing import CastTestCase, make_client, make_staff, query_count


def bulk_caseload(cast, total: int, prefix: str = "Bulk") -> None:  # type: ignore[no-untyped-def]
    """`total` people on the peer's caseload in the Blue team, written in bulk."""
    org, today = cast.org, timezone.localdate()
    clients = Client.objects.bulk_create(
        [
            Client(
                organization=org,
                given_name=f"{prefix}{n:05d}",
                family_name=f"{prefix}Family{n:05d}",
                last_contact_on=today - timedelta(days=n % 90) if n % 7 else None,
            )
            for n in range(total)
        ]
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                organization=org, client=c, program=cast.program, team=cast.team, started_on=today
            )
            for c in clients
        ]
    )
    CareTeamMember.objects.bulk_create(
        [
            CareTeamMember(
                organization=org, client=c, staff=cast.peer, role="peer", is_primary=True
            )
            for c in clients
        ]
    )


def names_on(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.display_name for c in response.context["page"].items]


def next_link(response) -> str | None:  # type: ignore[no-untyped-def]
    found = re.search(r'href="\?([^"]+)"[^>]*rel="next"', response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


class PeopleListTests(CastTestCase):
    def test_every_person_is_reachable_page_by_page_and_the_last_name_is_on_the_last_page(
        self,
    ) -> None:
        bulk_caseload(self.cast, 130)
        http = self.as_("peer")
        response = http.get(reverse("clients:list"))
        seen = names_on(response)
        self.assertEqual(seen[0], "Bulk00000 BulkFamily00000")
        pages = 1
        while link := next_link(response):
            response = http.get(reverse("clients:list") + "?" + link)
            seen += names_on(response)
            pages += 1
        self.assertEqual(pages, 3)
        self.assertEqual(len(seen), 131)  # 130 and the cast's own client
        self.assertEqual(len(set(seen)), 131)
        self.assertEqual(seen[-1], "Jordana Quillfeather")

    def test_newest_taken_in_first(self) -> None:
        bulk_caseload(self.cast, 60)
        newest = make_client(self.cast.team, given_name="Newest", care_team=(self.cast.peer,))
        response = self.as_("peer").get(reverse("clients:list"), {"sort": "newest"})
        self.assertEqual(response.context["page"].items[0], newest)

    def test_longest_without_contact_first_and_never_contacted_before_everyone(self) -> None:
        today = timezone.localdate()
        make_client(self.cast.team, given_name="Never", care_team=(self.cast.peer,))
        make_client(
            self.cast.team,
            given_name="Long",
            care_team=(self.cast.peer,),
            last_contact_on=today - timedelta(days=200),
        )
        response = self.as_("peer").get(reverse("clients:list"), {"sort": "last_contact"})
        names = [c.given_name for c in response.context["page"].items]
        self.assertEqual(names[:3], ["Never", "Long", "Jordana"])

    def test_next_step_due_soonest_first_and_no_step_last(self) -> None:
        today = timezone.localdate()
        make_client(self.cast.team, given_name="Nostep", care_team=(self.cast.peer,))
        make_client(
            self.cast.team,
            given_name="Overdue",
            care_team=(self.cast.peer,),
            next_step_due=today - timedelta(days=4),
        )
        response = self.as_("peer").get(reverse("clients:list"), {"sort": "next_step_due"})
        names = [c.given_name for c in response.context["page"].items]
        self.assertEqual(names, ["Overdue", "Jordana", "Nostep"])

    def test_engagement_not_reached_yet_first_then_engaging_then_engaged(self) -> None:
        from peerpath.encounters.models import Engagement

        engaged = make_client(self.cast.team, given_name="Engaged", care_team=(self.cast.peer,))
        engaging = make_client(self.cast.team, given_name="Engaging", care_team=(self.cast.peer,))
        for client, status in ((engaged, "engaged"), (engaging, "engaging")):
            Engagement.objects.create(organization=self.cast.org, client=client, status=status)
        response = self.as_("peer").get(reverse("clients:list"), {"sort": "engagement"})
        names = [c.given_name for c in response.context["page"].items]
        self.assertEqual(names, ["Jordana", "Engaging", "Engaged"])

    def test_search_by_preferred_name_and_by_phone(self) -> None:
        make_client(
            self.cast.team,
            given_name="Robert",
            family_name="Ashgrove",
            preferred_name="Bobby",
            care_team=(self.cast.peer,),
            phone="(555) 867-5309",
            phone_digits="5558675309",
        )
        http = self.as_("peer")
        self.assertEqual(
            names_on(http.get(reverse("clients:list"), {"q": "bobby"})), ["Bobby Ashgrove"]
        )
        self.assertEqual(
            names_on(http.get(reverse("clients:list"), {"q": "867-5309"})), ["Bobby Ashgrove"]
        )
        self.assertEqual(names_on(http.get(reverse("clients:list"), {"q": "555 000 1111"})), [])

    def test_filters_by_team_program_status_and_care_team_member(self) -> None:
        other_peer = make_staff(self.cast.org, Role.PEER_SPECIALIST, name="Otto Other")
        green = make_client(
            self.cast.other_team,
            given_name="Greenie",
            care_team=(self.cast.peer, other_peer),
            status=Client.Status.INACTIVE,
        )
        left = make_client(
            self.cast.team, given_name="Leftus", care_team=(), status=Client.Status.DISCHARGED
        )
        CareTeamMember.objects.create(
            organization=self.cast.org,
            client=left,
            staff=self.cast.peer,
            role="peer",
            ended_on=timezone.localdate(),
            end_reason="discharge",
        )
        http = self.as_("peer")

        def shown(**params: object) -> set[str]:
            return {c.given_name for c in http.get(reverse("clients:list"), params).context["page"]}

        self.assertEqual(shown(), {"Jordana", "Greenie"})  # discharged left out by default
        self.assertEqual(shown(team=self.cast.other_team.pk), {"Greenie"})
        self.assertEqual(shown(program=self.cast.other_program.pk), set())
        self.assertEqual(shown(status="inactive"), {"Greenie"})
        self.assertEqual(shown(status="discharged"), {"Leftus"})
        self.assertEqual(shown(status="all"), {"Jordana", "Greenie", "Leftus"})
        self.assertEqual(shown(q="Leftus"), {"Leftus"})  # a search finds the discharged too
        self.assertEqual(shown(peer=other_peer.pk), {"Greenie"})
        del green

    def test_the_list_is_one_audit_event_naming_everyone_shown(self) -> None:
        bulk_caseload(self.cast, 60)
        self.as_("peer").get(reverse("clients:list"))
        event = AuditEvent.objects.filter(action="client.list").latest("id")
        self.assertEqual(len(event.details["clients"]), 50)

    def test_a_broken_page_link_is_refused_in_words(self) -> None:
        response = self.as_("peer").get(reverse("clients:list"), {"after": "not-a-cursor"})
        self.assertEqual(response.status_code, 400)

    def test_the_same_queries_for_10_and_10000_people_in_every_sort(self) -> None:
        http = self.as_("peer")
        http.get(reverse("clients:list"))
        urls = [
            reverse("clients:list") + f"?sort={sort}"
            for sort in ("name", "last_contact", "next_step_due", "newest", "engagement")
        ]
        urls.append(reverse("clients:list") + f"?q=Family&team={self.cast.team.pk}")
        bulk_caseload(self.cast, 9)
        small = {url: query_count(lambda u=url: http.get(u)) for url in urls}
        bulk_caseload(self.cast, 9990, prefix="More")
        self.assertEqual(Client.objects.filter(organization=self.cast.org).count(), 10001)
        for url in urls:
            with self.subTest(url=url):
                response = http.get(url)
                self.assertEqual(len(response.context["page"].items), 50)
                self.assertIsNotNone(next_link(response))
                self.assertEqual(small[url], query_count(lambda u=url: http.get(u)))
