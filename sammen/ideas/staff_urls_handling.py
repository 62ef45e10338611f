"""The case page of an idea and its actions, under /personale/ideer/ (Danish slugs through
gettext, as the other staff pages)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.ideas.views import handling

urlpatterns = [
    path("<int:pk>/", handling.detail, name="detail"),
    path(_("<int:pk>/contact-details/"), handling.contact_details, name="contact_details"),
    path(
        _("<int:pk>/attachments/<int:attachment_pk>/"),
        handling.attachment,
        name="attachment",
    ),
    path(_("<int:pk>/triage/"), handling.triage, name="triage"),
    path(_("<int:pk>/triage/close/"), handling.triage_close, name="triage_close"),
    path(_("<int:pk>/state/<str:to_state>/"), handling.transition, name="transition"),
    path(_("<int:pk>/assign/"), handling.assign, name="assign"),
    path(_("<int:pk>/message/"), handling.message, name="message"),
    path(_("<int:pk>/hand-over/"), handling.hand_over, name="hand_over"),
    path(
        _("<int:pk>/hand-over/<int:handover_pk>/"),
        handling.decide_handover,
        name="decide_handover",
    ),
    path(_("erased-personal-data/"), handling.erasures, name="erasures"),
]
