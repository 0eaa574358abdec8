"""The load scenario `make load` runs: peers doing their day and supervisors reviewing.

Each simulated person signs in through the real sign-in page as a different generated staff
member (the list comes from LOAD_USERS, a file of "role email" lines), then repeats their work
at a person's pace, reading each page for 5 to 15 seconds and writing a note for 30 to 60:

    peer:        My day -> a person on it -> their plan -> a new contact -> signed
    supervisor:  the review queue -> a waiting note (read) -> co-signed
"""

from __future__ import annotations

import itertools
import os
import random
import re
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import gevent
from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "bench-password-1234")
_lines = [line.split() for line in Path(os.environ["LOAD_USERS"]).read_text().splitlines() if line]
_pools = {
    role: itertools.cycle([email for r, email in _lines if r == role])
    for role in ("peer", "supervisor")
}
_lock = threading.Lock()

PERSON = re.compile(r'href="/people/(\d+)/"')
NOTE = re.compile(r'href="/people/(\d+)/contacts/(\d+)/"')
HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|edit_token)" value="([^"]*)"')


def _hidden(html: str) -> dict[str, str]:
    return dict(HIDDEN.findall(html))


def reading() -> None:
    gevent.sleep(random.uniform(5, 15))


def writing() -> None:
    gevent.sleep(random.uniform(30, 60))


class Staff(HttpUser):
    abstract = True
    role = ""
    wait_time = between(5, 15)  # before the next round of work

    def on_start(self) -> None:
        with _lock:
            self.email = next(_pools[self.role])
        page = self.client.get("/account/sign-in/", name="sign in (form)")
        self.submit(
            "/account/sign-in/",
            {"username": self.email, "password": PASSWORD},
            page=page.text,
            name="sign in",
        )

    def submit(self, url: str, data: dict[str, object], *, page: str, name: str) -> None:
        """Post a form as the page that showed it would; anything but a redirect is an error."""
        data = {**_hidden(page), **data}
        with self.client.post(
            url, data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{name} as {self.email} answered {response.status_code}")


class Peer(Staff):
    role = "peer"
    weight = 10

    @task
    def a_contact(self) -> None:
        day = self.client.get("/", name="my day")
        people = PERSON.findall(day.text)
        if not people:
            return
        person = random.choice(people)
        reading()
        self.client.get(f"/people/{person}/", name="person")
        reading()
        self.client.get(f"/people/{person}/plan/", name="plan")
        reading()
        url = f"/people/{person}/contacts/new/"
        form = self.client.get(url, name="contact form")
        writing()
        # An hour ago where the agency is (the server refuses a contact in the future).
        zone = ZoneInfo(os.environ.get("TIME_ZONE", "America/New_York"))
        when = datetime.now(zone) - timedelta(hours=1)
        self.submit(
            url,
            {
                "version": "0",
                "occurred_on": when.date().isoformat(),
                "occurred_time": when.strftime("%H:%M"),
                "minutes": "30",
                "place": "community",
                "services": ["hope", "resources"],
                "summary": "Walked to the food bank together and planned next week.",
                "in_their_words": "I feel better when I get out.",
                "action": "sign",
            },
            page=form.text,
            name="sign a contact",
        )


class Supervisor(Staff):
    role = "supervisor"
    weight = 1

    @task
    def a_review(self) -> None:
        queue = self.client.get("/reviews/", name="review queue")
        notes = NOTE.findall(queue.text)
        if not notes:
            return
        person, note = random.choice(notes)
        reading()
        page = self.client.get(f"/people/{person}/contacts/{note}/", name="note")
        reading()
        # Reviewed by someone else a moment before: PeerPath says so and moves on (a redirect).
        self.submit(
            f"/people/{person}/contacts/{note}/review/",
            {"decision": "reviewed", "comment": ""},
            page=page.text,
            name="co-sign a note",
        )
