"""Personal data of the people who submit ideas (issue §5, GDPR): export, correction, erasure and
the retention job.

What is personal data here: the submitter's name, e-mail address, phone number, the address of
the idea (often the submitter's own street), the consents they gave, their attachments, the mail
log rows to their address, and (for the few who follow an idea) followers' e-mail addresses.

What erasure keeps: the case's facts, which the municipality needs for its statistics and yearly
report and which say nothing about who the submitter is once the contact details are gone: the
reference, title and text, districts, topics, help needed, state, outcome with its reason,
departments, handler, dates and deadlines, the timeline (public messages included) and the
satisfaction answers. The title and text are the citizen's words; they are kept because they are
the case, but the idea leaves the public board at erasure (the consent to publish goes with the
person who gave it), since free text can name people in ways no rule can find.

Writes run in one transaction; files are deleted from storage only after it commits
(`transaction.on_commit`), so a rolled-back erasure never leaves rows pointing at missing files.
Nothing personal is written to a log, the timeline or the ErasureRecord.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sammen.core.mailing import forget_recipient
from sammen.core.models import MailLog
from sammen.ideas import selectors
from sammen.ideas.models import Attachment, ErasureRecord, Follower, Idea, new_tracking_token
from sammen.ideas.states import Outcome, State

logger = logging.getLogger(__name__)

# The neutral values that replace the personal fields. The name is a dash rather than a word so it
# reads the same in Danish and English on staff pages (which show "anonymised" from anonymised_at).
ANONYMISED_NAME = "—"
# Idea.email is a required EmailField and the services validate the whole row (full_clean) on every
# later change, so an erased open idea must still hold a valid-looking address. `.invalid` is
# reserved (RFC 2606) and can never be delivered to, so a mail queued by mistake fails instead of
# reaching a stranger; the idea's pk keeps the value unique without saying anything about anyone.
ANONYMISED_DOMAIN = "anonymised.invalid"

# Never-confirmed ideas are deleted this long after their confirmation link expired.
UNCONFIRMED_GRACE = timedelta(days=7)
DEFAULT_RETENTION_MONTHS = 24
DEFAULT_CONFIRMATION_HOURS = 72


def anonymised_email(idea: Idea) -> str:
    return f"anonymised-{idea.pk}@{ANONYMISED_DOMAIN}"


def contact_address(idea: Idea) -> str:
    """The address to mail the submitter at, or "" when there is none to use: the idea was
    anonymised or the citizen withdrew consent to be contacted. `queue_mail` sends nothing to "",
    so mail code can pass this as the recipient without its own check."""
    if idea.anonymised_at is not None or not idea.consent_contact:
        return ""
    return idea.email


# --- export -----------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def personal_data_export(idea: Idea) -> dict[str, Any]:
    """Everything stored about the submitter and their idea, for the JSON download (GDPR art. 15
    and 20): the idea with its contact details and consents, districts, topics, attachments (name,
    type, size), the public timeline, the survey answers and the mail log rows to their address
    (template, time, status; the bodies are never stored).

    Left out, and why:
    - internal notes and handover notes: they are the municipality's working notes, written for
      colleagues while the case is handled (internal working documents under Danish access rules).
      A citizen who wants them can ask for access to the case, which is decided case by case.
    - who on the staff looked at the contact details (PersonalDataAccess): a control record of the
      municipality's, and the staff members' own personal data.
    - the tracking token: it is the key to this very export, not information about the person.
    Keys are English and stable (machine-readable); labels are in the active language.
    """
    idea = (
        Idea.objects.select_related(
            "lead_department", "handler", "referred_channel", "referred_opportunity"
        )
        .prefetch_related("districts", "topics", "attachments", "lab_registrations__event")
        .get(pk=idea.pk)
    )
    mails = MailLog.objects.filter(recipient__iexact=idea.email).order_by("created_at", "pk")
    return {
        "exported_at": _iso(timezone.now()),
        "reference": idea.reference,
        "idea": {
            "title": idea.title,
            "description": idea.description,
            "districts": [d.name for d in idea.districts.all()],
            "whole_city": not idea.address and not idea.districts.all(),
            "address": idea.address,
            "topics": [t.name for t in idea.topics.all()],
            "help_needed": list(idea.help_needed),
            "submitted_by": idea.submitter_kind,
        },
        "contact_details": {
            "name": idea.contact_name,
            "email": idea.email,
            "phone": idea.phone,
            "language": idea.language,
        },
        "solution_lab_registrations": [
            {
                "event": registration.event.title,
                "starts_at": _iso(registration.event.starts_at),
                "name": registration.name,
                "email": registration.email,
                "status": registration.status,
                "needs": registration.needs,
            }
            for registration in idea.lab_registrations.all()
        ],
        "consents": {
            "may_be_contacted": idea.consent_contact,
            "may_be_published": idea.consent_publish,
        },
        "case": {
            "state": idea.state,
            "state_label": str(State(idea.state).label),
            "outcome": idea.outcome,
            "outcome_label": str(Outcome(idea.outcome).label) if idea.outcome else "",
            "outcome_reason": idea.outcome_reason,
            "outcome_alternatives": idea.alternatives,
            "referred_channel": idea.referred_channel.name if idea.referred_channel else None,
            "referred_opportunity": (
                idea.referred_opportunity.title if idea.referred_opportunity else None
            ),
            "lead_department": idea.lead_department.name if idea.lead_department else None,
            "handler": idea.handler.get_full_name() if idea.handler else None,
            "submitted_at": _iso(idea.created_at),
            "confirmed_at": _iso(idea.confirmed_at),
            "acknowledgement_due": _iso(idea.acknowledge_due),
            "acknowledged_at": _iso(idea.acknowledged_at),
            "answer_due": _iso(idea.answer_due),
            "first_answered_at": _iso(idea.first_answered_at),
            "closed_at": _iso(idea.closed_at),
        },
        "attachments": [
            {
                "name": a.original_name,
                "content_type": a.content_type,
                "size_bytes": a.size,
                "uploaded_at": _iso(a.uploaded_at),
            }
            for a in idea.attachments.all()
        ],
        "timeline": [
            {
                "at": _iso(entry.at),
                "event": str(entry.get_kind_display()),
                "from_state": entry.from_state,
                "to_state": entry.to_state,
                "message": entry.public_message,
            }
            for entry in selectors.public_timeline(idea)
        ],
        "survey": {
            "sent_at": _iso(idea.survey_sent_at),
            "got_a_clear_answer": idea.survey_clear_answer,
            "felt_heard": idea.survey_felt_heard,
            "answered_at": _iso(idea.survey_answered_at),
        },
        "emails_sent_to_you": [
            {
                "template": row.template,
                "queued_at": _iso(row.created_at),
                "sent_at": _iso(row.sent_at),
                "status": row.status,
            }
            for row in mails
        ],
        "note": gettext(
            "Internal notes written by staff while handling the idea are not included. You can "
            "ask the municipality for access to the case."
        ),
    }


# --- correction -------------------------------------------------------------------------------


@transaction.atomic
def contact_details_update(
    *, idea: Idea, contact_name: str, email: str, phone: str, language: str
) -> Idea:
    """Correct the submitter's contact details (GDPR art. 16) from the tracking page.

    Nothing is written to the timeline: the old and new details are personal data, and the row's
    `updated_at` is record enough. Mail already queued keeps its recipient; later mail goes to the
    new address. Returns the idea as saved.
    """
    current = Idea.objects.select_for_update().get(pk=idea.pk)
    current.contact_name = contact_name.strip()
    current.email = email.strip()
    current.phone = phone.strip()
    current.language = language
    current.full_clean()
    current.save(update_fields=["contact_name", "email", "phone", "language", "updated_at"])
    return current


# --- erasure ----------------------------------------------------------------------------------


def _delete_files_after_commit(storage: Storage, names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                # The row is gone either way; a file left behind is found by its missing row.
                logger.warning("Could not delete an erased idea's attachment file")

    if names:
        transaction.on_commit(delete)


def _delete_attachments(idea: Idea) -> int:
    attachments = list(Attachment.objects.filter(idea=idea))
    if not attachments:
        return 0
    storage = attachments[0].file.storage
    names = [a.file.name for a in attachments if a.file.name]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    _delete_files_after_commit(storage, names)
    return len(attachments)


@transaction.atomic
def idea_anonymise(*, idea: Idea, reason: str, now: datetime | None = None) -> ErasureRecord:
    """Erase the submitter's personal data from an idea and keep the case's facts (see the module).

    In one transaction: the name, e-mail, phone and address are replaced by neutral values, the
    consents are withdrawn (contact: nobody to contact; publish: the idea leaves the board),
    attachments and followers are deleted, the mail log forgets the address, and the tracking
    token is replaced so the old link stops working. The ErasureRecord names the fields and counts
    what was deleted, never the data. An open idea can be erased too: staff handle it on without
    a way to reach the citizen. Erasing an already anonymised idea changes nothing and returns its
    record.
    """
    now = now or timezone.now()
    current = Idea.objects.select_for_update().get(pk=idea.pk)
    if current.anonymised_at is not None:
        existing = current.erasures.first()
        if existing is not None:
            return existing
    old_email = current.email
    replacements: dict[str, Any] = {
        "contact_name": ANONYMISED_NAME,
        "email": anonymised_email(current),
        "phone": "",
        "address": "",
        "consent_contact": False,
        "consent_publish": False,
    }
    erased = [name for name, value in replacements.items() if getattr(current, name) != value]
    for name, value in replacements.items():
        setattr(current, name, value)
    current.tracking_token = new_tracking_token()
    current.anonymised_at = now
    current.full_clean()
    current.save()

    attachments = _delete_attachments(current)
    if attachments:
        erased.append("attachments")
    followers, _by_model = Follower.objects.filter(idea=current).delete()
    if _anonymise_lab_registrations(current):
        erased.append("solution_lab_registrations")
    forget_recipient(old_email)
    record = ErasureRecord(
        idea=current,
        reference=current.reference or "",
        reason=reason,
        fields=erased,
        attachments_deleted=attachments,
        followers_deleted=followers,
        at=now,
    )
    record.full_clean()
    record.save()
    return record


def _anonymise_lab_registrations(idea: Idea) -> int:
    """The citizen's registrations for solution labs the idea was taken to hold the same name and
    address; they are replaced too (the registration itself stays, so attendance still counts)."""
    count = 0
    for registration in idea.lab_registrations.all():
        registration.name = "—"
        registration.email = f"anonymised-{idea.pk}-{registration.pk}@anonymised.invalid"
        registration.needs = ""
        registration.save(update_fields=["name", "email", "needs"])
        count += 1
    return count


# --- the retention job ------------------------------------------------------------------------


def retention_cutoff(now: datetime) -> datetime:
    """Closed before this moment, an idea's personal data has been kept long enough."""
    months = getattr(settings, "IDEAS_RETENTION_MONTHS", DEFAULT_RETENTION_MONTHS)
    return now - relativedelta(months=months)


