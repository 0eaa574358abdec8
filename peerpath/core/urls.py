from django.urls import path

from . import agency_views, download_views, views

app_name = "core"

urlpatterns = [
    path("account/sign-in/", views.SignInView.as_view(), name="login"),
    path("account/sign-out/", views.SignOutView.as_view(), name="logout"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path(
        "account/invitation/<str:token>/",
        agency_views.accept_invitation,
        name="accept_invitation",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("downloads/<int:download_id>/", download_views.download_status, name="download"),
    path("downloads/<int:download_id>/file", download_views.download_file, name="download_file"),
]
