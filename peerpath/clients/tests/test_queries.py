"""List and dashboard pages issue the same number of queries however many people they show."""

from __future__ import annotations

from django.urls import reverse

from peerpath.testing import CastTestCase, make_client, query_count


class QueryCountTests(CastTestCase):
    def grow_caseload(self, total: int) -> None:
        have = self.cast.peer.care_assignments.count()
        for _ in range(total - have):
            make_client(self.cast.team, care_team=(self.cast.peer,), next_step="Call")

    def page_queries(self, url: str) -> int:
        http = self.as_("peer")
        http.get(url)  # warm the session
        return query_count(lambda: self.assertEqual(http.get(url).status_code, 200))

    def test_my_day_with_5_and_50_people(self) -> None:
        self.grow_caseload(5)
        small = self.page_queries(reverse("clients:my_day"))
        self.grow_caseload(50)
        large = self.page_queries(reverse("clients:my_day"))
        self.assertEqual(small, large)
        self.assertEqual(self.cast.peer.care_assignments.count(), 50)

    def test_people_list_and_search_with_5_and_50_people(self) -> None:
        for url in (reverse("clients:list"), reverse("clients:list") + "?q=Given"):
            with self.subTest(url=url):
                self.grow_caseload(5)
                small = self.page_queries(url)
                self.grow_caseload(50)
                self.assertEqual(small, self.page_queries(url))

    def test_record_page_with_a_small_and_a_large_care_team(self) -> None:
        url = reverse("clients:detail", args=[self.cast.client.pk])
        small = self.page_queries(url)
        from peerpath.clients.models import CareTeamMember
        from peerpath.testing import make_staff

        for _ in range(10):
            CareTeamMember.objects.create(
                organization=self.cast.org,
                client=self.cast.client,
                role="other",
                staff=make_staff(self.cast.org),
            )
        self.assertEqual(small, self.page_queries(url))
