"""Sign-in: email and password, two-factor codes, lockout, idle and absolute session limits."""

from __future__ import annotations

import time
from urllib.parse import quote

from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerpath.core.middleware import SESSION_STARTED_KEY
from peerpath.core.models import AuditEvent
from peerpath.testing import CastTestCase

PASSWORD = "correct horse battery"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


class SignInTests(CastTestCase):
    def sign_in(self, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        return self.client.post(reverse("core:login"), {"username": email, "password": password})

    def test_email_and_password_open_my_day_and_are_audited(self) -> None:
        before = AuditEvent.objects.count()
        response = self.sign_in(self.cast.peer.email.upper())
        self.assertRedirects(response, reverse("clients:my_day"))
        events = list(AuditEvent.objects.order_by("id")[before:])
        self.assertEqual((events[0].action, events[0].actor), ("staff.sign_in", self.cast.peer))
        self.assertEqual([e.action for e in events[1:]], ["my_day.view"])  # then My day, seen

    def test_wrong_password_explains_and_signs_no_one_in(self) -> None:
        response = self.sign_in(self.cast.peer.email, "wrong password")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "enter a correct")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_production_hashes_passwords_with_argon2(self) -> None:
        from peerpath import settings as configured

        # The suite swaps in a fast hasher (conftest.py); the configured one is Argon2.
        self.assertEqual(
            configured.PASSWORD_HASHERS[0], "django.contrib.auth.hashers.Argon2PasswordHasher"
        )

    def test_lockout_after_repeated_failures(self) -> None:
        for _ in range(5):
            self.sign_in(self.cast.peer.email, "wrong password")
        response = self.sign_in(self.cast.peer.email)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Sign-in paused", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        # Another account from the same address is not locked.
        self.assertRedirects(self.sign_in(self.cast.supervisor.email), reverse("clients:my_day"))

    def test_idle_logoff_is_renewed_on_each_request(self) -> None:
        self.sign_in(self.cast.peer.email)
        self.assertEqual(self.client.session.get_expiry_age(), 15 * 60)
        self.assertTrue(self.client.session.get_expire_at_browser_close())

    @override_settings(SESSION_RENEW_SECONDS=60)
    def test_the_session_row_is_written_once_a_minute_at_most(self) -> None:
        import time_machine
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.sign_in(self.cast.peer.email)

        def session_writes() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("clients:my_day")).status_code, 200)
            return sum(
                1
                for q in queries.captured_queries
                if "django_session" in q["sql"]
                and q["sql"].lstrip().startswith(("UPDATE", "INSERT"))
            )

        self.assertEqual(session_writes(), 0)  # the first page after signing in writes nothing
        with time_machine.travel(time.time() + 120, tick=False):
            self.assertEqual(session_writes(), 1)  # renewed: a minute has passed
            self.assertEqual(session_writes(), 0)  # a plain page view writes nothing
        with time_machine.travel(time.time() + 200, tick=False):
            self.assertEqual(session_writes(), 1)
        self.assertEqual(self.client.session.get_expiry_age(), 15 * 60)

    def test_absolute_session_limit(self) -> None:
        self.sign_in(self.cast.peer.email)
        self.assertEqual(self.client.get(reverse("clients:my_day")).status_code, 200)
        session = self.client.session
        session[SESSION_STARTED_KEY] = time.time() - 12 * 3600 - 60
        session.save()
        response = self.client.get(reverse("clients:my_day"))
        self.assertRedirects(response, reverse("core:login"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)


@override_settings(REQUIRE_2FA=True)
class TwoFactorTests(CastTestCase):
    def sign_in(self) -> None:
        self.client.post(
            reverse("core:login"), {"username": self.cast.peer.email, "password": PASSWORD}
        )

    def test_every_page_waits_for_the_code(self) -> None:
        self.sign_in()
        for url in (
            reverse("clients:my_day"),
            reverse("clients:detail", args=[self.cast.client.pk]),
        ):
            response = self.client.get(url)
            self.assertRedirects(
                response,
                f"{reverse('core:two_factor')}?next={quote(url, safe='')}",
                fetch_redirect_response=False,
            )
        self.assertEqual(self.client.get("/api/v1/clients").status_code, 401)

    def test_enrolment_then_verification(self) -> None:
        self.sign_in()
        page = self.client.get(reverse("core:two_factor"))
        self.assertContains(page, "Add PeerPath to your authenticator app")
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(user=self.cast.peer, confirmed=False)
        wrong = self.client.post(reverse("core:two_factor"), {"token": "000000"})
        if current_code(device) != "000000":
            self.assertContains(wrong, "That code did not match")
        # A failure slows further tries down; right away even a right code waits.
        throttled = self.client.post(reverse("core:two_factor"), {"token": current_code(device)})
        self.assertContains(throttled, "Too many tries")
        device.refresh_from_db()
        device.throttle_reset()
        response = self.client.post(reverse("core:two_factor"), {"token": current_code(device)})
        self.assertRedirects(response, reverse("clients:my_day"))
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertTrue(
            AuditEvent.objects.filter(
                action="staff.two_factor_enroll", actor=self.cast.peer
            ).exists()
        )
        self.assertEqual(self.client.get(reverse("clients:my_day")).status_code, 200)

    def test_enrolled_staff_are_asked_for_a_code(self) -> None:
        device = TOTPDevice.objects.create(user=self.cast.peer, name="phone", confirmed=True)
        self.sign_in()
        page = self.client.get(reverse("core:two_factor"))
        self.assertContains(page, "enter the code it shows")
        self.assertNotContains(page, "<svg")
        letters = self.client.post(reverse("core:two_factor"), {"token": "abc"})
        self.assertContains(letters, "Enter the 6 digits")
        response = self.client.post(reverse("core:two_factor"), {"token": current_code(device)})
        self.assertRedirects(response, reverse("clients:my_day"))
