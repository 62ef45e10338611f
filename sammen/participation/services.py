"""Writes to opportunities by staff: create, update, publish, unpublish, report the outcome.

Each service runs in one transaction, validates with `full_clean()`, checks the named permission
from `rules` (the views check it too; the service is the last line) and writes one
`OpportunityChange` row with the changed fields as {field: [before, after]}, so the history of an
opportunity answers "who changed what, when" (DESIGN §4). Nothing else should write these fields:
no signals, nothing in `save()`.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from sammen.participation import rules, search
from sammen.participation.models import Opportunity, OpportunityChange, OpportunityStatus

if TYPE_CHECKING:
    from sammen.accounts.models import User

# The fields staff write through the form (and nothing else: status fields have their own service).
SCALAR_FIELDS = (
    "channel",
    "title",
    "summary",
    "body",
    "language",
    "start_at",
    "end_at",
    "deadline",
    "venue",
    "location",
    "online_url",
    "accessibility",
    "participation_url",
    "contact_name",
    "contact_email",
    "contact_phone",
)
M2M_FIELDS = ("departments", "districts", "topics", "principles")
EDITABLE_FIELDS = frozenset(SCALAR_FIELDS + M2M_FIELDS)
TEXT_FIELDS = ("title", "summary", "body")

# Danish letters are spelled out in slugs as Danes do in e-mail addresses and domain names.
_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
_SLUG_MAX = Opportunity._meta.get_field("slug").max_length
# An opportunity whose title has no letters or digits still needs a slug for its URL.
_FALLBACK_SLUG = "mulighed"


def opportunity_slug(title: str) -> str:
    """The URL slug of a title: ASCII, Danish letters spelled out (æ→ae, ø→oe, å→aa)."""
    slug = slugify(title.translate(_DANISH_LETTERS))[:_SLUG_MAX].strip("-")
    return slug or _FALLBACK_SLUG


def validate_opportunity_dates(
    *, start_at: datetime | None, end_at: datetime | None, deadline: datetime | None
) -> None:
    """The dates must make sense together; errors name the field to fix (shared with the form)."""
    errors: dict[str, Any] = {}
    if start_at and end_at and end_at <= start_at:
        errors["end_at"] = _("The end must be after the start.")
    if start_at and deadline and deadline < start_at:
        errors["deadline"] = _("The response deadline cannot be before the start.")
    if errors:
        raise ValidationError(errors)


def _audit_value(value: Any) -> Any:
    """A JSON value for the history: dates in UTC ISO format, related rows by their name."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, models.Model):
        # Names in the site's default language, so the history does not depend on who viewed it.
        with translation.override(settings.LANGUAGE_CODE):
            return str(value)
    if isinstance(value, Iterable):
        return sorted(_audit_value(v) for v in value)
    return str(value)


def _comparable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value


def _check_data(data: Mapping[str, Any]) -> None:
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable here: {', '.join(sorted(unknown))}")


def _check_departments(
    *, by: "User", before: set[int], after: set[int], allowed: set[int] | None
) -> None:
    """Staff may add only their own departments, and must keep at least one of theirs.

    `allowed` is None for superusers. Departments already on the opportunity that are not the
    user's may stay: a colleague of another department shares it.
    """
    if not after:
        raise ValidationError({"departments": _("Choose at least one department.")})
    if allowed is None:
        return
    if (after - before) - allowed:
        raise PermissionDenied("may only add one's own departments")
    if not after & allowed:
        raise ValidationError({"departments": _("Choose at least one of your own departments.")})


def _allowed_departments(by: "User") -> set[int] | None:
    return None if by.is_superuser else set(rules.department_ids(by))


def _set_search_stems(opportunity: Opportunity) -> None:
    opportunity.search_stems = search.stems_for(
        title=opportunity.title, summary=opportunity.summary, body=opportunity.body
    )


def _record(
    *, opportunity: Opportunity, by: "User | None", action: str, changes: dict[str, list[Any]]
) -> OpportunityChange:
    change = OpportunityChange(opportunity=opportunity, by=by, action=action, changes=changes)
    change.full_clean()
    change.save()
    return change


def _m2m_ids(values: Iterable[Any]) -> set[int]:
    return {v.pk if isinstance(v, models.Model) else int(v) for v in values}


@transaction.atomic
def opportunity_create(*, by: "User", data: Mapping[str, Any]) -> Opportunity:
    """Create an unpublished opportunity (a draft) written here, and record who created it.

    `data` holds the editable fields (SCALAR_FIELDS and M2M_FIELDS), as a form's cleaned_data.
    """
    _check_data(data)
    if not rules.can_create_opportunity(by):
        raise PermissionDenied("may not create opportunities")
    validate_opportunity_dates(
        start_at=data.get("start_at"), end_at=data.get("end_at"), deadline=data.get("deadline")
    )
    departments = _m2m_ids(data.get("departments") or [])
    _check_departments(by=by, before=set(), after=departments, allowed=_allowed_departments(by))

    opportunity = Opportunity(source=Opportunity.Source.LOCAL, is_published=False, created_by=by)
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(opportunity, name, data[name])
    opportunity.slug = opportunity_slug(opportunity.title)
    _set_search_stems(opportunity)
    opportunity.full_clean()
    opportunity.save()
    for name in M2M_FIELDS:
        getattr(opportunity, name).set(data.get(name) or [])

    changes = {
        name: [None, _audit_value(data[name])]
        for name in SCALAR_FIELDS
        if name in data and data[name] not in (None, "")
    }
    for name in M2M_FIELDS:
        if data.get(name):
            changes[name] = [[], _audit_value(data[name])]
    _record(
        opportunity=opportunity, by=by, action=OpportunityChange.Action.CREATED, changes=changes
    )
    return opportunity


