"""The public idea board: ideas whose submitters agreed to publication, a page per idea, and
following an idea by e-mail (double opt-in, one-click stop).

Nothing personal is shown: no name, e-mail, phone, address or attachment (the address is often
the submitter's own; the districts say where). Pages run a fixed number of queries whatever the
number of ideas. The rules are in sammen.ideas.board and sammen.ideas.following.
"""

from datetime import timedelta

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.core.abuse import RateLimit, client_ip, honeypot_filled
from sammen.ideas import selectors
from sammen.ideas.board import PublicState, filter_public_ideas, public_idea, public_ideas
from sammen.ideas.following import (
    FOLLOW_CONFIRMATION_VALID_FOR,
    follow_request,
    follower_confirm,
    follower_for_token,
    follower_stop,
)
from sammen.ideas.forms_citizen import BoardFilterForm, FollowForm
from sammen.ideas.models import Follower, HelpNeeded, Idea
from sammen.ideas.views.citizen import private_page

PAGE_SIZE = 20
# Each valid request sends an e-mail to someone: these stop the form being used to flood an inbox.
FOLLOW_PER_IP = RateLimit("ideas-follow:ip", limit=10, period=timedelta(hours=1))
FOLLOW_PER_ADDRESS = RateLimit("ideas-follow:address", limit=3, period=timedelta(hours=1))


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    """From the front page through the board (linked when it is not the current page)."""
    board_url = reverse("ideas:board") if trail else ""
    return [
        (_("Get involved"), reverse("participation:home")),
        (_("Ideas from citizens"), board_url),
        *trail,
    ]


def _page_number(raw: str | None) -> int | None:
    if raw in (None, ""):
        return 1
    try:
        number = int(raw)
    except ValueError:
        return None
    return number if number >= 1 else None


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    """The list, newest first, filtered by district, topic and stage, with Danish full-text search.
    Unknown filter values or page numbers give an empty list that says why, never an error page."""
    form = BoardFilterForm(request.GET)
    page = None
    problem = ""
    if form.is_valid():
        data = form.cleaned_data
        qs = filter_public_ideas(
            public_ideas(),
            districts=list(data["district"]),
            topics=list(data["topic"]),
            stages=data["state"],
            query=data["q"],
        )
        paginator = Paginator(qs, PAGE_SIZE)
        number = _page_number(request.GET.get("page"))
        if number is None:
            problem = _("The page number was not understood.")
        else:
            try:
                page = paginator.page(number)
            except EmptyPage:
                problem = _("There is no page %(number)s: the results fill %(pages)s pages.") % {
                    "number": number,
                    "pages": paginator.num_pages,
                }
    else:
        problem = _("Some of the filters in the address are unknown, so nothing matches.")
    ideas = list(page.object_list) if page else []
    for idea in ideas:
        idea.stage_label = PublicState.label(idea.state)  # type: ignore[attr-defined]
    return render(
        request,
        "ideas/board/list.html",
        {
            "form": form,
            "page_obj": page,
            "ideas": ideas,
            "result_count": page.paginator.count if page else 0,
            "problem": problem,
            "clear_url": reverse("ideas:board"),
            "is_search": bool(form.is_valid() and form.cleaned_data["q"]),
            "noindex": bool(problem) or bool(request.GET),
            "crumbs": _crumbs(),
        },
    )


def _detail(
    request: HttpRequest, idea: Idea, form: FollowForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "ideas/board/detail.html",
        {
            "idea": idea,
            "stage_label": PublicState.label(idea.state),
            "help_needed": [
                HelpNeeded(value).label for value in idea.help_needed if value in HelpNeeded.values
            ],
            "timeline": list(selectors.public_timeline(idea)),
            "form": form or FollowForm(),
            "valid_days": FOLLOW_CONFIRMATION_VALID_FOR.days,
            "crumbs": _crumbs((idea.reference, "")),
        },
        status=status,
    )


def _public_or_404(reference: str) -> Idea:
    idea = public_idea(reference)
    if idea is None:
        raise Http404
    return idea


