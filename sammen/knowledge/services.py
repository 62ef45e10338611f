"""Writes on the knowledge site. Each service is one transaction, validates with `full_clean()`,
asks the named permission (the views ask too; the service is the last line) and, for entries,
writes an `EntryVersion` with the whole text: so every save is in the history and any earlier
version can be restored (`entry_restore` writes a new version; nothing is ever overwritten).

The status of an entry changes only in `entry_transition`, through the table `TRANSITIONS`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Role
from sammen.accounts.permissions import has_permission
from sammen.core.models import Department
from sammen.core.tasks import send_email
from sammen.knowledge.models import (
    Attachment,
    ConsultantProfile,
    ConsultantQuestion,
    Entry,
    EntryTargetGroup,
    EntryVersion,
    Kind,
    ReviewReminder,
    Status,
)
from sammen.knowledge.search import stems_for_entry
from sammen.knowledge.uploads import check_upload

# An entry is reviewed once a year (issue: "default one year"); owners hear a month before.
REVIEW_INTERVAL = timedelta(days=365)
REMINDER_NOTICE = timedelta(days=30)

# What staff write through the form (status and review fields have their own services).
SCALAR_FIELDS = (
    "title",
    "summary",
    "body",
    "purpose",
    "when_to_use",
    "steps",
    "duration",
    "cost",
    "participant_count",
    "participant_kind",
    "pitfalls",
    "reached",
    "reached_count",
    "outcome",
    "lessons",
    "is_public",
    "review_due",
    "period_start",
    "period_end",
)
FK_FIELDS = ("best_principle", "district", "method_used")
M2M_FIELDS = ("principles", "departments", "topics", "opportunities")
_DATE_FIELDS = ("review_due", "period_start", "period_end")

_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def entry_slug(title: str) -> str:
    return slugify(title.translate(_DANISH_LETTERS))[:200].strip("-") or "indhold"


# --- versions ------------------------------------------------------------------------------------


def _snapshot(entry: Entry) -> dict[str, Any]:
    """Everything `entry_restore` needs to bring the entry back as it is now (plain JSON)."""
    content: dict[str, Any] = {"kind": entry.kind}
    for name in SCALAR_FIELDS:
        value = getattr(entry, name)
        content[name] = value.isoformat() if isinstance(value, date) else value
    for name in FK_FIELDS:
        content[name] = getattr(entry, f"{name}_id")
    for name in M2M_FIELDS:
        content[name] = sorted(getattr(entry, name).values_list("pk", flat=True))
    content["target_groups"] = sorted(entry.target_group_rows.values_list("group", flat=True))
    return content


def _record(entry: Entry, *, by: Any, action: str, note: str = "") -> EntryVersion:
    number = (entry.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return EntryVersion.objects.create(
        entry=entry,
        number=number,
        action=action,
        status=entry.status,
        content=_snapshot(entry),
        note=note[:300],
        by=by if getattr(by, "pk", None) else None,
    )


def _apply(entry: Entry, data: Mapping[str, Any]) -> None:
    """Set the entry's fields from `data` (only the keys present), validate and save it."""
    for name in SCALAR_FIELDS:
        if name in data:
            value = data[name]
            if name in _DATE_FIELDS and isinstance(value, str):
                value = date.fromisoformat(value) if value else None
            setattr(entry, name, value)
    for name in FK_FIELDS:
        if name in data:
            value = data[name]
            setattr(entry, f"{name}_id", getattr(value, "pk", value))
    if entry.kind != Kind.EXAMPLE:
        entry.is_public = False
    if not entry.slug or "title" in data:
        entry.slug = entry_slug(entry.title)
    entry.search_stems = stems_for_entry(entry)
    entry.full_clean(exclude=["owner", "created_by"] if entry.owner_id else None)
    entry.save()
    for name in M2M_FIELDS:
        if name in data:
            getattr(entry, name).set(data[name])
    if "target_groups" in data:
        wanted = set(data["target_groups"])
        entry.target_group_rows.exclude(group__in=wanted).delete()
        have = set(entry.target_group_rows.values_list("group", flat=True))
        EntryTargetGroup.objects.bulk_create(
            [EntryTargetGroup(entry=entry, group=g) for g in sorted(wanted - have)]
        )


