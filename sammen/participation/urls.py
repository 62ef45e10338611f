"""Public pages of Få indflydelse. Paths are translated: Danish at the root, English under /en/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.participation.views import feeds, public, subscriptions

app_name = "participation"

urlpatterns = [
    path("", public.home, name="home"),
    path(_("opportunities/"), public.opportunity_list, name="opportunity_list"),
    path(_("opportunities/calendar.ics"), feeds.opportunities_ical, name="opportunities_ical"),
    path(_("opportunities/feed.atom"), feeds.opportunities_atom, name="opportunities_atom"),
    path(_("opportunities/export.csv"), feeds.opportunities_csv, name="opportunities_csv"),
    path(_("opportunities/<int:pk>/"), public.opportunity_detail, name="opportunity_detail_short"),
    path(
        _("opportunities/<int:pk>/<slug:slug>/"),
        public.opportunity_detail,
        name="opportunity_detail",
    ),
    path(
        _("opportunities/<int:pk>/<slug:slug>/calendar.ics"),
        feeds.opportunity_ical,
        name="opportunity_ical",
    ),
    path(_("ways-to-take-part/"), public.channel_list, name="channel_list"),
    path(_("ways-to-take-part/<slug:slug>/"), public.channel_detail, name="channel_detail"),
    path(_("districts/"), public.district_list, name="district_list"),
    path(_("districts/<slug:slug>/"), public.district_detail, name="district_detail"),
    path(_("subscribe/"), subscriptions.subscribe, name="subscribe"),
    path(_("subscribe/sent/"), subscriptions.subscribe_sent, name="subscribe_sent"),
    path(_("subscribe/confirm/<str:token>/"), subscriptions.confirm, name="subscribe_confirm"),
    path(_("subscribe/unsubscribe/<str:token>/"), subscriptions.unsubscribe, name="unsubscribe"),
]
