"""The citizen's private pages, reached by the tracking link: follow the idea, download the
attachments and all stored data, correct the contact details, erase them, answer the survey.

The token in the address is the only credential, so every page reached by it:
- answers an unknown token with the same neutral 404 page (never hinting which tokens exist);
- is never cached (`Cache-Control: private, no-store`) nor indexed (meta robots and X-Robots-Tag);
- sends `Referrer-Policy: same-origin`, so following a link out of the page (an opportunity on
  another site) does not hand the token to that site. Not `no-referrer`: with it, Chromium sends
  `Origin: null` with the page's own forms and Django's CSRF check refuses them (the browser
  journey test caught this).
The rules live in sammen.ideas.privacy, sammen.ideas.survey and sammen.ideas.board; the views
only call them.
"""

import json
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sammen.ideas import privacy, selectors
from sammen.ideas.board import STATE_TEXT, next_deadline
from sammen.ideas.forms_citizen import ContactDetailsForm, ErasureForm
from sammen.ideas.models import ErasureRecord, Idea
from sammen.ideas.states import State
from sammen.ideas.survey import ANSWERS, QUESTIONS, other_question, survey_answer, survey_open

TokenView = Callable[..., HttpResponse]


def private_page(view: TokenView) -> TokenView:
    """Headers of every page whose address holds a secret token (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def invalid_link(request: HttpRequest) -> HttpResponse:
    """The same page for every unknown token: mistyped, old, or erased (the token was replaced)."""
    return render(
        request,
        "ideas/citizen/invalid_link.html",
        {"noindex": True, "crumbs": _crumbs(_("Link not valid"))},
        status=404,
    )


def _crumbs(*trail: str, idea_url: str = "") -> list[tuple[str, str]]:
    crumbs = [(_("Get involved"), reverse("participation:home"))]
    if trail and idea_url:
        crumbs.append((_("Your idea"), idea_url))
    return [*crumbs, *((label, "") for label in trail)]


def _idea_or_none(token: str) -> Idea | None:
    return selectors.idea_by_tracking_token(token)


def _context(idea: Idea, *trail: str) -> dict[str, object]:
    track_url = reverse("ideas:track", args=[idea.tracking_token])
    return {
        "idea": idea,
        "noindex": True,
        "track_url": track_url,
        "crumbs": _crumbs(*trail, idea_url=track_url) if trail else _crumbs(_("Your idea")),
    }


# --- the tracking page ---------------------------------------------------------------------------


@private_page
@require_safe
def track(request: HttpRequest, token: str) -> HttpResponse:
    """Where the idea is, who has it, when the citizen will hear, what was said and decided."""
    idea = _idea_or_none(token)
    if idea is None:
        return invalid_link(request)
    label, meaning = STATE_TEXT[State(idea.state)]
    return render(
        request,
        "ideas/citizen/track.html",
        {
            **_context(idea),
            "state_label": label,
            "state_meaning": meaning,
            "deadline": next_deadline(idea),
            "timeline": list(selectors.public_timeline(idea)),
            "attachments": list(idea.attachments.all()),
            "referred_channel": idea.referred_channel if idea.referred_channel_id else None,
            "referred_opportunity": (
                idea.referred_opportunity if idea.referred_opportunity_id else None
            ),
            "show_survey": survey_open(idea),
            "contact_email": settings.CONTACT_EMAIL,
        },
    )


@private_page
@require_safe
def attachment(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """One of the citizen's own files, always as a download with its stored type (never rendered
    in the browser: the type was checked at upload, and `nosniff` stops the browser guessing)."""
    idea = _idea_or_none(token)
    if idea is None:
        return invalid_link(request)
    item = idea.attachments.filter(pk=pk).first()
    if item is None:
        return invalid_link(request)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        return invalid_link(request)
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- personal data -------------------------------------------------------------------------------


@private_page
@require_safe
def export(request: HttpRequest, token: str) -> HttpResponse:
    """Everything stored about the citizen and their idea, as a JSON file (GDPR art. 15 and 20)."""
    idea = _idea_or_none(token)
    if idea is None:
        return invalid_link(request)
    data = privacy.personal_data_export(idea)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = idea.reference or "idea"
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@private_page
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, token: str) -> HttpResponse:
    """Correct the name, e-mail address, phone number and language."""
    idea = _idea_or_none(token)
    if idea is None:
        return invalid_link(request)
    status = 200
    if request.method == "POST":
        form = ContactDetailsForm(request.POST)
        if form.is_valid():
            privacy.contact_details_update(idea=idea, **form.cleaned_data)
            messages.success(request, _("Your contact details are saved."))
            return redirect("ideas:track", idea.tracking_token)
        status = 400
    else:
        form = ContactDetailsForm(
            initial={
                "contact_name": idea.contact_name,
                "email": idea.email,
                "phone": idea.phone,
                "language": idea.language,
            }
        )
    return render(
        request,
        "ideas/citizen/contact.html",
        {**_context(idea, _("Correct your contact details")), "form": form},
        status=status,
    )


@private_page
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, token: str) -> HttpResponse:
    """GET explains what is erased and kept; POST with the box ticked erases (open ideas too)."""
    idea = _idea_or_none(token)
    if idea is None:
        return invalid_link(request)
    status = 200
    if request.method == "POST":
        form = ErasureForm(request.POST)
        if form.is_valid():
            privacy.idea_anonymise(idea=idea, reason=ErasureRecord.Reason.CITIZEN_REQUEST)
            # The token was replaced: this address no longer works, so the receipt is elsewhere.
            return redirect("ideas:erased")
        status = 400
    else:
        form = ErasureForm()
    return render(
        request,
        "ideas/citizen/erase.html",
        {
            **_context(idea, _("Erase your personal data")),
            "form": form,
            "is_open": idea.state not in (State.CLOSED, State.AWAITING_CONFIRMATION),
            "attachment_count": idea.attachments.count(),
        },
        status=status,
    )


@require_safe
def erased(request: HttpRequest) -> HttpResponse:
    """The receipt after erasure. It holds no token and nothing about the idea."""
    return render(
        request,
        "ideas/citizen/erased.html",
        {"noindex": True, "crumbs": _crumbs(_("Your data is erased"))},
    )


# --- the survey ----------------------------------------------------------------------------------


@private_page
@require_safe
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the survey mail records one answer (see sammen.ideas.survey for why a GET
    records), then thanks and offers the other question as one-click links."""
    idea = _idea_or_none(token)
    if idea is None:
        return invalid_link(request)
    context = _context(idea, _("Tell us how it went"))
    question = request.GET.get("question", "")
    answer = request.GET.get("answer", "")
    if question not in QUESTIONS or answer not in ANSWERS:
        return render(
            request,
            "ideas/citizen/survey_problem.html",
            {
                **context,
                "problem": _(
                    "The link is incomplete or changed. Open the link from the e-mail again, "
                    "or copy the whole address from the e-mail into your browser."
                ),
            },
            status=400,
        )
    if not survey_open(idea):
        return render(
            request,
            "ideas/citizen/survey_problem.html",
            {**context, "problem": _("There is no survey to answer for this idea yet.")},
            status=404,
        )
    idea = survey_answer(idea=idea, question=question, answer=answer, now=timezone.now())
    other = other_question(question)
    other_field, other_text = QUESTIONS[other]
    survey_url = reverse("ideas:survey", args=[idea.tracking_token])
    return render(
        request,
        "ideas/citizen/survey.html",
        {
            **context,
            "question_text": QUESTIONS[question][1],
            "answer": answer,
            "other_text": other_text,
            "other_answered": getattr(idea, other_field) is not None,
            "other_yes_url": f"{survey_url}?question={other}&answer=yes",
            "other_no_url": f"{survey_url}?question={other}&answer=no",
            "change_url": f"{survey_url}?question={question}&answer="
            + ("no" if answer == "yes" else "yes"),
        },
    )
