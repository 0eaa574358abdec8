"""Every client page and API endpoint against every member of the cast."""

from __future__ import annotations

from django.urls import reverse

from peerpath.core.models import AuditEvent
from peerpath.testing import ROLES, CastTestCase

# What each role gets. "login" = sent to the sign-in page.
RECORD_PAGE = {
    "peer": 200,
    "supervisor": 200,
    "clinician": 404,
    "peer_client": 404,
    "outsider": 404,
    "anonymous": "login",
}
EDIT_PAGE = {**RECORD_PAGE, "supervisor": 403}
API_RECORD = {**RECORD_PAGE, "anonymous": 401}


def edit_form(client, **changes):  # type: ignore[no-untyped-def]
    data = {
        "preferred_name": client.preferred_name,
        "pronouns": client.pronouns,
        "language": client.language,
        "phone": client.phone,
        "email": client.email,
        "address": client.address,
        "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else "",
        "status": client.status,
        "next_step": client.next_step,
        "next_step_due": client.next_step_due.isoformat() if client.next_step_due else "",
        "version": client.version,
    }
    data.update(changes)
    return data


class ClientPageAccessTests(CastTestCase):
    def check(
        self,
        url: str,
        expected: dict[str, object],
        method: str = "get",
        data: dict[str, object] | None = None,
    ) -> None:
        for role in ROLES:
            with self.subTest(role=role, url=url, method=method):
                response = getattr(self.as_(role), method)(url, data or {})
                want = expected[role]
                if want == "login":
                    self.assertEqual(response.status_code, 302)
                    self.assertIn(reverse("core:login"), response["Location"])
                elif want == 200:
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "Quillfeather")
                else:
                    self.assertRefused(response, want)

    def test_record_page(self) -> None:
        self.check(reverse("clients:detail", args=[self.cast.client.pk]), RECORD_PAGE)

    def test_edit_page(self) -> None:
        self.check(reverse("clients:edit", args=[self.cast.client.pk]), EDIT_PAGE)

    def test_edit_post(self) -> None:
        url = reverse("clients:edit", args=[self.cast.client.pk])
        for role in ROLES:
            with self.subTest(role=role):
                before = self.cast.client.__class__.objects.get(pk=self.cast.client.pk)
                response = self.as_(role).post(url, edit_form(before, pronouns="they/them"))
                if role == "peer":
                    self.assertEqual(response.status_code, 302)
                elif role == "anonymous":
                    self.assertEqual(response.status_code, 302)
                    self.assertIn(reverse("core:login"), response["Location"])
                else:
                    self.assertRefused(response, EDIT_PAGE[role])
                    after = self.cast.client.__class__.objects.get(pk=self.cast.client.pk)
                    self.assertEqual(after.version, before.version)

    def test_api_record(self) -> None:
        url = f"/api/v1/clients/{self.cast.client.pk}"
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get(url)
                if API_RECORD[role] == 200:
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response.json()["family_name"], "Quillfeather")
                    self.assertEqual(response.json()["can_write"], role == "peer")
                else:
                    self.assertRefused(response, API_RECORD[role])

    def test_api_list_shows_only_visible_people(self) -> None:
        for role in ROLES:
            with self.subTest(role=role):
                response = self.as_(role).get("/api/v1/clients")
                if role == "anonymous":
                    self.assertEqual(response.status_code, 401)
                    continue
                names = {row["display_name"] for row in response.json()["items"]}
                self.assertEqual("Jordana Quillfeather" in names, role in {"peer", "supervisor"})

    def test_people_list_and_my_day_never_show_others(self) -> None:
        for url in (
            reverse("clients:list"),
            reverse("clients:list") + "?q=Quill",
            reverse("clients:my_day"),
        ):
            for role in ROLES:
                with self.subTest(role=role, url=url):
                    response = self.as_(role).get(url)
                    if role == "anonymous":
                        self.assertEqual(response.status_code, 302)
                        continue
                    self.assertEqual(response.status_code, 200)
                    shown = "Quillfeather" in response.content.decode()
                    on_my_day = url == reverse("clients:my_day")
                    allowed = {"peer"} if on_my_day else {"peer", "supervisor"}
                    self.assertEqual(shown, role in allowed)


class EditTests(CastTestCase):
    """Editing: audited once in the same transaction, stale saves refused with the other change."""

    def test_edit_writes_one_audit_event(self) -> None:
        url = reverse("clients:edit", args=[self.cast.client.pk])
        before = AuditEvent.objects.count()
        response = self.as_("peer").post(url, edit_form(self.cast.client, next_step="Call Tuesday"))
        self.assertEqual(response.status_code, 302)
        events = AuditEvent.objects.order_by("id")[before:]
        self.assertEqual([e.action for e in events], ["client.update"])
        self.assertEqual(events[0].client_id, self.cast.client.pk)
        self.assertEqual(events[0].actor, self.cast.peer)
        self.assertEqual(events[0].details, {"fields": ["next_step"]})

    def test_invalid_edit_changes_nothing(self) -> None:
        url = reverse("clients:edit", args=[self.cast.client.pk])
        before = AuditEvent.objects.count()
        response = self.as_("peer").post(url, edit_form(self.cast.client, email="not-an-email"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "usa-error-message")
        self.assertEqual(AuditEvent.objects.count(), before)
        self.cast.client.refresh_from_db()
        self.assertEqual(self.cast.client.version, 1)

    def test_stale_save_is_refused_and_shows_the_other_change(self) -> None:
        url = reverse("clients:edit", args=[self.cast.client.pk])
        stale_form = edit_form(self.cast.client, next_step="Mine")
        first = self.as_("peer").post(url, edit_form(self.cast.client, next_step="Theirs"))
        self.assertEqual(first.status_code, 302)
        before = AuditEvent.objects.count()
        second = self.as_("peer").post(url, stale_form)
        self.assertEqual(second.status_code, 409)
        self.assertContains(second, "Someone else saved changes", status_code=409)
        self.assertContains(second, "Theirs", status_code=409)
        self.assertContains(second, 'value="Mine"', status_code=409)
        self.cast.client.refresh_from_db()
        self.assertEqual(self.cast.client.next_step, "Theirs")
        self.assertEqual(AuditEvent.objects.count(), before)