@transaction.atomic
def opportunity_update(
    *, opportunity: Opportunity, by: "User", data: Mapping[str, Any]
) -> Opportunity:
    """Change the editable fields given in `data`; only the fields that really change are recorded.

    The row is re-read under a lock, so "before" is what the database held, not what a form put on
    the object passed in. Returns the fresh object. The slug follows the title until the first
    publication; after that the public address stays the same.
    """
    _check_data(data)
    current = (
        Opportunity.objects.select_for_update().prefetch_related(*M2M_FIELDS).get(pk=opportunity.pk)
    )
    if not rules.can_edit_opportunity(by, current):
        raise PermissionDenied("may not edit this opportunity")
    merged = {name: data.get(name, getattr(current, name)) for name in ("start_at", "end_at")}
    validate_opportunity_dates(
        start_at=merged["start_at"],
        end_at=merged["end_at"],
        deadline=data.get("deadline", current.deadline),
    )

    changes: dict[str, list[Any]] = {}
    for name in SCALAR_FIELDS:
        if name not in data:
            continue
        before, after = getattr(current, name), data[name]
        if _comparable(before) != _comparable(after):
            changes[name] = [_audit_value(before), _audit_value(after)]
            setattr(current, name, after)

    m2m_after: dict[str, set[int]] = {}
    for name in M2M_FIELDS:
        if name not in data:
            continue
        before_rows = list(getattr(current, name).all())
        before_ids = {row.pk for row in before_rows}
        after_ids = _m2m_ids(data[name] or [])
        if name == "departments":
            _check_departments(
                by=by, before=before_ids, after=after_ids, allowed=_allowed_departments(by)
            )
        if before_ids != after_ids:
            m2m_after[name] = after_ids
            changes[name] = [_audit_value(before_rows), _audit_value(data[name] or [])]

    if not changes:
        return current
    if "title" in changes and current.published_at is None:
        current.slug = opportunity_slug(current.title)
    if changes.keys() & set(TEXT_FIELDS):
        _set_search_stems(current)
    current.full_clean()
    current.save()
    for name, ids in m2m_after.items():
        getattr(current, name).set(ids)
    _record(opportunity=current, by=by, action=OpportunityChange.Action.UPDATED, changes=changes)
    return current


@transaction.atomic
def opportunity_publish(
    *, opportunity: Opportunity, by: "User", now: datetime | None = None
) -> Opportunity:
    """Show it to the public. The first publication sets `published_at` ("newest" sorts by it).

    Publishing what is already published changes nothing (a double click is not an error).
    """
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not rules.can_publish_opportunity(by, current):
        raise PermissionDenied("may not publish this opportunity")
    if current.is_published:
        return current
    now = now or timezone.now()
    changes: dict[str, list[Any]] = {"is_published": [False, True]}
    current.is_published = True
    if current.published_at is None:
        current.published_at = now
        changes["published_at"] = [None, _audit_value(now)]
    current.full_clean()
    current.save()
    _record(opportunity=current, by=by, action=OpportunityChange.Action.PUBLISHED, changes=changes)
    return current


@transaction.atomic
def opportunity_unpublish(*, opportunity: Opportunity, by: "User") -> Opportunity:
    """Hide it from the public again. `published_at` is kept: it records the first publication."""
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not rules.can_publish_opportunity(by, current):
        raise PermissionDenied("may not unpublish this opportunity")
    if not current.is_published:
        return current
    current.is_published = False
    current.full_clean()
    current.save()
    _record(
        opportunity=current,
        by=by,
        action=OpportunityChange.Action.UNPUBLISHED,
        changes={"is_published": [True, False]},
    )
    return current


def outcome_allowed(opportunity: Opportunity, now: datetime) -> bool:
    """An outcome can be reported once the opportunity has closed.

    Not earlier: an outcome makes the status "outcome published", which would hide from citizens
    that they can still take part (a hearing that has started is still open for responses).
    """
    return opportunity.status_at(now) in (
        OpportunityStatus.CLOSED,
        OpportunityStatus.OUTCOME_PUBLISHED,
    )


@transaction.atomic
def opportunity_set_outcome(
    *, opportunity: Opportunity, by: "User", outcome: str, now: datetime | None = None
) -> Opportunity:
    """Report what came of it (principle 3). The first report sets `outcome_published_at`."""
    current = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not rules.can_set_outcome(by, current):
        raise PermissionDenied("may not report the outcome of this opportunity")
    now = now or timezone.now()
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Write what came of it.")})
    if not outcome_allowed(current, now):
        raise ValidationError(
            {
                "outcome": _(
                    "The outcome can be added when the opportunity has closed, "
                    "that is when its deadline, end or start has passed."
                )
            }
        )
    changes: dict[str, list[Any]] = {}
    if current.outcome != outcome:
        changes["outcome"] = [current.outcome, outcome]
        current.outcome = outcome
    if current.outcome_published_at is None:
        current.outcome_published_at = now
        changes["outcome_published_at"] = [None, _audit_value(now)]
    if not changes:
        return current
    current.full_clean()
    current.save()
    _record(opportunity=current, by=by, action=OpportunityChange.Action.OUTCOME, changes=changes)
    return current