def _require(user: Any, name: str, obj: Any = None) -> None:
    if not has_permission(user, name, obj):
        raise PermissionDenied(name)


@transaction.atomic
def entry_create(*, by: Any, kind: str, data: Mapping[str, Any]) -> Entry:
    """A new draft owned by its author."""
    _require(by, "knowledge.add_entry")
    entry = Entry(kind=kind, owner=by, created_by=by, status=Status.DRAFT)
    _apply(entry, data)
    _record(entry, by=by, action=EntryVersion.Action.CREATED)
    return entry


@transaction.atomic
def entry_update(*, entry: Entry, by: Any, data: Mapping[str, Any], note: str = "") -> Entry:
    """Save changes; the previous text stays in the version history."""
    _require(by, "knowledge.change_entry", entry)
    _apply(entry, data)
    if entry.status == Status.PUBLISHED:
        _check_publishable(entry)
    _record(entry, by=by, action=EntryVersion.Action.EDITED, note=note)
    return entry


@transaction.atomic
def entry_restore(*, entry: Entry, version: EntryVersion, by: Any) -> Entry:
    """Bring back the text and tags of an earlier version, as a new version (status unchanged)."""
    _require(by, "knowledge.change_entry", entry)
    if version.entry_id != entry.pk:
        raise ValidationError(_("That version belongs to another entry."))
    data = {k: v for k, v in version.content.items() if k != "kind"}
    for name in M2M_FIELDS:
        model = Entry._meta.get_field(name).related_model
        data[name] = list(model.objects.filter(pk__in=data.get(name, [])))
    # A method or district deleted since then is left empty rather than failing the restore.
    for name in FK_FIELDS:
        model = Entry._meta.get_field(name).related_model
        if data.get(name) and not model.objects.filter(pk=data[name]).exists():
            data[name] = None
    _apply(entry, data)
    _record(
        entry,
        by=by,
        action=EntryVersion.Action.RESTORED,
        note=gettext("Restored version %(number)s.") % {"number": version.number},
    )
    return entry


# --- status --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    permission: str
    label: Any


# (from, to) → what it is and who may do it. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (Status.DRAFT, Status.IN_REVIEW): Transition(
        EntryVersion.Action.SUBMITTED, "knowledge.submit_entry", _("Send for review")
    ),
    (Status.IN_REVIEW, Status.DRAFT): Transition(
        EntryVersion.Action.RETURNED, "knowledge.review_entry", _("Return to the author")
    ),
    (Status.IN_REVIEW, Status.PUBLISHED): Transition(
        EntryVersion.Action.PUBLISHED, "knowledge.review_entry", _("Publish")
    ),
    # A consultant may publish their own department's draft without a second round.
    (Status.DRAFT, Status.PUBLISHED): Transition(
        EntryVersion.Action.PUBLISHED, "knowledge.review_entry", _("Publish")
    ),
    (Status.PUBLISHED, Status.DRAFT): Transition(
        EntryVersion.Action.RETURNED, "knowledge.review_entry", _("Unpublish")
    ),
    (Status.PUBLISHED, Status.ARCHIVED): Transition(
        EntryVersion.Action.ARCHIVED, "knowledge.review_entry", _("Archive")
    ),
    (Status.ARCHIVED, Status.DRAFT): Transition(
        EntryVersion.Action.RETURNED, "knowledge.review_entry", _("Take out of the archive")
    ),
}


def transitions_for(entry: Entry, user: Any) -> list[tuple[str, Transition]]:
    """The moves the user may make from the entry's status now: (target status, transition)."""
    return [
        (to, transition)
        for (source, to), transition in TRANSITIONS.items()
        if source == entry.status and has_permission(user, transition.permission, entry)
    ]


