"""A peer's self-care is theirs alone: the plan and check-ins are never shown to a supervisor or
manager, except a plan the peer chooses to share with their own supervisor (each read audited);
those who run the agency see check-ins only as averages of groups of at least SURVEY_MIN_GROUP
peers."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from peerpath.core.models import AuditEvent, Role, Staff
from peerpath.testing import CastTestCase, count_queries, make_staff, make_team
from peerpath.workforce import hiring, selfcare
from peerpath.workforce.models import SelfCarePlan, WellbeingCheckin

PLAN = {
    "action": "plan",
    "keeps_me_well": "A walk at lunch",
    "early_signs": "I stop answering texts",
    "what_helps": "Calling my sponsor",
    "who_to_talk_to": "Dana",
}


class SelfCareCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mo Manager")
        Staff.objects.filter(pk=cls.cast.peer.pk).update(supervisor=cls.cast.supervisor)


class PlanIsThePeersAlone(SelfCareCase):
    def test_the_page_is_for_peers_and_starts_empty(self) -> None:
        url = reverse("workforce:self_care")
        page = self.as_("peer").get(url).content.decode()
        form = page.split('id="plan-form"')[1].split("</form>")[0]
        self.assertNotIn("checked", form)
        self.assertNotIn("A walk", form)
        checkin = page.split('id="checkin-form"')[1].split("</form>")[0]
        self.assertNotIn("checked", checkin)
        self.assertEqual(self.as_("clinician").get(url).status_code, 403)
        self.assertEqual(self.as_staff(self.manager).get(url).status_code, 403)
        # A peer of another agency has a page of their own, with nothing of this one's.
        self.as_("peer").post(url, PLAN)
        self.assertNotContains(self.as_("outsider").get(url), "A walk at lunch")

    def test_no_supervisor_reads_a_plan_the_peer_does_not_share(self) -> None:
        self.as_("peer").post(reverse("workforce:self_care"), PLAN)
        plan = SelfCarePlan.objects.get()
        self.assertFalse(plan.shared_with_supervisor)
        url = reverse("workforce:shared_plan", args=[self.cast.peer.pk])
        for http in (self.as_("supervisor"), self.as_staff(self.manager), self.as_("clinician")):
            self.assertEqual(http.get(url).status_code, 404)
        # Nothing of it on the supervisor's pages, nor in the audit trail.
        for name in ("supervision", "fidelity"):
            self.assertNotContains(
                self.as_("supervisor").get(reverse(f"workforce:{name}")), "sponsor"
            )
        self.assertNotIn("sponsor", str(list(AuditEvent.objects.values_list("details", flat=True))))

    def test_a_shared_plan_is_read_by_the_peers_own_supervisor_only_and_audited(self) -> None:
        self.as_("peer").post(
            reverse("workforce:self_care"), {**PLAN, "shared_with_supervisor": "on"}
        )
        url = reverse("workforce:shared_plan", args=[self.cast.peer.pk])
        self.assertContains(self.as_("supervisor").get(reverse("workforce:supervision")), url)
        self.assertContains(self.as_("supervisor").get(url), "Calling my sponsor")
        self.assertEqual(self.as_staff(self.manager).get(url).status_code, 404)
        other = make_staff(self.cast.org, Role.PEER_SUPERVISOR, name="Other Supervisor")
        self.assertEqual(self.as_staff(other).get(url).status_code, 404)
        read = AuditEvent.objects.get(action="self_care.read")
        self.assertEqual(read.actor_id, self.cast.supervisor.pk)
        # The peer turns sharing off: the supervisor no longer reads it.
        self.as_("peer").post(reverse("workforce:self_care"), PLAN)
        self.assertEqual(self.as_("supervisor").get(url).status_code, 404)


class CheckIns(SelfCareCase):
    def test_a_second_check_in_the_same_day_replaces_the_first(self) -> None:
        url = reverse("workforce:self_care")
        self.as_("peer").post(url, {"action": "checkin", "wellbeing": "2", "support": "3"})
        self.as_("peer").post(url, {"action": "checkin", "wellbeing": "4", "support": "5"})
        checkin = WellbeingCheckin.objects.get()
        self.assertEqual((checkin.wellbeing, checkin.support), (4, 5))
        refused = self.as_("peer").post(
            url, {"action": "checkin", "wellbeing": "9", "support": "3"}
        )
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(WellbeingCheckin.objects.get().wellbeing, 4)

    @override_settings(SURVEY_MIN_GROUP=5)
    def test_the_manager_sees_only_groups_of_five_peers_or_more(self) -> None:
        url = reverse("workforce:wellbeing")
        today = timezone.localdate()
        big = make_team(self.cast.program, "Big Team")
        small = make_team(self.cast.program, "Tiny Team")
        peers = [make_staff(self.cast.org, Role.PEER_SPECIALIST, teams=(big,)) for _ in range(5)]
        loner = make_staff(self.cast.org, Role.PEER_SPECIALIST, teams=(small,))
        for n, peer in enumerate(peers[:4]):
            selfcare.checkin(actor=peer, on=today, wellbeing=2 + n % 2, support=4, note="secret")
        page = self.as_staff(self.manager).get(url)
        self.assertContains(page, 'id="too-few"')  # four peers: nothing at all
        selfcare.checkin(actor=peers[4], on=today, wellbeing=5, support=4)
        selfcare.checkin(actor=loner, on=today, wellbeing=1, support=1, note="secret")
        page = self.as_staff(self.manager).get(url)
        table = page.content.decode().split('id="wellbeing-table"')[1].split("</table>")[0]
        # The loner's team alone is too small: the smallest shown group joins it, so
        # the whole shows as one "other teams" group of six and nobody can be picked out.
        self.assertNotIn("Tiny Team", table)
        self.assertNotIn("secret", page.content.decode())
        rows, total = selfcare.team_summary(self.cast.org.pk, today)
        self.assertEqual(total, 6)
        self.assertTrue(all(row.peers >= 5 for row in rows))
        for role in ("peer", "supervisor", "clinician"):
            self.assertEqual(self.as_(role).get(url).status_code, 403)

    def test_the_summary_costs_the_same_queries_for_few_or_many(self) -> None:
        url = reverse("workforce:wellbeing")
        http = self.as_staff(self.manager)
        today = timezone.localdate()
        selfcare.checkin(actor=self.cast.peer, on=today, wellbeing=3, support=3)
        http.get(url)
        with count_queries() as few:
            http.get(url)
        team = make_team(self.cast.program, "Many Team")
        for _ in range(12):
            peer = make_staff(self.cast.org, Role.PEER_SPECIALIST, teams=(team,))
            selfcare.checkin(actor=peer, on=today, wellbeing=3, support=3)
        with count_queries() as many:
            page = http.get(url)
        self.assertEqual(len(many), len(few))
        self.assertContains(page, "<td>13</td>")  # one group: the lone Blue Team peer hides in it


def test_the_tips_read_at_grade_8_or_below() -> None:
    for title, text in selfcare.TIPS:
        grade = hiring.grade_of(f"{title}. {text}")
        assert grade is None or grade <= hiring.GRADE_LIMIT, (str(title), grade)
