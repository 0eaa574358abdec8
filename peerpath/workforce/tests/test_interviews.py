"""Fair hiring, second part: candidates, panels that score on their own and then side by side,
the question bank that protects candidates, the hiring report, peers on each team, and the
purge of candidates not hired. Candidates are personnel data: who may see them, and the trail
every look leaves."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from peerpath.core.models import AuditEvent, Role, TeamMembership
from peerpath.meetings.models import TeamMeeting
from peerpath.testing import CastTestCase, count_queries, make_staff, make_team
from peerpath.workforce import interview_queries, recruiting
from peerpath.workforce.models import (
    Candidate,
    Criterion,
    InterviewQuestion,
    PanelMember,
    Position,
    Scorecard,
)
from peerpath.workforce.strategies import PlanRefused


class HiringCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.cast.org
        cls.manager = make_staff(org, Role.PROGRAM_MANAGER, name="Mo Manager")
        cls.privacy = make_staff(org, Role.PRIVACY_OFFICER, name="Pia Privacy")
        cls.case_manager = make_staff(org, Role.CASE_MANAGER, name="Kai Casework")
        cls.position = Position.objects.create(
            organization=org,
            title="Peer Support Specialist",
            team=cls.cast.team,
            status="open",
            summary="Walk with people on their way.",
            duties=["story"],
            lived_experience=True,
            certification="none",
            supervision="Weekly.",
            experience_counts=["lived", "peer_run"],
            paid_years_required=2,
            hours_per_week=40,
            pay_min=Decimal("25"),
            pay_max=Decimal("29"),
            county="Lane",
            created_by=cls.manager,
        )
        recruiting.criteria_seed(cls.position)
        cls.criteria = list(Criterion.objects.filter(position=cls.position))
        # The panel: the peer supervisor and a case manager.
        recruiting.panel_save(
            actor=cls.manager,
            position=cls.position,
            members=[cls.cast.supervisor, cls.case_manager],
            criteria=[(c.pk, "", c.weight) for c in cls.criteria],
        )

    def add(self, name: str = "Jordan Ellis", **fields: Any) -> Candidate:
        data = {
            "full_name": name,
            "email": "",
            "phone": "",
            "applied_on": timezone.localdate(),
            "paid_years": Decimal("3"),
            "peer_run_years": Decimal("0"),
            "volunteer_years": Decimal("0"),
            "lived_experience": None,
            "certification": "none",
            **fields,
        }
        return recruiting.candidate_add(actor=self.manager, position=self.position, data=data)

    def interviewing(self, name: str = "Jordan Ellis") -> Candidate:
        candidate = self.add(name)
        return recruiting.candidate_move(
            actor=self.manager, candidate=candidate, status=Candidate.Status.INTERVIEW
        )

    def score_post(self, given: tuple[int, ...], action: str = "submit", notes: str = "") -> dict:
        data = {f"c{c.pk}": str(s) for c, s in zip(self.criteria, given, strict=True)}
        return {**data, "notes": notes, "action": action}


class WhoSeesCandidates(HiringCase):
    def test_only_those_who_run_the_agency_and_the_panel_see_a_candidate(self) -> None:
        candidate = self.interviewing()
        for url in (
            reverse("workforce:candidates", args=[self.position.pk]),
            reverse("workforce:candidate", args=[candidate.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.as_staff(self.manager).get(url).status_code, 200)
                self.assertEqual(self.as_("supervisor").get(url).status_code, 200)  # panel
                self.assertEqual(self.as_staff(self.case_manager).get(url).status_code, 200)
                for role in ("peer", "clinician", "peer_client", "outsider"):
                    self.assertEqual(self.as_(role).get(url).status_code, 404, role)
                self.assertEqual(self.as_staff(self.privacy).get(url).status_code, 404)
                self.assertEqual(self.as_("anonymous").get(url).status_code, 302)

    def test_the_panel_and_the_tokenism_page_belong_to_those_who_run_the_agency(self) -> None:
        for url in (
            reverse("workforce:panel", args=[self.position.pk]),
            reverse("workforce:peer_roles"),
        ):
            self.assertEqual(self.as_staff(self.manager).get(url).status_code, 200)
            for role in ("peer", "supervisor", "clinician", "outsider"):
                self.assertEqual(self.as_(role).get(url).status_code, 403, (url, role))
            self.assertEqual(self.as_staff(self.privacy).get(url).status_code, 403)

    def test_the_question_bank_is_for_those_who_run_it_and_interviewers(self) -> None:
        url = reverse("workforce:questions")
        self.assertEqual(self.as_staff(self.manager).get(url).status_code, 200)
        reading = self.as_("supervisor").get(url)  # on a panel: reads, cannot add
        self.assertEqual(reading.status_code, 200)
        self.assertNotContains(reading, 'id="question-form"')
        self.assertEqual(self.as_("supervisor").post(url, {"text": "Why?"}).status_code, 403)
        for role in ("peer", "clinician", "outsider"):
            self.assertEqual(self.as_(role).get(url).status_code, 403, role)

    def test_only_panel_members_score_and_only_managers_add_or_move(self) -> None:
        candidate = self.interviewing()
        url = reverse("workforce:candidate", args=[candidate.pk])
        # The manager is not on the panel: no score form, and a posted score is refused.
        page = self.as_staff(self.manager).get(url)
        self.assertNotContains(page, 'id="score-form"')
        refused = self.as_staff(self.manager).post(url, self.score_post((3, 3, 3, 3, 3)))
        self.assertEqual(refused.status_code, 403)
        # An interviewer cannot add candidates or move them on.
        add = self.as_("supervisor").post(
            reverse("workforce:candidates", args=[self.position.pk]), {"full_name": "X"}
        )
        self.assertEqual(add.status_code, 403)
        move = self.as_("supervisor").post(url, {"action": "move", "status": "withdrew"})
        self.assertEqual(move.status_code, 403)
        self.assertEqual(Candidate.objects.get(pk=candidate.pk).status, "interview")
        self.assertFalse(Scorecard.objects.exists())

    def test_every_look_at_a_candidate_is_in_the_audit_trail(self) -> None:
        first, second = self.add("Ana First"), self.add("Ben Second")
        before = AuditEvent.objects.count()
        self.as_("supervisor").get(reverse("workforce:candidates", args=[self.position.pk]))
        listed = AuditEvent.objects.filter(action="candidate.list").order_by("id")
        self.assertEqual(
            sorted(e.object_id for e in listed), sorted([str(first.pk), str(second.pk)])
        )
        self.assertEqual({e.actor_id for e in listed}, {self.cast.supervisor.pk})
        self.as_("supervisor").get(reverse("workforce:candidate", args=[first.pk]))
        read = AuditEvent.objects.filter(action="candidate.read").get()
        self.assertEqual((read.object_id, read.actor_id), (str(first.pk), self.cast.supervisor.pk))
        self.assertEqual(AuditEvent.objects.count(), before + 3)

    def test_the_candidates_page_costs_the_same_queries_for_3_or_30(self) -> None:
        url = reverse("workforce:candidates", args=[self.position.pk])
        http = self.as_staff(self.manager)
        for n in range(3):
            self.add(f"Early {n}")
        http.get(url)
        with count_queries() as few:
            self.assertEqual(http.get(url).status_code, 200)
        for n in range(27):
            self.add(f"Later {n}")
        with count_queries() as many:
            page = http.get(url)
        self.assertEqual(len(many), len(few))
        # Newest application first, 25 a page: the last added is on the first page.
        self.assertContains(page, "Later 26")
        self.assertNotContains(page, "Early 0")


class ListsStayCheap(HiringCase):
    def test_the_interviews_page_costs_the_same_queries_for_2_or_20_waiting(self) -> None:
        url = reverse("workforce:interviews")
        http = self.as_("supervisor")
        for n in range(2):
            self.interviewing(f"First {n}")
        http.get(url)
        with count_queries() as few:
            http.get(url)
        for n in range(18):
            self.interviewing(f"Then {n}")
        with count_queries() as many:
            page = http.get(url)
        self.assertEqual(len(many), len(few))
        self.assertEqual(page.content.decode().count('href="/agency/candidates/'), 20)

    def test_the_question_bank_costs_the_same_queries_for_few_or_many(self) -> None:
        url = reverse("workforce:questions")
        http = self.as_staff(self.manager)
        http.get(url)
        with count_queries() as few:
            http.get(url)
        for n in range(15):
            recruiting.question_add(actor=self.manager, text=f"Tell us about your work, part {n}.")
        with count_queries() as many:
            page = http.get(url)
        self.assertEqual(len(many), len(few))
        self.assertContains(page, "part 14.")


class BlindScoring(HiringCase):
    def test_an_interviewer_sees_nobody_elses_scores_until_they_submit_their_own(self) -> None:
        candidate = self.interviewing()
        url = reverse("workforce:candidate", args=[candidate.pk])
        dana, kai = self.as_("supervisor"), self.as_staff(self.case_manager)
        response = dana.post(url, self.score_post((5, 4, 4, 5, 3), notes="Warm, clear story."))
        self.assertEqual(response.status_code, 302)
        # Kai has not submitted: no scores of Dana's, no notes, no side-by-side.
        page = kai.get(url)
        self.assertContains(page, 'id="score-form"')
        self.assertNotContains(page, 'id="side-by-side"')
        self.assertNotContains(page, "Warm, clear story.")
        # A draft keeps Kai's scores to Kai and still shows nothing of Dana's.
        kai.post(url, self.score_post((4, 4, 5, 4, 3), action="draft", notes="Kai draft"))
        page = kai.get(url)
        self.assertNotContains(page, 'id="side-by-side"')
        self.assertContains(page, "Kai draft")
        self.assertNotContains(dana.get(url), "Kai draft")  # Dana sees only submitted cards
        # Kai submits: both columns side by side, with the weighted scores.
        kai.post(url, self.score_post((4, 4, 5, 4, 3)))
        page = kai.get(url).content.decode()
        self.assertIn('id="side-by-side"', page)
        self.assertIn(self.cast.supervisor.full_name, page)
        self.assertIn(self.case_manager.full_name, page)
        self.assertIn("Warm, clear story.", page)
        # Dana: (5*3 + 4*3 + 4*2 + 5*2 + 3*1) / 11 = 4.36; Kai 4.09; together 4.22.
        self.assertIn("4.36", page)
        self.assertIn("4.09", page)
        self.assertIn("4.22", page)

    def test_a_submitted_card_needs_every_score_and_never_changes(self) -> None:
        candidate = self.interviewing()
        url = reverse("workforce:candidate", args=[candidate.pk])
        partial = self.score_post((5, 4, 4, 5, 3))
        del partial[f"c{self.criteria[0].pk}"]
        refused = self.as_("supervisor").post(url, partial)
        self.assertEqual(refused.status_code, 400)
        self.assertContains(refused, "Score every criterion before you submit", status_code=400)
        self.assertFalse(Scorecard.objects.exists())
        self.as_("supervisor").post(url, self.score_post((5, 4, 4, 5, 3)))
        with self.assertRaises(PlanRefused):
            recruiting.scorecard_save(
                actor=self.cast.supervisor,
                candidate=candidate,
                scores={c.pk: 1 for c in self.criteria},
                notes="",
                submit=True,
            )
        card = Scorecard.objects.get()
        self.assertEqual(card.scores[str(self.criteria[0].pk)], 5)

    def test_a_score_outside_1_to_5_is_refused(self) -> None:
        candidate = self.interviewing()
        with self.assertRaises(PlanRefused):
            recruiting.scorecard_save(
                actor=self.cast.supervisor,
                candidate=candidate,
                scores={self.criteria[0].pk: 6},
                notes="",
                submit=False,
            )
        self.assertFalse(Scorecard.objects.exists())

    def test_the_decision_waits_for_two_submitted_cards_and_needs_a_reason(self) -> None:
        candidate = self.interviewing()
        url = reverse("workforce:candidate", args=[candidate.pk])
        self.as_("supervisor").post(url, self.score_post((5, 4, 4, 5, 3)))
        page = self.as_("supervisor").get(url)
        self.assertNotContains(page, 'id="decision-form"')
        with self.assertRaises(PlanRefused):
            recruiting.decide(actor=self.manager, candidate=candidate, hired=True, reason="ok")
        self.as_staff(self.case_manager).post(url, self.score_post((4, 4, 5, 4, 3)))
        no_reason = self.as_("supervisor").post(
            url, {"action": "decide", "decision": "hire", "reason": ""}
        )
        self.assertEqual(no_reason.status_code, 400)
        self.assertEqual(Candidate.objects.get(pk=candidate.pk).status, "interview")
        done = self.as_("supervisor").post(
            url, {"action": "decide", "decision": "hire", "reason": "Strongest on every point."}
        )
        self.assertEqual(done.status_code, 302)
        decided = Candidate.objects.get(pk=candidate.pk)
        self.assertEqual(
            (decided.status, decided.reason, decided.decided_by),
            ("hired", "Strongest on every point.", self.cast.supervisor),
        )
        self.assertTrue(AuditEvent.objects.filter(action="candidate.decide").exists())

    def test_the_interviewer_is_told_on_my_day_how_many_wait_for_their_scores(self) -> None:
        self.interviewing("Ana First")
        second = self.interviewing("Ben Second")
        recruiting.scorecard_save(
            actor=self.case_manager,
            candidate=second,
            scores={c.pk: 3 for c in self.criteria},
            notes="",
            submit=True,
        )
        self.assertContains(
            self.as_("supervisor").get("/"), "2 candidates are waiting for your scores."
        )
        self.assertContains(
            self.as_staff(self.case_manager).get("/"), "1 candidate is waiting for your scores."
        )
        self.assertNotContains(self.as_("peer").get("/"), "waiting for your scores")


class Panels(HiringCase):
    def test_a_panel_needs_two_interviewers(self) -> None:
        url = reverse("workforce:panel", args=[self.position.pk])
        data = {"members": [self.cast.supervisor.pk]}
        for n, c in enumerate(self.criteria):
            data.update({f"label_{n}": recruiting.criterion_label(c), f"weight_{n}": c.weight})
        response = self.as_staff(self.manager).post(url, data)
        self.assertContains(response, "at least two interviewers", status_code=400)
        self.assertEqual(PanelMember.objects.filter(position=self.position).count(), 2)

    def test_a_panel_without_a_peer_is_saved_with_a_warning(self) -> None:
        url = reverse("workforce:panel", args=[self.position.pk])
        data: dict[str, Any] = {"members": [self.cast.clinician.pk, self.case_manager.pk]}
        for n, c in enumerate(self.criteria):
            data.update({f"label_{n}": recruiting.criterion_label(c), f"weight_{n}": c.weight})
        response = self.as_staff(self.manager).post(url, data)
        self.assertEqual(response.status_code, 302)
        warned = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertIn(
            "No interviewer on this panel is a peer. Add one: peers know peer work.", warned
        )
        self.assertEqual(
            set(PanelMember.objects.filter(position=self.position).values_list("staff", flat=True)),
            {self.cast.clinician.pk, self.case_manager.pk},
        )
        self.assertContains(self.as_staff(self.manager).get(url), 'id="no-peer"')

    def test_the_agency_weighs_its_own_criteria_until_scores_are_submitted(self) -> None:
        url = reverse("workforce:panel", args=[self.position.pk])
        data: dict[str, Any] = {"members": [self.cast.supervisor.pk, self.case_manager.pk]}
        data.update({"label_0": "Knows the local recovery community", "weight_0": "5"})
        self.as_staff(self.manager).post(url, data)
        kept = list(Criterion.objects.filter(position=self.position))
        self.assertEqual(
            [(recruiting.criterion_label(c), c.weight) for c in kept],
            [("Knows the local recovery community", 5)],
        )
        candidate = self.interviewing()
        recruiting.scorecard_save(
            actor=self.cast.supervisor,
            candidate=candidate,
            scores={kept[0].pk: 4},
            notes="",
            submit=True,
        )
        data.update({"weight_0": "1"})
        locked = self.as_staff(self.manager).post(url, data)
        self.assertContains(locked, "can no longer change", status_code=400)
        self.assertEqual(Criterion.objects.get(pk=kept[0].pk).weight, 5)


class QuestionBank(HiringCase):
    def test_questions_about_health_history_are_refused_with_lawful_alternatives(self) -> None:
        url = reverse("workforce:questions")
        http = self.as_staff(self.manager)
        http.get(url)  # the bank starts with PeerPath's questions
        before = InterviewQuestion.objects.count()
        self.assertGreater(before, 0)
        for question in (
            "What medications are you taking right now?",
            "Have you ever been hospitalized for your mental health?",
            "What is your diagnosis?",
            "How long have you been in treatment?",
            "¿Qué medicamentos toma?",
            "¿Ha estado hospitalizado alguna vez?",
        ):
            with self.subTest(question=question):
                response = http.post(url, {"text": question})
                self.assertContains(response, "may not be asked", status_code=400)
                self.assertContains(response, "Questions you can ask instead", status_code=400)
        self.assertEqual(InterviewQuestion.objects.count(), before)
        ok = http.post(url, {"text": "Tell us about a time you helped someone find housing."})
        self.assertEqual(ok.status_code, 302)
        self.assertContains(http.get(url), "Tell us about a time you helped someone find housing.")

    def test_the_shipped_questions_pass_the_check_in_both_languages(self) -> None:
        from django.utils import translation

        for code in ("en", "es"):
            with translation.override(code):
                for key, text in recruiting.QUESTIONS.items():
                    self.assertIsNone(recruiting.question_problem(str(text)), (code, key))
                for text in recruiting.ALTERNATIVES:
                    self.assertIsNone(recruiting.question_problem(str(text)), code)

    def test_a_question_taken_out_leaves_the_bank(self) -> None:
        question = recruiting.question_add(actor=self.manager, text="What brings you here?")
        url = reverse("workforce:question_retire", args=[question.pk])
        self.assertEqual(self.as_("supervisor").post(url).status_code, 403)
        self.assertEqual(self.as_staff(self.manager).post(url).status_code, 302)
        self.assertNotContains(
            self.as_staff(self.manager).get(reverse("workforce:questions")), "What brings you"
        )


class HiringReport(HiringCase):
    def test_the_report_names_those_screened_out_only_by_the_paid_work_rule(self) -> None:
        # Two years asked; peer-run work counts for this position, volunteer work does not.
        counted = self.add("Avery Peer-run", paid_years=Decimal("0.5"), peer_run_years=Decimal("2"))
        short = self.add("Blake Short", paid_years=Decimal("0"), volunteer_years=Decimal("5"))
        other = self.add("Cam Other", paid_years=Decimal("0"))
        for candidate in (counted, short):
            recruiting.candidate_move(
                actor=self.manager,
                candidate=candidate,
                status=Candidate.Status.SCREENED_OUT,
                screen_reason=Candidate.ScreenReason.PAID_YEARS,
            )
        recruiting.candidate_move(
            actor=self.manager,
            candidate=other,
            status=Candidate.Status.SCREENED_OUT,
            screen_reason=Candidate.ScreenReason.INCOMPLETE,
        )
        rows = {
            c.full_name: (years, meets)
            for c, years, meets in recruiting.paid_rule_only(self.position)
        }
        self.assertEqual(
            rows,
            {"Avery Peer-run": (Decimal("2.5"), True), "Blake Short": (Decimal("0"), False)},
        )
        page = self.as_staff(self.manager).get(
            reverse("workforce:candidates", args=[self.position.pk])
        )
        report = page.content.decode().split('id="paid-rule"')[1].split("</table>")[0]
        self.assertIn("Avery Peer-run", report)
        self.assertIn("meets the requirement", report)
        self.assertNotIn("Cam Other", report)

    def test_the_paid_work_rule_cannot_screen_out_someone_who_meets_it(self) -> None:
        enough = self.add(paid_years=Decimal("2"))
        with self.assertRaises(PlanRefused):
            recruiting.candidate_move(
                actor=self.manager,
                candidate=enough,
                status=Candidate.Status.SCREENED_OUT,
                screen_reason=Candidate.ScreenReason.PAID_YEARS,
            )
        self.assertEqual(Candidate.objects.get(pk=enough.pk).status, "applied")

    def test_a_position_below_the_living_wage_is_flagged_in_the_report(self) -> None:
        from peerpath.workforce.models import LivingWage

        LivingWage.objects.create(
            organization=self.cast.org, county="Lane", household="1a", hourly=Decimal("26.00")
        )
        page = self.as_staff(self.manager).get(
            reverse("workforce:candidates", args=[self.position.pk])
        )
        self.assertContains(page, 'id="report-wage"')
        self.assertContains(page, "below the living wage in Lane ($26.00)")

    def test_a_new_candidate_form_starts_unanswered_and_refuses_a_future_date(self) -> None:
        url = reverse("workforce:candidates", args=[self.position.pk])
        page = self.as_staff(self.manager).get(url).content.decode()
        form = page.split('id="candidate-form"')[1].split("</form>")[0]
        self.assertNotIn("checked", form)
        response = self.as_staff(self.manager).post(
            url,
            {
                "full_name": "Future Person",
                "applied_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
                "paid_years": "1",
                "peer_run_years": "0",
                "volunteer_years": "0",
                "lived_experience": "unsaid",
                "certification": "none",
            },
        )
        self.assertContains(response, "The application date is in the future.", status_code=400)
        self.assertFalse(Candidate.objects.filter(full_name="Future Person").exists())


class PeersOnEachTeam(HiringCase):
    def test_the_page_counts_peers_leaders_meetings_and_supervision_per_team(self) -> None:
        org = self.cast.org
        # Blue Team (the cast's): Pat Peer and Sky Supervisor (a peer supervisor who leads it).
        # Pat reports to Sky (a peer); Sky reports to nobody.
        self.cast.peer.supervisor = self.cast.supervisor
        self.cast.peer.save()
        lone = make_team(self.cast.program, "Orange Team")
        make_staff(org, Role.PEER_SPECIALIST, name="Lou Lone", teams=(lone,))
        make_staff(org, Role.CLINICIAN, name="Cy Clinic", teams=(lone,))
        now = timezone.now()
        with_peer = TeamMeeting.objects.create(
            organization=org,
            team=self.cast.team,
            kind="huddle",
            starts_at=now,
            created_by=self.manager,
        )
        with_peer.attendees.add(self.cast.peer)
        without = TeamMeeting.objects.create(
            organization=org,
            team=self.cast.team,
            kind="huddle",
            starts_at=now - timedelta(days=1),
            created_by=self.manager,
        )
        without.attendees.add(self.cast.clinician)
        TeamMeeting.objects.create(  # too long ago to count
            organization=org,
            team=self.cast.team,
            kind="huddle",
            starts_at=now - timedelta(days=200),
            created_by=self.manager,
        )
        teams = {t.name: t for t in interview_queries.peer_roles(org.pk, timezone.localdate())}
        blue, orange = teams["Blue Team"], teams["Orange Team"]
        self.assertEqual((blue.staff, blue.peers, blue.peer_leaders), (2, 2, 1))
        self.assertEqual((blue.meetings, blue.meetings_with_peer), (2, 1))
        self.assertEqual(blue.without_peer_supervisor, ["Sky Supervisor"])
        self.assertEqual((orange.peers, orange.single, orange.share), (1, True, 0.5))
        self.assertEqual(orange.without_peer_supervisor, ["Lou Lone"])
        self.assertEqual(orange.gaps, ["peer_cohort", "supervision"])
        self.assertIn("team_meetings", blue.gaps)
        page = self.as_staff(self.manager).get(reverse("workforce:peer_roles"))
        self.assertContains(page, "1 of 2 (50 %)")
        self.assertContains(page, "No peer alone on a team")
        self.assertContains(page, "1 peer is in a supervisory or leadership role.")

    def test_the_page_costs_the_same_queries_for_2_or_12_teams(self) -> None:
        url = reverse("workforce:peer_roles")
        http = self.as_staff(self.manager)
        http.get(url)
        with count_queries() as few:
            http.get(url)
        for n in range(10):
            team = make_team(self.cast.program, f"Extra {n}")
            make_staff(self.cast.org, Role.PEER_SPECIALIST, teams=(team,))
        with count_queries() as many:
            http.get(url)
        self.assertEqual(len(many), len(few))
        self.assertEqual(TeamMembership.objects.filter(team__name__startswith="Extra").count(), 10)


@override_settings(CANDIDATE_RETENTION_DAYS=365)
class Purge(HiringCase):
    def test_candidates_not_hired_are_purged_after_the_retention_period(self) -> None:
        today = timezone.localdate()
        old = self.interviewing("Old Not Hired")
        recruiting.scorecard_save(
            actor=self.cast.supervisor,
            candidate=old,
            scores={c.pk: 3 for c in self.criteria},
            notes="",
            submit=True,
        )
        Candidate.objects.filter(pk=old.pk).update(
            status="not_hired", closed_on=today - timedelta(days=400)
        )
        recent = self.add("Recent Withdrew")
        Candidate.objects.filter(pk=recent.pk).update(
            status="withdrew", closed_on=today - timedelta(days=30)
        )
        hired = self.add("Long Hired")
        Candidate.objects.filter(pk=hired.pk).update(
            status="hired", closed_on=today - timedelta(days=900)
        )
        out = StringIO()
        call_command("purge_candidates", stdout=out)
        self.assertIn("Purged 1 candidate record(s)", out.getvalue())
        self.assertEqual(
            set(Candidate.objects.values_list("full_name", flat=True)),
            {"Recent Withdrew", "Long Hired"},
        )
        self.assertFalse(Scorecard.objects.filter(candidate_id=old.pk).exists())
        event = AuditEvent.objects.filter(action="candidate.purge").get()
        self.assertEqual(event.details["candidates"], 1)
        self.assertNotIn("Old Not Hired", str(event.details))
        # Run again: nothing more to purge, and no new event.
        call_command("purge_candidates", stdout=StringIO())
        self.assertEqual(AuditEvent.objects.filter(action="candidate.purge").count(), 1)

    def test_the_command_refuses_a_retention_under_30_days(self) -> None:
        err = StringIO()
        with self.assertRaises(SystemExit) as exit_:
            call_command("purge_candidates", "--days", "5", stderr=err)
        self.assertEqual(exit_.exception.code, 2)
        self.assertIn("at least 30 days", err.getvalue())
