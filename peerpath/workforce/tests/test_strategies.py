"""From results to strategies: the library, adopting a strategy, the action plan on My day."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.core.models import AuditEvent, Role
from peerpath.testing import CastTestCase, make_staff, query_count
from peerpath.workforce import actions, strategies
from peerpath.workforce.models import ActionItem, Strategy, SurveyInstrument

TODAY = timezone.localdate


class StrategyTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mo Manager")
        strategies.library_seed(cls.cast.org)
        cls.training = Strategy.objects.get(organization=cls.cast.org, key="training")

    def adopt(self, owner: object = None, due: int = 10) -> ActionItem:
        return strategies.action_add(
            actor=self.manager,
            strategy=self.training,
            owner=owner or self.cast.supervisor,  # type: ignore[arg-type]
            due_on=TODAY() + timedelta(days=due),
        )

    def test_the_defaults_come_once_in_the_readers_language_and_keep_the_agencys_words(
        self,
    ) -> None:
        strategies.library_seed(self.cast.org)
        self.assertEqual(
            Strategy.objects.filter(organization=self.cast.org).count(), len(strategies.DEFAULTS)
        )
        http = self.as_staff(self.manager)
        page = http.get(reverse("workforce:library"), {"section": "barriers"})
        self.assertContains(page, "Train staff on what peers do and do not do")
        self.assertNotContains(page, "A statement from leadership")  # commitment, biases only
        spanish = http.get(reverse("workforce:library"), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(spanish, "Formar al personal sobre lo que hacen y no hacen los pares")
        http.post(
            reverse("workforce:strategy_edit", args=[self.training.pk]),
            {
                "title": "Lunch and learn with Riverbend peers",
                "description": "Monthly.",
                "sections": ["misconceptions"],
            },
        )
        rewritten = http.get(reverse("workforce:library"), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(rewritten, "Lunch and learn with Riverbend peers")
        self.assertTrue(AuditEvent.objects.filter(action="strategy.save").exists())

    def test_a_low_section_in_the_results_leads_to_its_strategies_and_into_the_plan(self) -> None:
        staff_survey = SurveyInstrument.objects.get(name="StaffReadiness")
        wave = actions.wave_create(
            actor=self.manager,
            instrument=staff_survey,
            name="Before",
            opens_on=TODAY(),
            closes_on=TODAY() + timedelta(days=3),
        )
        low = {
            q.link_id: "2"
            for q in staff_survey.instrument().questions
            if q.scored and q.link_id.startswith("barr")
        }
        for i in range(5):
            person = make_staff(self.cast.org, Role.CLINICIAN, name=f"Low {i}")
            actions.survey_answer(actor=person, wave=wave, answers=low)
        results = self.as_staff(self.manager).get(reverse("workforce:results", args=[wave.pk]))
        link = f"{reverse('workforce:library')}?section=barriers&amp;wave={wave.pk}"
        self.assertContains(results, link)
        adopt = reverse("workforce:adopt", args=[self.training.pk])
        response = self.as_staff(self.manager).post(
            f"{adopt}?wave={wave.pk}&section=barriers",
            {
                "owner": self.cast.supervisor.pk,
                "due_on": (TODAY() + timedelta(days=20)).isoformat(),
            },
        )
        self.assertRedirects(response, reverse("workforce:plan"))
        item = ActionItem.objects.get()
        self.assertEqual(
            (item.wave, item.section, item.owner), (wave, "barriers", self.cast.supervisor)
        )

    def test_bad_input_changes_nothing(self) -> None:
        adopt = reverse("workforce:adopt", args=[self.training.pk])
        past = self.as_staff(self.manager).post(
            adopt, {"owner": self.cast.peer.pk, "due_on": (TODAY() - timedelta(days=1)).isoformat()}
        )
        self.assertContains(past, "cannot be in the past", status_code=400)
        elsewhere = self.as_staff(self.manager).post(
            adopt, {"owner": self.cast.outsider.pk, "due_on": TODAY().isoformat()}
        )
        self.assertEqual(elsewhere.status_code, 400)
        self.assertFalse(ActionItem.objects.exists())

    def test_the_owner_and_the_manager_see_it_on_my_day_and_the_owner_updates_it(self) -> None:
        item = self.adopt(owner=self.cast.supervisor, due=5)
        mine = self.as_("supervisor").get(reverse("clients:my_day"))
        self.assertContains(mine, 'id="readiness-actions"')
        self.assertContains(mine, "Train staff on what peers do and do not do")
        manager_day = self.as_staff(self.manager).get(reverse("clients:my_day"))
        self.assertContains(manager_day, "Sky Supervisor")
        self.assertNotContains(
            self.as_("peer").get(reverse("clients:my_day")), 'id="readiness-actions"'
        )
        update = reverse("workforce:action_update", args=[item.pk])
        self.assertEqual(
            self.as_("peer").post(update, {"status": "done", "version": 1}).status_code, 403
        )
        self.as_("supervisor").post(update, {"status": "under_way", "note": "Booked", "version": 1})
        item.refresh_from_db()
        self.assertEqual((item.status, item.note, item.version), ("under_way", "Booked", 2))
        stale = self.as_("supervisor").post(update, {"status": "done", "version": 1}, follow=True)
        self.assertContains(stale, "Nothing was saved")
        item.refresh_from_db()
        self.assertEqual(item.status, "under_way")

    def test_my_day_and_the_plan_cost_the_same_queries_for_1_or_12_items(self) -> None:
        self.adopt()
        http = self.as_staff(self.manager)
        few = (
            query_count(lambda: http.get(reverse("clients:my_day"))),
            query_count(lambda: http.get(reverse("workforce:plan"))),
        )
        for due in range(11):
            self.adopt(due=due + 1)
        many = (
            query_count(lambda: http.get(reverse("clients:my_day"))),
            query_count(lambda: http.get(reverse("workforce:plan"))),
        )
        self.assertEqual(few, many)

    def test_only_those_who_run_the_agency_keep_the_library_and_the_plan(self) -> None:
        urls = [
            reverse("workforce:library"),
            reverse("workforce:plan"),
            reverse("workforce:strategy_new"),
            reverse("workforce:strategy_edit", args=[self.training.pk]),
            reverse("workforce:adopt", args=[self.training.pk]),
        ]
        for url in urls:
            self.assertEqual(self.as_staff(self.manager).get(url).status_code, 200, url)
            for role in ("peer", "supervisor", "clinician", "peer_client", "outsider"):
                with self.subTest(url=url, role=role):
                    self.assertEqual(self.as_(role).get(url).status_code, 403)
            self.assertEqual(self.as_("anonymous").get(url).status_code, 302)
