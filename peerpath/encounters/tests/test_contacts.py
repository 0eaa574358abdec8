"""Contact notes: every page per role, autosave, conflicts, signing, addenda, audit."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.clients import access
from peerpath.clients.models import Client
from peerpath.core.models import AuditEvent
from peerpath.encounters import actions
from peerpath.encounters.models import Addendum, Contact
from peerpath.testing import ROLES, CastTestCase, make_staff

from .helpers import ROUTINE, bulk_contacts, draft_contact, form_data, signed_contact


def NOW() -> dict[str, str]:
    now = timezone.localtime()
    return {"occurred_on": now.date().isoformat(), "occurred_time": now.strftime("%H:%M")}


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
        start = reverse("encounters:contact_start", args=[cid])
        self.check("get", start, WRITE)
        self.check("post", start, WRITE, {**ROUTINE, **NOW(), "version": "0"}, ok=(302,))
        self.check(
            "post",
            reverse("encounters:contact_start_autosave", args=[cid]),
            WRITE,
            {**ROUTINE, **NOW(), "version": "0"},
        )
        self.check(
            "post",
            reverse("encounters:outreach", args=[cid]),
            WRITE,
            {
                "method": "phone",
                "outcome": "reached",
                "attempted_on": NOW()["occurred_on"],
                "attempted_time": NOW()["occurred_time"],
            },
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
    def test_record_contact_creates_nothing_until_something_is_written(self) -> None:
        start = reverse("encounters:contact_start", args=[self.cast.client.pk])
        autosave = reverse("encounters:contact_start_autosave", args=[self.cast.client.pk])
        before = AuditEvent.objects.count()
        # Opening the form, twice, and an autosave of an untouched form: still no draft.
        for _ in range(2):
            page = self.as_("peer").get(start)
            self.assertContains(page, "Sign note")
            self.assertContains(page, 'hx-post="')
        empty = {**NOW(), "minutes": "30", "version": "0", "edit_token": "t1"}
        response = self.as_("peer").post(autosave, empty)
        self.assertContains(response, "Nothing written yet")
        self.assertFalse(Contact.objects.exists())
        # Each opening of the form is a look at the person (recorded); nothing else happened.
        self.assertEqual(actions_since(before), ["client.page_view", "client.page_view"])
        before = AuditEvent.objects.count()
        # Where it happened starts empty: it is a fact someone must choose.
        place = page.content.decode().split('name="place"')[1].split("</select>")[0]
        self.assertNotRegex(place, r'<option value="[^"]+" selected')

        # The first autosave that holds text creates the draft and tells the page its id.
        response = self.as_("peer").post(autosave, {**empty, "summary": "We met at the library."})
        contact = Contact.objects.get()
        self.assertContains(response, f'name="contact_id" id="id_contact_id" value="{contact.pk}"')
        self.assertEqual((contact.minutes, contact.place, contact.status), (30, "", "draft"))
        self.assertEqual(actions_since(before), ["contact.create"])
        # The next autosave and the final save go to that draft; none is created twice.
        later = {**empty, "contact_id": str(contact.pk), "version": str(contact.version)}
        self.as_("peer").post(autosave, {**later, "summary": "We met at the library today."})
        contact.refresh_from_db()
        response = self.as_("peer").post(
            start, {**later, **ROUTINE, "version": str(contact.version), "action": "sign"}
        )
        self.assertEqual(Contact.objects.count(), 1)
        contact.refresh_from_db()
        self.assertEqual((contact.status, contact.place), ("signed", "community"))

    def test_place_is_needed_to_sign_and_the_last_one_is_suggested(self) -> None:
        signed_contact(self.cast.peer, self.cast.client, place="home")
        page = self.as_("peer").get(reverse("encounters:contact_start", args=[self.cast.client.pk]))
        self.assertContains(page, "Your last contact was at: Home.")
        draft = draft_contact(self.cast.peer, self.cast.client, place="", services=["hope"])
        url = reverse("encounters:contact_edit", args=[self.cast.client.pk, draft.pk])
        response = self.as_("peer").post(url, {**form_data(draft), "action": "sign"})
        self.assertContains(response, "Choose where the contact happened", status_code=400)
        draft.refresh_from_db()
        self.assertEqual(draft.status, "draft")

    def test_untouched_drafts_are_never_listed(self) -> None:
        grant = access.client_for_write(self.cast.peer, self.cast.client.pk)
        actions.contact_start(actor=self.cast.peer, access=grant)  # an old empty draft
        written = draft_contact(self.cast.peer, self.cast.client)
        from peerpath.encounters import queries

        self.assertEqual([c.pk for c in queries.my_open_notes(self.cast.peer).notes], [written.pk])
        history = self.as_("peer").get(
            reverse("encounters:contact_list", args=[self.cast.client.pk])
        )
        self.assertEqual([c.pk for c in history.context["contacts"]], [written.pk])
        queue = self.as_("supervisor").get(reverse("encounters:review_queue"))
        self.assertEqual([c.pk for c in queue.context["drafts"]], [written.pk])

    def test_newest_contact_is_on_the_first_page_after_150(self) -> None:
        bulk_contacts(self.cast.peer, self.cast.client, 150)
        newest = signed_contact(self.cast.peer, self.cast.client, summary="The newest one")
        url = reverse("encounters:contact_list", args=[self.cast.client.pk])
        first = self.as_("peer").get(url)
        page = first.context["contacts"]
        self.assertEqual(page.items[0].pk, newest.pk)
        times = [c.occurred_at for c in page]
        self.assertEqual(times, sorted(times, reverse=True))
        seen = [c.pk for c in page]
        while page.has_next:
            page = self.as_("peer").get(f"{url}?{page.next_query()}").context["contacts"]
            seen += [c.pk for c in page]
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(len(seen), Contact.objects.count())
        self.assertEqual(self.as_("peer").get(f"{url}?after=%%%").status_code, 400)

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
        draft = draft_contact(self.cast.peer, self.cast.client, summary="")
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
