"""A crawl of the demo agency as every demo login: every page they can reach by following links
answers without a server error, and no page repeats an element id (a label or an error message
would point at the wrong input)."""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

from django.test import Client as HttpClient
from django.test import TestCase

from peerpath.core.models import Staff
from peerpath.demo import agency

# An English date ("Dec 1", "December 1"): must not appear on a page shown in Spanish.
ENGLISH_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{1,2}\b"
)
# Pages per login: enough to reach every kind of page from My day and the menus.
LIMIT = 80
SKIP = ("/account/sign-out/", "/i18n/", "/admin/", "/api/", "/static/")
SKIP_ENDINGS = (".pdf", ".csv", "/pdf/", "/export/")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.links: list[str] = []
        self.inline: list[str] = []  # what the Content-Security-Policy would refuse

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "style" or (
            tag == "script" and not values.get("src") and values.get("type") != "application/json"
        ):
            self.inline.append(f"<{tag}>")
        for name in values:
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.inline.append(f"<{tag} {name}=...>")
        if values.get("id"):
            self.ids[values["id"] or ""] += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")


def _followable(href: str) -> str | None:
    url = urldefrag(href)[0]
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/"):
        return None
    if parsed.path.startswith(SKIP) or parsed.path.endswith(SKIP_ENDINGS):
        return None
    return url


class CrawlTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        org = agency.load()
        cls.logins = list(Staff.objects.filter(organization=org).order_by("email"))

    def crawl(self, staff: Staff, language: str = "en") -> tuple[int, list[str]]:
        http = HttpClient()
        http.force_login(staff)
        http.cookies["django_language"] = language
        seen: set[str] = set()
        queue = deque(["/"])
        problems: list[str] = []
        while queue and len(seen) < LIMIT:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            response = http.get(url)
            if response.status_code >= 500:
                problems.append(f"{url}: {response.status_code}")
                continue
            if response.status_code in (301, 302):
                target = _followable(response["Location"])
                if target and target not in seen:
                    queue.appendleft(target)
                continue
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            page = _Page()
            page.feed(response.content.decode())
            repeated = sorted(i for i, n in page.ids.items() if n > 1)
            if repeated:
                problems.append(f"{url}: repeated ids {repeated}")
            if page.inline:
                problems.append(f"{url}: inline script or style {sorted(set(page.inline))}")
            policy = response.get("Content-Security-Policy", "")
            if "script-src 'self'" not in policy or "unsafe-inline" in policy:
                problems.append(f"{url}: Content-Security-Policy is {policy!r}")
            if "no-store" not in response.get("Cache-Control", ""):
                problems.append(f"{url}: a signed-in page without Cache-Control: no-store")
            if language == "es":
                main = response.content.decode().split("<main", 1)[-1].split("</main>", 1)[0]
                english = sorted({m.group(0) for m in ENGLISH_DATE.finditer(main)})
                if english:
                    problems.append(f"{url}: English dates in Spanish {english}")
            for href in page.links:
                target = _followable(href)
                if target and target not in seen:
                    queue.append(target)
        return len(seen), problems

    def test_every_demo_login_crawls_clean(self) -> None:
        self.assertGreaterEqual(len(self.logins), 9)
        for staff in self.logins:
            with self.subTest(login=staff.email):
                pages, problems = self.crawl(staff)
                self.assertGreater(pages, 3, "the crawl should reach more than the menu")
                self.assertEqual(problems, [])

    def test_pages_in_spanish_show_dates_in_spanish(self) -> None:
        for email in ("maria.lopez@riverbend.example", "dana.whitfield@riverbend.example"):
            staff = Staff.objects.get(email=email)
            with self.subTest(login=email):
                pages, problems = self.crawl(staff, language="es")
                self.assertGreater(pages, 3)
                self.assertEqual(problems, [])
