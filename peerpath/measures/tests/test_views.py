"""Measures pages and API against the cast: access, audit, alerts, schedules, query counts."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone, translation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from peerpath.clients.access import client_for_write
from peerpath.core.models import AuditEvent
from peerpath.measures import actions
from peerpath.measures.models import Alert, Questionnaire, Response, Schedule
from peerpath.testing import ROLES, CastTestCase, query_count

READ = {
    "peer": 200,
    "supervisor": 200,
    "clinician": 404,
    "peer_client": 404,
    "outsider": 404,
    "anonymous": "login",
}
WRITE = {**READ, "supervisor": 403}
FIXTURES = Path(__file__).parent / "fixtures"


def phq9() -> Questionnaire:
    return Questionnaire.objects.get(organization__isnull=True, code="44249-1")


def phq9_form(points: list[int], day: str = "") -> dict[str, str]:
    codes = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    data = {f"q{i}": codes[p] for i, p in enumerate(points)}
    data["authored_on"] = day or timezone.localdate().isoformat()
    return data


class MeasuresTestCase(CastTestCase):
    def record_phq9(self, points: list[int], days_ago: int = 0) -> Response:
        access = client_for_write(self.cast.peer, self.cast.client.pk)
        q = phq9()
        answers = {
            question.link_id: ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"][p]
            for question, p in zip(q.instrument().questions, points, strict=True)
        }
        return actions.response_record(
            actor=self.cast.peer,
            access=access,
            questionnaire=q,
            authored_on=timezone.localdate() - timedelta(days=days_ago),
            answers=answers,
        )

    def check(
        self,
        url: str,
        expected: dict[str, object],
        method: str = "get",
        data: dict[str, str] | None = None,
    ) -> None:
        for role in ROLES:
            with self.subTest(role=role, url=url):
                response = getattr(self.as_(role), method)(url, data or {})
                want = expected[role]
                if want == "login":
                    self.assertEqual(response.status_code, 302)
                    self.assertIn(reverse("core:login"), response["Location"])
                elif want in (200, 302):
                    self.assertIn(response.status_code, (200, 302))
                else:
                    self.assertRefused(response, want)


class AccessTests(MeasuresTestCase):
    def test_pages_per_role(self) -> None:
        response = self.record_phq9([1] * 9)
        client_id = self.cast.client.pk
        self.check(reverse("measures:overview", args=[client_id]), READ)
        self.check(reverse("measures:response", args=[client_id, response.pk]), READ)
        self.check(reverse("measures:record", args=[client_id, phq9().pk]), WRITE)

    def test_writes_per_role_change_nothing_when_refused(self) -> None:
        client_id = self.cast.client.pk
        for role in ROLES:
            with self.subTest(role=role):
                before = Response.objects.count()
                url = reverse("measures:record", args=[client_id, phq9().pk])
                response = self.as_(role).post(url, phq9_form([0] * 9))
                if role == "peer":
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(Response.objects.count(), before + 1)
                    continue
                if role == "anonymous":
                    self.assertEqual(response.status_code, 302)
                else:
                    self.assertRefused(response, WRITE[role])
                self.assertEqual(Response.objects.count(), before)
                schedule = self.as_(role).post(
                    reverse("measures:schedule", args=[client_id]),
                    {"questionnaire": phq9().pk, "every_days": 30, "next_due_on": "2030-01-01"},
                )
                self.assertNotEqual(schedule.status_code, 200)
                self.assertFalse(Schedule.objects.exists())

    def test_sub_objects_of_another_person_are_404(self) -> None:
        response = self.record_phq9([0] * 9)
        other = self.cast.peer_client_record.pk
        # The clinician may see Robin Both's record, but not Jordana's response under it.
        http = self.as_("clinician")
        self.assertEqual(
            http.get(reverse("measures:response", args=[other, response.pk])).status_code, 404
        )

    def test_api_per_role(self) -> None:
        self.record_phq9([2] * 9)
        url = f"/api/v1/clients/{self.cast.client.pk}/questionnaire-responses"
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get(url)
                if role in {"peer", "supervisor"}:
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(len(response.json()), 1)
                elif role == "anonymous":
                    self.assertEqual(response.status_code, 401)
                else:
                    self.assertRefused(response, 404)
                posted = self.as_(role).post(url, "{}", content_type="application/json")
                if role == "peer":
                    self.assertEqual(posted.status_code, 422)
                else:
                    self.assertIn(posted.status_code, {401, 403, 404})


class RecordTests(MeasuresTestCase):
    def test_record_scores_audits_and_alerts_on_item_9(self) -> None:
        url = reverse("measures:record", args=[self.cast.client.pk, phq9().pk])
        before = AuditEvent.objects.count()
        response = self.as_("peer").post(url, phq9_form([3, 3, 2, 2, 1, 1, 0, 0, 1]))
        self.assertEqual(response.status_code, 302)
        saved = Response.objects.get()
        self.assertEqual((saved.total, saved.band), (13, "Moderate"))
        events = list(AuditEvent.objects.order_by("id")[before:])
        self.assertEqual([e.action for e in events], ["measure.record"])
        self.assertEqual(events[0].client_id, self.cast.client.pk)
        alert = Alert.objects.get()
        self.assertIn("better off dead", alert.question_text)
        # The alert shows on the person's record and on My day of the care team only.
        record = self.as_("peer").get(reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertContains(record, "Safety alert: reach out today")
        self.assertContains(self.as_("peer").get(reverse("clients:my_day")), "Safety alert for")
        self.assertNotContains(
            self.as_("clinician").get(reverse("clients:my_day")), "Safety alert for"
        )

    def test_no_alert_when_item_9_is_zero(self) -> None:
        self.record_phq9([3, 3, 3, 3, 3, 3, 3, 3, 0])
        self.assertFalse(Alert.objects.exists())

    def test_missing_answer_changes_nothing_and_says_why(self) -> None:
        url = reverse("measures:record", args=[self.cast.client.pk, phq9().pk])
        data = phq9_form([1] * 9)
        del data["q4"]
        before = AuditEvent.objects.count()
        response = self.as_("peer").post(url, data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose an answer to this question.", status_code=400)
        self.assertFalse(Response.objects.exists())
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_resolving_an_alert_records_what_who_and_when(self) -> None:
        response = self.record_phq9([0] * 8 + [1])
        alert = response.alerts.get()
        url = reverse("measures:resolve_alert", args=[self.cast.client.pk, alert.pk])
        now = timezone.localtime()
        when = {"done_on": now.date().isoformat(), "done_time": now.strftime("%H:%M")}
        self.assertEqual(self.as_("supervisor").get(url).status_code, 200)
        self.assertEqual(
            self.as_("supervisor").post(url, {**when, "action_taken": "called"}).status_code, 403
        )
        # Nothing is chosen for the person; "something else" needs words.
        page = self.as_("peer").get(url).content.decode()
        self.assertNotIn("checked", page.split("<form", 1)[1].split("</form>", 1)[0])
        for bad in ({**when}, {**when, "action_taken": "other"}):
            with self.subTest(bad=bad):
                self.assertEqual(self.as_("peer").post(url, bad).status_code, 400)
        alert.refresh_from_db()
        self.assertIsNone(alert.resolved_at)
        earlier = now - timedelta(hours=2)
        self.as_("peer").post(
            url,
            {
                "action_taken": "safety_plan",
                "done_on": earlier.date().isoformat(),
                "done_time": earlier.strftime("%H:%M"),
                "note": "Went over the plan by phone.",
            },
        )
        alert.refresh_from_db()
        self.assertEqual((alert.action_taken, alert.resolved_by), ("safety_plan", self.cast.peer))
        self.assertEqual(
            timezone.localtime(alert.done_at).strftime("%H:%M"), earlier.strftime("%H:%M")
        )
        self.assertEqual(AuditEvent.objects.last().action, "measure.alert_resolve")  # type: ignore[union-attr]
        # A second person recording it changes nothing and is told who already did.
        again = self.as_("peer").post(url, {**when, "action_taken": "called"}, follow=True)
        self.assertContains(again, "already recorded what was done")
        alert.refresh_from_db()
        self.assertEqual(alert.action_taken, "safety_plan")

    def test_safety_alert_tops_my_day_and_the_record_for_team_and_supervisor(self) -> None:
        self.record_phq9([0] * 8 + [2])
        for role in ("peer", "supervisor"):
            with self.subTest(role=role):
                my_day = self.as_(role).get(reverse("clients:my_day")).content.decode()
                main = my_day.split("<main", 1)[1]
                self.assertIn("Safety alert for", main)
                # Above every other panel: the first h2 after the greeting is the alert's.
                self.assertLess(
                    main.index("Safety alert for"),
                    main.index("<h2", main.index("safety-heading") + 40),
                )
                record = (
                    self.as_(role)
                    .get(reverse("clients:detail", args=[self.cast.client.pk]))
                    .content.decode()
                )
                head = record.split("<h1", 1)[1]
                self.assertLess(
                    head.index("Safety alert: reach out today"), head.index("summary-heading")
                )
        for role in ("clinician", "outsider", "peer_client"):
            with self.subTest(role=role):
                body = self.as_(role).get(reverse("clients:my_day")).content.decode()
                self.assertNotIn("Safety alert", body)

    def test_the_alert_names_the_question_in_the_readers_language(self) -> None:
        self.record_phq9([0] * 8 + [1])
        http = self.as_("peer")
        http.cookies["django_language"] = "es"
        body = http.get(reverse("clients:my_day")).content.decode()
        alert_box = body.split("Alerta de seguridad", 1)[1].split("</div>", 2)[0]
        self.assertIn("Ha pensado que sería mejor morir", alert_box)
        self.assertNotIn("Thoughts that you would be better off dead", alert_box)

    def test_schedule_shows_on_my_day_and_moves_on_when_done(self) -> None:
        today = timezone.localdate()
        url = reverse("measures:schedule", args=[self.cast.client.pk])
        self.as_("peer").post(
            url, {"questionnaire": phq9().pk, "every_days": 30, "next_due_on": today.isoformat()}
        )
        schedule = Schedule.objects.get()
        my_day = self.as_("peer").get(reverse("clients:my_day"))
        self.assertContains(my_day, "Measures due")
        self.assertContains(
            my_day, reverse("measures:record", args=[self.cast.client.pk, phq9().pk])
        )
        self.record_phq9([0] * 9)
        schedule.refresh_from_db()
        self.assertEqual(schedule.next_due_on, today + timedelta(days=30))
        self.assertNotContains(self.as_("peer").get(reverse("clients:my_day")), "Measures due")

    def test_view_is_audited(self) -> None:
        before = AuditEvent.objects.count()
        self.as_("supervisor").get(reverse("measures:overview", args=[self.cast.client.pk]))
        event = AuditEvent.objects.order_by("id")[before:].get()
        self.assertEqual((event.action, event.actor), ("measure.view", self.cast.supervisor))

    def test_overview_query_count_does_not_grow_with_responses(self) -> None:
        url = reverse("measures:overview", args=[self.cast.client.pk])
        http = self.as_("peer")
        self.record_phq9([1] * 9)
        small = query_count(lambda: http.get(url))
        for days in range(1, 30):
            self.record_phq9([days % 4] * 8 + [0], days_ago=days * 30)
        large = query_count(lambda: http.get(url))
        self.assertEqual(small, large)
        page = http.get(url)
        self.assertContains(page, "<polyline", count=1)
        self.assertContains(page, "<caption>PHQ9 results</caption>", html=False)


class FhirRoundTripTests(MeasuresTestCase):
    def test_export_validate_import_same_answers(self) -> None:
        original = self.record_phq9([0, 1, 2, 3, 0, 1, 2, 3, 1])
        url = f"/api/v1/clients/{self.cast.client.pk}/questionnaire-responses"
        exported = self.as_("peer").get(url).json()[0]
        validated = QuestionnaireResponse.parse_obj(exported)
        self.assertEqual(validated.status, "completed")
        exported.pop("id")
        created = self.as_("peer").post(url, json.dumps(exported), content_type="application/json")
        self.assertEqual(created.status_code, 201, created.content)
        copy = Response.objects.get(pk=int(created.json()["id"]))
        self.assertEqual(copy.answers(), original.answers())
        self.assertEqual((copy.total, copy.band), (original.total, original.band))
        self.assertEqual(AuditEvent.objects.filter(action="measure.export").count(), 1)

    def test_invalid_resource_is_refused_with_a_clear_message(self) -> None:
        url = f"/api/v1/clients/{self.cast.client.pk}/questionnaire-responses"
        bad = {
            "resourceType": "QuestionnaireResponse",
            "status": "completed",
            "questionnaire": phq9().canonical,
            "authored": "yesterday",
        }
        response = self.as_("peer").post(url, json.dumps(bad), content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertIn("authored", response.json()["detail"])
        self.assertFalse(Response.objects.exists())

    def test_lhc_forms_questionnaire_loads_and_records_without_code_changes(self) -> None:
        resource = json.loads((FIXTURES / "lhc-forms" / "phq9.json").read_text())
        q = actions.questionnaire_import(actor=None, organization=self.cast.org, resource=resource)
        url = reverse("measures:record", args=[self.cast.client.pk, q.pk])
        page = self.as_("peer").get(url)
        self.assertContains(page, "Little interest or pleasure")
        data = {f"q{i}": "LA6570-1" for i in range(9)}  # 2 points each, item 9 included
        data["authored_on"] = timezone.localdate().isoformat()
        self.assertEqual(self.as_("peer").post(url, data).status_code, 302)
        saved = Response.objects.get(questionnaire=q)
        self.assertEqual((saved.total, saved.band), (18, "Moderately severe"))
        self.assertEqual(saved.alerts.count(), 1)
        # Another organization does not see this agency's instrument.
        other = self.as_("outsider").get("/api/v1/questionnaires").json()
        self.assertNotIn(q.pk, [row["id"] for row in other])


class MyDayPanelTests(MeasuresTestCase):
    def test_my_day_query_count_does_not_grow_with_due_measures_and_alerts(self) -> None:
        from peerpath.testing import make_client

        http = self.as_("peer")
        url = reverse("clients:my_day")
        today = timezone.localdate()
        access = client_for_write(self.cast.peer, self.cast.client.pk)
        actions.schedule_set(
            actor=self.cast.peer,
            access=access,
            questionnaire=phq9(),
            every_days=30,
            next_due_on=today,
        )
        self.record_phq9([0] * 8 + [2], days_ago=40)
        small = query_count(lambda: http.get(url))
        for _ in range(8):
            other = make_client(self.cast.team, care_team=(self.cast.peer,))
            other_access = client_for_write(self.cast.peer, other.pk)
            actions.schedule_set(
                actor=self.cast.peer,
                access=other_access,
                questionnaire=phq9(),
                every_days=90,
                next_due_on=today,
            )
            q = phq9()
            actions.response_record(
                actor=self.cast.peer,
                access=other_access,
                questionnaire=q,
                authored_on=today - timedelta(days=100),
                answers={x.link_id: "LA6569-3" for x in q.instrument().questions},
            )
        self.assertEqual(Alert.objects.count(), 9)
        large = query_count(lambda: http.get(url))
        self.assertEqual(small, large)
        self.assertContains(http.get(url), "Safety alert for", count=9)


class SpanishQuestionsTests(MeasuresTestCase):
    def test_questions_and_answers_in_spanish_when_the_page_is_in_spanish(self) -> None:
        # A Spanish request leaves Spanish active in this thread; put it back for later tests.
        self.addCleanup(translation.deactivate)
        url = reverse("measures:record", args=[self.cast.client.pk, phq9().pk])
        spanish = self.as_("peer").get(url, headers={"accept-language": "es"})
        self.assertContains(spanish, "Poco interés o placer en hacer cosas")
        self.assertContains(spanish, "Más de la mitad de los días")
        self.assertContains(spanish, "Durante las últimas 2 semanas")
        english = self.as_("peer").get(url, headers={"accept-language": "en"})
        self.assertContains(english, "Little interest or pleasure in doing things")
        self.assertContains(english, "Over the last 2 weeks")
        # Answers are stored with their codes, so a Spanish session scores the same.
        data = phq9_form([1] * 9)
        self.as_("peer").post(url, data, headers={"accept-language": "es"})
        self.assertEqual(Response.objects.get().total, 9)

    def test_chart_coordinates_are_numbers_in_every_language(self) -> None:
        # Spanish writes 12,5; an SVG coordinate written so is no number and the dot lands at 0,0.
        import re

        self.addCleanup(translation.deactivate)
        self.record_phq9([1] * 9, days_ago=40)
        self.record_phq9([2] * 9, days_ago=10)
        url = reverse("measures:overview", args=[self.cast.client.pk])
        page = self.as_("peer").get(url, headers={"accept-language": "es"}).content.decode()
        points = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', page)
        self.assertEqual(len(points), 2)
        for x, y in points:
            self.assertRegex(x, r"^\d+(\.\d)?$")
            self.assertRegex(y, r"^\d+(\.\d)?$")