@require_safe
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One public idea: what it is, where, who leads it, where it stands, what was said."""
    return _detail(request, _public_or_404(reference))


@require_POST
def follow(request: HttpRequest, reference: str) -> HttpResponse:
    """Ask to follow an idea: the same answer whether or not the address already follows it."""
    idea = _public_or_404(reference)
    form = FollowForm(request.POST)
    if honeypot_filled(request.POST):
        # A person never sees the field; re-rendering leaves it empty, so a person whose browser
        # filled it in by mistake succeeds by simply sending again.
        form.is_valid()
        form.add_error(
            None, _("We could not send your request. Please check the form and send it again.")
        )
        return _detail(request, idea, form, status=400)
    if not form.is_valid():
        return _detail(request, idea, form, status=400)
    email = form.cleaned_data["email"]
    # Counted only for valid requests (the ones that send an e-mail), so someone correcting a typo
    # is not locked out. Neither key is logged; the cache sees only a keyed hash.
    if not (FOLLOW_PER_IP.attempt(client_ip(request)) and FOLLOW_PER_ADDRESS.attempt(email)):
        form.add_error(
            None, _("You have sent this form too many times. Please wait an hour and try again.")
        )
        return _detail(request, idea, form, status=429)
    follow_request(idea=idea, email=email, language=get_language() or "da")
    return redirect("ideas:follow_sent", idea.reference)


@require_safe
def follow_sent(request: HttpRequest, reference: str) -> HttpResponse:
    idea = _public_or_404(reference)
    return render(
        request,
        "ideas/board/follow_sent.html",
        {
            "idea": idea,
            "valid_days": FOLLOW_CONFIRMATION_VALID_FOR.days,
            "noindex": True,
            "crumbs": _crumbs(
                (idea.reference, reverse("ideas:detail", args=[idea.reference])),
                (_("Check your inbox"), ""),
            ),
        },
    )


def _follow_invalid(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ideas/board/follow_invalid.html",
        {"noindex": True, "crumbs": _crumbs((_("Link not valid"), ""))},
        status=404,
    )


# Confirming takes a POST from a button on this page, not the GET of the link itself: mail
# scanners open every link in an e-mail, and a GET that confirmed would sign people up without
# their consent, which is what double opt-in is meant to prevent.
@private_page
@require_http_methods(["GET", "POST"])
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    follower = follower_for_token(token)
    # An idea closed as a duplicate (or erased) since leaves the board: nothing left to follow.
    if follower is None or public_idea(follower.idea.reference or "") is None:
        return _follow_invalid(request)
    if request.method == "POST":
        try:
            follower = follower_confirm(follower=follower)
        except Follower.DoesNotExist:  # stopped a moment ago
            return _follow_invalid(request)
    context = {
        "follower": follower,
        "idea": follower.idea,
        "idea_url": reverse("ideas:detail", args=[follower.idea.reference]),
        "unfollow_url": reverse("ideas:unfollow", args=[follower.token]),
        "valid_days": FOLLOW_CONFIRMATION_VALID_FOR.days,
        "noindex": True,
    }
    if follower.confirmed_at is not None:
        return render(
            request,
            "ideas/board/follow_confirmed.html",
            {**context, "crumbs": _crumbs((_("You follow the idea"), ""))},
        )
    return render(
        request,
        "ideas/board/follow_confirm.html",
        {**context, "crumbs": _crumbs((_("Confirm that you want to follow the idea"), ""))},
    )


# CSRF is off for this view only, so mail clients can stop with one click (RFC 8058: they POST
# "List-Unsubscribe=One-Click" without cookie or token). Safe: the unguessable token in the
# address is the credential, and the only action, deleting that one follower, is idempotent.
@csrf_exempt
@private_page
@require_http_methods(["GET", "POST"])
def unfollow(request: HttpRequest, token: str) -> HttpResponse:
    context = {"noindex": True, "crumbs": _crumbs((_("Stop following"), ""))}
    if request.method == "POST":
        # The same answer whether or not the row still existed: a second click must not fail.
        follower_stop(token=token)
        return render(request, "ideas/board/unfollowed.html", context)
    follower = follower_for_token(token)
    if follower is None:
        return render(request, "ideas/board/unfollowed.html", context, status=404)
    return render(request, "ideas/board/unfollow.html", {**context, "idea": follower.idea})
