"""The directory in the operators' admin site: read-only, and no records of people served."""

from __future__ import annotations

from django.contrib import admin

from peerpath.directory.models import Meeting, Record, Referral, ReferralBarrier, ReferralChange


def test_operators_read_the_directory_and_never_see_referrals() -> None:
    registered = admin.site._registry
    assert Record in registered and Meeting in registered
    for model in (Referral, ReferralChange, ReferralBarrier):
        assert model not in registered
    for model in (Record, Meeting):
        model_admin = registered[model]
        assert not model_admin.has_add_permission(None)  # type: ignore[arg-type]
        assert not model_admin.has_change_permission(None)  # type: ignore[arg-type]
        assert not model_admin.has_delete_permission(None)  # type: ignore[arg-type]
