from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("agency/surveys/", views.survey_list, name="surveys"),
    path("agency/surveys/new/", views.wave_new, name="wave_new"),
    path("agency/surveys/<int:wave_id>/answer/", views.survey_answer, name="answer"),
    path("agency/surveys/<int:wave_id>/results/", views.wave_results, name="results"),
]
