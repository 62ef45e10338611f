"""The invitations of a solution lab (sammen.events.labs), through the logged mail queue.

- "events.lab_invitation": the citizen whose idea is taken to the lab, in the idea's language,
  with the link that confirms the seat (events:confirm) and the link that declines (events:cancel).
  It replaces the generic "confirm your registration" mail for these registrations.
- "events.lab_staff_invitation": the handler and the departments' dialogue consultants, with the
  lab's ideas and the event page, where staff register with one click.

Both are rebuilt from ids when sent, and send nothing once the lab is cancelled or the
registration is no longer awaiting its answer.
"""

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sammen.core.mailing import Message, mail_template
from sammen.core.models import MailLog
from sammen.events import labs
from sammen.events.mails import _context, _load, absolute
from sammen.events.models import Event, Registration
from sammen.ideas.notifications import staff_case_url


@mail_template(labs.CITIZEN_INVITATION)
def build_lab_invitation(row: MailLog) -> Message | None:
    registration = _load(row)
    if registration is None or registration.status != Registration.Status.PENDING:
        return None
    event = registration.event
    if event.cancelled_at:
        return None
    items = labs.lab_ideas(event)
    idea = registration.idea
    context = _context(
        registration,
        idea=idea,
        departments=labs.lab_departments(items),
        when=labs.when_text(event.starts_at),
    )
    return Message(
        subject=_("You are invited to a solution lab about your idea: %(title)s")
        % {"title": event.title},
        text=render_to_string("events/labs/email/invitation.txt", context),
    )


@mail_template(labs.STAFF_INVITATION)
def build_lab_staff_invitation(row: MailLog) -> Message | None:
    event = Event.objects.select_related("venue", "organiser").filter(pk=row.context.get("event"))
    event = event.first()
    user = get_user_model().objects.filter(pk=row.context.get("user"), is_active=True).first()
    if event is None or user is None or event.cancelled_at:
        return None
    items = labs.lab_ideas(event)
    context = {
        "name": user.get_full_name() or user.username,
        "event": event,
        "when": labs.when_text(event.starts_at),
        "organiser": event.organiser.get_full_name() or event.organiser.username,
        "ideas": [(item.idea, staff_case_url(item.idea_id)) for item in items],
        "departments": labs.lab_departments(items),
        "event_url": absolute(event.get_absolute_url()),
    }
    return Message(
        subject=_("Invitation to a solution lab: %(title)s") % {"title": event.title},
        text=render_to_string("events/labs/email/staff_invitation.txt", context),
    )
