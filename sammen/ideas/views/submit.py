"""Sending an idea (public, no account): three steps, "check your e-mail", the confirmation link
with its receipt, and re-sending the tracking links.

The views are thin: the steps' rules are in `forms_submit`, the checks of files in `uploads`, the
suggestions in `similar` and every write in `submission`. The draft is kept in the session
(`forms_submit.Draft`), so each step works without JavaScript and going back loses nothing.
Pages reached by a token are never cached and never indexed.

A citizen who came from a poster campaign's landing page brings the poster's code
(`?campaign=<code>`); the steps pass it on in their links, redirects and a hidden field (never in
the draft), and sending the idea counts it once for that poster.
"""

import contextlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sammen.campaigns.reach import record_conversion
from sammen.core.abuse import RateLimit, client_ip, honeypot_filled
from sammen.ideas import services, similar, submission
from sammen.ideas.forms_submit import (
    SENT_SESSION_KEY,
    AboutStepForm,
    Draft,
    IdeaStepForm,
    ResendLinkForm,
    SendStepForm,
    campaign_code,
    first_invalid_step,
    masked_email,
    submission_data,
    with_campaign,
)
from sammen.ideas.states import State

# Each sent idea e-mails someone and creates a record: these stop the form being used to flood an
# inbox or the coordinators' queue. Counted only for valid sends, so correcting a typo is free.
SUBMIT_PER_IP = RateLimit("ideas-submit:ip", limit=10, period=timedelta(hours=1))
SUBMIT_PER_ADDRESS = RateLimit("ideas-submit:address", limit=5, period=timedelta(days=1))
LINKS_PER_IP = RateLimit("ideas-links:ip", limit=10, period=timedelta(hours=1))
LINKS_PER_ADDRESS = RateLimit("ideas-links:address", limit=3, period=timedelta(hours=1))

STEPS = (
    ("idea", gettext_lazy("Your idea"), "ideas:submit"),
    ("about", gettext_lazy("About you"), "ideas:submit_about"),
    ("summary", gettext_lazy("Check and send"), "ideas:submit_summary"),
)


def _crumbs(current: str) -> list[tuple[str, str]]:
    return [(_("Get involved"), reverse("participation:home")), (current, "")]


def _campaign(request: HttpRequest) -> str:
    """The poster's code: from the form when posted, else from the address."""
    return campaign_code(request.POST, request.GET)


def _redirect(url_name: str, campaign: str) -> HttpResponse:
    return redirect(with_campaign(reverse(url_name), campaign))


def _steps(current: str, draft: Draft, campaign: str = "") -> list[dict[str, Any]]:
    """The step indicator: a step is a link once the ones before it are filled in."""
    steps = []
    reachable = True
    for number, (step, title, url_name) in enumerate(STEPS, start=1):
        steps.append(
            {
                "number": number,
                "title": title,
                "url": with_campaign(reverse(url_name), campaign) if reachable else "",
                "current": step == current,
                "done": draft.has(step),
            }
        )
        reachable = reachable and draft.has(step)
    return steps


