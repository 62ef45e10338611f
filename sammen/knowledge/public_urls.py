"""Public pages: dialogue examples staff marked public ("what came of it"). Mounted in sammen/urls.py."""

from django.urls import path

from sammen.knowledge import views

app_name = "knowledge_public"

urlpatterns = [
    path("", views.public_example_list, name="example_list"),
    path("<int:pk>/<slug:slug>/", views.public_example_detail, name="example_detail"),
]