def unconfirmed_cutoff(now: datetime) -> datetime:
    hours = getattr(settings, "IDEAS_CONFIRMATION_HOURS", DEFAULT_CONFIRMATION_HOURS)
    return now - timedelta(hours=hours) - UNCONFIRMED_GRACE


def anonymise_expired(now: datetime | None = None) -> int:
    """Anonymise every closed idea closed more than IDEAS_RETENTION_MONTHS months ago and not yet
    anonymised (reason: retention); returns how many.

    Open ideas are never anonymised by the job, however old: the citizen still waits for an
    answer. A re-opened idea's clock starts again when it is closed again. Each idea is erased in
    its own transaction, so one failure does not undo the others and a re-run picks up the rest.
    """
    now = now or timezone.now()
    ids = list(
        Idea.objects.filter(
            state=State.CLOSED, closed_at__lt=retention_cutoff(now), anonymised_at__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        idea_anonymise(idea=Idea(pk=pk), reason=ErasureRecord.Reason.RETENTION, now=now)
    return len(ids)


def delete_unconfirmed(now: datetime | None = None) -> int:
    """Delete ideas whose address was never confirmed, a week after their link expired; returns
    how many.

    They are deleted entirely, not anonymised: they never entered the queue, have no reference,
    no case facts and count in no statistics, and nobody has shown that the address belonged to
    the person who typed it. No ErasureRecord is written for the same reason (there is no case to
    account for). The week's grace after the link expires lets support staff help a citizen who
    writes in about a link that did not work. Attachment files go after the transaction commits.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ideas = list(
            Idea.objects.select_for_update().filter(
                state=State.AWAITING_CONFIRMATION, created_at__lt=unconfirmed_cutoff(now)
            )
        )
        for idea in ideas:
            _delete_attachments(idea)
            forget_recipient(idea.email)
            idea.delete()
    return len(ideas)
