"""The open data API, version 1, at /api/v1/ (outside the language prefixes: data has no language)."""

from django.urls import path, re_path

from sammen.api import views

app_name = "api"

urlpatterns = [
    path("", views.docs, name="docs"),
    path("openapi.json", views.schema, name="schema"),
    path("opportunities", views.opportunity_list, name="opportunity_list"),
    path("opportunities/<int:pk>", views.opportunity_detail, name="opportunity_detail"),
    path("ideas", views.idea_list, name="idea_list"),
    path("ideas/<str:reference>", views.idea_detail, name="idea_detail"),
    path("channels", views.channel_list, name="channel_list"),
    path("districts", views.district_list, name="district_list"),
    path("departments", views.department_list, name="department_list"),
    path("topics", views.topic_list, name="topic_list"),
    path("principles", views.principle_list, name="principle_list"),
    # Anything else under /api/v1/ answers in JSON, not with the HTML 404 page.
    re_path(r"^(?P<path>.+)$", views.unknown_path, name="unknown"),
]
