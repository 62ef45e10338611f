"""Pages of the knowledge site, for staff under /personale/viden/, and its public dialogue examples.

Thin views: each staff view is decorated with the named permission it needs (`permission_required`),
and every entry is fetched through `get_entry_for_staff`, which asks the object-level permission;
an entry the user may not see is a 404, so a draft's existence is not revealed. Writes go through
`services`. The staff-pages middleware adds noindex and no-store headers under /personale/.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.accounts.permissions import has_permission, permission_required
from sammen.accounts.roles import consultant_department_ids
from sammen.core.models import Department, Principle
from sammen.knowledge import selectors, services
from sammen.knowledge.forms import (
    AttachmentForm,
    ConsultantProfileForm,
    ConsultantQuestionForm,
    EntryFilterForm,
    EntryForm,
)
from sammen.knowledge.models import (
    Attachment,
    ConsultantProfile,
    Entry,
    Kind,
    Status,
    TargetGroup,
)
from sammen.knowledge.rules import is_central
from sammen.knowledge.search import TEXT_FIELDS
from sammen.knowledge.uploads import INLINE_TYPES

PAGE_SIZE = 20
HOME_EXAMPLES = 6
PRINCIPLE_SECTION = 10
HISTORY_LIMIT = 100


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"noindex": True, **context})


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Knowledge sharing"), reverse("knowledge:home")), *trail]


def _add_errors(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def get_entry_for_staff(
    request: HttpRequest, pk: int, *, permission: str = "knowledge.view_entry", detail: bool = False
) -> Entry:
    """The entry if the user may see it (404 otherwise) and may do `permission` with it (403)."""
    qs = selectors.prefetch_detail(Entry.objects.all()) if detail else Entry.objects.all()
    entry = get_object_or_404(qs.prefetch_related("departments") if not detail else qs, pk=pk)
    if not has_permission(request.user, "knowledge.view_entry", entry):
        raise Http404
    if permission != "knowledge.view_entry" and not has_permission(request.user, permission, entry):
        raise PermissionDenied(permission)
    return entry


# --- finding -------------------------------------------------------------------------------------


@permission_required("knowledge.view")
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The newest dialogue examples, the five principles, and what waits for this user."""
    examples = list(
        selectors.with_card_related(
            selectors.published_entries().filter(kind=Kind.EXAMPLE).order_by("-published_at", "-pk")
        )[:HOME_EXAMPLES]
    )
    user = request.user
    reviewer = has_permission(user, "knowledge.view_stale")
    today = timezone.localdate()
    return _render(
        request,
        "knowledge/home.html",
        {
            "examples": examples,
            "principles": Principle.objects.order_by("number"),
            "kinds": Kind.choices,
            "my_drafts": list(
                Entry.objects.filter(owner=user, status__in=[Status.DRAFT, Status.IN_REVIEW])
                .only("pk", "title", "status")
                .order_by("-updated_at")[:10]
            ),
            "reviewer": reviewer,
            "stale_count": selectors.stale_entries(today).count() if reviewer else 0,
            "review_count": selectors.entries_to_review(
                user,
                consultant_departments=consultant_department_ids(user),
                central=is_central(user),
            ).count()
            if reviewer
            else 0,
            "form": EntryFilterForm(),
        },
    )


def _active_filters(form: EntryFilterForm) -> list[dict[str, str]]:
    """A removable tag per chosen filter value, each linking to the list without it."""
    if not form.is_valid():
        return []
    tags = []
    params = form.data.copy()
    for name in ("q", "kind", "principle", "department", "topic", "target_group"):
        for raw in form.data.getlist(name):
            if not raw:
                continue
            rest = params.copy()
            rest.setlist(name, [v for v in params.getlist(name) if v != raw])
            rest.pop("page", None)
            label = raw
            field = form.fields[name]
            for value, text in getattr(field, "choices", []):
                if str(getattr(value, "value", value)) == raw:
                    label = str(text)
            if name == "q":
                label = f"“{raw}”"
            tags.append({"text": label, "url": f"?{rest.urlencode()}"})
    return tags


