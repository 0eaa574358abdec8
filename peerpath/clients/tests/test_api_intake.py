"""The API for taking people in, changing details, enrollments and care teams, per role."""

from __future__ import annotations

import json

from django.utils import timezone

from peerpath.clients import access
from peerpath.clients.models import CareTeamMember, Client, Enrollment
from peerpath.core.models import Role
from peerpath.testing import ROLES, CastTestCase, make_staff


def body(cast, **over):  # type: ignore[no-untyped-def]
    today = timezone.localdate().isoformat()
    data = {
        "given_name": "Tomasz",
        "family_name": "Wieczorek",
        "language": "Polish",
        "date_of_birth": "1975-08-09",
        "referral_source": "outreach",
        "team_id": cast.team.pk,
        "enrolled_on": today,
        "consent": {"method": "verbal", "given_on": today, "witness": "Sky Supervisor"},
    }
    data.update(over)
    return data


class ClientApiTests(CastTestCase):
    def post(self, role: str, url: str, data: dict):  # type: ignore[no-untyped-def]
        return self.as_(role).post(url, json.dumps(data), content_type="application/json")

    def test_who_may_take_a_person_in_by_api(self) -> None:
        expected = {"peer": 201, "supervisor": 201, "clinician": 403, "anonymous": 401}
        for n, (role, status) in enumerate(expected.items()):
            with self.subTest(role=role):
                data = body(
                    self.cast, family_name=f"Wieczorek{role}", date_of_birth=f"197{n}-01-01"
                )
                response = self.post(role, "/api/v1/clients", data)
                self.assertEqual(response.status_code, status, response.content)
        created = Client.objects.get(family_name="Wieczorekpeer")
        self.assertIn(created, access.caseload(self.cast.peer))
        self.assertEqual(Enrollment.objects.get(client=created).team, self.cast.team)

    def test_a_possible_duplicate_needs_a_reason_and_names_no_hidden_record(self) -> None:
        data = body(
            self.cast, given_name="Jordana", family_name="Quillfeather", date_of_birth="1990-05-17"
        )
        refused = self.post("clinician", "/api/v1/clients", data)
        self.assertEqual(refused.status_code, 403)
        self.cast.org.intake_roles = ["clinician", "peer_specialist"]
        self.cast.org.save()
        hidden = self.post("clinician", "/api/v1/clients", data)
        self.assertEqual(hidden.status_code, 422)
        self.assertIn("[] (records you may see) and 1 you may not see", hidden.json()["detail"])
        self.assertNotIn(str(self.cast.client.pk), hidden.json()["detail"].split("[")[1][:5])
        seen = self.post("peer", "/api/v1/clients", data)
        self.assertIn(f"[{self.cast.client.pk}]", seen.json()["detail"])
        ok = self.post("peer", "/api/v1/clients", {**data, "duplicate_reason": "Cousin."})
        self.assertEqual(ok.status_code, 201)
        self.assertEqual(Client.objects.filter(family_name="Quillfeather").count(), 2)

    def test_bad_input_is_refused_in_words_and_writes_nothing(self) -> None:
        tomorrow = (timezone.localdate() + timezone.timedelta(days=2)).isoformat()
        elsewhere = self.cast.outsider_client.enrollments.get().team_id
        for changes in (
            {"team_id": elsewhere},
            {"enrolled_on": tomorrow},
            {"consent": {"method": "verbal", "given_on": tomorrow, "witness": "X"}},
            {"consent": {"method": "verbal", "given_on": "2026-01-01", "witness": ""}},
            {"first_member_id": self.cast.outsider.pk},
            {"email": "not-an-email"},
            {"referral_source": "aliens"},
        ):
            with self.subTest(changes=changes):
                response = self.post("peer", "/api/v1/clients", body(self.cast, **changes))
                self.assertEqual(response.status_code, 422, response.content)
        self.assertFalse(Client.objects.filter(family_name="Wieczorek").exists())

    def test_details_change_with_the_version_and_a_stale_save_is_refused(self) -> None:
        client = self.cast.client
        url = f"/api/v1/clients/{client.pk}"
        ok = self.as_("peer").patch(
            url,
            json.dumps({"version": client.version, "pronouns": "she/her"}),
            content_type="application/json",
        )
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertEqual(ok.json()["pronouns"], "she/her")
        stale = self.as_("peer").patch(
            url,
            json.dumps({"version": client.version, "pronouns": "they/them"}),
            content_type="application/json",
        )
        self.assertEqual(stale.status_code, 422)
        read_only = self.as_("supervisor").patch(
            url, json.dumps({"version": 2, "pronouns": "x"}), content_type="application/json"
        )
        self.assertEqual(read_only.status_code, 403)
        self.assertEqual(
            self.as_("clinician")
            .patch(url, json.dumps({"version": 1}), content_type="application/json")
            .status_code,
            404,
        )

    def test_care_team_add_list_and_end(self) -> None:
        other = make_staff(self.cast.org, Role.CASE_MANAGER, name="Cam Case")
        url = f"/api/v1/clients/{self.cast.client.pk}/care-team"
        added = self.post("peer", url, {"staff_id": other.pk, "role": "case_manager"})
        self.assertEqual(added.status_code, 201, added.content)
        listed = self.as_("supervisor").get(url).json()
        self.assertEqual({m["staff_name"] for m in listed}, {"Pat Peer", "Cam Case"})
        self.assertEqual(
            self.post("supervisor", url, {"staff_id": other.pk, "role": "other"}).status_code, 403
        )
        member = added.json()["id"]
        self.assertEqual(self.as_("peer").delete(f"{url}/{member}").status_code, 204)
        self.assertTrue(CareTeamMember.objects.get(pk=member).ended_on)
        last = CareTeamMember.objects.get(client=self.cast.client, staff=self.cast.peer).pk
        self.assertEqual(self.as_("peer").delete(f"{url}/{last}").status_code, 422)
        for role in ROLES:
            if role in {"peer", "supervisor"}:
                continue
            with self.subTest(role=role):
                self.assertIn(self.as_(role).get(url).status_code, {401, 404})

    def test_discharge_enrollments_and_readmit(self) -> None:
        pk = self.cast.client.pk
        today = timezone.localdate().isoformat()
        done = self.post(
            "peer", f"/api/v1/clients/{pk}/discharge", {"reason": "moved", "on": today}
        )
        self.assertEqual(done.status_code, 200, done.content)
        self.assertEqual(done.json()["status"], "discharged")
        again = self.post(
            "peer", f"/api/v1/clients/{pk}/discharge", {"reason": "moved", "on": today}
        )
        self.assertEqual(again.status_code, 403)  # the closed record is read-only now
        enrollments = self.as_("peer").get(f"/api/v1/clients/{pk}/enrollments").json()
        self.assertEqual(enrollments[0]["end_reason"], "moved")
        back = self.post(
            "peer", f"/api/v1/clients/{pk}/readmit", {"team_id": self.cast.team.pk, "on": today}
        )
        self.assertEqual(back.status_code, 200, back.content)
        self.assertEqual(back.json()["status"], "active")
        self.assertEqual(len(self.as_("peer").get(f"/api/v1/clients/{pk}/enrollments").json()), 2)

    def test_transfer_by_api_hands_off_and_the_old_peer_loses_the_record(self) -> None:
        new_peer = make_staff(self.cast.org, Role.PEER_SPECIALIST, name="Nat New")
        pk = self.cast.client.pk
        moved = self.post(
            "peer",
            f"/api/v1/clients/{pk}/transfer",
            {
                "note": "Likes mornings.",
                "on": timezone.localdate().isoformat(),
                "from_staff_id": self.cast.peer.pk,
                "to_staff_id": new_peer.pk,
            },
        )
        self.assertEqual(moved.status_code, 404)  # handed off: no longer the peer's record
        self.assertIn(self.cast.client, access.caseload(new_peer))
        self.assertEqual(self.as_("peer").get(f"/api/v1/clients/{pk}").status_code, 404)
