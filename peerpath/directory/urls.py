from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("resources/", views.search, name="search"),
    path("resources/meetings/", views.meetings, name="meetings"),
    path("resources/<int:entry_id>/card.pdf", views.card, name="card"),
    path("resources/new/", views.resource_form, name="resource_new"),
    path("resources/own/<uuid:service_id>/", views.resource_form, name="resource_edit"),
    path("resources/own/<uuid:service_id>/remove/", views.resource_remove, name="resource_remove"),
    path("resources/imports/", views.import_list, name="imports"),
    path("resources/imports/<int:job_id>/", views.import_detail, name="import"),
]
