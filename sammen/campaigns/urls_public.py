"""The campaign's public pages, under the translated campaign path (/kampagne/, /en/campaign/)."""

from django.urls import path

from sammen.campaigns import views_public

urlpatterns = [
    path("", views_public.current, name="current"),
    path("<int:year>/", views_public.landing, name="landing"),
]