def _check_publishable(entry: Entry) -> None:
    """What a published entry must tell its readers, by kind (drafts may be incomplete)."""
    errors: dict[str, Any] = {}
    if entry.kind == Kind.METHOD:
        if not entry.purpose.strip():
            errors["purpose"] = _("Describe the purpose of the method before publishing it.")
        if not entry.steps.strip():
            errors["steps"] = _("Describe the steps of the method before publishing it.")
    if entry.kind == Kind.EXAMPLE:
        if not entry.outcome.strip():
            errors["outcome"] = _("Tell what came of the dialogue before publishing it.")
        if not entry.departments.exists():
            errors["departments"] = _("Choose the department that ran the dialogue.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def entry_transition(*, entry: Entry, to: str, by: Any) -> Entry:
    """Move the entry to another status, if the table allows it and the user may."""
    transition = TRANSITIONS.get((entry.status, to))
    if transition is None:
        raise ValidationError(
            _("An entry that is “%(status)s” cannot be moved to “%(to)s”."),
            params={"status": entry.get_status_display(), "to": Status(to).label},
        )
    _require(by, transition.permission, entry)
    now = timezone.now()
    if to == Status.PUBLISHED:
        _check_publishable(entry)
        entry.published_at = entry.published_at or now
        entry.last_reviewed_at = now
        today = timezone.localdate(now)
        if not entry.review_due or entry.review_due <= today:
            entry.review_due = today + REVIEW_INTERVAL
    entry.status = to
    entry.full_clean(exclude=["owner", "created_by"])
    entry.save()
    _record(entry, by=by, action=transition.action)
    return entry


@transaction.atomic
def entry_mark_reviewed(*, entry: Entry, by: Any) -> Entry:
    """The owner or a reviewer confirms a published entry is still right: next review in a year."""
    _require(by, "knowledge.change_entry", entry)
    if entry.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published entry can be marked as reviewed."))
    now = timezone.now()
    entry.last_reviewed_at = now
    entry.review_due = timezone.localdate(now) + REVIEW_INTERVAL
    entry.save(update_fields=["last_reviewed_at", "review_due", "updated_at"])
    _record(entry, by=by, action=EntryVersion.Action.REVIEWED)
    return entry


# --- attachments ---------------------------------------------------------------------------------


def attachment_add(*, entry: Entry, by: Any, upload: UploadedFile) -> Attachment:
    """Check the file by its content and store it; on any failure nothing is left behind."""
    _require(by, "knowledge.change_entry", entry)
    checked = check_upload(upload)
    stem = (upload.name or "fil").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    base = stem.rsplit(".", 1)[0] if "." in stem else stem
    name = f"{base[:150] or 'fil'}.{checked.extension}"
    attachment = Attachment(
        entry=entry,
        name=name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    upload.seek(0)
    attachment.file.save(f"upload.{checked.extension}", upload, save=False)
    try:
        with transaction.atomic():
            attachment.full_clean()
            attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: Any) -> None:
    _require(by, "knowledge.change_entry", attachment.entry)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # The file goes only once the row is surely gone.
    transaction.on_commit(lambda: storage.delete(name))


# --- consultants ---------------------------------------------------------------------------------


@transaction.atomic
def consultant_profile_save(*, user: Any, by: Any, data: Mapping[str, Any]) -> ConsultantProfile:
    _require(by, "knowledge.change_profile", user)
    profile, _created = ConsultantProfile.objects.get_or_create(user=user)
    for name in ("title", "phone", "email", "expertise"):
        if name in data:
            setattr(profile, name, data[name])
    profile.search_stems = profile_stems(profile)
    profile.full_clean()
    profile.save()
    return profile


def profile_stems(profile: ConsultantProfile) -> str:
    from sammen.core.search import stems

    return " ".join(stems(f"{profile.user.get_full_name()} {profile.title} {profile.expertise}"))


def department_consultants(department: Department) -> list[Any]:
    """The active users who are dialogue consultants for the department."""
    from sammen.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.CONSULTANT,
            role_assignments__department=department,
        )
        .select_related("consultant_profile")
        .order_by("first_name", "last_name", "pk")
        .distinct()
    )


