"""The Riverbend demo agency: its shape, and loading twice changes nothing."""

from __future__ import annotations

from io import StringIO

from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from peerpath.clients.models import Client
from peerpath.core.models import Organization, Role, Staff, TeamMembership
from peerpath.demo import agency


def snapshot() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "contenttypes", "auth", "admin"}
    }


class DemoAgencyTests(TestCase):
    def test_shape(self) -> None:
        org = agency.load()
        self.assertEqual(org.name, "Riverbend Community Mental Health")
        # The foundation's agency; later capabilities add to it (e.g. a rural program).
        names = set(org.programs.values_list("name", flat=True))
        self.assertLessEqual({"Adult Recovery Services", "Pathways Substance Use Program"}, names)
        teams = set(org.teams.values_list("name", flat=True))
        self.assertLessEqual({"North Recovery Team", "South Recovery Team", "Pathways Team"}, teams)
        emails = {person.email for person in agency.STAFF}
        self.assertEqual(len(emails), 8)
        self.assertEqual(Staff.objects.filter(organization=org, email__in=emails).count(), 8)
        clients = Client.objects.filter(organization=org)
        self.assertGreaterEqual(clients.count(), 40)
        self.assertFalse(clients.filter(care_team__isnull=True).exists())
        # Two peer specialists on one team: no token peer.
        north = org.teams.get(name="North Recovery Team")
        peers_on_north = TeamMembership.objects.filter(team=north, staff__role=Role.PEER_SPECIALIST)
        self.assertEqual(peers_on_north.count(), 2)
        # A supervisor, a clinician on another team, a peer who is a client in another program.
        self.assertTrue(TeamMembership.objects.filter(team=north, is_supervisor=True).exists())
        clinician = Staff.objects.get(email="priya.shah@riverbend.example")
        self.assertEqual(clinician.role, Role.CLINICIAN)
        self.assertFalse(clinician.team_memberships.filter(team=north).exists())
        sam = Staff.objects.get(email="sam.rivera@riverbend.example")
        record = sam.client_record
        work_programs = {m.team.program_id for m in sam.team_memberships.select_related("team")}
        served_in = set(record.enrollments.values_list("program_id", flat=True))
        self.assertTrue(served_in)
        # Served in a program he does not work in (a later exception may add one he does).
        self.assertTrue(served_in - work_programs)

    def test_loading_twice_changes_nothing(self) -> None:
        agency.load()
        before = snapshot()
        agency.load()
        self.assertEqual(snapshot(), before)
        self.assertEqual(Organization.objects.filter(slug=agency.SLUG).count(), 1)

    @override_settings(DEBUG=True)
    def test_command_loads_and_prints_logins(self) -> None:
        out = StringIO()
        call_command("demo", "--no-serve", stdout=out)
        self.assertIn("Loaded Riverbend", out.getvalue())
        self.assertIn("maria.lopez@riverbend.example", out.getvalue())
        again = StringIO()
        call_command("demo", "--no-serve", stdout=again)
        self.assertIn("already loaded; nothing changed", again.getvalue())

    @override_settings(DEBUG=False)
    def test_command_refuses_without_debug(self) -> None:
        with self.assertRaisesMessage(CommandError, "only with DEBUG=true"):
            call_command("demo", "--no-serve", stdout=StringIO())


class ReadmeMatchesTheDemoTests(TestCase):
    """The README's demo section is a promise: its logins, programs, teams and numbers."""

    WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

    def test_logins_programs_teams_and_people(self) -> None:
        import re
        from pathlib import Path

        readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
        org = agency.load()
        logins = set(re.findall(r"\| `([a-z.]+@riverbend\.example)` \|", readme))
        # Everyone who can sign in is a login; someone invited who has not yet chosen a password
        # is named as invited.
        members = Staff.objects.filter(organization=org)
        invited = members.filter(password__startswith="!")
        staff = set(members.exclude(pk__in=invited).values_list("email", flat=True))
        self.assertEqual(logins, staff)
        for person in members.exclude(pk__in=invited):
            self.assertIn(f"`{person.email}` | {person.full_name},", readme)
        self.assertTrue(invited.exists())
        for person in invited:
            self.assertIn(
                f"invited a new {person.get_role_display().lower()}, {person.full_name}",
                " ".join(readme.split()),
            )
        found = re.search(
            r"The agency has (\w+) programs \(([^)]*)\), (\w+) teams \(([^)]*)\) and (\d+) people",
            " ".join(readme.split()),
        )
        assert found is not None, "README: 'The agency has N programs (...), N teams (...) ...'"
        programs = set(org.programs.values_list("name", flat=True))
        teams = set(org.teams.values_list("name", flat=True))
        self.assertEqual(self.WORDS[found.group(1)], len(programs))
        self.assertEqual(set(re.split(r", | and ", found.group(2))), programs)
        self.assertEqual(self.WORDS[found.group(3)], len(teams))
        self.assertEqual(set(re.split(r", | and ", found.group(4))), teams)
        people = Client.objects.filter(organization=org, staff_account__isnull=True).count()
        self.assertEqual(int(found.group(5)), people)


class DemoReferralTests(TestCase):
    def test_referrals_in_several_states_and_one_past_due_for_the_supervisor(self) -> None:
        from django.urls import reverse
        from django.utils import timezone

        from peerpath.directory.models import Referral
        from peerpath.directory.referral_queries import loop_open_q

        org = agency.load()
        referrals = Referral.objects.filter(organization=org)
        self.assertGreaterEqual(len(set(referrals.values_list("status", flat=True))), 5)
        today = timezone.localdate()
        overdue = referrals.filter(loop_open_q(), follow_up_on__lt=today)
        self.assertEqual(overdue.count(), 1)
        self.assertTrue(referrals.filter(loop_open_q(), follow_up_on=today).exists())
        self.assertTrue(referrals.exclude(outcome="").filter(barriers__isnull=False).exists())
        dana = Staff.objects.get(email="dana.whitfield@riverbend.example")
        self.client.force_login(dana)
        page = self.client.get(reverse("clients:my_day")).content.decode()
        self.assertIn('id="referrals-overdue"', page)
        self.assertIn(overdue.get().client.display_name, page)
