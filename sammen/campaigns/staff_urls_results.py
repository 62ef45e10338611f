"""Staff pages of a campaign's results under /personale/kampagner/ (Danish slugs through gettext):
the results page and its CSV."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.campaigns import views_results as views

urlpatterns = [
    path(_("<int:year>/results/"), views.results, name="results"),
    path(_("<int:year>/results.csv"), views.results_csv, name="results_csv"),
]