@permission_required("knowledge.view")
@require_safe
def entry_list(request: HttpRequest) -> HttpResponse:
    """Published entries with filters, full-text search and pagination."""
    form = EntryFilterForm(request.GET)
    page_obj = None
    problem = ""
    if form.is_valid():
        qs = selectors.filter_entries(selectors.published_entries(), form.cleaned_data)
        paginator = Paginator(selectors.with_card_related(qs), PAGE_SIZE)
        try:
            page_obj = paginator.page(request.GET.get("page") or 1)
        except InvalidPage:
            problem = _("That page does not exist.")
    else:
        problem = _("One of the filters has a value we do not know, so nothing matches.")
    return _render(
        request,
        "knowledge/entry_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "entries": page_obj.object_list if page_obj else [],
            "result_count": page_obj.paginator.count if page_obj else 0,
            "problem": problem,
            "active_filters": _active_filters(form),
            "crumbs": _crumbs((_("All entries"), "")),
        },
    )


@permission_required("knowledge.view")
@require_safe
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_staff(request, pk, detail=True)
    user = request.user
    return _render(
        request,
        "knowledge/entry_detail.html",
        {
            "entry": entry,
            "target_groups": [TargetGroup(r.group).label for r in entry.target_group_rows.all()],
            "related": selectors.related_entries(entry),
            "can_change": has_permission(user, "knowledge.change_entry", entry),
            "can_review": has_permission(user, "knowledge.review_entry", entry),
            "transitions": services.transitions_for(entry, user),
            "stale": entry.is_stale_on(timezone.localdate()),
            "crumbs": _crumbs(
                (_("All entries"), reverse("knowledge:entry_list")), (entry.title, "")
            ),
        },
    )


# --- writing -------------------------------------------------------------------------------------


