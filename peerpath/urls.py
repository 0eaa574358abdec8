from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("peerpath.core.urls")),
    path("agency/", include("peerpath.core.agency_urls")),
    path("", include("peerpath.clients.urls")),
    path("", include("peerpath.encounters.urls")),
    path("", include("peerpath.meetings.urls")),
    path("", include("peerpath.measures.urls")),
    path("", include("peerpath.plans.urls")),
    path("", include("peerpath.directory.urls")),
    path("", include("peerpath.workforce.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
