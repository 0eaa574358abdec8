"""Plan pages against the cast: access per role, audit, versions and conflicts, query counts."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from peerpath.core.models import AuditEvent
from peerpath.plans import actions
from peerpath.plans.models import Goal, GoalStatusChange, WhamActionPlan, WrapVersion
from peerpath.testing import ROLES, CastTestCase, make_client, query_count

from .helpers import CRISIS_TEXT, wrap_post, writer

READ = {
    "peer": 200,
    "supervisor": 200,
    "clinician": 404,
    "peer_client": 404,
    "outsider": 404,
    "anonymous": "login",
}
WRITE = {**READ, "supervisor": 403}


class PlansTestCase(CastTestCase):
    def setUp(self) -> None:
        self.access = writer(self.cast)
        self.goal = actions.goal_create(
            actor=self.cast.peer,
            access=self.access,
            own_words="I want my own place by the river",
            life_area="housing",
        )
        self.step = actions.goal_step_add(
            actor=self.cast.peer,
            access=self.access,
            goal=self.goal,
            text="Call the housing office",
            due_on=None,
        )
        self.wrap = actions.wrap_save(
            actor=self.cast.peer, access=self.access, based_on=0, content=dict(CRISIS_TEXT)
        )
        self.wham = actions.wham_plan_create(
            actor=self.cast.peer,
            access=self.access,
            factor="sleep",
            goal="Sleep seven hours most nights",
            started_on=timezone.localdate(),
        )
        actions.imr_goal_set(
            actor=self.cast.peer,
            access=self.access,
            recovery_goal="Go back to school",
            expected_version=None,
        )

    def url(self, name: str, *args: object) -> str:
        return reverse(f"plans:{name}", args=[self.cast.client.pk, *args])

    def check(
        self,
        url: str,
        expected: dict[str, object],
        method: str = "get",
        data: dict[str, str] | None = None,
    ) -> None:
        for role in ROLES:
            with self.subTest(role=role, url=url, method=method):
                response = getattr(self.as_(role), method)(url, data or {})
                want = expected[role]
                if want == "login":
                    self.assertEqual(response.status_code, 302)
                    self.assertIn(reverse("core:login"), response["Location"])
                elif want == 200:
                    self.assertIn(response.status_code, (200, 302))
                else:
                    self.assertRefused(response, want)


class AccessTests(PlansTestCase):
    def test_read_pages_per_role(self) -> None:
        for url in (
            self.url("plan"),
            self.url("goal", self.goal.pk),
            self.url("wrap"),
            self.url("wrap_version", 1),
            self.url("wrap_compare"),
            self.url("wrap_crisis_pdf"),
            self.url("wham", self.wham.pk),
            self.url("imr"),
        ):
            self.check(url, READ)

    def test_write_pages_per_role(self) -> None:
        for url in (
            self.url("goal_new"),
            self.url("goal_edit", self.goal.pk),
            self.url("wrap_edit"),
            self.url("wham_new"),
        ):
            self.check(url, WRITE)

    def test_refused_posts_change_nothing(self) -> None:
        posts = [
            (self.url("goal_new"), {"own_words": "x", "life_area": "work"}),
            (self.url("goal_step_add", self.goal.pk), {"text": "x"}),
            (self.url("goal_step_done", self.goal.pk, self.step.pk), {}),
            (self.url("goal_note_add", self.goal.pk), {"text": "x", "written_on": "2026-01-01"}),
            (self.url("wrap_edit"), wrap_post(1, toolbox="x")),
            (self.url("wham", self.wham.pk), {"log-day": "2026-01-01", "log-note": "x"}),
            (self.url("imr"), {"session-module": "1", "session-held_on": "2026-01-01"}),
        ]
        before = AuditEvent.objects.exclude(action="client.access_refused").count()
        for role in ("supervisor", "clinician", "peer_client", "outsider"):
            for url, data in posts:
                with self.subTest(role=role, url=url):
                    self.assertRefused(self.as_(role).post(url, data), WRITE[role])
        # Only the refused attempts themselves are recorded.
        self.assertEqual(AuditEvent.objects.exclude(action="client.access_refused").count(), before)
        self.assertEqual(WrapVersion.objects.count(), 1)

    def test_sub_objects_of_another_person_are_404(self) -> None:
        other = self.cast.peer_client_record.pk
        http = self.as_("clinician")  # on Robin's care team, not Jordana's
        for name, args in (
            ("goal", [self.goal.pk]),
            ("wham", [self.wham.pk]),
            ("goal_edit", [self.goal.pk]),
        ):
            with self.subTest(name=name):
                response = http.get(reverse(f"plans:{name}", args=[other, *args]))
                self.assertRefused(response, 404)

    def test_record_page_links_to_the_plan(self) -> None:
        response = self.as_("peer").get(reverse("clients:detail", args=[self.cast.client.pk]))
        self.assertContains(response, self.url("plan"))
        self.assertContains(response, "1 goal in progress.")


class PlanPageTests(PlansTestCase):
    def test_one_page_shows_everything_and_is_audited(self) -> None:
        before = AuditEvent.objects.count()
        response = self.as_("supervisor").get(self.url("plan"))
        self.assertContains(response, "I want my own place by the river")
        self.assertContains(response, "Call the housing office")
        self.assertContains(response, "Version 1")
        self.assertContains(response, "Sleep seven hours most nights")
        self.assertContains(response, "Go back to school")
        self.assertContains(response, "data-print")
        self.assertNotContains(response, self.url("goal_new"))  # read-only for the supervisor
        event = AuditEvent.objects.order_by("id")[before:].get()
        self.assertEqual((event.action, event.client_id), ("plan.view", self.cast.client.pk))

    def test_query_count_same_for_1_and_30_goals(self) -> None:
        http = self.as_("peer")
        url = self.url("plan")
        small = query_count(lambda: http.get(url))
        for n in range(29):
            goal = actions.goal_create(
                actor=self.cast.peer, access=self.access, own_words=f"Goal {n}", life_area="work"
            )
            actions.goal_step_add(
                actor=self.cast.peer, access=self.access, goal=goal, text="step", due_on=None
            )
            actions.goal_note_add(
                actor=self.cast.peer,
                access=self.access,
                goal=goal,
                text="note",
                written_on=timezone.localdate(),
            )
        self.assertEqual(Goal.objects.filter(client=self.cast.client).count(), 30)
        large = query_count(lambda: http.get(url))
        self.assertEqual(small, large)

    def test_long_histories_are_not_read_only_the_latest_note_and_weekly_plan(self) -> None:
        from datetime import timedelta

        from peerpath.plans.models import GoalNote, WhamActionPlan

        today = timezone.localdate()
        GoalNote.objects.bulk_create(
            GoalNote(
                organization=self.cast.org,
                goal=self.goal,
                text=f"Progress {n}",
                written_on=today - timedelta(days=n),
                written_by=self.cast.peer,
            )
            for n in range(1, 120)
        )
        GoalNote.objects.create(
            organization=self.cast.org,
            goal=self.goal,
            text="Signed the lease today",
            written_on=today,
            written_by=self.cast.peer,
        )
        WhamActionPlan.objects.bulk_create(
            WhamActionPlan(
                organization=self.cast.org,
                plan=self.wham,
                week_of=today - timedelta(weeks=n),
                what=f"Walk {n} times",
                how_much="20 minutes",
                when="after lunch",
                how_often="daily",
                confidence=7,
                created_by=self.cast.peer,
            )
            for n in range(100)
        )
        response = self.as_("peer").get(self.url("plan"))
        self.assertContains(response, "Signed the lease today")
        self.assertNotContains(response, "Progress 1")
        self.assertContains(response, "Walk 0 times")
        self.assertNotContains(response, "Walk 1 times")
        page = response.context["page"]
        self.assertEqual(len(page.goals[0].latest_notes), 1)
        self.assertEqual(len(page.wham[0].latest_action_plans), 1)


class GoalTests(PlansTestCase):
    def test_the_goal_page_shows_one_form_at_a_time(self) -> None:
        url = self.url("goal", self.goal.pk)
        plain = self.as_("peer").get(url)
        self.assertNotContains(plain, 'name="text"')
        self.assertContains(plain, 'href="?form=step')
        self.assertContains(plain, 'href="?form=note')
        step = self.as_("peer").get(url + "?form=step").content.decode()
        self.assertIn('id="step-form"', step)
        self.assertNotIn('id="note-form"', step)
        note = self.as_("peer").get(url + "?form=note").content.decode()
        self.assertIn('id="note-form"', note)
        self.assertNotIn('id="step-form"', note)
        # A reader gets no form at all.
        reader = self.as_("supervisor").get(url + "?form=step")
        self.assertNotContains(reader, 'id="step-form"')
        self.assertNotContains(reader, 'href="?form=step')

    def test_create_keeps_the_words_verbatim_and_audits(self) -> None:
        words = "  i just want to  see my kids on sundays  "
        response = self.as_("peer").post(
            self.url("goal_new"), {"own_words": words, "life_area": "relationships"}
        )
        self.assertEqual(response.status_code, 302)
        goal = Goal.objects.latest("id")
        self.assertEqual(goal.own_words, words.strip())
        self.assertEqual(AuditEvent.objects.last().action, "goal.create")  # type: ignore[union-attr]

    def test_missing_words_changes_nothing(self) -> None:
        before = Goal.objects.count()
        response = self.as_("peer").post(
            self.url("goal_new"), {"own_words": "", "life_area": "work"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "usa-error-message")
        self.assertEqual(Goal.objects.count(), before)

    def test_status_change_is_history_and_stale_edit_is_refused(self) -> None:
        url = self.url("goal_edit", self.goal.pk)
        base = {
            "own_words": self.goal.own_words,
            "smart_restatement": "",
            "life_area": "housing",
            "version": str(self.goal.version),
        }
        first = self.as_("peer").post(url, {**base, "status": "achieved"})
        self.assertEqual(first.status_code, 302)
        history = list(GoalStatusChange.objects.filter(goal=self.goal).order_by("id"))
        self.assertEqual(
            [(h.from_status, h.to_status) for h in history],
            [("", "active"), ("active", "achieved")],
        )
        stale = self.as_("peer").post(url, {**base, "status": "paused", "own_words": "Mine"})
        self.assertEqual(stale.status_code, 409)
        self.assertContains(stale, "Someone else saved changes", status_code=409)
        self.assertContains(stale, "Mine", status_code=409)
        self.goal.refresh_from_db()
        self.assertEqual(
            (self.goal.status, self.goal.own_words),
            ("achieved", "I want my own place by the river"),
        )

    def test_steps_and_notes(self) -> None:
        self.as_("peer").post(self.url("goal_step_done", self.goal.pk, self.step.pk))
        self.step.refresh_from_db()
        self.assertEqual(self.step.done_on, timezone.localdate())
        self.as_("peer").post(
            self.url("goal_note_add", self.goal.pk),
            {"text": "Visited two apartments", "written_on": "2026-01-05"},
        )
        page = self.as_("peer").get(self.url("goal", self.goal.pk))
        self.assertContains(page, "Visited two apartments")
        self.assertEqual(AuditEvent.objects.last().action, "goal.view")  # type: ignore[union-attr]


class OpeningEditFormsIsAuditedTests(PlansTestCase):
    def test_edit_forms_showing_saved_plans_are_audited(self) -> None:
        for name, args, action in (
            ("wrap_edit", [], "wrap.view"),
            ("goal_edit", [self.goal.pk], "goal.view"),
        ):
            with self.subTest(name=name):
                before = AuditEvent.objects.count()
                self.assertEqual(self.as_("peer").get(self.url(name, *args)).status_code, 200)
                event = AuditEvent.objects.order_by("id")[before:].get()
                self.assertEqual((event.action, event.purpose), (action, "edit"))


class WrapTests(PlansTestCase):
    def test_every_save_is_a_version_and_versions_compare(self) -> None:
        url = self.url("wrap_edit")
        response = self.as_("peer").post(
            url, wrap_post(1, **CRISIS_TEXT, toolbox="Walks; my dog", note="Added toolbox")
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            list(WrapVersion.objects.order_by("number").values_list("number", flat=True)), [1, 2]
        )
        event = AuditEvent.objects.last()
        self.assertEqual(event.action, "wrap.save")  # type: ignore[union-attr]
        self.assertEqual(event.details["fields"], ["toolbox"])  # type: ignore[union-attr]
        old = self.as_("supervisor").get(self.url("wrap_version", 1))
        self.assertContains(old, "This is an older version.")
        self.assertNotContains(old, "Walks; my dog")
        compare = self.as_("supervisor").get(self.url("wrap_compare") + "?old=1&new=2")
        self.assertContains(compare, "1 answer changed.")
        self.assertContains(compare, "<ins>Walks; my dog</ins>", html=True)
        self.assertEqual(self.as_("peer").get(self.url("wrap_version", 9)).status_code, 404)

    def test_each_part_is_its_own_short_form_and_keeps_the_others(self) -> None:
        url = self.url("wrap_edit")
        page = self.as_("peer").get(url + "?part=triggers").content.decode()
        form = page.split('<form method="post" class="usa-form', 1)[1].split("</form>", 1)[0]
        self.assertEqual(form.count("<textarea"), 2)  # only this part's questions
        self.assertIn('name="crisis_helps"', form)  # the others ride along, hidden
        self.assertIn("?part=crisis", page)  # jump links to every part
        data = wrap_post(1, **CRISIS_TEXT, triggers="Loud crowds")
        data["part"] = "triggers"
        self.assertEqual(self.as_("peer").post(url, data).status_code, 302)
        latest = WrapVersion.objects.order_by("-number").first()
        assert latest is not None
        self.assertEqual(latest.content["triggers"], "Loud crowds")
        for key, text in CRISIS_TEXT.items():
            self.assertEqual(latest.content[key], text)

    def test_saving_without_a_change_creates_nothing_and_says_so(self) -> None:
        url = self.url("wrap_edit")
        saves = AuditEvent.objects.filter(action="wrap.save")
        before = (WrapVersion.objects.count(), saves.count())
        response = self.as_("peer").post(url, wrap_post(1, **CRISIS_TEXT), follow=True)
        self.assertContains(response, "Nothing changed, so no new version was saved.")
        self.assertEqual((WrapVersion.objects.count(), saves.count()), before)
        # A blank WRAP form for a person without a plan, sent as it came, makes no version 1.
        from peerpath.plans.models import WrapPlan

        other = make_client(self.cast.team, care_team=(self.cast.peer,))
        blank = self.as_("peer").post(
            reverse("plans:wrap_edit", args=[other.pk]), wrap_post(0), follow=True
        )
        self.assertContains(blank, "Nothing changed, so no new version was saved.")
        self.assertFalse(WrapVersion.objects.filter(plan__client=other).exists())
        self.assertFalse(WrapPlan.objects.filter(client=other, current_version__gt=0).exists())

    def test_stale_save_is_refused_and_shows_the_other_change(self) -> None:
        url = self.url("wrap_edit")
        theirs = self.as_("peer").post(url, wrap_post(1, **{**CRISIS_TEXT, "crisis_helps": "Tea"}))
        self.assertEqual(theirs.status_code, 302)
        mine = self.as_("peer").post(url, wrap_post(1, **{**CRISIS_TEXT, "crisis_helps": "Coffee"}))
        self.assertEqual(mine.status_code, 409)
        self.assertContains(mine, "Someone else saved changes", status_code=409)
        self.assertContains(mine, "Tea", status_code=409)
        self.assertContains(mine, "Coffee", status_code=409)
        self.assertEqual(WrapVersion.objects.count(), 2)


class WhamImrTests(PlansTestCase):
    def action(self, confidence: int, keep: bool = False) -> dict[str, str]:
        data = {
            "action-week_of": "2026-01-05",
            "action-what": "Walk",
            "action-how_much": "20 minutes",
            "action-when": "After lunch",
            "action-how_often": "3 times",
            "action-confidence": str(confidence),
        }
        if keep:
            data["action-keep_anyway"] = "on"
        return data

    def test_low_confidence_prompts_a_smaller_step(self) -> None:
        url = self.url("wham", self.wham.pk)
        response = self.as_("peer").post(url, self.action(5))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "try a smaller step", status_code=400)
        self.assertFalse(WhamActionPlan.objects.exists())
        self.assertEqual(self.as_("peer").post(url, self.action(5, keep=True)).status_code, 302)
        self.assertEqual(self.as_("peer").post(url, self.action(8)).status_code, 302)
        self.assertEqual(self.as_("peer").post(url, self.action(11)).status_code, 400)
        self.assertEqual(WhamActionPlan.objects.count(), 2)

    def test_log_and_imr_session(self) -> None:
        self.as_("peer").post(
            self.url("wham", self.wham.pk),
            {"log-day": "2026-01-06", "log-did_it": "on", "log-note": "Slept well"},
        )
        self.assertContains(self.as_("peer").get(self.url("wham", self.wham.pk)), "Slept well")
        response = self.as_("peer").post(
            self.url("imr"),
            {"session-module": "3", "session-held_on": "2026-01-06", "session-completed": "on"},
        )
        self.assertEqual(response.status_code, 302)
        page = self.as_("peer").get(self.url("imr"))
        self.assertContains(page, "1 of 11 parts done.")
        self.assertEqual(AuditEvent.objects.filter(action="imr.session").count(), 1)
