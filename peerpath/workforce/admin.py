"""Site operators see the survey questionnaires and waves, read-only. Answers and who answered
are not here: they stay anonymous and are read only as results."""

from django.contrib import admin

from peerpath.core.admin_site import ReadOnlyAdmin

from .models import SurveyInstrument, Wave


@admin.register(SurveyInstrument)
class SurveyInstrumentAdmin(ReadOnlyAdmin):
    list_display = ("name", "title", "version", "organization")
    list_select_related = ("organization",)


@admin.register(Wave)
class WaveAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "instrument", "opens_on", "closes_on")
    list_filter = ("organization",)
    list_select_related = ("organization", "instrument")
