"""My day panels, the supervisor review queue and the contact history: content, audit, queries."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from peerpath.clients.models import Client
from peerpath.core.models import AuditEvent
from peerpath.encounters import actions
from peerpath.encounters.models import Contact, Engagement
from peerpath.testing import ROLES, CastTestCase, make_client, query_count

from .helpers import bulk_contacts, draft_contact, signed_contact


class MyDayTests(CastTestCase):
    def test_due_people_drafts_and_returned_notes_show(self) -> None:
        today = timezone.localdate()
        Client.objects.filter(pk=self.cast.client.pk).update(
            last_contact_on=today - timedelta(days=30)
        )
        draft_contact(self.cast.peer, self.cast.client)
        returned = signed_contact(self.cast.peer, self.cast.client)
        Client.objects.filter(pk=self.cast.client.pk).update(
            last_contact_on=today - timedelta(days=30)
        )
        from peerpath.clients import access

        actions.contact_review(
            actor=self.cast.supervisor,
            access=access.client_for_read(self.cast.supervisor, self.cast.client.pk),
            contact=returned,
            returned=True,
            comment="Please add what comes next.",
        )
        response = self.as_("peer").get(reverse("clients:my_day"))
        self.assertContains(response, "Due for a contact or outreach")
        self.assertContains(response, "Record contact with Jordana Quillfeather")
        self.assertContains(response, "Notes to finish")
        self.assertContains(response, "Please add what comes next.")
        self.assertContains(response, "draft, not signed yet")

    def test_outreach_due_shows_and_closed_people_do_not(self) -> None:
        from peerpath.clients import access

        grant = access.client_for_write(self.cast.peer, self.cast.client.pk)
        Client.objects.filter(pk=self.cast.client.pk).update(last_contact_on=timezone.localdate())
        actions.outreach_record(
            actor=self.cast.peer,
            access=grant,
            method="phone",
            outcome="no_answer",
            next_try_on=timezone.localdate(),
        )
        response = self.as_("peer").get(reverse("clients:my_day"))
        self.assertContains(response, "Outreach try due")
        actions.engagement_set(actor=self.cast.peer, access=grant, status=Engagement.Status.CLOSED)
        response = self.as_("peer").get(reverse("clients:my_day"))
        self.assertNotContains(response, "Outreach try due")

    def test_supervisor_sees_queue_size(self) -> None:
        signed_contact(self.cast.peer, self.cast.client)
        response = self.as_("supervisor").get(reverse("clients:my_day"))
        self.assertContains(response, "1 signed note is waiting for your review.")
        self.assertNotContains(response, "Quillfeather")
        self.assertNotContains(self.as_("peer").get(reverse("clients:my_day")), "Open the review")

    def test_my_day_query_count_is_constant(self) -> None:
        def setup(n: int) -> None:
            Contact.objects.all().delete()
            bulk_contacts(self.cast.peer, self.cast.client, n)
            for _ in range(n // 20):
                make_client(self.cast.team, care_team=(self.cast.peer,))

        http = self.as_("peer")
        setup(5)
        small = query_count(lambda: http.get(reverse("clients:my_day")))
        setup(200)
        large = query_count(lambda: http.get(reverse("clients:my_day")))
        self.assertEqual(small, large)

    def test_a_large_caseload_shows_its_top_and_links_to_the_rest(self) -> None:
        today = timezone.localdate()
        people = [make_client(self.cast.team, care_team=(self.cast.peer,)) for _ in range(30)]
        # The most overdue next step is the first row; someone with no next step is not shown.
        Client.objects.filter(pk__in=[p.pk for p in people]).update(
            next_step="Call the landlord", next_step_due=today + timedelta(days=5)
        )
        overdue, idle = people[17], people[3]
        Client.objects.filter(pk=overdue.pk).update(
            family_name="Overdueson", next_step_due=today - timedelta(days=9)
        )
        Client.objects.filter(pk=idle.pk).update(
            family_name="Nostepford", next_step="", next_step_due=None
        )
        response = self.as_("peer").get(reverse("clients:my_day"))
        html = response.content.decode()
        caseload = html[html.index('id="caseload-heading"') :]
        self.assertIn("(31)", caseload[:200])  # the cast's person and the thirty
        self.assertEqual(caseload.count('scope="row"'), 10)
        self.assertLess(caseload.index("Overdueson"), caseload.index("</tbody>"))
        self.assertNotIn("Nostepford", caseload)
        self.assertContains(response, f"?peer={self.cast.peer.pk}&amp;sort=next_step_due")
        self.assertContains(response, "See all 31 people on your caseload")
        # The page's one audit event names exactly the people it showed.
        event = AuditEvent.objects.filter(action="my_day.view").latest("id")
        self.assertIn(overdue.pk, event.details["clients"])
        self.assertNotIn(idle.pk, event.details["clients"])

    def test_notes_to_finish_show_the_oldest_and_link_to_every_one(self) -> None:
        bulk_contacts(self.cast.peer, self.cast.client, 90)  # 30 returned, 30 drafts

        def link(summary: str) -> str:
            contact = Contact.objects.get(summary=summary)
            return f'/contacts/{contact.pk}/{"edit/" if contact.status == "draft" else ""}"'

        oldest, newest = link("Note 89"), link("Note 1")
        response = self.as_("peer").get(reverse("clients:my_day"))
        self.assertContains(response, 'Notes to finish <span class="pp-muted">(60)</span>')
        self.assertContains(response, oldest)
        self.assertNotContains(response, newest)  # it waits on the notes page
        self.assertContains(response, "See all 60 notes to finish")
        http = self.as_("peer")
        url = reverse("encounters:my_notes")
        html = http.get(url).content.decode()
        self.assertEqual(html.count("<li>"), 25)
        self.assertIn(oldest, html)
        pages, seen = 0, html.count("<li>")
        while 'rel="next"' in html:
            after = html.split('rel="next"')[0].rsplit('href="?', 1)[1].split('"')[0]
            html = http.get(f"{url}?{after.replace('&amp;', '&')}").content.decode()
            seen += html.count("<li>")
            pages += 1
        self.assertEqual((seen, pages), (60, 2))
        self.assertIn(newest, html)  # the newest, on the last page

    def test_notes_page_shows_only_ones_own_notes(self) -> None:
        bulk_contacts(self.cast.peer, self.cast.client, 6)
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get(reverse("encounters:my_notes"))
                if role == "anonymous":
                    self.assertEqual(response.status_code, 302)
                elif role == "peer":
                    self.assertContains(response, "Quillfeather")
                else:
                    self.assertContains(response, "No notes to finish")
                    self.assertNotContains(response, "Quillfeather")

    def test_notes_page_query_count_is_constant(self) -> None:
        http = self.as_("peer")
        bulk_contacts(self.cast.peer, self.cast.client, 6)
        small = query_count(lambda: http.get(reverse("encounters:my_notes")))
        bulk_contacts(self.cast.peer, self.cast.client, 300)
        large = query_count(lambda: http.get(reverse("encounters:my_notes")))
        self.assertEqual(small, large)


class ReviewQueueTests(CastTestCase):
    def test_every_waiting_note_is_reachable_past_the_old_cap_of_200(self) -> None:
        bulk_contacts(self.cast.peer, self.cast.client, 660)  # 220 waiting, 220 drafts
        Contact.objects.filter(review="waiting").update(
            signed_at=timezone.now() - timedelta(days=3)
        )
        oldest = Contact.objects.filter(review="waiting").order_by("id").first()
        assert oldest is not None
        Contact.objects.filter(pk=oldest.pk).update(signed_at=timezone.now() - timedelta(days=9))
        url = reverse("encounters:review_queue")
        page = self.as_("supervisor").get(url)
        self.assertContains(page, "(220)")
        waiting = page.context["waiting"]
        self.assertEqual(waiting.items[0].pk, oldest.pk)  # a queue: the longest waiting first
        seen = [c.pk for c in waiting]
        while waiting.has_next:
            waiting = self.as_("supervisor").get(f"{url}?{waiting.next_query()}").context["waiting"]
            seen += [c.pk for c in waiting]
        self.assertEqual(len(seen), 220)
        self.assertEqual(len(set(seen)), 220)
        # The drafts list pages on its own cursor, keeping the other list where it was.
        drafts = page.context["drafts"]
        second = self.as_("supervisor").get(f"{url}?{drafts.next_query()}")
        self.assertEqual(second.context["waiting"].items[0].pk, oldest.pk)
        self.assertNotEqual(second.context["drafts"].items[0].pk, drafts.items[0].pk)

    def test_queue_per_role(self) -> None:
        signed_contact(self.cast.peer, self.cast.client)
        draft_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:review_queue")
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get(url)
                if role == "anonymous":
                    self.assertEqual(response.status_code, 302)
                    continue
                self.assertEqual(response.status_code, 200)
                shown = "Quillfeather" in response.content.decode()
                self.assertEqual(shown, role == "supervisor")

    def test_review_and_return(self) -> None:
        contact = signed_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:contact_review", args=[self.cast.client.pk, contact.pk])
        before = AuditEvent.objects.count()
        # A return without a comment is refused and changes nothing.
        response = self.as_("supervisor").post(url, {"decision": "returned", "comment": ""})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Say what the author should change.", status_code=400)
        self.assertEqual(AuditEvent.objects.count(), before)
        response = self.as_("supervisor").post(
            url, {"decision": "returned", "comment": "Add the plan for Friday."}
        )
        self.assertEqual(response.status_code, 302)
        contact.refresh_from_db()
        self.assertEqual(contact.review, "returned")
        self.assertEqual(AuditEvent.objects.last().action, "contact.review")
        # The author answers with an addendum; the note goes back to the queue.
        self.as_("peer").post(
            reverse("encounters:addendum_add", args=[self.cast.client.pk, contact.pk]),
            {"text": "Plan for Friday: visit the clinic together."},
        )
        contact.refresh_from_db()
        self.assertEqual(contact.review, "waiting")
        response = self.as_("supervisor").post(url, {"decision": "reviewed", "comment": ""})
        self.assertEqual(response.status_code, 302)
        contact.refresh_from_db()
        self.assertEqual((contact.review, contact.reviewed_by), ("reviewed", self.cast.supervisor))
        # Reviewed once: a second review is refused.
        self.as_("supervisor").post(url, {"decision": "returned", "comment": "again"})
        contact.refresh_from_db()
        self.assertEqual(contact.review, "reviewed")

    def test_review_is_a_co_signature_and_goes_to_the_next_note(self) -> None:
        from peerpath.core.models import Organization

        Organization.objects.filter(pk=self.cast.org.pk).update(
            review_attestation="I attest that I reviewed this note under our peer policy 4.2."
        )
        first = signed_contact(self.cast.peer, self.cast.client, summary="First note")
        second = signed_contact(self.cast.peer, self.cast.client, summary="Second note")
        url = reverse("encounters:contact_review", args=[self.cast.client.pk, first.pk])
        page = self.as_("supervisor").get(
            reverse("encounters:contact_detail", args=[self.cast.client.pk, first.pk])
        )
        self.assertContains(page, "peer policy 4.2")  # the words are shown before signing
        response = self.as_("supervisor").post(url, {"decision": "reviewed", "comment": ""})
        self.assertRedirects(
            response,
            reverse("encounters:contact_detail", args=[self.cast.client.pk, second.pk]),
            fetch_redirect_response=False,
        )
        first.refresh_from_db()
        self.assertEqual(
            first.review_attestation,
            "I attest that I reviewed this note under our peer policy 4.2.",
        )
        # The author (and anyone who reads the note) sees who co-signed, when and to what.
        shown = self.as_("peer").get(
            reverse("encounters:contact_detail", args=[self.cast.client.pk, first.pk])
        )
        self.assertContains(shown, f"Reviewed and co-signed by {self.cast.supervisor.full_name}")
        self.assertContains(shown, "peer policy 4.2")
        # The last one in the queue goes back to the (now empty) queue.
        url = reverse("encounters:contact_review", args=[self.cast.client.pk, second.pk])
        response = self.as_("supervisor").post(url, {"decision": "reviewed", "comment": ""})
        self.assertRedirects(
            response, reverse("encounters:review_queue"), fetch_redirect_response=False
        )

    def test_review_per_role(self) -> None:
        for role in ROLES:
            with self.subTest(role=role):
                contact = signed_contact(self.cast.peer, self.cast.client)
                url = reverse("encounters:contact_review", args=[self.cast.client.pk, contact.pk])
                response = self.as_(role).post(url, {"decision": "reviewed"})
                contact.refresh_from_db()
                if role == "supervisor":
                    self.assertEqual(response.status_code, 302)
                    self.assertEqual(contact.review, "reviewed")
                    continue
                self.assertEqual(contact.review, "waiting")
                if role == "anonymous":
                    self.assertEqual(response.status_code, 302)
                else:
                    self.assertRefused(response, 403 if role == "peer" else 404)

    def test_review_form_shows_only_to_the_supervisor(self) -> None:
        contact = signed_contact(self.cast.peer, self.cast.client)
        url = reverse("encounters:contact_detail", args=[self.cast.client.pk, contact.pk])
        self.assertContains(self.as_("supervisor").get(url), "Review this note")
        self.assertNotContains(self.as_("peer").get(url), "Review this note")

    def test_queue_query_count_is_constant(self) -> None:
        http = self.as_("supervisor")
        bulk_contacts(self.cast.peer, self.cast.client, 5)
        small = query_count(lambda: http.get(reverse("encounters:review_queue")))
        Contact.objects.all().delete()
        bulk_contacts(self.cast.peer, self.cast.client, 200)
        large = query_count(lambda: http.get(reverse("encounters:review_queue")))
        self.assertEqual(small, large)

    def test_viewing_the_queue_is_audited(self) -> None:
        signed_contact(self.cast.peer, self.cast.client)
        before = AuditEvent.objects.count()
        self.as_("supervisor").get(reverse("encounters:review_queue"))
        self.assertEqual(
            [e.action for e in AuditEvent.objects.order_by("id")[before:]],
            ["contact.review_queue"],
        )


class HistoryQueryTests(CastTestCase):
    def test_contact_history_and_record_page_query_counts_are_constant(self) -> None:
        http = self.as_("peer")
        urls = (
            reverse("encounters:contact_list", args=[self.cast.client.pk]),
            reverse("clients:detail", args=[self.cast.client.pk]),
            reverse("encounters:prepare", args=[self.cast.client.pk]),
        )
        for url in urls:
            with self.subTest(url=url):
                Contact.objects.all().delete()
                bulk_contacts(self.cast.peer, self.cast.client, 5)
                small = query_count(lambda: http.get(url))  # noqa: B023
                Contact.objects.all().delete()
                bulk_contacts(self.cast.peer, self.cast.client, 200)
                large = query_count(lambda: http.get(url))  # noqa: B023
                self.assertEqual(small, large)


class SpanishTests(CastTestCase):
    def test_pages_in_spanish(self) -> None:
        contact = signed_contact(self.cast.peer, self.cast.client)
        http = self.as_("peer")
        http.cookies["django_language"] = "es"
        page = http.get(reverse("clients:my_day"), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(page, "Pendientes de contacto o de un intento")
        page = http.get(
            reverse("encounters:contact_detail", args=[self.cast.client.pk, contact.pk]),
            HTTP_ACCEPT_LANGUAGE="es",
        )
        self.assertContains(page, "No hay anexos. La nota está como se firmó.")
        self.assertContains(page, "Dar esperanza")