def consultants_ask(
    *, department: Department, by: Any, subject: str, message: str
) -> ConsultantQuestion:
    """Send a colleague's question to the department's consultants, by e-mail (a task); log that
    it was asked, not what. Replies go straight to the colleague (Reply-To)."""
    _require(by, "knowledge.ask_consultant")
    recipients = []
    for consultant in department_consultants(department):
        profile = getattr(consultant, "consultant_profile", None)
        address = (profile.contact_email if profile else "") or consultant.email
        if address and address not in recipients:
            recipients.append(address)
    if not recipients:
        raise ValidationError(
            _("%(department)s has no dialogue consultant with an e-mail address yet."),
            params={"department": department.name},
        )
    context = {
        "department": department,
        "asker": by,
        "subject": subject,
        "message": message,
        "directory_url": settings.SITE_URL + reverse("knowledge:consultant_list"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("knowledge/email/question.txt", context)
        mail_subject = gettext("Question about citizen dialogue: %(subject)s") % {
            "subject": subject
        }
    with transaction.atomic():
        question = ConsultantQuestion.objects.create(
            department=department, asked_by=by, recipient_count=len(recipients)
        )
        headers = {"Reply-To": by.email} if by.email else {}
        send_email.enqueue(to=recipients, subject=mail_subject, text=text, headers=headers)
    return question


# --- keeping it current --------------------------------------------------------------------------


def stale_entries(today: date):  # type: ignore[no-untyped-def]
    """Published entries whose review date has passed."""
    return Entry.objects.filter(status=Status.PUBLISHED, review_due__lt=today)


def review_reminders_send(*, today: date | None = None) -> int:
    """E-mail owners a month before an entry's review date and when it has passed; idempotent.

    Each reminder is claimed by inserting its `ReviewReminder` row (unique per entry, kind and
    review date) in the same transaction as the e-mail task is enqueued: a second run, or a second
    worker at the same time, finds the row and sends nothing; a failed enqueue rolls the claim back
    so the next run tries again. A new review date (after a review) starts afresh.
    """
    today = today or timezone.localdate()
    sent = 0
    candidates = (
        Entry.objects.filter(
            status=Status.PUBLISHED,
            review_due__isnull=False,
            review_due__lte=today + REMINDER_NOTICE,
            owner__is_active=True,
        )
        .exclude(owner__email="")
        .select_related("owner")
        .order_by("review_due", "pk")
    )
    for entry in candidates.iterator(chunk_size=200):
        kind = (
            ReviewReminder.Kind.OVERDUE
            if entry.review_due < today
            else ReviewReminder.Kind.DUE_SOON
        )
        if kind == ReviewReminder.Kind.DUE_SOON and entry.review_due < today:
            continue
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(entry=entry, kind=kind, review_due=entry.review_due)
                _send_reminder(entry, kind)
        except IntegrityError:
            continue  # sent before
        sent += 1
    return sent


def _send_reminder(entry: Entry, kind: str) -> None:
    context = {
        "entry": entry,
        "overdue": kind == ReviewReminder.Kind.OVERDUE,
        "url": settings.SITE_URL + entry.get_absolute_url(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("knowledge/email/review_reminder.txt", context)
        if kind == ReviewReminder.Kind.OVERDUE:
            subject = gettext("Time to review “%(title)s”") % {"title": entry.title}
        else:
            subject = gettext("“%(title)s” is due for review within a month") % {
                "title": entry.title
            }
    send_email.enqueue(to=[entry.owner.email], subject=subject, text=text)
