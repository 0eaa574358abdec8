"""The agency area: who may use it, programs and teams, inviting staff, the one-time link,
ending and restoring someone's work, and the agency's settings."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from peerpath.core import agency
from peerpath.core.models import (
    AuditEvent,
    Invitation,
    Organization,
    Program,
    Role,
    Staff,
    Team,
    TeamMembership,
)
from peerpath.testing import ROLES, CastTestCase, make_staff, query_count

PASSWORD = "a long new password 2026"


def link_in(message: str) -> str:
    found = re.search(r"https?://\S+/account/invitation/\S+/", message)
    assert found, message
    return found.group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


class AgencyTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = make_staff(cls.cast.org, Role.PROGRAM_MANAGER, name="Mona Manager")
        cls.other_manager = make_staff(
            cls.cast.other_org, Role.PROGRAM_MANAGER, name="Otis Othermanager"
        )

    def urls(self) -> list[str]:
        membership = TeamMembership.objects.filter(team=self.cast.team).first()
        assert membership is not None
        return [
            reverse("agency:home"),
            reverse("agency:programs"),
            reverse("agency:program_new"),
            reverse("agency:program", args=[self.cast.program.pk]),
            reverse("agency:teams"),
            reverse("agency:team_new"),
            reverse("agency:team", args=[self.cast.team.pk]),
            reverse("agency:staff"),
            reverse("agency:staff_invite"),
            reverse("agency:staff_member", args=[self.cast.peer.pk]),
            reverse("agency:settings"),
            reverse("clients:staff_end_work", args=[self.cast.peer.pk]),
            reverse("agency:imports"),
            reverse("agency:import_template", args=["people"]),
            reverse("agency:import", args=[self.import_job().pk]),
        ]

    def import_job(self):  # type: ignore[no-untyped-def]
        from peerpath.core.models import ImportJob

        return ImportJob.objects.get_or_create(
            organization=self.cast.org, kind="people", file_name="people.csv"
        )[0]


class AgencyAccessTests(AgencyTestCase):
    def test_only_those_who_run_the_agency_get_in(self) -> None:
        for url in self.urls():
            for role in ROLES:
                with self.subTest(url=url, role=role):
                    response = self.as_(role).get(url)
                    if role == "anonymous":
                        self.assertEqual(response.status_code, 302)
                        self.assertIn(reverse("core:login"), response["Location"])
                    else:
                        self.assertEqual(response.status_code, 403)
            with self.subTest(url=url, role="manager"):
                self.assertEqual(self.as_staff(self.manager).get(url).status_code, 200)

    def test_another_agencys_manager_finds_nothing_of_this_one(self) -> None:
        http = self.as_staff(self.other_manager)
        for url in self.urls()[3:]:
            if "/programs/new" in url or url.endswith(
                ("/teams/new/", "/invite/", "/staff/", "/settings/", "/teams/", "/imports/", ".csv")
            ):
                continue
            with self.subTest(url=url):
                self.assertEqual(http.get(url).status_code, 404)
        response = http.get(reverse("agency:staff"))
        self.assertNotContains(response, "Pat Peer")
        self.assertNotContains(response, "Mona Manager")

    def test_the_agency_can_let_another_role_run_it(self) -> None:
        org = self.cast.org
        org.agency_admin_roles = ["peer_supervisor"]
        org.save()
        self.assertEqual(self.as_("supervisor").get(reverse("agency:home")).status_code, 200)
        self.assertEqual(self.as_("peer").get(reverse("agency:home")).status_code, 403)
        nav = self.as_("supervisor").get(reverse("clients:my_day"))
        self.assertContains(nav, reverse("agency:home"))

    def test_the_program_team_and_import_lists_cost_the_same_small_and_large(self) -> None:
        from peerpath.core.models import ImportJob

        http = self.as_staff(self.manager)
        urls = [reverse("agency:programs"), reverse("agency:teams"), reverse("agency:imports")]
        for url in urls:
            http.get(url)
        small = {url: query_count(lambda u=url: http.get(u)) for url in urls}
        for n in range(30):
            program = Program.objects.create(organization=self.cast.org, name=f"Program {n}")
            team = Team.objects.create(organization=self.cast.org, program=program, name=f"T{n}")
            make_staff(self.cast.org, teams=(team,), supervises=(team,))
            ImportJob.objects.create(
                organization=self.cast.org, kind="people", file_name=f"{n}.csv"
            )
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(small[url], query_count(lambda u=url: http.get(u)))

    def test_the_staff_list_costs_the_same_at_5_and_60_staff(self) -> None:
        http = self.as_staff(self.manager)
        url = reverse("agency:staff")
        http.get(url)
        small = query_count(lambda: http.get(url))
        for _ in range(60):
            make_staff(self.cast.org, teams=(self.cast.team,))
        self.assertEqual(small, query_count(lambda: http.get(url)))
        self.assertEqual(len(http.get(url).context["page"].items), 50)


class ProgramsAndTeamsTests(AgencyTestCase):
    def test_a_manager_adds_a_program_and_a_team_with_a_supervisor(self) -> None:
        http = self.as_staff(self.manager)
        http.post(reverse("agency:program_new"), {"name": "Crisis Respite", "kind": "crisis"})
        program = Program.objects.get(organization=self.cast.org, name="Crisis Respite")
        response = http.post(
            reverse("agency:team_new"), {"name": "Respite Team", "program": program.pk}
        )
        team = Team.objects.get(name="Respite Team")
        self.assertRedirects(response, reverse("agency:team", args=[team.pk]))
        http.post(
            reverse("agency:team", args=[team.pk]),
            {"form": "member", "member-staff": self.cast.peer.pk, "member-supervises": "on"},
        )
        membership = TeamMembership.objects.get(team=team, staff=self.cast.peer)
        self.assertTrue(membership.is_supervisor)
        http.post(
            reverse("agency:team_member", args=[team.pk, membership.pk]), {"change": "member"}
        )
        membership.refresh_from_db()
        self.assertFalse(membership.is_supervisor)
        http.post(
            reverse("agency:team_member", args=[team.pk, membership.pk]), {"change": "remove"}
        )
        self.assertFalse(TeamMembership.objects.filter(pk=membership.pk).exists())
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        self.assertTrue({"program.create", "team.create", "team.member_add"} <= actions)
        self.assertIn("team.member_remove", actions)

    def test_a_second_program_with_the_same_name_is_refused_in_words(self) -> None:
        response = self.as_staff(self.manager).post(
            reverse("agency:program_new"), {"name": "adult recovery", "kind": "other"}
        )
        self.assertContains(response, "A program with this name exists.")
        self.assertEqual(Program.objects.filter(organization=self.cast.org).count(), 2)

    def test_a_team_cannot_take_another_agencys_program(self) -> None:
        elsewhere = Program.objects.filter(organization=self.cast.other_org).first()
        response = self.as_staff(self.manager).post(
            reverse("agency:team_new"), {"name": "Sneaky", "program": elsewhere.pk}
        )
        self.assertIn("program", response.context["form"].errors)
        self.assertFalse(Team.objects.filter(name="Sneaky").exists())


class InvitationTests(AgencyTestCase):
    def invite(self, **changes: object):  # type: ignore[no-untyped-def]
        data = {
            "full_name": "Nia Newpeer",
            "email": "Nia.Newpeer@example.org",
            "role": "peer_specialist",
            "title": "Peer Recovery Coach",
            "teams": [self.cast.team.pk],
            "supervisor": self.cast.supervisor.pk,
            "language": "en",
        }
        data.update(changes)
        with self.captureOnCommitCallbacks(execute=True):
            return self.as_staff(self.manager).post(reverse("agency:staff_invite"), data)

    def test_the_invitee_gets_a_one_time_link_that_is_stored_only_hashed(self) -> None:
        response = self.invite()
        staff = Staff.objects.get(email="nia.newpeer@example.org")
        self.assertRedirects(response, reverse("agency:staff_member", args=[staff.pk]))
        self.assertFalse(staff.has_usable_password())
        self.assertEqual(staff.supervisor, self.cast.supervisor)
        self.assertTrue(TeamMembership.objects.filter(staff=staff, team=self.cast.team).exists())
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["nia.newpeer@example.org"])
        link = link_in(mail.outbox[0].body)
        token = link.rstrip("/").rsplit("/", 1)[1]
        invitation = Invitation.objects.get(staff=staff)
        self.assertNotEqual(invitation.token_hash, token)
        self.assertNotIn(token, str(list(AuditEvent.objects.values_list("details", flat=True))))
        self.assertEqual(invitation.expires_at - invitation.created_at, timedelta(hours=72))
        # Nobody can sign in before choosing a password.
        refused = HttpClient().post(
            reverse("core:login"), {"username": staff.email, "password": "anything at all"}
        )
        self.assertEqual(refused.status_code, 200, refused.get("Location"))

        # The link: choose a password, signed in; then the link never works again.
        http = HttpClient()
        page = http.get(path_of(link))
        self.assertContains(page, "Nia Newpeer")
        weak = http.post(path_of(link), {"new_password1": "short", "new_password2": "short"})
        self.assertEqual(weak.status_code, 200)
        self.assertIn("new_password2", weak.context["form"].errors)
        done = http.post(path_of(link), {"new_password1": PASSWORD, "new_password2": PASSWORD})
        self.assertRedirects(done, reverse("clients:my_day"), fetch_redirect_response=False)
        self.assertEqual(http.get(reverse("clients:my_day")).status_code, 200)
        again = HttpClient().get(path_of(link))
        self.assertEqual(again.status_code, 410)
        self.assertContains(again, "This link no longer works", status_code=410)
        signed_in = HttpClient().post(
            reverse("core:login"), {"username": staff.email, "password": PASSWORD}
        )
        self.assertEqual(signed_in.status_code, 302)

    def test_a_link_expires_after_72_hours(self) -> None:
        self.invite()
        link = link_in(mail.outbox[0].body)
        with time_machine.travel(timezone.now() + timedelta(hours=72, minutes=1)):
            response = HttpClient().post(
                path_of(link), {"new_password1": PASSWORD, "new_password2": PASSWORD}
            )
        self.assertEqual(response.status_code, 410)
        self.assertFalse(Staff.objects.get(email="nia.newpeer@example.org").has_usable_password())

    def test_a_new_link_cancels_the_old_one_and_a_cancelled_link_is_dead(self) -> None:
        self.invite()
        staff = Staff.objects.get(email="nia.newpeer@example.org")
        first = link_in(mail.outbox[0].body)
        with self.captureOnCommitCallbacks(execute=True):
            self.as_staff(self.manager).post(reverse("agency:invite_again", args=[staff.pk]))
        second = link_in(mail.outbox[1].body)
        self.assertEqual(HttpClient().get(path_of(first)).status_code, 410)
        self.assertEqual(HttpClient().get(path_of(second)).status_code, 200)
        self.as_staff(self.manager).post(reverse("agency:revoke", args=[staff.pk]))
        self.assertEqual(HttpClient().get(path_of(second)).status_code, 410)

    def test_an_email_already_in_use_is_refused_and_nothing_is_written(self) -> None:
        response = self.invite(email=self.cast.peer.email.upper())
        self.assertIn("email", response.context["form"].errors)
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(Invitation.objects.count(), 0)

    def test_an_unknown_link_says_it_no_longer_works(self) -> None:
        response = HttpClient().get(reverse("core:accept_invitation", args=["x" * 43]))
        self.assertEqual(response.status_code, 410)

    def test_the_invitation_email_is_in_the_invitees_language(self) -> None:
        self.invite(language="es")
        self.assertIn("contraseña", mail.outbox[0].body)


class StaffChangesTests(AgencyTestCase):
    def test_a_manager_changes_a_role_but_not_their_own(self) -> None:
        http = self.as_staff(self.manager)
        url = reverse("agency:staff_member", args=[self.cast.peer.pk])
        http.post(url, {"full_name": "Pat Peer", "role": "case_manager", "title": ""})
        self.cast.peer.refresh_from_db()
        self.assertEqual(self.cast.peer.role, "case_manager")
        own = http.post(
            reverse("agency:staff_member", args=[self.manager.pk]),
            {"full_name": "Mona Manager", "role": "privacy_officer", "title": ""},
        )
        self.assertIn("role", own.context["form"].errors)
        self.manager.refresh_from_db()
        self.assertEqual(self.manager.role, "program_manager")

    def test_settings_choose_who_takes_people_in(self) -> None:
        self.as_staff(self.manager).post(
            reverse("agency:settings"),
            {"intake_roles": ["peer_specialist", "clinician"], "agency_admin_roles": []},
        )
        org = Organization.objects.get(pk=self.cast.org.pk)
        self.assertEqual(org.intake_roles, ["clinician", "peer_specialist"])
        self.assertEqual(self.as_("clinician").get(reverse("clients:new")).status_code, 200)
        self.assertEqual(self.as_("supervisor").get(reverse("clients:new")).status_code, 403)


class CreateOrganizationCommandTests(CastTestCase):
    def test_it_creates_the_agency_and_prints_the_managers_link(self) -> None:
        from io import StringIO

        out = StringIO()
        call_command(
            "createorganization",
            "Lakeside Peer Services",
            "lakeside",
            "Lee@Lakeside.example",
            "--manager-name=Lee Lake",
            stdout=out,
        )
        org = Organization.objects.get(slug="lakeside")
        manager = Staff.objects.get(email="lee@lakeside.example")
        self.assertEqual((manager.organization, manager.role), (org, Role.PROGRAM_MANAGER))
        link = link_in(out.getvalue())
        self.assertEqual(HttpClient().get(path_of(link)).status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(organization=org, action="staff.invite"))

    def test_a_taken_short_name_is_refused(self) -> None:
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "short name"):
            call_command("createorganization", "Again", self.cast.org.slug, "x@example.org")
        with self.assertRaises(CommandError):
            call_command("createorganization", "Bad", "not a slug", "x@example.org")
        self.assertFalse(Staff.objects.filter(email="x@example.org").exists())

    def test_agency_create_refuses_a_used_slug(self) -> None:
        with self.assertRaises(agency.AgencyError):
            agency.organization_create(name="X", slug=self.cast.org.slug)
