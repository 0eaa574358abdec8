"""Files made in the background: the request only asks, the worker makes, the requester fetches."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from peerpath.clients.models import CareTeamMember
from peerpath.core import downloads
from peerpath.core.models import AuditEvent, Download
from peerpath.testing import CastTestCase

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class DownloadTests(CastTestCase):
    def setUp(self) -> None:
        self.ask_url = reverse("clients:accounting_pdf", args=[self.cast.client.pk])

    def test_the_request_only_asks_and_the_worker_makes_it(self) -> None:
        # A worker closes stale connections between tasks: not the test's own.
        self.enterContext(
            mock.patch(
                "django_tasks_db.management.commands.db_worker.close_old_connections",
                lambda: None,
            )
        )
        http = self.as_("peer")
        with override_settings(TASKS=DATABASE_QUEUE):
            asked = http.post(self.ask_url)
            download = Download.objects.get()
            self.assertEqual((download.status, download.content), ("queued", None))
            self.assertFalse(AuditEvent.objects.filter(action="disclosure.accounting").exists())
            page = http.get(asked["Location"])
            # The page checks again every second and says so to screen readers.
            self.assertContains(page, 'hx-trigger="every 1s"')
            self.assertContains(page, 'role="status"')
            self.assertNotContains(page, 'id="download-link"')
            call_command("worker", "--batch", stdout=StringIO(), stderr=StringIO())
        download.refresh_from_db()
        self.assertEqual(download.status, "ready")
        self.assertTrue(bytes(download.content).startswith(b"%PDF"))
        made = AuditEvent.objects.get(action="disclosure.accounting")
        self.assertEqual((made.actor_id, made.client_id), (self.cast.peer.pk, self.cast.client.pk))
        ready = http.get(asked["Location"])
        self.assertContains(ready, 'id="download-link"')
        consents = reverse("clients:consents", args=[self.cast.client.pk])
        self.assertContains(ready, f'id="download-back" href="{consents}"')
        self.assertNotContains(ready, "hx-trigger")

    def test_only_the_requester_fetches_it_and_each_fetch_is_audited(self) -> None:
        http = self.as_("peer")
        asked = http.post(self.ask_url)
        download = Download.objects.get()
        file_url = reverse("core:download_file", args=[download.pk])
        for role in ("supervisor", "clinician", "peer_client", "outsider"):
            with self.subTest(role=role):
                self.assertEqual(self.as_(role).get(asked["Location"]).status_code, 404)
                self.assertEqual(self.as_(role).get(file_url).status_code, 404)
        self.assertEqual(self.as_("anonymous").get(file_url).status_code, 302)
        response = http.get(file_url)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment", response["Content-Disposition"])
        fetched = AuditEvent.objects.get(action="download.fetch")
        self.assertEqual(fetched.client_id, self.cast.client.pk)
        self.assertEqual(fetched.details, {"kind": "accounting"})

    def test_a_file_is_kept_for_a_day(self) -> None:
        http = self.as_("peer")
        asked = http.post(self.ask_url)
        download = Download.objects.get()
        self.assertEqual(download.expires_at - download.created_at, timedelta(days=1))
        Download.objects.filter(pk=download.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        gone = http.get(reverse("core:download_file", args=[download.pk]))
        self.assertContains(gone, "no longer kept", status_code=410)
        self.assertContains(http.get(asked["Location"]), "no longer kept")
        self.assertFalse(AuditEvent.objects.filter(action="download.fetch").exists())

    def test_access_lost_before_it_is_made_makes_nothing(self) -> None:
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        ):
            download = downloads.download_request(
                actor=self.cast.peer, kind="accounting", client_id=self.cast.client.pk
            )
        CareTeamMember.objects.filter(staff=self.cast.peer, client=self.cast.client).update(
            ended_on=timezone.localdate()
        )
        self.assertEqual(downloads.download_make(download.pk), "failed")
        download.refresh_from_db()
        self.assertIsNone(download.content)
        page = self.as_("peer").get(reverse("core:download", args=[download.pk]))
        self.assertContains(page, "could not be made")
        refused = self.as_("peer").get(reverse("core:download_file", args=[download.pk]))
        self.assertEqual(refused.status_code, 410)

    def test_the_page_in_spanish(self) -> None:
        http = self.as_("peer")
        asked = http.post(self.ask_url, HTTP_ACCEPT_LANGUAGE="es")
        page = http.get(asked["Location"], HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(page, "Informe de divulgaciones")
        self.assertContains(page, "Descargar")
