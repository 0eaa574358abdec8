from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/new/", views.meeting_create, name="create"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="detail"),
    path(
        "meetings/<int:meeting_id>/attendance/",
        views.meeting_attendance,
        name="attendance",
    ),
    path("people/<int:client_id>/meetings/add/", views.agenda_add, name="agenda_add"),
    path(
        "people/<int:client_id>/meetings/<int:meeting_id>/",
        views.agenda_item,
        name="item",
    ),
]
