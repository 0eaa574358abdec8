"""Headers and small leaks: a policy that allows no inline script or style, nothing cached for
a signed-in person, and an API schema only for signed-in staff."""

from __future__ import annotations

from django.test import Client as HttpClient

from peerpath.testing import CastTestCase


class HeaderTests(CastTestCase):
    def test_every_page_carries_a_strict_content_security_policy(self) -> None:
        for response in (HttpClient().get("/account/sign-in/"), self.as_("peer").get("/")):
            policy = response["Content-Security-Policy"]
            self.assertIn("default-src 'self'", policy)
            self.assertIn("script-src 'self'", policy)
            self.assertIn("style-src 'self'", policy)
            self.assertIn("frame-ancestors 'none'", policy)
            self.assertNotIn("unsafe-inline", policy)
            self.assertNotIn("unsafe-eval", policy)

    def test_nothing_with_client_data_is_cached(self) -> None:
        peer = self.as_("peer")
        for url in (
            f"/people/{self.cast.client.pk}/",
            f"/api/v1/clients/{self.cast.client.pk}/contacts",
            "/api/v1/clients",
        ):
            with self.subTest(url=url):
                response = peer.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn("no-store", response["Cache-Control"])
                self.assertIn("private", response["Cache-Control"])

    def test_the_api_schema_and_docs_need_sign_in(self) -> None:
        anonymous = HttpClient()
        for url in ("/api/v1/openapi.json", "/api/v1/docs"):
            with self.subTest(url=url):
                response = anonymous.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("/account/sign-in/", response["Location"])
                self.assertEqual(self.as_("peer").get(url).status_code, 200)
