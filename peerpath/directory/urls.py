from django.urls import path

from . import referral_views, views

app_name = "directory"

P = "people/<int:client_id>/referrals/"

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

urlpatterns += [
    path(P, referral_views.person_referrals, name="person_referrals"),
    path(P + "new/", referral_views.referral_new, name="referral_new"),
    path(P + "<int:referral_id>/", referral_views.referral_detail, name="referral"),
    path(P + "<int:referral_id>/status/", referral_views.referral_status, name="referral_status"),
    path(
        P + "<int:referral_id>/outcome/", referral_views.referral_outcome, name="referral_outcome"
    ),
    path("resources/referrals/", referral_views.referral_list, name="referrals"),
    path("resources/outcomes/", referral_views.service_outcomes, name="outcomes"),
]
