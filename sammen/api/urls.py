from django.urls import path

from sammen.participation.views.public import _todo

app_name = "api"

urlpatterns = [path("", _todo, name="docs")]
