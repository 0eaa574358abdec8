"""Site operators see the survey questionnaires and waves, read-only. Answers and who answered
are not here: they stay anonymous and are read only as results."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import SurveyInstrument, Wave


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SurveyInstrument)
class SurveyInstrumentAdmin(ReadOnly):
    list_display = ("name", "title", "version", "organization")
    list_select_related = ("organization",)


@admin.register(Wave)
class WaveAdmin(ReadOnly):
    list_display = ("name", "organization", "instrument", "opens_on", "closes_on")
    list_filter = ("organization",)
    list_select_related = ("organization", "instrument")
