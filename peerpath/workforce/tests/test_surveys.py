"""Readiness surveys: who starts a wave, answering once and anonymously, results with small
groups hidden, waves compared, for each role."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from peerpath.core.models import AuditEvent, Role, Staff
from peerpath.measures.forms import response_form
from peerpath.testing import CastTestCase, make_staff, make_team, query_count
from peerpath.workforce import actions, queries
from peerpath.workforce.models import Participation, SurveyAnswer, SurveyInstrument, Wave

TODAY = timezone.localdate


def oric() -> SurveyInstrument:
    return SurveyInstrument.objects.get(organization__isnull=True, name="ORIC")


def staff_survey() -> SurveyInstrument:
    return SurveyInstrument.objects.get(organization__isnull=True, name="StaffReadiness")


def all_agree(instrument: SurveyInstrument, code: str = "4", **extra: str) -> dict[str, Any]:
    answers: dict[str, Any] = {
        q.link_id: code for q in instrument.instrument().questions if q.scored
    }
    answers.update(extra)
    return answers


class SurveyTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.cast.org
        cls.manager = make_staff(org, Role.PROGRAM_MANAGER, name="Mo Manager")
        cls.privacy = make_staff(org, Role.PRIVACY_OFFICER, name="Pri Vacy")
        cls.wave = actions.wave_create(
            actor=cls.manager,
            instrument=staff_survey(),
            name="Before peers start",
            opens_on=TODAY() - timedelta(days=3),
            closes_on=TODAY() + timedelta(days=10),
        )
        cls.answer_url = reverse("workforce:answer", args=[cls.wave.pk])
        cls.results_url = reverse("workforce:results", args=[cls.wave.pk])

    def crowd(
        self,
        n: int,
        team: Any = None,
        role: str = Role.CLINICIAN,
        code: str = "4",
        wave: Wave | None = None,
        **extra: str,
    ) -> list[Staff]:
        people = []
        for i in range(n):
            teams = (team,) if team is not None else ()
            person = make_staff(self.cast.org, role, name=f"Staff {role} {i} {code}", teams=teams)
            actions.survey_answer(
                actor=person,
                wave=wave or self.wave,
                answers=all_agree((wave or self.wave).instrument, code, **extra),
            )
            people.append(person)
        return people

    def form_data(self, code: str = "4", **extra: str) -> dict[str, str]:
        form = response_form(self.wave.instrument)  # type: ignore[arg-type]
        instrument = self.wave.instrument.instrument()
        data = {
            name: code
            for name, link in form.link_ids.items()
            if instrument.question(link).scored  # type: ignore[union-attr]
        }
        data.update(extra)
        return data

    def test_a_staff_member_answers_once_and_the_answer_names_nobody(self) -> None:
        page = self.as_("peer").get(reverse("clients:my_day"))
        self.assertContains(page, 'id="surveys-to-answer"')
        self.assertContains(page, self.answer_url)
        form = self.as_("peer").get(self.answer_url)
        self.assertNotContains(form, "checked")  # no answer nobody gave
        self.assertNotContains(form, 'name="authored_on"')
        free = form.context["form"]
        text_field = next(n for n, link in free.link_ids.items() if link == "fears-text")
        data = self.form_data(**{text_field: "That we will not support them well"})
        response = self.as_("peer").post(self.answer_url, data)
        self.assertContains(response, "Thank you")
        answer = SurveyAnswer.objects.get()
        self.assertEqual(answer.answers["fears-text"], "That we will not support them well")
        self.assertEqual((answer.role, answer.team_id), (Role.PEER_SPECIALIST, self.cast.team.pk))
        self.assertEqual(answer.answered_on, TODAY())
        # Nothing in the answer points at a person, and nothing that says who answered points at
        # the answer.
        for field in SurveyAnswer._meta.get_fields():
            related = getattr(field, "related_model", None)
            self.assertNotIn(related, (Staff, Participation), field.name)
        for field in Participation._meta.get_fields():
            self.assertIsNot(getattr(field, "related_model", None), SurveyAnswer)
        event = AuditEvent.objects.filter(action="survey.answer").get()
        self.assertNotIn("fears", str(event.details))
        # Once only.
        again = self.as_("peer").post(self.answer_url, data)
        self.assertContains(again, "already answered")
        self.assertEqual(SurveyAnswer.objects.count(), 1)
        self.assertNotContains(self.as_("peer").get(reverse("clients:my_day")), self.answer_url)

    def test_no_query_joins_an_answer_to_a_person(self) -> None:
        self.crowd(6)
        with CaptureQueriesContext(connection) as answering:
            self.as_("peer").post(self.answer_url, self.form_data())
        with CaptureQueriesContext(connection) as reading:
            for by in ("agency", "team", "role"):
                self.as_staff(self.manager).get(self.results_url, {"by": by})
        answer_table = SurveyAnswer._meta.db_table
        people = (Participation._meta.db_table, Staff._meta.db_table)
        for query in [*answering.captured_queries, *reading.captured_queries]:
            sql = query["sql"]
            if answer_table in sql:
                for table in people:
                    self.assertNotIn(table, sql, sql)

    def test_an_incomplete_answer_says_what_is_missing_and_keeps_nothing(self) -> None:
        data = self.form_data()
        data.pop(next(iter(data)))
        response = self.as_("peer").post(self.answer_url, data)
        self.assertContains(response, "Choose an answer to this question", status_code=400)
        self.assertFalse(SurveyAnswer.objects.exists())
        self.assertFalse(Participation.objects.exists())

    def test_a_closed_wave_takes_no_answers(self) -> None:
        Wave.objects.filter(pk=self.wave.pk).update(closes_on=TODAY() - timedelta(days=1))
        response = self.as_("peer").post(self.answer_url, self.form_data())
        self.assertContains(response, "This survey is closed")
        self.assertFalse(SurveyAnswer.objects.exists())

    def test_results_wait_for_enough_answers(self) -> None:
        self.crowd(4)
        page = self.as_staff(self.manager).get(self.results_url)
        self.assertContains(page, 'id="too-few"')
        self.assertNotContains(page, 'id="results-table"')
        self.crowd(1, code="2")
        page = self.as_staff(self.manager).get(self.results_url)
        self.assertContains(page, 'id="results-table"')
        self.assertContains(page, "5 people answered")

    @override_settings(SURVEY_MIN_GROUP=5)
    def test_small_teams_are_merged_into_other(self) -> None:
        big = make_team(self.cast.program, "Big Team")
        small = make_team(self.cast.program, "Tiny Team")
        other_small = make_team(self.cast.program, "Wee Team")
        self.crowd(7, team=big, code="5")
        self.crowd(3, team=small, code="1")
        self.crowd(2, team=other_small, code="1")
        page = self.as_staff(self.manager).get(self.results_url, {"by": "team"})
        groups = page.context["results"].groups
        labels = {g.label: g.count for g in groups}
        self.assertEqual(labels["Big Team"], 7)
        self.assertEqual(labels["Other (small groups together)"], 5)
        self.assertNotIn("Tiny Team", page.content.decode().split('id="groups-table"')[1])

    def test_what_people_wrote_shows_only_above_the_threshold(self) -> None:
        self.crowd(4, **{"barr-text": "More money for supervision"})
        self.assertNotContains(
            self.as_staff(self.manager).get(self.results_url), "More money for supervision"
        )
        self.crowd(1, **{"barr-text": "Clear job description"})
        page = self.as_staff(self.manager).get(self.results_url)
        self.assertContains(page, "More money for supervision", count=4)
        self.assertContains(page, "Clear job description")

    def test_two_waves_compare_section_by_section(self) -> None:
        self.crowd(5, code="2")
        later = actions.wave_create(
            actor=self.manager,
            instrument=staff_survey(),
            name="Six months later",
            opens_on=TODAY(),
            closes_on=TODAY() + timedelta(days=5),
        )
        self.crowd(5, code="4", wave=later)
        page = self.as_staff(self.manager).get(
            reverse("workforce:results", args=[later.pk]), {"compare": self.wave.pk}
        )
        rows = page.context["rows"]
        barriers = next(r for r in rows if r.section == "barriers" and r.is_section)
        self.assertEqual((barriers.earlier, barriers.mean), (2, 4))
        self.assertEqual(barriers.change, 2)
        fears = next(r for r in rows if r.section == "fears" and r.is_section)
        # Fears are scored in reverse: agreeing with a fear ("4") scores 2.
        self.assertEqual((fears.earlier, fears.mean), (4, 2))
        earlier = self.as_staff(self.manager).get(self.results_url)
        self.assertContains(earlier, "Needs work")

    def test_only_those_who_run_the_agency_start_waves_and_read_results(self) -> None:
        self.crowd(5)
        new = reverse("workforce:wave_new")
        self.assertEqual(self.as_staff(self.manager).get(self.results_url).status_code, 200)
        self.assertEqual(self.as_staff(self.manager).get(new).status_code, 200)
        for role in ("peer", "supervisor", "clinician", "peer_client"):
            with self.subTest(role=role):
                self.assertEqual(self.as_(role).get(self.results_url).status_code, 403)
                self.assertEqual(self.as_(role).get(new).status_code, 403)
                self.assertEqual(self.as_(role).get(reverse("workforce:surveys")).status_code, 200)
        self.assertEqual(self.as_staff(self.privacy).get(self.results_url).status_code, 403)
        self.assertEqual(self.as_("outsider").get(self.results_url).status_code, 403)
        self.assertEqual(self.as_("outsider").get(self.answer_url).status_code, 404)
        self.assertEqual(self.as_("anonymous").get(self.answer_url).status_code, 302)
        listing = self.as_("peer").get(reverse("workforce:surveys"))
        self.assertNotContains(listing, self.results_url)

    def test_a_manager_starts_a_wave_and_bad_dates_change_nothing(self) -> None:
        http = self.as_staff(self.manager)
        bad = http.post(
            reverse("workforce:wave_new"),
            {
                "instrument": oric().pk,
                "name": "Spring",
                "opens_on": TODAY().isoformat(),
                "closes_on": (TODAY() - timedelta(days=1)).isoformat(),
            },
        )
        self.assertContains(bad, "cannot close before it opens", status_code=400)
        good = http.post(
            reverse("workforce:wave_new"),
            {
                "instrument": oric().pk,
                "name": "Spring",
                "opens_on": TODAY().isoformat(),
                "closes_on": (TODAY() + timedelta(days=14)).isoformat(),
            },
        )
        wave = Wave.objects.get(name="Spring")
        self.assertRedirects(good, reverse("workforce:results", args=[wave.pk]))
        self.assertTrue(AuditEvent.objects.filter(action="survey.wave_create").exists())

    def test_results_cost_the_same_queries_for_5_or_25_answers(self) -> None:
        team = make_team(self.cast.program, "Query Team")
        self.crowd(5, team=team)
        http = self.as_staff(self.manager)
        few = [
            query_count(lambda by=by: http.get(self.results_url, {"by": by})) for by in queries.BY
        ]
        self.crowd(20, team=make_team(self.cast.program, "Second Team"))
        many = [
            query_count(lambda by=by: http.get(self.results_url, {"by": by})) for by in queries.BY
        ]
        self.assertEqual(few, many)

    def test_results_in_spanish(self) -> None:
        self.crowd(5)
        page = self.as_staff(self.manager).get(self.results_url, HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(page, "Temores")
        self.assertTrue(re.search(r"5 personas respondieron", page.content.decode()))


class SurveyApiTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mo Manager")
        cls.wave = actions.wave_create(
            actor=cls.manager,
            instrument=oric(),
            name="Before",
            opens_on=TODAY(),
            closes_on=TODAY() + timedelta(days=5),
        )
        for i in range(6):
            person = make_staff(cls.cast.org, Role.CLINICIAN, name=f"Api {i}")
            actions.survey_answer(actor=person, wave=cls.wave, answers=all_agree(oric(), "5"))

    def test_a_manager_reads_aggregate_results_and_never_an_answer(self) -> None:
        url = f"/api/v1/surveys/{self.wave.pk}/results"
        body = self.as_staff(self.manager).get(url, {"by": "role"}).json()
        self.assertEqual(body["answered"], 6)
        self.assertTrue(body["shown"])
        commitment = next(s for s in body["sections"] if s["link_id"] == "commitment")
        self.assertEqual(float(commitment["score"]), 5.0)
        self.assertEqual(len(commitment["items"]), 5)
        self.assertEqual([g["answered"] for g in body["groups"]], [6])
        self.assertNotIn("answers", body)
        waves = self.as_staff(self.manager).get("/api/v1/surveys").json()
        self.assertEqual([w["id"] for w in waves], [self.wave.pk])
        self.assertEqual(self.as_staff(self.manager).get(url, {"compare": 999}).status_code, 422)

    def test_only_those_who_run_the_agency(self) -> None:
        url = f"/api/v1/surveys/{self.wave.pk}/results"
        for role in ("peer", "supervisor", "clinician", "peer_client"):
            with self.subTest(role=role):
                self.assertEqual(self.as_(role).get(url).status_code, 403)
        self.assertIn(self.as_("outsider").get(url).status_code, (403, 404))
        self.assertEqual(self.as_("anonymous").get(url).status_code, 401)
