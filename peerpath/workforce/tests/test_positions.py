"""Fair hiring, first part: job descriptions checked for plain and person-first language, pay
checked against the living wage of the county, the living-wage table imported from CSV."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from peerpath.core import imports
from peerpath.core.models import AuditEvent, Role
from peerpath.encounters import language
from peerpath.testing import CastTestCase, make_staff, query_count
from peerpath.workforce.models import LivingWage, Position

PLAIN = (
    "You will work with people who want to get well. You will share your own story when it "
    "helps. You will help people make a plan for their health. You will go with them to find "
    "housing, food and work."
)
HARD = (
    "The incumbent will facilitate comprehensive, individualized, recovery-oriented "
    "interventions, demonstrating considerable proficiency in interdisciplinary collaboration "
    "and documentation requirements consistent with organizational accreditation standards."
)


class PositionCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        language.load_default_terms()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mo Manager")
        LivingWage.objects.create(
            organization=cls.cast.org, county="Lane", household="1a", hourly=Decimal("24.53")
        )

    def form(self, **overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": "Peer Support Specialist",
            "team": self.cast.team.pk,
            "status": "open",
            "summary": PLAIN,
            "duties": ["story", "connecting", "groups"],
            "lived_experience": "yes",
            "certification": "within",
            "certification_months": "6",
            "supervisor": self.cast.supervisor.pk,
            "supervision": "One hour a week with a supervisor who was a peer.",
            "experience_counts": ["lived", "peer_run", "volunteer"],
            "paid_years_required": "0",
            "hours_per_week": "32",
            "pay_min": "25.00",
            "pay_max": "29.00",
            "county": "Lane",
            "household": "1a",
        }
        data.update(overrides)
        return data

    def save(self, **overrides: Any) -> Position:
        response = self.as_staff(self.manager).post(
            reverse("workforce:position_new"), self.form(**overrides)
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        return Position.objects.latest("id")


class PositionTests(PositionCase):
    def test_a_new_job_description_starts_unanswered(self) -> None:
        page = self.as_staff(self.manager).get(reverse("workforce:position_new"))
        self.assertNotContains(page, "checked")
        self.assertRegex(page.content.decode(), r'name="paid_years_required"(?![^>]*value=)')

    def test_a_plain_fair_position_passes_its_checks(self) -> None:
        position = self.save()
        page = self.as_staff(self.manager).get(reverse("workforce:position", args=[position.pk]))
        self.assertContains(page, "The pay is at or above the living wage ($24.53 an hour)")
        self.assertContains(page, "Plain language: it reads at grade")
        self.assertContains(page, "Person-first language: no words to change")
        self.assertContains(page, "which you can earn within 6 months of starting")
        self.assertTrue(AuditEvent.objects.filter(action="position.save").exists())

    def test_pay_below_the_living_wage_is_flagged_on_the_position_and_the_list(self) -> None:
        position = self.save(pay_min="18.00", pay_max="20.00")
        page = self.as_staff(self.manager).get(reverse("workforce:position", args=[position.pk]))
        self.assertContains(page, "Below the living wage.")
        self.assertContains(page, "the living wage in Lane for “One adult” is $24.53")
        listing = self.as_staff(self.manager).get(reverse("workforce:positions"))
        self.assertContains(listing, "Below the living wage")

    def test_hard_words_and_stigmatizing_words_are_named(self) -> None:
        position = self.save(summary=HARD + " You will work with addicts in our clinic.")
        page = self.as_staff(self.manager).get(reverse("workforce:position", args=[position.pk]))
        self.assertContains(page, "Hard to read.")
        self.assertContains(page, "Words to change:")
        self.assertContains(page, "“addicts”")

    def test_bad_input_gets_a_clear_message_and_changes_nothing(self) -> None:
        http = self.as_staff(self.manager)
        for overrides, words in (
            ({"pay_max": "20.00"}, "top of the pay range is below its bottom"),
            ({"certification_months": ""}, "within how many months"),
            ({"duties": [], "other_duties": ""}, "Name the duties of the job"),
            ({"lived_experience": ""}, "This field is required"),
        ):
            with self.subTest(words=words):
                response = http.post(reverse("workforce:position_new"), self.form(**overrides))
                self.assertContains(response, words, status_code=400)
        self.assertFalse(Position.objects.exists())

    def test_the_job_description_prints_as_a_pdf(self) -> None:
        position = self.save()
        response = self.as_staff(self.manager).get(
            reverse("workforce:position", args=[position.pk]), {"format": "pdf"}
        )
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_a_change_made_meanwhile_is_not_overwritten(self) -> None:
        position = self.save()
        url = reverse("workforce:position_edit", args=[position.pk])
        http = self.as_staff(self.manager)
        self.assertEqual(http.post(url, self.form(title="First", version="1")).status_code, 302)
        stale = http.post(url, self.form(title="Second", version="1"))
        self.assertContains(stale, "Nothing was saved", status_code=400)
        position.refresh_from_db()
        self.assertEqual(position.title, "First")

    def test_the_list_costs_the_same_queries_for_1_or_12_positions(self) -> None:
        self.save()
        http = self.as_staff(self.manager)
        few = query_count(lambda: http.get(reverse("workforce:positions")))
        for n in range(11):
            self.save(title=f"Peer {n}")
        self.assertEqual(query_count(lambda: http.get(reverse("workforce:positions"))), few)

    def test_only_those_who_run_the_agency(self) -> None:
        position = self.save()
        urls = [
            reverse("workforce:positions"),
            reverse("workforce:position_new"),
            reverse("workforce:position", args=[position.pk]),
            reverse("workforce:position_edit", args=[position.pk]),
        ]
        for url in urls:
            for role in ("peer", "supervisor", "clinician", "peer_client", "outsider"):
                with self.subTest(url=url, role=role):
                    self.assertEqual(self.as_(role).get(url).status_code, 403)
            self.assertEqual(self.as_("anonymous").get(url).status_code, 302)


WAGES = "county,household,hourly_wage,source\nLane,1a,24.53,MIT 2026\nLane,1a1c,$41.10,MIT 2026\n"


@pytest.mark.django_db
def test_a_living_wage_table_comes_in_through_the_import_pipeline() -> None:
    from peerpath.testing import make_organization

    org = make_organization("Wage Agency")
    summary = imports.run("living_wage", org, WAGES, actor=None)
    assert summary["create"] == 2
    assert LivingWage.objects.get(organization=org, household="1a1c").hourly == Decimal("41.10")
    again = imports.run("living_wage", org, WAGES, actor=None)
    assert again["unchanged"] == 2
    bad = (
        "county,household,hourly_wage\nLane,3x,24\nLane,1a,cheap\n,1a,20\nLane,1a,21\nLane,1a,22\n"
    )
    with pytest.raises(imports.ImportRefused) as refused:
        imports.run("living_wage", org, bad, actor=None)
    where = {(p.line, p.column) for p in refused.value.problems}
    assert {(2, "household"), (3, "hourly_wage"), (4, "county"), (6, "county")} <= where
    assert LivingWage.objects.get(organization=org, household="1a").hourly == Decimal("24.53")


class PositionApiTests(PositionCase):
    def test_the_api_lists_positions_with_their_checks(self) -> None:
        low = self.save(pay_min="18.00", pay_max="20.00")
        fair = self.save(title="Recovery Coach")
        body = self.as_staff(self.manager).get("/api/v1/positions").json()
        by_id = {item["id"]: item for item in body["items"]}
        self.assertTrue(by_id[low.pk]["below_living_wage"])
        self.assertFalse(by_id[fair.pk]["below_living_wage"])
        self.assertEqual(float(by_id[fair.pk]["living_wage"]), 24.53)
        self.assertEqual([item["id"] for item in body["items"]], [fair.pk, low.pk])
        self.assertEqual(self.as_("peer").get("/api/v1/positions").status_code, 403)
