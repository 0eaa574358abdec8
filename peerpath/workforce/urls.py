from django.urls import path

from . import (
    certification_views,
    hiring_views,
    interview_views,
    orientation_views,
    roadmap_views,
    selfcare_views,
    strategy_views,
    support_views,
    views,
)

app_name = "workforce"

urlpatterns = [
    path("agency/surveys/", views.survey_list, name="surveys"),
    path("agency/surveys/new/", views.wave_new, name="wave_new"),
    path("agency/surveys/<int:wave_id>/answer/", views.survey_answer, name="answer"),
    path("agency/surveys/<int:wave_id>/results/", views.wave_results, name="results"),
    path("agency/strategies/", strategy_views.library, name="library"),
    path("agency/strategies/new/", strategy_views.strategy_form, name="strategy_new"),
    path(
        "agency/strategies/<int:strategy_id>/", strategy_views.strategy_form, name="strategy_edit"
    ),
    path("agency/strategies/<int:strategy_id>/adopt/", strategy_views.action_new, name="adopt"),
    path("agency/plan/", strategy_views.plan, name="plan"),
    path("agency/plan/<int:item_id>/", strategy_views.action_update, name="action_update"),
    path("agency/positions/", hiring_views.position_list, name="positions"),
    path("agency/positions/new/", hiring_views.position_form, name="position_new"),
    path("agency/positions/<int:position_id>/", hiring_views.position_detail, name="position"),
    path(
        "agency/positions/<int:position_id>/edit/",
        hiring_views.position_form,
        name="position_edit",
    ),
    path(
        "agency/positions/<int:position_id>/candidates/",
        interview_views.candidates_page,
        name="candidates",
    ),
    path("agency/positions/<int:position_id>/panel/", interview_views.panel_page, name="panel"),
    path("agency/candidates/<int:candidate_id>/", interview_views.candidate_page, name="candidate"),
    path("agency/interviews/", interview_views.interviews_page, name="interviews"),
    path("agency/interview-questions/", interview_views.questions_page, name="questions"),
    path(
        "agency/interview-questions/<int:question_id>/retire/",
        interview_views.question_retire,
        name="question_retire",
    ),
    path("agency/peer-roles/", interview_views.peer_roles_page, name="peer_roles"),
    path("agency/supervision/", support_views.supervision_page, name="supervision"),
    path("agency/supervision/new/", support_views.session_new, name="session_new"),
    path("agency/supervision/<int:session_id>/", support_views.session_page, name="session"),
    path("me/supervision/", support_views.my_supervision, name="my_supervision"),
    path("me/done-for-today/", support_views.done_for_today, name="done_for_today"),
    path("me/work-up-to/", support_views.work_up_to, name="work_up_to"),
    path(
        "agency/step-back/<int:step_back_id>/seen/",
        support_views.step_back_seen,
        name="step_back_seen",
    ),
    path(
        "agency/step-back/<int:step_back_id>/hand-over/",
        support_views.step_back_hand_over,
        name="step_back_hand_over",
    ),
    path("agency/fidelity/", support_views.fidelity_page, name="fidelity"),
    path("agency/support-rules/", support_views.rules_page, name="support_rules"),
    path("me/self-care/", selfcare_views.self_care, name="self_care"),
    path("me/orientation/", orientation_views.my_orientation, name="my_orientation"),
    path("agency/orientation/", orientation_views.orientations, name="orientations"),
    path(
        "agency/orientation/steps/",
        orientation_views.orientation_steps,
        name="orientation_steps",
    ),
    path(
        "agency/orientation/steps/<int:step_id>/retire/",
        orientation_views.orientation_step_retire,
        name="orientation_step_retire",
    ),
    path(
        "agency/orientation/<int:peer_id>/",
        orientation_views.peer_orientation,
        name="peer_orientation",
    ),
    path(
        "me/certifications/",
        certification_views.my_certifications,
        name="my_certifications",
    ),
    path(
        "certifications/<int:certification_id>/file/",
        certification_views.certification_file,
        name="certification_file",
    ),
    path(
        "agency/certifications/",
        certification_views.peers_certifications,
        name="peers_certifications",
    ),
    path(
        "agency/supervision/self-care/<int:peer_id>/",
        selfcare_views.shared_plan,
        name="shared_plan",
    ),
    path("agency/peer-wellbeing/", selfcare_views.wellbeing_summary, name="wellbeing"),
    path("agency/roadmap/", roadmap_views.roadmap_page, name="roadmap"),
    path("agency/roadmap/steps/<slug:key>/", roadmap_views.step_mark, name="step"),
    path("agency/roadmap/champions/", roadmap_views.champion_name, name="champion"),
    path("agency/roadmap/learning/", roadmap_views.activity_plan, name="activity"),
    path(
        "agency/roadmap/learning/<int:activity_id>/",
        roadmap_views.activity_learned,
        name="activity_learned",
    ),
]