def _step_page(
    request: HttpRequest, step: str, draft: Draft, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    number = next(i for i, (name, _title, _url) in enumerate(STEPS, start=1) if name == step)
    title = STEPS[number - 1][1]
    campaign = _campaign(request)
    return render(
        request,
        f"ideas/submit/step_{step}.html",
        {
            "steps": _steps(step, draft, campaign),
            "campaign": campaign,
            # Links between the steps ("back", "change"), carrying the poster's code if any.
            "step_urls": {name: with_campaign(reverse(url), campaign) for name, _t, url in STEPS},
            "change_urls": {
                name: with_campaign(reverse(url), campaign, change="1") for name, _t, url in STEPS
            },
            "step_number": number,
            "step_count": len(STEPS),
            "step_title": title,
            "crumbs": _crumbs(_("Send an idea")),
            "noindex": True,
            **context,
        },
        status=status,
    )


def _after_step(request: HttpRequest, draft: Draft, next_url_name: str) -> HttpResponse:
    """Back to the summary after a "change", else on to the next step."""
    campaign = _campaign(request)
    if request.POST.get("to_summary") and draft.has("idea") and draft.has("about"):
        return _redirect("ideas:submit_summary", campaign)
    return _redirect(next_url_name, campaign)


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """Step 1: the idea."""
    draft = Draft(request.session)
    status = 200
    if request.method == "POST":
        form = IdeaStepForm(request.POST)
        if form.is_valid():
            draft.save("idea", form)
            return _after_step(request, draft, "ideas:submit_about")
        status = 400
    else:
        form = draft.form("idea")
    return _step_page(
        request,
        "idea",
        draft,
        {"form": form, "to_summary": _to_summary(request)},
        status,
    )


def _to_summary(request: HttpRequest) -> bool:
    return bool(request.GET.get("change") or request.POST.get("to_summary"))


STEP_URLS = {step: url_name for step, _title, url_name in STEPS}


def _missing_step(request: HttpRequest, step: str) -> HttpResponse:
    messages.info(
        request,
        _(
            "We could not find what you typed earlier; perhaps the page was open a long time. "
            "Please fill in this step."
        ),
    )
    return _redirect(STEP_URLS[step], _campaign(request))


@never_cache
@require_http_methods(["GET", "POST"])
def submit_about(request: HttpRequest) -> HttpResponse:
    """Step 2: about you. Shows similar opportunities and ideas from step 1 first."""
    draft = Draft(request.session)
    idea_form = draft.form("idea")
    if not idea_form.is_bound or not idea_form.is_valid():
        return _missing_step(request, "idea")
    status = 200
    if request.method == "POST":
        form = AboutStepForm(request.POST)
        if form.is_valid():
            draft.save("about", form)
            return _after_step(request, draft, "ideas:submit_summary")
        status = 400
    else:
        form = draft.form("about")
    return _step_page(
        request,
        "about",
        draft,
        {
            "form": form,
            "to_summary": _to_summary(request),
            **_suggestions(idea_form),
        },
        status,
    )


def _suggestions(idea_form: IdeaStepForm) -> dict[str, Any]:
    title, description = idea_form.cleaned_data["title"], idea_form.cleaned_data["description"]
    return {
        "similar_opportunities": similar.similar_opportunities(title, description),
        "similar_ideas": similar.similar_ideas(title, description),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def submit_summary(request: HttpRequest) -> HttpResponse:
    """Step 3: everything typed, with "change" links; the privacy notice, the consent to be
    contacted, the attachments and the Send button."""
    draft = Draft(request.session)
    idea_form, about_form = draft.form("idea"), draft.form("about")
    invalid = first_invalid_step({"idea": idea_form, "about": about_form})
    if invalid:
        if not draft.has(invalid):
            return _missing_step(request, invalid)
        # Valid when typed, no longer (a district was removed): show the step with its errors.
        return _redirect(STEP_URLS[invalid], _campaign(request))
    status = 200
    files_chosen = False
    if request.method == "POST":
        form = SendStepForm(request.POST, request.FILES)
        files_chosen = bool(request.FILES.getlist("attachments"))
        if honeypot_filled(request.POST):
            # People never see the field; sending again with it empty works.
            form.is_valid()
            form.add_error(
                None, _("We could not send your idea. Please check the page and send it again.")
            )
            status = 400
        elif form.is_valid():
            data = submission_data(idea_form, about_form)
            allowed = SUBMIT_PER_IP.attempt(client_ip(request)) and SUBMIT_PER_ADDRESS.attempt(
                data["email"]
            )
            if allowed:
                try:
                    submission.submit_idea(
                        data={**data, "consent_contact": form.cleaned_data["consent_contact"]},
                        attachments=form.cleaned_data["attachments"],
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                    status = 400
                else:
                    # Once, here: the draft is cleared, so posting the summary again cannot
                    # send (or count) the idea a second time.
                    record_conversion(_campaign(request), "idea")
                    draft.clear()
                    request.session[SENT_SESSION_KEY] = masked_email(data["email"])
                    return redirect("ideas:submit_sent")
            else:
                form.add_error(
                    None,
                    _(
                        "You have sent many ideas in a short time. Please wait an hour and try "
                        "again. What you typed is kept."
                    ),
                )
                status = 429
        else:
            status = 400
    else:
        form = SendStepForm()
    return _step_page(
        request,
        "summary",
        draft,
        {
            "form": form,
            "idea": idea_form.cleaned_data,
            "help_needed": idea_form.help_needed_labels(),
            "about": about_form.cleaned_data,
            "submitter_kind": dict(about_form.fields["submitter_kind"].choices)[
                about_form.cleaned_data["submitter_kind"]
            ],
            "language_name": dict(about_form.fields["language"].choices)[
                about_form.cleaned_data["language"]
            ],
            # Browsers never send a chosen file twice: say so when the page comes back.
            "choose_files_again": files_chosen and status != 200,
            "retention_months": settings.IDEAS_RETENTION_MONTHS,
            "confirmation_hours": settings.IDEAS_CONFIRMATION_HOURS,
            "contact_email": settings.CONTACT_EMAIL,
            **_suggestions(idea_form),
        },
        status,
    )


@never_cache
@require_GET
def submit_sent(request: HttpRequest) -> HttpResponse:
    """ "Check your e-mail", with the address masked."""
    address = request.session.get(SENT_SESSION_KEY)
    if not address:
        return redirect("ideas:submit")
    return render(
        request,
        "ideas/submit/sent.html",
        {
            "address": address,
            "confirmation_hours": settings.IDEAS_CONFIRMATION_HOURS,
            "crumbs": _crumbs(_("Check your e-mail")),
            "noindex": True,
        },
    )


# Confirming takes a POST from the button on this page, not the GET of the link: mail scanners
# open every link in an e-mail, and a GET that confirmed would send ideas nobody confirmed.
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    idea = submission.idea_for_confirmation(token)
    context: dict[str, Any] = {"noindex": True}
    if idea is None:
        return render(
            request,
            "ideas/submit/link_invalid.html",
            {**context, "crumbs": _crumbs(_("Link not valid"))},
            status=404,
        )
    if submission.confirmation_expired(idea):
        return render(
            request,
            "ideas/submit/link_expired.html",
            {
                **context,
                "confirmation_hours": settings.IDEAS_CONFIRMATION_HOURS,
                "crumbs": _crumbs(_("The link has expired")),
            },
            status=410,
        )
    if request.method == "POST":
        if idea.state == State.AWAITING_CONFIRMATION:
            # Expired between the check above and now: the page that follows says so.
            with contextlib.suppress(ValidationError):
                submission.confirm_idea(idea=idea)
        # Post/redirect/get: reloading the receipt does not post again.
        return redirect(request.path)
    if idea.state == State.AWAITING_CONFIRMATION:
        return render(
            request,
            "ideas/submit/confirm.html",
            {
                **context,
                "idea": idea,
                "expires_at": services.confirmation_expires_at(idea),
                "crumbs": _crumbs(_("Confirm your e-mail address")),
            },
        )
    return render(
        request,
        "ideas/submit/receipt.html",
        {
            **context,
            "idea": idea,
            "contact_email": settings.CONTACT_EMAIL,
            "crumbs": _crumbs(_("Receipt")),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def resend_link(request: HttpRequest) -> HttpResponse:
    """Ask for the tracking links again. The answer is the same whether or not the address sent
    ideas: only its mailbox learns more."""
    status = 200
    if request.method == "POST":
        form = ResendLinkForm(request.POST)
        if honeypot_filled(request.POST):
            form.is_valid()
            form.add_error(
                None, _("We could not send your request. Please check the form and send it again.")
            )
            status = 400
        elif form.is_valid():
            email = form.cleaned_data["email"]
            if LINKS_PER_IP.attempt(client_ip(request)) and LINKS_PER_ADDRESS.attempt(email):
                submission.send_tracking_links(email=email, language=get_language() or "da")
                return render(
                    request,
                    "ideas/submit/resend_sent.html",
                    {"crumbs": _crumbs(_("Check your e-mail")), "noindex": True},
                )
            form.add_error(
                None,
                _("You have sent this form too many times. Please wait an hour and try again."),
            )
            status = 429
        else:
            status = 400
    else:
        form = ResendLinkForm()
    return render(
        request,
        "ideas/submit/resend.html",
        {"form": form, "crumbs": _crumbs(_("Get your links again"))},
        status=status,
    )
