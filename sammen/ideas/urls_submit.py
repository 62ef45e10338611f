"""Sending an idea: the steps, "check your e-mail", the confirmation link and re-sending links.
Paths are translated (Danish at the root, English under /en/); see views/submit.py."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.ideas.views import submit

urlpatterns = [
    path(_("new/"), submit.submit, name="submit"),
    path(_("new/about-you/"), submit.submit_about, name="submit_about"),
    path(_("new/summary/"), submit.submit_summary, name="submit_summary"),
    path(_("new/sent/"), submit.submit_sent, name="submit_sent"),
    path(_("confirm/<str:token>/"), submit.confirm, name="confirm"),
    path(_("get-your-links/"), submit.resend_link, name="resend_link"),
]
