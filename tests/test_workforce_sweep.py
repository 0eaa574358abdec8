"""The workforce pages, discovered from the URL conf, swept with real objects: a staff member of
another agency is refused every page that names one of this agency's objects, and no page shows
personnel data (a candidate, supervision notes, a self-care plan, a certificate) to a co-worker
who has no part in it, whatever the method."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver
from django.utils import timezone

from peerpath.core.models import Role, Staff
from peerpath.testing import CastTestCase, make_staff
from peerpath.workforce import certifications, orientation, recruiting, selfcare, stepback, support
from peerpath.workforce.models import (
    ActionItem,
    InterviewQuestion,
    LearningActivity,
    OrientationStep,
    Position,
    Strategy,
    Wave,
)

SECRETS = (
    "Quentin Candidate",  # a candidate's name
    "NOTE-7Q2",  # supervision notes
    "PLAN-4K9",  # a self-care plan, shared with the supervisor only
    "%PDF-1.4 sweep",  # the certificate file
)
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def workforce_routes() -> list[str]:
    resolver = get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        inner = getattr(pattern, "url_patterns", None)
        if not inner:
            continue
        for entry in inner:
            if isinstance(entry, URLPattern) and str(entry.lookup_str).startswith(
                "peerpath.workforce."
            ):
                routes.append(str(pattern.pattern) + str(entry.pattern))
    return sorted(set(routes))


class WorkforceSweep(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cast = cls.cast
        org = cast.org
        today = timezone.localdate()
        cls.manager = make_staff(org, Role.PROGRAM_MANAGER, name="Mo Manager")
        Staff.objects.filter(pk=cast.peer.pk).update(supervisor=cast.supervisor)
        cast.peer.refresh_from_db()
        position = Position.objects.create(
            organization=org,
            title="Peer Support Specialist",
            status="open",
            summary="Walk with people.",
            duties=["story"],
            lived_experience=True,
            certification="none",
            supervision="Weekly.",
            hours_per_week=40,
            pay_min=Decimal("25"),
            pay_max=Decimal("29"),
            county="Lane",
            created_by=cls.manager,
        )
        recruiting.criteria_seed(position)
        other_staff = make_staff(org, Role.CASE_MANAGER, name="Panel Member")
        recruiting.panel_save(
            actor=cls.manager,
            position=position,
            members=[cast.supervisor, other_staff],
            criteria=[(c.pk, "", c.weight) for c in position.criteria.all()],
        )
        candidate = recruiting.candidate_add(
            actor=cls.manager,
            position=position,
            data={
                "full_name": "Quentin Candidate",
                "email": "",
                "phone": "",
                "applied_on": today,
                "paid_years": Decimal("1"),
                "peer_run_years": Decimal("0"),
                "volunteer_years": Decimal("0"),
                "lived_experience": None,
                "certification": "none",
            },
        )
        session = support.session_log(
            actor=cast.supervisor,
            kind="one_to_one",
            held_on=today,
            minutes=30,
            peers=[cast.peer],
            topics=["boundaries"],
            notes="NOTE-7Q2",
        )
        selfcare.plan_save(
            actor=cast.peer, data={"keeps_me_well": "PLAN-4K9", "shared_with_supervisor": True}
        )
        upload = SimpleUploadedFile("c.pdf", b"%PDF-1.4 sweep", content_type="application/pdf")
        cert = certifications.certification_add(
            actor=cast.peer,
            data={
                "kind": "state_peer",
                "name": "",
                "body": "OHA",
                "number": "",
                "issued_on": today - timedelta(days=10),
                "expires_on": today + timedelta(days=40),
                "ce_hours": 10,
                "ce_years": 2,
                "ethics_hours": 0,
            },
            upload=upload,
        )
        orientation.start(actor=cast.supervisor, peer=cast.peer, starts_on=today)
        step = stepback.step_back(actor=cast.peer, today=today)
        question = recruiting.question_add(actor=cls.manager, text="What draws you here?")
        orientation_step = OrientationStep.objects.filter(organization=org).first()
        strategy = Strategy.objects.create(organization=org, title="A strategy")
        wave = Wave.objects.filter(organization=org).first()
        item = ActionItem.objects.create(
            organization=org,
            strategy=strategy,
            owner=cls.manager,
            due_on=today,
            created_by=cls.manager,
        )
        activity = LearningActivity.objects.create(
            organization=org,
            kind="visit",
            host="Elsewhere",
            planned_on=today,
            created_by=cls.manager,
        )
        cls.ids: dict[str, Any] = {
            "position_id": position.pk,
            "candidate_id": candidate.pk,
            "session_id": session.pk,
            "peer_id": cast.peer.pk,
            "certification_id": cert.pk,
            "step_back_id": step.pk,
            "question_id": question.pk,
            "step_id": orientation_step.pk if orientation_step else 1,
            "strategy_id": strategy.pk,
            "wave_id": wave.pk if wave else 1,
            "item_id": item.pk,
            "activity_id": activity.pk,
            "key": "champions",
        }
        assert InterviewQuestion.objects.filter(pk=question.pk).exists()

    def url(self, route: str) -> str:
        return "/" + PARAM.sub(lambda m: str(self.ids[m.group("name")]), route)

    def test_the_sweep_finds_the_workforce_pages(self) -> None:
        routes = workforce_routes()
        self.assertIn("agency/candidates/<int:candidate_id>/", routes)
        self.assertIn("certifications/<int:certification_id>/file/", routes)
        self.assertIn("me/self-care/", routes)
        self.assertGreater(len(routes), 35)

    def test_another_agency_is_refused_every_page_naming_an_object_of_this_one(self) -> None:
        failures = []
        http = self.as_("outsider")
        for route in workforce_routes():
            url = self.url(route)
            for method in ("get", "post"):
                response = getattr(http, method)(url)
                text = response.content.decode(errors="replace")
                if PARAM.search(route) and response.status_code not in (403, 404, 405):
                    failures.append(f"{method.upper()} {url}: {response.status_code}")
                failures += [f"{method.upper()} {url}: shows {s!r}" for s in SECRETS if s in text]
        self.assertEqual(failures, [])

    def test_co_workers_without_a_part_never_see_personnel_data(self) -> None:
        failures = []
        # A clinician, a peer who was not in the session, and the privacy officer.
        others = {
            "clinician": self.as_("clinician"),
            "another peer": self.as_staff(make_staff(self.cast.org, Role.PEER_SPECIALIST)),
            "privacy officer": self.as_staff(make_staff(self.cast.org, Role.PRIVACY_OFFICER)),
        }
        for route in workforce_routes():
            url = self.url(route)
            for who, http in others.items():
                text = http.get(url).content.decode(errors="replace")
                failures += [f"GET {url} as {who}: shows {s!r}" for s in SECRETS if s in text]
        self.assertEqual(failures, [])

    def test_those_with_a_part_do_see_it(self) -> None:
        """The control: the sweep's secrets are really on the pages of those who may see them."""
        seen = {
            "Quentin Candidate": self.as_staff(self.manager).get(
                self.url("agency/candidates/<int:candidate_id>/")
            ),
            "NOTE-7Q2": self.as_("peer").get(self.url("agency/supervision/<int:session_id>/")),
            "PLAN-4K9": self.as_("supervisor").get(
                self.url("agency/supervision/self-care/<int:peer_id>/")
            ),
            "%PDF-1.4 sweep": self.as_("supervisor").get(
                self.url("certifications/<int:certification_id>/file/")
            ),
        }
        for secret, response in seen.items():
            self.assertIn(secret, response.content.decode(errors="replace"))