@permission_required("knowledge.add_entry")
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in Kind.values else {}
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(
                by=request.user, kind=form.cleaned_data["kind"], data=form.service_data()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The entry is saved as a draft."))
            return redirect(entry.get_absolute_url())
    return _render(
        request,
        "knowledge/entry_form.html",
        {"form": form, "entry": None, "crumbs": _crumbs((_("New entry"), ""))},
    )


@permission_required("knowledge.view")
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_staff(request, pk, permission="knowledge.change_entry")
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            if form.cleaned_data["kind"] != entry.kind:
                entry.kind = form.cleaned_data["kind"]
            services.entry_update(entry=entry, by=request.user, data=data)
        except ValidationError as error:
            entry.refresh_from_db()
            _add_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(entry.get_absolute_url())
    return _render(
        request,
        "knowledge/entry_form.html",
        {
            "form": form,
            "entry": entry,
            "crumbs": _crumbs((entry.title, entry.get_absolute_url()), (_("Edit"), "")),
        },
    )


@permission_required("knowledge.view")
@require_POST
def entry_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the entry to the status in the form (services.TRANSITIONS decides what is allowed)."""
    entry = get_entry_for_staff(request, pk)
    to = request.POST.get("to", "")
    transition = services.TRANSITIONS.get((entry.status, to))
    if transition is None:
        messages.error(request, _("That change of status is not possible."))
        return redirect(entry.get_absolute_url())
    if not has_permission(request.user, transition.permission, entry):
        raise PermissionDenied(transition.permission)
    try:
        services.entry_transition(entry=entry, to=to, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(entry.get_absolute_url())
    messages.success(
        request,
        _("The entry is now “%(status)s”.") % {"status": entry.get_status_display()},
    )
    return redirect(entry.get_absolute_url())


@permission_required("knowledge.view")
@require_POST
def entry_mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_staff(request, pk, permission="knowledge.change_entry")
    try:
        services.entry_mark_reviewed(entry=entry, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Marked as reviewed. Next review: %(date)s.")
            % {"date": entry.review_due.strftime("%d-%m-%Y")},
        )
    return redirect(entry.get_absolute_url())


# --- history -------------------------------------------------------------------------------------


def _changed_fields(before: dict, after: dict) -> list[str]:
    labels = []
    for name in after:
        if before.get(name) != after.get(name):
            try:
                labels.append(str(Entry._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:  # target_groups is not a model field
                labels.append(_("target groups"))
    return labels


@permission_required("knowledge.view")
@require_safe
def entry_history(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_staff(request, pk, permission="knowledge.change_entry")
    versions = list(entry.versions.select_related("by").order_by("-number")[: HISTORY_LIMIT + 1])
    rows = []
    for index, version in enumerate(versions[:HISTORY_LIMIT]):
        previous = versions[index + 1].content if index + 1 < len(versions) else {}
        rows.append({"version": version, "changed": _changed_fields(previous, version.content)})
    return _render(
        request,
        "knowledge/entry_history.html",
        {
            "entry": entry,
            "rows": rows,
            "crumbs": _crumbs((entry.title, entry.get_absolute_url()), (_("History"), "")),
        },
    )


_VERSION_TEXT_FIELDS = ("title", "summary", *TEXT_FIELDS)


@permission_required("knowledge.view")
@require_safe
def entry_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One earlier version's text, as written (Markdown source), with a restore button."""
    entry = get_entry_for_staff(request, pk, permission="knowledge.change_entry")
    version = get_object_or_404(entry.versions.select_related("by"), number=number)
    fields = [
        (str(Entry._meta.get_field(name).verbose_name), version.content.get(name) or "")
        for name in _VERSION_TEXT_FIELDS
        if version.content.get(name)
    ]
    latest = entry.versions.order_by("-number").values_list("number", flat=True).first()
    return _render(
        request,
        "knowledge/entry_version.html",
        {
            "entry": entry,
            "version": version,
            "fields": fields,
            "is_latest": version.number == latest,
            "crumbs": _crumbs(
                (entry.title, entry.get_absolute_url()),
                (_("History"), reverse("knowledge:entry_history", kwargs={"pk": entry.pk})),
                (_("Version %(number)s") % {"number": version.number}, ""),
            ),
        },
    )


@permission_required("knowledge.view")
@require_POST
def entry_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    entry = get_entry_for_staff(request, pk, permission="knowledge.change_entry")
    version = get_object_or_404(entry.versions, number=number)
    try:
        services.entry_restore(entry=entry, version=version, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("knowledge:entry_version", pk=entry.pk, number=number)
    messages.success(
        request,
        _("Version %(number)s is restored as a new version.") % {"number": version.number},
    )
    return redirect(entry.get_absolute_url())


# --- attachments ---------------------------------------------------------------------------------


@permission_required("knowledge.view")
@require_http_methods(["GET", "POST"])
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_staff(request, pk, permission="knowledge.change_entry")
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(entry=entry, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The file is attached."))
            return redirect(entry.get_absolute_url())
    return _render(
        request,
        "knowledge/attachment_form.html",
        {
            "form": form,
            "entry": entry,
            "attachments": entry.attachments.all(),
            "crumbs": _crumbs((entry.title, entry.get_absolute_url()), (_("Attachments"), "")),
        },
    )


def _get_attachment(
    request: HttpRequest, pk: int, attachment_pk: int, permission: str
) -> Attachment:
    entry = get_entry_for_staff(request, pk, permission=permission)
    return get_object_or_404(
        Attachment.objects.select_related("entry"), pk=attachment_pk, entry=entry
    )


@permission_required("knowledge.view")
@require_safe
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """The file, only to staff who may read the entry; never from MEDIA_URL."""
    attachment = _get_attachment(request, pk, attachment_pk, "knowledge.view_entry")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=attachment.content_type not in INLINE_TYPES,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response


@permission_required("knowledge.view")
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = _get_attachment(request, pk, attachment_pk, "knowledge.change_entry")
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, _("The file is removed."))
    return redirect("knowledge:attachment_upload", pk=pk)


# --- principles ----------------------------------------------------------------------------------


@permission_required("knowledge.view")
@require_safe
def principle_list(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "knowledge/principle_list.html",
        {
            "principles": Principle.objects.order_by("number"),
            "crumbs": _crumbs((_("The five principles"), "")),
        },
    )


@permission_required("knowledge.view")
@require_safe
def principle_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """What the principle means, and the methods and examples that serve it."""
    principle = get_object_or_404(Principle, slug=slug)
    return _render(
        request,
        "knowledge/principle_detail.html",
        {
            "principle": principle,
            "methods": selectors.principle_entries(principle, Kind.METHOD, PRINCIPLE_SECTION),
            "examples": selectors.principle_entries(principle, Kind.EXAMPLE, PRINCIPLE_SECTION),
            "others": selectors.principle_entries(principle, Kind.GUIDE, PRINCIPLE_SECTION),
            "list_url": f"{reverse('knowledge:entry_list')}?principle={principle.slug}",
            "crumbs": _crumbs(
                (_("The five principles"), reverse("knowledge:principle_list")),
                (principle.name, ""),
            ),
        },
    )


# --- keeping it current --------------------------------------------------------------------------


@permission_required("knowledge.view_stale")
@require_safe
def stale_list(request: HttpRequest) -> HttpResponse:
    """Published entries past their review date, for consultants to chase."""
    page_obj = Paginator(selectors.stale_entries(timezone.localdate()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "knowledge/stale_list.html",
        {"page_obj": page_obj, "crumbs": _crumbs((_("Out of date"), ""))},
    )


@permission_required("knowledge.view_stale")
@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    """Entries sent for review that this user may publish or return."""
    user = request.user
    qs = selectors.entries_to_review(
        user, consultant_departments=consultant_department_ids(user), central=is_central(user)
    )
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "knowledge/review_list.html",
        {"page_obj": page_obj, "crumbs": _crumbs((_("Awaiting review"), ""))},
    )


# --- consultants ---------------------------------------------------------------------------------


@permission_required("knowledge.view")
@require_safe
def consultant_list(request: HttpRequest) -> HttpResponse:
    """Each department's dialogue consultants, searchable by name and expertise."""
    query = (request.GET.get("q") or "").strip()[:200]
    department = None
    slug = request.GET.get("department") or ""
    if slug:
        department = Department.objects.filter(slug=slug).first()
    groups = (
        selectors.consultant_directory(query=query, department=department)
        if department or not slug
        else []
    )
    return _render(
        request,
        "knowledge/consultant_list.html",
        {
            "groups": groups,
            "query": query,
            "department_slug": slug,
            "departments": Department.objects.order_by("name_da"),
            "found": sum(len(g["consultants"]) for g in groups),
            "own_profile": has_permission(request.user, "knowledge.change_profile", request.user)
            and bool(consultant_department_ids(request.user)),
            "crumbs": _crumbs((_("Dialogue consultants"), "")),
        },
    )


@permission_required("knowledge.ask_consultant")
@require_http_methods(["GET", "POST"])
def consultant_ask(request: HttpRequest, slug: str) -> HttpResponse:
    department = get_object_or_404(Department, slug=slug)
    consultants = services.department_consultants(department)
    form = ConsultantQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultants_ask(
                department=department,
                by=request.user,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Your question is sent to the dialogue consultants of %(department)s.")
                % {"department": department.name},
            )
            return redirect("knowledge:consultant_list")
    return _render(
        request,
        "knowledge/consultant_ask.html",
        {
            "form": form,
            "department": department,
            "consultants": consultants,
            "crumbs": _crumbs(
                (_("Dialogue consultants"), reverse("knowledge:consultant_list")),
                (_("Ask a consultant"), ""),
            ),
        },
    )


@permission_required("knowledge.change_profile")
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """A consultant's own entry in the directory."""
    user = request.user
    profile = ConsultantProfile.objects.filter(user=user).first()
    initial = (
        {
            "title": profile.title,
            "phone": profile.phone,
            "email": profile.email,
            "expertise": profile.expertise,
        }
        if profile
        else {}
    )
    form = ConsultantProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultant_profile_save(user=user, by=user, data=form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("knowledge:consultant_list")
    return _render(
        request,
        "knowledge/profile_form.html",
        {
            "form": form,
            "crumbs": _crumbs(
                (_("Dialogue consultants"), reverse("knowledge:consultant_list")),
                (_("Your profile"), ""),
            ),
        },
    )


# --- public: what came of it ---------------------------------------------------------------------

PUBLIC_PAGE_SIZE = 12


def _public_crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Get involved"), reverse("participation:home")), *trail]


@require_safe
def public_example_list(request: HttpRequest) -> HttpResponse:
    """Published dialogue examples marked public: what came of the city's dialogues."""
    qs = (
        selectors.public_examples()
        .select_related("district")
        .prefetch_related("departments", "principles")
        .order_by("-published_at", "-pk")
    )
    page_obj = Paginator(qs, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/public/example_list.html",
        {"page_obj": page_obj, "crumbs": _public_crumbs((_("What came of it"), ""))},
    )


@require_safe
def public_example_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    entry = get_object_or_404(
        selectors.public_examples()
        .select_related("district", "method_used")
        .prefetch_related("departments", "principles", "topics", "target_group_rows"),
        pk=pk,
    )
    if slug != (entry.slug or "-"):
        return redirect(entry.get_public_url(), permanent=True)
    return render(
        request,
        "knowledge/public/example_detail.html",
        {
            "entry": entry,
            "target_groups": [TargetGroup(r.group).label for r in entry.target_group_rows.all()],
            "crumbs": _public_crumbs(
                (_("What came of it"), reverse("knowledge_public:example_list")),
                (entry.title, ""),
            ),
        },
    )
