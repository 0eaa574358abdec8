"""Site operators look at agencies' directories here, read-only: HSDS records as imported or
kept by the agency, and mutual-aid meetings. Referrals are about people served, so they are
not here (the admin site holds no records of people served)."""

from django.contrib import admin

from peerpath.core.admin_site import ReadOnlyAdmin

from .models import Meeting, Record


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ("table", "hsds_id", "organization", "source", "version", "removed_at")
    list_filter = ("table", "source", "organization")
    search_fields = ("hsds_id",)
    list_select_related = ("organization",)
    show_full_result_count = False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("name", "feed", "organization", "attendance", "region")
    list_filter = ("attendance", "organization")
    search_fields = ("name", "slug")
    list_select_related = ("organization",)
    show_full_result_count = False
