from django.urls import path

from . import views

app_name = "plans"

P = "people/<int:client_id>/"

urlpatterns = [
    path(P + "plan/", views.plan_page, name="plan"),
    path(
        P + "contacts/<int:contact_id>/follow-up/",
        views.contact_follow_up,
        name="contact_follow_up",
    ),
    path(P + "goals/new/", views.goal_new, name="goal_new"),
    path(P + "goals/<int:goal_id>/", views.goal_detail, name="goal"),
    path(P + "goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path(P + "goals/<int:goal_id>/steps/", views.goal_step_add, name="goal_step_add"),
    path(
        P + "goals/<int:goal_id>/steps/<int:step_id>/done/",
        views.goal_step_done,
        name="goal_step_done",
    ),
    path(P + "goals/<int:goal_id>/notes/", views.goal_note_add, name="goal_note_add"),
    path(P + "wrap/", views.wrap_view, name="wrap"),
    path(P + "wrap/edit/", views.wrap_edit, name="wrap_edit"),
    path(P + "wrap/versions/<int:number>/", views.wrap_view, name="wrap_version"),
    path(P + "wrap/compare/", views.wrap_compare, name="wrap_compare"),
    path(P + "wrap/crisis-plan.pdf", views.wrap_crisis_pdf, name="wrap_crisis_pdf"),
    path(P + "wham/new/", views.wham_new, name="wham_new"),
    path(P + "wham/<int:plan_id>/", views.wham_detail, name="wham"),
    path(P + "imr/", views.imr, name="imr"),
]
