from __future__ import annotations

from peerpath.clients.access import ClientAccess, client_for_write
from peerpath.plans import wrap_fields
from peerpath.testing import Cast

CRISIS_TEXT = {
    "crisis_signs": "I stop eating and I do not answer the phone for two days.",
    "crisis_supporters": "My sister Ana, 555-0101, can stay with me.",
    "crisis_helps": "Quiet music and a walk with Ana.",
}


def writer(cast: Cast) -> ClientAccess:
    return client_for_write(cast.peer, cast.client.pk)


def wrap_post(based_on: int, **answers: str) -> dict[str, str]:
    data = {key: "" for key in wrap_fields.KEYS}
    data.update(answers)
    data["based_on"] = str(based_on)
    data["note"] = ""
    return data
