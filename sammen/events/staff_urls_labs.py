"""Staff pages of solution labs under /personale/arrangementer/ (Danish slugs through gettext)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.events.views import labs

urlpatterns = [
    path(_("solution-labs/new/"), labs.lab_create, name="lab_create"),
    path(_("<int:pk>/solution-lab/"), labs.lab, name="lab"),
    path(_("<int:pk>/solution-lab/ideas/add/"), labs.lab_add_idea, name="lab_add_idea"),
    path(
        _("<int:pk>/solution-lab/ideas/<int:idea_pk>/agreement/"),
        labs.agreement_create,
        name="lab_agreement",
    ),
]
