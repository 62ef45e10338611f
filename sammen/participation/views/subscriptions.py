"""Subscribing by e-mail: the form, "check your inbox", confirming and unsubscribing.

The token in the confirm and unsubscribe links is the only credential; pages reached by a token are
never cached and never indexed. The rules are in sammen.participation.subscriptions.
"""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from sammen.campaigns.reach import record_conversion
from sammen.core.abuse import RateLimit, client_ip, honeypot_filled
from sammen.participation.forms import SubscriptionForm
from sammen.participation.models import Subscription
from sammen.participation.subscriptions import (
    CONFIRMATION_VALID_FOR,
    Choices,
    subscription_confirm,
    subscription_for_token,
    subscription_request,
    subscription_unsubscribe,
)

# Each valid request sends an e-mail to someone: these stop the form being used to flood an inbox.
SUBSCRIBE_PER_IP = RateLimit("subscribe:ip", limit=5, period=timedelta(hours=1))
SUBSCRIBE_PER_ADDRESS = RateLimit("subscribe:address", limit=3, period=timedelta(hours=1))


def _crumbs(current: str | None = None) -> list[tuple[str, str]]:
    """Breadcrumbs: the subscribe page, or a page of the journey below it."""
    home = (_("Get involved"), reverse("participation:home"))
    if current is None:
        return [home, (_("Subscribe"), "")]
    return [home, (_("Subscribe"), reverse("participation:subscribe")), (current, "")]


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The form. A page can prefill it: `?district=noerrebro&topic=trafik&channel=hoering`."""
    status = 200
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if honeypot_filled(request.POST):
            # A person never sees the field; re-rendering leaves it empty, so a person whose
            # browser filled it in by mistake succeeds by simply sending again.
            form.is_valid()
            form.add_error(
                None, _("We could not send your request. Please check the form and send it again.")
            )
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            # Counted only for valid requests (the ones that send an e-mail), so someone correcting
            # a typo is not locked out. Neither key is logged; the cache sees only a hash.
            allowed = SUBSCRIBE_PER_IP.attempt(client_ip(request)) and (
                SUBSCRIBE_PER_ADDRESS.attempt(data["email"])
            )
            if allowed:
                subscription_request(
                    email=data["email"],
                    language=data["language"],
                    districts=data["districts"],
                    topics=data["topics"],
                    channels=data["channels"],
                )
                # Counted for the poster the visitor came from, if any; nothing is kept with the
                # subscription itself (an unknown or empty code counts nothing).
                record_conversion(data["campaign"], "subscription")
                # The same answer whether or not the address already subscribes (no enumeration).
                return redirect("participation:subscribe_sent")
            form.add_error(
                None,
                _("You have sent this form too many times. Please wait an hour and try again."),
            )
            status = 429
        else:
            status = 400
    else:
        form = SubscriptionForm(initial=SubscriptionForm.initial_from(request.GET))
    return render(
        request,
        "participation/subscribe.html",
        {
            "form": form,
            "valid_days": CONFIRMATION_VALID_FOR.days,
            "crumbs": _crumbs(),
        },
        status=status,
    )


@require_GET
def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/subscribe_sent.html",
        {"valid_days": CONFIRMATION_VALID_FOR.days, "crumbs": _crumbs(_("Check your inbox"))},
    )


# Confirming takes a POST from a button on this page, not the GET of the link itself: mail
# scanners (Safe Links, virus filters) open every link in an e-mail, and a GET that confirmed
# would sign people up without their consent, which is what double opt-in is meant to prevent.
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_for_token(token)
    context = {"noindex": True, "valid_days": CONFIRMATION_VALID_FOR.days}

    def invalid() -> HttpResponse:
        return render(
            request,
            "participation/subscribe_invalid.html",
            {**context, "crumbs": _crumbs(_("Link not valid"))},
            status=404,
        )

    if subscription is None:
        return invalid()
    if request.method == "POST":
        try:
            subscription = subscription_confirm(subscription=subscription)
        except Subscription.DoesNotExist:  # unsubscribed or cleaned up a moment ago
            return invalid()
    if subscription.confirmed_at is not None:
        # Just confirmed, or confirmed before (a second click is harmless and says the same).
        return render(
            request,
            "participation/subscribe_confirmed.html",
            {
                **context,
                "choices": Choices.of(subscription).describe(),
                "unsubscribe_url": reverse(
                    "participation:unsubscribe", kwargs={"token": subscription.token}
                ),
                "crumbs": _crumbs(_("Subscription confirmed")),
            },
        )
    return render(
        request,
        "participation/subscribe_confirm.html",
        {
            **context,
            "choices": Choices.of(subscription).describe(),
            "crumbs": _crumbs(_("Confirm your subscription")),
        },
    )


# CSRF is off for this view only, so mail clients can unsubscribe with one click (RFC 8058: they
# POST "List-Unsubscribe=One-Click" without any cookie or token). This is safe: the unguessable
# token in the URL is the credential, and the only action is deleting that one subscription, which
# is idempotent and harmless to repeat; a forged request could do nothing the link cannot.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    context = {"noindex": True, "crumbs": _crumbs(_("Unsubscribe"))}
    if request.method == "POST":
        # The same answer whether or not the row still existed: a second click, or a mail client
        # retrying, must not be told off.
        subscription_unsubscribe(token=token)
        return render(request, "participation/subscribe_unsubscribed.html", context)
    subscription = subscription_for_token(token)
    if subscription is None:
        return render(request, "participation/subscribe_unsubscribed.html", context, status=404)
    return render(request, "participation/subscribe_unsubscribe.html", context)
