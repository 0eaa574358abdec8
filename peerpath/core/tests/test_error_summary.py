"""Every failed form shows one error summary at the top that links each problem to its input."""

from __future__ import annotations

import re

from django.urls import reverse

from peerpath.encounters.tests.helpers import draft_contact, form_data
from peerpath.testing import CastTestCase


class ErrorSummaryTests(CastTestCase):
    def summary_links(self, body: str) -> list[str]:
        summary = body.split('id="error-summary"', 1)[1].split("</div>\\n</div>", 1)[0]
        return re.findall(r'href="#([^"]+)"', summary)

    def test_a_failed_contact_save_links_each_field(self) -> None:
        draft = draft_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:contact_edit", args=[self.cast.client.pk, draft.pk])
        response = self.as_("peer").post(
            url, {**form_data(draft, minutes="0"), "occurred_on": "not a date"}
        )
        self.assertEqual(response.status_code, 400)
        body = response.content.decode()
        self.assertEqual(body.count('id="error-summary"'), 1)
        links = self.summary_links(body)
        self.assertEqual(set(links), {"id_occurred_on", "id_minutes"})
        for target in links:
            self.assertIn(f'id="{target}"', body)  # every link lands on an input

    def test_radio_group_errors_link_to_the_first_choice_and_describe_the_inputs(self) -> None:
        from peerpath.measures.models import Questionnaire

        questionnaire = Questionnaire.objects.filter(name__icontains="phq").order_by("pk").first()
        assert questionnaire is not None
        url = reverse("measures:record", args=[self.cast.client.pk, questionnaire.pk])
        response = self.as_("peer").post(url, {"authored_on": "2026-11-30"})
        self.assertEqual(response.status_code, 400)
        body = response.content.decode()
        links = self.summary_links(body)
        self.assertTrue(links)
        first = links[0]
        self.assertRegex(first, r"_0$")
        error_id = first.removesuffix("_0") + "-error"
        self.assertIn(f'id="{error_id}"', body)
        self.assertIn(f'aria-describedby="{error_id}"', body)

    def test_a_good_page_has_no_summary(self) -> None:
        response = self.as_("peer").get(reverse("clients:my_day"))
        self.assertNotContains(response, "error-summary")
