from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("people/<int:client_id>/measures/", views.overview, name="overview"),
    path(
        "people/<int:client_id>/measures/<int:questionnaire_id>/new/",
        views.record,
        name="record",
    ),
    path(
        "people/<int:client_id>/measures/responses/<int:response_id>/",
        views.response_detail,
        name="response",
    ),
    path("people/<int:client_id>/measures/schedule/", views.schedule, name="schedule"),
    path(
        "people/<int:client_id>/measures/alerts/<int:alert_id>/resolve/",
        views.resolve_alert,
        name="resolve_alert",
    ),
]
