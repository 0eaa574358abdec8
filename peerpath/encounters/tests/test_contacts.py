"""Contact notes: every page per role, autosave, conflicts, signing, addenda, audit."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.clients.models import Client
from peerpath.core.models import AuditEvent
from peerpath.encounters.models import Addendum, Contact
from peerpath.testing import ROLES, CastTestCase, make_staff

from .helpers import ROUTINE, draft_contact, form_data, signed_contact

READ = {
    "peer": 200,
    "supervisor": 200,
    "clinician": 404,
    "peer_client": 404,
    "outsider": 404,
    "anonymous": "login",
}
WRITE = {**READ, "supervisor": 403}


def actions_since(before: int) -> list[str]:
    return [e.action for e in AuditEvent.objects.order_by("id")[before:]]


class ContactAccessTests(CastTestCase):
    def setUp(self) -> None:
        self.signed = signed_contact(self.cast.peer, self.cast.client)
        self.draft = draft_contact(self.cast.peer, self.cast.client)

    def check(self, method: str, url: str, expected: dict, data: dict | None = None, ok=(200,)):
        for role in ROLES:
            with self.subTest(role=role, url=url):
                response = getattr(self.as_(role), method)(url, data or {})
                want = expected[role]
                if want == "login":
                    self.assertEqual(response.status_code, 302)
                    self.assertIn(reverse("core:login"), response["Location"])
                elif want == 200:
                    self.assertIn(response.status_code, ok, response.content[:300])
                else:
                    self.assertRefused(response, want)

    def test_read_pages(self) -> None:
        cid = self.cast.client.pk
        for url in (
            reverse("encounters:contact_list", args=[cid]),
            reverse("encounters:contact_detail", args=[cid, self.signed.pk]),
            reverse("encounters:prepare", args=[cid]),
            reverse("encounters:outreach", args=[cid]),
        ):
            self.check("get", url, READ)

    def test_write_pages(self) -> None:
        cid = self.cast.client.pk
        self.check("get", reverse("encounters:contact_edit", args=[cid, self.draft.pk]), WRITE)
        self.check(
            "post",
            reverse("encounters:contact_autosave", args=[cid, self.draft.pk]),
            WRITE,
            form_data(self.draft),
        )
        self.check(
            "post",
            reverse("encounters:addendum_add", args=[cid, self.signed.pk]),
            WRITE,
            {"text": "Also: they asked about the bus pass."},
            ok=(302,),
        )
        self.check("post", reverse("encounters:contact_start", args=[cid]), WRITE, ok=(302,))
        self.check(
            "post",
            reverse("encounters:outreach", args=[cid]),
            WRITE,
            {"method": "phone", "outcome": "reached"},
            ok=(302,),
        )
        self.check(
            "post",
            reverse("encounters:engagement_update", args=[cid]),
            WRITE,
            {"status": "engaged"},
            ok=(302,),
        )

    def test_edit_post_per_role(self) -> None:
        url = reverse("encounters:contact_edit", args=[self.cast.client.pk, self.draft.pk])
        for role in ROLES:
            with self.subTest(role=role):
                current = Contact.objects.get(pk=self.draft.pk)
                response = self.as_(role).post(url, form_data(current, summary=f"by {role}"))
                current.refresh_from_db()
                if role == "peer":
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(current.summary, "by peer")
                else:
                    if role == "anonymous":
                        self.assertEqual(response.status_code, 302)
                    else:
                        self.assertRefused(response, WRITE[role])
                    self.assertNotEqual(current.summary, f"by {role}")

    def test_sub_object_of_another_person_is_404(self) -> None:
        other = Client.objects.create(
            organization=self.cast.org, given_name="Other", family_name="Person"
        )
        from peerpath.clients.models import CareTeamMember

        CareTeamMember.objects.create(
            organization=self.cast.org, client=other, staff=self.cast.peer, role="peer"
        )
        for name in ("encounters:contact_detail", "encounters:contact_edit"):
            response = self.as_("peer").get(reverse(name, args=[other.pk, self.signed.pk]))
            self.assertEqual(response.status_code, 404)

    def test_supervisor_cannot_read_an_unfinished_draft(self) -> None:
        url = reverse("encounters:contact_detail", args=[self.cast.client.pk, self.draft.pk])
        self.assertRefused(self.as_("supervisor").get(url), 403, "Walked")
        self.assertEqual(self.as_("peer").get(url).status_code, 200)

    def test_history_hides_other_peoples_drafts(self) -> None:
        colleague = make_staff(self.cast.org, teams=(self.cast.team,))
        from peerpath.clients.models import CareTeamMember

        CareTeamMember.objects.create(
            organization=self.cast.org, client=self.cast.client, staff=colleague, role="peer"
        )
        draft_contact(colleague, self.cast.client, summary="Colleague draft text")
        response = self.as_("peer").get(
            reverse("encounters:contact_list", args=[self.cast.client.pk])
        )
        self.assertEqual(response.status_code, 200)
        contacts = response.context["contacts"]
        self.assertEqual(len(contacts), 2)  # own signed note and own draft


class RecordingTests(CastTestCase):
    def test_start_uses_defaults_and_is_audited(self) -> None:
        before = AuditEvent.objects.count()
        response = self.as_("peer").post(
            reverse("encounters:contact_start", args=[self.cast.client.pk])
        )
        contact = Contact.objects.get()
        self.assertRedirects(
            response, reverse("encounters:contact_edit", args=[self.cast.client.pk, contact.pk])
        )
        self.assertEqual((contact.minutes, contact.place, contact.status), (30, "office", "draft"))
        self.assertLess(abs((timezone.now() - contact.occurred_at).total_seconds()), 60)
        self.assertEqual(actions_since(before), ["contact.create"])
        page = self.as_("peer").get(response["Location"])
        self.assertContains(page, "Sign note")
        self.assertContains(page, 'hx-post="')

    def test_routine_contact_needs_at_most_six_fields(self) -> None:
        from peerpath.encounters.forms import ContactForm

        form = ContactForm()
        required = [n for n, f in form.fields.items() if f.required and n != "version"]
        self.assertLessEqual(len(required), 6)
        # What signing needs on top of the form's own requirements: services and summary.
        self.assertLessEqual(len(set(required) | {"services", "summary"}), 6)

    def test_sign_locks_updates_last_contact_and_is_audited(self) -> None:
        Client.objects.filter(pk=self.cast.client.pk).update(
            last_contact_on=timezone.localdate() - timedelta(days=20)
        )
        draft = draft_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:contact_edit", args=[self.cast.client.pk, draft.pk])
        before = AuditEvent.objects.count()
        data = {**form_data(draft, **ROUTINE), "action": "sign"}
        data["summary"] += " They were not non-compliant."
        response = self.as_("peer").post(url, data, follow=True)
        self.assertContains(response, "Person-first language: consider")
        draft.refresh_from_db()
        self.assertEqual((draft.status, draft.review), ("signed", "waiting"))
        # Saved and signed, then the signed note is shown (and that view is audited too).
        self.assertEqual(actions_since(before), ["contact.update", "contact.sign", "contact.view"])
        client = Client.objects.get(pk=self.cast.client.pk)
        self.assertEqual(client.last_contact_on, timezone.localdate())

        # Locked: editing, autosaving and discarding change nothing.
        frozen = (draft.summary, draft.version)
        self.assertEqual(self.as_("peer").get(url).status_code, 302)
        self.as_("peer").post(url, {**form_data(draft, summary="changed"), "action": "save"})
        autosave = reverse("encounters:contact_autosave", args=[self.cast.client.pk, draft.pk])
        self.assertEqual(
            self.as_("peer").post(autosave, form_data(draft, summary="changed")).status_code, 409
        )
        self.as_("peer").post(url, {**form_data(draft), "action": "discard"})
        draft.refresh_from_db()
        self.assertEqual((draft.summary, draft.version), frozen)
        self.assertIsNone(draft.deleted_at)

    def test_older_contact_does_not_move_last_contact_back(self) -> None:
        today = timezone.localdate()
        Client.objects.filter(pk=self.cast.client.pk).update(last_contact_on=today)
        signed_contact(
            self.cast.peer, self.cast.client, occurred_at=timezone.now() - timedelta(days=9)
        )
        self.assertEqual(Client.objects.get(pk=self.cast.client.pk).last_contact_on, today)

    def test_signing_needs_services_and_summary_but_keeps_the_draft(self) -> None:
        draft = draft_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:contact_edit", args=[self.cast.client.pk, draft.pk])
        data = {**form_data(draft, in_their_words="I want my own place"), "action": "sign"}
        response = self.as_("peer").post(url, data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Write a short summary to sign.", status_code=400)
        self.assertContains(response, "Choose at least one peer service", status_code=400)
        draft.refresh_from_db()
        self.assertEqual(draft.status, "draft")
        self.assertEqual(draft.in_their_words, "I want my own place")

    def test_bad_input_changes_nothing(self) -> None:
        draft = draft_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:contact_edit", args=[self.cast.client.pk, draft.pk])
        before = AuditEvent.objects.count()
        for bad in (
            {"minutes": "0"},
            {"minutes": "lots"},
            {"place": "moon"},
            {"services": ["telepathy"]},
            {"occurred_on": (timezone.localdate() + timedelta(days=3)).isoformat()},
        ):
            with self.subTest(bad=bad):
                response = self.as_("peer").post(url, {**form_data(draft, **bad), "action": "save"})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "usa-error-message", status_code=400)
        self.assertEqual(AuditEvent.objects.count(), before)
        draft.refresh_from_db()
        self.assertEqual(draft.version, 1)

    def test_only_the_author_signs(self) -> None:
        colleague = make_staff(self.cast.org, teams=(self.cast.team,))
        from peerpath.clients.models import CareTeamMember

        CareTeamMember.objects.create(
            organization=self.cast.org, client=self.cast.client, staff=colleague, role="peer"
        )
        draft = draft_contact(self.cast.peer, self.cast.client, **ROUTINE)
        http = self.client_class()
        http.force_login(colleague)
        url = reverse("encounters:contact_edit", args=[self.cast.client.pk, draft.pk])
        response = http.post(url, {**form_data(draft), "action": "sign"})
        self.assertEqual(response.status_code, 403)
        draft.refresh_from_db()
        self.assertEqual(draft.status, "draft")

    def test_discard_is_soft_and_audited(self) -> None:
        draft = draft_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:contact_edit", args=[self.cast.client.pk, draft.pk])
        before = AuditEvent.objects.count()
        response = self.as_("peer").post(url, {**form_data(draft), "action": "discard"})
        self.assertEqual(response.status_code, 302)
        draft.refresh_from_db()
        self.assertIsNotNone(draft.deleted_at)
        self.assertEqual(actions_since(before), ["contact.discard"])
        self.assertEqual(self.as_("peer").get(url).status_code, 404)


class AutosaveAndConflictTests(CastTestCase):
    def setUp(self) -> None:
        from peerpath.clients.models import CareTeamMember

        self.colleague = make_staff(self.cast.org, name="Cory Colleague", teams=(self.cast.team,))
        CareTeamMember.objects.create(
            organization=self.cast.org, client=self.cast.client, staff=self.colleague, role="peer"
        )
        self.draft = draft_contact(self.cast.peer, self.cast.client)
        self.autosave = reverse(
            "encounters:contact_autosave", args=[self.cast.client.pk, self.draft.pk]
        )
        self.edit = reverse("encounters:contact_edit", args=[self.cast.client.pk, self.draft.pk])

    def as_colleague(self):  # type: ignore[no-untyped-def]
        http = self.client_class()
        http.force_login(self.colleague)
        return http

    def test_autosave_saves_bumps_version_and_flags_words(self) -> None:
        before = AuditEvent.objects.count()
        response = self.as_("peer").post(
            self.autosave,
            form_data(self.draft, summary="She is an addict and was non-compliant."),
            HTTP_HX_REQUEST="true",
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Draft saved")
        self.assertContains(response, 'name="version" id="id_version" value="2"')
        self.assertContains(response, "person with a substance use disorder")
        self.assertContains(response, "chose another option")
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.version, 2)
        self.assertIn("addict", self.draft.summary)  # advice only: saving was not blocked
        self.assertEqual(actions_since(before), ["contact.update"])
        self.assertTrue(AuditEvent.objects.last().details["autosave"])

    def test_two_people_saving_the_same_draft(self) -> None:
        mine = form_data(self.draft, summary="My version of the visit", edit_token="aaaa")
        theirs = form_data(self.draft, summary="Their version of the visit", edit_token="bbbb")
        first = self.as_colleague().post(self.autosave, theirs)
        self.assertEqual(first.status_code, 200)
        before = AuditEvent.objects.count()
        # The autosave of the stale copy: a clear message, nothing overwritten.
        second = self.as_("peer").post(self.autosave, mine)
        self.assertEqual(second.status_code, 409)
        self.assertContains(second, "Someone else saved this draft", status_code=409)
        # Saving the stale copy from the form: the conflict page shows both versions.
        page = self.as_("peer").post(self.edit, {**mine, "action": "save"})
        self.assertEqual(page.status_code, 409)
        self.assertContains(page, "Someone else saved this draft", status_code=409)
        self.assertContains(page, "Their version of the visit", status_code=409)
        self.assertContains(page, "My version of the visit", status_code=409)
        self.assertContains(page, 'value="2"', status_code=409)  # now based on the saved one
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.summary, "Their version of the visit")
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_own_autosave_does_not_conflict_with_the_final_save(self) -> None:
        token = "cccc"
        self.as_("peer").post(self.autosave, form_data(self.draft, summary="a", edit_token=token))
        # The page still carries version 1 when the person presses Sign right away.
        response = self.as_("peer").post(
            self.edit, {**form_data(self.draft, edit_token=token, **ROUTINE), "action": "sign"}
        )
        self.assertEqual(response.status_code, 302)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, "signed")


class AddendumTests(CastTestCase):
    def test_addendum_keeps_the_original_intact(self) -> None:
        contact = signed_contact(self.cast.peer, self.cast.client)
        original = (contact.summary, contact.in_their_words, contact.signed_at, contact.services)
        url = reverse("encounters:addendum_add", args=[self.cast.client.pk, contact.pk])
        before = AuditEvent.objects.count()
        self.as_("peer").post(url, {"text": "First correction."})
        self.as_("peer").post(url, {"text": "Second correction."})
        contact.refresh_from_db()
        self.assertEqual(
            (contact.summary, contact.in_their_words, contact.signed_at, contact.services),
            original,
        )
        self.assertEqual(
            list(Addendum.objects.filter(contact=contact).values_list("text", flat=True)),
            ["First correction.", "Second correction."],
        )
        self.assertEqual(actions_since(before), ["contact.addendum", "contact.addendum"])
        page = self.as_("peer").get(
            reverse("encounters:contact_detail", args=[self.cast.client.pk, contact.pk])
        )
        self.assertContains(page, "First correction.")
        self.assertContains(page, original[0])

    def test_empty_addendum_changes_nothing(self) -> None:
        contact = signed_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:addendum_add", args=[self.cast.client.pk, contact.pk])
        response = self.as_("peer").post(url, {"text": "   "})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Addendum.objects.exists())

    def test_no_addendum_on_a_draft(self) -> None:
        draft = draft_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:addendum_add", args=[self.cast.client.pk, draft.pk])
        self.assertEqual(self.as_("peer").post(url, {"text": "x"}).status_code, 400)
        self.assertFalse(Addendum.objects.exists())

    def test_viewing_a_note_is_audited(self) -> None:
        contact = signed_contact(self.cast.peer, self.cast.client)
        before = AuditEvent.objects.count()
        self.as_("supervisor").get(
            reverse("encounters:contact_detail", args=[self.cast.client.pk, contact.pk])
        )
        self.as_("supervisor").get(reverse("encounters:contact_list", args=[self.cast.client.pk]))
        events = AuditEvent.objects.order_by("id")[before:]
        self.assertEqual([e.action for e in events], ["contact.view", "contact.list"])
        self.assertTrue(all(e.client_id == self.cast.client.pk for e in events))
        self.assertTrue(all(e.actor == self.cast.supervisor for e in events))


class BannerTests(CastTestCase):
    def test_supervisor_is_told_the_record_is_read_only(self) -> None:
        url = reverse("encounters:contact_list", args=[self.cast.client.pk])
        self.assertContains(self.as_("supervisor").get(url), "as a supervisor")
        self.assertNotContains(self.as_("peer").get(url), "as a supervisor")
