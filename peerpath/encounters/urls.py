from django.urls import path

from . import listing_views, views

app_name = "encounters"

urlpatterns = [
    path("people/<int:client_id>/contacts/", views.contact_list, name="contact_list"),
    path("people/<int:client_id>/contacts/new/", views.contact_start, name="contact_start"),
    path(
        "people/<int:client_id>/contacts/new/autosave/",
        views.contact_start_autosave,
        name="contact_start_autosave",
    ),
    path(
        "people/<int:client_id>/contacts/<int:contact_id>/",
        views.contact_detail,
        name="contact_detail",
    ),
    path(
        "people/<int:client_id>/contacts/<int:contact_id>/edit/",
        views.contact_edit,
        name="contact_edit",
    ),
    path(
        "people/<int:client_id>/contacts/<int:contact_id>/autosave/",
        views.contact_autosave,
        name="contact_autosave",
    ),
    path(
        "people/<int:client_id>/contacts/<int:contact_id>/addenda/",
        views.addendum_add,
        name="addendum_add",
    ),
    path(
        "people/<int:client_id>/contacts/<int:contact_id>/review/",
        views.contact_review,
        name="contact_review",
    ),
    path("people/<int:client_id>/prepare/", views.prepare, name="prepare"),
    path("people/<int:client_id>/outreach/", views.outreach, name="outreach"),
    path(
        "people/<int:client_id>/outreach/engagement/",
        views.engagement_update,
        name="engagement_update",
    ),
    path("people/<int:client_id>/groups/join/", views.group_join, name="group_join"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("notes/", views.my_notes, name="my_notes"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:group_id>/", views.group_detail, name="group_detail"),
    path("groups/<int:group_id>/listing/", listing_views.group_listing, name="group_listing"),
    path("groups/feed/<slug:slug>.json", listing_views.group_feed, name="group_feed"),
    path("groups/<int:group_id>/sessions/new/", views.session_new, name="session_new"),
]
