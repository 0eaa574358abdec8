"""The admin escalation and forged proxy headers, replayed.

Once, the demo's program manager was a Django superuser: he read the whole audit trail in
/admin/ without a trace and made himself privacy officer there, the change landing only in
django_admin_log. And X-Forwarded-For's first entry, which the client writes, was taken as the
client's address for the audit trail.
"""

from __future__ import annotations

from django.test import RequestFactory, override_settings
from django.urls import reverse

from peerpath.core import audit
from peerpath.core.middleware import client_ip
from peerpath.core.models import AuditEvent, Role, Staff
from peerpath.core.staff_changes import SelfGrantError
from peerpath.testing import CastTestCase


class AdminSiteTests(CastTestCase):
    def test_nobody_in_the_demo_is_a_site_operator(self) -> None:
        from peerpath.demo import agency

        agency.load()
        self.assertFalse(Staff.objects.filter(is_superuser=True).exists())
        self.assertFalse(Staff.objects.filter(is_staff=True).exists())

    def test_the_admin_site_needs_the_operator_flag_and_two_steps(self) -> None:
        manager = self.cast.peer
        manager.is_staff = True
        manager.save()
        page = self.as_staff(manager).get(reverse("admin:index"), follow=True)
        self.assertNotIn("/admin/", page.redirect_chain[-1][0])
        self.assertNotContains(page, "PeerPath administration")
        manager.is_superuser = True
        manager.save()
        page = self.as_staff(manager).get(reverse("admin:index"))  # not verified: two steps
        self.assertEqual(page.status_code, 302)
        self.assertIn(reverse("core:two_factor"), page["Location"])

    def test_admin_sign_in_goes_through_peerpaths_own_audited_page(self) -> None:
        page = self.client.get(reverse("admin:login"))
        self.assertEqual(page.status_code, 302)
        self.assertTrue(page["Location"].startswith(reverse("core:login")))

    def test_the_admin_holds_no_audit_trail_or_client_data(self) -> None:
        from django.contrib import admin

        registered = {model._meta.label for model in admin.site._registry}
        self.assertNotIn("core.AuditEvent", registered)
        self.assertFalse([label for label in registered if label.startswith("clients.")])

    def test_role_changes_are_in_the_chain_and_nobody_makes_themselves_privacy_officer(
        self,
    ) -> None:
        peer = self.cast.peer
        before = AuditEvent.objects.count()
        peer.role = Role.PEER_SUPERVISOR
        peer.save()
        event = AuditEvent.objects.order_by("id")[before:].get()
        self.assertEqual(event.action, "staff.access_change")
        self.assertEqual(
            event.details["changes"], {"role": [Role.PEER_SPECIALIST, Role.PEER_SUPERVISOR]}
        )
        self.assertTrue(audit.verify_organization(peer.organization_id).ok)
        # As if the request were the peer's own: giving themselves privacy officer is refused.
        request = RequestFactory().get("/")
        request.user = peer
        with audit.request_context("r1", "10.0.0.1", request):
            peer.role = Role.PRIVACY_OFFICER
            with self.assertRaises(SelfGrantError):
                peer.save()
        peer.refresh_from_db()
        self.assertEqual(peer.role, Role.PEER_SUPERVISOR)


class ProxyAddressTests(CastTestCase):
    def request(self, forwarded: str) -> object:
        return RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")

    @override_settings(BEHIND_HTTPS_PROXY=True, TRUSTED_PROXY_COUNT=1)
    def test_the_client_written_part_of_x_forwarded_for_is_not_believed(self) -> None:
        # The client sent "X-Forwarded-For: 6.6.6.6"; nginx appended the real address.
        self.assertEqual(client_ip(self.request("6.6.6.6, 203.0.113.9")), "203.0.113.9")  # type: ignore[arg-type]
        self.assertEqual(client_ip(self.request("not-an-address")), "10.0.0.2")  # type: ignore[arg-type]

    @override_settings(BEHIND_HTTPS_PROXY=True, TRUSTED_PROXY_COUNT=2)
    def test_two_trusted_proxies(self) -> None:
        forwarded = "6.6.6.6, 203.0.113.9, 10.0.0.7"
        self.assertEqual(client_ip(self.request(forwarded)), "203.0.113.9")  # type: ignore[arg-type]
        self.assertEqual(client_ip(self.request("203.0.113.9")), "10.0.0.2")  # type: ignore[arg-type]

    def test_without_a_proxy_the_header_is_ignored(self) -> None:
        self.assertEqual(client_ip(self.request("6.6.6.6")), "10.0.0.2")  # type: ignore[arg-type]

    @override_settings(BEHIND_HTTPS_PROXY=True, TRUSTED_PROXY_COUNT=1)
    def test_lockout_and_audit_use_the_same_real_address(self) -> None:
        from django.conf import settings

        self.assertEqual(settings.AXES_CLIENT_IP_CALLABLE, "peerpath.core.middleware.client_ip")
        self.as_("peer").get(
            reverse("clients:detail", args=[self.cast.client.pk]),
            HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
            secure=True,
        )
        event = AuditEvent.objects.filter(action="client.view").latest("id")
        self.assertEqual(event.ip_address, "203.0.113.9")


class ProxyLockoutTests(CastTestCase):
    PASSWORD = "correct horse battery"

    def sign_in(self, forwarded: str, password: str) -> object:
        return self.client.post(
            reverse("core:login"),
            {"username": self.cast.peer.email, "password": password},
            HTTP_X_FORWARDED_FOR=forwarded,
            secure=True,
        )

    @override_settings(BEHIND_HTTPS_PROXY=True, TRUSTED_PROXY_COUNT=1)
    def test_lockout_counts_the_real_address_not_what_the_client_wrote(self) -> None:
        # (Cast accounts have the password "correct horse battery".)
        # An attacker varies the part they write; the proxy-added address stays the same.
        for n in range(5):
            self.sign_in(f"198.51.100.{n}, 203.0.113.9", "wrong password")
        locked = self.sign_in("192.0.2.1, 203.0.113.9", self.PASSWORD)
        self.assertEqual(locked.status_code, 429)  # type: ignore[attr-defined]
        # The same account from another real address is not locked out.
        other = self.sign_in("203.0.113.77", self.PASSWORD)
        self.assertEqual(other.status_code, 302)  # type: ignore[attr-defined]
