from django.urls import path

from . import views

app_name = "clients"

urlpatterns = [
    path("", views.my_day, name="my_day"),
    path("people/", views.client_list, name="list"),
    path("people/<int:client_id>/", views.client_detail, name="detail"),
    path("people/<int:client_id>/edit/", views.client_edit, name="edit"),
]
