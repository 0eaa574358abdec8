"""The workforce in the operators' admin site: read-only, never candidates or survey answers."""

from __future__ import annotations

from django.contrib import admin

from peerpath.workforce.models import (
    Candidate,
    Certification,
    InterviewQuestion,
    OrientationStep,
    Participation,
    Position,
    Scorecard,
    SelfCarePlan,
    SupervisionSession,
    SurveyAnswer,
    SurveyInstrument,
    Wave,
    WellbeingCheckin,
    WorkforceRules,
)


def test_operators_read_positions_and_questions_and_never_see_candidates_or_answers() -> None:
    registered = admin.site._registry
    for model in (
        Candidate,
        Scorecard,
        SurveyAnswer,
        Participation,
        SupervisionSession,
        SelfCarePlan,
        WellbeingCheckin,
        Certification,
    ):
        assert model not in registered
    for model in (
        Position,
        InterviewQuestion,
        SurveyInstrument,
        Wave,
        WorkforceRules,
        OrientationStep,
    ):
        model_admin = registered[model]
        assert not model_admin.has_add_permission(None)  # type: ignore[arg-type]
        assert not model_admin.has_change_permission(None)  # type: ignore[arg-type]
        assert not model_admin.has_delete_permission(None)  # type: ignore[arg-type]
