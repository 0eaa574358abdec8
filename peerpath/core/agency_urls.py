from django.urls import path

from . import agency_views as views
from . import import_views

app_name = "agency"

urlpatterns = [
    path("", views.home, name="home"),
    path("programs/", views.program_list, name="programs"),
    path("programs/new/", views.program_edit, name="program_new"),
    path("programs/<int:program_id>/", views.program_edit, name="program"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:team_id>/", views.team_detail, name="team"),
    path(
        "teams/<int:team_id>/members/<int:membership_id>/",
        views.team_member_change,
        name="team_member",
    ),
    path("staff/", views.staff_list, name="staff"),
    path("staff/invite/", views.staff_invite, name="staff_invite"),
    path("staff/<int:staff_id>/", views.staff_member, name="staff_member"),
    path("staff/<int:staff_id>/invite-again/", views.staff_invite_again, name="invite_again"),
    path("staff/<int:staff_id>/revoke-invitation/", views.staff_invite_revoke, name="revoke"),
    path("staff/<int:staff_id>/reactivate/", views.staff_reactivate, name="reactivate"),
    path("settings/", views.settings_edit, name="settings"),
    path("imports/", import_views.import_list, name="imports"),
    path("imports/<int:job_id>/", import_views.import_detail, name="import"),
    path("imports/<int:job_id>/import/", import_views.import_write, name="import_write"),
    path("imports/templates/<str:kind>.csv", import_views.import_template, name="import_template"),
]
