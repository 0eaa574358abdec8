"""Site operators look at agencies' directories here, read-only: HSDS records as imported or
kept by the agency, and mutual-aid meetings. Referrals are about people served, so they are
not here (the admin site holds no records of people served)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Meeting, Record


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Record)
class RecordAdmin(ReadOnly):
    list_display = ("table", "hsds_id", "organization", "source", "version", "removed_at")
    list_filter = ("table", "source", "organization")
    search_fields = ("hsds_id",)
    list_select_related = ("organization",)
    show_full_result_count = False


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ("name", "feed", "organization", "attendance", "region")
    list_filter = ("attendance", "organization")
    search_fields = ("name", "slug")
    list_select_related = ("organization",)
    show_full_result_count = False
