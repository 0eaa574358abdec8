"""Site operators see the survey questionnaires and waves, positions and the interview question
banks, read-only. Answers and who answered are not here: they stay anonymous and are read only
as results. Nor are candidates and their scores, supervision notes, self-care, certificates or
anything else about one staff member: personnel data, read only in the app, where every look is
audited. The agencies' rules and orientation templates are here."""

from django.contrib import admin

from peerpath.core.admin_site import ReadOnlyAdmin

from .models import (
    InterviewQuestion,
    OrientationStep,
    Position,
    SurveyInstrument,
    Wave,
    WorkforceRules,
)


@admin.register(SurveyInstrument)
class SurveyInstrumentAdmin(ReadOnlyAdmin):
    list_display = ("name", "title", "version", "organization")
    list_select_related = ("organization",)


@admin.register(Wave)
class WaveAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "instrument", "opens_on", "closes_on")
    list_filter = ("organization",)
    list_select_related = ("organization", "instrument")


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "status", "pay_min", "pay_max")
    list_filter = ("organization", "status")
    list_select_related = ("organization",)


@admin.register(InterviewQuestion)
class InterviewQuestionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "organization", "is_active")
    list_filter = ("organization", "is_active")
    list_select_related = ("organization",)


@admin.register(WorkforceRules)
class WorkforceRulesAdmin(ReadOnlyAdmin):
    list_display = ("organization", "one_to_one_days", "group_days", "fidelity_target")
    list_select_related = ("organization",)


@admin.register(OrientationStep)
class OrientationStepAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "organization", "day", "is_active")
    list_filter = ("organization",)
    list_select_related = ("organization",)
