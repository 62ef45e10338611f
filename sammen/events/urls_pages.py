"""Public pages of events (list, event, registration, the links in the mails, series,
marketplace, materials), in the `events` namespace. Danish slugs through gettext; the app is
mounted at "arrangementer/" ("/en/events/")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.events.views import public

urlpatterns = [
    path("", public.event_list, name="list"),
    path(_("confirm/<str:token>/"), public.confirm, name="confirm"),
    path(_("cancel/<str:token>/"), public.cancel, name="cancel"),
    path(_("ticket/<str:token>/"), public.ticket, name="ticket"),
    path(_("series/<slug:slug>/"), public.series_detail, name="series"),
    path("<slug:slug>/", public.event_detail, name="detail"),
    path(_("<slug:slug>/register/"), public.register, name="register"),
    path(_("<slug:slug>/marketplace/"), public.marketplace, name="marketplace"),
    path(_("<slug:slug>/materials/<int:pk>/"), public.material_download, name="material_download"),
]
