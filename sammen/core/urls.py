from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.core import views

app_name = "core"

urlpatterns = [
    path(_("accessibility/"), views.accessibility_statement, name="accessibility"),
    path(_("privacy/"), views.privacy_notice, name="privacy"),
]
