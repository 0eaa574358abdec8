"""The rights a person has over their record: in plain words, with the law's own words behind."""

from __future__ import annotations

from django import template

from peerpath.clients.models.privacy import PART2_NOTICE, PART2_REVOCATION

register = template.Library()


@register.inclusion_tag("clients/privacy/_your_rights.html")
def your_rights() -> dict[str, str]:
    return {"legal_notice": PART2_NOTICE, "legal_revocation": PART2_REVOCATION}
